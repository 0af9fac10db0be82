// Store and forward between real processes: `gemba center` and `gemba edge` on
// loopback, with faults: the center down for a while, the edge SIGKILLed mid-batch
// again and again, the center SIGKILLed mid-commit again and again, and a proxy that
// cuts connections in the middle of responses. After each, exact accounting: the
// center holds every record the edge generated exactly once, seq 1..N, each with the
// content hash the replayed file implies.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "runtime/wire/record.h"
#include "tests/support/child_process.h"
#include "tests/support/cutting_proxy.h"
#include "tests/support/temp_dir.h"

namespace gemba {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;

constexpr char kToken[] = "houston-3b8f0c2d9e7a41f6";
constexpr std::int64_t kStartUs = 1'790'000'000'000'000;  // 2026-09-21

// The signals the replay feeds, and how every line becomes exactly one record: each is
// two seconds after the previous one of its signal (the rules' period is 2 s) and
// moves by more than the deadband (0.2 delta degC). Every 997th line is out of the
// valid range of kettle temperatures and is quarantined instead.
const char* const kSignals[] = {"kettle1.temperature", "kettle2.temperature", "surge1.temperature"};

struct Expected {
  std::vector<std::string> hashes;  // by seq - 1
  std::size_t quarantined = 0;
};

Expected write_replay(const std::filesystem::path& file, std::size_t lines) {
  std::ofstream out(file);
  out << "time,signal,value\n";
  Expected expected;
  for (std::size_t i = 0; i < lines; ++i) {
    std::size_t signal = i % 3;
    std::int64_t time = kStartUs + static_cast<std::int64_t>(i / 3) * 2'000'000;
    double value = 20 + static_cast<double>((i / 3) % 50);  // steps of 1 degC, then back
    bool invalid = i % 997 == 5 && signal < 2;
    if (invalid) value = 950;
    out << time << ',' << kSignals[signal] << ',' << value << '\n';
    if (invalid) {
      ++expected.quarantined;
      continue;
    }
    wire::Record r;
    r.seq = expected.hashes.size() + 1;
    r.time_us = time;
    r.subject = kSignals[signal];
    r.value = value;
    r.unit = "degC";
    expected.hashes.push_back(wire::content_hash(r));
  }
  return expected;
}

int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

// GET `path` as JSON; retried for up to 20 s while the server is starting.
std::optional<nlohmann::json> get_json(const std::string& address, const std::string& path) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    httplib::Client client("http://" + address);
    client.set_connection_timeout(2);
    client.set_read_timeout(10);
    auto res = client.Get(path);
    if (res && res->status == 200) {
      auto j = nlohmann::json::parse(res->body, nullptr, false);
      if (j.is_discarded()) return std::nullopt;
      return j;
    }
    if (res) return std::nullopt;  // an answer, but not a good one
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return std::nullopt;
}

