namespace NetPortal.Core.Sandboxes;

/// <summary>What a new sandbox needs: its network namespace (new, or an existing one to join) and the files to bind.</summary>
/// <param name="ContainerId">Owner; the sandbox folder and netns file are named after it.</param>
/// <param name="JoinNetworkNamespace">Null: a new network namespace with only lo; else the path of one to share (host or container:&lt;x&gt; mode).</param>
public sealed record SandboxSpec(
    string ContainerId,
    string Hostname,
    string Domainname,
    string? JoinNetworkNamespace,
    string Hosts,
    string ResolvConf);
