namespace NetPortal.Core.Sandboxes;

/// <summary>A running sandbox: its namespaces pinned as files, and the folder of its resolver files.</summary>
/// <param name="Id">64 hex, Docker's SandboxID.</param>
/// <param name="Key">Network namespace file (Docker's SandboxKey); `nsenter --net=Key` enters it.</param>
/// <param name="Directory">Holds hosts, hostname, resolv.conf, the uts/mnt namespace files and the command's log.</param>
/// <param name="OwnsNetwork">False for host and container:&lt;x&gt; modes, whose network namespace belongs to someone else.</param>
public sealed record SandboxInfo(string Id, string Key, string Directory, bool OwnsNetwork);
