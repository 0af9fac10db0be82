#include "edge/sources/address.h"

#include <gtest/gtest.h>

namespace gemba::edge {
namespace {

Address parse_ok(const std::string& text) {
  std::string error;
  std::optional<Address> address = parse_address(text, &error);
  EXPECT_TRUE(address.has_value()) << text << ": " << error;
  return address.value_or(Address{});
}

std::string parse_error(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_address(text, &error).has_value()) << text;
  return error;
}

TEST(EdgeSourceAddress, TakesMqttAddressesApart) {
  Address a = parse_ok("mqtt://hou-broker/blending/kettle1/temperature");
  EXPECT_EQ(a.scheme, "mqtt");
  EXPECT_EQ(a.authority, "hou-broker");
  EXPECT_EQ(a.path, "blending/kettle1/temperature");
  EXPECT_TRUE(a.query.empty());

  Address b = parse_ok("MQTTS://ham-broker:8883/emulsions/emulsifier1/level");
  EXPECT_EQ(b.scheme, "mqtts");
  EXPECT_EQ(b.authority, "ham-broker:8883");
  EXPECT_EQ(b.path, "emulsions/emulsifier1/level");
}

TEST(EdgeSourceAddress, TakesModbusSimAndFileAddressesApart) {
  Address m = parse_ok("modbus://10.40.1.21:502/1/40003?type=f32&scale=0.1");
  EXPECT_EQ(m.scheme, "modbus");
  EXPECT_EQ(m.authority, "10.40.1.21:502");
  EXPECT_EQ(m.path, "1/40003");
  EXPECT_EQ(m.query.at("type"), "f32");
  EXPECT_EQ(m.query.at("scale"), "0.1");

  Address s = parse_ok("sim://hamburg/filler2/state");
  EXPECT_EQ(s.authority, "hamburg");
  EXPECT_EQ(s.path, "filler2/state");

  Address f = parse_ok("file://data/line2.csv");
  EXPECT_EQ(f.scheme, "file");
  EXPECT_EQ(f.authority, "");
  EXPECT_EQ(f.path, "data/line2.csv");
  EXPECT_EQ(parse_ok("file:///var/data/x.csv").path, "/var/data/x.csv");
}

TEST(EdgeSourceAddress, SaysWhatIsWrong) {
  EXPECT_NE(parse_error("hou-broker/blending").find("scheme://"), std::string::npos);
  EXPECT_NE(parse_error("mqtt:///topic").find("no host"), std::string::npos);
  EXPECT_NE(parse_error("1x://a/b").find("not a scheme"), std::string::npos);
  EXPECT_NE(parse_error("modbus://h:502/1/40001?type").find("name=value"), std::string::npos);
  EXPECT_NE(parse_error("mqtt://h/a b").find("white space"), std::string::npos);
}

TEST(EdgeSourceAddress, SplitsHostAndPort) {
  std::string error;
  auto a = parse_endpoint("hou-broker", 1883, &error);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "hou-broker");
  EXPECT_EQ(a->port, 1883);
  auto b = parse_endpoint("10.40.1.21:502", 1, &error);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "10.40.1.21");
  EXPECT_EQ(b->port, 502);
  auto c = parse_endpoint("[::1]:1884", 1883, &error);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 1884);
  EXPECT_FALSE(parse_endpoint("h:0", 1, &error));
  EXPECT_NE(error.find("1..65535"), std::string::npos);
  EXPECT_FALSE(parse_endpoint("h:", 1, &error));
  EXPECT_FALSE(parse_endpoint("h:99999", 1, &error));
  EXPECT_FALSE(parse_endpoint(":80", 1, &error));
}

TEST(EdgeSourceAddress, MapsAuthoritiesByConnect) {
  ConnectMap connect{{"hou-broker", "127.0.0.1:18830"},
                     {"10.40.1.21:502", "127.0.0.1:15020"},
                     {"ham-broker", "127.0.0.2"}};
  EXPECT_EQ(connect_authority(connect, "hou-broker"), "127.0.0.1:18830");
  EXPECT_EQ(connect_authority(connect, "10.40.1.21:502"), "127.0.0.1:15020");
  // By host alone, keeping the written port when the mapping has none.
  EXPECT_EQ(connect_authority(connect, "ham-broker:8883"), "127.0.0.2:8883");
  EXPECT_EQ(connect_authority(connect, "hou-broker:1884"), "127.0.0.1:18830");
  EXPECT_EQ(connect_authority(connect, "10.40.1.22:502"), "10.40.1.22:502");
}

}  // namespace
}  // namespace gemba::edge
