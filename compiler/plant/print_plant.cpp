#include "compiler/plant/print_plant.h"

#include "compiler/ast/dump.h"
#include "compiler/specialize/printer.h"

namespace gemba::plant {
namespace {

class PlantPrinter {
 public:
  PlantPrinter(const sema::Program& program, const PlantModel& plant)
      : plant_(plant), values_(program, &plant, [](const ast::Expr*) { return nullptr; }) {}

  std::string run(int year) {
    line(0, "plant " + plant_.name + (plant_.title.empty() ? "" : " " + ast::quoted(plant_.title)));
    line(1, "timezone " + (plant_.timezone.empty() ? std::string("?") : plant_.timezone));
    std::string units;
    for (const auto& unit : plant_.units) units += (units.empty() ? "" : ", ") + unit.name();
    if (!units.empty()) line(1, "units " + units);
    for (const auto& [name, setting] : plant_.params) {
      line(1, "param " + name + " = " + values_.value(setting.value));
    }
    for (const auto& b : plant_.bindings) {
      line(1, "bind " + b.procedure + "." + b.use + " = " + b.target->path);
    }
    shifts(year);
    for (const auto& instance : plant_.instances) {
      if (instance.parent == nullptr) equipment(1, instance);
    }
    return std::move(out_);
  }

 private:
  void line(int depth, const std::string& text) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += text + '\n';
  }

  static std::string hours(std::chrono::seconds length) {
    auto minutes = length.count() / 60;
    std::string out = std::to_string(minutes / 60) + " h";
    if (minutes % 60 != 0) out += " " + std::to_string(minutes % 60) + " min";
    return out;
  }

  void shifts(int year) {
    for (const Shift& shift : plant_.shifts) {
      line(1, "shift " + shift.name + " " + format_clock(shift.start_minute) + " .. " +
                  format_clock(shift.end_minute));
    }
    if (!plant_.calendar) return;
    using namespace std::chrono;
    for (sys_days day = sys_days{std::chrono::year{year} / January / 1};
         day < sys_days{std::chrono::year{year + 1} / January / 1}; day += days{1}) {
      for (const ShiftInstance& instance : plant_.calendar->shifts_on(year_month_day{day})) {
        const ShiftDefinition& def = plant_.calendar->shifts()[instance.shift_index];
        int clock = (def.end_minute - def.start_minute + kMinutesPerDay) % kMinutesPerDay;
        if (instance.length() == minutes{clock}) continue;
        auto ymd = instance.date;
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
        line(2, std::string(date) + ": shift " + instance.name + " lasts " +
                    hours(instance.length()) + " (daylight saving)");
      }
    }
  }

  void equipment(int depth, const Instance& instance) {
    std::string cls = instance.equipment_class ? instance.equipment_class->name : "?";
    line(depth, cls + " " + instance.name +
                    (instance.title.empty() ? "" : " " + ast::quoted(instance.title)) + "  // " +
                    instance.path);
    for (const auto& [name, value] : instance.properties) {
      line(depth + 1, name + " = " + values_.value(value));
    }
    for (const auto& [name, address] : instance.sources) {
      line(depth + 1, name + " <- " + ast::quoted(address));
    }
    for (const auto& child : plant_.instances) {
      if (child.parent == &instance) equipment(depth + 1, child);
    }
  }

  const PlantModel& plant_;
  specialize::Printer values_;
  std::string out_;
};

}  // namespace

std::string print_plant(const sema::Program& program, const PlantModel& plant, int year) {
  return PlantPrinter(program, plant).run(year);
}

}  // namespace gemba::plant
