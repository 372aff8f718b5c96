#!/usr/bin/env bash
# End-to-end check of the Docker image (run by `make e2e`, after `make docker` built it):
#
#   1. the image's size is within budget;
#   2. `docker run` with host networking on a free loopback port becomes healthy within budget,
#      by the image's own HEALTHCHECK (`partner-mock healthcheck`);
#   3. `partner-mock contract`, run from the image, passes against the container;
#   4. `docker stop` (SIGTERM) lets a request that is in flight (held by `Prefer: delay=MS`)
#      finish, and the container exits 0 within budget;
#   5. docker/compose.yaml (with docker/compose.e2e.yaml for host networking and a mounted
#      config) brings the mock up healthy and its one-shot contract service passes.
#
# It prints each figure and exits 1 when a check fails or a budget is missed. It never skips: no
# Docker engine is a failure (see docker/engine.sh, which .ci/run uses to start one).
#
# Environment: IMAGE (default partner-mock:dev), HOST_BIN (the binary the image was built from,
# used on the host to time readiness; default dist/docker/partner-mock), E2E_PORT (default: a free
# port in 20000-29999), E2E_OUT (where the JUnit report goes; default a temp dir), and the
# budgets E2E_MAX_IMAGE_BYTES (15000000), E2E_MAX_HEALTHY_MS (500), E2E_MAX_STOP_MS (5000).
set -euo pipefail

IMAGE=${IMAGE:-partner-mock:dev}
HOST_BIN=${HOST_BIN:-dist/docker/partner-mock}
MAX_IMAGE_BYTES=${E2E_MAX_IMAGE_BYTES:-15000000}
MAX_HEALTHY_MS=${E2E_MAX_HEALTHY_MS:-500}
MAX_STOP_MS=${E2E_MAX_STOP_MS:-5000}
# The image's own HEALTHCHECK command, probed this often while the container starts. Docker runs
# the first probe one interval after start; the image's default (5s) suits a long-running test
# environment, not a stopwatch, and engines before 25 have no --health-start-interval.
HEALTH_INTERVAL=${E2E_HEALTH_INTERVAL:-50ms}

