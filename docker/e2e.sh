#!/usr/bin/env bash
# End-to-end check of the Docker image (run by `make e2e`, after `make docker` built it), on
# loopback only: every container uses the host's network.
#
#   1. the image's size: on disk, and compressed as a registry stores it;
#   2. a container becomes healthy: the time from its start, as Docker records it, to the first
#      200 from /healthz (the mock's own part: not docker run's, nor the health interval's), and
#      the CPU time the mock spent until then;
#   3. `partner-mock contract`, run from the image, passes against the container;
#   4. `docker stop` (SIGTERM) lets a request that is in flight (held by `Prefer: delay=MS`)
#      finish, and the container exits 0 within budget;
#   5. HTTPS in the image: --tls-self-signed with the CA written to a mounted directory, and a
#      mounted certificate and key (made here with openssl); each must turn healthy by the
#      image's own HEALTHCHECK and pass `contract --cacert`;
#   6. the compose commands of docs/docker-kubernetes.md, extracted from the page and run as
#      written in a copy of the repository's files, with every compose installed (`docker
#      compose` and `docker-compose`): the config recipe (which must copy only data files),
#      compose.host.yaml alone and with compose.config.yaml; compose.yaml is validated.
#
# It prints each figure and exits 1 when a check fails or a budget is missed. It never skips: no
# Docker engine, or no compose at all, is a failure (docker/engine.sh starts an engine and
# installs Debian's docker-compose).
#
# Environment: IMAGE (default partner-mock:dev), HOST_BIN (the binary the image was built from,
# used on the host to probe; default dist/docker/partner-mock), E2E_OUT (where the reports and
# logs go; default a temp dir), and the budgets E2E_MAX_IMAGE_BYTES (on disk, 23000000),
# E2E_MAX_IMAGE_GZIP_BYTES (compressed, 10000000), E2E_MAX_START_MS (4000),
# E2E_MAX_START_CPU_MS (400), E2E_MAX_STOP_MS (5000).
set -euo pipefail

IMAGE=${IMAGE:-partner-mock:dev}
HOST_BIN=${HOST_BIN:-dist/docker/partner-mock}
DOCS=docs/docker-kubernetes.md
MAX_IMAGE_BYTES=${E2E_MAX_IMAGE_BYTES:-23000000}
MAX_IMAGE_GZIP_BYTES=${E2E_MAX_IMAGE_GZIP_BYTES:-10000000}
# From the container's start to its first healthy answer. The mock itself needs about 0.4 s on a
# quiet machine (the built-in tenants are built before the port opens), and measured 0.8 to 2.4 s
# when the two cores were shared with a cold `go build ./...` and other test runs (load average
# 18 to 26): the wall-time bound holds there and still catches a hang or a start ten times
# slower. The CPU time the mock spends until then (160 to 190 ms) hardly changes with the load,
# so its budget is tight.
MAX_START_MS=${E2E_MAX_START_MS:-4000}
MAX_START_CPU_MS=${E2E_MAX_START_CPU_MS:-400}
MAX_STOP_MS=${E2E_MAX_STOP_MS:-5000}
# How often Docker runs the image's HEALTHCHECK here: its default (5s) suits a long-running test
# environment, not this check; engines before 25 have no --health-start-interval.
HEALTH_INTERVAL=${E2E_HEALTH_INTERVAL:-100ms}

failures=()
fail() { failures+=("$1"); echo "FAIL: $1" >&2; }
now_ms() { date +%s%3N; }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1000000 }'; }
# Docker's RFC 3339 timestamps (nanoseconds) in milliseconds since the epoch.
ts_ms() { date -d "$1" +%s%3N; }

if ! docker info >/dev/null 2>&1; then
	echo "e2e: no Docker engine answers (docker info failed); start one (bash docker/engine.sh)" >&2
	docker info 2>&1 | tail -3 >&2 || true
	exit 1
fi
[ -x "$HOST_BIN" ] || { echo "e2e: $HOST_BIN missing: run make docker first" >&2; exit 1; }
command -v openssl >/dev/null 2>&1 || { echo "e2e: openssl missing (Debian's openssl package): it makes the test certificate" >&2; exit 1; }

