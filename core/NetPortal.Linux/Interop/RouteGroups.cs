namespace NetPortal.Linux.Interop;

#pragma warning disable IDE1006

/// <summary>
/// rtnetlink multicast groups (legacy RTMGRP_* bind masks, linux/rtnetlink.h) and the few attribute values the
/// notification reader needs beyond <see cref="Nl"/>.
/// </summary>
internal static class RouteGroups
{
    public const uint RTMGRP_LINK = 0x1, RTMGRP_IPV4_IFADDR = 0x10, RTMGRP_IPV4_ROUTE = 0x40, RTMGRP_IPV6_IFADDR = 0x100, RTMGRP_IPV6_ROUTE = 0x400;

    public const ushort RTA_PRIORITY = 6;

    /// <summary>PF_BRIDGE: RTM_NEWLINK/RTM_DELLINK of this family describe bridge ports, not devices coming and going.</summary>
    public const byte AF_BRIDGE = 7;
}
