namespace NetPortal.Api.Daemon;

/// <summary>dockerd-style flags: -H/--host (repeatable), --netns, --data-root, --config, --log-level, --iptables, --firewall-backend.</summary>
public static class DaemonArgs
{
    /// <summary>Parses our flags; arguments of the form --key=value that are not ours go to ASP.NET's configuration.</summary>
    public static (DaemonSettings Settings, string[] PassThrough) Parse(string[] args)
    {
        var hosts = new List<string>();
        string? netns = null, dataRoot = null, execRoot = null, config = null, logLevel = null, firewall = null;
        bool? iptables = null, userlandProxy = null;
        var pass = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string? inline = null;
            var eq = a.IndexOf('=');
            var name = a;
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) { name = a[..eq]; inline = a[(eq + 1)..]; }
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new DaemonStartupException($"flag needs an argument: {name}"));
            switch (name)
            {
                case "-H" or "--host": hosts.Add(Value()); break;
                case "--netns": netns = Value(); break;
                case "--data-root": dataRoot = Value(); break;
                case "--exec-root": execRoot = Value(); break;
                case "--config" or "--config-file": config = Value(); break;
                case "--log-level" or "-l": logLevel = Value(); break;
                case "--firewall-backend": firewall = Value(); break;
                case "--iptables":
                    var v = inline ?? "true";
                    if (!Core.Filters.GoBool.TryParse(v, out var b)) throw new DaemonStartupException($"invalid boolean value \"{v}\" for --iptables");
                    iptables = b;
                    break;
                case "--userland-proxy":
                    var up = inline ?? "true";
                    if (!Core.Filters.GoBool.TryParse(up, out var upb)) throw new DaemonStartupException($"invalid boolean value \"{up}\" for --userland-proxy");
                    userlandProxy = upb;
                    break;
                case "-D" or "--debug": logLevel = "debug"; break;
                case "-h" or "--help": throw new DaemonStartupException(Usage);
                default:
                    if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) { pass.Add(a); break; }
                    throw new DaemonStartupException($"unknown flag: {a}\n{Usage}");
            }
        }

        var file = config is not null ? DaemonConfigFile.Load(config) : DaemonConfigFile.Empty;
        var options = file.Options;
        if (iptables is { } ipt) options = options with { Iptables = ipt };
        logLevel ??= file.LogLevel ?? "info";
        if (logLevel is not ("debug" or "info" or "warn" or "error" or "fatal"))
            throw new DaemonStartupException($"unable to parse logging level: {logLevel}");
        firewall ??= file.FirewallBackend ?? "iptables";
        if (firewall is not ("iptables" or "nftables"))
            throw new DaemonStartupException($"invalid firewall-backend \"{firewall}\": this daemon supports \"iptables\" and \"nftables\"");
        if (!options.Iptables) firewall = "none";

        foreach (var h in hosts) ListenAddress.Parse(h);
        return (new DaemonSettings
        {
            Hosts = hosts.Count > 0 ? hosts : file.Hosts ?? [DaemonSettings.DefaultSocket],
            Netns = netns ?? file.Netns,
            DataRoot = Path.GetFullPath(dataRoot ?? file.DataRoot ?? "/var/lib/netportal"),
            ExecRoot = Path.GetFullPath(execRoot ?? "/run/netportal"),
            ConfigFile = config,
            LogLevel = logLevel,
            FirewallBackend = firewall,
            UserlandProxy = userlandProxy ?? file.UserlandProxy ?? true,
            Options = options,
        }, pass.ToArray());
    }

    public const string Usage = """
        Usage: netportald [OPTIONS]

          -H, --host list            Daemon socket(s) to listen on: unix:///path or tcp://127.0.0.1:PORT
                                     (default unix:///run/netportal/netportal.sock)
              --netns NAME|PATH      Network namespace to manage (a name is created under /var/run/netns if missing)
              --data-root DIR        Directory of the SQLite store (default /var/lib/netportal)
              --exec-root DIR        Runtime state: sandbox namespaces and files (default /run/netportal)
              --config FILE          daemon.json-like settings
              --log-level LEVEL      debug, info, warn, error, fatal (default info)
              --iptables=false       Do not write firewall rules
              --firewall-backend B   iptables (default) or nftables
              --userland-proxy=false Hairpin NAT instead of the in-process userland proxy
        """;
}
