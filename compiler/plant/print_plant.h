// A plant model as the checker read it (`gemba check --dump-after check`): the
// equipment tree with classes, property values in the plant's units and signal
// sources, the parameters and bindings it sets, and its shift calendar, with the days
// of `year` on which daylight saving makes a shift longer or shorter than its clock
// times say. For plant IT to see exactly what Gemba understood.
#pragma once

#include <string>

#include "compiler/plant/plant_model.h"
#include "compiler/sema/program.h"

namespace gemba::plant {

std::string print_plant(const sema::Program& program, const PlantModel& plant, int year);

}  // namespace gemba::plant
