namespace NetPortal.Linux.Dns;

/// <summary>
/// The nat rules dockerd 20.10 (iptables backend) writes inside a container's namespace so that 127.0.0.11:53 reaches
/// the resolver's random ports; checked with iptables-save on the reference daemon. The listeners are not on :53
/// itself so that the container can still bind its own port 53.
/// </summary>
internal static class ResolverNat
{
    public const string Address = "127.0.0.11";

    private const string OutputJump = "-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT";
    private const string PostroutingJump = "-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING";

    /// <summary>
    /// One iptables-restore --noflush batch. Declaring the two chains flushes them (so a re-attach replaces stale ports);
    /// the jumps from OUTPUT/POSTROUTING are added only when <paramref name="natTable"/> (iptables-save -t nat) lacks them.
    /// </summary>
    public static string Install(int tcpPort, int udpPort, string natTable)
    {
        var lines = new List<string> { "*nat", ":DOCKER_OUTPUT - [0:0]", ":DOCKER_POSTROUTING - [0:0]" };
        var existing = natTable.Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        if (!existing.Contains(OutputJump)) lines.Add(OutputJump);
        if (!existing.Contains(PostroutingJump)) lines.Add(PostroutingJump);
        lines.Add($"-A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:{tcpPort}");
        lines.Add($"-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:{udpPort}");
        lines.Add($"-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport {tcpPort} -j SNAT --to-source :53");
        lines.Add($"-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport {udpPort} -j SNAT --to-source :53");
        lines.Add("COMMIT");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Removes what <see cref="Install"/> added, for a namespace that outlives the sandbox (a shared one).</summary>
    public static string Remove(string natTable)
    {
        var existing = natTable.Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        if (!existing.Any(l => l.StartsWith(":DOCKER_OUTPUT ", StringComparison.Ordinal))) return "";
        var lines = new List<string> { "*nat" };
        if (existing.Contains(OutputJump)) lines.Add("-D" + OutputJump[2..]);
        if (existing.Contains(PostroutingJump)) lines.Add("-D" + PostroutingJump[2..]);
        lines.Add("-F DOCKER_OUTPUT");
        lines.Add("-X DOCKER_OUTPUT");
        if (existing.Any(l => l.StartsWith(":DOCKER_POSTROUTING ", StringComparison.Ordinal)))
        {
            lines.Add("-F DOCKER_POSTROUTING");
            lines.Add("-X DOCKER_POSTROUTING");
        }
        lines.Add("COMMIT");
        return string.Join('\n', lines) + "\n";
    }
}
