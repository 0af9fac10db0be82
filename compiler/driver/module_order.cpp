#include "compiler/driver/module_order.h"

#include <algorithm>
#include <string>

namespace gemba::driver {
namespace {

class ModuleSorter {
 public:
  ModuleSorter(std::vector<LoadedModule>& modules, diag::DiagnosticSink& sink)
      : modules_(modules), sink_(sink), state_(modules.size(), State::kUnvisited) {}

  std::vector<std::size_t> run() {
    for (std::size_t i = 0; i < modules_.size(); ++i) {
      if (state_[i] == State::kUnvisited) visit(i);
    }
    return std::move(order_);
  }

 private:
  enum class State { kUnvisited, kOnPath, kDone };

  // Recursion depth is bounded by the longest chain of imports.
  void visit(std::size_t index) {
    state_[index] = State::kOnPath;
    path_.push_back(index);
    for (ModuleEdge& edge : modules_[index].imports) {
      if (state_[edge.target] == State::kOnPath) {
        report_cycle(edge);
      } else if (state_[edge.target] == State::kUnvisited) {
        visit(edge.target);
      }
    }
    path_.pop_back();
    state_[index] = State::kDone;
    order_.push_back(index);
  }

  // `edge` leads back to a module on the current path: the path from there, plus
  // this edge, is the cycle.
  void report_cycle(ModuleEdge& edge) {
    edge.closes_cycle = true;
    auto start = std::find(path_.begin(), path_.end(), edge.target);
    std::string cycle;
    for (auto it = start; it != path_.end(); ++it) cycle += modules_[*it].name + " -> ";
    cycle += modules_[edge.target].name;
    sink_
        .report(diag::Code::kImportCycle, edge.import->module.span,
                "importing `" + modules_[edge.target].name + "` here closes an import cycle")
        .note("the cycle is " + cycle)
        .with_hint("move what these modules share into a module that none of them imports back");
  }

  std::vector<LoadedModule>& modules_;
  diag::DiagnosticSink& sink_;
  std::vector<State> state_;
  std::vector<std::size_t> path_;
  std::vector<std::size_t> order_;
};

}  // namespace

std::vector<std::size_t> order_modules(std::vector<LoadedModule>& modules,
                                       diag::DiagnosticSink& sink) {
  return ModuleSorter(modules, sink).run();
}

}  // namespace gemba::driver
