using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Components;
using NetPortal.Web.Services.Models;

namespace NetPortal.Web.Components.Ipam;

/// <summary>One subnet: usage bar, address map (IPv4 up to /22) and the allocation table.</summary>
public sealed partial class SubnetCard
{
    private const int MaxMapCells = 1024;

    [Parameter, EditorRequired] public required IpamSubnet Subnet { get; set; }

    private double Percent =>
        decimal.TryParse(Subnet.Size, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size > 0
        && decimal.TryParse(Subnet.InUse, NumberStyles.Integer, CultureInfo.InvariantCulture, out var used)
            ? (double)(used * 100m / size)
            : 0;

    internal sealed record Cell(string Kind, string Title);

    /// <summary>One cell per address, or null when the subnet is IPv6 or too large to draw.</summary>
    internal IReadOnlyList<Cell>? Map
    {
        get
        {
            var slash = Subnet.Subnet.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !IPAddress.TryParse(Subnet.Subnet[..slash], out var network) || network.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return null;
            if (!int.TryParse(Subnet.Subnet[(slash + 1)..], CultureInfo.InvariantCulture, out var prefix) || prefix < 22 || prefix > 32) return null;
            var count = 1 << (32 - prefix);
            if (count > MaxMapCells) return null;
            var first = ToUInt(network);
            var used = (Subnet.Allocations ?? []).ToDictionary(a => a.Address, a => a.ContainerName ?? a.ContainerId ?? "endpoint", StringComparer.Ordinal);
            var reserved = (Subnet.Reserved ?? []).GroupBy(r => r.Address, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Reason, StringComparer.Ordinal);
            var conflicts = (Subnet.Conflicts ?? []).Select(c => ParseCidr(c.Prefix)).Where(c => c is not null).Select(c => c!.Value).ToList();
            var cells = new List<Cell>(count);
            for (var i = 0; i < count; i++)
            {
                var value = first + (uint)i;
                var text = ToAddress(value);
                if (used.TryGetValue(text, out var who)) cells.Add(new Cell("used", $"{text} — {who}"));
                else if (reserved.TryGetValue(text, out var why)) cells.Add(new Cell("reserved", $"{text} — {why}"));
                else if (conflicts.Any(c => (value & c.Mask) == c.Net)) cells.Add(new Cell("conflict", $"{text} — overlaps a foreign route or address"));
                else cells.Add(new Cell("free", text));
            }
            return cells;
        }
    }

    private static (uint Net, uint Mask)? ParseCidr(string cidr)
    {
        var parts = cidr.Split('/');
        if (!IPAddress.TryParse(parts[0], out var a) || a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return null;
        var bits = parts.Length > 1 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var p) ? p : 32;
        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        return (ToUInt(a) & mask, mask);
    }

    private static uint ToUInt(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private static string ToAddress(uint v) => new IPAddress([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]).ToString();
}
