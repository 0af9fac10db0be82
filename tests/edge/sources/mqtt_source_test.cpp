#include "edge/sources/mqtt_source.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "edge/sources/make_sources.h"
#include "tests/edge/sources/recording_sink.h"
#include "tests/support/mosquitto_broker.h"
#include "tests/support/temp_dir.h"

namespace gemba::edge {
namespace {

using gemba::testing::MosquittoBroker;
using gemba::testing::MqttPublisher;
using gemba::testing::TempDir;
using testing::RecordingSink;

const std::string kBase = "mqtt://plant-broker/line1/filler1/";

SignalInfo signal(const std::string& name, SignalInfo::Kind kind) {
  SignalInfo s;
  s.address = kBase + name;
  s.instance = "filler1";
  s.signal = name;
  s.kind = kind;
  if (kind == SignalInfo::Kind::kEnum)
    s.choices = {"Stopped", "Starting", "Idle", "Suspended", "Execute"};
  return s;
}

std::vector<SignalInfo> signals() {
  return {signal("probe", SignalInfo::Kind::kReal), signal("temperature", SignalInfo::Kind::kReal),
          signal("state", SignalInfo::Kind::kEnum), signal("running", SignalInfo::Kind::kBool)};
}

class EdgeSourceMqtt : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(broker_.start()) << broker_.log(); }

  std::unique_ptr<MqttSource> source(const std::string& client_id = "edge-test") {
    MqttSourceOptions options;
    options.name = "mqtt://plant-broker";
    options.host = "127.0.0.1";
    options.port = broker_.port();
    options.client_id = client_id;
    options.signals = signals();
    return std::make_unique<MqttSource>(options);
  }

  // Publishes to the probe topic until the source has it: the subscription is in place.
  bool wait_subscribed(RecordingSink& sink) {
    MqttPublisher publisher(broker_.port());
    for (int i = 0; i < 50; ++i) {
      publisher.publish("line1/filler1/probe", std::to_string(i));
      if (sink.wait_for_reading([](const Reading& r) { return r.address == kBase + "probe"; },
                                std::chrono::milliseconds(200))) {
        return true;
      }
    }
    return false;
  }

  TempDir dir_;
  MosquittoBroker broker_{dir_.path()};
};

TEST_F(EdgeSourceMqtt, ReadsNumbersBoolsMemberNamesAndJson) {
  RecordingSink sink;
  auto mqtt = source();
  mqtt->start(sink);
  ASSERT_TRUE(wait_subscribed(sink));
  EXPECT_TRUE(mqtt->status().connected);

  MqttPublisher publisher(broker_.port());
  ASSERT_TRUE(publisher.publish("line1/filler1/temperature", "21.5"));
  ASSERT_TRUE(publisher.publish("line1/filler1/running", "true"));
  ASSERT_TRUE(publisher.publish("line1/filler1/state", "Execute"));
  ASSERT_TRUE(publisher.publish("line1/filler1/temperature",
                                R"({"value": 22.25, "time": "2026-11-26T08:00:00.250Z"})"));
  ASSERT_TRUE(publisher.publish("line1/filler1/state", "3", 2));  // QoS 2 comes as QoS 1
  ASSERT_TRUE(sink.wait_for_count(6));

  std::vector<Reading> temperature = sink.of(kBase + "temperature");
  ASSERT_EQ(temperature.size(), 2u);
  EXPECT_DOUBLE_EQ(temperature[0].value, 21.5);
  EXPECT_TRUE(temperature[0].has_value);
  EXPECT_DOUBLE_EQ(temperature[1].value, 22.25);
  EXPECT_EQ(temperature[1].time_us, 1795680000250000);
  std::vector<Reading> state = sink.of(kBase + "state");
  ASSERT_EQ(state.size(), 2u);
  EXPECT_DOUBLE_EQ(state[0].value, 4);
  EXPECT_DOUBLE_EQ(state[1].value, 3);
  std::vector<Reading> running = sink.of(kBase + "running");
  ASSERT_EQ(running.size(), 1u);
  EXPECT_DOUBLE_EQ(running[0].value, 1);
  // Without a time in the payload: the time of receipt.
  auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  EXPECT_LE(temperature[0].time_us, now);
  EXPECT_GT(temperature[0].time_us, now - 60'000'000);

  mqtt->stop();
  EXPECT_EQ(mqtt->status().readings, sink.readings().size());
}

