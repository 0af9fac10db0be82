// The center's HTTP API against a real server on 127.0.0.1 (port 0), in process, with
// httplib's client: status codes, what is stored, what the queries answer, TLS.
#include "runtime/center/center_server.h"

#include <signal.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <chrono>
#include <thread>

#include "tests/support/shell.h"
#include "tests/support/temp_dir.h"

namespace gemba::center {
namespace {

using Json = nlohmann::json;

constexpr const char* kHoustonToken = "houston-token-0123456789";
constexpr const char* kAustinToken = "austin-token-0123456789";
constexpr const char* kEdge = "00000000000000e1";
constexpr std::int64_t kT0 = 1'795'680'000'000'000;  // 2026-11-26T08:00:00Z

wire::Batch batch(std::uint64_t first, std::uint64_t last, const std::string& plant = "houston",
                  const std::string& edge = kEdge) {
  wire::Batch b{plant, edge, {}};
  for (std::uint64_t seq = first; seq <= last; ++seq) {
    wire::Record r;
    r.seq = seq;
    r.time_us = kT0 + static_cast<std::int64_t>(seq) * 60'000'000;  // one a minute
    r.subject = "kettle2.temperature";
    r.value = 80.5 + static_cast<double>(seq);
    r.unit = "degC";
    b.records.push_back(r);
  }
  return b;
}

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// A running server; stopped and joined on destruction.
class RunningServer {
 public:
  RunningServer(IngestStore& store, const Tokens& tokens, CenterServerOptions options) {
    std::string error;
    server_ = CenterServer::bind(store, tokens, options, &error);
    EXPECT_TRUE(server_) << error;
    if (server_) thread_ = std::thread([this] { server_->run(); });
  }
  ~RunningServer() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  CenterServer* operator->() { return server_.get(); }
  explicit operator bool() const { return server_ != nullptr; }

 private:
  std::unique_ptr<CenterServer> server_;
  std::thread thread_;
};

class CenterServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signal(SIGPIPE, SIG_IGN);  // a peer gone in the middle of a TLS write
    store::Status status;
    store_ = IngestStore::open(dir_.path() / "data", &status);
    ASSERT_TRUE(store_) << status.message();
    std::string error;
    tokens_ = Tokens::parse(std::string("houston ") + kHoustonToken + "\naustin " + kAustinToken +
                                "\n",
                            "tokens", &error);
    ASSERT_TRUE(tokens_) << error;
    CenterServerOptions options;
    options.address = {"127.0.0.1", 0};
    options.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mutex_);
      log_.push_back(line);
    };
    server_ = std::make_unique<RunningServer>(*store_, *tokens_, options);
    ASSERT_TRUE(*server_);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", (*server_)->port());
    client_->set_read_timeout(60, 0);
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
  }

  httplib::Result post(const std::string& body, const std::string& token = kHoustonToken) {
    return client_->Post("/v1/ingest", bearer(token), body, "application/json");
  }
  httplib::Result post(const wire::Batch& b, const std::string& token = kHoustonToken) {
    return post(wire::to_json(b), token);
  }
  Json get_json(const std::string& path, int expected_status = 200) {
    httplib::Result res = client_->Get(path);
    EXPECT_TRUE(res) << path << ": " << httplib::to_string(res.error());
    if (!res) return {};
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    return Json::parse(res->body, nullptr, false);
  }
  std::vector<std::string> log() {
    std::lock_guard<std::mutex> lock(log_mutex_);
    return log_;
  }

  gemba::testing::TempDir dir_;
  std::unique_ptr<IngestStore> store_;
  std::optional<Tokens> tokens_;
  std::unique_ptr<RunningServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

void expect_ack(const httplib::Result& res, std::uint64_t mark, std::uint64_t stored,
                std::uint64_t duplicates) {
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  std::string error;
  auto ack = wire::parse_ack(res->body, &error);
  ASSERT_TRUE(ack) << error;
  EXPECT_EQ(ack->acked_seq, mark);
  EXPECT_EQ(ack->stored, stored);
  EXPECT_EQ(ack->duplicates, duplicates);
}

