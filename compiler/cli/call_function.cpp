#include "compiler/cli/call_function.h"

#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "compiler/interp/interpreter.h"
#include "compiler/jit/jit.h"

namespace gemba::cli {
namespace {

std::string trimmed(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  std::size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

bool is_name(const std::string& text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) {
    return false;
  }
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// `text` as a value of `type`; nullopt when it is not one. Reals accept `nan` and `inf`.
std::optional<lower::Scalar> parse_value(const std::string& text, lower::Type type) {
  lower::Scalar value{.i = 0};
  switch (type) {
    case lower::Type::kBool:
      if (text != "true" && text != "false") return std::nullopt;
      value.b = text == "true";
      return value;
    case lower::Type::kInt: {
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value.i);
      if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
      return value;
    }
    case lower::Type::kReal: {
      if (text.empty()) return std::nullopt;
      char* end = nullptr;
      errno = 0;
      value.r = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size()) return std::nullopt;
      return value;
    }
  }
  return std::nullopt;
}

std::string value_text(lower::Scalar value, lower::Type type) {
  char buffer[64];
  switch (type) {
    case lower::Type::kBool:
      return value.b ? "true" : "false";
    case lower::Type::kInt:
      std::snprintf(buffer, sizeof buffer, "%" PRId64, value.i);
      return buffer;
    case lower::Type::kReal:
      std::snprintf(buffer, sizeof buffer, "%.17g", value.r);
      return buffer;
  }
  return "?";
}

// What the parameters of `f` stand for: a KPI's ISO 22400 inputs (`APT(f)`), else
// `%0`, `%1`...
std::vector<std::string> parameter_names(const lower::Module& module, const lower::Function& f) {
  for (const lower::Kpi& kpi : module.kpis) {
    if (&module.functions[kpi.function] == &f) return kpi.inputs;
  }
  std::vector<std::string> names;
  for (std::size_t k = 0; k < f.params.size(); ++k) names.push_back("%" + std::to_string(k));
  return names;
}

std::string signature(const lower::Module& module, const lower::Function& f) {
  std::vector<std::string> names = parameter_names(module, f);
  std::string out = f.name + "(";
  for (std::size_t k = 0; k < f.params.size(); ++k) {
    out += (k ? ", " : "") + names[k] + ": " + lower::spelling(f.params[k]);
  }
  return out + "): " + lower::spelling(f.result);
}

// Runs function `index` with the JIT; the fault and its site as from the entry point.
lower::Fault run_jit(const lower::Module& module, const lower::Function& f,
                     const lower::Scalar* args, lower::Scalar* result, std::uint32_t* site,
                     std::string* error) {
  auto jit = jit::Jit::create(error);
  if (jit == nullptr) return lower::Fault::kNone;
  auto handle = jit->add(module, error);
  if (!handle) return lower::Fault::kNone;
  lower::EntryPoint entry = jit->lookup(*handle, f.name);
  if (entry == nullptr) {
    *error = "the JIT has no entry point " + f.name;
    return lower::Fault::kNone;
  }
  return static_cast<lower::Fault>(entry(args, result, site));
}

}  // namespace

std::optional<CallRequest> parse_call(const std::string& text, std::string* error) {
  std::size_t open = text.find('(');
  std::size_t close = text.rfind(')');
  CallRequest request;
  if (open != std::string::npos) request.function = trimmed(text.substr(0, open));
  if (open == std::string::npos || close == std::string::npos || close < open ||
      !trimmed(text.substr(close + 1)).empty() || !is_name(request.function)) {
    *error = "--call wants `function(arg, ...)`, e.g. --call 'kpi_line_oee(25200, 28800, 1.2, "
             "20000, 19400)'; got `" + text + "`";
    return std::nullopt;
  }
  std::string inside = trimmed(text.substr(open + 1, close - open - 1));
  for (std::size_t begin = 0; !inside.empty();) {
    std::size_t comma = inside.find(',', begin);
    request.args.push_back(trimmed(inside.substr(begin, comma - begin)));
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return request;
}

CallResult call_function(const lower::Module& module, const CallRequest& request, bool use_jit) {
  CallResult out;
  const lower::Function* f = module.find(request.function);
  if (f == nullptr || !f->entry) {
    out.error = "no function `" + request.function + "` in " + module.name +
                " (see its names with --emit listing)";
    return out;
  }
  auto index = static_cast<std::size_t>(f - module.functions.data());
  if (request.args.size() != f->params.size()) {
    out.error = signature(module, *f) + " takes " + std::to_string(f->params.size()) +
                " argument(s), --call gives " + std::to_string(request.args.size());
    return out;
  }
  std::vector<lower::Scalar> args;
  for (std::size_t k = 0; k < f->params.size(); ++k) {
    auto value = parse_value(request.args[k], f->params[k]);
    if (!value) {
      out.error = "argument " + std::to_string(k + 1) + " of " + signature(module, *f) + ": `" +
                  request.args[k] + "` is not a " + lower::spelling(f->params[k]) +
                  (f->params[k] == lower::Type::kReal ? " (values are in base units: s, kg, K)"
                                                      : "");
      return out;
    }
    args.push_back(*value);
  }
  lower::Scalar result{.i = 0};
  std::uint32_t site = 0;
  lower::Fault fault = lower::Fault::kNone;
  if (use_jit) {
    fault = run_jit(module, *f, args.data(), &result, &site, &out.error);
    if (!out.error.empty()) return out;
  } else {
    fault = interp::Interpreter(module).call(index, args.data(), &result, &site);
  }
  if (fault == lower::Fault::kNone) {
    out.value = value_text(result, f->result);
    return out;
  }
  diag::Diagnostic d{diag::Code::kRuntimeFault, diag::Severity::kError,
                     lower::fault_span(module, static_cast<std::uint32_t>(index), site)
                         .value_or(f->span),
                     std::string(lower::describe(fault)), {}, {}};
  std::vector<std::string> names = parameter_names(module, *f);
  std::string call = request.function + "(";
  for (std::size_t k = 0; k < request.args.size(); ++k) {
    call += (k ? ", " : "") + names[k] + " = " + request.args[k];
  }
  d.note(f->span, "in " + call + ")");
  d.with_hint("guard the operation, or check the values that reach it");
  out.fault = std::move(d);
  return out;
}

}  // namespace gemba::cli
