namespace NetPortal.Data.Tests;

/// <summary>The store opened in memory or on a file in a temp data root; the contract tests run against both.</summary>
internal sealed class StoreUnderTest : IDisposable
{
    public const string Memory = "memory";
    public const string File = "file";

    private StoreUnderTest(SqliteNetworkStore store, TempDataRoot? root)
    {
        Store = store;
        Root = root;
    }

    public SqliteNetworkStore Store { get; }

    public TempDataRoot? Root { get; }

    public static StoreUnderTest Open(string mode)
    {
        if (mode == Memory)
        {
            return new StoreUnderTest(NetPortalData.OpenInMemory(), null);
        }
        var root = new TempDataRoot();
        return new StoreUnderTest(NetPortalData.Open(root.Path), root);
    }

    public void Dispose()
    {
        Store.Dispose();
        Root?.Dispose();
    }
}
