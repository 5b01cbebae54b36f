namespace NetPortal.Linux.Firewall;

/// <summary>How dockerd places a rule: -I puts it at the top of the chain, -A at the bottom, -D removes it.</summary>
internal enum IptablesAction
{
    Insert,
    Append,
    Delete,
}
