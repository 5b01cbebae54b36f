namespace NetPortal.Kernel.Tests;

/// <summary>A host program the daemon starts is missing: it stops at once with one line naming it and its package.</summary>
public sealed class HostProgramsTests
{
    [Fact]
    public async Task MissingIptablesStopsTheDaemonWithOneLineAndTouchesNothing()
    {
        // A PATH holding only dotnet's own folder: iptables-save/-restore are nowhere on it.
        var dotnetDir = Path.GetDirectoryName(Shell.Run("sh", ["-c", "readlink -f \"$(command -v dotnet)\""]).Ok().StdOut.Trim())!;
        var d = new DaemonProcess { Environment = new Dictionary<string, string> { ["PATH"] = dotnetDir } };
        try
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(d.StartAsync);
            Assert.Contains("daemon exited with 1", e.Message);
            var lines = d.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var line = Assert.Single(lines);
            Assert.Contains("iptables-restore (iptables)", line);
            Assert.Contains("apt-get install iptables", line);
            Assert.DoesNotContain(" at ", line);
            // Checked before the managed namespace is created: nothing of the daemon's exists in the kernel.
            Assert.DoesNotContain(d.Netns, Shell.Run("ip", ["netns", "list"]).Ok().StdOut);
        }
        finally
        {
            await d.DisposeAsync();
        }
    }

    [Fact]
    public async Task NftablesBackendNeedsNft()
    {
        // iptables-save and -restore are there (the embedded DNS needs them), nft is not.
        var bin = Directory.CreateTempSubdirectory("npk-bin-").FullName;
        try
        {
            var dotnetDir = Path.GetDirectoryName(Shell.Run("sh", ["-c", "readlink -f \"$(command -v dotnet)\""]).Ok().StdOut.Trim())!;
            foreach (var p in new[] { "iptables-save", "iptables-restore" })
                File.CreateSymbolicLink(Path.Combine(bin, p), Shell.Run("sh", ["-c", "command -v " + p]).Ok().StdOut.Trim());
            var d = new DaemonProcess
            {
                ExtraArgs = ["--firewall-backend", "nftables"],
                Environment = new Dictionary<string, string> { ["PATH"] = dotnetDir + ":" + bin },
            };
            try
            {
                await Assert.ThrowsAsync<InvalidOperationException>(d.StartAsync);
                var line = Assert.Single(d.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.Contains("nft (nftables)", line);
                Assert.DoesNotContain("iptables-restore", line);
            }
            finally
            {
                await d.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(bin, true);
        }
    }
}
