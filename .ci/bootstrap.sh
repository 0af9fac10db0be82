#!/usr/bin/env bash
# Installs the Debian packages Gemba needs (only those missing), configures the build
# directory if needed, and builds. Idempotent; works from any directory, without a
# terminal (CI=true, no stdin).
#
#   bash .ci/bootstrap.sh              # build everything
#   bash .ci/bootstrap.sh gemba        # build the given targets only
#
# Environment: GEMBA_BUILD_DIR (default: build), GEMBA_CMAKE_ARGS (extra arguments for
# the first configure, e.g. "-DGEMBA_SANITIZE=address,undefined").
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly PACKAGES=(
  antlr4 libantlr4-runtime-dev uuid-dev default-jre-headless
  cmake ninja-build pkg-config g++
  libgtest-dev libbenchmark-dev nlohmann-json3-dev libcli11-dev libmuparser-dev
  clang libclang-rt-14-dev
  libhowardhinnant-date-dev tzdata
  llvm-19-dev libzstd-dev
  liblmdb-dev libssl-dev libsqlite3-dev
  libcpp-httplib-dev libmosquitto-dev mosquitto libmodbus-dev openssl
)

is_installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "bootstrap: not root and no sudo" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
fi

build_dir="${GEMBA_BUILD_DIR:-build}"
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  # shellcheck disable=SC2086  # GEMBA_CMAKE_ARGS is a word list on purpose
  cmake -S . -B "$build_dir" -G Ninja ${GEMBA_CMAKE_ARGS:-}
fi

if (($# > 0)); then
  cmake --build "$build_dir" -j2 --target "$@"
else
  cmake --build "$build_dir" -j2
fi
