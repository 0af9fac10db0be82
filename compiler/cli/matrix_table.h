// The template x plant matrix of `gemba check --plants`, as a text table and as JSON.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/driver/pipeline.h"

namespace gemba::cli {

// One row per template, one column per plant: `ok`, `1 error`, `2 errors, 1 warning`.
std::string render_matrix(const std::vector<driver::MatrixCell>& matrix,
                          const std::vector<std::string>& plants);

// `[{template, plant, errors, warnings}, ...]`
nlohmann::json matrix_json(const std::vector<driver::MatrixCell>& matrix);

}  // namespace gemba::cli
