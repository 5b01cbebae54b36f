using NetPortal.Core.Containers;

namespace NetPortal.Api.Tests.Infrastructure;

/// <summary>The managed namespace as container tests see it: a fixed resolv.conf and a made-up netns path.</summary>
public sealed class FakeManagedHost : IManagedHost
{
    public string ManagedNetnsPath => "/run/netportal/netns/managed";

    public string ReadResolvConf() => "nameserver 192.0.2.53\nsearch example.test\n";
}
