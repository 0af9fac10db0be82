// "Did you mean ...?": the known name a misspelt one was most likely meant to be.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gemba::diag {

// Levenshtein distance: insertions, deletions and substitutions of single bytes.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `name`, when it is near enough to be a typo: at most one
// edit per three bytes of `name`, and at least one. Ties go to the smallest candidate
// in byte order, so the answer never depends on the candidates' order. `name` itself
// is never suggested.
std::optional<std::string> closest_name(std::string_view name,
                                        const std::vector<std::string>& candidates);

}  // namespace gemba::diag
