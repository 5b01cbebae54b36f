namespace NetPortal.Linux.Sandboxes;

/// <summary>Reads /proc/PID/stat (proc(5)): the start time (field 22, clock ticks since boot) tells a PID's incarnations apart.</summary>
internal static class ProcStat
{
    /// <summary>Start time and state letter, or null when the PID does not exist.</summary>
    public static (ulong StartTime, char State)? Read(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException) { return null; }
        // Field 2 (comm) is in parentheses and may itself contain spaces and ')': parse after the LAST ')'.
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        if (fields.Length < 20 || !ulong.TryParse(fields[19], out var start)) return null;
        return (start, fields[0][0]);
    }

    /// <summary>Same process (not a reused PID) and not a zombie: a zombie has exited but waits for its parent to reap it.</summary>
    public static bool IsAlive(int pid, ulong startTime) =>
        Read(pid) is { } s && s.StartTime == startTime && s.State is not ('Z' or 'X');
}
