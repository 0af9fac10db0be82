// A checked program: the modules, what the checker learned about them (Facts) and the
// plant models it read. The passes after the checker (specialization, lowering) start
// from here. It refers to the modules' ASTs, which must outlive it.
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include "compiler/plant/plant_model.h"
#include "compiler/sema/check.h"
#include "compiler/sema/facts.h"

namespace gemba::sema {

class Checker;
class DimensionTable;

class Program {
 public:
  // Checks `modules` (see check()), reporting into `sink`.
  Program(const std::vector<ModuleInput>& modules, diag::DiagnosticSink& sink);
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  const std::vector<ModuleInput>& modules() const;
  const Facts& facts() const;
  const std::deque<plant::PlantModel>& plants() const;
  const DimensionTable& dimensions() const;
  // The symbol a named declaration declares; null for a duplicate or an unnamed one.
  const Symbol* symbol_of(const ast::Decl* decl) const;

 private:
  std::unique_ptr<Checker> checker_;
};

}  // namespace gemba::sema
