#include "edge/sources/signal_index.h"

namespace gemba::edge {

SignalIndex::SignalIndex(const std::vector<SignalInfo>& signals) : signals_(signals) {
  for (std::size_t i = 0; i < signals_.size(); ++i) {
    by_address_.emplace(signals_[i].address, i);
    if (!signals_[i].instance.empty()) {
      by_name_.emplace(signals_[i].instance + "." + signals_[i].signal, i);
    }
  }
}

const SignalInfo* SignalIndex::find(std::string_view name) const {
  std::string key(name);
  if (auto found = by_address_.find(key); found != by_address_.end()) {
    return &signals_[found->second];
  }
  if (auto found = by_name_.find(key); found != by_name_.end()) return &signals_[found->second];
  return nullptr;
}

}  // namespace gemba::edge
