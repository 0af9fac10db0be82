#!/usr/bin/env bash
# Gemba's main job on the embedded defaults: build, then check the bundled example
# templates. Exits with `gemba check`'s status.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash .ci/bootstrap.sh gemba
exec "${GEMBA_BUILD_DIR:-build}/gemba" check examples/