out=${E2E_OUT:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
containers=()
compose_downs=()
cleanup() {
	local c
	for c in "${compose_downs[@]}"; do (eval "$c") >/dev/null 2>&1 || true; done
	for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
used_ports=" "
free_port() {
	local p=$((20000 + RANDOM % 10000))
	while [[ "$used_ports" == *" $p "* ]] || ! port_free "$p"; do p=$((20000 + RANDOM % 10000)); done
	used_ports+="$p "
	echo "$p"
}

# wait_healthy NAME: waits (15 s at most) until Docker reports the container healthy; prints the
# time of that report in ms, or fails with the container's log and health record.
wait_healthy() {
	local name=$1 deadline=$(($(now_ms) + 15000)) status
	while :; do
		status=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$name")
		case "$status" in
		"running healthy") now_ms; return 0 ;;
		running*) ;;
		*) break ;;
		esac
		[ "$(now_ms)" -lt "$deadline" ] || break
		sleep 0.05
	done
	echo "container $name: $status; its log:" >&2
	docker logs "$name" >&2 || true
	docker inspect -f '{{json .State.Health}}' "$name" >&2 || true
	return 1
}

# --- 1. size -------------------------------------------------------------------------------
# On disk, as `docker images` shows it (uncompressed), and as a registry stores it and a pull
# transfers it: the saved image gzip-compressed.
image_bytes=$(docker image inspect -f '{{.Size}}' "$IMAGE")
gzip_bytes=$(docker save "$IMAGE" | gzip -9 | wc -c)
user=$(docker image inspect -f '{{.Config.User}}' "$IMAGE")
echo "image $IMAGE: $image_bytes bytes ($(mb "$image_bytes")) on disk, $gzip_bytes bytes ($(mb "$gzip_bytes")) compressed (docker save | gzip -9); user $user"
[ "$image_bytes" -le "$MAX_IMAGE_BYTES" ] || fail "image is $(mb "$image_bytes") on disk; budget $(mb "$MAX_IMAGE_BYTES")"
[ "$gzip_bytes" -le "$MAX_IMAGE_GZIP_BYTES" ] || fail "image is $(mb "$gzip_bytes") compressed; budget $(mb "$MAX_IMAGE_GZIP_BYTES")"
case "$user" in "" | 0 | 0:* | root | root:*) fail "image runs as root (USER '$user')" ;; esac

# --- 2. start to healthy -----------------------------------------------------------------------
name="partner-mock-e2e-$$"
containers+=("$name")
port=$(free_port)
base="http://127.0.0.1:$port"
t_run=$(now_ms)
docker run -d --name "$name" --network host \
	-e PARTNER_MOCK_ADDR="127.0.0.1:$port" \
	--health-interval "$HEALTH_INTERVAL" \
	"$IMAGE" >/dev/null
t_returned=$(now_ms)
# The mock's process as the host sees it (Docker's engine shares the host's process IDs), for the
# CPU time it spent starting: unlike wall time, that hardly depends on what else the machine runs.
mock_pid=$(docker inspect -f '{{.State.Pid}}' "$name")
clk_tck=$(getconf CLK_TCK)
# The first 200 from /healthz, probed from bash itself (/dev/tcp, in a forked subshell) every
# few milliseconds: starting a probe process each time would take longer than the mock on a busy
# machine, and measure the probe instead of the mock.
probe_healthz() {
	(
		exec 4<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&4
		IFS= read -r -t 2 status_line <&4 || exit 1
		[[ "$status_line" == "HTTP/1.1 200 "* ]]
	) 2>/dev/null
}
# The loop itself starts no process (bash's clock, and a read that times out on a FIFO nobody
# writes to, instead of date and sleep), so it costs the mock little CPU on a busy machine.
mkfifo "$out/idle.fifo"
exec 5<>"$out/idle.fifo"
t_ready=""
deadline=$((t_run + 15000))
while t=${EPOCHREALTIME/./} && [ $((t / 1000)) -lt "$deadline" ]; do
	if probe_healthz "$port"; then
		t=${EPOCHREALTIME/./}
		t_ready=$((t / 1000))
		read -ra stat <"/proc/$mock_pid/stat"
		start_cpu_ms=$(((stat[13] + stat[14]) * 1000 / clk_tck))
		break
	fi
	read -r -t 0.005 -u 5 _ || true
