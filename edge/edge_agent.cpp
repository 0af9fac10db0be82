#include "edge/edge_agent.h"

#include <chrono>
#include <iostream>

#include "compiler/jit/jit.h"
#include "edge/collect_plan.h"
#include "edge/collector.h"
#include "edge/forwarder.h"
#include "edge/outbox.h"
#include "edge/procedures.h"
#include "edge/sources/make_sources.h"
#include "edge/status_api.h"
#include "runtime/workflow/template_version.h"

namespace gemba::edge {
namespace {

nlohmann::json to_json(const SourceStatus& s) {
  return {{"name", s.name},
          {"connected", s.connected},
          {"readings", s.readings},
          {"errors", s.errors},
          {"missed", s.missed},
          {"last_error", s.last_error}};
}

}  // namespace

struct EdgeAgent::Impl {
  EdgeOptions options;
  std::unique_ptr<jit::Jit> jit;
  workflow::TemplateVersion version;
  workflow::CompiledVersion compiled;
  std::unique_ptr<CollectPlan> plan;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<Forwarder> forwarder;
  std::unique_ptr<Collector> collector;
  std::unique_ptr<EdgeProcedures> procedures;
  std::vector<std::unique_ptr<Source>> sources;
  std::unique_ptr<StatusApi> api;
  bool started = false;
};

EdgeAgent::EdgeAgent(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

EdgeAgent::~EdgeAgent() { stop(); }

std::unique_ptr<EdgeAgent> EdgeAgent::open(const EdgeOptions& options, std::string* error,
                                           bool* program_error) {
  *program_error = false;
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  auto version = workflow::read_template_version(options.inputs, options.plant,
                                                 options.plant_paths, options.include_dirs, error);
  if (!version) {
    *program_error = true;
    return nullptr;
  }
  auto compiled = workflow::compile_version(*version, error);
  if (!compiled) {
    *program_error = true;
    return nullptr;
  }
  impl->compiled = std::move(*compiled);
  impl->version = std::move(*version);
  jit::JitOptions jo;
  if (!options.compiler_version.empty()) {
    jo.cache_dir = std::filesystem::path(options.data_dir) / "jit";
    jo.compiler_version = options.compiler_version;
  }
  impl->jit = jit::Jit::create(jo, error);
  if (!impl->jit) return nullptr;
  impl->plan = make_collect_plan(impl->compiled, *impl->jit, error);
  if (!impl->plan) return nullptr;
  if (impl->plan->rules.empty()) {
    *error = "no collect rule of the given templates applies at plant " + options.plant +
             ": give the data-collection templates as inputs (e.g. examples/templates)";
    *program_error = true;
    return nullptr;
  }
  // A signal without an address can only be simulated.
  for (CollectRule& rule : impl->plan->rules) {
    if (rule.info.address.empty() && options.simulate) {
      rule.info.address = "sim://" + options.plant + "/" + rule.info.instance + "/" + rule.info.signal;
      impl->plan->by_address.emplace(rule.info.address, &rule - impl->plan->rules.data());
    }
  }
  OutboxOptions oo;
  oo.quota_bytes = options.quota_bytes;
  store::Status status;
  impl->outbox = Outbox::open(std::filesystem::path(options.data_dir) / "outbox", oo, &status);
  if (!impl->outbox) {
    *error = "cannot open the outbox in " + options.data_dir + ": " + status.message();
    return nullptr;
  }
  std::vector<SignalInfo> signals;
  for (const CollectRule& rule : impl->plan->rules) {
    if (!rule.info.address.empty()) signals.push_back(rule.info);
  }
  SourceOptions so;
  so.connect = options.connect;
  so.simulate = options.simulate;
  so.seed = options.seed;
  so.replay_files = options.replay;
  so.client_id = "gemba-edge-" + options.plant + "-" + impl->outbox->status().edge;
  so.ca_file = options.ca_file;
  so.plant = options.plant;
  so.sim.start_us = options.sim_start_us;
  so.sim.speed = options.sim_speed;
  so.sim.duration_us = options.sim_duration_us;
  impl->sources = make_sources(signals, so, error);
  if (impl->sources.empty() && !error->empty()) return nullptr;
  if (!options.live && !options.simulate) {
    std::erase_if(impl->sources, [](const std::unique_ptr<Source>& source) {
      return source->status().name.rfind("replay:", 0) != 0;
    });
  }
  return std::unique_ptr<EdgeAgent>(new EdgeAgent(std::move(impl)));
}

bool EdgeAgent::start(std::string* error) {
  Impl& m = *impl_;
  if (!m.options.center.empty()) {
    ForwarderOptions fo;
    fo.center = m.options.center;
    fo.token = m.options.token;
    fo.ca_file = m.options.ca_file;
    fo.plant = m.options.plant;
    fo.max_records = m.options.batch_records;
    m.forwarder = std::make_unique<Forwarder>(*m.outbox, fo);
  }
  Forwarder* forwarder = m.forwarder.get();
  m.collector = std::make_unique<Collector>(*m.plan, *m.outbox, [forwarder] {
    if (forwarder) forwarder->notify();
  });
  // Operators' procedures run here on the durable engine; their records travel through
  // the same outbox.
  m.procedures = EdgeProcedures::open(m.version, std::filesystem::path(m.options.data_dir) / "engine",
                                      *m.collector, m.options.compiler_version, m.options.simulate,
                                      error);
  if (!m.procedures) return false;
  if (!m.options.listen.empty()) {
    m.api = std::make_unique<StatusApi>([this] { return status(); }, *m.outbox, *m.collector);
    EdgeProcedures* procedures = m.procedures.get();
    if (!m.api->start(m.options.listen, error,
                      [procedures](httplib::Server& server) { procedures->register_routes(server); })) {
      return false;
    }
  }
  if (m.forwarder) m.forwarder->start();
  for (auto& source : m.sources) source->start(*m.collector);
  m.started = true;
  for (const std::string& note : m.plan->notes) std::cerr << "gemba edge: not collected: " << note << '\n';
  std::cerr << "gemba edge: plant " << m.options.plant << ", edge " << m.outbox->status().edge
            << ": collecting " << m.plan->rules.size() << " signals from " << m.sources.size()
            << " sources" << (m.api ? ", status on http://" + m.api->address() + "/v1/status" : "")
            << '\n';
  return true;
}

void EdgeAgent::stop() {
  Impl& m = *impl_;
  if (!m.started) return;
  m.started = false;
  // Requests end first; then the collector, so that blocked offers (sources, the
  // procedures' records) return false and their threads can stop.
  if (m.api) m.api->stop();
  m.collector->stop();
  m.procedures.reset();
  for (auto& source : m.sources) source->stop();
  if (m.forwarder) m.forwarder->stop();
}

std::string EdgeAgent::address() const { return impl_->api ? impl_->api->address() : ""; }

bool EdgeAgent::drained() const {
  for (const auto& source : impl_->sources) {
    if (!source->finished()) return false;
  }
  return !impl_->forwarder || impl_->outbox->status().backlog == 0;
}

nlohmann::json EdgeAgent::status() const {
  const Impl& m = *impl_;
  OutboxStatus o = m.outbox->status();
  CollectorStatus c = m.collector ? m.collector->status() : CollectorStatus{};
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& source : m.sources) sources.push_back(to_json(source->status()));
  nlohmann::json j = {
      {"plant", m.options.plant},
      {"edge", o.edge},
      {"last_seq", o.last_seq},
      {"acked_seq", o.acked_seq},
      {"backlog", o.backlog},
      {"quarantined", o.quarantined},
      {"bytes", o.bytes},
      {"quota_bytes", o.quota_bytes},
      {"over_quota", c.over_quota},
      {"collector",
       {{"signals", m.plan->rules.size()},
        {"readings", c.readings},
        {"recorded", c.recorded},
        {"unchanged", c.unchanged},
        {"held", c.held},
        {"quarantined", c.quarantined},
        {"last_error", c.last_error}}},
      {"sources", sources},
  };
  if (m.procedures) j["procedures"] = m.procedures->status();
  if (m.forwarder) {
    ForwarderStatus f = m.forwarder->status();
    j["forwarder"] = {{"center", m.options.center}, {"state", f.state},
                      {"last_error", f.last_error}, {"batches", f.batches},
                      {"records", f.records},       {"duplicates", f.duplicates},
                      {"failures", f.failures},     {"last_ack_us", f.last_ack_us}};
  }
  return j;
}

}  // namespace gemba::edge
