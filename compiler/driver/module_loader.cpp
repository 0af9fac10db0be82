#include "compiler/driver/module_loader.h"

#include <algorithm>
#include <set>
#include <system_error>

#include "compiler/diag/closest_name.h"
#include "compiler/driver/module_names.h"
#include "compiler/syntax/parser.h"

namespace gemba::driver {
namespace {

namespace fs = std::filesystem;

std::string file_key(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal().generic_string();
}

std::optional<std::string> declared_name(const ast::Module& module) {
  if (!module.name || module.name->parts.empty()) return std::nullopt;
  return module.name->text();
}

// "`a`", "`a` or `b`", "`a`, `b` or `c`".
std::string quoted_list(const std::vector<std::string>& items, std::string_view last_joint) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? std::string(last_joint) : std::string(", ");
    out += '`' + items[i] + '`';
  }
  return out;
}

// An import whose path the parser had to repair, as in `import std.kpi;` where `kpi`
// is a keyword: the path is cut short, so what follows it on its line is not `;`. The
// parser has reported the error; resolving the stump would only add a second one.
// (A `;` missing at the end of the line leaves the path whole: that one resolves.)
bool is_repaired(const ast::Path& path, const diag::SourceFile& file) {
  if (path.parts.empty() || std::any_of(path.parts.begin(), path.parts.end(),
                                        [](const ast::Ident& part) { return part.name.empty(); })) {
    return true;
  }
  std::string_view rest = std::string_view(file.text())
                              .substr(std::min<std::size_t>(path.span.end, file.text().size()));
  while (!rest.empty()) {
    if (rest.starts_with("/*")) {
      std::size_t close = rest.find("*/", 2);
      rest.remove_prefix(close == std::string_view::npos ? rest.size() : close + 2);
    } else if (rest.front() == ' ' || rest.front() == '\t') {
      rest.remove_prefix(1);
    } else {
      return !(rest.front() == ';' || rest.front() == '\n' || rest.front() == '\r' ||
               rest.starts_with("//"));
    }
  }
  return false;
}

}  // namespace

ModuleLoader::ModuleLoader(diag::SourceManager& sources, diag::DiagnosticSink& sink,
                           LoaderOptions options)
    : sources_(sources), sink_(sink), options_(std::move(options)) {}

void ModuleLoader::add_input(std::string path, std::string text) {
  load(std::move(path), std::move(text), ModuleOrigin::kInput);
}

std::size_t ModuleLoader::load(std::string path, std::string text, ModuleOrigin origin) {
  if (origin != ModuleOrigin::kStdlib) by_file_.emplace(file_key(path), modules_.size());
  diag::FileId id = sources_.add(std::move(path), std::move(text));
  LoadedModule module;
  module.file = id;
  module.ast = syntax::parse(sources_.file(id), id, sink_);
  module.origin = origin;
  if (!module.ast) {  // the parser promises a module; be safe if it returns none
    module.ast = std::make_unique<ast::Module>();
    module.ast->file = id;
  }
  modules_.push_back(std::move(module));
  return modules_.size() - 1;
}

void ModuleLoader::resolve_imports() {
  name_inputs();
  // Resolving may append modules; they are resolved in turn.
  for (std::size_t i = 0; i < modules_.size(); ++i) resolve_module(i);
}

// Declared names first, so that a declaration wins over another file's stem whatever
// the order of the inputs.
void ModuleLoader::name_inputs() {
  for (std::size_t i = 0; i < modules_.size(); ++i) {
    const ast::Module& module = *modules_[i].ast;
    std::optional<std::string> name = declared_name(module);
    if (!name) continue;
    modules_[i].name = *name;
    auto [it, inserted] = by_name_.emplace(*name, i);
    if (inserted) continue;
    const ast::Module& first = *modules_[it->second].ast;
    sink_
        .report(diag::Code::kDuplicateModule, module.name->span,
                "module `" + *name + "` is declared by two files")
        .note(first.name->span, "first declared here")
        .with_hint("rename one of the two modules");
  }
  for (std::size_t i = 0; i < modules_.size(); ++i) {
    if (!modules_[i].name.empty()) continue;
    modules_[i].name = fs::path(sources_.file(modules_[i].file).path()).stem().string();
    by_name_.emplace(modules_[i].name, i);
  }
}

