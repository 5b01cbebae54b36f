using Microsoft.Extensions.DependencyInjection;
using NetPortal.Api.Tests.Infrastructure;
using NetPortal.Core.Containers;

namespace NetPortal.Api.Tests.Containers;

/// <summary>The embedded DNS's upstreams: parsed once per resolv.conf text, and a host edit is still seen at once.</summary>
public sealed class DnsUpstreamsTests
{
    [Fact]
    public void Host_upstreams_follow_the_resolv_conf_text()
    {
        using var api = new NetPortalApiFactory();
        var host = (FakeManagedHost)api.Services.GetRequiredService<IManagedHost>();
        var directory = api.Services.GetRequiredService<ContainerService>();

        var first = directory.Upstreams("no-such-container");
        Assert.Equal(["192.0.2.53"], first);
        Assert.Same(first, directory.Upstreams("no-such-container"));
        // An equal text read again (a new string) is not parsed again either.
        host.ResolvConf = new string("nameserver 192.0.2.53\nsearch example.test\n".ToCharArray());
        Assert.Same(first, directory.Upstreams("no-such-container"));

        host.ResolvConf = "nameserver 198.51.100.1\nnameserver 198.51.100.2\n";
        Assert.Equal(["198.51.100.1", "198.51.100.2"], directory.Upstreams("no-such-container"));
    }
}
