#!/usr/bin/env bash
# Installs the tools some make targets need, when they are missing; the Makefile itself installs
# nothing. .ci/run calls it for CI; on a laptop run it once, as root (or with sudo):
#
#   bash scripts/install-tools.sh chromium      # make e2e-docs (and so make e2e): Debian's chromium
#   bash scripts/install-tools.sh wrk           # make bench: Debian's wrk
#   bash scripts/install-tools.sh compose-v2    # the `docker compose` plugin, so make e2e runs the
#                                               # compose commands with it as well as docker-compose
#
# The Docker engine and Debian's docker-compose (v1) come from docker/engine.sh, which also starts
# dockerd. Debian 12 packages no compose v2 plugin: compose-v2 builds it from its Go module,
# pinned at COMPOSE_V2_VERSION, through the Go module proxy (about five minutes on two cores with
# an empty module cache), into /usr/local/lib/docker/cli-plugins/docker-compose.
set -euo pipefail

COMPOSE_V2_VERSION=${COMPOSE_V2_VERSION:-v5.6.0}
PLUGIN_DIR=${DOCKER_CLI_PLUGIN_DIR:-/usr/local/lib/docker/cli-plugins}

apt_install() {
	if [ "$(id -u)" != 0 ]; then
		echo "install-tools: $* missing, and installing Debian packages needs root: sudo bash $0 $*" >&2
		exit 1
	fi
	echo "install-tools: installing Debian's $*"
	export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
	apt-get update -qq
	apt-get install -y -qq "$@" >/dev/null
}

compose_v2() {
	if docker compose version >/dev/null 2>&1; then
		echo "install-tools: docker compose already installed ($(docker compose version --short 2>/dev/null))"
		return
	fi
	echo "install-tools: building the docker compose plugin $COMPOSE_V2_VERSION from its Go module"
	local work
	work=$(mktemp -d)
	# A throwaway module: compose's own go.mod has exclude directives, so go install pkg@version
	# refuses it; requiring it from another module builds it with its pinned dependencies.
	(
		cd "$work"
		go mod init local/compose-plugin >/dev/null 2>&1
		printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/docker/compose/v5/cmd"\n' >tools.go
		go get "github.com/docker/compose/v5@$COMPOSE_V2_VERSION" >/dev/null 2>&1
		go mod tidy >/dev/null 2>&1
		CGO_ENABLED=0 go build -trimpath \
			-ldflags "-s -w -X github.com/docker/compose/v5/internal.Version=$COMPOSE_V2_VERSION" \
			-o "$work/docker-compose" github.com/docker/compose/v5/cmd
	)
	mkdir -p "$PLUGIN_DIR"
	install -m 0755 "$work/docker-compose" "$PLUGIN_DIR/docker-compose"
	rm -rf "$work"
	echo "install-tools: $(docker compose version)"
}

if [ "$#" -eq 0 ]; then
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi
for tool in "$@"; do
	case "$tool" in
	chromium) command -v chromium >/dev/null 2>&1 || apt_install chromium ;;
	wrk) command -v wrk >/dev/null 2>&1 || apt_install wrk ;;
	compose-v2) compose_v2 ;;
	*)
		echo "install-tools: unknown tool $tool: want chromium, wrk or compose-v2" >&2
		exit 2
		;;
	esac
done