std::string error_of(const httplib::Result& res, int status) {
  EXPECT_TRUE(res) << httplib::to_string(res.error());
  if (!res) return "";
  EXPECT_EQ(res->status, status) << res->body;
  Json body = Json::parse(res->body, nullptr, false);
  EXPECT_TRUE(body.is_object() && body.contains("error")) << res->body;
  return body.is_object() ? body.value("error", "") : "";
}

TEST_F(CenterServerTest, HealthAnswers) {
  EXPECT_EQ(get_json("/v1/health")["status"], "ok");
}

TEST_F(CenterServerTest, IngestAcknowledgesAfterCommitAndIgnoresResends) {
  expect_ack(post(batch(1, 5)), 5, 5, 0);
  expect_ack(post(batch(1, 5)), 5, 0, 5);  // the same batch again: nothing stored twice
  expect_ack(post(batch(4, 7)), 7, 2, 2);
  std::optional<EdgeInfo> info;
  ASSERT_TRUE(store_->edge("houston", kEdge, &info).is_ok());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->records, 7u);
}

TEST_F(CenterServerTest, RefusesMissingAndUnknownTokens) {
  httplib::Result none = client_->Post("/v1/ingest", wire::to_json(batch(1, 1)), "application/json");
  EXPECT_EQ(error_of(none, 401), "no `Authorization: Bearer TOKEN` header");
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(error_of(post(batch(1, 1), "not-a-token-of-anyone"), 401), "unknown token");
  httplib::Result basic = client_->Post("/v1/ingest", {{"Authorization", "Basic abc"}},
                                        wire::to_json(batch(1, 1)), "application/json");
  EXPECT_EQ(error_of(basic, 401), "no `Authorization: Bearer TOKEN` header");
  EXPECT_TRUE(get_json("/v1/edges").empty());
}

TEST_F(CenterServerTest, RefusesABatchOfAnotherPlant) {
  EXPECT_EQ(error_of(post(batch(1, 2, "houston"), kAustinToken), 403),
            "the token is plant `austin`'s; the batch is plant `houston`'s");
  EXPECT_TRUE(get_json("/v1/edges").empty());
  expect_ack(post(batch(1, 2, "austin"), kAustinToken), 2, 2, 0);
}

TEST_F(CenterServerTest, RefusesMalformedBatchesNamingWhere) {
  EXPECT_NE(error_of(post("{not json"), 400).find("batch: not JSON"), std::string::npos);
  Json doc = Json::parse(wire::to_json(batch(1, 4)));
  doc["records"][3]["value"] = 1.5;
  EXPECT_EQ(error_of(post(doc.dump()), 400), "records[3].hash: does not match the record's content");
  EXPECT_TRUE(get_json("/v1/edges").empty());  // nothing of it stored
  // httplib logs a request after its response is sent: the line may come a moment after
  // the answer did.
  bool logged = false;
  for (int attempt = 0; attempt < 500 && !logged; ++attempt) {
    for (const std::string& line : log()) {
      logged = logged || (line.find("refused POST /v1/ingest from 127.0.0.1: 400") == 0 &&
                          line.find("records[3].hash") != std::string::npos);
    }
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(logged);
}

TEST_F(CenterServerTest, RefusesOversizedBodies) {
  std::string body(wire::kMaxBatchBytes + 1, ' ');
  httplib::Result res = post(body);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  EXPECT_NE(res->body.find("larger than 8388608 bytes"), std::string::npos) << res->body;
  expect_ack(post(batch(1, 1)), 1, 1, 0);  // the server is fine afterwards
}

TEST_F(CenterServerTest, RefusesGapsWithTheMark) {
  expect_ack(post(batch(1, 3)), 3, 3, 0);
  httplib::Result res = post(batch(6, 8));
  EXPECT_NE(error_of(res, 409).find("up to seq 3"), std::string::npos);
  EXPECT_EQ(Json::parse(res->body)["acked_seq"], 3);
  EXPECT_EQ(get_json("/v1/edges")[0]["acked_seq"], 3);
  expect_ack(post(batch(4, 8)), 8, 5, 0);  // resent from the mark
}

TEST_F(CenterServerTest, ListsEdges) {
  expect_ack(post(batch(1, 3)), 3, 3, 0);
  expect_ack(post(batch(1, 2, "austin", "00000000000000e2"), kAustinToken), 2, 2, 0);
  Json edges = get_json("/v1/edges");
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0]["plant"], "austin");
  EXPECT_EQ(edges[1]["plant"], "houston");
  EXPECT_EQ(edges[1]["edge"], kEdge);
  EXPECT_EQ(edges[1]["acked_seq"], 3);
  EXPECT_EQ(edges[1]["records"], 3);
  EXPECT_TRUE(edges[1]["last_seen"].is_string());
  EXPECT_TRUE(edges[1]["last_seen_us"].is_number_integer());
}