class StoreAndForward : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = GEMBA_SOURCE_DIR;
    tokens_ = tmp_.path() / "tokens";
    std::ofstream(tokens_) << "# plant token\nhouston " << kToken << "\n";
    token_file_ = tmp_.path() / "houston.token";
    std::ofstream(token_file_) << kToken << "\n";
    replay_ = tmp_.path() / "line.csv";
    center_port_ = free_port();
  }

  std::unique_ptr<ChildProcess> start_center(int n) {
    auto c = std::make_unique<ChildProcess>(
        std::vector<std::string>{GEMBA_BINARY, "center", "--data", (tmp_.path() / "center").string(),
                                 "--listen", "127.0.0.1:" + std::to_string(center_port_),
                                 "--tokens", tokens_.string()},
        tmp_.path(), "center" + std::to_string(n));
    EXPECT_TRUE(c->started()) << c->error();
    return c;
  }

  std::unique_ptr<ChildProcess> start_edge(int n, int port, bool exit_when_drained,
                                           std::size_t batch = 5000) {
    std::filesystem::remove(tmp_.path() / "edge.address");
    std::vector<std::string> argv{GEMBA_BINARY, "edge",
                                  root_ + "/examples/templates/data_collection.gmb",
                                  root_ + "/examples/equipment",
                                  "--plant", "houston", "--plants", root_ + "/examples/plants",
                                  "--data", (tmp_.path() / "edge").string(),
                                  "--center", "http://127.0.0.1:" + std::to_string(port),
                                  "--token-file", token_file_.string(),
                                  "--replay", replay_.string(), "--replay-only",
                                  "--listen", "127.0.0.1:0",
                                  "--address-file", (tmp_.path() / "edge.address").string(),
                                  "--batch-records", std::to_string(batch)};
    if (exit_when_drained) argv.push_back("--exit-when-drained");
    auto e = std::make_unique<ChildProcess>(argv, tmp_.path(), "edge" + std::to_string(n));
    EXPECT_TRUE(e->started()) << e->error();
    return e;
  }

  std::string edge_address() {
    EXPECT_TRUE(ChildProcess::wait_for_file(tmp_.path() / "edge.address", 60s));
    std::string address = ChildProcess::read(tmp_.path() / "edge.address");
    while (!address.empty() && address.back() == '\n') address.pop_back();
    return address;
  }

  // Runs the edge to the end (all replayed, all acknowledged) and checks its status.
  void drain_edge(const Expected& expected, int port, std::size_t batch = 5000) {
    auto edge = start_edge(1000, port, true, batch);
    auto exit = edge->wait(180s);
    ASSERT_TRUE(exit) << "the edge did not drain within 180 s\n" << edge->err();
    ASSERT_EQ(exit->code, 0) << edge->err();
    std::string err = edge->err();
    EXPECT_NE(err.find("last_seq " + std::to_string(expected.hashes.size()) + ", acked_seq " +
                       std::to_string(expected.hashes.size()) + ", backlog 0"),
              std::string::npos)
        << err;
  }

  // Every record exactly once: seq 1..N in order, each with its expected hash; the
  // center's counters agree.
  void account(const Expected& expected) {
    std::string center = "127.0.0.1:" + std::to_string(center_port_);
    auto edges = get_json(center, "/v1/edges");
    ASSERT_TRUE(edges);
    const nlohmann::json& list = edges->is_array() ? *edges : (*edges)["edges"];
    ASSERT_EQ(list.size(), 1u) << edges->dump();
    const nlohmann::json& e = list[0];
    EXPECT_EQ(e["plant"], "houston");
    EXPECT_EQ(e["acked_seq"].get<std::uint64_t>(), expected.hashes.size());
    EXPECT_EQ(e["records"].get<std::uint64_t>(), expected.hashes.size());
    std::string edge = e["edge"];
    std::uint64_t next = 1, lost = 0, wrong = 0;
    while (next <= expected.hashes.size()) {
      auto page = get_json(center, "/v1/records?plant=houston&edge=" + edge +
                                       "&after=" + std::to_string(next - 1) + "&limit=5000");
      ASSERT_TRUE(page);
      const auto& records = (*page)["records"];
      ASSERT_FALSE(records.empty()) << "nothing after seq " << next - 1;
      for (const auto& r : records) {
        std::uint64_t seq = r["seq"];
        if (seq != next) {
          lost += seq - next;  // a gap; a repeat would show as seq < next
          ASSERT_GT(seq, next) << "seq " << seq << " came twice";
        }
        if (seq - 1 < expected.hashes.size() && r["hash"] != expected.hashes[seq - 1]) ++wrong;
        next = seq + 1;
      }
    }
    EXPECT_EQ(lost, 0u);
    EXPECT_EQ(wrong, 0u);
    EXPECT_EQ(next - 1, expected.hashes.size());
  }

  testing::TempDir tmp_;
  std::string root_;
  std::filesystem::path tokens_, token_file_, replay_;
  int center_port_ = 0;
};

