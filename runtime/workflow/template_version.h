// A template version: the exact sources a procedure was compiled from for one plant
// (the template, the modules it imports, the plant model), stored in the runtime's data
// directory when an instance first uses it. Instances are pinned to its hash, so an
// edited template file never changes a running instance: the stored sources are
// compiled again at the next start, and the frame layout they give is checked against
// the one recorded with the version.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/lower/lower.h"

namespace gemba::workflow {

struct TemplateSource {
  std::string path;  // as the checker named it (diagnostics show it)
  std::string text;
  bool plant = false;  // a plant model file
};

struct TemplateVersion {
  std::string plant;
  std::vector<TemplateSource> sources;  // sorted by path; the embedded stdlib is not here
};

// SHA-256, in hex, over a format tag, the plant name and every source (path, plant flag,
// text): two versions with the same hash compile to the same program.
std::string version_hash(const TemplateVersion& version);

// Reads the inputs (files or folders, as `gemba check` takes them), the modules they
// import and the plant model files under `plant_paths`, checks them, and returns what
// was read as a version for `plant`; nullopt and the diagnostics, rendered as text, in
// `*error` when the program has errors or the plant is unknown.
std::optional<TemplateVersion> read_template_version(const std::vector<std::string>& inputs,
                                                     const std::string& plant,
                                                     const std::vector<std::string>& plant_paths,
                                                     const std::vector<std::string>& include_dirs,
                                                     std::string* error);

// A version compiled: the lowered modules (one per template among the sources) and the
// sources their spans point into.
struct CompiledVersion {
  std::vector<lower::Lowering> lowered;
  std::unique_ptr<diag::SourceManager> sources;
};

// Compiles a version from its stored sources (check, specialize for its plant, lower);
// nullopt and the diagnostics as text on errors.
std::optional<CompiledVersion> compile_version(const TemplateVersion& version, std::string* error);

// What a stored frame depends on: SHA-256 (hex) of the machine's listing (slots, signals,
// points, waits, blocks: return slots hold block numbers). A version whose recompiled
// machine has another fingerprint than the one stored cannot resume its instances (a
// compiler change moved the frame): the runtime refuses to guess.
std::string layout_fingerprint(const lower::Machine& machine, const lower::Module& module);

// SHA-256 of `bytes`, in hex.
std::string sha256_hex(std::string_view bytes);

}  // namespace gemba::workflow