done
exec 5<&-
rm -f "$out/idle.fifo"
# The same answer through the host's copy of the image's probe.
"$HOST_BIN" healthcheck --url "$base/healthz" >/dev/null || fail "partner-mock healthcheck on the host: $base/healthz is not healthy"
t_healthy=""
if [ -n "$t_ready" ] && t_healthy=$(wait_healthy "$name"); then
	t_start=$(ts_ms "$(docker inspect -f '{{.State.StartedAt}}' "$name")")
	first_log=$(docker logs --timestamps "$name" 2>&1 | sed -n 1p)
	t_log=$(ts_ms "${first_log%% *}")
	start_ms=$((t_ready - t_start))
	# Docker's own record of its first successful probe, when still in its health log.
	first_ok=$(docker inspect -f '{{range .State.Health.Log}}{{if eq .ExitCode 0}}{{.End.Format "2006-01-02T15:04:05.000000000Z07:00"}}{{"\n"}}{{end}}{{end}}' "$name" | sed -n 1p)
	[ -z "$first_ok" ] || t_healthy=$(ts_ms "$first_ok")
	echo "start to healthy: $start_ms ms from the container's start (Docker's .State.StartedAt) to the first 200 from /healthz, $start_cpu_ms ms of CPU; first log line after $((t_log - t_start)) ms; Docker's HEALTHCHECK (every $HEALTH_INTERVAL) reported healthy after $((t_healthy - t_start)) ms; docker run itself returned after $((t_returned - t_run)) ms; load average $(cut -d' ' -f1 /proc/loadavg)"
	[ "$start_ms" -le "$MAX_START_MS" ] || fail "start to healthy took $start_ms ms; budget $MAX_START_MS ms"
	[ "$start_cpu_ms" -le "$MAX_START_CPU_MS" ] || fail "start to healthy took $start_cpu_ms ms of CPU; budget $MAX_START_CPU_MS ms"
else
	fail "container did not become healthy within 15 s"
	docker logs "$name" >&2 || true
fi

# --- 3. the contract suite, from the image, against the container -------------------------------
chmod 0777 "$out" # the image's user (65532) writes the report into the mounted directory
if [ -n "$t_healthy" ]; then
	echo "--- partner-mock contract --base-url $base/v1 (from the image)"
	if docker run --rm --network host -v "$out:/out" "$IMAGE" \
		contract --base-url "$base/v1" --api-key demo-key --api-key-2 demo-key-2 --junit /out/contract-junit.xml; then
		echo "contract suite passed; JUnit report: $out/contract-junit.xml"
	else
		fail "contract suite from the image failed against the container"
	fi
	echo "container memory after the contract run: $(docker stats --no-stream --format '{{.MemUsage}}' "$name") (docker stats: the cgroup's usage less its page cache)"
fi

# --- 4. docker stop drains an in-flight request, exits 0 in budget ------------------------------
# A request that is still in its handler when SIGTERM lands (held there by the mock's
# `Prefer: delay=MS` control) must be answered in full before the container exits.
DRAIN_DELAY_MS=${E2E_DRAIN_DELAY_MS:-1000}
t_stop="" t_exited=""
if [ "$(docker inspect -f '{{.State.Status}}' "$name")" = running ]; then
	exec 3<>"/dev/tcp/127.0.0.1/$port"
	printf 'GET /v1/users/member-001/ HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: demo-key\r\nPrefer: delay=%d\r\nConnection: close\r\n\r\n' "$DRAIN_DELAY_MS" >&3
	sleep 0.2 # the request is now inside the server, waiting out its delay
	t_stop=$(now_ms)
	docker stop -t 10 "$name" >/dev/null &
	stop_pid=$!
	response=$(timeout 10 cat <&3 | tr -d '\r' || true)
	exec 3<&-
	wait "$stop_pid" || fail "docker stop failed"
	t_exited=$(now_ms)
	exit_code=$(docker inspect -f '{{.State.ExitCode}}' "$name")
	status_line=$(head -n 1 <<<"$response")
	applied=$(grep -i '^preference-applied:' <<<"$response" || true)
	echo "request in flight at docker stop: ${status_line:-no answer}${applied:+ ($applied)}"
	echo "docker stop to exit: $((t_exited - t_stop)) ms, exit code $exit_code"
	[ "$status_line" = "HTTP/1.1 200 OK" ] || fail "the request in flight at SIGTERM was not answered 200 (got '${status_line}')"
	grep -q '"user_account_id":"member-001"' <<<"$response" || fail "the request in flight at SIGTERM did not get its full body"
	# Without the delay honoured the request was over before SIGTERM, and nothing was drained.
	[ -n "$applied" ] || fail "the mock did not honour Prefer: delay=$DRAIN_DELAY_MS, so no request was in flight at SIGTERM: draining not shown"
	[ "$exit_code" = 0 ] || fail "container exited $exit_code after docker stop, want 0"
	[ $((t_exited - t_stop)) -le "$MAX_STOP_MS" ] || fail "stop took $((t_exited - t_stop)) ms; budget $MAX_STOP_MS ms"
else
	fail "container not running before docker stop"
