#include "edge/collect_plan.h"

#include <algorithm>
#include <cstdio>

#include "compiler/jit/jit.h"
#include "runtime/workflow/template_version.h"

namespace gemba::edge {
namespace {

SignalInfo::Kind kind_of(const lower::Collect& c) {
  switch (c.format.kind) {
    case lower::ValueFormat::Kind::kBool:
      return SignalInfo::Kind::kBool;
    case lower::ValueFormat::Kind::kEnum:
      return SignalInfo::Kind::kEnum;
    case lower::ValueFormat::Kind::kReal:
      return SignalInfo::Kind::kReal;
    default:
      return SignalInfo::Kind::kInt;
  }
}

std::string shown(double base, const lower::Collect& c) {
  char text[64];
  std::snprintf(text, sizeof text, "%g", (base - c.format.offset) / c.format.scale);
  return c.format.unit.empty() ? text : std::string(text) + " " + c.format.unit;
}

CollectRule rule_of(const lower::Collect& c) {
  CollectRule r;
  r.info.address = c.address;
  r.info.instance = c.instance;
  r.info.signal = c.signal;
  r.info.kind = kind_of(c);
  r.info.unit = c.format.unit;
  r.info.choices = c.format.choices;
  r.info.period_us = static_cast<std::int64_t>(c.period_s * 1e6);
  r.scale = c.format.scale;
  r.offset = c.format.offset;
  r.deadband = c.deadband;
  if (!c.valid.empty()) {
    r.info.has_valid = true;
    r.info.valid_lo = (c.valid_lo - c.format.offset) / c.format.scale;
    r.info.valid_hi = (c.valid_hi - c.format.offset) / c.format.scale;
    r.valid_text = shown(c.valid_lo, c) + " .. " + shown(c.valid_hi, c);
  }
  return r;
}

// Folds a second rule for the same signal into `into`.
void merge(CollectRule& into, const CollectRule& other) {
  into.info.period_us = std::min(into.info.period_us, other.info.period_us);
  into.deadband = std::min(into.deadband, other.deadband);
  if (other.info.has_valid) {
    into.info.valid_lo = into.info.has_valid ? std::max(into.info.valid_lo, other.info.valid_lo)
                                             : other.info.valid_lo;
    into.info.valid_hi = into.info.has_valid ? std::min(into.info.valid_hi, other.info.valid_hi)
                                             : other.info.valid_hi;
    into.valid_text = into.info.has_valid ? into.valid_text + " and " + other.valid_text
                                          : other.valid_text;
    into.info.has_valid = true;
  }
  into.valid.insert(into.valid.end(), other.valid.begin(), other.valid.end());
}

}  // namespace

const CollectRule* CollectPlan::find(const std::string& key) const {
  auto it = by_address.find(key);
  if (it != by_address.end()) return &rules[it->second];
  it = by_subject.find(key);
  return it == by_subject.end() ? nullptr : &rules[it->second];
}

std::unique_ptr<CollectPlan> make_collect_plan(const workflow::CompiledVersion& version,
                                               jit::Jit& jit, std::string* error) {
  auto plan = std::make_unique<CollectPlan>();
  for (const lower::Lowering& lowering : version.lowered) {
    for (const std::string& skipped : lowering.skipped) {
      if (skipped.rfind("collect_", 0) == 0) plan->notes.push_back(skipped);
    }
    if (lowering.module.collects.empty()) continue;
    auto handle = jit.add(lowering.module, error);
    if (!handle) return nullptr;
    for (const lower::Collect& c : lowering.module.collects) {
      CollectRule rule = rule_of(c);
      if (!c.valid.empty()) {
        lower::EntryPoint fn = jit.lookup(*handle, c.valid);
        if (fn == nullptr) {
          *error = "the JIT has no function " + c.valid + " in " + lowering.module.name;
          return nullptr;
        }
        rule.valid.push_back(fn);
      }
      auto [it, fresh] = plan->by_subject.emplace(rule.subject(), plan->rules.size());
      if (!fresh) {
        merge(plan->rules[it->second], rule);
        continue;
      }
      if (c.address.empty()) {
        plan->notes.push_back(rule.subject() + ": the plant model gives it no source address");
      }
      plan->rules.push_back(std::move(rule));
    }
  }
  for (std::size_t i = 0; i < plan->rules.size(); ++i) {
    const std::string& address = plan->rules[i].info.address;
    if (!address.empty()) plan->by_address.emplace(address, i);
  }
  return plan;
}

}  // namespace gemba::edge
