using Microsoft.Extensions.Logging;
using NetPortal.Core.Errors;
using NetPortal.Core.Filters;

namespace NetPortal.Core.Networks;

public sealed partial class NetworkService
{
    private const string EnableIPv4Option = "com.docker.network.enable_ipv4";
    private const string EnableIPv6Option = "com.docker.network.enable_ipv6";

    /// <summary>Creates a network: validate, reserve pools, set up the kernel, record — undoing in reverse on any failure.</summary>
    public async Task<Network> CreateAsync(NetworkSpec spec, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(spec.Name)) throw NetPortalException.InvalidParameter("invalid name: name is empty");
        if (PredefinedNetworks.IsPredefinedName(spec.Name))
            throw NetPortalException.Forbidden($"operation is not permitted on predefined {spec.Name} network ");

        var driverName = string.IsNullOrEmpty(spec.Driver) ? "bridge" : spec.Driver;
        var ipamDriver = string.IsNullOrEmpty(spec.IpamDriver) ? "default" : spec.IpamDriver;
        var driver = drivers.Get(driverName);
        if (ipamDriver != "default") throw NetPortalException.NotFound($"plugin \"{ipamDriver}\" not found");

        var networkOptions = new Dictionary<string, string>(spec.Options);
        var enableIPv4 = ResolveFamilyFlag(spec.EnableIPv4, networkOptions, EnableIPv4Option, defaultValue: true);
        var enableIPv6 = ResolveFamilyFlag(spec.EnableIPv6, networkOptions, EnableIPv6Option, defaultValue: false);
        if (driver.NeedsIpam && !enableIPv4 && !enableIPv6)
            throw NetPortalException.InvalidParameter("IPv4 or IPv6 must be enabled");

        Network network;
        var clock = time.GetTimestamp();
        await _gate.WaitAsync(ct);
        try
        {
            // Bookkeeping is serialised; the kernel work below is not, so networks being created or removed
            // right now count as existing for names, bridge names and pools.
            if (_reservedNames.ContainsKey(spec.Name))
                throw NetPortalException.Conflict($"network with name {spec.Name} already exists");
            if (!string.IsNullOrEmpty(spec.ConfigFrom) && !_networks.Exists(n => n.Name == spec.ConfigFrom || n.Id == spec.ConfigFrom))
                throw NetPortalException.NotFound($"configuration network \"{spec.ConfigFrom}\" does not exist");

            network = new Network
            {
                Id = PredefinedFactory.NewId(),
                Name = spec.Name,
                Driver = driverName,
                Scope = string.IsNullOrEmpty(spec.Scope) ? "local" : spec.Scope,
                Created = time.GetUtcNow(),
                EnableIPv4 = enableIPv4,
                EnableIPv6 = enableIPv6,
                Internal = spec.Internal,
                Attachable = spec.Attachable,
                Ingress = spec.Ingress,
                ConfigOnly = spec.ConfigOnly,
                ConfigFrom = spec.ConfigFrom ?? "",
                IpamDriver = ipamDriver,
                IpamOptions = spec.IpamOptions ?? new Dictionary<string, string>(),
                Options = networkOptions,
                Labels = spec.Labels,
            };

            if (driver.NeedsIpam)
            {
                // Our own bridges' addresses and routes are in the host index too: a subnet overlapping one of them
                // overlaps that network's pool, which the IPAM checks first, so the message stays the pool one.
                var pools = ipam.RequestPools(network.Id, spec.IpamConfigs, enableIPv4, enableIPv6, hostState.GetOccupiedIndex());
                network = network with { Pools = pools };
            }
            try
            {
                driver.Validate(network, ValidationPeers(driver, network));
            }
            catch
            {
                if (driver.NeedsIpam) ipam.ReleasePools(network.Id);
                throw;
            }
            _inFlight.Add(network);
            Reserve(network);
        }
        finally
        {
            _gate.Release();
        }

        var ipamTime = time.GetElapsedTime(clock);
        var undo = new Stack<(string Step, Action Undo)>();
        try
        {
            driver.Setup(network);
            undo.Push(("tear down", () => driver.Teardown(network)));
            await store.AddAsync(network, CancellationToken.None);
        }
        catch (Exception failure)
        {
            Undo(undo, network, failure);
            await _gate.WaitAsync(CancellationToken.None);
            try
            {
                _inFlight.Remove(network);
                Unreserve(network);
                if (driver.NeedsIpam) ipam.ReleasePools(network.Id);
            }
            finally
            {
                _gate.Release();
            }
            throw;
        }

        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            _inFlight.Remove(network);
            _networks = _networks.Add(network);
            Emit("create", network);
        }
        finally
        {
            _gate.Release();
        }
        log.LogInformation("created network {Name} ({Id}) driver {Driver} in {Total:F1} ms (bookkeeping {Ipam:F1})",
            network.Name, network.Id, network.Driver, time.GetElapsedTime(clock).TotalMilliseconds, ipamTime.TotalMilliseconds);
        return network;
    }

    /// <summary>Runs every undo in reverse; an undo that fails is logged and the rest still run.</summary>
    private void Undo(Stack<(string Step, Action Undo)> undo, Network network, Exception cause)
    {
        while (undo.TryPop(out var step))
        {
            try
            {
                step.Undo();
            }
            catch (Exception e)
            {
                log.LogError(e, "undo of '{Step}' for network {Name} failed after: {Cause}", step.Step, network.Name, cause.Message);
            }
        }
    }

    /// <summary>The top-level EnableIPv4/6 field wins over the option form, which is then dropped (Docker does the same).</summary>
    private static bool ResolveFamilyFlag(bool? field, Dictionary<string, string> options, string option, bool defaultValue)
    {
        if (options.TryGetValue(option, out var text))
        {
            if (field is null)
            {
                if (!GoBool.TryParse(text, out var parsed))
                    throw NetPortalException.InvalidParameter($"driver-opt \"{option}\" is not a valid bool");
                return parsed;
            }
            options.Remove(option);
        }
        return field ?? defaultValue;
    }
}
