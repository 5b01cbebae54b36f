using System.Globalization;

namespace NetPortal.Core.Insight;

/// <summary>What the explainer is asked about: a container, a published port of the managed namespace, or the outside.</summary>
/// <param name="Kind">container, host or outside.</param>
/// <param name="Container">The term naming the container (Kind container).</param>
/// <param name="Port">The host port (Kind host).</param>
public sealed record ReachabilityTarget(string Kind, string Container, int Port, string Protocol)
{
    public const string ContainerKind = "container";
    public const string HostKind = "host";
    public const string OutsideKind = "outside";

    /// <summary>Reads the query's to=: "outside", "host:8080" (or "host:8080/udp"), anything else a container; null when malformed.</summary>
    public static ReachabilityTarget? Parse(string text)
    {
        if (text == OutsideKind) return new(OutsideKind, "", 0, "");
        if (!text.StartsWith("host:", StringComparison.Ordinal)) return text.Length == 0 ? null : new(ContainerKind, text, 0, "");
        var rest = text[5..];
        var protocol = "tcp";
        var slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            protocol = rest[(slash + 1)..];
            rest = rest[..slash];
        }
        if (protocol is not ("tcp" or "udp" or "sctp")) return null;
        return int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? new(HostKind, "", port, protocol)
            : null;
    }
}
