namespace NetPortal.Linux.Firewall.Nftables;

/// <summary>
/// One rule of a NetPortal chain. The comment names the rule: reading the table back, the sequence of comments
/// per chain tells whether the chain still holds exactly our rules (nft prints rule bodies differently across
/// versions, comments it keeps verbatim). A rule whose body changes must get a new comment.
/// </summary>
internal sealed record NftRule(string Body, string Comment)
{
    public string Render() => $"{Body} comment \"{Comment}\"";
}
