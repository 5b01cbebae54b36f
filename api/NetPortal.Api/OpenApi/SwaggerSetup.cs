using NetPortal.Api.Http;

namespace NetPortal.Api.OpenApi;

/// <summary>Swashbuckle document at /swagger/v1/swagger.json and the UI at /swagger.</summary>
public static class SwaggerSetup
{
    public static IServiceCollection AddNetPortalSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new() { Title = "NetPortal Engine API (Docker-compatible)", Version = ApiVersions.Max });
            o.CustomSchemaIds(t => t.Name);
            o.SupportNonNullableReferenceTypes();
            o.OperationFilter<JsonRequestBodyFilter>();
        });
        return services;
    }

    public static WebApplication UseNetPortalSwagger(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o => o.RoutePrefix = "swagger");
        return app;
    }
}
