// Edge to center on loopback, both ends durable: records already in an edge's outbox
// (edge/outbox.h) forwarded by the real Forwarder over HTTP to the real center
// (runtime/center: CenterServer, group-committed IngestStore), each batch committed at
// the center before it is acknowledged, and deleted at the edge only then.
//
//   BM_EdgeToCenter/drain/B       a backlog of 200,000 records drained, batches of B
//                                 records: records per second, end to end.
//   BM_EdgeToCenter/backlog/R     a 10-minute outage at a plant producing R samples/s:
//                                 the 600*R records it kept are drained while live
//                                 samples keep arriving at R/s (appended every 10 ms);
//                                 drain_s is the time until the center has caught up
//                                 with the live stream (backlog back under one second's
//                                 worth).
//
// Every run starts from fresh directories; after it, the center's mark for the edge
// must equal the edge's last sequence number and its record count (the run fails
// otherwise). Wall-clock time (UseRealTime): the cost is disks and round trips.
//
//   build/tests/gemba_bench --benchmark_filter=BM_EdgeToCenter
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "edge/forwarder.h"
#include "edge/outbox.h"
#include "runtime/center/center_server.h"
#include "runtime/center/ingest_store.h"
#include "runtime/center/tokens.h"

namespace gemba {
namespace {

constexpr char kToken[] = "bench-token-0123456789abcdef";

struct TempDirectory {
  std::filesystem::path path;
  TempDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gemba-e2c-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDirectory() { std::filesystem::remove_all(path); }
};

// A plant's sample: 46 signals round-robin, one per 20 ms of plant time.
wire::Record sample(std::uint64_t i) {
  static const char* const kSubjects[] = {"kettle1.temperature", "kettle2.temperature",
                                          "surge1.level", "filler1.speed", "checkweigher2.weight"};
  wire::Record r;
  r.time_us = 1'790'000'000'000'000 + static_cast<std::int64_t>(i) * 20'000;
  r.subject = kSubjects[i % 5];
  r.value = 20 + static_cast<double>(i % 997) / 10;
  r.unit = "degC";
  return r;
}

void fill(edge::Outbox& outbox, std::uint64_t from, std::uint64_t count) {
  for (std::uint64_t done = 0; done < count;) {
    edge::AppendBatch batch;
    for (; batch.records.size() < 5000 && done < count; ++done) {
      batch.records.push_back(sample(from + done));
    }
    outbox.append(batch);
  }
}

struct Rig {
  TempDirectory dir;
  std::unique_ptr<edge::Outbox> outbox;
  std::unique_ptr<center::IngestStore> store;
  std::optional<center::Tokens> tokens;
  std::unique_ptr<center::CenterServer> server;
  std::thread serving;
  std::string error;

  bool open() {
    store::Status status;
    edge::OutboxOptions oo;
    oo.quota_bytes = std::uint64_t{8} << 30;
    outbox = edge::Outbox::open(dir.path / "edge", oo, &status);
    store = center::IngestStore::open(dir.path / "center", &status);
    tokens = center::Tokens::parse(std::string("bench ") + kToken + "\n", "tokens", &error);
    if (!outbox || !store || !tokens) return false;
    center::CenterServerOptions so;
    so.address = {"127.0.0.1", 0};
    server = center::CenterServer::bind(*store, *tokens, so, &error);
    if (!server) return false;
    serving = std::thread([this] { server->run(); });
    return true;
  }
  ~Rig() {
    if (server) server->stop();
    if (serving.joinable()) serving.join();
  }
  edge::ForwarderOptions forwarder(std::size_t batch) const {
    edge::ForwarderOptions fo;
    fo.center = server->url();
    fo.token = kToken;
    fo.plant = "bench";
    fo.max_records = batch;
    return fo;
  }
  bool center_has(std::uint64_t n, std::string* why) {
    std::vector<center::EdgeInfo> edges;
    store->edges(&edges);
    if (edges.size() != 1 || edges[0].acked_seq != n || edges[0].records != n) {
      *why = "the center does not hold exactly the " + std::to_string(n) + " records";
      return false;
    }
    return true;
  }
};

void BM_EdgeToCenter_drain(benchmark::State& state) {
  constexpr std::uint64_t kRecords = 200'000;
  std::uint64_t total = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Rig rig;
    if (!rig.open()) return state.SkipWithError(rig.error.c_str());
    fill(*rig.outbox, 0, kRecords);
    edge::Forwarder forwarder(*rig.outbox, rig.forwarder(static_cast<std::size_t>(state.range(0))));
    state.ResumeTiming();
    forwarder.start();
    while (rig.outbox->status().acked_seq < kRecords) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    state.PauseTiming();
    forwarder.stop();
    std::string why;
    if (!rig.center_has(kRecords, &why)) return state.SkipWithError(why.c_str());
    total += kRecords;
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(total));
}
BENCHMARK(BM_EdgeToCenter_drain)->Name("BM_EdgeToCenter/drain")->Arg(500)->Arg(5000)
    ->Iterations(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_EdgeToCenter_backlog(benchmark::State& state) {
  const std::uint64_t rate = static_cast<std::uint64_t>(state.range(0));
  const std::uint64_t backlog = 600 * rate;
  double drain_s = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Rig rig;
    if (!rig.open()) return state.SkipWithError(rig.error.c_str());
    fill(*rig.outbox, 0, backlog);
    edge::Forwarder forwarder(*rig.outbox, rig.forwarder(5000));
    state.ResumeTiming();
    auto start = std::chrono::steady_clock::now();
    forwarder.start();
    std::uint64_t produced = backlog;
    // Live samples at `rate`, every 10 ms, until the backlog is under a second's worth.
    while (true) {
      auto due = start + std::chrono::milliseconds(10) * ((produced - backlog) * 100 / rate + 1);
      std::this_thread::sleep_until(due);
      std::uint64_t n = rate / 100;
      fill(*rig.outbox, produced, n);
      produced += n;
      forwarder.notify();
      if (rig.outbox->status().backlog < rate) break;
    }
    drain_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.PauseTiming();
    while (rig.outbox->status().backlog > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    forwarder.stop();
    std::string why;
    if (!rig.center_has(produced, &why)) return state.SkipWithError(why.c_str());
    state.ResumeTiming();
  }
  state.counters["drain_s"] = drain_s;
  state.counters["backlog_records"] = static_cast<double>(backlog);
}
BENCHMARK(BM_EdgeToCenter_backlog)->Name("BM_EdgeToCenter/backlog")->Arg(500)->Arg(2000)
    ->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gemba
