#include "compiler/cli/explain_command.h"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <optional>
#include <vector>

#include "compiler/cli/exit_codes.h"
#include "compiler/diag/closest_name.h"
#include "compiler/diag/codes.h"

namespace gemba::cli {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

const diag::CodeInfo* find_code(const std::string& code) {
  for (const diag::CodeInfo& info : diag::all_codes()) {
    if (info.id == upper(code) || info.name == code) return &info;
  }
  return nullptr;
}

const char* severity_word(diag::Severity severity) {
  switch (severity) {
    case diag::Severity::kError:
      return "error";
    case diag::Severity::kWarning:
      return "warning";
    case diag::Severity::kNote:
      return "note";
  }
  return "error";
}

void print_unknown(const std::string& code) {
  std::vector<std::string> ids;
  std::vector<std::string> names;
  for (const diag::CodeInfo& info : diag::all_codes()) {
    ids.emplace_back(info.id);
    names.emplace_back(info.name);
  }
  std::optional<std::string> guess = diag::closest_name(upper(code), ids);
  if (!guess) guess = diag::closest_name(code, names);
  std::cerr << "gemba: error: unknown diagnostic code `" << code << "`";
  if (guess) std::cerr << "; did you mean `" << *guess << "`?";
  std::cerr << '\n';
}

}  // namespace

CLI::App* add_explain_command(CLI::App& app, std::string& code) {
  CLI::App* explain = app.add_subcommand("explain", "Explain a diagnostic code, e.g. G0401");
  explain->add_option("code", code, "A code (G0401) or its name (dimension-mismatch)")
      ->required()
      ->type_name("CODE");
  return explain;
}

int run_explain_command(const std::string& code) {
  const diag::CodeInfo* info = find_code(code);
  if (info == nullptr) {
    print_unknown(code);
    return kExitUsage;
  }
  std::cout << info->id << ' ' << info->name << " (" << severity_word(info->severity) << ")\n"
            << info->summary << '\n'
            << "How to fix it: grammar/DIAGNOSTICS.md, section " << info->id << ".\n";
  return kExitClean;
}

}  // namespace gemba::cli
