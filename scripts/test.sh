#!/usr/bin/env bash
# README command 2 and CI (.ci/run execs this): install what the tests need, then run every test.
# Needs root: the kernel tests create private network namespaces (never touching the root namespace's networking).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh test

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# A test that hangs is killed and named after 10 minutes (the run goes on and fails) instead of stalling CI;
# the whole run is bounded as well, so CI always ends with a verdict.
timeout --kill-after=30s "${NETPORTAL_TEST_TIMEOUT:-60m}" \
  dotnet test NetPortal.sln --blame-hang-timeout 10m --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "tests: the run exceeded ${NETPORTAL_TEST_TIMEOUT:-60m} and was stopped" >&2
fi

# The machine's own namespace must be exactly as before: every daemon and test works in namespaces it created.
leaks=""
if iptables-save 2>/dev/null | grep -qE '^:(DOCKER|NETPORTAL)|-j DOCKER'; then leaks="$leaks iptables"; fi
if nft list tables 2>/dev/null | grep -q netportal; then leaks="$leaks nftables"; fi
if [ -n "$(ip -o link show type bridge 2>/dev/null)" ]; then leaks="$leaks bridges"; fi
if [ -n "$(ip -o link show type veth 2>/dev/null)" ]; then leaks="$leaks veths"; fi
if [ -n "$leaks" ]; then
  echo "tests: the tests changed the root network namespace:$leaks" >&2
  status=1
fi

# One closing line over all test projects: "N passed, N failed".
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "tests: no test ran" >&2
  exit 1
fi
exit "$status"