failures=()
fail() { failures+=("$1"); echo "FAIL: $1" >&2; }
now_ms() { date +%s%3N; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

if ! docker info >/dev/null 2>&1; then
	echo "e2e: no Docker engine answers (docker info failed); start one (bash docker/engine.sh)" >&2
	docker info 2>&1 | tail -3 >&2 || true
	exit 1
fi
[ -x "$HOST_BIN" ] || { echo "e2e: $HOST_BIN missing: run make docker first" >&2; exit 1; }

name="partner-mock-e2e-$$"
compose() {
	if docker compose version >/dev/null 2>&1; then
		docker compose "$@"
	else
		docker-compose "$@"
	fi
}
out=${E2E_OUT:-$(mktemp -d)}
mkdir -p "$out"
project=""
cleanup() {
	docker rm -f "$name" >/dev/null 2>&1 || true
	if [ -n "$project" ]; then compose -p "$project" -f "$out/compose.yaml" down --timeout 10 >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# --- 1. size -------------------------------------------------------------------------------
# On disk, as `docker images` shows it (uncompressed), and as a registry stores and a pull
# transfers it (the layers gzip-compressed).
image_bytes=$(docker image inspect -f '{{.Size}}' "$IMAGE")
pull_bytes=$(docker save "$IMAGE" | gzip -c | wc -c)
user=$(docker image inspect -f '{{.Config.User}}' "$IMAGE")
echo "image $IMAGE: $(mb "$image_bytes") on disk ($image_bytes bytes), $(mb "$pull_bytes") compressed; user $user"
[ "$image_bytes" -lt "$MAX_IMAGE_BYTES" ] || fail "image is $(mb "$image_bytes") on disk; budget $(mb "$MAX_IMAGE_BYTES")"
case "$user" in "" | 0 | 0:* | root | root:*) fail "image runs as root (USER '$user')" ;; esac

# --- 2. run until healthy --------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -n "${E2E_PORT:-}" ]; then
	port=$E2E_PORT
else
	port=$((20000 + RANDOM % 10000))
	while ! port_free "$port"; do port=$((20000 + RANDOM % 10000)); done
fi
base="http://127.0.0.1:$port"

# Docker's own record of the container's health and death, with the daemon's timestamps: no
# polling of the engine to slow it down while it starts the container.
events="$out/events.txt"
docker events --filter "container=$name" --filter event=health_status --filter event=die \
	--format '{{.Action}} {{.TimeNano}}' >"$events" &
events_pid=$!
sleep 0.3 # let the subscription settle before the clock starts

t_run=$(now_ms)
docker run -d --name "$name" --network host \
	-e PARTNER_MOCK_ADDR="127.0.0.1:$port" \
	--health-interval "$HEALTH_INTERVAL" \
	"$IMAGE" >/dev/null
t_started=$(now_ms)

# Two clocks: when the service first answers its health probe (the same binary, run on the host),
# and when Docker reports the container healthy (the image's HEALTHCHECK, run inside).
t_ready=""
t_healthy=""
deadline=$((t_run + 15000))
while :; do
	if [ -z "$t_ready" ] && "$HOST_BIN" healthcheck --url "$base/healthz" --timeout 200ms >/dev/null 2>&1; then
		t_ready=$(now_ms)
	fi
	if line=$(grep -m 1 '^health_status: healthy ' "$events"); then
		t_healthy=$((${line##* } / 1000000))
		[ -n "$t_ready" ] || t_ready=$(now_ms)
		break
	fi
	if grep -q '^die ' "$events" || [ "$(now_ms)" -gt "$deadline" ]; then
		echo "container state: $(docker inspect -f '{{.State.Status}} (exit {{.State.ExitCode}})' "$name"); its log:" >&2
		docker logs "$name" >&2 || true
		docker inspect -f '{{json .State.Health}}' "$name" >&2 || true
		fail "container did not become healthy within 15 s"
		break
	fi
	sleep 0.01
done
kill "$events_pid" 2>/dev/null || true
if [ -n "$t_healthy" ]; then
	echo "docker run returned after $((t_started - t_run)) ms; the host's first successful /healthz probe after $((t_ready - t_run)) ms; Docker reported healthy after $((t_healthy - t_run)) ms (health interval $HEALTH_INTERVAL)"
	[ $((t_healthy - t_run)) -lt "$MAX_HEALTHY_MS" ] || fail "healthy after $((t_healthy - t_run)) ms; budget $MAX_HEALTHY_MS ms"
fi

# --- 3. the contract suite, from the image, against the container -------------------------------
if [ -n "$t_healthy" ]; then
	chmod 0777 "$out" # the image's user (65532) writes the report into the mounted directory
	echo "--- partner-mock contract --base-url $base/v1 (from the image)"
	if docker run --rm --network host -v "$out:/out" "$IMAGE" \
		contract --base-url "$base/v1" --api-key demo-key --api-key-2 demo-key-2 --junit /out/contract-junit.xml; then
		echo "contract suite passed; JUnit report: $out/contract-junit.xml"
	else
		fail "contract suite from the image failed against the container (exit $?)"
	fi
fi

# --- 4. docker stop drains an in-flight request, exits 0 in budget ------------------------------
# A request that is still in its handler when SIGTERM lands (held there by the mock's
# `Prefer: delay=MS` control) must be answered in full before the container exits.
DRAIN_DELAY_MS=${E2E_DRAIN_DELAY_MS:-1000}
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
	[ $((t_exited - t_stop)) -lt "$MAX_STOP_MS" ] || fail "stop took $((t_exited - t_stop)) ms; budget $MAX_STOP_MS ms"
else
	fail "container not running before docker stop"
fi

# --- 5. docker compose: compose.yaml with the e2e overlay ---------------------------------------
# The mock with a mounted config and its healthcheck, and the one-shot contract service that
# starts once the mock is healthy; `up --exit-code-from contract` exits with the suite's status.
if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; then
	cport=$((20000 + RANDOM % 10000))
	while [ "$cport" = "$port" ] || ! port_free "$cport"; do cport=$((20000 + RANDOM % 10000)); done
	project="partner-mock-e2e-$$"
	cfg="$out/config"
	rm -rf "$cfg" && cp -R fixtures "$cfg" && chmod -R a+rX "$cfg"
	# demo-key is the first item of a block list (keys with faults follow it); demo-key-2 is a flow list.
	sed -i -e 's/^\(      - \)demo-key$/\1e2e-key-1/' -e 's/\[demo-key-2\]/[e2e-key-2]/' "$cfg/tenants.yaml"
	if ! grep -q 'e2e-key-1' "$cfg/tenants.yaml" || ! grep -q 'e2e-key-2' "$cfg/tenants.yaml"; then
		fail "could not rename the keys in the copy of fixtures/tenants.yaml"
	fi
	export E2E_PORT=$cport E2E_CONFIG_DIR=$cfg PARTNER_MOCK_IMAGE=$IMAGE
	compose -p "$project" -f docker/compose.yaml -f docker/compose.e2e.yaml config >"$out/compose.merged.yaml"
	# Drop the `ports:` block (and its items, any indentation deeper than the key's).
	awk '/^    ports:$/ { skip = 1; next } skip && /^(     |    - )/ { next } { skip = 0; print }' \
		"$out/compose.merged.yaml" >"$out/compose.yaml"
	echo "--- docker compose up --exit-code-from contract (mock on 127.0.0.1:$cport, config mounted from $cfg)"
	t_up=$(now_ms)
	if compose -p "$project" -f "$out/compose.yaml" up --no-color --exit-code-from contract; then
		echo "compose: contract passed against the compose mock after $(($(now_ms) - t_up)) ms"
	else
		fail "docker compose: the contract service failed against the mock (see above)"
	fi
	compose -p "$project" -f "$out/compose.yaml" down --timeout 10 >/dev/null 2>&1 || true
	project=""
else
	fail "neither docker compose nor docker-compose is installed (bash docker/engine.sh installs it)"
fi

echo "--- e2e summary: image $(mb "$image_bytes") (budget $(mb "$MAX_IMAGE_BYTES")), healthy ${t_healthy:+$((t_healthy - t_run)) ms} (budget $MAX_HEALTHY_MS ms), stop ${t_exited:+$((t_exited - t_stop)) ms} (budget $MAX_STOP_MS ms)"
if [ "${#failures[@]}" -gt 0 ]; then
	printf 'e2e FAILED (%d):\n' "${#failures[@]}"
	printf '  - %s\n' "${failures[@]}"
	exit 1
fi
echo "e2e passed"
