namespace NetPortal.Core.Daemon;

/// <summary>daemon.json-like settings that shape networks (the rest of the daemon's flags live in the API host).</summary>
public sealed record DaemonOptions
{
    /// <summary>Local default address pools; null means Docker's built-in list.</summary>
    public IReadOnlyList<AddressPoolOption>? DefaultAddressPools { get; init; }
    /// <summary>Gateway address with prefix of the default bridge, e.g. 172.17.0.1/16.</summary>
    public string? Bip { get; init; }
    public int Mtu { get; init; } = 1500;
    public bool Iptables { get; init; } = true;
    public bool IpMasq { get; init; } = true;
    public bool IpForward { get; init; } = true;
    /// <summary>IPv6 on the default bridge (daemon.json "ipv6"), with <see cref="FixedCidrV6"/> as its subnet.</summary>
    public bool Ipv6 { get; init; }
    public string? FixedCidrV6 { get; init; }
    /// <summary>ip6tables rules (and IPv6 masquerade) for IPv6 networks; on by default as Docker 27+.</summary>
    public bool Ip6tables { get; init; } = true;
    /// <summary>Name of the default bridge device.</summary>
    public string DefaultBridgeName { get; init; } = "docker0";
}

/// <summary>One default-address-pools entry: split <see cref="Base"/> into subnets of /<see cref="Size"/>.</summary>
public sealed record AddressPoolOption(string Base, int Size);
