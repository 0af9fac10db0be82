#include "compiler/diag/render_text.h"

#include <algorithm>
#include <string_view>

#include "compiler/diag/snippet.h"
#include "compiler/diag/span_location.h"

namespace gemba::diag {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kYellow = "\x1b[1;33m";
constexpr std::string_view kCyan = "\x1b[1;36m";
constexpr std::string_view kBlue = "\x1b[1;34m";
constexpr std::string_view kGreen = "\x1b[1;32m";

// Line numbers are right-aligned in a field at least this wide.
constexpr std::size_t kMinLineNumberWidth = 4;

std::string_view severity_color(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return kRed;
    case Severity::kWarning:
      return kYellow;
    case Severity::kNote:
      return kCyan;
  }
  return kRed;
}

// Writes one diagnostic; owns the layout decisions shared by its parts.
class BlockWriter {
 public:
  BlockWriter(const SourceManager& sources, const TextOptions& options, std::size_t gutter)
      : sources_(sources), color_(options.color), gutter_(gutter) {}

  // "path:line:col: " or "<unknown>: " when the span names no known file.
  void location(Span span) {
    SpanLocation where = locate(sources_, span);
    paint(kBold);
    if (where.file == nullptr) {
      out_ += "<unknown>: ";
    } else {
      out_ += where.file->path() + ':' + std::to_string(where.begin.line) + ':' +
              std::to_string(where.begin.column) + ": ";
    }
    paint(kReset);
  }

  void header(Span span, std::string_view label, std::string_view color, std::string_view message) {
    location(span);
    paint(color);
    out_ += label;
    paint(kReset);
    paint(kBold);
    out_ += ": ";
    out_ += message;
    paint(kReset);
    out_ += '\n';
  }

  void snippet(Span span, std::string_view marker_color) {
    if (span.file >= sources_.size()) return;
    Snippet s = make_snippet(sources_.file(span.file), span);
    std::string number = std::to_string(s.line);
    paint(kBlue);
    out_ += std::string(gutter_ - number.size(), ' ') + number + " |";
    paint(kReset);
    if (!s.text.empty()) out_ += ' ' + s.text;
    out_ += '\n';
    paint(kBlue);
    out_ += std::string(gutter_ + 1, ' ') + '|';
    paint(kReset);
    out_ += ' ';
    paint(marker_color);
    out_ += s.markers;
    paint(kReset);
    out_ += '\n';
  }

  void trailer(std::string_view label, std::string_view color, std::string_view message) {
    out_ += std::string(gutter_ + 1, ' ');
    paint(color);
    out_ += "= ";
    out_ += label;
    out_ += ':';
    paint(kReset);
    out_ += ' ';
    out_ += message;
    out_ += '\n';
  }

  std::string take() { return std::move(out_); }

 private:
  void paint(std::string_view escape) {
    if (color_) out_ += escape;
  }

  const SourceManager& sources_;
  bool color_;
  std::size_t gutter_;
  std::string out_;
};

// The width of the line-number field: enough for every line the block shows.
std::size_t gutter_width(const Diagnostic& d, const SourceManager& sources) {
  std::uint32_t max_line = locate(sources, d.span).begin.line;
  for (const Note& note : d.notes) {
    if (note.span) max_line = std::max(max_line, locate(sources, *note.span).begin.line);
  }
  return std::max(kMinLineNumberWidth, std::to_string(max_line).size()) + 1;
}

std::string plural(std::size_t n, std::string_view word) {
  std::string out = std::to_string(n) + ' ' + std::string(word);
  if (n != 1) out += 's';
  return out;
}

}  // namespace

std::string render_text(const Diagnostic& d, const SourceManager& sources,
                        const TextOptions& options) {
  BlockWriter w(sources, options, gutter_width(d, sources));
  std::string label =
      std::string(severity_name(d.severity)) + '[' + std::string(info(d.code).id) + ']';
  std::string_view color = severity_color(d.severity);
  w.header(d.span, label, color, d.message);
  w.snippet(d.span, color);
  for (const Note& note : d.notes) {
    if (note.span) {
      w.header(*note.span, "note", kCyan, note.message);
      w.snippet(*note.span, kCyan);
    } else {
      w.trailer("note", kBold, note.message);
    }
  }
  if (!d.hint.empty()) w.trailer("hint", kGreen, d.hint);
  return w.take();
}

std::string render_text(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                        const TextOptions& options) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += render_text(d, sources, options);
  }
  return out;
}

std::string render_summary(std::size_t errors, std::size_t warnings) {
  return plural(errors, "error") + ", " + plural(warnings, "warning") + '\n';
}

std::string render_summary(std::size_t errors, std::size_t warnings, std::size_t files) {
  std::string out = render_summary(errors, warnings);
  out.pop_back();
  return out + " in " + plural(files, "file") + '\n';
}

}  // namespace gemba::diag
