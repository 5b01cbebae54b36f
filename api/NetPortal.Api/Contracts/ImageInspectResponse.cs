using System.Text.Json.Serialization;

namespace NetPortal.Api.Contracts;

/// <summary>A minimal Docker image object: NetPortal has no images, it only records the name a container was created from.</summary>
public sealed class ImageInspectResponse
{
    public required string Id { get; init; }
    public required List<string> RepoTags { get; init; }
    public List<string> RepoDigests { get; init; } = [];
    public string Parent { get; init; } = "";
    public string Comment { get; init; } = "";
    public string Created { get; init; } = "";
    public string DockerVersion { get; init; } = "";
    public string Author { get; init; } = "";
    public string Architecture { get; init; } = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var a => a.ToString().ToLowerInvariant(),
    };
    public string Os { get; init; } = "linux";
    public long Size { get; init; }
    public ImageRootFs RootFS { get; init; } = new();
}

/// <summary>RootFS of an image without layers.</summary>
public sealed class ImageRootFs
{
    public string Type { get; init; } = "layers";
}

/// <summary>One line of POST /images/create's JSON progress stream.</summary>
public sealed record ImageCreateProgress([property: JsonPropertyName("status")] string Status);
