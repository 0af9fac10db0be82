// What a plant sets for templates (`param`, `bind`) must be something a template
// declares: a misspelt setting would otherwise be silently ignored and the template's
// default used. Checked against every template of the run, so only meaningful when
// all of them are checked together (`gemba check --plants`).
#pragma once

#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/plant/plant_model.h"
#include "compiler/sema/program.h"

namespace gemba::specialize {

// Warns (G0906) about every parameter and binding of `plant` that none of the
// `templates` (module indexes) declares, suggesting the closest declared name.
void check_plant_settings(const sema::Program& program, const std::vector<std::size_t>& templates,
                          const plant::PlantModel& plant, diag::DiagnosticSink& sink);

}  // namespace gemba::specialize
