#!/usr/bin/env bash
# Makes sure a Docker engine answers, for `make e2e` in CI (.ci/run calls it). CI machines start
# without one: it installs Debian's docker.io (and docker-compose, when no compose is there)
# when missing, and starts dockerd in the background, logging to $DOCKERD_LOG.
#
# The e2e containers use host networking on loopback only, so dockerd runs without its default
# bridge and without touching iptables or IP forwarding. Exits 1, with the engine's own words,
# when no engine can be started: the e2e check is then failed, never skipped.
set -euo pipefail

DOCKERD_LOG=${DOCKERD_LOG:-/tmp/partner-mock-dockerd.log}
WAIT_S=${DOCKERD_WAIT_S:-60}

# What is missing, from Debian's packages: the engine, and compose for e2e's compose check.
pkgs=()
if ! docker info >/dev/null 2>&1 && { ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; }; then
	pkgs+=(docker.io)
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
	pkgs+=(docker-compose)
fi
if [ "${#pkgs[@]}" -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "engine: ${pkgs[*]} missing, and installing them needs root" >&2
		exit 1
	fi
	echo "engine: installing Debian's ${pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
	apt-get update -qq
	apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
	echo "engine: Docker engine already running ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
	exit 0
fi

echo "engine: starting dockerd (log: $DOCKERD_LOG)"
# setsid: dockerd keeps running after this script, for make e2e, in its own session.
setsid dockerd --bridge=none --iptables=false --ip6tables=false --ip-forward=false >"$DOCKERD_LOG" 2>&1 </dev/null &
pid=$!
for _ in $(seq $((WAIT_S * 5))); do
	if docker info >/dev/null 2>&1; then
		echo "engine: dockerd $(docker version -f '{{.Server.Version}}') ready (pid $pid, storage $(docker info -f '{{.Driver}}'))"
		exit 0
	fi
	if ! kill -0 "$pid" 2>/dev/null; then
		break
	fi
	sleep 0.2
done
echo "engine: dockerd did not become ready within ${WAIT_S}s; the end of its log:" >&2
tail -n 30 "$DOCKERD_LOG" >&2 || true
exit 1
