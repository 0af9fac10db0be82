// Plant models: `plant houston "Houston, TX" { ... }`. Checks what a plant says on its
// own (time zone, working units, shifts, equipment, property values, signal sources,
// bindings) and records it as a plant::PlantModel. Whether a template fits the plant
// is the specialization pass's question.
#include <algorithm>
#include <array>

#include "compiler/diag/closest_name.h"
#include "compiler/plant/shift_calendar.h"
#include "compiler/plant/time_zone.h"
#include "compiler/sema/checker.h"

namespace gemba::sema {
namespace {

using diag::Code;

// ISA-95's role-based equipment hierarchy, top down (std.isa95's classes).
constexpr std::array<std::string_view, 7> kLevels = {
    "Enterprise", "Site", "Area", "WorkCenter", "WorkUnit", "EquipmentModule", "ControlModule"};

std::optional<int> isa95_level(const ClassInfo* cls) {
  for (; cls != nullptr; cls = cls->base) {
    auto it = std::find(kLevels.begin(), kLevels.end(), cls->name);
    if (it != kLevels.end()) return static_cast<int>(it - kLevels.begin());
  }
  return std::nullopt;
}

// "a Mixer", "an Area": by the first letter, which is close enough for class names.
std::string a_or_an(const std::string& word) {
  bool vowel = !word.empty() && std::string_view("AEIOUaeiou").find(word[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + word;
}

// The schemes the edge agent reads from (edge/README.md).
constexpr std::array<std::string_view, 5> kSchemes = {"mqtt", "mqtts", "modbus", "sim", "file"};

std::optional<std::string> address_problem(const std::string& address) {
  auto colon = address.find("://");
  if (colon == std::string::npos || colon == 0) {
    return "`" + address + "` is not a source address of the form scheme://...";
  }
  std::string scheme = address.substr(0, colon);
  if (std::find(kSchemes.begin(), kSchemes.end(), scheme) == kSchemes.end()) {
    return "the edge agent cannot read from `" + scheme + "://` sources";
  }
  if (colon + 3 == address.size()) return "`" + address + "` names no topic, register or file";
  return std::nullopt;
}

}  // namespace

void Checker::check_plant(const ast::PlantDecl& decl) {
  plant::PlantModel& model = plants_.emplace_back();
  model.name = decl.name.name;
  model.title = decl.title;
  model.decl = &decl;
  model.module = current_;
  if (!decl.timezone) {
    sink_
        .report(Code::kMissingTimeZone, decl.name.span,
                "plant `" + decl.name.name + "` declares no time zone")
        .with_hint(
            "shifts and KPI windows follow the plant's clock: add e.g. "
            "`timezone \"America/Chicago\";`");
  } else if (auto zone = plant::find_time_zone(*decl.timezone); !zone.zone) {
    bool unknown = zone.status == plant::TimeZoneLookup::Status::kUnknownName;
    auto& d =
        sink_.report(Code::kUnknownTimeZone, decl.timezone_span,
                     unknown ? "`" + *decl.timezone + "` is not a time zone of the IANA database"
                             : "the time zone database cannot be read: " + zone.error);
    if (!unknown) {
      d.with_hint("install the tzdata package");
    } else if (auto guess = diag::closest_name(*decl.timezone, plant::time_zone_names())) {
      d.with_hint("did you mean `" + *guess + "`?");
    } else {
      d.with_hint("write an IANA name such as \"Europe/Berlin\" or \"America/Chicago\"");
    }
  } else {
    model.timezone = *decl.timezone;
  }
  check_plant_units(decl, model);
  check_plant_params(decl, model);
  check_shifts(decl, model);
  for (const auto& instance : decl.instances) check_instance(*instance, model, nullptr, model.name);
  check_plant_bindings(decl, model);
}

void Checker::check_plant_units(const ast::PlantDecl& decl, plant::PlantModel& model) {
  std::vector<diag::Span> spans;
  for (const auto& expr : decl.units) {
    auto unit = eval_unit(*expr, /*numbers=*/false, /*dimensions=*/false);
    if (!unit) continue;
    for (std::size_t i = 0; i < model.units.size(); ++i) {
      if (model.units[i].dimension() != unit->dimension()) continue;
      sink_
          .report(Code::kPlantUnitConflict, expr->span,
                  "the plant already works in `" + model.units[i].name() + "` for " +
                      dimensions_.describe(unit->dimension()))
          .note(spans[i], "listed here")
          .with_hint("keep one unit per dimension");
      unit.reset();
      break;
    }
    if (!unit) continue;
    if (unit->name().empty()) {
      sink_
          .report(Code::kPlantUnitConflict, expr->span,
                  "a plant works in named units; this is a compound unit")
          .with_hint("declare it first, e.g. `unit gpm = gal / min;`, and list its name");
      continue;
    }
    model.units.push_back(*unit);
    spans.push_back(expr->span);
  }
}

void Checker::check_plant_params(const ast::PlantDecl& decl, plant::PlantModel& model) {
  BodyContext ctx{Place::kExpression, nullptr};
  for (const auto& param : decl.params) {
    if (auto it = model.params.find(param.name.name); it != model.params.end()) {
      sink_
          .report(Code::kDuplicateDefinition, param.name.span,
                  "the plant already sets `" + param.name.name + "`")
          .note(it->second.decl->span, "set here");
      continue;
    }
    Type type = check_expr(param.value.get(), ctx);
    if (type.is_error()) continue;
    if (auto value = plant_constant(param.value.get(), "a plant parameter")) {
      model.params[param.name.name] = {*value, &param};
    }
  }
}

void Checker::check_shifts(const ast::PlantDecl& decl, plant::PlantModel& model) {
  // 24:00 ends a shift at midnight: the same clock time as 00:00.
  std::vector<plant::ShiftDefinition> shifts;
  for (const ast::ShiftDef& shift : decl.shifts) {
    shifts.push_back({shift.name.name, shift.start_minute % plant::kMinutesPerDay,
                      shift.end_minute % plant::kMinutesPerDay});
  }
  std::vector<bool> bad(shifts.size(), false);
  for (const plant::ShiftProblem& problem : plant::validate_shifts(shifts)) {
    const ast::ShiftDef& shift = decl.shifts[problem.shift_index];
    bad[problem.shift_index] = true;
    bool duplicate = problem.kind == plant::ShiftProblem::Kind::kDuplicateName;
    auto& d = sink_.report(duplicate ? Code::kDuplicateDefinition : Code::kShiftOverlap,
                           duplicate ? shift.name.span : shift.span, problem.message);
    if (problem.other_index) d.note(decl.shifts[*problem.other_index].span, "the other shift");
    if (problem.kind == plant::ShiftProblem::Kind::kOverlap) {
      d.with_hint(
          "every minute of the day belongs to at most one shift; move a boundary so "
          "that one shift ends where the next starts");
    } else if (problem.kind == plant::ShiftProblem::Kind::kZeroLength) {
      d.with_hint(
          "a shift runs from its start to a different end; 22:00 .. 06:00 crosses "
          "midnight");
    }
  }
  for (std::size_t i = 0; i < shifts.size(); ++i) {
    if (!bad[i]) {
      model.shifts.push_back(
          {shifts[i].name, shifts[i].start_minute, shifts[i].end_minute, decl.shifts[i].span});
    }
  }
  if (model.shifts.size() != shifts.size() || model.timezone.empty()) return;
  auto zone = plant::find_time_zone(model.timezone);
  if (zone.zone) model.calendar = plant::build_shift_calendar(*zone.zone, shifts).calendar;
}

void Checker::check_instance(const ast::InstanceDecl& decl, plant::PlantModel& model,
                             const plant::Instance* parent, const std::string& prefix) {
  if (const plant::Instance* twin = model.find(decl.name.name)) {
    sink_
        .report(Code::kDuplicateDefinition, decl.name.span,
                "plant `" + model.name + "` already has equipment named `" + decl.name.name + "`")
        .note(twin->decl->name.span, "the first is here")
        .with_hint("equipment names are unique within a plant, whatever the area");
    return;
  }
  plant::Instance& out = model.instances.emplace_back();
  out.name = decl.name.name;
  out.title = decl.title;
  out.path = prefix + "." + decl.name.name;
  out.decl = &decl;
  out.parent = parent;

  Symbol* cls = lookup(decl.class_name);
  if (cls && cls->kind != SymbolKind::kClass) {
    sink_.report(Code::kNotAnEquipmentClass, decl.class_name.span,
                 "`" + cls->name + "` is " + a_kind(cls->kind) + ", not an equipment class");
  } else if (cls) {
    resolve(cls);
    out.equipment_class = &cls->class_info;
  }
  if (out.equipment_class && parent && parent->equipment_class) {
    auto level = isa95_level(out.equipment_class);
    auto parent_level = isa95_level(parent->equipment_class);
    if (level && parent_level && *level <= *parent_level) {
      sink_
          .report(Code::kHierarchyViolation, decl.class_name.span,
                  "`" + out.name + "` is " + a_or_an(out.equipment_class->name) +
                      " (ISA-95 level " + std::string(kLevels[*level]) +
                      "); it cannot sit inside `" + parent->name + "`, " +
                      a_or_an(parent->equipment_class->name) + " (level " +
                      std::string(kLevels[*parent_level]) + ")")
          .with_hint(
              "ISA-95 nests enterprise > site > area > work center > work unit > "
              "equipment module > control module");
    }
  }
  plant::Instance* self = &out;  // deque: stable while children are added
  BodyContext ctx{Place::kExpression, nullptr};
  const ClassInfo* info = self->equipment_class;
  auto member = [&](const ast::Ident& name, ast::ClassMember::Kind want) -> const MemberInfo* {
    if (info == nullptr) return nullptr;
    const MemberInfo* m = info->find(name.name);
    if (m == nullptr) {
      auto& d =
          sink_.report(Code::kUnknownMember, name.span,
                       "equipment class `" + info->name + "` has no " +
                           (want == ast::ClassMember::Kind::kProperty ? "property" : "signal") +
                           " `" + name.name + "`");
      if (auto guess = diag::closest_name(name.name, info->member_names()))
        d.with_hint("did you mean `" + *guess + "`?");
      return nullptr;
    }
    if (m->kind != want) {
      bool is_property = m->kind == ast::ClassMember::Kind::kProperty;
      sink_
          .report(Code::kWrongMemberKind, name.span,
                  "`" + name.name + "` is a " +
                      (is_property                                  ? "property"
                       : m->kind == ast::ClassMember::Kind::kSignal ? "signal"
                                                                    : "command") +
                      " of `" + info->name + "`")
          .with_hint(is_property ? "give a property a value: `" + name.name + " = ...;`"
                     : m->kind == ast::ClassMember::Kind::kSignal
                         ? "bind a signal to its source: `" + name.name + " <- \"mqtt://...\";`"
                         : "commands get no value in a plant model");
      return nullptr;
    }
    return m;
  };
  for (const auto& value : decl.values) {
    Type type = check_expr(value.value.get(), ctx);
    const MemberInfo* m = member(value.member, ast::ClassMember::Kind::kProperty);
    if (m == nullptr) continue;
    plant::Instance& target = *self;
    if (target.properties.count(value.member.name)) {
      sink_.report(Code::kDuplicateDefinition, value.member.span,
                   "`" + value.member.name + "` already has a value");
      continue;
    }
    if (!expect(m->type, type, value.value->span, "the value")) continue;
    if (auto v = plant_constant(value.value.get(), "a property value")) {
      target.properties.emplace(value.member.name, *v);
    }
  }
  for (const auto& source : decl.sources) {
    const MemberInfo* m = member(source.member, ast::ClassMember::Kind::kSignal);
    if (m == nullptr) continue;
    if (auto problem = address_problem(source.address)) {
      sink_.report(Code::kBadSourceAddress, source.address_span, *problem)
          .with_hint(
              "supported: mqtt://host/topic, mqtts://..., modbus://host:port/unit/register, "
              "sim://generator, file://path.csv");
      continue;
    }
    self->sources[source.member.name] = source.address;
  }
  if (info != nullptr) {
    std::vector<std::string> missing;
    for (const auto& name : info->member_names()) {
      const MemberInfo* m = info->find(name);
      if (m->kind == ast::ClassMember::Kind::kProperty && !self->properties.count(name) &&
          std::none_of(decl.values.begin(), decl.values.end(),
                       [&](const auto& v) { return v.member.name == name; }) &&
          std::none_of(decl.sources.begin(), decl.sources.end(),
                       [&](const auto& s) { return s.member.name == name; })) {
        missing.push_back("`" + name + "`");
      }
    }
    if (!missing.empty()) {
      std::string list;
      for (std::size_t i = 0; i < missing.size(); ++i) {
        list += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
      }
      sink_
          .report(
              Code::kMissingProperty, decl.name.span,
              "`" + decl.name.name + "` gives no value for " + list + " of `" + info->name + "`")
          .with_hint("templates read properties as constants; give each one a value, e.g. `" +
                     missing.front().substr(1, missing.front().size() - 2) + " = ...;`");
    }
  }
  for (const auto& child : decl.children) check_instance(*child, model, self, self->path);
}

// The procedure and its `uses` binding are checked when a template is specialized for
// the plant: plants do not import templates.
void Checker::check_plant_bindings(const ast::PlantDecl& decl, plant::PlantModel& model) {
  for (const auto& b : decl.bindings) {
    const std::string& target_name = b.target.parts.back().name;
    const plant::Instance* target = model.find(target_name);
    if (target == nullptr) {
      std::vector<std::string> names;
      for (const auto& i : model.instances) names.push_back(i.name);
      auto& d = sink_.report(Code::kBadBinding, b.target.span,
                             "plant `" + model.name + "` has no equipment `" + target_name + "`");
      if (auto guess = diag::closest_name(target_name, names)) {
        d.with_hint("did you mean `" + *guess + "`?");
      }
      continue;
    }
    if (const plant::Binding* twin = model.binding(b.procedure.name, b.use.name)) {
      sink_
          .report(Code::kBadBinding, b.span,
                  "`" + b.procedure.name + "." + b.use.name + "` is already bound")
          .note(twin->decl->span, "bound here");
      continue;
    }
    model.bindings.push_back({b.procedure.name, b.use.name, target, &b});
  }
}

}  // namespace gemba::sema
