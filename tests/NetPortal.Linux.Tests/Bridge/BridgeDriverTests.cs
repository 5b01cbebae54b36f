using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NetPortal.Core.Daemon;
using NetPortal.Core.Errors;
using NetPortal.Linux.Bridge;
using NetPortal.Linux.Interop;
using NetPortal.Linux.Netlink;
using NetPortal.Linux.Tests.Fakes;
using static NetPortal.Linux.Tests.Bridge.TestNetworks;

namespace NetPortal.Linux.Tests.Bridge;

public sealed class BridgeDriverTests : IDisposable
{
    private readonly FakeRouteNetlink _nl = new();
    private readonly RecordingFirewall _fw = new();
    private readonly BridgeDriver _driver;

    public BridgeDriverTests() => _driver = new BridgeDriver(_nl, _fw, new DaemonOptions { Mtu = 1500 }, NullLogger.Instance);

    public void Dispose() => _driver.Dispose();

    private IEnumerable<LinkInfo> Tombstones() => _nl.DumpLinks().Where(l => l.Group == BridgeReaper.TombstoneGroup);

    private static Dictionary<string, string> Opt(string k, string v) => new() { [k] = v };

    [Theory]
    [InlineData("com.docker.network.bridge.enable_icc", "xyz", "failed to parse com.docker.network.bridge.enable_icc value: xyz (strconv.ParseBool: parsing \"xyz\": invalid syntax)")]
    [InlineData("com.docker.network.bridge.enable_ip_masquerade", "yes", "failed to parse com.docker.network.bridge.enable_ip_masquerade value: yes (strconv.ParseBool: parsing \"yes\": invalid syntax)")]
    [InlineData("com.docker.network.driver.mtu", "abc", "failed to parse com.docker.network.driver.mtu value: abc (strconv.Atoi: parsing \"abc\": invalid syntax)")]
    [InlineData("com.docker.network.driver.mtu", "1.5", "failed to parse com.docker.network.driver.mtu value: 1.5 (strconv.Atoi: parsing \"1.5\": invalid syntax)")]
    [InlineData("com.docker.network.driver.mtu", "-1", "invalid MTU number: -1")]
    [InlineData("com.docker.network.bridge.host_binding_ipv4", "abc", "failed to parse com.docker.network.bridge.host_binding_ipv4 value: abc (nil ip)")]
    [InlineData("com.docker.network.bridge.host_binding_ipv4", "", "failed to parse com.docker.network.bridge.host_binding_ipv4 value:  (nil ip)")]
    public void Validate_BadOptions_DockerMessages(string key, string value, string message)
    {
        var e = Assert.Throws<NetPortalException>(() => _driver.Validate(Make(NewId(), options: Opt(key, value)), []));
        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("1")] [InlineData("t")] [InlineData("T")] [InlineData("TRUE")] [InlineData("true")] [InlineData("True")]
    [InlineData("0")] [InlineData("f")] [InlineData("F")] [InlineData("FALSE")] [InlineData("false")] [InlineData("False")]
    public void Validate_GoBools_Accepted(string value) =>
        _driver.Validate(Make(NewId(), options: Opt("com.docker.network.bridge.enable_icc", value)), []);

    [Fact]
    public void Validate_MultipleV4Subnets_Forbidden()
    {
        var e = Assert.Throws<NetPortalException>(() => _driver.Validate(Make(NewId(), extraPools: Pool("10.9.0.0/24", "10.9.0.1")), []));
        Assert.Equal(ErrorKind.Forbidden, e.Kind);
        Assert.Equal("bridge driver doesn't support multiple subnets", e.Message);
        _driver.Validate(Make(NewId(), extraPools: Pool("fd00:1::/64", "fd00:1::1")), []);
    }

    [Fact]
    public void Validate_SameBridgeName_Forbidden()
    {
        var a = Make(NewId(), options: Opt("com.docker.network.bridge.name", "brx1"));
        var b = Make(NewId(), "10.8.0.0/24", "10.8.0.1", Opt("com.docker.network.bridge.name", "brx1"));
        var e = Assert.Throws<NetPortalException>(() => _driver.Validate(b, [a]));
        Assert.Equal(ErrorKind.Forbidden, e.Kind);
        Assert.Equal($"cannot create network {b.Id} (brx1): conflicts with network {a.Id} (brx1): networks have same bridge name", e.Message);
    }

