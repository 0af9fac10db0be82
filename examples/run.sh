#!/usr/bin/env bash
# Gemba's main job on the embedded defaults: build, then check every template of the
# example enterprise against every plant model and print the template x plant matrix;
# then run one procedure on the durable runtime, the lab's release check of a lot at
# Houston, with the answers of examples/answers/ (a fresh data directory each time).
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
