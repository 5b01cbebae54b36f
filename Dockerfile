# Multi-stage build of netportald. The runtime image runs the daemon; it needs the host's kernel networking:
#   docker run -d --privileged --network host -v /var/run/netns:/var/run/netns:shared \
#     -v /var/lib/netportal:/var/lib/netportal -v /run/netportal:/run/netportal \
#     netportal --netns netportal -H unix:///run/netportal/netportal.sock
# --privileged gives CAP_NET_ADMIN/CAP_SYS_ADMIN (netlink, setns, mounts); --network host lets --netns name
# namespaces under /var/run/netns be shared with the host's tools (ip netns exec …).
# The runtime stage holds every program the daemon starts (checked at start-up: iptables-save/-restore, nft,
# nsenter, unshare, setsid); a missing one stops the daemon with one line naming its Debian package.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish api/NetPortal.Api -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends iptables nftables iproute2 util-linux mount \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out .
VOLUME ["/var/lib/netportal"]
ENTRYPOINT ["dotnet", "/app/netportald.dll"]
CMD ["--netns", "netportal", "-H", "unix:///run/netportal/netportal.sock"]