    [Fact]
    public void Validate_TooLongBridgeName_LikeDocker()
    {
        var e = Assert.Throws<NetPortalException>(() => _driver.Validate(Make(NewId(), options: Opt("com.docker.network.bridge.name", "averyveryverylongname1")), []));
        Assert.Equal("failed to check bridge interface existence: numerical result out of range", e.Message);
    }

    [Fact]
    public void Setup_CreatesBridge_Mtu_Gateways_Up_Firewall_InOrder()
    {
        var n = Make(NewId(), options: Opt("com.docker.network.driver.mtu", "1400"), extraPools: Pool("fd00:2::/64", "fd00:2::1"));
        _driver.Setup(n);
        var br = "br-" + n.Id[..12];
        Assert.Equal([$"create {br}", $"addr {br} 172.30.0.1/16", $"addr {br} fd00:2::1/64 nodad", $"up {br}"], _nl.Calls);
        Assert.Equal(1400, _nl.Links[br].Mtu);
        Assert.True(_nl.Links[br].Up);
        var spec = Assert.Single(_fw.Added);
        Assert.Equal(new[] { "172.30.0.0/16" }, spec.SubnetsV4);
        Assert.Equal(new[] { "fd00:2::/64" }, spec.SubnetsV6);
        Assert.True(spec.EnableIcc);
        Assert.True(spec.EnableMasquerade);
        Assert.Equal("0.0.0.0", spec.HostBindingIPv4);
        Assert.Equal(br, spec.BridgeName);
    }

    [Fact]
    public void FirewallSpec_HonoursOptionsAndDaemonIpMasq()
    {
        var opts = new Dictionary<string, string>
        {
            ["com.docker.network.bridge.enable_icc"] = "false",
            ["com.docker.network.bridge.host_binding_ipv4"] = "127.0.0.1",
            ["com.docker.network.bridge.name"] = "mybr",
        };
        var n = Make(NewId(), options: opts) with { Internal = true };
        var spec = new BridgeDriver(_nl, _fw, new DaemonOptions { IpMasq = false }, NullLogger.Instance).FirewallSpec(n);
        Assert.Equal(("mybr", false, false, "127.0.0.1", true), (spec.BridgeName, spec.EnableIcc, spec.EnableMasquerade, spec.HostBindingIPv4, spec.Internal));
    }

    [Fact]
    public void Setup_FirewallFails_UndoesInReverse_NoBridgeLeft()
    {
        _fw.FailAdd = true;
        var n = Make(NewId());
        Assert.Throws<InvalidOperationException>(() => _driver.Setup(n));
        var br = "br-" + n.Id[..12];
        Assert.Equal([$"create {br}", $"addr {br} 172.30.0.1/16", $"up {br}", $"deladdr {br} 172.30.0.1/16", $"delete {br}"], _nl.Calls);
        Assert.DoesNotContain(br, _nl.Links.Keys);
        Assert.Empty(_nl.Addresses);
    }

    [Fact]
    public void Setup_AddressFails_DeletesCreatedBridge_AndRethrowsNetlinkError()
    {
        _nl.FailWhen = c => c.StartsWith("addr") ? Errno.EINVAL : null;
        var n = Make(NewId());
        var e = Assert.Throws<NetlinkException>(() => _driver.Setup(n));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Equal(["lo"], _nl.Links.Keys);
        Assert.Empty(_fw.Calls);
    }

    [Fact]
    public void Setup_ExistingBridge_IsAdopted_AndNotDeletedOnFailure()
    {
        _nl.AddExistingLink("docker0", "bridge");
        _nl.AddAddress("docker0", IPAddress.Parse("172.30.0.1"), 16);
        _nl.Calls.Clear();
        _fw.FailAdd = true;
        var n = Make(NewId(), options: Opt("com.docker.network.bridge.name", "docker0"));
        Assert.Throws<InvalidOperationException>(() => _driver.Setup(n));
        Assert.Contains("docker0", _nl.Links.Keys);
        Assert.Single(_nl.Addresses); // the pre-existing gateway was not ours to remove
        Assert.DoesNotContain(_nl.Calls, c => c.StartsWith("delete"));
    }