TEST_F(EdgeSourceMqtt, KeepsBadPayloadsWithAProblem) {
  RecordingSink sink;
  auto mqtt = source();
  mqtt->start(sink);
  ASSERT_TRUE(wait_subscribed(sink));
  const std::size_t before = sink.readings().size();
  const std::uint64_t errors_before = mqtt->status().errors;

  MqttPublisher publisher(broker_.port());
  ASSERT_TRUE(publisher.publish("line1/filler1/temperature", "warm"));
  ASSERT_TRUE(publisher.publish("line1/filler1/state", "Runing"));
  ASSERT_TRUE(publisher.publish("line1/filler1/running", "{broken"));
  ASSERT_TRUE(publisher.publish("line1/filler1/temperature", ""));  // ignored
  ASSERT_TRUE(publisher.publish("line1/filler1/temperature", "20"));
  ASSERT_TRUE(sink.wait_for_count(before + 4));

  std::vector<Reading> readings = sink.readings();
  readings.erase(readings.begin(), readings.begin() + static_cast<std::ptrdiff_t>(before));
  ASSERT_EQ(readings.size(), 4u);
  EXPECT_FALSE(readings[0].has_value);
  EXPECT_EQ(readings[0].text, "warm");
  EXPECT_EQ(readings[0].problem,
            "mqtt://plant-broker/line1/filler1/temperature: the value `warm` is not a number");
  EXPECT_NE(readings[1].problem.find("`Runing` is not a member of filler1.state"),
            std::string::npos);
  EXPECT_NE(readings[2].problem.find("is not a number, true/false, a member name"),
            std::string::npos);
  EXPECT_EQ(readings[2].text, "{broken");
  EXPECT_TRUE(readings[3].problem.empty());
  EXPECT_DOUBLE_EQ(readings[3].value, 20);
  EXPECT_EQ(mqtt->status().errors, errors_before + 3);
  mqtt->stop();
}

TEST_F(EdgeSourceMqtt, TheBrokerKeepsMessagesWhileTheEdgeIsAway) {
  {
    RecordingSink sink;
    auto mqtt = source("edge-away");
    mqtt->start(sink);
    ASSERT_TRUE(wait_subscribed(sink));
    mqtt->stop();  // a clean disconnect: the session and its subscriptions stay
  }
  MqttPublisher publisher(broker_.port());
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(publisher.publish("line1/filler1/temperature", std::to_string(i)));
  }
  RecordingSink sink;
  auto mqtt = source("edge-away");
  mqtt->start(sink);
  ASSERT_TRUE(sink.wait_for_count(50));
  std::vector<Reading> temperature = sink.of(kBase + "temperature");
  ASSERT_EQ(temperature.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_DOUBLE_EQ(temperature[i].value, i);
  mqtt->stop();
}

TEST_F(EdgeSourceMqtt, AMessageIsAcknowledgedOnlyOnceOffered) {
  // The sink refuses (the edge stops) when the message arrives: it is not stored, so the
  // broker must not have been acknowledged, and delivers it again to the next run.
  RecordingSink refusing;
  auto first = source("edge-refuse");
  first->start(refusing);
  ASSERT_TRUE(wait_subscribed(refusing));
  refusing.close();
  MqttPublisher publisher(broker_.port());
  ASSERT_TRUE(publisher.publish("line1/filler1/temperature", "42.5"));
  ASSERT_TRUE(testing::eventually([&] { return refusing.refused_offers() > 0; }));
  first->stop();
  for (const Reading& r : refusing.readings()) EXPECT_NE(r.address, kBase + "temperature");

  RecordingSink sink;
  auto second = source("edge-refuse");
  second->start(sink);
  ASSERT_TRUE(sink.wait_for_reading(
      [](const Reading& r) { return r.address == kBase + "temperature" && r.value == 42.5; }));
  second->stop();
}

TEST_F(EdgeSourceMqtt, BlocksWhileTheSinkBlocksAndStopsPromptly) {
  RecordingSink sink;
  auto mqtt = source("edge-block");
  mqtt->start(sink);
  ASSERT_TRUE(wait_subscribed(sink));
  sink.block();
  MqttPublisher publisher(broker_.port());
  ASSERT_TRUE(publisher.publish("line1/filler1/temperature", "1"));
  ASSERT_TRUE(sink.wait_until_offer_waits());
  ASSERT_TRUE(publisher.publish("line1/filler1/temperature", "2"));
  const std::size_t held = sink.readings().size();
  sink.unblock();
  ASSERT_TRUE(sink.wait_for_reading([](const Reading& r) { return r.value == 2; }));
  EXPECT_GT(sink.readings().size(), held);
  sink.block();
  ASSERT_TRUE(publisher.publish("line1/filler1/temperature", "3"));
  ASSERT_TRUE(sink.wait_until_offer_waits());
  sink.close();
  mqtt->stop();  // returns although an offer was waiting
}

