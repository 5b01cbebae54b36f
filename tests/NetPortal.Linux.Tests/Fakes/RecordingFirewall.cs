using NetPortal.Core.Drivers;

namespace NetPortal.Linux.Tests.Fakes;

/// <summary>Records calls; <see cref="FailAdd"/>/<see cref="FailRemove"/> make those calls throw.</summary>
public sealed class RecordingFirewall : IFirewall
{
    public string Name => "recording";
    public List<string> Calls { get; } = [];
    public List<NetworkFirewallSpec> Added { get; } = [];
    public bool FailAdd { get; set; }
    public bool FailRemove { get; set; }

    public void Initialize() => Calls.Add("init");

    public void AddNetwork(NetworkFirewallSpec network)
    {
        Calls.Add($"add {network.BridgeName}");
        if (FailAdd) throw new InvalidOperationException("iptables-restore failed");
        Added.Add(network);
    }

    public void RemoveNetwork(NetworkFirewallSpec network)
    {
        Calls.Add($"remove {network.BridgeName}");
        if (FailRemove) throw new InvalidOperationException("iptables-restore remove failed");
        Added.RemoveAll(s => s.NetworkId == network.NetworkId);
    }

    public IReadOnlyList<string> Reconcile(IReadOnlyCollection<NetworkFirewallSpec> networks) => [];
}
