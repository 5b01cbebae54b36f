using System.Text.Json.Serialization;

namespace NetPortal.Core.Insight;

/// <summary>A chain with its policy ("-" for user chains) and rules in order; Hook is the nftables base-chain hook.</summary>
public sealed record FirewallChain(string Name, string Policy, IReadOnlyList<FirewallRule> Rules)
{
    [JsonIgnore]
    public string? Hook { get; init; }

    /// <summary>The nftables base-chain type (filter, nat, route).</summary>
    [JsonIgnore]
    public string? Type { get; init; }

    /// <summary>Built-in (iptables) or base (nftables) chains have a policy.</summary>
    [JsonIgnore]
    public bool IsBuiltin => Policy != "-";
}
