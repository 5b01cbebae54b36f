using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using NetPortal.Api.Http;

namespace NetPortal.Api.Daemon;

/// <summary>Kestrel listeners for the -H addresses, with dockerd's unix socket handling and the hijack fix on every one.</summary>
public static class Listeners
{
    public static void Configure(KestrelServerOptions k, DaemonSettings settings)
    {
        k.AddServerHeader = false;
        foreach (var host in settings.Hosts)
        {
            var a = ListenAddress.Parse(host);
            if (a.SocketPath is { } path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                RemoveStaleSocket(path);
                k.ListenUnixSocket(path, lo => lo.Use(UpgradeBodyFix.Middleware));
            }
            else
            {
                k.Listen(a.Tcp!, lo => lo.Use(UpgradeBodyFix.Middleware));
            }
        }
    }

    /// <summary>Socket files are created 0660 like dockerd's, once Kestrel has bound them.</summary>
    public static void RestrictSocketModes(DaemonSettings settings)
    {
        foreach (var host in settings.Hosts)
            if (ListenAddress.Parse(host).SocketPath is { } path && File.Exists(path))
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
    }

    /// <summary>
    /// A socket file left by a killed daemon blocks bind. Deleting it blindly would steal the path from a live
    /// daemon, so only a file nobody answers on is removed.
    /// </summary>
    private static void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path)) return;
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            s.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path);
            return;
        }
        throw new DaemonStartupException($"another daemon is already listening on {path}");
    }
}
