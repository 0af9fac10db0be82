// Procedures run at the edge: the real engine (JIT), the real outbox and collector, the
// real HTTP API on loopback. ReleaseCheck (examples/templates/quality_check.gmb) is
// driven to completion by HTTP answers, across restarts; CleanInPlace
// (cip_cleaning.gmb) exercises commands, waits, awaits, hold, restart and abort. Every
// effect and every audit row must be in the outbox exactly once, in order.
#include "edge/procedures.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "edge/collector.h"
#include "edge/outbox.h"
#include "edge/procedure_records.h"
#include "runtime/wire/batch.h"
#include "tests/support/release_check_answers.h"
#include "tests/support/temp_dir.h"

namespace gemba::edge {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

const std::string kRoot = GEMBA_SOURCE_DIR;

const workflow::TemplateVersion& version_of(const std::string& template_file) {
  static std::map<std::string, workflow::TemplateVersion> versions;
  auto found = versions.find(template_file);
  if (found != versions.end()) return found->second;
  std::string error;
  auto version = workflow::read_template_version(
      {kRoot + "/examples/templates/" + template_file, kRoot + "/examples/equipment"}, "houston",
      {kRoot + "/examples/plants"}, {}, &error);
  EXPECT_TRUE(version) << error;
  return versions[template_file] = version.value_or(workflow::TemplateVersion{});
}

struct Reply {
  int status = 0;
  Json body;
};

// An edge's procedures behind an HTTP server, on the disk of a TempDir.
class Edge {
 public:
  explicit Edge(std::string template_file, bool simulate = true)
      : template_(std::move(template_file)), simulate_(simulate) {
    open();
  }
  ~Edge() { close(); }

  void open() {
    store::Status status;
    outbox = Outbox::open(dir.path() / "outbox", OutboxOptions{}, &status);
    ASSERT_TRUE(outbox) << status.message();
    collector = std::make_unique<Collector>(plan_, *outbox);
    std::string error;
    procedures = EdgeProcedures::open(version_of(template_), dir.path() / "engine", *collector,
                                      "procedures-test", simulate_, &error);
    ASSERT_TRUE(procedures) << error;
    server_ = std::make_unique<httplib::Server>();
    server_->set_tcp_nodelay(true);
    server_->set_keep_alive_max_count(1000);
    procedures->register_routes(*server_);
    int port = server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    for (int i = 0; i < 5000 && !server_->is_running(); ++i) std::this_thread::sleep_for(1ms);
    ASSERT_TRUE(server_->is_running());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port);
    client_->set_tcp_nodelay(true);
    client_->set_read_timeout(30, 0);
  }

  // Everything down, in the edge's order; `collector_first` stops the outbox's writer
  // before the procedures, so that what they still deliver is refused and stays with
  // the engine.
  void close(bool collector_first = false) {
    client_.reset();
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    if (collector_first && collector) collector->stop();
    procedures.reset();
    collector.reset();
    outbox.reset();
  }

  Reply get(const std::string& path) { return reply(client_->Get(path.c_str())); }
  Reply post(const std::string& path, const Json& body) {
    return reply(client_->Post(path.c_str(), body.dump(), "application/json"));
  }
  Json instance(std::uint64_t id) {
    Reply r = get("/v1/instances/" + std::to_string(id));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }

  testing::TempDir dir;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<Collector> collector;
  std::unique_ptr<EdgeProcedures> procedures;

 private:
  static Reply reply(const httplib::Result& result) {
    EXPECT_TRUE(result) << httplib::to_string(result.error());
    if (!result) return {};
    Json body = Json::parse(result->body, nullptr, false);
    EXPECT_FALSE(body.is_discarded()) << result->body;
    return {result->status, body};
  }

