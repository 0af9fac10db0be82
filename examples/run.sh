#!/usr/bin/env bash
# Gemba's main job on the embedded defaults: build, then check every template of the
# example enterprise against every plant model and print the template x plant matrix;
# then run one procedure on the durable runtime, the lab's release check of a lot at
# Houston, with the answers of examples/answers/ (a fresh data directory each time);
# then a center and Houston's edge on loopback: ten minutes of the plant's signals from
# the simulator, collected by the data-collection rules and forwarded to the center,
# which is then asked what it holds.
#
# The enterprise is built to show a rejection: mix_batch needs a heated mixer, which
# plant hamburg lacks, so `gemba check` reports that error and exits with 1. That is
# the expected result; this script fails only if gemba cannot run (exit 2) or if the
# matrix is not the documented one (tests/examples/ asserts it cell by cell).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash .ci/bootstrap.sh gemba
status=0
"${GEMBA_BUILD_DIR:-build}/gemba" check --plants examples/plants examples/ || status=$?
if ((status == 2)); then exit 2; fi
echo
echo "run.sh: as documented in examples/README.md, every template runs at every plant"
echo "run.sh: except mix_batch at hamburg (no heated mixer there)."
echo
echo "run.sh: now a procedure on the durable runtime: ReleaseCheck at houston, scripted"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
"${GEMBA_BUILD_DIR:-build}/gemba" run examples/templates/quality_check.gmb \
  examples/equipment/acme.gmb --plant houston --plants examples/plants --data "$data" \
  --arg product=Ketchup --arg lot=L-2026-0042 \
  --answers examples/answers/release_check_houston.txt </dev/null

gemba="${GEMBA_BUILD_DIR:-build}/gemba"
echo
echo "run.sh: now the plant edge and the center: 10 simulated minutes of Houston's signals"
printf 'houston %s\n' "example-token-houston-0001" >"$data/tokens"
printf '%s\n' "example-token-houston-0001" >"$data/houston.token"
"$gemba" center --data "$data/center" --listen 127.0.0.1:0 --tokens "$data/tokens" \
  --address-file "$data/center.address" &
center_pid=$!
trap 'kill "$center_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 100); do [[ -s "$data/center.address" ]] && break; sleep 0.1; done
center="$(cat "$data/center.address")"
"$gemba" edge examples/templates/data_collection.gmb examples/equipment --plant houston \
  --plants examples/plants --data "$data/edge" --center "http://$center" \
  --token-file "$data/houston.token" --listen 127.0.0.1:0 \
  --simulate --seed 7 --sim-start 1790000000 --sim-speed 0 --sim-duration 10min \
  --exit-when-drained 2>&1 | grep -v '^gemba edge: not collected'

# A GET on loopback with bash alone (no curl on a fresh machine); prints the body.
http_get() {
  exec 3<>"/dev/tcp/${center%:*}/${center##*:}"
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "$center" >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}
echo
echo "run.sh: the center's edges (GET /v1/edges):"
http_get /v1/edges
echo
echo "run.sh: the first samples of kettle2.temperature at the center:"
http_get "/v1/samples?plant=houston&signal=kettle2.temperature&limit=3"
echo
kill -TERM "$center_pid"
wait "$center_pid"
