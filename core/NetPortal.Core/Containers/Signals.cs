using NetPortal.Core.Errors;

namespace NetPortal.Core.Containers;

/// <summary>Linux signal names and numbers as Docker parses them ("SIGTERM", "TERM", "15").</summary>
public static class Signals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
        "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    public static int Parse(string? text, int fallback)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (int.TryParse(text, out var n))
        {
            if (n is > 0 and <= 64) return n;
        }
        else
        {
            var name = text.ToUpperInvariant();
            if (name.StartsWith("SIG", StringComparison.Ordinal)) name = name[3..];
            var i = Array.IndexOf(Names, name);
            if (i > 0) return i;
        }
        throw NetPortalException.InvalidParameter($"Invalid signal: {text}");
    }
}
