#include "compiler/plant/plant_model.h"

namespace gemba::plant {

const Instance* PlantModel::find(const std::string& name) const {
  for (const auto& instance : instances) {
    if (instance.name == name || instance.path == name) return &instance;
  }
  return nullptr;
}

const sema::Unit* PlantModel::unit_for(const sema::Dimension& dimension) const {
  for (const auto& unit : units) {
    if (unit.dimension() == dimension) return &unit;
  }
  return nullptr;
}

const Binding* PlantModel::binding(const std::string& procedure, const std::string& use) const {
  for (const auto& b : bindings) {
    if (b.procedure == procedure && b.use == use) return &b;
  }
  return nullptr;
}

}  // namespace gemba::plant
