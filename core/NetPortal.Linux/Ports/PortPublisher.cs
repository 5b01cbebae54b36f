using Microsoft.Extensions.Logging;
using NetPortal.Core.Containers;
using NetPortal.Core.Drivers;
using NetPortal.Core.Errors;
using NetPortal.Core.Networks;
using NetPortal.Core.Ports;
using NetPortal.Linux.Bridge;
using NetPortal.Linux.Namespaces;

namespace NetPortal.Linux.Ports;

/// <summary>
/// Publishes ports as dockerd 20.10: host sockets first (the userland proxy, or with --userland-proxy=false a bound
/// placeholder that keeps the port taken), then the DNAT/ACCEPT/MASQUERADE rules in one firewall batch. Binding first
/// means a taken port fails before the firewall is touched. SCTP mappings get rules only (no proxy).
/// Listeners live in this process: a daemon restart must publish adopted containers' mappings again (the rules
/// survive and publishing is idempotent; see IptablesFirewall.Ports.cs).
/// </summary>
/// <param name="userlandProxy">dockerd's --userland-proxy: false means hairpin NAT (the firewall must be built with Hairpin too)
/// and route_localnet=1 on the bridge, so 127.0.0.1:port can be DNATed into the bridge.</param>
public sealed class PortPublisher(
    IPortFirewall firewall,
    NetNamespace ns,
    bool userlandProxy,
    ILogger<PortPublisher> logger,
    TimeSpan? udpIdleTimeout = null) : IPortPublisher, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Protocol, string HostIp, int HostPort), IDisposable> _listeners = [];

    /// <summary>Host sockets open now (proxies or placeholders).</summary>
    public int OpenListeners
    {
        get
        {
            lock (_lock)
            {
                return _listeners.Count;
            }
        }
    }

    public void Publish(Network network, Endpoint endpoint, IReadOnlyList<PortMapping> mappings)
    {
        if (mappings.Count == 0)
        {
            return;
        }

        var spec = SpecOf(network);
        var undo = new Stack<(string What, Action Undo)>();
        try
        {
            foreach (var mapping in mappings)
            {
                OpenListener(mapping, undo);
            }

            if (!userlandProxy && mappings.Any(m => !m.ContainerIp.Contains(':')))
            {
                // The kernel drops packets with a 127.0.0.0/8 source or destination on any interface but lo unless
                // route_localnet is set on the outgoing one: DNAT of 127.0.0.1:port into the bridge needs it there.
                ns.WriteSysctl($"net.ipv4.conf.{spec.BridgeName}.route_localnet", "1");
            }

            firewall.AddPortMappings(spec, mappings);
            logger.LogInformation("published {Count} ports of endpoint {Endpoint} on {Bridge}", mappings.Count, endpoint.Id, spec.BridgeName);
        }
        catch (Exception failure)
        {
            while (undo.TryPop(out var step))
            {
                try
                {
                    step.Undo();
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "undo of {Step} failed", step.What);
                }
            }

            logger.LogWarning("publishing ports of endpoint {Endpoint} failed; undone: {Error}", endpoint.Id, failure.Message);
            throw;
        }
    }

    public void Unpublish(Network network, Endpoint endpoint, IReadOnlyList<PortMapping> mappings)
    {
        if (mappings.Count == 0)
        {
            return;
        }

        var errors = new List<Exception>();
        try
        {
            firewall.RemovePortMappings(SpecOf(network), mappings);
        }
        catch (Exception e)
        {
            errors.Add(e);
        }

        foreach (var mapping in mappings)
        {
            try
            {
                CloseListener(mapping);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        }

        if (errors.Count > 0)
        {
            throw new TeardownFailedException(errors);
        }

        logger.LogInformation("unpublished {Count} ports of endpoint {Endpoint}", mappings.Count, endpoint.Id);
    }

    /// <summary>Daemon shutdown: closes every host socket; rules stay for the containers that keep running.</summary>
    public void Dispose()
    {
        List<IDisposable> all;
        lock (_lock)
        {
            all = [.. _listeners.Values];
            _listeners.Clear();
        }

        foreach (var listener in all)
        {
            listener.Dispose();
        }
    }

    /// <summary>Port rules need only the bridge name; the rest describes the network for a complete spec.</summary>
    private static NetworkFirewallSpec SpecOf(Network network) => new(
        network.Id,
        BridgeDriver.BridgeNameOf(network),
        network.Pools.Where(p => !p.IsIPv6).Select(p => p.Subnet).ToList(),
        network.Pools.Where(p => p.IsIPv6).Select(p => p.Subnet).ToList(),
        network.Internal,
        EnableIcc: true,
        EnableMasquerade: true,
        HostBindingIPv4: "");

    private void OpenListener(PortMapping mapping, Stack<(string, Action)> undo)
    {
        if (mapping.Protocol == "sctp")
        {
            return;
        }

        var key = (mapping.Protocol, mapping.HostIp, mapping.HostPort);
        lock (_lock)
        {
            // Publishing the same mapping again (e.g. an adopted container) keeps the socket it has.
            if (_listeners.ContainsKey(key))
            {
                return;
            }
        }

        IDisposable listener;
        try
        {
            listener = userlandProxy
                ? UserlandProxy.Start(ns, mapping, logger, udpIdleTimeout)
                : PortReservation.Bind(ns, mapping);
        }
        catch (NetPortalException e) when (userlandProxy)
        {
            throw NetPortalException.Internal($"Error starting userland proxy: {e.Message}", e);
        }

        lock (_lock)
        {
            if (!_listeners.TryAdd(key, listener))
            {
                listener.Dispose();
                return;
            }
        }

        undo.Push(($"close {PortSockets.Network(mapping)} {mapping.HostIp}:{mapping.HostPort}", () => CloseListener(mapping)));
    }

    private void CloseListener(PortMapping mapping)
    {
        IDisposable? listener;
        lock (_lock)
        {
            _listeners.Remove((mapping.Protocol, mapping.HostIp, mapping.HostPort), out listener);
        }

        listener?.Dispose();
    }
}
