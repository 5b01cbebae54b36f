using NetPortal.Core.Networks;

namespace NetPortal.Core.Drivers;

/// <summary>host and null: networks without kernel objects or pools; Docker allows one instance of each.</summary>
public sealed class NamespaceOnlyDriver(string name) : INetworkDriver
{
    public static NamespaceOnlyDriver Host() => new("host");
    public static NamespaceOnlyDriver Null() => new("null");

    public string Name { get; } = name;
    public bool NeedsIpam => false;

    public void Validate(Network network, IReadOnlyCollection<Network> existing)
    {
        if (existing.Any(n => n.Driver == Name))
            throw Errors.NetPortalException.Forbidden($"only one instance of \"{Name}\" network is allowed");
    }

    public void Setup(Network network) { }
    public void Teardown(Network network) { }
    public IReadOnlyList<string> Restore(Network network) => [];
    public IReadOnlyList<string> RemoveOrphans(IReadOnlyCollection<Network> known) => [];
}
