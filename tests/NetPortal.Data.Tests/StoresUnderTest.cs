namespace NetPortal.Data.Tests;

/// <summary>Both stores from one OpenStores / OpenInMemoryStores call, in memory or on a file in a temp data root.</summary>
internal sealed class StoresUnderTest : IDisposable
{
    private StoresUnderTest(SqliteNetworkStore networks, SqliteContainerStore containers, TempDataRoot? root)
    {
        Networks = networks;
        Containers = containers;
        Root = root;
    }

    public SqliteNetworkStore Networks { get; }

    public SqliteContainerStore Containers { get; }

    public TempDataRoot? Root { get; }

    public static StoresUnderTest Open(string mode)
    {
        if (mode == StoreUnderTest.Memory)
        {
            var (networks, containers) = NetPortalData.OpenInMemoryStores();
            return new StoresUnderTest(networks, containers, null);
        }
        var root = new TempDataRoot();
        var stores = NetPortalData.OpenStores(root.Path);
        return new StoresUnderTest(stores.Networks, stores.Containers, root);
    }

    public void Dispose()
    {
        Containers.Dispose();
        Networks.Dispose();
        Root?.Dispose();
    }
}