TEST_F(CenterServerTest, QueriesSamplesByTimeRange) {
  expect_ack(post(batch(1, 10)), 10, 10, 0);
  // Minutes 2, 3, 4 of 08:00.
  Json page = get_json(
      "/v1/samples?plant=houston&signal=kettle2.temperature&from=2026-11-26T08:02:00Z"
      "&to=2026-11-26T08:05:00Z");
  ASSERT_EQ(page["samples"].size(), 3u) << page.dump();
  const Json& first = page["samples"][0];
  EXPECT_EQ(first["time"], "2026-11-26T08:02:00Z");
  EXPECT_EQ(first["time_us"], kT0 + 120'000'000);
  EXPECT_EQ(first["value"], 82.5);
  EXPECT_EQ(first["unit"], "degC");
  EXPECT_EQ(first["text"], "");
  EXPECT_EQ(first["edge"], kEdge);
  EXPECT_EQ(first["seq"], 2);
  EXPECT_EQ(page["more"], false);
  // Integer microseconds and a limit.
  Json limited = get_json("/v1/samples?plant=houston&signal=kettle2.temperature&from=" +
                          std::to_string(kT0) + "&limit=4");
  EXPECT_EQ(limited["samples"].size(), 4u);
  EXPECT_EQ(limited["more"], true);
  EXPECT_EQ(get_json("/v1/samples?plant=austin&signal=kettle2.temperature")["samples"].size(), 0u);
}

TEST_F(CenterServerTest, RefusesBadQueryParameters) {
  auto bad = [&](const std::string& query) {
    Json body = get_json("/v1/samples?" + query, 400);
    return body.is_object() ? body.value("error", "") : "";
  };
  EXPECT_EQ(bad("signal=k.t"), "plant: missing, or not a plant name");
  EXPECT_EQ(bad("plant=houston"), "signal: missing; write signal=instance.signal");
  EXPECT_NE(bad("plant=houston&signal=k.t&from=yesterday").find("from: `yesterday` is not a time"),
            std::string::npos);
  EXPECT_NE(bad("plant=houston&signal=k.t&to=2026-02-30T00:00:00Z").find("to: `"),
            std::string::npos);
  EXPECT_EQ(bad("plant=houston&signal=k.t&from=10&to=10"), "from: must be before to");
  EXPECT_EQ(bad("plant=houston&signal=k.t&limit=0"), "limit: `0` is not an integer from 1 to 10000");
  EXPECT_EQ(bad("plant=houston&signal=k.t&limit=10001"),
            "limit: `10001` is not an integer from 1 to 10000");
  EXPECT_NE(bad("plant=houston&subject=k.t").find("unknown parameter `subject`"), std::string::npos);
}

