// Test support: the lab's answer to each task of ReleaseCheck
// (examples/templates/quality_check.gmb) for a conforming lot, by the task's text as an
// operator station shows it; "" for a signature (the actor signs).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace gemba::testing {

inline std::string release_check_answer(const nlohmann::json& task) {
  std::string text = task["text"];
  if (text.starts_with("Retain sample")) return "yes";
  if (text.starts_with("pH")) return "3.9";
  if (text.starts_with("Brix")) return "30.5";
  if (text.starts_with("Salt")) return "2.1 percent";
  if (text.starts_with("Appearance")) return "Conforming";
  return "";
}

}  // namespace gemba::testing
