namespace NetPortal.Linux.Firewall;

internal enum IptablesOpKind
{
    NewChain,
    Insert,
    Append,
    Delete,
}