TEST_F(CenterServerTest, ListsRecordsWithHashes) {
  wire::Batch b = batch(1, 6);
  b.records[2].kind = wire::RecordKind::kEvent;
  b.records[2].subject = "MixBatch#12";
  b.records[2].text = R"({"step":"charge"})";
  expect_ack(post(b), 6, 6, 0);
  Json page = get_json(std::string("/v1/records?plant=houston&edge=") + kEdge + "&after=2&limit=3");
  EXPECT_EQ(page["acked_seq"], 6);
  ASSERT_EQ(page["records"].size(), 3u);
  EXPECT_EQ(page["more"], true);
  for (std::size_t i = 0; i < 3; ++i) {
    const Json& r = page["records"][i];
    EXPECT_EQ(r["seq"], 3 + i);
    EXPECT_EQ(r["hash"], wire::content_hash(b.records[2 + i]));
  }
  EXPECT_EQ(page["records"][0]["kind"], "event");
  EXPECT_EQ(page["records"][0]["text"], R"({"step":"charge"})");
  Json missing = get_json("/v1/records?plant=houston&edge=00000000000000ff", 404);
  EXPECT_EQ(missing["error"], "no edge 00000000000000ff at plant `houston`");
  EXPECT_EQ(get_json("/v1/records?plant=houston&edge=XYZ", 400)["error"],
            "edge: missing, or not 16 lowercase hex digits");
  EXPECT_EQ(get_json(std::string("/v1/records?plant=houston&edge=") + kEdge + "&after=x", 400)["error"],
            "after: `x` is not a sequence number");
}

TEST_F(CenterServerTest, UnknownPathsAnswerJson404) {
  Json body = get_json("/v2/ingest", 404);
  EXPECT_NE(body.value("error", "").find("no such endpoint"), std::string::npos);
}

TEST_F(CenterServerTest, ConcurrentClientsStoreEveryRecordOnce) {
  // Four clients race the same edge's 300 records, each resending from the mark it is
  // told (409 or 200), as edges do.
  std::vector<std::thread> threads;
  const int port = (*server_)->port();
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([port] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(60, 0);
      std::uint64_t next = 1;
      for (int round = 0; next <= 300 && round < 10000; ++round) {
        auto res = client.Post("/v1/ingest", bearer(kHoustonToken),
                               wire::to_json(batch(next, std::min<std::uint64_t>(next + 19, 300))),
                               "application/json");
        ASSERT_TRUE(res);
        ASSERT_TRUE(res->status == 200 || res->status == 409) << res->body;
        next = Json::parse(res->body)["acked_seq"].get<std::uint64_t>() + 1;
      }
      EXPECT_EQ(next, 301u);
    });
  }
  for (std::thread& t : threads) t.join();
  Json edges = get_json("/v1/edges");
  ASSERT_EQ(edges.size(), 1u);
  EXPECT_EQ(edges[0]["acked_seq"], 300);
  EXPECT_EQ(edges[0]["records"], 300);
  Json records = get_json(std::string("/v1/records?plant=houston&edge=") + kEdge);
  ASSERT_EQ(records["records"].size(), 300u);
  for (std::size_t i = 0; i < 300; ++i) EXPECT_EQ(records["records"][i]["seq"], i + 1);
}

TEST(CenterServerLifecycle, StopBeforeRunReturnsAtOnce) {
  gemba::testing::TempDir dir;
  store::Status status;
  auto store = IngestStore::open(dir.path(), &status);
  ASSERT_TRUE(store);
  std::string error;
  auto tokens = Tokens::parse("houston 0123456789abcdef\n", "t", &error);
  CenterServerOptions options;
  options.address = {"127.0.0.1", 0};
  auto server = CenterServer::bind(*store, *tokens, options, &error);
  ASSERT_TRUE(server) << error;
  server->stop();
  server->run();  // returns: stop came first
}

TEST(CenterServerLifecycle, StopsWithAnIdleKeepAliveConnectionOpen) {
  gemba::testing::TempDir dir;
  store::Status status;
  auto store = IngestStore::open(dir.path(), &status);
  ASSERT_TRUE(store);
  std::string error;
  auto tokens = Tokens::parse("houston 0123456789abcdef\n", "t", &error);
  CenterServerOptions options;
  options.address = {"127.0.0.1", 0};
  auto server = CenterServer::bind(*store, *tokens, options, &error);
  ASSERT_TRUE(server) << error;
  std::thread running([&] { server->run(); });
  httplib::Client client("127.0.0.1", server->port());
  client.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    auto res = client.Get("/v1/health");
    EXPECT_TRUE(res && res->status == 200);  // no ASSERT: `running` must be joined
  }
  server->stop();  // returns once the idle connection times out on the server's side
  running.join();
  server->stop();  // idempotent
}

