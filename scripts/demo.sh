#!/usr/bin/env bash
# README command 1: start the daemon (root) managing a private demo namespace it creates; the machine's own
# network is never touched. Installs what the daemon and the demo need first. Extra arguments go to the daemon.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh demo
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p /run/netportal
exec dotnet run --project api/NetPortal.Api -- --netns netportal-demo \
  -H unix:///run/netportal/netportal.sock -H tcp://127.0.0.1:2375 --data-root /var/lib/netportal-demo "$@"
