#include "edge/sources/modbus_source.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "edge/sources/make_sources.h"
#include "tests/edge/sources/recording_sink.h"
#include "tests/support/modbus_server.h"

namespace gemba::edge {
namespace {

using gemba::testing::ModbusServer;
using testing::RecordingSink;

ModbusPoint point_ok(const std::string& text) {
  std::string error;
  std::optional<Address> address = parse_address(text, &error);
  EXPECT_TRUE(address) << error;
  std::optional<ModbusPoint> point = parse_modbus_point(*address, &error);
  EXPECT_TRUE(point) << text << ": " << error;
  return point.value_or(ModbusPoint{});
}

std::string point_error(const std::string& text) {
  std::string error;
  std::optional<Address> address = parse_address(text, &error);
  EXPECT_TRUE(address) << error;
  EXPECT_FALSE(parse_modbus_point(*address, &error)) << text;
  return error;
}

TEST(EdgeSourceModbusPoint, ReadsReferencesUnitsAndTypes) {
  ModbusPoint a = point_ok("modbus://10.40.1.21:502/1/40003");
  EXPECT_EQ(a.unit, 1);
  EXPECT_EQ(a.table, ModbusTable::kHoldingRegister);
  EXPECT_EQ(a.offset, 2);
  EXPECT_EQ(a.type, ModbusType::kI16);
  EXPECT_EQ(a.scale, 1);
  ModbusPoint b = point_ok("modbus://h:502/2/00001");
  EXPECT_EQ(b.table, ModbusTable::kCoil);
  EXPECT_EQ(b.offset, 0);
  EXPECT_TRUE(b.is_bit());
  EXPECT_EQ(point_ok("modbus://h:502/0/10010").table, ModbusTable::kDiscreteInput);
  ModbusPoint c = point_ok("modbus://h:502/255/30001?type=f32&scale=0.5");
  EXPECT_EQ(c.unit, 255);
  EXPECT_EQ(c.table, ModbusTable::kInputRegister);
  EXPECT_EQ(c.type, ModbusType::kF32);
  EXPECT_EQ(c.width(), 2);
  EXPECT_EQ(c.scale, 0.5);
  ModbusPoint d = point_ok("modbus://h:502/1/465535?type=u16");
  EXPECT_EQ(d.offset, 65534);
  EXPECT_EQ(d.type, ModbusType::kU16);
}

TEST(EdgeSourceModbusPoint, SaysWhatIsWrong) {
  EXPECT_NE(point_error("modbus://h:502/1/50001").find("is not a Modbus reference (00001.. coils"),
            std::string::npos);
  EXPECT_NE(point_error("modbus://h:502/1/40000").find("is not a Modbus reference"),
            std::string::npos);
  EXPECT_NE(point_error("modbus://h:502/40001").find("/unit/register"), std::string::npos);
  EXPECT_NE(point_error("modbus://h:502/256/40001").find("0..255"), std::string::npos);
  EXPECT_NE(point_error("modbus://h:502/1/40001?type=f64").find("i16, u16, i32, u32, f32"),
            std::string::npos);
  EXPECT_NE(point_error("modbus://h:502/1/40001?scale=0").find("non-zero"), std::string::npos);
  EXPECT_NE(point_error("modbus://h:502/1/40001?unit=3").find("`type` or `scale`"),
            std::string::npos);
  EXPECT_NE(point_error("modbus://h:502/1/00001?scale=2").find("bool"), std::string::npos);
  EXPECT_NE(point_error("modbus://h:502/1/465536?type=i32").find("needs two"), std::string::npos);
}

TEST(EdgeSourceModbusPoint, DecodesBigEndianWords) {
  auto decode = [](const std::string& query, std::vector<std::uint16_t> registers) {
    return decode_registers(point_ok("modbus://h:502/1/40001" + query), registers.data());
  };
  EXPECT_EQ(decode("", {0xFFF4}), -12);
  EXPECT_EQ(decode("?type=u16", {0xFFF4}), 65524);
  EXPECT_EQ(decode("?type=i32", {0xFFFF, 0xFFFE}), -2);
  EXPECT_EQ(decode("?type=u32", {0x0001, 0xE240}), 123456);
  float f = 71.25f;
  std::uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  EXPECT_EQ(decode("?type=f32",
                   {static_cast<std::uint16_t>(bits >> 16), static_cast<std::uint16_t>(bits)}),
            71.25);
  EXPECT_DOUBLE_EQ(decode("?scale=0.1", {655}), 65.5);
}

class EdgeSourceModbus : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.set_holding(1, 0, 4);            // 40001 state: Execute
    server_.set_holding(1, 1, 655);          // 40002 level, tenths
    server_.set_holding(1, 2, 0xFFF4);       // 40003 -12
    server_.set_holding_u32(1, 9, 123456);   // 40010..40011 good_count
    server_.set_holding_f32(1, 19, 71.25f);  // 40020..40021 temperature
    server_.set_input(1, 0, 500);            // 30001
    server_.set_coil(1, 0, true);            // 00001 running
    server_.set_discrete(1, 4, true);        // 10005
    server_.set_holding(2, 0, 77);           // unit 2, 40001
    ASSERT_TRUE(server_.start());
  }

