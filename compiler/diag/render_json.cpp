#include "compiler/diag/render_json.h"

#include "compiler/diag/span_location.h"

namespace gemba::diag {
namespace {

using Json = nlohmann::ordered_json;

std::string path_of(const SpanLocation& where) {
  return where.file != nullptr ? where.file->path() : std::string();
}

Json note_to_json(const Note& note, const SourceManager& sources) {
  Json out;
  out["message"] = note.message;
  if (note.span) {
    SpanLocation where = locate(sources, *note.span);
    out["file"] = path_of(where);
    out["line"] = where.begin.line;
    out["column"] = where.begin.column;
  }
  return out;
}

Json diagnostic_to_json(const Diagnostic& d, const SourceManager& sources) {
  SpanLocation where = locate(sources, d.span);
  Json out;
  out["code"] = std::string(info(d.code).id);
  out["severity"] = std::string(severity_name(d.severity));
  out["message"] = d.message;
  out["file"] = path_of(where);
  out["line"] = where.begin.line;
  out["column"] = where.begin.column;
  out["end_line"] = where.end.line;
  out["end_column"] = where.end.column;
  out["notes"] = Json::array();
  for (const Note& note : d.notes) out["notes"].push_back(note_to_json(note, sources));
  if (!d.hint.empty()) out["hint"] = d.hint;
  return out;
}

}  // namespace

Json to_json(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
             std::size_t files_checked) {
  std::size_t errors = 0;
  std::size_t warnings = 0;
  Json list = Json::array();
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::kError) ++errors;
    if (d.severity == Severity::kWarning) ++warnings;
    list.push_back(diagnostic_to_json(d, sources));
  }
  Json out;
  out["version"] = kJsonFormatVersion;
  out["files_checked"] = files_checked;
  out["errors"] = errors;
  out["warnings"] = warnings;
  out["diagnostics"] = std::move(list);
  return out;
}

std::string render_json(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                        std::size_t files_checked) {
  return to_json(diagnostics, sources, files_checked)
             .dump(2, ' ', false, Json::error_handler_t::replace) +
         '\n';
}

}  // namespace gemba::diag