    [Fact]
    public void Setup_ExistingNonBridge_Conflict()
    {
        _nl.AddExistingLink("eth9", "veth");
        var e = Assert.Throws<NetPortalException>(() => _driver.Setup(Make(NewId(), options: Opt("com.docker.network.bridge.name", "eth9"))));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains("eth9", _nl.Links.Keys);
    }

    [Fact]
    public void Teardown_RemovesRulesAndBridge_ContinuesPastErrors()
    {
        var n = Make(NewId());
        _driver.Setup(n);
        _fw.FailRemove = true;
        var e = Assert.Throws<TeardownFailedException>(() => _driver.Teardown(n));
        Assert.Single(e.Errors);
        _driver.Reaper.Flush();
        Assert.Equal(["lo"], _nl.Links.Keys); // bridge deleted despite the firewall failure
    }

    [Fact]
    public void Teardown_RetiresTheBridge_DownNoAddressesRenamedIntoTheGroup_ThenTheReaperDeletesTheGroup()
    {
        var release = new ManualResetEventSlim();
        _nl.BeforeGroupDelete = () => release.Wait(TimeSpan.FromSeconds(10));
        var n = Make(NewId(), extraPools: Pool("fd00:3::/64", "fd00:3::1"));
        var br = "br-" + n.Id[..12];
        _driver.Setup(n);
        _nl.Calls.Clear();

        _driver.Teardown(n);

        var tomb = Assert.Single(Tombstones());
        Assert.Matches("^npdel-[0-9a-f]{8}$", tomb.Name);
        Assert.False(tomb.Up);
        Assert.Null(_nl.GetLink(br));
        Assert.Empty(_nl.Addresses);
        Assert.Equal([$"down {br}", $"deladdr {br} 172.30.0.1/16", $"deladdr {br} fd00:3::1/64", $"rename {br} {tomb.Name} group {0x4e50}"], _nl.CallLog);
        Assert.Equal([$"add {br}", $"remove {br}"], _fw.Calls);

        release.Set();
        _driver.Reaper.Flush();
        Assert.Equal(["lo"], _nl.Links.Keys);
        Assert.Equal("delete group 20048", _nl.CallLog[^1]);
        Assert.Null(_driver.Reaper.LastError);
    }

    [Fact]
    public void Teardown_NameAndGatewayAreFreeAtOnce_ForANewNetwork()
    {
        _nl.BeforeGroupDelete = () => Thread.Sleep(200);
        var opts = Opt("com.docker.network.bridge.name", "mybr0");
        var first = Make(NewId(), options: opts);
        _driver.Setup(first);
        _driver.Teardown(first);

        var second = Make(NewId(), options: opts);
        _driver.Setup(second);

        Assert.True(_nl.Links["mybr0"].Up);
        Assert.Single(_nl.Addresses, a => a.Address.Equals(IPAddress.Parse("172.30.0.1")));
        _driver.Reaper.Flush();
        Assert.Equal(["lo", "mybr0"], _nl.Links.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reaper_BatchesWhatRetiredWhileARoundRan_IntoTheNextSingleDeletion()
    {
        var release = new ManualResetEventSlim();
        var entered = new ManualResetEventSlim();
        _nl.AfterGroupDelete = () => { entered.Set(); release.Wait(TimeSpan.FromSeconds(10)); };
        var networks = Enumerable.Range(0, 4).Select(i => Make(NewId(), $"10.{i}.0.0/24", $"10.{i}.0.1")).ToList();
        networks.ForEach(_driver.Setup);

        _driver.Teardown(networks[0]);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10))); // round 1 took its bridge and is held in its "grace period"
        foreach (var n in networks.Skip(1)) _driver.Teardown(n);
        Assert.Equal(3, Tombstones().Count());
        release.Set();
        _driver.Reaper.Flush();

