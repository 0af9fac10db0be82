// `gemba center`: the real binary on a real data directory, port 0 and --address-file;
// killed with SIGKILL and restarted on the same data (marks and records kept), stopped
// with SIGTERM and SIGINT (exit 0), refused configurations (exit 2).
#include <signal.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/wire/batch.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace gemba {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;
using testing::ChildProcess;

constexpr const char* kToken = "houston-token-0123456789";
constexpr const char* kEdge = "0123456789abcdef";

wire::Batch batch(std::uint64_t first, std::uint64_t last) {
  wire::Batch b{"houston", kEdge, {}};
  for (std::uint64_t seq = first; seq <= last; ++seq) {
    wire::Record r;
    r.seq = seq;
    r.time_us = 1'795'680'000'000'000 + static_cast<std::int64_t>(seq);
    r.subject = "kettle2.temperature";
    r.value = static_cast<double>(seq) / 4;
    r.unit = "degC";
    b.records.push_back(r);
  }
  return b;
}

class GembaCenter : public ::testing::Test {
 protected:
  void SetUp() override {
#ifndef GEMBA_BINARY
    GTEST_SKIP() << "the gemba executable is not built";
#else
    binary_ = GEMBA_BINARY;
#endif
    tokens_ = dir_.write("tokens", std::string("# test plants\nhouston ") + kToken + "\n").string();
  }

  std::vector<std::string> argv(const std::string& data, const std::string& listen = "127.0.0.1:0",
                                const std::string& address_file = "") {
    std::vector<std::string> args = {binary_, "center", "--data", data, "--listen", listen,
                                     "--tokens", tokens_};
    if (!address_file.empty()) args.insert(args.end(), {"--address-file", address_file});
    return args;
  }

  // Starts a center on `data` at port 0; returns its HOST:PORT, or empty on failure.
  std::string start(std::unique_ptr<ChildProcess>* child, const std::string& data,
                    const std::string& name) {
    std::filesystem::path address = dir_.path() / (name + ".address");
    std::filesystem::remove(address);
    *child = std::make_unique<ChildProcess>(argv(data, "127.0.0.1:0", address.string()), dir_.path(),
                                            name);
    EXPECT_TRUE((*child)->started()) << (*child)->error();
    bool up = ChildProcess::wait_for_file(address, 60s, child->get());
    EXPECT_TRUE(up) << "no address file; stderr:\n" << (*child)->err();
    if (!up) return "";
    std::string text = ChildProcess::read(address);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

  static std::unique_ptr<httplib::Client> client(const std::string& address) {
    auto c = std::make_unique<httplib::Client>("http://" + address);
    c->set_read_timeout(60, 0);
    return c;
  }

  static Json post(httplib::Client& c, const wire::Batch& b) {
    auto res = c.Post("/v1/ingest", {{"Authorization", std::string("Bearer ") + kToken}},
                      wire::to_json(b), "application/json");
    EXPECT_TRUE(res) << httplib::to_string(res.error());
    if (!res) return {};
    EXPECT_EQ(res->status, 200) << res->body;
    return Json::parse(res->body, nullptr, false);
  }

  static Json get(httplib::Client& c, const std::string& path) {
    auto res = c.Get(path);
    EXPECT_TRUE(res) << httplib::to_string(res.error());
    if (!res) return {};
    EXPECT_EQ(res->status, 200) << res->body;
    return Json::parse(res->body, nullptr, false);
  }

  testing::TempDir dir_;
  std::string binary_;
  std::string tokens_;
};

TEST_F(GembaCenter, KeepsMarksAndRecordsAcrossSigkill) {
  const std::string data = (dir_.path() / "data").string();
  std::unique_ptr<ChildProcess> center;
  std::string address = start(&center, data, "first");
  ASSERT_FALSE(address.empty());
  EXPECT_EQ(post(*client(address), batch(1, 5))["acked_seq"], 5);

  ASSERT_TRUE(center->signal(SIGKILL));
  auto killed = center->wait(60s);
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->signal, SIGKILL);