TEST_F(StoreAndForward, CenterDownForAWhileThenBack) {
  Expected expected = write_replay(replay_, 30000);
  auto edge = start_edge(0, center_port_, false);
  std::string address = edge_address();
  // The edge collects everything while the center is away.
  std::uint64_t last = 0;
  for (int i = 0; i < 600 && last < expected.hashes.size(); ++i) {
    std::this_thread::sleep_for(100ms);
    if (auto s = get_json(address, "/v1/status")) last = (*s)["last_seq"];
  }
  ASSERT_EQ(last, expected.hashes.size());
  auto status = get_json(address, "/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)["acked_seq"], 0);
  EXPECT_EQ((*status)["backlog"], expected.hashes.size());
  EXPECT_EQ((*status)["quarantined"], expected.quarantined);
  std::string error;
  for (int i = 0; i < 100 && error.empty(); ++i) {
    if (auto s = get_json(address, "/v1/status")) error = (*s)["forwarder"]["last_error"];
    if (error.empty()) std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(error.find("no answer"), std::string::npos) << error;
  auto center = start_center(0);
  std::uint64_t acked = 0;
  for (int i = 0; i < 600 && acked < expected.hashes.size(); ++i) {
    std::this_thread::sleep_for(100ms);
    if (auto s = get_json(address, "/v1/status")) acked = (*s)["acked_seq"];
  }
  EXPECT_EQ(acked, expected.hashes.size());
  edge->signal(SIGTERM);
  auto exit = edge->wait(30s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 0) << edge->err();
  account(expected);
  center->signal(SIGTERM);
  ASSERT_TRUE(center->wait(30s));
}

TEST_F(StoreAndForward, EdgeKilledMidBatchManyTimes) {
  Expected expected = write_replay(replay_, 200000);
  auto center = start_center(0);
  std::string center_address = "127.0.0.1:" + std::to_string(center_port_);
  // Round k kills the edge once it has numbered about k/16 of the records, wherever it
  // is then: reading the file, committing, or in the middle of a batch to the center.
  std::mt19937 random(11);
  std::uint64_t n = expected.hashes.size();
  int kills_mid_stream = 0;
  for (int round = 1; round <= 12; ++round) {
    auto edge = start_edge(round, center_port_, false, 500);
    std::string address = edge_address();
    std::uint64_t threshold = n * round / 16 + random() % 2000;
    for (int i = 0; i < 6000; ++i) {
      auto status = get_json(address, "/v1/status");
      if (!status || (*status)["last_seq"].get<std::uint64_t>() >= threshold) break;
      std::this_thread::sleep_for(2ms);
    }
    edge->kill();
    ASSERT_TRUE(edge->wait(30s));
    auto edges = get_json(center_address, "/v1/edges");
    ASSERT_TRUE(edges && edges->size() == 1) << (edges ? edges->dump() : "no answer");
    kills_mid_stream += (*edges)[0]["acked_seq"].get<std::uint64_t>() < n;
  }
  // Not vacuous: (nearly) every kill came before the center had everything.
  EXPECT_GE(kills_mid_stream, 10);
  drain_edge(expected, center_port_);
  account(expected);
}

TEST_F(StoreAndForward, CenterKilledMidCommitManyTimes) {
  Expected expected = write_replay(replay_, 200000);
  auto edge = start_edge(0, center_port_, true, 500);
  std::string center_address = "127.0.0.1:" + std::to_string(center_port_);
  // Round k kills the center once it has committed about k/16 of the records: in the
  // middle of a stream of commits, often of one.
  std::mt19937 random(23);
  std::uint64_t n = expected.hashes.size();
  for (int round = 1; round <= 12; ++round) {
    auto center = start_center(round);
    std::uint64_t threshold = n * round / 16 + random() % 2000;
    for (int i = 0; i < 6000; ++i) {
      auto edges = get_json(center_address, "/v1/edges");
      if (edges && edges->size() == 1 && (*edges)[0]["acked_seq"].get<std::uint64_t>() >= threshold) break;
      std::this_thread::sleep_for(2ms);
    }
    center->kill();
    ASSERT_TRUE(center->wait(30s));
  }
  // The edge cannot have drained without a center: the kills hit a running stream.
  ASSERT_TRUE(edge->running()) << edge->err();
  auto center = start_center(100);
  auto exit = edge->wait(180s);
  ASSERT_TRUE(exit) << "the edge did not drain within 180 s\n" << edge->err();
  EXPECT_EQ(exit->code, 0) << edge->err();
  account(expected);
}

TEST_F(StoreAndForward, ConnectionsCutMidResponse) {
  Expected expected = write_replay(replay_, 40000);
  auto center = start_center(0);
  testing::CuttingProxy proxy(center_port_, 20, 2000, 5);
  drain_edge(expected, proxy.port(), 100);
  EXPECT_GT(proxy.cuts(), 5u);
  account(expected);
}

}  // namespace
}  // namespace gemba
