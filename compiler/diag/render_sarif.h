// Diagnostics as a SARIF 2.1.0 log (`gemba check --format sarif`), the format code
// scanning services read. One run; its tool.driver lists one rule per diagnostic code
// (diag::all_codes(), in that order, so a result's ruleIndex is its code's position).
// Columns count Unicode code points (run.columnKind "unicodeCodePoints").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"

namespace gemba::diag {

inline constexpr std::string_view kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

nlohmann::ordered_json to_sarif(const std::vector<Diagnostic>& diagnostics,
                                const SourceManager& sources, std::string_view tool_version);

// The same log, indented, ending in a newline.
std::string render_sarif(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                         std::string_view tool_version);

// The artifactLocation.uri of a path as given: a relative URI reference with '/'
// separators; "stdlib/std/units.gmb" for "<stdlib>/std/units.gmb"; a file:// URI for
// an absolute path. Bytes outside the URI's unreserved set are percent-encoded.
std::string sarif_uri(std::string_view path);

}  // namespace gemba::diag
