namespace NetPortal.Linux.Firewall;

/// <summary>
/// One planned change with the 0-based position in its chain where it happened in the model: where a rule was
/// inserted or appended, or which copy was deleted. Replayed against the kernel's rule handles, it says which
/// rule to put a new one after and which handle to delete.
/// </summary>
internal readonly record struct IptablesOp(IptablesOpKind Kind, IptablesRule Rule, int Index);
