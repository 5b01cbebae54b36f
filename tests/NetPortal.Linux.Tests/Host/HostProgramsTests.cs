using NetPortal.Linux.Host;

namespace NetPortal.Linux.Tests.Host;

public sealed class HostProgramsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("np-hp-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void FindsOnlyExecutableFilesOnThePath()
    {
        var exe = Path.Combine(_dir, "tool");
        File.WriteAllText(exe, "#!/bin/sh\n");
        File.SetUnixFileMode(exe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(_dir, "plain"), "");
        Assert.Equal(exe, HostPrograms.Find("tool", "/nonexistent:" + _dir));
        Assert.Null(HostPrograms.Find("plain", _dir));
        Assert.Null(HostPrograms.Find("tool", "/nonexistent"));
    }

    [Fact]
    public void MissingListsEachProgramOnceInOrderAndExplainNamesThePackages()
    {
        var missing = HostPrograms.Missing([HostPrograms.IptablesRestore, HostPrograms.Nsenter, HostPrograms.IptablesRestore, HostPrograms.Nft], _dir);
        Assert.Equal(["iptables-restore", "nsenter", "nft"], missing.Select(p => p.Name));
        var line = HostPrograms.Explain(missing);
        Assert.DoesNotContain('\n', line);
        Assert.Contains("iptables-restore (iptables), nsenter (util-linux), nft (nftables)", line);
        Assert.Contains("apt-get install iptables util-linux nftables", line);
    }
}
