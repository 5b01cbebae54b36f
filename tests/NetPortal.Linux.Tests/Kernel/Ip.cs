using System.Diagnostics;
using System.Text.Json;

namespace NetPortal.Linux.Tests.Kernel;

/// <summary>Runs iproute2 to verify results independently of our own netlink code (tests only).</summary>
internal static class Ip
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o.Result, e);
    }

    public static string Must(params string[] args)
    {
        var (code, o, e) = Run(args);
        if (code != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)}: {e}");
        return o;
    }

    /// <summary>`ip -n NS -j -d link show`, as JSON elements.</summary>
    public static List<JsonElement> Links(string? ns) => Json(ns, "-d", "link", "show");

    public static List<JsonElement> Addresses(string? ns) => Json(ns, "addr", "show");

    public static JsonElement? Link(string? ns, string name) =>
        Links(ns).Cast<JsonElement?>().FirstOrDefault(l => l!.Value.GetProperty("ifname").GetString() == name);

    private static List<JsonElement> Json(string? ns, params string[] args)
    {
        var all = new List<string>();
        if (ns is not null) all.AddRange(["-n", ns]);
        all.Add("-j");
        all.AddRange(args);
        var text = Must([.. all]);
        if (string.IsNullOrWhiteSpace(text)) return [];
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
