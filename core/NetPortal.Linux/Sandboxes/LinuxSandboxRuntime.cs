using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NetPortal.Core.Errors;
using NetPortal.Core.Sandboxes;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Namespaces;
using NetPortal.Linux.Netlink;

namespace NetPortal.Linux.Sandboxes;

/// <summary>
/// Sandboxes on the real kernel. A multithreaded process may setns/unshare only its network namespace (per thread);
/// UTS and mount namespaces are made by one util-linux `unshare` child and entered later with `nsenter`.
/// Layout: STATE/ID/{hosts,hostname,resolv.conf,log,uts,mnt} and STATE/netns/ID[..12] (the SandboxKey).
/// </summary>
public sealed partial class LinuxSandboxRuntime : ISandboxRuntime, IDisposable
{
    /// <summary>Docker's default PATH (moby oci/defaults.go), used when the process's Env has none.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const string NetnsFolder = "netns";

    // Runs inside the new UTS+mount namespaces. Hostname/domainname go through /proc/sys/kernel, which is per UTS
    // namespace (uts_namespaces(7)), so no extra exec is needed. Mounts under the slave-propagating copy of the host's
    // tree stay private to the sandbox. /sys is replaced by a sysfs mounted from inside the sandbox's network
    // namespace, so /sys/class/net lists its interfaces (what `ip netns exec` does).
    private const string SetupScript = """
        set -e
        printf %s "$1" > /proc/sys/kernel/hostname
        [ -z "$2" ] || printf %s "$2" > /proc/sys/kernel/domainname
        mount --bind "$3/hosts" /etc/hosts
        if [ -e /etc/hostname ]; then mount --bind "$3/hostname" /etc/hostname; fi
        mount --bind "$3/resolv.conf" /etc/resolv.conf
        umount -l /sys 2>/dev/null || true
        mount -t sysfs sysfs /sys
        """;

    private static readonly Regex IdPattern = new("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$", RegexOptions.CultureInvariant);

    private readonly string _state;
    private readonly string _netnsDirectory;
    private readonly NetNamespace _managed;
    private readonly ILogger<LinuxSandboxRuntime> _logger;
    private readonly Lock _mountLock = new();
    private readonly string _nsenter, _unshare, _setsid, _shell;
    private bool _mountsReady;

    public LinuxSandboxRuntime(string stateDirectory, NetNamespace managed, ILogger<LinuxSandboxRuntime> logger)
    {
        _state = Path.GetFullPath(stateDirectory).TrimEnd('/');
        _netnsDirectory = Path.Combine(_state, NetnsFolder);
        _managed = managed;
        _logger = logger;
        _nsenter = FindTool("nsenter");
        _unshare = FindTool("unshare");
        _setsid = FindTool("setsid");
        _shell = FindTool("sh");
    }

