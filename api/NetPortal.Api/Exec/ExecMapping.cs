using NetPortal.Api.Contracts;
using NetPortal.Core.Containers;
using NetPortal.Core.Errors;
using NetPortal.Core.Sandboxes;

namespace NetPortal.Api.Exec;

/// <summary>Exec bodies ⇄ ExecInstance.</summary>
public static class ExecMapping
{
    /// <summary>Characters after "ctrl-" in moby/term's table, by code: ctrl-@ is 0, ctrl-a 1 … ctrl-_ 31.</summary>
    private const string ControlKeys = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

    /// <summary>
    /// The exec the service should create. Id and ContainerId are left empty for the service to fill.
    /// 400 "No exec command specified" without Cmd, as dockerd's router.
    /// </summary>
    public static ExecInstance ToTemplate(this ExecConfig e)
    {
        if (e.Cmd is not { Count: > 0 }) throw NetPortalException.InvalidParameter("No exec command specified");
        var keys = e.DetachKeys ?? "";
        if (keys.Length > 0 && ParseDetachKeys(keys) is null)
            throw NetPortalException.InvalidParameter($"Invalid escape keys ({keys}) provided");
        return new ExecInstance
        {
            Id = "",
            ContainerId = "",
            Process = new ProcessSpec(e.Cmd, e.Env ?? [], e.WorkingDir ?? ""),
            AttachStdin = e.AttachStdin,
            AttachStdout = e.AttachStdout,
            AttachStderr = e.AttachStderr,
            Tty = e.Tty,
            User = e.User ?? "",
            Privileged = e.Privileged,
            DetachKeys = keys,
        };
    }

    public static ExecInspectResponse ToInspect(this ExecInstance e) => new()
    {
        ID = e.Id,
        Running = e.Running,
        ExitCode = e.Running ? null : e.ExitCode,
        ProcessConfig = new ExecProcessConfig
        {
            Tty = e.Tty,
            Entrypoint = e.Process.Args.Count > 0 ? e.Process.Args[0] : "",
            Arguments = e.Process.Args.Skip(1).ToList(),
            Privileged = e.Privileged,
            User = string.IsNullOrEmpty(e.User) ? null : e.User,
        },
        OpenStdin = e.AttachStdin,
        OpenStderr = e.AttachStderr,
        OpenStdout = e.AttachStdout,
        ContainerID = e.ContainerId,
        DetachKeys = Convert.ToBase64String(ParseDetachKeys(e.DetachKeys) ?? []),
        Pid = e.Pid,
    };

    /// <summary>moby/term ToBytes: comma-separated single characters or ctrl-X names; null when a key is unknown.</summary>
    public static byte[]? ParseDetachKeys(string keys)
    {
        if (keys.Length == 0) return [];
        var codes = new List<byte>();
        foreach (var key in keys.Split(','))
        {
            if (key.Length == 1)
            {
                codes.Add((byte)key[0]);
                continue;
            }
            var lower = key.ToLowerInvariant();
            if (lower.Length != 6 || !lower.StartsWith("ctrl-", StringComparison.Ordinal)) return null;
            var index = ControlKeys.IndexOf(lower[5]);
            if (index < 0) return null;
            codes.Add((byte)index);
        }
        return codes.ToArray();
    }
}
