using System.Text.Json;
using System.Text.Json.Nodes;
using NetPortal.Api.Containers;
using NetPortal.Api.Http;
using NetPortal.Core.Containers;
using static NetPortal.Api.Tests.Containers.ContainerFixtures;

namespace NetPortal.Api.Tests.Containers;

/// <summary>Domain containers → Docker's inspect and ps JSON, compared as text (field order included).</summary>
public sealed class ContainerMappingTests
{
    private static readonly Version V150 = new(1, 50);

    /// <summary>Fills the {{Name}} placeholders of an expected text (JSON has too many braces for interpolation).</summary>
    private static string F(string s) => s
        .Replace("{{Id}}", Id).Replace("{{BridgeId}}", BridgeId).Replace("{{FooId}}", FooId).Replace("{{HostId}}", HostId)
        .Replace("{{EndpointId}}", EndpointId).Replace("{{SandboxId}}", SandboxId)
        .Replace("{{ContainerMapping.ImageId(\"busybox\")}}", ContainerMapping.ImageId("busybox"));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, DockerJson.Options);

    private static JsonObject InspectNode(Container c, Version? v = null) => JsonNode.Parse(Json(c.ToInspect(v ?? V150)))!.AsObject();

    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Fact]
    public void Running_on_the_default_bridge_is_dockers_inspect()
    {
        var expected = F("""
        {"Id":"{{Id}}","Created":"2025-01-01T00:00:00Z","Path":"sleep","Args":["100"],
         "State":{"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":4242,"ExitCode":0,"Error":"","StartedAt":"2025-01-01T00:00:01.5Z","FinishedAt":"0001-01-01T00:00:00Z"},
         "Image":"{{ContainerMapping.ImageId("busybox")}}",
         "ResolvConfPath":"/run/netportal/containers/{{Id}}/resolv.conf","HostnamePath":"/run/netportal/containers/{{Id}}/hostname","HostsPath":"/run/netportal/containers/{{Id}}/hosts","LogPath":"",
         "Name":"/c1","RestartCount":0,"Driver":"none","Platform":"linux","MountLabel":"","ProcessLabel":"","AppArmorProfile":"","ExecIDs":null,
         "HostConfig":{"NetworkMode":"bridge","PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":false,"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":[],"Links":null,"PublishAllPorts":false},
         "Mounts":[],
         "Config":{"Hostname":"3f2a1b4c5d6e","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"ExposedPorts":{"443/tcp":{},"80/tcp":{}},"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":["sleep","100"],"Image":"busybox","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{}},
         "NetworkSettings":{"Bridge":"","SandboxID":"{{SandboxId}}","SandboxKey":"/run/netportal/netns/3f2a1b4c5d6e",
          "Ports":{"443/tcp":null,"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}]},
          "HairpinMode":false,"LinkLocalIPv6Address":"","LinkLocalIPv6PrefixLen":0,"SecondaryIPAddresses":null,"SecondaryIPv6Addresses":null,
          "EndpointID":"{{EndpointId}}","Gateway":"172.17.0.1","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"IPAddress":"172.17.0.2","IPPrefixLen":16,"IPv6Gateway":"","MacAddress":"02:42:ac:11:00:02",
          "Networks":{"bridge":{"IPAMConfig":null,"Links":null,"Aliases":null,"MacAddress":"02:42:ac:11:00:02","DriverOpts":null,"GwPriority":0,"NetworkID":"{{BridgeId}}","EndpointID":"{{EndpointId}}","Gateway":"172.17.0.1","IPAddress":"172.17.0.2","IPPrefixLen":16,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}}}
        """);
        Assert.Equal(Compact(expected), Json(RunningOnBridge().ToInspect(V150)));
    }

    [Fact]
    public void Stopped_keeps_the_network_but_clears_operational_fields()
    {
        var node = InspectNode(StoppedOnBridge());
        Assert.Equal(
            """{"Status":"exited","Running":false,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":0,"ExitCode":3,"Error":"","StartedAt":"2025-01-01T00:00:01.5Z","FinishedAt":"2025-01-01T00:02:00Z"}""",
            node["State"]!.ToJsonString());
        Assert.Equal(
            F("""{"Bridge":"","SandboxID":"","SandboxKey":"","Ports":{},"HairpinMode":false,"LinkLocalIPv6Address":"","LinkLocalIPv6PrefixLen":0,"SecondaryIPAddresses":null,"SecondaryIPv6Addresses":null,"EndpointID":"","Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","MacAddress":"","Networks":{"bridge":{"IPAMConfig":null,"Links":null,"Aliases":null,"MacAddress":"","DriverOpts":null,"GwPriority":0,"NetworkID":"{{BridgeId}}","EndpointID":"","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}}"""),
            node["NetworkSettings"]!.ToJsonString());
        Assert.Equal("", (string)node["ResolvConfPath"]!);
    }

    [Fact]
    public void Never_started_has_zero_times()
    {
        var state = InspectNode(CreatedOnBridge())["State"]!;
        Assert.Equal("created", (string)state["Status"]!);
        Assert.Equal(ContainerMapping.ZeroTime, (string)state["StartedAt"]!);
        Assert.Equal(ContainerMapping.ZeroTime, (string)state["FinishedAt"]!);
    }

    [Fact]
    public void User_network_has_ipam_config_aliases_and_dns_names()
    {
        var node = InspectNode(RunningOnFoo());
        Assert.Equal("foo", (string)node["HostConfig"]!["NetworkMode"]!);
        Assert.Equal(
            F("""{"foo":{"IPAMConfig":{"IPv4Address":"10.9.0.5"},"Links":null,"Aliases":["web"],"MacAddress":"02:42:0a:09:00:05","DriverOpts":null,"GwPriority":0,"NetworkID":"{{FooId}}","EndpointID":"{{EndpointId}}","Gateway":"10.9.0.1","IPAddress":"10.9.0.5","IPPrefixLen":24,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":["c1","web","3f2a1b4c5d6e"]}}"""),
            node["NetworkSettings"]!["Networks"]!.ToJsonString());
        // The legacy top-level fields mirror only the default bridge.
        Assert.Equal("", (string)node["NetworkSettings"]!["IPAddress"]!);
        Assert.Equal("{}", node["NetworkSettings"]!["Ports"]!.ToJsonString());
    }

    [Fact]
    public void User_network_after_stop_keeps_network_id_aliases_and_ipam_config()
    {
        var node = InspectNode(StoppedOnFoo());
        Assert.Equal(
            F("""{"foo":{"IPAMConfig":{"IPv4Address":"10.9.0.5"},"Links":null,"Aliases":["web"],"MacAddress":"","DriverOpts":null,"GwPriority":0,"NetworkID":"{{FooId}}","EndpointID":"","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":["c1","web","3f2a1b4c5d6e"]}}"""),
            node["NetworkSettings"]!["Networks"]!.ToJsonString());
    }

    [Fact]
    public void Api_below_1_45_lists_short_id_and_hostname_among_user_network_aliases()
    {
        var node = InspectNode(RunningOnFoo(), new Version(1, 44));
        Assert.Equal("""["web","3f2a1b4c5d6e"]""", node["NetworkSettings"]!["Networks"]!["foo"]!["Aliases"]!.ToJsonString());
        var bridge = InspectNode(RunningOnBridge(), new Version(1, 44));
        Assert.Null(bridge["NetworkSettings"]!["Networks"]!["bridge"]!["Aliases"]);
    }

    [Fact]
    public void Host_mode_shows_the_host_network_without_addresses()
    {
        var node = InspectNode(RunningOnHost());
        Assert.Equal("host", (string)node["HostConfig"]!["NetworkMode"]!);
        Assert.Equal("/run/netportal/netns/managed", (string)node["NetworkSettings"]!["SandboxKey"]!);
        Assert.Equal(
            F("""{"host":{"IPAMConfig":null,"Links":null,"Aliases":null,"MacAddress":"","DriverOpts":null,"GwPriority":0,"NetworkID":"{{HostId}}","EndpointID":"{{EndpointId}}","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}"""),
            node["NetworkSettings"]!["Networks"]!.ToJsonString());
        Assert.Equal("", (string)node["NetworkSettings"]!["EndpointID"]!);
    }

    [Fact]
    public void None_mode_shows_the_none_network()
    {
        var node = InspectNode(RunningOnNone());
        Assert.Equal("none", (string)node["HostConfig"]!["NetworkMode"]!);
        Assert.Equal(["none"], node["NetworkSettings"]!["Networks"]!.AsObject().Select(p => p.Key));
        Assert.Null(node["NetworkSettings"]!["Networks"]!["none"]!["DNSNames"]);
    }

    [Fact]
    public void Container_mode_echoes_the_resolved_id_and_has_no_networks()
    {
        var c = RunningOnNone() with { NetworkMode = "container:" + new string('9', 64), Spec = Spec("container:other"), Attachments = [] };
        var node = InspectNode(c);
        Assert.Equal("container:" + new string('9', 64), (string)node["HostConfig"]!["NetworkMode"]!);
        Assert.Equal("{}", node["NetworkSettings"]!["Networks"]!.ToJsonString());
    }

    [Fact]
    public void Links_are_shown_in_dockers_inspect_form()
    {
        var c = RunningOnBridge() with { Spec = Spec("bridge") with { Links = ["c2:db", "/c3"] } };
        Assert.Equal("""["/c2:/c1/db","/c3:/c1/c3"]""", InspectNode(c)["HostConfig"]!["Links"]!.ToJsonString());
    }

    [Fact]
    public void Running_summary_is_dockers_ps_item()
    {
        var now = Started.AddSeconds(5);
        var expected = F("""
        {"Id":"{{Id}}","Names":["/c1"],"Image":"busybox","ImageID":"{{ContainerMapping.ImageId("busybox")}}","Command":"sleep 100","Created":1735689600,
         "Ports":[{"PrivatePort":443,"Type":"tcp"},{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},{"IP":"::","PrivatePort":80,"PublicPort":8080,"Type":"tcp"}],
         "Labels":{},"State":"running","Status":"Up 5 seconds","HostConfig":{"NetworkMode":"bridge"},
         "NetworkSettings":{"Networks":{"bridge":{"IPAMConfig":null,"Links":null,"Aliases":null,"MacAddress":"02:42:ac:11:00:02","DriverOpts":null,"GwPriority":0,"NetworkID":"{{BridgeId}}","EndpointID":"{{EndpointId}}","Gateway":"172.17.0.1","IPAddress":"172.17.0.2","IPPrefixLen":16,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}},
         "Mounts":[]}
        """);
        Assert.Equal(Compact(expected), Json(RunningOnBridge().ToSummary(now)));
    }

    [Fact]
    public void Stopped_summary_says_exited_with_code_and_age_and_has_no_ports()
    {
        var s = StoppedOnBridge().ToSummary(Finished.AddMinutes(2));
        Assert.Equal("Exited (3) 2 minutes ago", s.Status);
        Assert.Equal("exited", s.State);
        Assert.Empty(s.Ports);
        Assert.Equal("Created", CreatedOnBridge().ToSummary(Finished).Status);
    }

    [Fact]
    public void Command_quotes_arguments_with_spaces()
    {
        var c = RunningOnBridge() with { Spec = Spec("bridge") with { Entrypoint = ["sh", "-c"], Cmd = ["echo hi"] } };
        Assert.Equal("sh -c 'echo hi'", c.ToSummary(Finished).Command);
        var node = InspectNode(c);
        Assert.Equal("sh", (string)node["Path"]!);
        Assert.Equal("""["-c","echo hi"]""", node["Args"]!.ToJsonString());
    }

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(59, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(150, "2 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(3 * 3600, "3 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(21 * 86400, "3 weeks")]
    [InlineData(90 * 86400, "3 months")]
    [InlineData(3 * 365 * 86400, "3 years")]
    public void Human_durations_are_go_units(double seconds, string expected) =>
        Assert.Equal(expected, ContainerMapping.HumanDuration(TimeSpan.FromSeconds(seconds)));
}
