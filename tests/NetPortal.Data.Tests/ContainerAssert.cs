using NetPortal.Core.Containers;

namespace NetPortal.Data.Tests;

/// <summary>Field-by-field equality; the records' own Equals compares lists and dictionaries by reference.</summary>
internal static class ContainerAssert
{
    public static void Same(Container expected, Container actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        SameInstant(expected.Created, actual.Created);
        Assert.Equal(expected.NetworkMode, actual.NetworkMode);
        Assert.Equal(expected.RestartCount, actual.RestartCount);
        Assert.Equal(expected.Hostname, actual.Hostname);
        Same(expected.Spec, actual.Spec);

        Assert.Equal(expected.Attachments.Count, actual.Attachments.Count);
        for (var i = 0; i < expected.Attachments.Count; i++)
        {
            var e = expected.Attachments[i];
            var a = actual.Attachments[i];
            Assert.Equal(e.NetworkId, a.NetworkId);
            Assert.Equal(e.NetworkName, a.NetworkName);
            Same(e.Config, a.Config);
            if (e.Endpoint is null)
            {
                Assert.Null(a.Endpoint);
            }
            else
            {
                Assert.NotNull(a.Endpoint);
                Same(e.Endpoint, a.Endpoint);
            }
        }

        Assert.Equal(expected.State.Status, actual.State.Status);
        Assert.Equal(expected.State.Running, actual.State.Running);
        Assert.Equal(expected.State.Pid, actual.State.Pid);
        Assert.Equal(expected.State.PidStartTime, actual.State.PidStartTime);
        Assert.Equal(expected.State.ExitCode, actual.State.ExitCode);
        Assert.Equal(expected.State.Error, actual.State.Error);
        SameInstant(expected.State.StartedAt, actual.State.StartedAt);
        SameInstant(expected.State.FinishedAt, actual.State.FinishedAt);

        // SandboxInfo has only strings and a bool, so its record equality is by value.
        Assert.Equal(expected.Sandbox, actual.Sandbox);
    }

    private static void Same(ContainerSpec e, ContainerSpec a)
    {
        Assert.Equal(e.Name, a.Name);
        Assert.Equal(e.Image, a.Image);
        Assert.Equal(e.Cmd, a.Cmd);
        Assert.Equal(e.Entrypoint, a.Entrypoint);
        Assert.Equal(e.Env, a.Env);
        Assert.Equal(e.Hostname, a.Hostname);
        Assert.Equal(e.Domainname, a.Domainname);
        Assert.Equal(e.WorkingDir, a.WorkingDir);
        SameMap(e.Labels, a.Labels);
        Assert.Equal(e.ExposedPorts, a.ExposedPorts);
        Assert.Equal(e.NetworkMode, a.NetworkMode);
        Assert.Equal(e.Dns, a.Dns);
        Assert.Equal(e.DnsSearch, a.DnsSearch);
        Assert.Equal(e.DnsOptions, a.DnsOptions);
        Assert.Equal(e.ExtraHosts, a.ExtraHosts);
        Assert.Equal(e.Links, a.Links);
        Assert.Equal(e.PortBindings.Keys, a.PortBindings.Keys);
        foreach (var (port, bindings) in e.PortBindings)
        {
            // PortBinding is a record of two strings: value equality.
            Assert.Equal(bindings, a.PortBindings[port]);
        }
        Assert.Equal(e.PublishAllPorts, a.PublishAllPorts);
        SameMap(e.Sysctls, a.Sysctls);
        Assert.Equal(e.EndpointsConfig.Keys, a.EndpointsConfig.Keys);
        foreach (var (key, config) in e.EndpointsConfig)
        {
            Same(config, a.EndpointsConfig[key]);
        }
    }

    private static void Same(EndpointConfig e, EndpointConfig a)
    {
        Assert.Equal(e.Aliases, a.Aliases);
        Assert.Equal(e.IPv4Address, a.IPv4Address);
        Assert.Equal(e.IPv6Address, a.IPv6Address);
        Assert.Equal(e.LinkLocalIPs, a.LinkLocalIPs);
        Assert.Equal(e.Links, a.Links);
        SameMap(e.DriverOpts, a.DriverOpts);
        Assert.Equal(e.MacAddress, a.MacAddress);
        Assert.Equal(e.GwPriority, a.GwPriority);
        Assert.Equal(e.HasIpamConfig, a.HasIpamConfig);
    }

    private static void Same(Endpoint e, Endpoint a)
    {
        Assert.Equal(e.Id, a.Id);
        Assert.Equal(e.NetworkId, a.NetworkId);
        Assert.Equal(e.ContainerId, a.ContainerId);
        Assert.Equal(e.InterfaceName, a.InterfaceName);
        Assert.Equal(e.HostInterfaceName, a.HostInterfaceName);
        Assert.Equal(e.MacAddress, a.MacAddress);
        Assert.Equal(e.IPv4, a.IPv4);
        Assert.Equal(e.IPv6, a.IPv6);
        Assert.Equal(e.Gateway, a.Gateway);
        Assert.Equal(e.GatewayIPv6, a.GatewayIPv6);
        Assert.Equal(e.LinkLocalIPs, a.LinkLocalIPs);
        Assert.Equal(e.IsDefaultGateway, a.IsDefaultGateway);
        Assert.Equal(e.Mtu, a.Mtu);
    }

    /// <summary>Same instant, same ticks and same offset (DateTimeOffset's == ignores the offset).</summary>
    private static void SameInstant(DateTimeOffset? expected, DateTimeOffset? actual)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e && actual is { } a)
        {
            Assert.Equal(e.Ticks, a.Ticks);
            Assert.Equal(e.Offset, a.Offset);
        }
    }

    /// <summary>Same pairs in the same order as written.</summary>
    private static void SameMap(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual) =>
        Assert.Equal(expected.ToList(), actual.ToList());
}