  std::string base() const { return "modbus://10.40.1.21:502/"; }

  SignalInfo signal(const std::string& path,
                    SignalInfo::Kind kind = SignalInfo::Kind::kReal) const {
    SignalInfo s;
    s.address = base() + path;
    s.instance = "filler1";
    s.signal = path;
    s.kind = kind;
    s.period_us = 100000;
    return s;
  }

  std::vector<SignalInfo> signals() const {
    return {signal("1/40001", SignalInfo::Kind::kEnum),
            signal("1/40002?scale=0.1"),
            signal("1/40003"),
            signal("1/40010?type=u32", SignalInfo::Kind::kInt),
            signal("1/40020?type=f32"),
            signal("1/30001"),
            signal("1/00001", SignalInfo::Kind::kBool),
            signal("1/10005", SignalInfo::Kind::kBool),
            signal("2/40001")};
  }

  std::unique_ptr<ModbusSource> source(std::vector<SignalInfo> list) {
    ModbusSourceOptions options;
    options.name = "modbus://10.40.1.21:502";
    options.host = "127.0.0.1";
    options.port = server_.port();
    options.signals = std::move(list);
    options.timeout = std::chrono::milliseconds(500);
    return std::make_unique<ModbusSource>(options);
  }

  // The latest reading of `path`, after waiting for one with `value`.
  bool has_value(RecordingSink& sink, const std::string& path, double value,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const std::string address = base() + path;
    return sink.wait_for_reading(
        [&](const Reading& r) { return r.address == address && r.has_value && r.value == value; },
        timeout);
  }

  ModbusServer server_;
};

TEST_F(EdgeSourceModbus, ReadsRegistersCoilsAndTypes) {
  RecordingSink sink;
  auto modbus = source(signals());
  modbus->start(sink);
  EXPECT_TRUE(has_value(sink, "1/40001", 4));
  EXPECT_TRUE(has_value(sink, "1/40002?scale=0.1", 65.5));
  EXPECT_TRUE(has_value(sink, "1/40003", -12));
  EXPECT_TRUE(has_value(sink, "1/40010?type=u32", 123456));
  EXPECT_TRUE(has_value(sink, "1/40020?type=f32", 71.25));
  EXPECT_TRUE(has_value(sink, "1/30001", 500));
  EXPECT_TRUE(has_value(sink, "1/00001", 1));
  EXPECT_TRUE(has_value(sink, "1/10005", 1));
  EXPECT_TRUE(has_value(sink, "2/40001", 77));  // another unit, another map
  EXPECT_TRUE(modbus->status().connected);

  // New values are seen at the next polls.
  server_.set_holding(1, 0, 7);
  server_.set_coil(1, 0, false);
  EXPECT_TRUE(has_value(sink, "1/40001", 7));
  EXPECT_TRUE(has_value(sink, "1/00001", 0));
  modbus->stop();
  SourceStatus status = modbus->status();
  EXPECT_EQ(status.readings, sink.readings().size());
  EXPECT_EQ(status.errors, 0u);
  EXPECT_EQ(status.name, "modbus://10.40.1.21:502");
}

