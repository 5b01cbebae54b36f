using NetPortal.Core.Containers;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>The managed namespace as container tests see it: a fixed resolv.conf and a made-up netns path.</summary>
public sealed class FakeManagedHost : IManagedHost
{
    public string ManagedNetnsPath => "/run/netportal/netns/managed";

    /// <summary>What ReadResolvConf returns; tests change it to see a host edit picked up.</summary>
    public string ResolvConf { get; set; } = "nameserver 192.0.2.53\nsearch example.test\n";

    public string ReadResolvConf() => ResolvConf;
}
