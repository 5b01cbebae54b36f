namespace NetPortal.Core.Networks;

/// <summary>Names and drivers Docker reserves on Linux.</summary>
public static class PredefinedNetworks
{
    public const string Bridge = "bridge";
    public const string Host = "host";
    public const string None = "none";
    /// <summary>Docker treats "default" as the platform's default network (bridge on Linux).</summary>
    public const string Default = "default";

    public static bool IsPredefinedName(string name) =>
        name is Bridge or Host or None or Default;

    internal static bool IsPredefinedDriver(string name, string driver) => name switch
    {
        Bridge or Default => driver == "bridge",
        Host => driver == "host",
        None => driver == "null",
        _ => false,
    };
}
