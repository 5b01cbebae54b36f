namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>The whole layout of NetPortal's table in one family: its sets and chains, without elements.</summary>
internal sealed record NftTable(NftFamily Family, string Name, IReadOnlyList<NftSet> Sets, IReadOnlyList<NftChain> Chains)
{
    public string Qualified => $"{Family.Name} {Name}";

    public NftSet Set(string name) => Sets.First(s => s.Name == name);
}