TEST_F(EdgeSourceMqtt, ReconnectsAfterTheBrokerRestarts) {
  RecordingSink sink;
  auto mqtt = source("edge-restart");
  mqtt->start(sink);
  ASSERT_TRUE(wait_subscribed(sink));
  broker_.stop();
  ASSERT_TRUE(testing::eventually([&] { return !mqtt->status().connected; }));
  EXPECT_GT(mqtt->status().errors, 0u);
  EXPECT_NE(mqtt->status().last_error.find("mqtt://plant-broker (127.0.0.1:"), std::string::npos)
      << mqtt->status().last_error;
  ASSERT_TRUE(broker_.start()) << broker_.log();
  ASSERT_TRUE(
      testing::eventually([&] { return mqtt->status().connected; }, std::chrono::seconds(20)));
  // The session (with its subscriptions) survived in the broker's persistence.
  MqttPublisher publisher(broker_.port());
  ASSERT_TRUE(publisher.publish("line1/filler1/temperature", "55.5"));
  ASSERT_TRUE(sink.wait_for_reading([](const Reading& r) { return r.value == 55.5; },
                                    std::chrono::seconds(20)));
  mqtt->stop();
}

TEST_F(EdgeSourceMqtt, KeepsRetryingWhileNoBrokerIsThere) {
  broker_.stop();
  RecordingSink sink;
  auto mqtt = source("edge-late");
  mqtt->start(sink);
  ASSERT_TRUE(testing::eventually([&] { return mqtt->status().errors >= 2; }));
  EXPECT_FALSE(mqtt->status().connected);
  EXPECT_NE(mqtt->status().last_error.find("cannot connect"), std::string::npos)
      << mqtt->status().last_error;
  ASSERT_TRUE(broker_.start());
  ASSERT_TRUE(wait_subscribed(sink));
  mqtt->stop();
}

TEST_F(EdgeSourceMqtt, MadeByTheFactoryWithAConnectMapping) {
  SourceOptions options;
  options.connect["plant-broker"] = "127.0.0.1:" + std::to_string(broker_.port());
  options.client_id = "edge-factory";
  std::string error;
  auto sources = make_sources(signals(), options, &error);
  ASSERT_EQ(sources.size(), 1u) << error;
  RecordingSink sink;
  sources[0]->start(sink);
  ASSERT_TRUE(wait_subscribed(sink));
  // Readings keep the address as the plant model writes it.
  EXPECT_EQ(sink.readings()[0].address, kBase + "probe");
  EXPECT_EQ(sources[0]->status().name, "mqtt://plant-broker");
  sources[0]->stop();
}

TEST_F(EdgeSourceMqtt, ConnectsOverTls) {
  if (std::system("command -v openssl > /dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl";
  const auto d = dir_.path();
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      (d / "key.pem").string() + " -out " + (d / "cert.pem").string() + " > /dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  TempDir tls_dir;
  // TLS on its port; a plain second listener for the test's publisher.
  const int plain_port = gemba::testing::free_tcp_port();
  MosquittoBroker tls(tls_dir.path(), "certfile " + (d / "cert.pem").string() + "\nkeyfile " +
                                          (d / "key.pem").string() + "\nlistener " +
                                          std::to_string(plain_port) + " 127.0.0.1");
  ASSERT_TRUE(tls.start()) << tls.log();

  MqttSourceOptions options;
  options.name = "mqtts://plant-broker";
  options.host = "127.0.0.1";
  options.port = tls.port();
  options.tls = true;
  options.ca_file = (d / "cert.pem").string();
  options.client_id = "edge-tls";
  options.signals = signals();
  MqttSource mqtt(options);
  RecordingSink sink;
  mqtt.start(sink);
  ASSERT_TRUE(testing::eventually([&] { return mqtt.status().connected; }));
  MqttPublisher publisher(plain_port);
  bool received = false;
  for (int i = 0; i < 50 && !received; ++i) {
    ASSERT_TRUE(publisher.publish("line1/filler1/temperature", "36.5"));
    received = sink.wait_for_reading([](const Reading& r) { return r.value == 36.5; },
                                     std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(received);
  mqtt.stop();

  // A client that does not trust the certificate does not connect.
  options.ca_file = (d / "key.pem").string();
  options.client_id = "edge-tls-2";
  MqttSource untrusting(options);
  untrusting.start(sink);
  ASSERT_TRUE(testing::eventually([&] { return untrusting.status().errors > 0; }));
  EXPECT_FALSE(untrusting.status().connected);
  untrusting.stop();
}

}  // namespace
}  // namespace gemba::edge
