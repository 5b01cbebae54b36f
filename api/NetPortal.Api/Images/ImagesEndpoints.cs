using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using NetPortal.Api.Containers;
using NetPortal.Api.Contracts;
using NetPortal.Api.Http;
using NetPortal.Core.Containers;
using NetPortal.Core.Errors;
using NetPortal.Core.Filters;

namespace NetPortal.Api.Images;

/// <summary>
/// NetPortal never pulls: a container's Image is only recorded. Pull answers "up to date" so `docker run` and
/// `docker pull` succeed; inspect knows the images containers were created from and is 404 for anything else, so
/// `docker inspect &lt;network&gt;` still falls through the image probe to the network.
/// </summary>
public static class ImagesEndpoints
{
    public static IEndpointRouteBuilder MapImages(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/images").WithTags("Image");
        g.MapPost("/create", Create).WithName("ImageCreate")
            .Produces<ImageCreateProgress>(200, "application/json").Produces<ErrorResponse>(400).Produces<ErrorResponse>(500);
        // Image names contain slashes, and a catch-all must end the template, so "/json" is checked by the handler.
        g.MapGet("/{**name}", Inspect).WithName("ImageInspect")
            .Produces<ErrorResponse>(404).Produces<ErrorResponse>(500);
        return app;
    }

    /// <summary>POST /images/create?fromImage=&amp;tag=: one progress line, nothing fetched.</summary>
    public static async Task Create(HttpContext ctx, string? fromImage = null, string? tag = null)
    {
        if (string.IsNullOrEmpty(fromImage)) throw NetPortalException.InvalidParameter("NetPortal does not import images: fromImage is required");
        var reference = string.IsNullOrEmpty(tag) ? fromImage : $"{fromImage}:{tag}";
        ctx.Response.ContentType = "application/json";
        var line = new ImageCreateProgress($"Status: Image is up to date for {reference}");
        await ctx.Response.WriteAsync(JsonSerializer.Serialize(line, DockerJson.Options) + "\n", ctx.RequestAborted);
    }

    /// <summary>GET /images/{name}/json</summary>
    public static Ok<ImageInspectResponse> Inspect(HttpContext ctx, string name)
    {
        if (!name.EndsWith("/json", StringComparison.Ordinal) || name.Length == "/json".Length)
            throw NetPortalException.NotFound("page not found");
        var image = name[..^"/json".Length];
        var containers = ctx.RequestServices.GetService<ContainerService>();
        var known = containers?.List(all: true, FilterArgs.Empty).Select(c => c.Spec.Image).FirstOrDefault(i => SameImage(i, image))
            ?? throw NetPortalException.NotFound($"No such image: {image}");
        return TypedResults.Ok(new ImageInspectResponse { Id = ContainerMapping.ImageId(known), RepoTags = [Normalize(known)] });
    }

    private static bool SameImage(string a, string b) => a == b || Normalize(a) == Normalize(b);

    /// <summary>Docker's familiar form: docker.io/ and library/ dropped, ":latest" added when there is no tag or digest.</summary>
    public static string Normalize(string reference)
    {
        var r = reference;
        if (r.StartsWith("docker.io/", StringComparison.Ordinal)) r = r["docker.io/".Length..];
        if (r.StartsWith("library/", StringComparison.Ordinal)) r = r["library/".Length..];
        var lastSegment = r[(r.LastIndexOf('/') + 1)..];
        return lastSegment.Contains(':') || r.Contains('@') ? r : r + ":latest";
    }
}
