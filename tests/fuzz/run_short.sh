#!/usr/bin/env bash
# A short libFuzzer run over the whole front end (tests/fuzz/check_fuzzer.cpp):
# builds the fuzzer with clang in build-fuzz/, seeds a corpus from every .gmb file of
# the repository, runs on one worker for GEMBA_FUZZ_SECONDS (default 60), and exits
# with libFuzzer's status: non-zero on a crash, leak, timeout or out-of-memory, after
# printing where the reproducer was written. tests/fuzz/README.md explains the rest.
#
# Environment: GEMBA_FUZZ_SECONDS (default 60), GEMBA_FUZZ_BUILD_DIR (default
# build-fuzz), GEMBA_FUZZ_MAX_LEN (default 16384 bytes per input),
# GEMBA_FUZZ_KEEP_CORPUS=1 to keep and grow build-fuzz/fuzz/corpus/ across runs (for
# long runs; by default each run starts from the seeds, so that replaying an ever
# larger corpus does not eat a short run's time).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

readonly build_dir="${GEMBA_FUZZ_BUILD_DIR:-build-fuzz}"
readonly seconds="${GEMBA_FUZZ_SECONDS:-60}"
readonly max_len="${GEMBA_FUZZ_MAX_LEN:-16384}"
readonly work="$build_dir/fuzz"
readonly seeds="$work/seeds"         # rebuilt on every run from the repository
readonly corpus="$work/corpus"       # what libFuzzer found (kept with GEMBA_FUZZ_KEEP_CORPUS=1)
readonly artifacts="$work/artifacts" # crash-*, leak-*, timeout-*, oom-*
readonly dict="tests/fuzz/gemba.dict"
readonly fuzzer="$build_dir/gemba_check_fuzzer"

# ---- Build -------------------------------------------------------------------------
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DGEMBA_FUZZ=ON
fi
cmake --build "$build_dir" -j2 --target gemba_check_fuzzer

# ---- Seed corpus -------------------------------------------------------------------
# One file per seed, named after its source path ('/' -> '_').
add_seed() {  # add_seed NAME < content
  cat >"$seeds/$1"
}

rm -rf "$seeds"
if [[ "${GEMBA_FUZZ_KEEP_CORPUS:-0}" != 1 ]]; then
  rm -rf "$corpus"
fi
mkdir -p "$seeds" "$corpus" "$artifacts"
while IFS= read -r -d '' file; do
  add_seed "$(echo "$file" | tr '/' '_')" <"$file"
done < <(find examples stdlib tests/diagnostics -name '*.gmb' -type f -print0 2>/dev/null)
while IFS= read -r -d '' file; do
  add_seed "regression_$(basename "$file")" <"$file"
done < <(find tests/fuzz/regressions -type f ! -name 'README.md' -print0 2>/dev/null)

# The ```gmb blocks of the language reference, one seed each.
if [[ -f grammar/REFERENCE.md ]]; then
  awk -v dir="$seeds" '
    /^```gmb[[:space:]]*$/ { n++; out = sprintf("%s/reference_%03d.gmb", dir, n); inside = 1; next }
    /^```/ && inside       { inside = 0; close(out); next }
    inside                 { print > out }
  ' grammar/REFERENCE.md
fi

# Two-file seeds for the second shape (split at the first NUL byte): templates that
# import each other by module name.
{
  printf 'module a;\nimport std.units;\nimport b;\nfunction twice(x: kg): kg = 2 * half(x);\n'
  printf '\0'
  printf 'module b;\nimport std.units;\nfunction half(x: kg): kg = x / 2;\n'
} | add_seed two_files_import.gmb
if [[ -f examples/templates/mix_batch.gmb && -f examples/equipment/acme.gmb ]]; then
  { cat examples/templates/mix_batch.gmb; printf '\0'; cat examples/equipment/acme.gmb; } |
    add_seed two_files_templates.gmb
fi
if [[ -f examples/plants/houston.gmb && -f examples/equipment/acme.gmb ]]; then
  { cat examples/plants/houston.gmb; printf '\0'; cat examples/equipment/acme.gmb; } |
    add_seed two_files_plant.gmb
fi
echo "run_short: $(find "$seeds" -type f | wc -l) seeds, $(find "$corpus" -type f | wc -l)" \
  "inputs in $corpus from earlier runs"

# ---- Run ---------------------------------------------------------------------------
# UBSan only reports by default (the fuzz build lets checks recover): make it fatal.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

log="$work/last-run.log"
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len="$max_len" \
  -dict="$dict" -print_final_stats=1 -artifact_prefix="$artifacts/" \
  "$corpus" "$seeds" 2>&1 | tee "$log" || status=${PIPESTATUS[0]}

if ((status != 0)); then
  echo >&2
  echo "run_short: the fuzzer failed (exit $status); full log: $log" >&2
  grep -E 'Test unit written to|^SUMMARY:|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)' \
    "$log" >&2 || true
  reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
  if [[ -n "$reproducer" ]]; then
    echo "run_short: reproducer: $reproducer" >&2
    echo "run_short: replay with: $fuzzer $reproducer" >&2
    echo "run_short: once fixed, keep it: cp $reproducer tests/fuzz/regressions/<what-it-shows>" >&2
  fi
  exit "$status"
fi
echo "run_short: no crash, leak or timeout in ${seconds} s"