TEST_F(EdgeSourceModbus, ReadsNearbyPointsInOneRequest) {
  RecordingSink sink;
  // 40001, 40002, 40003 and 40010 of unit 1 are due together: one request.
  auto modbus = source({signals()[0], signals()[1], signals()[2], signals()[3]});
  modbus->start(sink);
  ASSERT_TRUE(sink.wait_for_count(20));
  modbus->stop();
  const std::uint64_t requests = server_.requests();
  EXPECT_GE(sink.accepted_offers(), 5);
  EXPECT_LE(requests, static_cast<std::uint64_t>(sink.accepted_offers()) + 1);
  for (std::size_t size : sink.batch_sizes()) EXPECT_EQ(size, 4u);
}

TEST_F(EdgeSourceModbus, ReconnectsWhenTheServerComesBack) {
  RecordingSink sink;
  auto modbus = source(signals());
  modbus->start(sink);
  ASSERT_TRUE(has_value(sink, "1/40001", 4));
  server_.stop();
  ASSERT_TRUE(testing::eventually([&] { return !modbus->status().connected; }));
  ASSERT_TRUE(testing::eventually([&] { return modbus->status().missed > 0; }));
  EXPECT_GT(modbus->status().errors, 0u);
  EXPECT_NE(modbus->status().last_error.find("modbus://10.40.1.21:502 (127.0.0.1:"),
            std::string::npos)
      << modbus->status().last_error;
  server_.set_holding(1, 0, 9);
  ASSERT_TRUE(server_.start());
  EXPECT_TRUE(has_value(sink, "1/40001", 9, std::chrono::seconds(20)));
  EXPECT_TRUE(modbus->status().connected);
  modbus->stop();
}

TEST_F(EdgeSourceModbus, AnIllegalAddressKeepsTheConnection) {
  RecordingSink sink;
  std::vector<SignalInfo> list = {signals()[0], signal("1/465000")};  // beyond the server's map
  auto modbus = source(list);
  modbus->start(sink);
  ASSERT_TRUE(testing::eventually([&] { return modbus->status().errors >= 3; }));
  EXPECT_TRUE(modbus->status().connected);
  EXPECT_NE(modbus->status().last_error.find("check the register numbers"), std::string::npos)
      << modbus->status().last_error;
  server_.set_holding(1, 0, 2);
  EXPECT_TRUE(has_value(sink, "1/40001", 2));
  for (const Reading& r : sink.readings()) EXPECT_EQ(r.address, base() + "1/40001");
  modbus->stop();
}

TEST_F(EdgeSourceModbus, SkipsPollsWhileTheSinkBlocks) {
  RecordingSink sink;
  auto modbus = source({signals()[0]});
  modbus->start(sink);
  ASSERT_TRUE(has_value(sink, "1/40001", 4));
  sink.block();
  ASSERT_TRUE(sink.wait_until_offer_waits());
  const std::uint64_t requests = server_.requests();
  // Ten periods pass while the offer waits: no poll is made meanwhile.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  EXPECT_EQ(server_.requests(), requests);
  sink.unblock();
  ASSERT_TRUE(testing::eventually([&] { return modbus->status().missed >= 5; }));
  sink.block();
  ASSERT_TRUE(sink.wait_until_offer_waits());
  sink.close();
  modbus->stop();  // returns although an offer was waiting
}

TEST_F(EdgeSourceModbus, MadeByTheFactoryWithAConnectMapping) {
  SourceOptions options;
  options.connect["10.40.1.21:502"] = "127.0.0.1:" + std::to_string(server_.port());
  std::string error;
  auto sources = make_sources(signals(), options, &error);
  ASSERT_EQ(sources.size(), 1u) << error;
  RecordingSink sink;
  sources[0]->start(sink);
  EXPECT_TRUE(has_value(sink, "2/40001", 77));
  sources[0]->stop();
}

}  // namespace
}  // namespace gemba::edge
