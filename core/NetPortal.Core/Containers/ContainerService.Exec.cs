using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Core.Containers;

public sealed partial class ContainerService
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IExecProcess> _execProcesses = new();

    /// <summary>POST /containers/{id}/exec: 409 when the container is not running.</summary>
    public ExecInstance CreateExec(string containerTerm, ExecInstance template)
    {
        var c = Inspect(containerTerm);
        if (!c.State.Running) throw NetPortalException.Conflict($"container {c.Id} is not running");
        if (template.Process.Args.Count == 0) throw NetPortalException.InvalidParameter("No exec command specified");
        var exec = new ExecInstance
        {
            Id = PredefinedFactory.NewId(),
            ContainerId = c.Id,
            Process = template.Process,
            AttachStdin = template.AttachStdin,
            AttachStdout = template.AttachStdout,
            AttachStderr = template.AttachStderr,
            Tty = template.Tty,
            User = template.User,
            Privileged = template.Privileged,
            DetachKeys = template.DetachKeys,
        };
        _execs[exec.Id] = exec;
        Emit(c, "exec_create: " + string.Join(' ', exec.Process.Args), new Dictionary<string, string> { ["execID"] = exec.Id });
        return exec;
    }

    /// <summary>404 "No such exec instance: id".</summary>
    public ExecInstance InspectExec(string execId) =>
        _execs.TryGetValue(execId, out var e) ? e : throw NetPortalException.NotFound($"No such exec instance: {execId}");

    /// <summary>Starts the exec's process; the caller pumps its streams.</summary>
    public IExecProcess StartExec(string execId)
    {
        var exec = InspectExec(execId);
        var c = Current(exec.ContainerId);
        lock (exec)
        {
            if (exec.Running) throw NetPortalException.Conflict($"Error: Exec command {exec.Id} is already running");
            if (exec.Started) throw NetPortalException.Conflict($"Error: Exec command {exec.Id} has already run");
            if (!c.State.Running || c.Sandbox is null) throw NetPortalException.Conflict($"container {c.Id} is not running");
            var env = new List<string>(ProcessFor(c, c.Attachments).Env);
            env.AddRange(exec.Process.Env);
            var wd = exec.Process.WorkingDir.Length > 0 ? exec.Process.WorkingDir : c.Spec.WorkingDir;
            IExecProcess process;
            try
            {
                process = runtime.Exec(c.Sandbox, new ProcessSpec(exec.Process.Args, env, wd), exec.AttachStdin);
            }
            catch (NetPortalException)
            {
                // As runc: a command that cannot be started ends the exec with 126 (cannot execute).
                exec.Started = true;
                exec.ExitCode = 126;
                throw;
            }
            exec.Started = true;
            exec.Running = true;
            exec.Pid = process.Pid;
            _execProcesses[exec.Id] = process;
            Emit(c, "exec_start: " + string.Join(' ', exec.Process.Args), new Dictionary<string, string> { ["execID"] = exec.Id });
            return new RecordingExecProcess(process, RecordExitAsync(exec, c, process));
        }
    }

    /// <summary>The exit code is recorded before anyone awaiting Exited resumes, so /exec/{id}/json never lags the stream's end.</summary>
    private async Task<int> RecordExitAsync(ExecInstance exec, Container c, IExecProcess process)
    {
        int code;
        try
        {
            code = await process.Exited.ConfigureAwait(false);
        }
        catch (Exception)
        {
            code = 126;
        }
        exec.ExitCode = code;
        exec.Running = false;
        _execProcesses.TryRemove(exec.Id, out _);
        Emit(c, "exec_die", new Dictionary<string, string> { ["execID"] = exec.Id, ["exitCode"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return code;
    }

    private sealed class RecordingExecProcess(IExecProcess inner, Task<int> exited) : IExecProcess
    {
        public int Pid => inner.Pid;
        public Stream? StandardInput => inner.StandardInput;
        public Stream StandardOutput => inner.StandardOutput;
        public Stream StandardError => inner.StandardError;
        public Task<int> Exited => exited;
        public void Kill() => inner.Kill();
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>Execs do not outlive their container (Docker's PID namespace gives that for free; here it is explicit).</summary>
    private void KillExec(string execId)
    {
        if (_execProcesses.TryGetValue(execId, out var p)) p.Kill();
    }
}
