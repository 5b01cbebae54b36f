using System.Text;
using NetPortal.Api.Containers;
using NetPortal.Api.Contracts;
using NetPortal.Api.Exec;
using NetPortal.Api.Http;
using NetPortal.Core.Errors;

namespace NetPortal.Api.Tests.Containers;

/// <summary>Create, connect and exec bodies as docker clients send them → the domain requests.</summary>
public sealed class ContainerRequestDecodingTests
{
    private static readonly Version V150 = new(1, 50);

    private static ContainerCreateRequest Decode(string json) => DockerJson.Parse<ContainerCreateRequest>(Encoding.UTF8.GetBytes(json), announced: true);

    private static string Captured(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", name)).Trim();

    [Fact]
    public void Cli_run_with_network_ip_and_alias_decodes_to_the_spec()
    {
        // Verbatim: docker CLI 28.2.2, `docker run -d --network foo --ip 10.9.0.5 --network-alias web --name c1 busybox sleep 100`.
        var (spec, warnings) = Decode(Captured("cli-28.2.2-run-network-ip-alias.json")).ToSpec("c1", V150);
        Assert.Empty(warnings);
        Assert.Equal("c1", spec.Name);
        Assert.Equal("busybox", spec.Image);
        Assert.Equal(["sleep", "100"], spec.Cmd);
        Assert.Empty(spec.Entrypoint);
        Assert.Equal("foo", spec.NetworkMode);
        Assert.Empty(spec.PortBindings);
        var ep = Assert.Single(spec.EndpointsConfig);
        Assert.Equal("foo", ep.Key);
        Assert.Equal("10.9.0.5", ep.Value.IPv4Address);
        Assert.Null(ep.Value.IPv6Address);
        Assert.Equal(["web"], ep.Value.Aliases);
        Assert.Null(ep.Value.MacAddress);
        Assert.Equal(0, ep.Value.GwPriority);
        Assert.False(ep.Value.HasIpamConfig && ep.Value.LinkLocalIPs.Count > 0);
    }

    [Fact]
    public void Cli_run_with_publish_and_expose_maps_default_to_bridge()
    {
        // Verbatim: docker CLI 28.2.2, `docker run -d --name c2 -p 8080:80 --expose 443 busybox sleep 100`.
        var (spec, _) = Decode(Captured("cli-28.2.2-run-publish-expose.json")).ToSpec("c2", V150);
        Assert.Equal("bridge", spec.NetworkMode);
        Assert.Equal(["bridge"], spec.EndpointsConfig.Keys);
        Assert.Equal(["443/tcp", "80/tcp"], spec.ExposedPorts.Order(StringComparer.Ordinal));
        var binding = Assert.Single(spec.PortBindings["80/tcp"]);
        Assert.Equal("", binding.HostIp);
        Assert.Equal("8080", binding.HostPort);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("-c1")]
    [InlineData("c 1")]
    [InlineData("c1/x")]
    public void Invalid_names_are_refused(string name)
    {
        var e = Assert.Throws<NetPortalException>(() => new ContainerCreateRequest { Image = "busybox" }.ToSpec(name, V150));
        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
        Assert.Equal($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", e.Message);
    }

    [Fact]
    public void Leading_slash_in_name_is_accepted_and_dropped() =>
        Assert.Equal("c1", new ContainerCreateRequest().ToSpec("/c1", V150).Spec.Name);

    [Fact]
    public void Empty_network_mode_becomes_bridge() =>
        Assert.Equal("bridge", Decode("""{"Image":"busybox","Cmd":"true"}""").ToSpec(null, V150).Spec.NetworkMode);

    [Fact]
    public void Cmd_as_a_string_is_one_argument() =>
        Assert.Equal(["echo hi"], Decode("""{"Cmd":"echo hi"}""").ToSpec(null, V150).Spec.Cmd);

    [Fact]
    public void Api_below_1_44_refuses_several_endpoints()
    {
        var r = Decode("""{"NetworkingConfig":{"EndpointsConfig":{"b":{},"a":{}}}}""");
        var e = Assert.Throws<NetPortalException>(() => r.ToSpec(null, new Version(1, 43)));
        Assert.Equal("Container cannot be created with multiple network endpoints: a, b", e.Message);
        Assert.Equal(2, r.ToSpec(null, new Version(1, 44)).Spec.EndpointsConfig.Count);
    }

    [Fact]
    public void Api_below_1_48_zeroes_gw_priority()
    {
        var r = Decode("""{"HostConfig":{"NetworkMode":"foo"},"NetworkingConfig":{"EndpointsConfig":{"foo":{"GwPriority":5}}}}""");
        Assert.Equal(0, r.ToSpec(null, new Version(1, 47)).Spec.EndpointsConfig["foo"].GwPriority);
        Assert.Equal(5, r.ToSpec(null, new Version(1, 48)).Spec.EndpointsConfig["foo"].GwPriority);
    }

    [Fact]
    public void Nil_endpoint_settings_are_refused()
    {
        var e = Assert.Throws<NetPortalException>(() => Decode("""{"NetworkingConfig":{"EndpointsConfig":{"foo":null}}}""").ToSpec(null, V150));
        Assert.Equal("invalid config for network foo: EndpointsConfig is nil", e.Message);
    }

    [Fact]
    public void Container_wide_mac_address_moves_to_the_main_endpoint_with_a_warning()
    {
        var (spec, warnings) = Decode("""{"MacAddress":"02:42:ac:11:00:99","HostConfig":{"NetworkMode":"default"}}""").ToSpec(null, V150);
        Assert.Equal("02:42:ac:11:00:99", spec.EndpointsConfig["bridge"].MacAddress);
        Assert.Equal(["The container-wide MacAddress field is now deprecated. It should be specified in EndpointsConfig instead."], warnings);

        var (old, oldWarnings) = Decode("""{"MacAddress":"02:42:ac:11:00:99"}""").ToSpec(null, new Version(1, 43));
        Assert.Equal("02:42:ac:11:00:99", old.EndpointsConfig["bridge"].MacAddress);
        Assert.Empty(oldWarnings);

        var e = Assert.Throws<NetPortalException>(() => Decode("""{"MacAddress":"02:42:ac:11:00:99","HostConfig":{"NetworkMode":"host"}}""").ToSpec(null, new Version(1, 43)));
        Assert.Equal("conflicting options: mac-address and the network mode", e.Message);
    }

    [Fact]
    public void Connect_body_from_the_cli_decodes_and_drops_mac_address()
    {
        // Captured (reference §3.5): docker network connect --ip 10.9.0.5 --alias web foo c1.
        const string body = """{"Container":"c1","EndpointConfig":{"IPAMConfig":{"IPv4Address":"10.9.0.5"},"Links":null,"Aliases":["web"],"MacAddress":"02:42:00:00:00:01","DriverOpts":{},"GwPriority":0,"NetworkID":"","EndpointID":"","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}""";
        var r = DockerJson.Parse<NetworkConnectRequest>(Encoding.UTF8.GetBytes(body), announced: true);
        Assert.Equal("c1", r.Container);
        var cfg = r.EndpointConfig.ToConnectConfig(V150);
        Assert.Equal("10.9.0.5", cfg.IPv4Address);
        Assert.Equal(["web"], cfg.Aliases);
        Assert.Null(cfg.MacAddress);
    }

    [Fact]
    public void Exec_body_from_the_cli_decodes_to_the_template()
    {
        // Captured (reference §5.5): docker exec c1 sh -c 'echo hi'.
        const string body = """{"User":"","Privileged":false,"Tty":false,"AttachStdin":false,"AttachStderr":true,"AttachStdout":true,"Detach":false,"DetachKeys":"","Env":null,"WorkingDir":"","Cmd":["sh","-c","echo hi"]}""";
        var t = DockerJson.Parse<ExecConfig>(Encoding.UTF8.GetBytes(body), announced: true).ToTemplate();
        Assert.Equal(["sh", "-c", "echo hi"], t.Process.Args);
        Assert.True(t.AttachStdout);
        Assert.True(t.AttachStderr);
        Assert.False(t.AttachStdin);
        Assert.Equal("", t.Process.WorkingDir);
    }

    [Fact]
    public void Exec_without_cmd_is_refused()
    {
        var e = Assert.Throws<NetPortalException>(() => new ExecConfig().ToTemplate());
        Assert.Equal("No exec command specified", e.Message);
        Assert.Throws<NetPortalException>(() => new ExecConfig { Cmd = ["true"], DetachKeys = "ctrl-1" }.ToTemplate());
    }

    [Fact]
    public void Detach_keys_are_moby_term_bytes() =>
        Assert.Equal(new byte[] { 16, 17, (byte)'x' }, ExecMapping.ParseDetachKeys("ctrl-p,ctrl-q,x"));
}
