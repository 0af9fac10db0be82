// What a plant makes known while a template is specialized: the values of template
// parameters and the equipment bound to `uses` bindings (whose properties are
// constants at the plant).
#pragma once

#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "compiler/plant/plant_model.h"
#include "compiler/sema/evaluate.h"

namespace gemba::specialize {

class PlantEnvironment : public sema::Environment {
 public:
  // `on_unknown_param` is called (once per parameter) for a parameter that has no value
  // yet, one the template reads from another module; it may call set_param.
  explicit PlantEnvironment(std::function<void(const sema::Symbol&)> on_unknown_param)
      : on_unknown_param_(std::move(on_unknown_param)) {}

  void set_param(const sema::Symbol* param, sema::Value value) {
    params_[param] = std::move(value);
  }
  // Binds a `uses` local to equipment; nullptr unbinds it.
  void bind(const sema::Symbol* local, const plant::Instance* instance) {
    if (instance == nullptr) {
      uses_.erase(local);
    } else {
      uses_[local] = instance;
    }
  }

  std::optional<sema::Value> name(const sema::Symbol& symbol) const override {
    auto it = params_.find(&symbol);
    if (it == params_.end() && symbol.kind == sema::SymbolKind::kParam &&
        asked_.insert(&symbol).second) {
      on_unknown_param_(symbol);
      it = params_.find(&symbol);
    }
    if (it == params_.end()) return std::nullopt;
    return it->second;
  }

  std::optional<sema::Value> member(const sema::Symbol& object,
                                    const std::string& member) const override {
    auto it = uses_.find(&object);
    if (it == uses_.end()) return std::nullopt;
    auto property = it->second->properties.find(member);
    if (property == it->second->properties.end()) return std::nullopt;
    return property->second;
  }

 private:
  std::unordered_map<const sema::Symbol*, sema::Value> params_;
  std::unordered_map<const sema::Symbol*, const plant::Instance*> uses_;
  std::function<void(const sema::Symbol&)> on_unknown_param_;
  mutable std::unordered_set<const sema::Symbol*> asked_;
};

}  // namespace gemba::specialize

namespace gemba::specialize {

// A command range's bounds: the names of the class's properties read the bound
// instance's values; everything else is the plant's.
class PropertyEnvironment : public sema::Environment {
 public:
  PropertyEnvironment(const plant::Instance& instance, const sema::Environment& outer)
      : instance_(instance), outer_(outer) {}

  std::optional<sema::Value> name(const sema::Symbol& symbol) const override {
    if (symbol.kind == sema::SymbolKind::kLocal && symbol.local == sema::LocalKind::kProperty) {
      auto it = instance_.properties.find(symbol.name);
      if (it == instance_.properties.end()) return std::nullopt;
      return it->second;
    }
    return outer_.name(symbol);
  }

  std::optional<sema::Value> member(const sema::Symbol& object,
                                    const std::string& member) const override {
    return outer_.member(object, member);
  }

 private:
  const plant::Instance& instance_;
  const sema::Environment& outer_;
};

}  // namespace gemba::specialize
