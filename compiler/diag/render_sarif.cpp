#include "compiler/diag/render_sarif.h"

#include <cstdio>

#include "compiler/diag/paths.h"
#include "compiler/diag/span_location.h"

namespace gemba::diag {
namespace {

using Json = nlohmann::ordered_json;

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view path) {
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || c == '/') {
      out += ch;
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    }
  }
  return out;
}

Json rule_of(const CodeInfo& code) {
  Json rule;
  rule["id"] = std::string(code.id);
  rule["name"] = std::string(code.name);
  rule["shortDescription"] = {{"text", std::string(code.summary)}};
  rule["defaultConfiguration"] = {{"level", std::string(severity_name(code.severity))}};
  return rule;
}

Json physical_location(const SourceManager& sources, Span span) {
  SpanLocation where = locate(sources, span);
  Json out;
  out["artifactLocation"] = {{"uri", sarif_uri(where.file->path())}};
  out["region"] = {{"startLine", where.begin.line},
                   {"startColumn", where.begin.column},
                   {"endLine", where.end.line},
                   {"endColumn", where.end.column}};
  return out;
}

// The message, then each note without a place and the hint, one per line: SARIF
// viewers show message.text alone.
std::string message_text(const Diagnostic& d) {
  std::string text = d.message;
  for (const Note& note : d.notes) {
    if (!note.span) text += "\nnote: " + note.message;
  }
  if (!d.hint.empty()) text += "\nhint: " + d.hint;
  return text;
}

Json result_of(const Diagnostic& d, const SourceManager& sources) {
  Json out;
  out["ruleId"] = std::string(info(d.code).id);
  out["ruleIndex"] = static_cast<std::size_t>(d.code);
  out["level"] = std::string(severity_name(d.severity));
  out["message"] = {{"text", message_text(d)}};
  out["locations"] = Json::array();
  if (d.span.file < sources.size()) {
    Json location;
    location["physicalLocation"] = physical_location(sources, d.span);
    out["locations"].push_back(std::move(location));
  }
  Json related = Json::array();
  for (const Note& note : d.notes) {
    if (!note.span || note.span->file >= sources.size()) continue;
    Json location;
    location["id"] = related.size();
    location["physicalLocation"] = physical_location(sources, *note.span);
    location["message"] = {{"text", note.message}};
    related.push_back(std::move(location));
  }
  if (!related.empty()) out["relatedLocations"] = std::move(related);
  return out;
}

}  // namespace

std::string sarif_uri(std::string_view path) {
  std::string slashed(path);
  for (char& c : slashed) {
    if (c == '\\') c = '/';
  }
  if (is_stdlib_path(slashed))
    return "stdlib/" + percent_encode(slashed.substr(kStdlibPathPrefix.size()));
  if (slashed.starts_with('/')) return "file://" + percent_encode(slashed);
  return percent_encode(slashed);
}

Json to_sarif(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
              std::string_view tool_version) {
  Json rules = Json::array();
  for (const CodeInfo& code : all_codes()) rules.push_back(rule_of(code));

  Json driver;
  driver["name"] = "gemba";
  driver["version"] = std::string(tool_version);
  driver["rules"] = std::move(rules);

  Json results = Json::array();
  for (const Diagnostic& d : diagnostics) results.push_back(result_of(d, sources));

  Json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = std::move(results);

  Json log;
  log["$schema"] = std::string(kSarifSchema);
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(run)});
  return log;
}

std::string render_sarif(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                         std::string_view tool_version) {
  return to_sarif(diagnostics, sources, tool_version)
             .dump(2, ' ', false, Json::error_handler_t::replace) +
         '\n';
}

}  // namespace gemba::diag
