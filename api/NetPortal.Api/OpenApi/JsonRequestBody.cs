using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NetPortal.Api.OpenApi;

/// <summary>
/// Endpoint metadata describing a JSON request body the handler reads itself. Unlike Accepts&lt;T&gt;() it adds no
/// IAcceptsMetadata, so routing never answers 415: a wrong Content-Type reaches the handler, which gives Docker's 400.
/// </summary>
public sealed record JsonRequestBody(Type Type);

/// <summary>Documents <see cref="JsonRequestBody"/> as an optional application/json body.</summary>
public sealed class JsonRequestBodyFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var body = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<JsonRequestBody>().LastOrDefault();
        if (body is null) return;
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = false,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(body.Type, context.SchemaRepository) },
            },
        };
    }
}
