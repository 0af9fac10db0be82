// What the fuzzer does with one input, shared with tests/fuzz/regressions_test.cpp so
// that a saved crash input replays exactly as the fuzzer ran it.
//
// Shapes, chosen by the bytes alone (deterministic):
//   1. the whole input is one file, `fuzz.gmb`;
//   2. if the input holds a '\0', it is also split at the first one into `a.gmb` and
//      `b.gmb`, checked together: either may `import a;` / `import b;` the other (by
//      file stem, or by a `module a;` the input itself declares); and once more with
//      `b.gmb` as a plant model (`--plants`), so that every template of `a.gmb` is
//      specialized for every plant of `b.gmb` and printed (`--dump-after=specialize`).
// Each run's diagnostics go through every renderer (text, colored text, summary, JSON,
// SARIF), and the AST dump (`--dump-after=parse`) runs on the single file.
//
// The files live in a folder that does not exist, so `import x.y;` never reads the
// disk: a run depends on the input bytes only, not on the working directory.
//
// Oracles beyond "no crash, no leak, no hang, no exception": no diagnostic reports an
// internal error; every diagnostic points into a file of its run, with
// begin <= end <= the file's size. A broken oracle aborts with a message, which
// libFuzzer reports as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/diag/render_json.h"
#include "compiler/diag/render_sarif.h"
#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"

namespace gemba::fuzz {

inline constexpr std::string_view kFuzzDir = "/nonexistent-gemba-fuzz/";

[[noreturn]] inline void oracle_failed(const char* what) {
  std::fprintf(stderr, "gemba fuzz oracle failed: %s\n", what);
  std::abort();
}

// The parser turns an exception it catches (a bug: ANTLR runtime failures included)
// into a diagnostic "internal error in the parser: ..." so that `gemba check` never
// dies; for the fuzzer that is a crash.
inline void check_no_internal_error(const driver::CheckRun& run) {
  for (const diag::Diagnostic& d : run.diagnostics) {
    if (d.message.starts_with("internal error")) {
      std::fprintf(stderr, "gemba fuzz: %s\n", d.message.c_str());
      oracle_failed("the front end reported an internal error");
    }
  }
}

inline void check_spans(const driver::CheckRun& run) {
  for (const diag::Diagnostic& d : run.diagnostics) {
    std::vector<diag::Span> spans{d.span};
    for (const diag::Note& note : d.notes) {
      if (note.span) spans.push_back(*note.span);
    }
    for (const diag::Span& span : spans) {
      if (span.file >= run.sources.size()) oracle_failed("diagnostic span names no file");
      const std::size_t size = run.sources.file(span.file).text().size();
      if (span.begin > span.end) oracle_failed("diagnostic span ends before it begins");
      if (span.end > size) oracle_failed("diagnostic span ends past its file");
    }
  }
}

inline void render_all(const driver::CheckRun& run) {
  (void)diag::render_text(run.diagnostics, run.sources);
  (void)diag::render_text(run.diagnostics, run.sources, {.color = true});
  (void)diag::render_summary(run.errors(), run.warnings(), run.files_checked);
  // nlohmann's dump() either writes valid JSON or throws (invalid UTF-8 without a
  // replacement policy): an escaping exception is the oracle, so no parse-back.
  (void)diag::render_json(run.diagnostics, run.sources, run.files_checked);
  (void)diag::render_sarif(run.diagnostics, run.sources, "fuzz");
}

inline void check_and_render(const std::vector<std::pair<std::string, std::string>>& files,
                             const driver::CheckOptions& options = {}) {
  const driver::CheckRun run = driver::check_sources(files, options);
  check_no_internal_error(run);
  check_spans(run);
  render_all(run);
}

inline void check_one_input(std::string_view data) {
  const std::string dir(kFuzzDir);
  check_and_render({{dir + "fuzz.gmb", std::string(data)}});

  driver::CheckOptions dump_parse;
  dump_parse.dump_after = "parse";
  (void)driver::check_sources({{dir + "fuzz.gmb", std::string(data)}}, dump_parse);

  const std::size_t nul = data.find('\0');
  if (nul != std::string_view::npos) {
    const std::vector<std::pair<std::string, std::string>> files = {
        {dir + "a.gmb", std::string(data.substr(0, nul))},
        {dir + "b.gmb", std::string(data.substr(nul + 1))}};
    check_and_render(files);
    driver::CheckOptions with_plants;
    with_plants.plant_paths = {dir + "b.gmb"};
    with_plants.dump_after = "specialize";
    check_and_render(files, with_plants);
  }
}

}  // namespace gemba::fuzz
