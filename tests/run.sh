#!/usr/bin/env bash
# The whole test suite: build everything, run ctest, then the short fuzz run if present.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash .ci/bootstrap.sh
ctest --test-dir "${GEMBA_BUILD_DIR:-build}" --output-on-failure -j2

if [[ -f tests/fuzz/run_short.sh ]]; then
  bash tests/fuzz/run_short.sh
fi
