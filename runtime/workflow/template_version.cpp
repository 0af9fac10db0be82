#include "runtime/workflow/template_version.h"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>

#include "compiler/diag/paths.h"
#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"

namespace gemba::workflow {
namespace {

// Bumped when what the hash covers changes.
constexpr const char* kHashTag = "gemba-template-version-1";

void update(EVP_MD_CTX* ctx, const std::string& field) {
  // Length-prefixed, so that no two different field lists hash the same bytes.
  std::uint64_t size = field.size();
  EVP_DigestUpdate(ctx, &size, sizeof size);
  EVP_DigestUpdate(ctx, field.data(), field.size());
}

std::string hex(const unsigned char* digest, unsigned int length) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int k = 0; k < length; ++k) {
    out += kDigits[digest[k] >> 4];
    out += kDigits[digest[k] & 15];
  }
  return out;
}

bool lies_under(const std::filesystem::path& file, const std::filesystem::path& root) {
  std::error_code ec;
  auto a = std::filesystem::weakly_canonical(file, ec);
  auto b = std::filesystem::weakly_canonical(root, ec);
  auto [end, _] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  return end == b.end();
}

// The diagnostics of a run with errors, or of a missing plant, as text; empty when fine.
std::string problems(const driver::CheckRun& run, const std::string& plant) {
  std::string out;
  for (const std::string& error : run.io_errors) out += "error: " + error + "\n";
  if (run.errors() > 0) {
    out += diag::render_text(run.diagnostics, run.sources);
    out += diag::render_summary(run.errors(), run.warnings());
  }
  if (out.empty() && !run.specialization_skipped &&
      std::find(run.plant_names.begin(), run.plant_names.end(), plant) == run.plant_names.end()) {
    std::string known;
    for (const auto& name : run.plant_names) known += (known.empty() ? "" : ", ") + name;
    out = "error: no plant `" + plant + "` under the --plants paths" +
          (known.empty() ? std::string("; they declare no plant") : "; the plants are: " + known) +
          "\n";
  }
  return out;
}

driver::CheckOptions options_for(const std::string& plant) {
  driver::CheckOptions check;
  check.only_plant = plant;
  check.only_named_templates = true;
  return check;
}

}  // namespace

std::string version_hash(const TemplateVersion& version) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  update(ctx, kHashTag);
  update(ctx, version.plant);
  for (const TemplateSource& source : version.sources) {
    update(ctx, source.path);
    update(ctx, source.plant ? "plant" : "module");
    update(ctx, source.text);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  return hex(digest, length);
}

std::optional<TemplateVersion> read_template_version(const std::vector<std::string>& inputs,
                                                     const std::string& plant,
                                                     const std::vector<std::string>& plant_paths,
                                                     const std::vector<std::string>& include_dirs,
                                                     std::string* error) {
  driver::CheckOptions check = options_for(plant);
  check.plant_paths = plant_paths;
  check.include_dirs.assign(include_dirs.begin(), include_dirs.end());
  driver::CheckRun run = driver::check_paths(inputs, check);
  *error = problems(run, plant);
  if (!error->empty()) return std::nullopt;
  TemplateVersion version;
  version.plant = plant;
  for (std::size_t id = 0; id < run.sources.size(); ++id) {
    const diag::SourceFile& file = run.sources.file(static_cast<diag::FileId>(id));
    if (diag::is_stdlib_path(file.path())) continue;
    bool is_plant =
        std::any_of(plant_paths.begin(), plant_paths.end(),
                    [&](const std::string& root) { return lies_under(file.path(), root); });
    version.sources.push_back({file.path(), file.text(), is_plant});
  }
  std::sort(version.sources.begin(), version.sources.end(),
            [](const TemplateSource& a, const TemplateSource& b) { return a.path < b.path; });
  return version;
}

std::optional<CompiledVersion> compile_version(const TemplateVersion& version, std::string* error) {
  driver::CheckOptions check = options_for(version.plant);
  check.lower = true;
  std::vector<std::pair<std::string, std::string>> files;
  for (const TemplateSource& source : version.sources) {
    files.emplace_back(source.path, source.text);
    if (source.plant) check.plant_paths.push_back(source.path);
  }
  driver::CheckRun run = driver::check_sources(files, check);
  *error = problems(run, version.plant);
  if (!error->empty()) return std::nullopt;
  CompiledVersion out;
  out.lowered = std::move(run.lowered);
  out.sources = std::make_unique<diag::SourceManager>(std::move(run.sources));
  return out;
}

std::string layout_fingerprint(const lower::Machine& machine, const lower::Module& module) {
  return sha256_hex(lower::listing(machine, module));
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return hex(digest, length);
}

}  // namespace gemba::workflow
