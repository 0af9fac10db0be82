#include "compiler/cli/matrix_table.h"

#include <algorithm>
#include <map>

namespace gemba::cli {
namespace {

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string cell_text(const driver::MatrixCell& cell) {
  if (!cell.specialized) return "not checked";
  if (cell.errors == 0 && cell.warnings == 0) return "ok";
  std::string out;
  if (cell.errors > 0) out = plural(cell.errors, "error");
  if (cell.warnings > 0) out += (out.empty() ? "" : ", ") + plural(cell.warnings, "warning");
  return out;
}

std::string pad(const std::string& text, std::size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

}  // namespace

std::string render_matrix(const std::vector<driver::MatrixCell>& matrix,
                          const std::vector<std::string>& plants) {
  std::vector<std::string> rows;
  std::map<std::pair<std::string, std::string>, std::string> cells;
  for (const auto& cell : matrix) {
    if (std::find(rows.begin(), rows.end(), cell.template_path) == rows.end()) {
      rows.push_back(cell.template_path);
    }
    cells[{cell.template_path, cell.plant}] = cell_text(cell);
  }
  std::size_t first = std::string("template").size();
  for (const auto& row : rows) first = std::max(first, row.size());
  std::vector<std::size_t> widths;
  for (const auto& plant : plants) {
    std::size_t width = plant.size();
    for (const auto& row : rows) width = std::max(width, cells[{row, plant}].size());
    widths.push_back(width);
  }
  auto line = [&](const std::string& head, const std::vector<std::string>& values) {
    std::string out = pad(head, first);
    for (std::size_t i = 0; i < values.size(); ++i) out += "  " + pad(values[i], widths[i]);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line("template", plants);
  for (const auto& row : rows) {
    std::vector<std::string> values;
    for (const auto& plant : plants) {
      auto it = cells.find({row, plant});
      values.push_back(it == cells.end() ? "-" : it->second);
    }
    out += line(row, values);
  }
  return out;
}

nlohmann::json matrix_json(const std::vector<driver::MatrixCell>& matrix) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& cell : matrix) {
    out.push_back({{"template", cell.template_path},
                   {"plant", cell.plant},
                   {"errors", cell.errors},
                   {"warnings", cell.warnings},
                   {"specialized", cell.specialized}});
  }
  return out;
}

}  // namespace gemba::cli
