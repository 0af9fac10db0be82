// Prints expressions, types and values of a template as a plant sees them: constants
// folded and shown in the units the plant works in. Used for the readable specialized
// program (`gemba specialize`) and for the values quoted in specialization errors.
#pragma once

#include <functional>
#include <string>

#include "compiler/plant/plant_model.h"
#include "compiler/sema/program.h"

namespace gemba::specialize {

class Printer {
 public:
  // `constant` gives the folded value of an expression, or null when it has none.
  using Constants = std::function<const sema::Value*(const ast::Expr*)>;
  // The value of a template parameter, or null: for `{name}` in strings.
  using Params = std::function<const sema::Value*(const sema::Symbol*)>;

  Printer(const sema::Program& program, const plant::PlantModel* plant, Constants constants,
          Params params = nullptr)
      : program_(program),
        plant_(plant),
        constants_(std::move(constants)),
        params_(std::move(params)) {}

  std::string expr(const ast::Expr* expr) const;
  // A written type (`kg`, `delta degC`, `Mixer`) in the plant's unit of its dimension.
  std::string type(const ast::UnitExpr* type) const;
  // `1102.31131 lb`, `true`, `"text"`, `Grade.A`.
  std::string value(const sema::Value& value) const;
  // A string, with each `{param}` the plant sets replaced by its value.
  std::string string_literal(const ast::StringExpr* s) const;

 private:
  std::string binary(const ast::BinaryExpr& b) const;
  std::string unit_name(const sema::Unit& unit, const sema::Type& type) const;
  std::string written_unit(const ast::UnitExpr* unit) const;

  const sema::Program& program_;
  const plant::PlantModel* plant_;
  Constants constants_;
  Params params_;
};

// The unit a quantity is shown in at `plant`: the plant's unit of its dimension, else
// the unit it carries, else nullopt (shown in coherent base units).
std::optional<sema::Unit> display_unit(const sema::Value& value, const plant::PlantModel* plant);

}  // namespace gemba::specialize