  std::string template_;
  bool simulate_;
  CollectPlan plan_;  // empty: these edges collect nothing
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

// ---- What the outbox holds ---------------------------------------------------------

struct Recorded {
  std::vector<wire::Record> effects, audit;  // in outbox order
  std::vector<Json> effect_bodies, audit_bodies;
};

Recorded recorded(Edge& edge) {
  Recorded out;
  for (wire::Record& r : edge.outbox->pending(0, 1'000'000, std::size_t{256} << 20)) {
    EXPECT_EQ(r.kind, wire::RecordKind::kEvent);
    EXPECT_EQ(wire::record_problem(r), "") << r.subject;
    Json body = Json::parse(r.text, nullptr, false);
    EXPECT_TRUE(body.is_object()) << r.text;
    bool audit = r.subject.size() > 6 && r.subject.ends_with("/audit");
    (audit ? out.audit_bodies : out.effect_bodies).push_back(body);
    (audit ? out.audit : out.effects).push_back(std::move(r));
  }
  return out;
}

std::uint64_t cursor(Edge& edge, const std::string& key) {
  std::string value = edge.outbox->cursor(key);
  return value.empty() ? 0 : std::stoull(value);
}

// Waits until every effect delivered so far and every audit row are in the outbox.
void settle(Edge& edge) {
  edge.procedures->engine().drain();
  std::size_t rows = edge.procedures->engine().audit().size();
  for (auto end = std::chrono::steady_clock::now() + 20s;
       std::chrono::steady_clock::now() < end && cursor(edge, "procedure:audit") < rows;) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(cursor(edge, "procedure:audit"), rows);
}

// Every effect exactly once: the engine numbers its effects 1, 2, 3 ... (the cursor is
// the last), and each instance's transitions emit indexes 0, 1, 2 ...; every audit row
// exactly once, in order, as the engine keeps it.
void expect_exactly_once(Edge& edge, const Recorded& r) {
  EXPECT_EQ(r.effects.size(), cursor(edge, "procedure:effects"));
  std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> last;  // instance -> (t, i)
  for (const Json& e : r.effect_bodies) {
    std::uint64_t id = e["instance"], t = e["transition"], i = e["index"];
    auto [it, first] = last.try_emplace(id, t, i);
    if (first) {
      EXPECT_EQ(std::make_pair(t, i), std::make_pair(std::uint64_t{1}, std::uint64_t{0})) << e;
      continue;
    }
    auto [pt, pi] = it->second;
    bool next = (t == pt && i == pi + 1) || (t > pt && i == 0);
    EXPECT_TRUE(next) << "after " << pt << "/" << pi << ": " << e;
    it->second = {t, i};
  }
  std::vector<workflow::AuditEntry> rows = edge.procedures->engine().audit();
  ASSERT_EQ(r.audit_bodies.size(), rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Json& a = r.audit_bodies[k];
    EXPECT_EQ(a["sequence"], rows[k].sequence);
    EXPECT_EQ(a["instance"], rows[k].instance);
    EXPECT_EQ(a["transition"], rows[k].transition);
    EXPECT_EQ(a["actor"], rows[k].actor);
    EXPECT_EQ(a["action"], rows[k].action);
    EXPECT_EQ(a["detail"], rows[k].detail);
    EXPECT_EQ(r.audit[k].time_us, std::llround(rows[k].time * 1e6));
  }
}

// ---- ReleaseCheck ------------------------------------------------------------------

// Answers instance `id` `count` times (or until it finishes), each with its task's
// transition; returns how many answers were given.
int answer(Edge& edge, std::uint64_t id, int count) {
  int given = 0;
  for (; given < count; ++given) {
    Json view = edge.instance(id);
    if (view["phase"] != "running") break;
    const Json& task = view["task"];
    if (!task.is_object()) {
      ADD_FAILURE() << "no task: " << view;
      break;
    }
    bool sign = task["kind"] == "sign";
    Reply r = edge.post("/v1/instances/" + std::to_string(id) + "/answer",
                        {{"answer", testing::release_check_answer(task)},
                         {"actor", sign ? "QA maria lopez" : "operator maria"},
                         {"transition", task["transition"]}});
    EXPECT_EQ(r.status, 200) << task << " -> " << r.body;
    if (r.status != 200) break;
  }
  return given;
}

std::uint64_t start_release_check(Edge& edge) {
  Reply r = edge.post(
      "/v1/procedures/ReleaseCheck/start",
      {{"args", {{"product", "Ketchup"}, {"lot", "L-2026-0042"}}}, {"actor", "operator maria"}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.body.value("instance", std::uint64_t{0});
}

const Json* find(const std::vector<Json>& bodies, const std::string& member,
                 const std::string& value) {
  for (const Json& b : bodies) {
    if (b.value(member, "") == value) return &b;
  }
  return nullptr;
}

TEST(EdgeProcedures, ListsTheProceduresWithTheirParameters) {
  Edge edge("quality_check.gmb");
  Reply r = edge.get("/v1/procedures");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body["procedures"].size(), 1u) << r.body;
  const Json& p = r.body["procedures"][0];
  EXPECT_EQ(p["name"], "ReleaseCheck");
  ASSERT_EQ(p["parameters"].size(), 2u);
  EXPECT_EQ(p["parameters"][0]["name"], "product");
  EXPECT_EQ(p["parameters"][0]["expected"], "a material name");
  EXPECT_EQ(p["parameters"][1]["name"], "lot");
  EXPECT_EQ(p["parameters"][1]["kind"], "Lot");
  EXPECT_EQ(r.body["version"], edge.procedures->version().substr(0, 12));
}

TEST(EdgeProcedures, AVersionWithoutProceduresListsNone) {
  Edge edge("data_collection.gmb");
  Reply r = edge.get("/v1/procedures");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["procedures"], Json::array());
  EXPECT_EQ(edge.post("/v1/procedures/ReleaseCheck/start", {{"actor", "a"}}).status, 404);
}

TEST(EdgeProcedures, ReleaseCheckRunsToCompletionAndEveryRecordIsInTheOutboxOnce) {
  Edge edge("quality_check.gmb");
  std::uint64_t id = start_release_check(edge);
  ASSERT_EQ(id, 1u);

  Json view = edge.instance(id);
  EXPECT_EQ(view["procedure"], "ReleaseCheck");
  EXPECT_EQ(view["phase"], "running");
  const Json& task = view["task"];
  EXPECT_EQ(task["kind"], "ask");
  EXPECT_EQ(task["text"], "Retain sample 1 of 8 of L-2026-0042 labelled?");
  EXPECT_EQ(task["role"], "lab");
  EXPECT_EQ(task["expected"], "yes or no");
  EXPECT_TRUE(task.contains("deadline")) << task;

  // A wrong answer: the operator is told what to type, and nothing happens.
  std::size_t audit_before = edge.procedures->engine().audit().size();
  Reply wrong = edge.post(
      "/v1/instances/1/answer",
      {{"answer", "maybe"}, {"actor", "operator maria"}, {"transition", task["transition"]}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.body["error"], "type yes or no");
  EXPECT_EQ(edge.procedures->engine().audit().size(), audit_before);
  EXPECT_EQ(edge.instance(id)["transitions"], view["transitions"]);

  EXPECT_EQ(answer(edge, id, 8), 8);
  // Out of range, with the range in the operator's units.
  view = edge.instance(id);
  ASSERT_EQ(view["task"]["text"], "pH of sample 1");
  EXPECT_EQ(view["task"]["expected"], "a number between 2 and 8");
  Reply high =
      edge.post("/v1/instances/1/answer", {{"answer", "9.5"}, {"actor", "operator maria"}});
  EXPECT_EQ(high.status, 400);
  EXPECT_NE(high.body.value("error", "").find("above"), std::string::npos) << high.body;

  answer(edge, id, 100);
  view = edge.instance(id);
  EXPECT_EQ(view["phase"], "complete");
  EXPECT_TRUE(view["task"].is_null());
  EXPECT_EQ(edge.get("/v1/instances").body["instances"].size(), 1u);
  EXPECT_EQ(edge.get("/v1/instances?open=true").body["instances"], Json::array());

  settle(edge);
  Recorded r = recorded(edge);
  expect_exactly_once(edge, r);
  for (const auto& e : r.effects) EXPECT_EQ(e.subject, "ReleaseCheck#1");
  for (const auto& a : r.audit) EXPECT_EQ(a.subject, "ReleaseCheck#1/audit");

  // Effects: the steps, the asks as shown, the notify, the signature, the completion.
  ASSERT_FALSE(r.effect_bodies.empty());
  const Json& first = r.effect_bodies.front();
  EXPECT_EQ(first["kind"], "step");
  EXPECT_EQ(first["text"], "Retain samples");
  EXPECT_EQ(first["procedure"], "ReleaseCheck");
  EXPECT_EQ(first["version"], edge.procedures->version().substr(0, 12));
  EXPECT_EQ(r.effect_bodies.back()["kind"], "complete");
  const Json* ph = find(r.effect_bodies, "text", "pH of sample 1");
  ASSERT_NE(ph, nullptr);
  EXPECT_EQ((*ph)["kind"], "ask");
  EXPECT_EQ((*ph)["role"], "lab");
  EXPECT_EQ((*ph)["values"]["i"], "1");
  const Json* notify = find(r.effect_bodies, "kind", "notify");
  ASSERT_NE(notify, nullptr);
  EXPECT_EQ((*notify)["text"], "L-2026-0042 of Ketchup: highest pH 3.9");
  EXPECT_EQ((*notify)["role"], "supervisor");
  ASSERT_NE(find(r.effect_bodies, "kind", "sign"), nullptr);

  // Audit: the start with its arguments, every entry as typed, the signature, the end.
  const Json& start = r.audit_bodies.front();
  EXPECT_EQ(start["action"], "start");
  EXPECT_EQ(start["actor"], "operator maria");
  EXPECT_NE(start["detail"].get<std::string>().find("product=Ketchup, lot=L-2026-0042"),
            std::string::npos)
      << start;
  const Json* entry = find(r.audit_bodies, "detail", "pH of sample 1 = 3.9");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ((*entry)["action"], "answer");
  EXPECT_EQ((*entry)["actor"], "operator maria");
  ASSERT_NE(find(r.audit_bodies, "detail", "Salt of sample 8 = 2.1 percent"), nullptr);
  ASSERT_NE(find(r.audit_bodies, "detail", "Appearance of Ketchup = Conforming"), nullptr);
  const Json* signature = find(r.audit_bodies, "action", "signature");
  ASSERT_NE(signature, nullptr);
  EXPECT_EQ((*signature)["actor"], "QA maria lopez (role QA)");
  EXPECT_EQ(r.audit_bodies.back()["action"], "state");
  EXPECT_NE(r.audit_bodies.back()["detail"].get<std::string>().find("complete"), std::string::npos);
  for (const Json& a : r.audit_bodies) {
    EXPECT_EQ(a["detail"].get<std::string>().find("maybe"), std::string::npos) << a;
    EXPECT_EQ(a["detail"].get<std::string>().find("9.5"), std::string::npos) << a;
  }
  // 8 + 24 + 1 answers, one signature.
  std::size_t answers = 0;
  for (const Json& a : r.audit_bodies) answers += a["action"] == "answer";
  EXPECT_EQ(answers, 33u);

  Json status = edge.procedures->status();
  EXPECT_EQ(status["instances_open"], 0);
  EXPECT_EQ(status["effects_recorded"], r.effects.size());
  EXPECT_EQ(status["audit_recorded"], r.audit.size());
  EXPECT_EQ(status["last_error"], "");
}

TEST(EdgeProcedures, RestartsMidProcedureLoseAndDuplicateNothing) {
  Edge edge("quality_check.gmb");
  std::uint64_t id = start_release_check(edge);
  ASSERT_EQ(answer(edge, id, 12), 12);
  edge.close();  // at once: deliveries and audit rows may be in flight
  edge.open();
  Json view = edge.instance(id);
  EXPECT_EQ(view["phase"], "running");
  EXPECT_EQ(view["transitions"], 13);

  // An effect the engine offers again (as after a crash between the record and the
  // engine's deletion of its row) is accepted without a second record.
  settle(edge);
  std::size_t effects = recorded(edge).effects.size();
  std::optional<workflow::InstanceView> task_view = edge.procedures->engine().instance(id);
  ASSERT_TRUE(task_view && task_view->task);
  workflow::OutboxEffect again = *task_view->task;
  again.sequence = cursor(edge, "procedure:effects");
  EXPECT_TRUE(edge.procedures->deliver(again));
  EXPECT_EQ(edge.procedures->status()["effects_redelivered"], 1);
  EXPECT_EQ(recorded(edge).effects.size(), effects);

  ASSERT_EQ(answer(edge, id, 9), 9);
  // The collector stops first: the last deliveries are refused and stay with the engine.
  edge.close(/*collector_first=*/true);
  edge.open();
  answer(edge, id, 100);
  EXPECT_EQ(edge.instance(id)["phase"], "complete");

  settle(edge);
  Recorded r = recorded(edge);
  expect_exactly_once(edge, r);
  std::size_t answers = 0;
  for (const Json& a : r.audit_bodies) answers += a["action"] == "answer";
  EXPECT_EQ(answers, 33u);
  EXPECT_EQ(r.effect_bodies.back()["kind"], "complete");
  std::set<std::string> entries;  // each answer's row once, by its detail
  for (const Json& a : r.audit_bodies) {
    if (a["action"] != "answer") continue;
    EXPECT_TRUE(entries.insert(a["detail"]).second) << a;
  }
  EXPECT_EQ(entries.size(), 33u);
}

TEST(EdgeProcedures, RefusesStaleUnknownAndBadRequests) {
  Edge edge("quality_check.gmb");
  auto start = [&](const Json& args, const std::string& actor = "operator maria") {
    return edge.post("/v1/procedures/ReleaseCheck/start", {{"args", args}, {"actor", actor}});
  };
  Reply missing = start({{"product", "Ketchup"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body["argument"], "lot");
  EXPECT_EQ(missing.body["error"], "ReleaseCheck needs `lot`: type a lot name");
  Reply unknown = start({{"product", "Ketchup"}, {"lot", "L-1"}, {"batch_size", "1200 kg"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["argument"], "batch_size");
  EXPECT_NE(unknown.body.value("error", "").find("no parameter `batch_size`"), std::string::npos);
  Reply bad = start({{"product", "  "}, {"lot", "L-1"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["argument"], "product");
  EXPECT_EQ(bad.body["error"], "product: type a material name");
  EXPECT_EQ(start({{"product", "Ketchup"}, {"lot", "L-1"}}, "").status, 400);
  EXPECT_EQ(edge.post("/v1/procedures/Nothing/start", {{"actor", "a"}}).status, 404);
  EXPECT_TRUE(edge.procedures->engine().instances().empty());

  std::uint64_t id = start_release_check(edge);
  Json task = edge.instance(id)["task"];
  std::uint64_t t = task["transition"];
  ASSERT_EQ(answer(edge, id, 1), 1);
  Reply stale = edge.post("/v1/instances/1/answer",
                          {{"answer", "yes"}, {"actor", "operator maria"}, {"transition", t}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body["result"], "stale");
  EXPECT_NE(stale.body.value("error", "").find("no longer open"), std::string::npos);
  EXPECT_EQ(stale.body["task"]["transition"], t + 1);

  EXPECT_EQ(edge.get("/v1/instances/7").status, 404);
  EXPECT_EQ(edge.post("/v1/instances/7/answer", {{"answer", "yes"}, {"actor", "a"}}).status, 404);
  EXPECT_EQ(edge.post("/v1/instances/7/hold", {{"actor", "a"}}).status, 404);
  EXPECT_EQ(edge.post("/v1/instances/1/answer", {{"answer", "yes"}}).status, 400);  // no actor
  Reply garbage = edge.post("/v1/instances/1/answer", Json("not an object"));
  EXPECT_EQ(garbage.status, 400);

  Reply list = edge.get("/v1/instances");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["instances"].size(), 1u);
  EXPECT_EQ(list.body["instances"][0]["task"]["text"],
            "Retain sample 2 of 8 of L-2026-0042 labelled?");
}

// ---- CleanInPlace: commands, waits, awaits, hold, restart, abort -------------------

std::uint64_t start_cip(Edge& edge) {
  Reply r = edge.post("/v1/procedures/CleanInPlace/start",
                      {{"args", {{"wash_time", "10 min"}}}, {"actor", "operator sam"}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.body.value("instance", std::uint64_t{0});
}

// The instance once it is in `phase` (the simulated equipment works meanwhile).
Json await_phase(Edge& edge, std::uint64_t id, const std::string& phase) {
  Json view;
  for (auto end = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(10ms)) {
    view = edge.instance(id);
    if (view["phase"] == phase) return view;
  }
  ADD_FAILURE() << "not " << phase << ": " << view;
  return view;
}

// The instance once its task is of `kind`.
Json await_task(Edge& edge, std::uint64_t id, const std::string& kind) {
  Json view;
  for (auto end = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(10ms)) {
    view = edge.instance(id);
    if (view["task"].is_object() && view["task"]["kind"] == kind) return view;
  }
  ADD_FAILURE() << "no " << kind << " task: " << view;
  return view;
}

TEST(EdgeProcedures, SimulatedEquipmentCompletesCommandsAndOperatorsAnswerTheRest) {
  Edge edge("cip_cleaning.gmb", /*simulate=*/true);
  std::uint64_t id = start_cip(edge);
  Json view = await_task(edge, id, "wait");  // circulate was done by the simulator
  EXPECT_EQ(view["task"]["expected"], "`done` to end the wait early");
  EXPECT_EQ(
      edge.post("/v1/instances/1/answer", {{"answer", "now"}, {"actor", "operator sam"}}).status,
      400);
  Reply done = edge.post("/v1/instances/1/answer", {{"answer", "done"}, {"actor", "operator sam"}});
  EXPECT_EQ(done.status, 200) << done.body;

  view = await_task(edge, id, "await");
  Reply not_signal =
      edge.post("/v1/instances/1/answer", {{"answer", "done"}, {"actor", "operator sam"}});
  EXPECT_EQ(not_signal.status, 400);
  EXPECT_NE(not_signal.body.value("error", "").find("skid.return_temperature"), std::string::npos);
  Reply reading =
      edge.post("/v1/instances/1/answer",
                {{"answer", "skid.return_temperature = 170 degF"}, {"actor", "operator sam"}});
  EXPECT_EQ(reading.status, 200) << reading.body;

  // Hold (the on-hold handler commands a stop, simulated), restart, then abort.
  EXPECT_EQ(edge.post("/v1/instances/1/hold", {{"actor", "operator sam"}}).status, 200);
  await_phase(edge, id, "held");
  Reply held = edge.post("/v1/instances/1/answer",
                         {{"answer", "skid.return_conductivity = 70 mS/cm"}, {"actor", "sam"}});
  EXPECT_EQ(held.status, 409);
  EXPECT_EQ(edge.post("/v1/instances/1/restart", {{"actor", "operator sam"}}).status, 200);
  EXPECT_EQ(edge.post("/v1/instances/1/abort", {{"actor", "operator sam"}}).status, 400);
  Reply aborted = edge.post("/v1/instances/1/abort",
                            {{"actor", "operator sam"}, {"reason", "caustic tank empty"}});
  EXPECT_EQ(aborted.status, 200) << aborted.body;
  await_phase(edge, id, "aborted");
  Reply after = edge.post("/v1/instances/1/restart", {{"actor", "operator sam"}});
  EXPECT_EQ(after.status, 409);

  settle(edge);
  Recorded r = recorded(edge);
  expect_exactly_once(edge, r);
  std::size_t commands = 0, simulated = 0;
  for (const Json& e : r.effect_bodies) {
    if (e["kind"] != "command") continue;
    ++commands;
    EXPECT_NE(e["target"].get<std::string>().find("cip1."), std::string::npos) << e;
  }
  for (const Json& a : r.audit_bodies) {
    if (a["action"] == "command done") {
      ++simulated;
      EXPECT_EQ(a["actor"], "equipment (simulated)");
    }
  }
  EXPECT_GE(commands, 4u);  // circulate, drain, circulate, stop (hold), drain (abort)
  EXPECT_EQ(simulated, commands);
  const Json* circulate = find(r.effect_bodies, "kind", "command");
  ASSERT_NE(circulate, nullptr);
  EXPECT_EQ((*circulate)["values"]["solution"], "Water");
  EXPECT_EQ((*circulate)["values"]["setpoint"], "40 degC");
  const Json* request = find(r.audit_bodies, "detail", "abort: caustic tank empty");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ((*request)["action"], "request");
  EXPECT_EQ((*request)["actor"], "operator sam");
  EXPECT_EQ(r.effect_bodies.back()["kind"], "aborted");
  // What the operator typed at the wait and at the await is in the audit trail too.
  const Json* ended = find(r.audit_bodies, "action", "wait ended");
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ((*ended)["actor"], "operator sam");
  EXPECT_NE((*ended)["detail"].get<std::string>().find("wait ended early by the operator"),
            std::string::npos);
  const Json* typed = find(r.audit_bodies, "action", "reading");
  ASSERT_NE(typed, nullptr);
  EXPECT_EQ((*typed)["detail"], "skid.return_temperature = 170 degF");
  EXPECT_EQ((*typed)["actor"], "operator sam");
  if (getenv("GEMBA_DUMP_RECORDS")) {
    for (const auto& rec : edge.outbox->pending(0, 100000, 1 << 30))
      std::cerr << rec.seq << " " << rec.time_us << " " << rec.subject << " " << rec.text << "\n";
  }
}

TEST(EdgeProcedures, WithoutSimulationAnOperatorConfirmsEachCommand) {
  Edge edge("cip_cleaning.gmb", /*simulate=*/false);
  std::uint64_t id = start_cip(edge);
  Json view = edge.instance(id);
  ASSERT_EQ(view["task"]["kind"], "command");
  EXPECT_EQ(view["task"]["expected"], "`done` once the equipment has finished");
  EXPECT_NE(view["task"]["target"].get<std::string>().find("circulate"), std::string::npos);
  std::this_thread::sleep_for(300ms);  // nothing completes it
  EXPECT_EQ(edge.instance(id)["transitions"], 1);
  Reply done = edge.post(
      "/v1/instances/1/answer",
      {{"answer", "done"}, {"actor", "operator sam"}, {"transition", view["task"]["transition"]}});
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(edge.instance(id)["task"]["kind"], "wait");

  settle(edge);
  Recorded r = recorded(edge);
  expect_exactly_once(edge, r);
  const Json* confirmed = find(r.audit_bodies, "action", "command done");
  ASSERT_NE(confirmed, nullptr);
  EXPECT_EQ((*confirmed)["actor"], "operator sam");
}

// ---- Records -----------------------------------------------------------------------

TEST(EdgeProceduresRecords, AnOversizedTextIsCutWithAMarkRatherThanRefused) {
  workflow::AuditEntry row;
  row.sequence = 3;
  row.time = 1'790'000'000.25;
  row.instance = 2;
  row.transition = 5;
  row.actor = "operator maria";
  row.action = "correction";
  row.detail = std::string(wire::kMaxTextBytes + 10, 'x');
  wire::Record r = audit_record(row, "ReleaseCheck");
  EXPECT_EQ(wire::record_problem(r), "");
  EXPECT_EQ(r.subject, "ReleaseCheck#2/audit");
  EXPECT_EQ(r.time_us, 1'790'000'000'250'000);
  EXPECT_LE(r.text.size(), wire::kMaxTextBytes);
  Json body = Json::parse(r.text);
  EXPECT_EQ(body["truncated"], true);
  EXPECT_EQ(body["actor"], "operator maria");
  EXPECT_TRUE(body["detail"].get<std::string>().ends_with(kTruncatedMark));

  row.detail = "viscosity = 950 cP";
  body = Json::parse(audit_record(row, "ReleaseCheck").text);
  EXPECT_FALSE(body.contains("truncated"));
  EXPECT_EQ(body["detail"], "viscosity = 950 cP");
  EXPECT_EQ(body["time"], "2026-09-21 14:13:20 UTC");
}

TEST(EdgeProceduresRecords, CutsNeverSplitACharacter) {
  EXPECT_EQ(cut_utf8("ab\xc3\xa9", 3), "ab");  // é is two bytes
  EXPECT_EQ(cut_utf8("ab\xc3\xa9", 4), "ab\xc3\xa9");
  wire::Record r;
  r.seq = 1;
  r.kind = wire::RecordKind::kEvent;
  r.subject = std::string(wire::kMaxSubjectBytes - 1, 's') + "\xc3\xa9";
  r.text = "not json " + std::string(wire::kMaxTextBytes, 'y');
  EXPECT_TRUE(fit_record(&r));
  EXPECT_EQ(wire::record_problem(r), "");
  EXPECT_EQ(r.subject.size(), wire::kMaxSubjectBytes - 1);
  EXPECT_TRUE(r.text.ends_with(kTruncatedMark));
}

}  // namespace
}  // namespace gemba::edge