void ModuleLoader::resolve_module(std::size_t index) {
  std::map<std::string, const ast::Import*> seen;
  // modules_ may grow (and move) below, but the AST it points to stays put.
  const ast::Module& module = *modules_[index].ast;
  for (const ast::Import& import : module.imports) {
    if (is_repaired(import.module, sources_.file(modules_[index].file))) continue;
    std::string name = import.module.text();
    auto [first, inserted] = seen.emplace(name, &import);
    if (!inserted) {
      sink_
          .report(diag::Code::kDuplicateImport, import.module.span,
                  "module `" + name + "` is imported twice")
          .note(first->second->module.span, "first imported here")
          .with_hint("remove this import");
      continue;
    }
    std::optional<std::size_t> target = find_module(name, index);
    if (!target) {
      report_unknown(import, name, index);
      continue;
    }
    // `import a.b;` that found `a/b.gmb` by its path: the file must say it is `a.b`.
    std::optional<std::string> declared = declared_name(*modules_[*target].ast);
    if (declared && *declared != name) {
      sink_
          .report(diag::Code::kModuleNameMismatch, import.module.span,
                  "`import " + name + "` found `" + sources_.file(modules_[*target].file).path() +
                      "`, which declares module `" + *declared + "`")
          .note(modules_[*target].ast->name->span, "declared here")
          .with_hint("import it as `" + *declared + "`, or rename the file's module to `" + name +
                     "`");
    }
    modules_[index].imports.push_back({&import, *target, false});
  }
}

std::optional<std::size_t> ModuleLoader::find_module(const std::string& name,
                                                     std::size_t importer) {
  if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
  std::optional<std::size_t> found =
      is_stdlib_module_name(name) ? find_in_stdlib(name) : find_on_disk(name, importer);
  if (found) by_name_.emplace(name, *found);
  return found;
}

std::optional<std::size_t> ModuleLoader::find_in_stdlib(const std::string& name) {
  std::optional<StdlibModule> file = find_stdlib_module(name);
  if (!file) return std::nullopt;
  std::size_t index = load(file->path, std::string(file->text), ModuleOrigin::kStdlib);
  modules_[index].name = declared_name(*modules_[index].ast).value_or(name);
  return index;
}

std::optional<std::size_t> ModuleLoader::find_on_disk(const std::string& name,
                                                      std::size_t importer) {
  const std::string relative = module_relative_path(name);
  for (const fs::path& dir : search_dirs(importer)) {
    fs::path candidate = dir / relative;
    if (auto it = by_file_.find(file_key(candidate)); it != by_file_.end()) return it->second;
    ReadResult read = options_.read(candidate);
    if (read.status == ReadResult::Status::kNotFound ||
        read.status == ReadResult::Status::kIsDirectory) {
      continue;
    }
    if (read.status == ReadResult::Status::kFailed) {
      io_errors_.push_back("cannot read `" + candidate.generic_string() + "`: " + read.error);
      continue;
    }
    std::size_t index =
        load(candidate.generic_string(), std::move(read.text), ModuleOrigin::kSearchPath);
    modules_[index].name = declared_name(*modules_[index].ast).value_or(name);
    return index;
  }
  return std::nullopt;
}

std::vector<fs::path> ModuleLoader::search_dirs(std::size_t importer) const {
  std::vector<fs::path> candidates = options_.include_dirs;
  // The standard library's files have no folder on disk.
  if (modules_[importer].origin != ModuleOrigin::kStdlib) {
    candidates.push_back(fs::path(sources_.file(modules_[importer].file).path()).parent_path());
  }
  std::vector<fs::path> dirs;  // each folder once, at its first place
  std::set<std::string> seen;
  for (fs::path& dir : candidates) {
    if (seen.insert(file_key(dir / "")).second) dirs.push_back(std::move(dir));
  }
  return dirs;
}

void ModuleLoader::report_unknown(const ast::Import& import, const std::string& name,
                                  std::size_t importer) {
  diag::Diagnostic& d =
      sink_.report(diag::Code::kUnknownModule, import.module.span, "unknown module `" + name + "`");
  if (std::optional<std::string> guess = diag::closest_name(name, known_names())) {
    d.with_hint("did you mean `" + *guess + "`?");
    return;
  }
  if (is_stdlib_module_name(name)) {
    std::vector<std::string> provided = stdlib_module_names();
    d.with_hint(provided.empty()
                    ? "the standard library provides no modules"
                    : "the standard library provides " + quoted_list(provided, " and "));
    return;
  }
  std::vector<std::string> looked;
  for (const fs::path& dir : search_dirs(importer)) {
    looked.push_back((dir / module_relative_path(name)).generic_string());
  }
  d.with_hint("no checked file declares `module " + name + ";` and there is no " +
              quoted_list(looked, " or ") + "; add a folder to search with `-I DIR`");
}

std::vector<std::string> ModuleLoader::known_names() const {
  std::set<std::string> names;
  for (const auto& [name, index] : by_name_) names.insert(name);
  for (const LoadedModule& module : modules_) names.insert(module.name);
  for (std::string& name : stdlib_module_names()) names.insert(std::move(name));
  return {names.begin(), names.end()};
}

}  // namespace gemba::driver