    public SandboxInfo Create(SandboxSpec spec)
    {
        var id = spec.ContainerId;
        if (!IdPattern.IsMatch(id) || id == NetnsFolder) throw NetPortalException.InvalidParameter($"invalid container id {id}");
        if (spec.Hostname.Length == 0 || spec.Hostname.Length > 64 || spec.Hostname.Any(char.IsControl))
            throw NetPortalException.InvalidParameter($"invalid hostname {spec.Hostname}");
        if (spec.Domainname.Length > 64 || spec.Domainname.Any(char.IsControl))
            throw NetPortalException.InvalidParameter($"invalid domainname {spec.Domainname}");
        EnsureStateMounts();

        var clock = Stopwatch.StartNew();
        var dir = Path.Combine(_state, id);
        var owns = spec.JoinNetworkNamespace is null;
        var key = owns ? Path.Combine(_netnsDirectory, id[..Math.Min(12, id.Length)]) : spec.JoinNetworkNamespace!;
        if (Directory.Exists(dir)) throw NetPortalException.Conflict($"sandbox for container {id} already exists");
        if (owns && File.Exists(key)) throw NetPortalException.Conflict($"network namespace {key} already exists");
        if (!owns && !File.Exists(key)) throw NetPortalException.NotFound($"network namespace {key} does not exist");

        var info = new SandboxInfo(id, key, dir, owns);
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "hosts"), spec.Hosts);
            File.WriteAllText(Path.Combine(dir, "hostname"), spec.Hostname + "\n");
            File.WriteAllText(Path.Combine(dir, "resolv.conf"), spec.ResolvConf);
            File.WriteAllText(Path.Combine(dir, "log"), "");
            // Bind-mount targets for the namespace files must exist.
            File.WriteAllText(Path.Combine(dir, "uts"), "");
            File.WriteAllText(Path.Combine(dir, "mnt"), "");

            if (owns)
            {
                using (new FileStream(key, FileMode.CreateNew, FileAccess.Write)) { }
                DedicatedThread.Run("sandbox " + id[..Math.Min(12, id.Length)], () =>
                {
                    // The thread gets a fresh namespace; the bind mount keeps it alive after the thread exits (as `ip netns add`).
                    Native.UnshareNetNamespace();
                    Native.Mount("/proc/thread-self/ns/net", key, "none", Native.MS_BIND, $"mount --bind netns {key}");
                    // A new network namespace has lo, down (Docker brings it up; 127.0.0.1 must work in containers).
                    using (var netlink = RouteNetlink.OpenCurrent()) netlink.SetUp("lo");
                    RunSetupChild(spec, dir);
                    return true;
                });
            }
            else if (key == _managed.Path)
            {
                // The managed namespace already has a thread living in it; fork from there.
                _managed.Run(() => RunSetupChild(spec, dir));
            }
            else
            {
                DedicatedThread.Run("sandbox " + id[..Math.Min(12, id.Length)], () =>
                {
                    using (var target = File.OpenHandle(key)) Native.SetNetNamespace(target);
                    RunSetupChild(spec, dir);
                    return true;
                });
            }
        }
        catch (Exception e)
        {
            var leftovers = RemoveAll(info);
            foreach (var l in leftovers) _logger.LogWarning(l, "cleanup after failed sandbox create {Id}", id);
            if (e is NetPortalException) throw;
            throw NetPortalException.Internal($"failed to create sandbox for container {id}: {e.Message}", e);
        }
        _logger.LogDebug("sandbox {Id} created in {Ms:F1} ms (key {Key})", id, clock.Elapsed.TotalMilliseconds, key);
        return info;
    }

    public void UpdateFiles(SandboxInfo sandbox, string hosts, string resolvConf)
    {
        RewriteInPlace(Path.Combine(sandbox.Directory, "hosts"), hosts);
        RewriteInPlace(Path.Combine(sandbox.Directory, "resolv.conf"), resolvConf);
    }

    public void SetDefaultGateway(SandboxInfo sandbox, string? interfaceName, string? gatewayIPv4, string? gatewayIPv6)
    {
        var gw4 = ParseGateway(gatewayIPv4, AddressFamily.InterNetwork);
        var gw6 = ParseGateway(gatewayIPv6, AddressFamily.InterNetworkV6);
        // The socket belongs to the namespace of the thread that opened it; the throw-away thread never switches back.
        using var netlink = DedicatedThread.Run("netlink " + sandbox.Id[..Math.Min(12, sandbox.Id.Length)], () =>
        {
            using (var target = File.OpenHandle(sandbox.Key)) Native.SetNetNamespace(target);
            return RouteNetlink.OpenCurrent();
        });
        try
        {
            if (interfaceName is not null && gw4 is not null) netlink.ReplaceDefaultRoute(interfaceName, gw4);
            else netlink.DeleteDefaultRoutes(AddressFamily.InterNetwork);
            if (interfaceName is not null && gw6 is not null) netlink.ReplaceDefaultRoute(interfaceName, gw6);
            else netlink.DeleteDefaultRoutes(AddressFamily.InterNetworkV6);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            throw NetPortalException.NotFound($"interface {interfaceName} not found in sandbox {sandbox.Id}");
        }
        catch (NetlinkException e)
        {
            throw NetPortalException.Internal($"failed to set default gateway of sandbox {sandbox.Id}: {e.Message}", e);
        }
    }

    public void Destroy(SandboxInfo sandbox)
    {
        var errors = RemoveAll(sandbox);
        if (errors.Count > 0) throw new TeardownFailedException(errors);
        _logger.LogDebug("sandbox {Id} destroyed", sandbox.Id);
    }

    public void DestroyOrphan(string containerId)
    {
        if (!IdPattern.IsMatch(containerId) || containerId == NetnsFolder) throw NetPortalException.InvalidParameter($"invalid container id {containerId}");
        var key = Path.Combine(_netnsDirectory, containerId[..Math.Min(12, containerId.Length)]);
        // Whether it owned its namespace is not recorded on disk: a netns file under our folder named after it was its own.
        Destroy(new SandboxInfo(containerId, key, Path.Combine(_state, containerId), File.Exists(key)));
    }

    public IReadOnlyList<string> ListSandboxes()
    {
        if (!Directory.Exists(_state)) return [];
        return Directory.EnumerateDirectories(_state)
            .Select(Path.GetFileName)
            .Where(n => n is not null && n != NetnsFolder)
            .Select(n => n!)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The UTS and mount namespaces are born in a child forked from the calling thread, so they sit in that thread's
    /// network namespace too: its sysfs mount then shows the sandbox's interfaces.
    /// </summary>
    private bool RunSetupChild(SandboxSpec spec, string dir)
    {
        var psi = new ProcessStartInfo(_unshare)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment.Clear();
        psi.Environment["PATH"] = DefaultPath;
        // --mount=FILE needs FILE on a non-shared mount (the private state bind). --propagation slave: the sandbox's
        // own mounts never reach the host, while host unmounts (e.g. a deleted netns file) still reach the sandbox,
        // so its copy of the tree does not pin other namespaces.
        foreach (var a in new[] { $"--uts={dir}/uts", $"--mount={dir}/mnt", "--propagation", "slave", "--", _shell, "-c", SetupScript, "sh", spec.Hostname, spec.Domainname, dir })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {_unshare}");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"setting up uts and mount namespaces failed (exit {p.ExitCode}): {(stderr + stdout.GetAwaiter().GetResult()).Trim()}");
        return true;
    }

    /// <summary>
    /// Makes STATE a private mount (util-linux refuses to bind a mount-namespace file below a shared mount: the
    /// propagation could make a namespace hold itself) and STATE/netns a shared one (iproute2's /var/run/netns):
    /// unmounting a netns file then propagates into every sandbox's mount namespace, so none keeps it alive.
    /// </summary>
    /// <summary>
    /// At daemon stop, the state folder's own mounts go when no sandbox is left; with running sandboxes (live-restore)
    /// they stay, since those sandboxes' namespace files live under them.
    /// </summary>
    public void Dispose()
    {
        lock (_mountLock)
        {
            if (!_mountsReady || ListSandboxes().Count > 0) return;
            try
            {
                Native.Unmount(_netnsDirectory, Native.MNT_DETACH);
                Native.Unmount(_state, Native.MNT_DETACH);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "could not unmount the sandbox state folder {Path}", _state);
            }
            _mountsReady = false;
        }
    }

    private void EnsureStateMounts()
    {
        lock (_mountLock)
        {
            if (_mountsReady) return;
            Directory.CreateDirectory(_netnsDirectory);
            MakeMountPoint(_state, SandboxSyscalls.MS_PRIVATE);
            MakeMountPoint(_netnsDirectory, SandboxSyscalls.MS_SHARED);
            _mountsReady = true;
        }
    }

    private static void MakeMountPoint(string dir, ulong propagation)
    {
        // Changing propagation fails with EINVAL when dir is not a mount point: bind it onto itself first (as iproute2).
        if (Native.TryMount("", dir, "none", propagation) == Errno.EINVAL)
        {
            Native.Mount(dir, dir, "none", Native.MS_BIND, $"mount --bind {dir}");
            Native.Mount("", dir, "none", propagation, $"mount --make-{(propagation == SandboxSyscalls.MS_SHARED ? "shared" : "private")} {dir}");
        }
    }

    /// <summary>Unmounts and deletes what a sandbox may have: namespace files, its own netns file, the folder. Goes on past errors.</summary>
    private List<Exception> RemoveAll(SandboxInfo sandbox)
    {
        var errors = new List<Exception>();
        // Sandboxes created later hold copies of this one's uts mount (STATE is private, so the unmount does not
        // propagate); unlinking the file detaches every mount on it in all namespaces (Linux 3.18+), so deleting
        // the files, not only unmounting them, is what frees the namespaces.
        UnmountAndDelete(Path.Combine(sandbox.Directory, "uts"), errors);
        UnmountAndDelete(Path.Combine(sandbox.Directory, "mnt"), errors);
        // Only a file we made under STATE/netns is ours to remove (never a joined host or container namespace).
        if (sandbox.OwnsNetwork && Path.GetDirectoryName(sandbox.Key) == _netnsDirectory) UnmountAndDelete(sandbox.Key, errors);
        try
        {
            if (Directory.Exists(sandbox.Directory)) Directory.Delete(sandbox.Directory, recursive: true);
        }
        catch (Exception e)
        {
            errors.Add(new IOException($"remove {sandbox.Directory}: {e.Message}", e));
        }
        return errors;
    }

    private static void UnmountAndDelete(string path, List<Exception> errors)
    {
        if (!File.Exists(path)) return;
        try
        {
            // MNT_DETACH, as `ip netns del`: a process still using the namespace keeps it, the name goes now.
            // Loop because a failed earlier attempt may have stacked mounts; EINVAL means "not a mount point".
            for (var i = 0; i < 8; i++) Native.Unmount(path, Native.MNT_DETACH);
        }
        catch (NetlinkException e) when (e.Errno == Errno.EINVAL || e.Errno == Errno.ENOENT)
        {
        }
        catch (NetlinkException e)
        {
            errors.Add(e);
            return;
        }
        try
        {
            File.Delete(path);
        }
        catch (Exception e)
        {
            errors.Add(new IOException($"remove {path}: {e.Message}", e));
        }
    }

    /// <summary>Truncate and write: the bind mounts pin the inode, so a rename-over would leave containers seeing the old file.</summary>
    private static void RewriteInPlace(string path, string content)
    {
        using var f = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);
        f.SetLength(0);
        f.Write(System.Text.Encoding.UTF8.GetBytes(content));
    }

    private static IPAddress? ParseGateway(string? text, AddressFamily family)
    {
        if (text is null) return null;
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != family)
            throw NetPortalException.InvalidParameter($"invalid gateway address {text}");
        return ip;
    }

    private static string FindTool(string name)
    {
        foreach (var d in DefaultPath.Split(':'))
        {
            var p = Path.Combine(d, name);
            if (File.Exists(p)) return p;
        }
        throw NetPortalException.Unavailable($"{name} (util-linux) not found in {DefaultPath}");
    }
}
