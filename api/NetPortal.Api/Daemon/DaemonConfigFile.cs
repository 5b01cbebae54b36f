using System.Globalization;
using System.Text.Json;
using NetPortal.Core.Daemon;
using NetPortal.Core.Ipam;

namespace NetPortal.Api.Daemon;

/// <summary>The daemon.json-like config file. Unknown keys and bad values stop the daemon, as dockerd does.</summary>
public sealed record DaemonConfigFile(DaemonOptions Options, IReadOnlyList<string>? Hosts, string? Netns, string? DataRoot, string? LogLevel, string? FirewallBackend)
{
    public static readonly DaemonConfigFile Empty = new(new DaemonOptions(), null, null, null, null, null);

    /// <summary>"userland-proxy": false = hairpin NAT instead of the in-process proxy; null when the file leaves it out.</summary>
    public bool? UserlandProxy { get; init; }

    /// <summary>"tokens": {"read": "…", "admin": "…"} for clients that are not on loopback or the unix socket.</summary>
    public DashboardTokens? Tokens { get; init; }

    private static readonly string[] Known =
        ["default-address-pools", "bip", "mtu", "iptables", "ip-masq", "ip-forward", "hosts", "netns", "data-root", "log-level", "debug", "firewall-backend", "userland-proxy", "tokens", "ipv6", "fixed-cidr-v6", "ip6tables"];

    public static DaemonConfigFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Fail(path, e.Message);
        }
        return Parse(text, path);
    }

    public static DaemonConfigFile Parse(string text, string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw Fail(path, "invalid JSON: " + e.Message);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Fail(path, "the file must hold a JSON object");
            var unknown = root.EnumerateObject().Select(p => p.Name).Where(n => Array.IndexOf(Known, n) < 0).ToList();
            if (unknown.Count > 0)
                throw Fail(path, "the following directives don't match any configuration option: " + string.Join(", ", unknown));

            var o = new DaemonOptions();
            IReadOnlyList<string>? hosts = null;
            string? netns = null, dataRoot = null, logLevel = null, firewall = null;
            bool? userlandProxy = null;
            DashboardTokens? tokens = null;
            foreach (var p in root.EnumerateObject())
            {
                var v = p.Value;
                switch (p.Name)
                {
                    case "default-address-pools": o = o with { DefaultAddressPools = Pools(v, path) }; break;
                    case "bip":
                        var bip = String(v, p.Name, path);
                        if (!Cidr.TryParse(bip, out var c, out _) || c.IsIPv6) throw Fail(path, $"invalid bip \"{bip}\": expected an IPv4 address with prefix, e.g. 172.17.0.1/16");
                        o = o with { Bip = bip };
                        break;
                    case "mtu":
                        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var mtu) || mtu < 68 || mtu > 65535)
                            throw Fail(path, $"invalid mtu {v.GetRawText()}: expected an integer between 68 and 65535");
                        o = o with { Mtu = mtu };
                        break;
                    case "iptables": o = o with { Iptables = Bool(v, p.Name, path) }; break;
                    case "ip-masq": o = o with { IpMasq = Bool(v, p.Name, path) }; break;
                    case "ip-forward": o = o with { IpForward = Bool(v, p.Name, path) }; break;
                    case "ipv6": o = o with { Ipv6 = Bool(v, p.Name, path) }; break;
                    case "ip6tables": o = o with { Ip6tables = Bool(v, p.Name, path) }; break;
                    case "fixed-cidr-v6":
                        var v6 = String(v, p.Name, path);
                        if (!Cidr.TryParse(v6, out var c6, out var hostBits6) || !c6.IsIPv6 || hostBits6)
                            throw Fail(path, $"invalid fixed-cidr-v6 \"{v6}\": expected an IPv6 subnet, e.g. fd00:1::/64");
                        o = o with { FixedCidrV6 = v6 };
                        break;
                    case "hosts":
                        if (v.ValueKind != JsonValueKind.Array) throw Fail(path, "hosts must be an array of strings");
                        hosts = v.EnumerateArray().Select(h => String(h, "hosts", path)).ToList();
                        foreach (var h in hosts) ListenAddress.Parse(h);
                        break;
                    case "netns": netns = String(v, p.Name, path); break;
                    case "data-root": dataRoot = String(v, p.Name, path); break;
                    case "log-level": logLevel = String(v, p.Name, path); break;
                    case "debug": if (Bool(v, p.Name, path)) logLevel = "debug"; break;
                    case "firewall-backend": firewall = String(v, p.Name, path); break;
                    case "userland-proxy": userlandProxy = Bool(v, p.Name, path); break;
                    case "tokens": tokens = ParseTokens(v, path); break;
                }
            }
            return new DaemonConfigFile(o, hosts, netns, dataRoot, logLevel, firewall) { UserlandProxy = userlandProxy, Tokens = tokens };
        }
    }

    private static List<AddressPoolOption> Pools(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Array) throw Fail(path, "default-address-pools must be an array of {\"base\": CIDR, \"size\": N}");
        var list = new List<AddressPoolOption>();
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object) throw Fail(path, "default-address-pools entries must be objects");
            string? b = null;
            int? size = null;
            foreach (var f in e.EnumerateObject())
            {
                if (f.Name.Equals("base", StringComparison.OrdinalIgnoreCase)) b = String(f.Value, "base", path);
                else if (f.Name.Equals("size", StringComparison.OrdinalIgnoreCase) && f.Value.TryGetInt32(out var s)) size = s;
                else throw Fail(path, $"default-address-pools: unknown field \"{f.Name}\"");
            }
            if (b is null || size is null) throw Fail(path, "default-address-pools entries need both base and size");
            if (!Cidr.TryParse(b, out var cidr, out var hostBits) || hostBits)
                throw Fail(path, $"default-address-pools: invalid base {b}");
            if (size < cidr.PrefixLength || size > cidr.Bits)
                throw Fail(path, $"default-address-pools: invalid size {size.Value.ToString(CultureInfo.InvariantCulture)} for base {b}");
            list.Add(new AddressPoolOption(b, size.Value));
        }
        return list;
    }

    private static DashboardTokens ParseTokens(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Object) throw Fail(path, "tokens must be an object {\"read\": \"…\", \"admin\": \"…\"}");
        string? read = null, admin = null;
        foreach (var f in v.EnumerateObject())
        {
            var token = String(f.Value, "tokens." + f.Name, path);
            if (token.Length < 16) throw Fail(path, $"tokens.{f.Name} must be at least 16 characters");
            if (f.Name == "read") read = token;
            else if (f.Name == "admin") admin = token;
            else throw Fail(path, $"tokens: unknown field \"{f.Name}\"");
        }
        return new DashboardTokens(read, admin);
    }

    private static string String(JsonElement v, string name, string path) =>
        v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Fail(path, $"{name} must be a string");

    private static bool Bool(JsonElement v, string name, string path) =>
        v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Fail(path, $"{name} must be true or false");

    private static DaemonStartupException Fail(string path, string why) =>
        new($"unable to configure the NetPortal daemon with file {path}: {why}");
}