        Assert.Equal(2, _driver.Reaper.Rounds);
        Assert.Equal(2, _nl.CallLog.Count(c => c == "delete group 20048"));
        Assert.Equal(["lo"], _nl.Links.Keys);
    }

    [Fact]
    public void Reaper_LingersWhileBridgesKeepRetiring_AndAFlushDeletesThemAllInOneRound()
    {
        // A linger no test would outwait: only the flush can start the round.
        using var reaper = new BridgeReaper(_nl, NullLogger.Instance) { Linger = TimeSpan.FromHours(1) };
        using var driver = new BridgeDriver(_nl, _fw, new DaemonOptions(), NullLogger.Instance, reaper);
        var networks = Enumerable.Range(0, 3).Select(_ => Make(NewId())).ToList();
        networks.ForEach(driver.Setup);

        networks.ForEach(driver.Teardown);
        Assert.Equal(3, Tombstones().Count());
        Assert.Equal(0, reaper.Rounds);

        reaper.Flush();
        Assert.Equal(1, reaper.Rounds);
        Assert.Empty(Tombstones());
    }

    [Fact]
    public void Reaper_StartsARoundWithoutWaitingOnceRoundSizeTombstonesArePending()
    {
        using var reaper = new BridgeReaper(_nl, NullLogger.Instance) { Linger = TimeSpan.FromHours(1), RoundSize = 2 };
        using var driver = new BridgeDriver(_nl, _fw, new DaemonOptions(), NullLogger.Instance, reaper);
        var networks = Enumerable.Range(0, 2).Select(_ => Make(NewId())).ToList();
        networks.ForEach(driver.Setup);

        networks.ForEach(driver.Teardown);

        // Nobody flushes: the round must start by itself (polled; the bound only keeps a broken reaper from hanging the run).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Tombstones().Any() && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(10);
        Assert.Empty(Tombstones());
        Assert.Equal(1, reaper.Rounds);
    }

    [Fact]
    public void Setup_RevivesATombstoneTheReaperHasNotDeleted_InsteadOfCreatingABridge()
    {
        using var reaper = new BridgeReaper(_nl, NullLogger.Instance) { Linger = TimeSpan.FromHours(1) };
        using var driver = new BridgeDriver(_nl, _fw, new DaemonOptions(), NullLogger.Instance, reaper);
        var first = Make(NewId());
        driver.Setup(first);
        driver.Teardown(first);
        var tomb = Assert.Single(Tombstones());
        _nl.Calls.Clear();

        var second = Make(NewId(), "10.9.0.0/24", "10.9.0.1", options: Opt("com.docker.network.driver.mtu", "1400"));
        driver.Setup(second);

        var br = "br-" + second.Id[..12];
        Assert.Equal($"revive {tomb.Name} {br}", _nl.CallLog[0]);
        Assert.DoesNotContain(_nl.CallLog, c => c.StartsWith("create", StringComparison.Ordinal));
        Assert.Empty(Tombstones());
        Assert.Equal((tomb.Index, 1400, 0u, true), (_nl.Links[br].Index, _nl.Links[br].Mtu, _nl.Links[br].Group, _nl.Links[br].Up));
        Assert.Single(_nl.Addresses, a => a.Address.Equals(IPAddress.Parse("10.9.0.1")));
        reaper.Flush();
        Assert.Equal(0, reaper.Rounds);
    }

    [Fact]
    public void Setup_CreatesABridge_WhenTheTombstoneItTookWasDeletedMeanwhile()
    {
        using var reaper = new BridgeReaper(_nl, NullLogger.Instance) { Linger = TimeSpan.FromHours(1) };
        using var driver = new BridgeDriver(_nl, _fw, new DaemonOptions(), NullLogger.Instance, reaper);
        var first = Make(NewId());
        driver.Setup(first);
        driver.Teardown(first);
        _nl.FailWhen = c => c.StartsWith("revive", StringComparison.Ordinal) ? Errno.ENODEV : null;

        var second = Make(NewId(), "10.9.0.0/24", "10.9.0.1");
        driver.Setup(second);

        Assert.Contains(_nl.CallLog, c => c == $"create br-{second.Id[..12]}");
        Assert.True(_nl.Links["br-" + second.Id[..12]].Up);
    }

    [Fact]
    public void Reaper_GroupDeletionRefused_IsLogged_AndFallsBackToItsTombstonesByName()
    {
        var logger = new ListLogger();
        using var reaper = new BridgeReaper(_nl, logger);
        using var driver = new BridgeDriver(_nl, _fw, new DaemonOptions(), NullLogger.Instance, reaper);
        _nl.FailWhen = c => c.StartsWith("delete group") ? Errno.EOPNOTSUPP : null;
        var n = Make(NewId());
        driver.Setup(n);

        driver.Teardown(n);
        reaper.Flush();

        Assert.Equal(["lo"], _nl.Links.Keys);
        Assert.Equal(Errno.EOPNOTSUPP, Assert.IsType<NetlinkException>(reaper.LastError).Errno);
        Assert.Contains(logger.Lines, l => l.StartsWith("Error: deleting tombstone bridges by group failed"));
    }

    [Fact]
    public void Teardown_RetireFails_DeletesTheBridgeAtOnce()
    {
        var n = Make(NewId());
        _driver.Setup(n);
        _nl.FailWhen = c => c.StartsWith("rename") ? Errno.EINVAL : null;

        _driver.Teardown(n);

        Assert.Equal(["lo"], _nl.Links.Keys);
        Assert.Equal(0, _driver.Reaper.Rounds);
    }

    [Fact]
    public void Dispose_FinishesPendingDeletions()
    {
        var driver = new BridgeDriver(_nl, _fw, new DaemonOptions(), NullLogger.Instance);
        _nl.BeforeGroupDelete = () => Thread.Sleep(100);
        var n = Make(NewId());
        driver.Setup(n);
        driver.Teardown(n);

        driver.Dispose();

        Assert.Equal(["lo"], _nl.Links.Keys);
        var late = Make(NewId());
        driver.Setup(late);
        driver.Teardown(late); // after Dispose the deletion happens inline
        Assert.Equal(["lo"], _nl.Links.Keys);
    }

    [Fact]
    public void Teardown_MissingBridge_IsNotAnError()
    {
        _driver.Teardown(Make(NewId()));
        Assert.Equal(["lo"], _nl.Links.Keys);
    }

    [Fact]
    public void Restore_RecreatesWhatIsMissing()
    {
        var n = Make(NewId());
        var br = "br-" + n.Id[..12];
        Assert.Equal(3, _driver.Restore(n).Count); // bridge, address, up
        Assert.True(_nl.Links[br].Up);
        Assert.Single(_nl.Addresses);
        Assert.Empty(_driver.Restore(n));
    }

    [Fact]
    public void RemoveOrphans_OnlyGeneratedNamesNotKnown()
    {
        var known = Make("aaaaaaaaaaaa" + new string('0', 52));
        _nl.AddExistingLink("br-aaaaaaaaaaaa", "bridge");
        _nl.AddExistingLink("br-bbbbbbbbbbbb", "bridge");
        _nl.AddExistingLink("br-cccccccccccc", "veth");
        _nl.AddExistingLink("docker0", "bridge");
        _nl.AddExistingLink("br-mine", "bridge");
        var lines = _driver.RemoveOrphans([known]);
        Assert.Equal(["removed orphan bridge br-bbbbbbbbbbbb"], lines);
        Assert.Equal(["lo", "br-aaaaaaaaaaaa", "br-cccccccccccc", "docker0", "br-mine"], _nl.Links.Keys);
    }

    [Fact]
    public void RemoveOrphans_DeletesTombstonesACrashLeftBehind()
    {
        _nl.AddExistingLink("npdel-0123abcd", "bridge", group: BridgeReaper.TombstoneGroup);
        _nl.AddExistingLink("npdel-4567cdef", "bridge", group: BridgeReaper.TombstoneGroup);
        _nl.AddExistingLink("npdel-89abcdef", "bridge"); // group reset by hand: the name alone suffices
        _nl.AddExistingLink("npdel-notours", "bridge");

        var lines = _driver.RemoveOrphans([]);

        Assert.Equal(
            ["removed leftover tombstone bridge npdel-0123abcd", "removed leftover tombstone bridge npdel-4567cdef", "removed leftover tombstone bridge npdel-89abcdef"],
            lines);
        Assert.Equal(["lo", "npdel-notours"], _nl.Links.Keys);
        Assert.Single(_nl.CallLog, c => c == "delete group 20048");
    }
}
