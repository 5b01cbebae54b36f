namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>
/// One element of a set or map, in nft's text form (<c>10.1.1.0/24 . "br-1"</c>). Elements made from a spec and
/// elements read back from <c>nft -j</c> are spelled the same way, so they compare as strings.
/// </summary>
/// <param name="Set">Set or map name.</param>
/// <param name="Key">Key text.</param>
/// <param name="Data">Map data text, null for sets.</param>
internal sealed record NftElement(string Set, string Key, string? Data = null)
{
    public string Render() => Data is null ? Key : $"{Key} : {Data}";
}