fi

# --- 5. HTTPS ----------------------------------------------------------------------------------
# tls_case LABEL CA_IN_CONTAINER DOCKER_ARGS...: runs the image with TLS set through variables
# (as docs/docker-kubernetes.md says), on a free loopback port; the image's HEALTHCHECK must
# follow it to https, and the contract suite from the image must pass with --cacert.
tls_case() {
	local label=$1 ca=$2 tname="partner-mock-e2e-tls-$1-$$" tport
	shift 2
	tport=$(free_port)
	containers+=("$tname")
	docker run -d --name "$tname" --network host -e PARTNER_MOCK_ADDR="127.0.0.1:$tport" \
		--health-interval "$HEALTH_INTERVAL" "$@" "$IMAGE" >/dev/null
	if ! wait_healthy "$tname" >/dev/null; then
		fail "HTTPS ($label): the container did not become healthy by its own HEALTHCHECK"
		return
	fi
	docker logs "$tname" 2>/dev/null | grep '^TLS:' | sed "s/^/HTTPS ($label): /"
	echo "--- HTTPS ($label): partner-mock contract --base-url https://127.0.0.1:$tport/v1 --cacert $ca (from the image)"
	if docker run --rm --network host -v "$out/tls:/tls:ro" "$IMAGE" \
		contract --base-url "https://127.0.0.1:$tport/v1" --api-key demo-key --api-key-2 demo-key-2 --cacert "$ca" >"$out/contract-tls-$label.txt" 2>&1; then
		echo "HTTPS ($label): healthy by the image's HEALTHCHECK; contract --cacert passed ($(grep -E '^[0-9]+ passed' "$out/contract-tls-$label.txt" | tail -n 1))"
	else
		cat "$out/contract-tls-$label.txt" >&2
		fail "HTTPS ($label): contract --cacert failed"
	fi
	docker rm -f "$tname" >/dev/null
}
mkdir -p "$out/tls"
chmod 0777 "$out/tls" # the image's user writes the self-signed CA here
rm -f "$out/tls/"*
tls_case self-signed /tls/ca.pem -v "$out/tls:/tls" \
	-e PARTNER_MOCK_TLS_SELF_SIGNED=true -e PARTNER_MOCK_TLS_CA_OUT=/tls/ca.pem
# A certificate for a name only: the image's probe pins it, the suite checks it by name and IP.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
	-subj /CN=partner-mock.test -addext "subjectAltName=DNS:partner-mock.test,IP:127.0.0.1" \
	-keyout "$out/tls/key.pem" -out "$out/tls/cert.pem" >/dev/null 2>&1
chmod a+r "$out/tls/key.pem" "$out/tls/cert.pem"
tls_case cert-and-key /tls/cert.pem -v "$out/tls:/tls:ro" \
	-e PARTNER_MOCK_TLS_CERT=/tls/cert.pem -e PARTNER_MOCK_TLS_KEY=/tls/key.pem

