using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using NetPortal.Web.Hosting;
using NetPortal.Web.Services;

namespace NetPortal.Web.Tests.Fakes;

/// <summary>A bUnit context with MudBlazor, the fake client and event feed, and an interactive server renderer.</summary>
public sealed class DashboardContext : BunitContext
{
    public FakeApiClient Api { get; } = new();
    public FakeEventFeed Events { get; } = new();

    // bUnit's 1 s default is too short when CI runs every test project at once on two cores; waits still end
    // as soon as the assertion passes.
    static DashboardContext() => DefaultWaitTimeout = TimeSpan.FromSeconds(15);

    public DashboardContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        // The diagram canvas measures itself through JS; a null answer would crash it.
        JSInterop.Setup<Blazor.Diagrams.Core.Geometry.Rectangle>("ZBlazorDiagrams.getBoundingClientRect", _ => true)
            .SetResult(new Blazor.Diagrams.Core.Geometry.Rectangle(0, 0, 1000, 560));
        Services.AddMudServices();
        Services.AddSingleton<INetPortalApiClient>(Api);
        Services.AddSingleton<IEventFeed>(Events);
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Renders a page as Routes would: with the signed-in role cascaded.</summary>
    public IRenderedComponent<TPage> RenderPage<TPage>(bool canWrite = true, Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null) where TPage : IComponent =>
        Render<TPage>(p =>
        {
            p.AddCascadingValue(new DashboardAccess(canWrite));
            parameters?.Invoke(p);
        });
}
