namespace NetPortal.Core.Containers;

/// <summary>The managed namespace's view of the host: its resolv.conf and the path of its network namespace.</summary>
public interface IManagedHost
{
    /// <summary>Content of the resolv.conf processes in the managed namespace see (e.g. /etc/netns/NAME/resolv.conf or /etc/resolv.conf).</summary>
    string ReadResolvConf();

    /// <summary>Network namespace file of the managed namespace (what host-mode sandboxes join).</summary>
    string ManagedNetnsPath { get; }
}
