#!/usr/bin/env bash
# Installs the Debian packages NetPortal needs for one purpose, if any is missing. Needs root and apt.
#   prerequisites.sh daemon   what the daemon runs (iptables-restore/-save, nft, nsenter, unshare, mount)
#   prerequisites.sh demo     the daemon's and the demo's (busybox for `docker run busybox …`)
#   prerequisites.sh test     everything the tests drive: ping, the docker CLI, chromium for the dashboard tests…
# A fresh machine of this project's kind has the .NET SDK, iproute2 and util-linux; nothing else is assumed.
set -euo pipefail

purpose=${1:-test}
daemon=(iptables nftables iproute2 util-linux mount)
case "$purpose" in
  daemon) packages=("${daemon[@]}") ;;
  demo)   packages=("${daemon[@]}" busybox-static iputils-ping procps) ;;
  test)   packages=("${daemon[@]}" busybox-static iputils-ping procps curl chromium) ;;
  *) echo "usage: $0 daemon|demo|test" >&2; exit 2 ;;
esac

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
needs_cli=0
if [ "$purpose" = test ] && ! command -v docker >/dev/null; then needs_cli=1; fi
[ ${#missing[@]} -eq 0 ] && [ $needs_cli -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "prerequisites: missing Debian packages: ${missing[*]} — run as root (sudo) so they can be installed" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "prerequisites: missing packages ${missing[*]} and no apt-get on this machine; install them by hand" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
extra=""; [ $needs_cli -eq 1 ] && extra=" docker-cli"
echo "prerequisites: installing ${missing[*]}$extra"
apt-get update -qq
[ ${#missing[@]} -gt 0 ] && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ $needs_cli -eq 1 ]; then
  # The real docker CLI drives the end-to-end tests; Debian's docker-cli package, else docker.io's client.
  apt-get install -y -qq --no-install-recommends docker-cli >/dev/null 2>&1 \
    || apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
