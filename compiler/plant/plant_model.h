// A plant model as the checker reads it from a `plant` declaration: the equipment
// hierarchy with property values and signal sources, the units the plant works in, the
// parameters it sets, its explicit bindings and its shift calendar. Specialization
// (compiler/specialize/) reads templates against it.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/plant/shift_calendar.h"
#include "compiler/sema/symbol.h"
#include "compiler/sema/value.h"

namespace gemba::plant {

struct Instance {
  std::string name;   // unique in its plant: `mixer1`
  std::string title;  // may be empty
  std::string path;   // from the plant down: `houston.blending.mixer1`
  const sema::ClassInfo* equipment_class = nullptr;  // null when the class is unknown
  const ast::InstanceDecl* decl = nullptr;
  const Instance* parent = nullptr;
  std::map<std::string, sema::Value> properties;
  std::map<std::string, std::string> sources;  // signal -> address
};

struct Shift {
  std::string name;
  int start_minute = 0;  // since local midnight
  int end_minute = 0;    // <= start_minute: the shift ends the next day
  diag::Span span;
};

// A plant's value for a template parameter.
struct ParamSetting {
  sema::Value value;
  const ast::PlantParam* decl = nullptr;
};

// `bind MixBatch.mixer = mixer2;`
struct Binding {
  std::string procedure;
  std::string use;
  const Instance* target = nullptr;
  const ast::PlantBinding* decl = nullptr;
};

struct PlantModel {
  std::string name;
  std::string title;
  const ast::PlantDecl* decl = nullptr;
  std::size_t module = 0;         // index of the module that declares it
  std::string timezone;           // an IANA name; checked
  std::vector<sema::Unit> units;  // the units it works in, at most one per dimension
  std::map<std::string, ParamSetting> params;
  std::vector<Binding> bindings;
  std::vector<Shift> shifts;
  // The shifts in the plant's time zone; null when the zone or a shift is invalid.
  std::optional<ShiftCalendar> calendar;
  std::deque<Instance> instances;  // depth first, in declaration order; stable addresses

  const Instance* find(const std::string& name) const;
  // The unit the plant works in for this dimension, if it names one.
  const sema::Unit* unit_for(const sema::Dimension& dimension) const;
  const Binding* binding(const std::string& procedure, const std::string& use) const;
};

}  // namespace gemba::plant