  address = start(&center, data, "second");
  ASSERT_FALSE(address.empty());
  auto c = client(address);
  Json edges = get(*c, "/v1/edges");
  ASSERT_EQ(edges.size(), 1u) << edges.dump();
  EXPECT_EQ(edges[0]["acked_seq"], 5);
  EXPECT_EQ(edges[0]["records"], 5);
  Json again = post(*c, batch(1, 5));
  EXPECT_EQ(again["stored"], 0);
  EXPECT_EQ(again["duplicates"], 5);
  EXPECT_EQ(post(*c, batch(4, 8))["stored"], 3);
  Json records = get(*c, std::string("/v1/records?plant=houston&edge=") + kEdge);
  wire::Batch all = batch(1, 8);
  ASSERT_EQ(records["records"].size(), 8u) << records.dump();
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(records["records"][i]["hash"], wire::content_hash(all.records[i]));
  }
}

TEST_F(GembaCenter, StopsCleanlyOnSigtermAndSigint) {
  for (int sig : {SIGTERM, SIGINT}) {
    std::unique_ptr<ChildProcess> center;
    std::string name = sig == SIGTERM ? "term" : "int";
    std::string address = start(&center, (dir_.path() / ("data-" + name)).string(), name);
    ASSERT_FALSE(address.empty());
    EXPECT_EQ(post(*client(address), batch(1, 3))["acked_seq"], 3);
    ASSERT_TRUE(center->signal(sig));
    auto exit = center->wait(60s);
    ASSERT_TRUE(exit) << "still running after the signal";
    EXPECT_EQ(exit->code, 0) << center->err();
    EXPECT_NE(center->err().find("listening on http://" + address), std::string::npos)
        << center->err();
    EXPECT_NE(center->err().find(std::string("stopped on ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT")),
              std::string::npos)
        << center->err();
  }
}

TEST_F(GembaCenter, BadTokensFileExits2NamingTheLine) {
  std::string tokens = dir_.write("bad-tokens", "houston 0123456789abcdef\naustin short\n").string();
  ChildProcess center({binary_, "center", "--data", (dir_.path() / "data").string(), "--listen",
                       "127.0.0.1:0", "--tokens", tokens},
                      dir_.path(), "bad-tokens");
  ASSERT_TRUE(center.started()) << center.error();
  auto exit = center.wait(60s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 2);
  EXPECT_NE(center.err().find(tokens + ":2: plant `austin`: the token is 5 characters"),
            std::string::npos)
      << center.err();
}

TEST_F(GembaCenter, RefusesADataDirectoryInUseAndAPortInUse) {
  const std::string data = (dir_.path() / "data").string();
  std::unique_ptr<ChildProcess> first;
  std::string address = start(&first, data, "owner");
  ASSERT_FALSE(address.empty());

  ChildProcess same_data(argv(data), dir_.path(), "same-data");
  auto exit = same_data.wait(60s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 2);
  EXPECT_NE(same_data.err().find("is in use by process " + std::to_string(first->pid())),
            std::string::npos)
      << same_data.err();

  ChildProcess same_port(argv((dir_.path() / "other").string(), address), dir_.path(), "same-port");
  exit = same_port.wait(60s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 2);
  EXPECT_NE(same_port.err().find("cannot listen on " + address), std::string::npos)
      << same_port.err();
  EXPECT_TRUE(first->running());  // the first center is unharmed
}

TEST_F(GembaCenter, RefusesABadListenAddress) {
  ChildProcess center(argv((dir_.path() / "data").string(), "localhost"), dir_.path(), "listen");
  auto exit = center.wait(60s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 2);
  EXPECT_NE(center.err().find("--listen: `localhost` is not HOST:PORT"), std::string::npos)
      << center.err();
}

}  // namespace
}  // namespace gemba
