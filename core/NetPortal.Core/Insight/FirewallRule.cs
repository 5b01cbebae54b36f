using System.Text.Json.Serialization;

namespace NetPortal.Core.Insight;

/// <summary>One rule of a chain as the kernel reports it, with its counters and (once classified) its owner.</summary>
/// <param name="Position">1-based position in its chain.</param>
/// <param name="Text">The whole line, e.g. "-A FORWARD -j DOCKER-USER".</param>
/// <param name="Spec">The rule without "-A CHAIN" (what the matcher reads).</param>
public sealed record FirewallRule(int Position, string Text, [property: JsonIgnore] string Spec, ulong Packets, ulong Bytes)
{
    public RuleOwner Owner { get; init; } = RuleOwner.Unknown;

    /// <summary>Rules of the user (DOCKER-USER and anything NetPortal does not own).</summary>
    public bool User => Owner.Kind == RuleOwner.UserKind;
}
