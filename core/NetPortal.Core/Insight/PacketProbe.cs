using System.Net;

namespace NetPortal.Core.Insight;

/// <summary>A hypothetical first packet of a connection (conntrack state NEW) as the explainer walks it through the chains.</summary>
/// <param name="In">Input interface, or null for packets the namespace itself sends.</param>
/// <param name="Out">Output interface, or null before routing (PREROUTING) or for local delivery.</param>
/// <param name="Protocol">tcp/udp, or null for "any protocol" (rules naming one are then not taken).</param>
/// <param name="DstLocal">The destination is an address of the managed namespace (addrtype LOCAL).</param>
public sealed record PacketProbe(string? In, string? Out, IPAddress? Source, IPAddress? Destination, string? Protocol, int? DestinationPort, bool DstLocal, bool SrcLocal);