# --- 6. compose, as the docs show it -------------------------------------------------------------
# docs_block NAME: the fenced block right after the line `<!-- e2e: NAME -->` of the docs page.
docs_block() {
	awk -v marker="<!-- e2e: $1 -->" '
		$0 == marker { found = 1; next }
		found && /^```/ { if (inblock) exit; inblock = 1; next }
		inblock { print }' "$DOCS"
}
composes=()
if docker compose version >/dev/null 2>&1; then composes+=("docker compose"); fi
if command -v docker-compose >/dev/null 2>&1; then composes+=("docker-compose"); fi
if [ "${#composes[@]}" -eq 0 ]; then
	fail "neither docker compose nor docker-compose is installed (bash docker/engine.sh installs docker-compose)"
fi
recipe=$(docs_block config-recipe)
host_block=$(docs_block compose-host)
config_block=$(docs_block compose-config)
[ -n "$recipe" ] && [ -n "$host_block" ] && [ -n "$config_block" ] || fail "$DOCS: an e2e block is missing"

# A copy of the files the commands use, laid out as in the repository, fixtures/fixtures.go
# included: the recipe must leave it out.
checkout="$out/checkout"
rm -rf "$checkout" && mkdir -p "$checkout"
cp -R docker fixtures "$checkout/"

# run_block COMPOSE LABEL BLOCK: runs the docs' commands in the copy with COMPOSE as the compose
# command, its project named for this run; a `down` of it is registered for the exit trap.
run_block() {
	local compose=$1 label=$2 block=$3 project
	project="partner-mock-e2e-$$-$label"
	block=${block//docker compose /$compose }
	compose_downs+=("cd '$checkout' && COMPOSE_PROJECT_NAME=$project PARTNER_MOCK_PORT=$PARTNER_MOCK_PORT $compose -f docker/compose.host.yaml -f docker/compose.config.yaml down --timeout 10")
	echo "--- $label, as $DOCS shows it:"
	sed 's/^/    $ /' <<<"$block"
	(cd "$checkout" && COMPOSE_PROJECT_NAME=$project bash -euo pipefail -c "$block") >"$out/$label.log" 2>&1
}

i=0
for compose in "${composes[@]}"; do
	i=$((i + 1))
	tag=compose-v1
	[ "$compose" = "docker-compose" ] || tag=compose-v2
	echo "=== compose: $compose ($($compose version 2>/dev/null | sed -n 1p))"
	if ! (cd "$checkout" && $compose -f docker/compose.yaml config -q); then
		fail "$compose: docker/compose.yaml is not valid"
	fi
	export PARTNER_MOCK_IMAGE=$IMAGE PARTNER_MOCK_PORT
	PARTNER_MOCK_PORT=$(free_port)

	t0=$(now_ms)
	if run_block "$compose" "$tag-host" "$host_block"; then
		echo "$compose: compose.host.yaml: the contract service passed ($(($(now_ms) - t0)) ms for up and down; log $out/$tag-host.log)"
	else
		tail -n 40 "$out/$tag-host.log" >&2
		fail "$compose: compose.host.yaml up --exit-code-from contract failed"
	fi

	rm -rf "$checkout/partner-mock-config"
	echo "--- config recipe, as $DOCS shows it:"
	sed 's/^/    $ /' <<<"$recipe"
	if (cd "$checkout" && bash -euo pipefail -c "$recipe"); then
		copied=$(cd "$checkout/partner-mock-config" && find . -type f | sort | tr '\n' ' ')
		want=$(cd fixtures && { echo ./tenants.yaml; for f in pinned/*.yaml; do echo "./$f"; done; } | sort | tr '\n' ' ')
		echo "config recipe copied: $copied"
		[ "$copied" = "$want" ] || fail "the config recipe copied '$copied', want the data files only: '$want'"
	else
		fail "the config recipe of $DOCS failed"
	fi
	# The docs' "edit tenants.yaml" step: other keys, so the suite passes only if the mounted file
	# was served.
	# The keys are written as a block item (`- demo-key`) or in a flow list (`[demo-key-2]`).
	sed -i -E -e 's/^([[:space:]]*- )demo-key$/\1e2e-key-1/' -e 's/\[demo-key\]/[e2e-key-1]/' -e 's/\[demo-key-2\]/[e2e-key-2]/' "$checkout/partner-mock-config/tenants.yaml"
	grep -qE '(- |\[)e2e-key-1' "$checkout/partner-mock-config/tenants.yaml" && grep -q 'e2e-key-2' "$checkout/partner-mock-config/tenants.yaml" ||
		fail "could not rename the keys demo-key and demo-key-2 in the copied tenants.yaml"
	PARTNER_MOCK_PORT=$(free_port)
	t0=$(now_ms)
	export PARTNER_API_KEY=e2e-key-1 PARTNER_API_KEY_2=e2e-key-2 # the docs' "export the keys" step
	if run_block "$compose" "$tag-config" "$config_block"; then
		echo "$compose: compose.host.yaml + compose.config.yaml: the contract service passed with the mounted config's keys ($(($(now_ms) - t0)) ms; log $out/$tag-config.log)"
	else
		tail -n 40 "$out/$tag-config.log" >&2
		fail "$compose: compose.host.yaml + compose.config.yaml up --exit-code-from contract failed"
	fi
	unset PARTNER_API_KEY PARTNER_API_KEY_2
done

echo "--- e2e summary: image $image_bytes bytes on disk (budget $MAX_IMAGE_BYTES), $gzip_bytes bytes compressed (budget $MAX_IMAGE_GZIP_BYTES); start to healthy ${start_ms:-?} ms (budget $MAX_START_MS ms), ${start_cpu_ms:-?} ms of CPU (budget $MAX_START_CPU_MS ms); stop ${t_exited:+$((t_exited - t_stop)) ms} (budget $MAX_STOP_MS ms); compose: ${composes[*]:-none}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${#failures[@]}" -gt 0 ]; then
	printf 'e2e FAILED (%d):\n' "${#failures[@]}"
	printf '  - %s\n' "${failures[@]}"
	exit 1
fi
echo "e2e passed"
