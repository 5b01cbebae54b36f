using System.Text.Json.Nodes;
using NetPortal.Api.Tests.Infrastructure;

namespace NetPortal.Api.Tests;

/// <summary>The OpenAPI document: Docker's operationIds and PascalCase names.</summary>
public sealed class OpenApiTests : IClassFixture<NetPortalApiFactory>
{
    private readonly HttpClient _client;

    public OpenApiTests(NetPortalApiFactory factory) => _client = factory.CreateClient();

    [Fact]
    public async Task Operation_ids_are_dockers()
    {
        var doc = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var ids = doc["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (string?)o.Value!["operationId"]))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["ContainerCreate", "ContainerDelete", "ContainerExec", "ContainerInspect", "ContainerKill", "ContainerList",
             "ContainerRestart", "ContainerStart", "ContainerStop", "ContainerWait", "ExecInspect", "ExecStart",
             "ImageCreate", "ImageInspect",
             "NetPortalDrift", "NetPortalFirewall", "NetPortalIpam", "NetPortalReachability", "NetPortalRepair", "NetPortalTopology",
             "NetworkConnect", "NetworkCreate", "NetworkDelete", "NetworkDisconnect", "NetworkInspect", "NetworkList", "NetworkPrune",
             "SystemEvents", "SystemInfo", "SystemPing", "SystemPingHead", "SystemVersion"],
            ids);
    }

    [Fact]
    public async Task Schemas_use_dockers_property_names()
    {
        var doc = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = doc["components"]!["schemas"]!;
        string[] Props(string schema) => schemas[schema]!["properties"]!.AsObject().Select(p => p.Key).ToArray();
        Assert.Contains("Id", Props("NetworkResource"));
        Assert.Contains("IPAM", Props("NetworkResource"));
        Assert.Contains("EnableIPv6", Props("NetworkResource"));
        Assert.Contains("EnableIPv4", Props("NetworkResource"));
        Assert.Equal(["Id", "Warning"], Props("NetworkCreateResponse"));
        Assert.Equal(["message"], Props("ErrorResponse"));
        Assert.Contains("Name", Props("NetworkCreateRequest"));
        Assert.Contains("IPAM", Props("NetworkCreateRequest"));
        Assert.Equal(["NetworksDeleted"], Props("NetworkPruneResponse"));
        Assert.Equal(["Id", "Warnings"], Props("ContainerCreateResponse"));
        Assert.Equal(["ID", "Running", "ExitCode", "ProcessConfig", "OpenStdin", "OpenStderr", "OpenStdout", "CanRemove", "ContainerID", "DetachKeys", "Pid"], Props("ExecInspectResponse"));
        Assert.Equal(["tty", "entrypoint", "arguments", "privileged", "user"], Props("ExecProcessConfig"));
        Assert.Equal(["Container", "EndpointConfig"], Props("NetworkConnectRequest"));
        Assert.Equal(["Container", "Force"], Props("NetworkDisconnectRequest"));
        Assert.Contains("DNSNames", Props("EndpointSettings"));
        Assert.Contains("IPAMConfig", Props("EndpointSettings"));
        Assert.Contains("Networks", Props("NetworkSettingsResource"));
        Assert.Contains("HostConfig", Props("ContainerCreateRequest"));
        Assert.Contains("NetworkingConfig", Props("ContainerCreateRequest"));
        Assert.Equal("#/components/schemas/NetworkCreateRequest",
            (string)doc["paths"]!["/networks/create"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!);
        Assert.Equal("#/components/schemas/NetworkCreateResponse",
            (string)doc["paths"]!["/networks/create"]!["post"]!["responses"]!["201"]!["content"]!["application/json"]!["schema"]!["$ref"]!);
    }
}