TEST(CenterServerLifecycle, RefusesAPortInUseAndBadTlsFiles) {
  gemba::testing::TempDir dir;
  store::Status status;
  auto store = IngestStore::open(dir.path() / "data", &status);
  ASSERT_TRUE(store);
  std::string error;
  auto tokens = Tokens::parse("houston 0123456789abcdef\n", "t", &error);
  CenterServerOptions options;
  options.address = {"127.0.0.1", 0};
  RunningServer first(*store, *tokens, options);
  ASSERT_TRUE(first);
  options.address.port = first->port();
  EXPECT_FALSE(CenterServer::bind(*store, *tokens, options, &error));
  EXPECT_NE(error.find("cannot listen on 127.0.0.1:" + std::to_string(first->port())),
            std::string::npos)
      << error;
  options.address.port = 0;
  options.tls_cert = (dir.path() / "missing.pem").string();
  options.tls_key = options.tls_cert;
  EXPECT_FALSE(CenterServer::bind(*store, *tokens, options, &error));
  EXPECT_NE(error.find("cannot load the TLS certificate"), std::string::npos) << error;
  options.tls_key.clear();
  EXPECT_FALSE(CenterServer::bind(*store, *tokens, options, &error));
  EXPECT_NE(error.find("both a certificate"), std::string::npos) << error;
}

TEST(CenterServerLifecycle, ParsesListenAddresses) {
  std::string error;
  auto a = parse_listen_address("127.0.0.1:8400", &error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8400);
  auto v6 = parse_listen_address("[::1]:0", &error);
  ASSERT_TRUE(v6) << error;
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  for (const char* bad : {"8400", ":8400", "host:", "host:65536", "host:-1", "::1:80", "h:8x"}) {
    EXPECT_FALSE(parse_listen_address(bad, &error)) << bad;
  }
}

TEST(CenterServerTls, ServesHttpsWithASelfSignedCertificate) {
  signal(SIGPIPE, SIG_IGN);
  gemba::testing::TempDir dir;
  std::string cert = (dir.path() / "cert.pem").string(), key = (dir.path() / "key.pem").string();
  auto made = gemba::testing::run_shell(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      gemba::testing::shell_quote(key) + " -out " + gemba::testing::shell_quote(cert) +
      " 2>/dev/null");
  ASSERT_EQ(made.exit_code, 0) << "openssl could not make a certificate";
  store::Status status;
  auto store = IngestStore::open(dir.path() / "data", &status);
  ASSERT_TRUE(store);
  std::string error;
  auto tokens = Tokens::parse(std::string("houston ") + kHoustonToken + "\n", "t", &error);
  CenterServerOptions options;
  options.address = {"127.0.0.1", 0};
  options.tls_cert = cert;
  options.tls_key = key;
  RunningServer server(*store, *tokens, options);
  ASSERT_TRUE(server);
  EXPECT_EQ(server->url(), "https://127.0.0.1:" + std::to_string(server->port()));

  httplib::SSLClient verified("127.0.0.1", server->port());
  verified.set_ca_cert_path(cert.c_str());
  verified.enable_server_certificate_verification(true);
  auto res = verified.Post("/v1/ingest", bearer(kHoustonToken), wire::to_json(batch(1, 3)),
                           "application/json");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200) << res->body;

  httplib::SSLClient unverified("127.0.0.1", server->port());
  unverified.enable_server_certificate_verification(false);
  auto edges = unverified.Get("/v1/edges");
  ASSERT_TRUE(edges) << httplib::to_string(edges.error());
  EXPECT_EQ(Json::parse(edges->body)[0]["acked_seq"], 3);

  // A client that trusts only the system CAs refuses the self-signed certificate.
  httplib::SSLClient strict("127.0.0.1", server->port());
  strict.enable_server_certificate_verification(true);
  strict.set_ca_cert_path((dir.path() / "none.pem").c_str());
  EXPECT_FALSE(strict.Get("/v1/health"));

  // Plain HTTP to the HTTPS port gets no answer.
  httplib::Client plain("127.0.0.1", server->port());
  plain.set_read_timeout(10, 0);
  auto wrong = plain.Get("/v1/health");
  EXPECT_TRUE(!wrong || wrong->status != 200);
}

}  // namespace
}  // namespace gemba::center
