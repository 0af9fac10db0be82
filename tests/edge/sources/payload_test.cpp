#include "edge/sources/payload.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gemba::edge {
namespace {

SignalInfo real_signal() {
  SignalInfo s;
  s.address = "mqtt://b/kettle2/temperature";
  s.instance = "kettle2";
  s.signal = "temperature";
  s.unit = "degC";
  return s;
}

SignalInfo bool_signal() {
  SignalInfo s = real_signal();
  s.signal = "running";
  s.kind = SignalInfo::Kind::kBool;
  return s;
}

SignalInfo enum_signal() {
  SignalInfo s = real_signal();
  s.signal = "state";
  s.kind = SignalInfo::Kind::kEnum;
  s.choices = {"Stopped", "Starting", "Idle", "Suspended", "Execute"};
  return s;
}

TEST(EdgeSourcePayload, ReadsIsoTimesAndMicroseconds) {
  // 2026-11-26T08:00:00Z is 1795680000 s after 1970.
  EXPECT_EQ(parse_time_us("2026-11-26T08:00:00Z"), 1795680000000000);
  EXPECT_EQ(parse_time_us("2026-11-26T08:00:00.250Z"), 1795680000250000);
  EXPECT_EQ(parse_time_us("2026-11-26T08:00:00.1234567Z"), 1795680000123456);
  EXPECT_EQ(parse_time_us("2026-11-26T09:30:00+01:30"), 1795680000000000);
  EXPECT_EQ(parse_time_us("2026-11-26T03:00:00-05:00"), 1795680000000000);
  EXPECT_EQ(parse_time_us("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_time_us("2024-02-29T00:00:00Z"), 1709164800000000);
  EXPECT_EQ(parse_time_us("1795680000250000"), 1795680000250000);
  EXPECT_EQ(parse_time_us(" 42 "), 42);
}

TEST(EdgeSourcePayload, RefusesTimesItCannotPlace) {
  EXPECT_FALSE(parse_time_us("2026-11-26T08:00:00"));  // no zone
  EXPECT_FALSE(parse_time_us("2026-02-30T08:00:00Z"));
  EXPECT_FALSE(parse_time_us("2025-02-29T08:00:00Z"));
  EXPECT_FALSE(parse_time_us("2026-11-26T24:00:00Z"));
  EXPECT_FALSE(parse_time_us("2026-11-26T08:00:00.Z"));
  EXPECT_FALSE(parse_time_us("2026-11-26"));
  EXPECT_FALSE(parse_time_us("yesterday"));
  EXPECT_FALSE(parse_time_us(""));
  EXPECT_FALSE(parse_time_us("12.5"));
}

TEST(EdgeSourcePayload, ReadsNumbersBoolsAndMemberNames) {
  SignalInfo real = real_signal(), flag = bool_signal(), state = enum_signal();
  Reading r;
  EXPECT_EQ(set_value(" 71.25 ", &real, r), "");
  EXPECT_TRUE(r.has_value);
  EXPECT_DOUBLE_EQ(r.value, 71.25);
  EXPECT_EQ(set_value("-3e2", &real, r), "");
  EXPECT_DOUBLE_EQ(r.value, -300);

  EXPECT_EQ(set_value("true", &flag, r), "");
  EXPECT_DOUBLE_EQ(r.value, 1);
  EXPECT_EQ(set_value("FALSE", &flag, r), "");
  EXPECT_DOUBLE_EQ(r.value, 0);
  EXPECT_EQ(set_value("1", &flag, r), "");
  EXPECT_DOUBLE_EQ(r.value, 1);

  EXPECT_EQ(set_value("Execute", &state, r), "");
  EXPECT_TRUE(r.has_value);
  EXPECT_DOUBLE_EQ(r.value, 4);
  EXPECT_TRUE(r.text.empty());
  EXPECT_EQ(set_value("idle", &state, r), "");  // ignoring case when not exact
  EXPECT_DOUBLE_EQ(r.value, 2);
  EXPECT_EQ(set_value("3", &state, r), "");  // an ordinal
  EXPECT_DOUBLE_EQ(r.value, 3);
}

TEST(EdgeSourcePayload, SaysWhyAValueIsBad) {
  SignalInfo real = real_signal(), flag = bool_signal(), state = enum_signal();
  Reading r;
  EXPECT_EQ(set_value("abc", &real, r), "the value `abc` is not a number");
  EXPECT_FALSE(r.has_value);
  EXPECT_EQ(r.text, "abc");
  EXPECT_EQ(set_value("true", &real, r), "the value `true` is not a number");
  EXPECT_EQ(set_value("", &real, r), "the value is empty");
  EXPECT_EQ(set_value("nan", &real, r), "the value `nan` is not finite");
  EXPECT_NE(set_value("2", &flag, r).find("is not a bool"), std::string::npos);
  EXPECT_NE(set_value("maybe", &flag, r).find("is not a bool"), std::string::npos);
  EXPECT_EQ(set_value("Runing", &state, r),
            "`Runing` is not a member of kettle2.state (Stopped, Starting, Idle, Suspended, "
            "Execute)");
  EXPECT_EQ(r.text, "Runing");
  EXPECT_NE(set_value("5", &state, r).find("is not an ordinal of kettle2.state (0..4)"),
            std::string::npos);
  EXPECT_NE(set_value("1.5", &state, r).find("is not an ordinal"), std::string::npos);
}

TEST(EdgeSourcePayload, LeavesNamesOfUnknownSignalsToTheCollector) {
  Reading r;
  EXPECT_EQ(set_value("Execute", nullptr, r), "");
  EXPECT_FALSE(r.has_value);
  EXPECT_EQ(r.text, "Execute");
  EXPECT_EQ(set_value("12", nullptr, r), "");
  EXPECT_TRUE(r.has_value);
  EXPECT_DOUBLE_EQ(r.value, 12);
  EXPECT_TRUE(r.text.empty());
}

TEST(EdgeSourcePayload, ReadsJsonPayloadsWithTheirTime) {
  SignalInfo real = real_signal(), state = enum_signal(), flag = bool_signal();
  Reading r;
  EXPECT_EQ(set_payload(R"({"value": 21.5, "time": "2026-11-26T08:00:00.250Z"})", &real, 7, r), "");
  EXPECT_DOUBLE_EQ(r.value, 21.5);
  EXPECT_EQ(r.time_us, 1795680000250000);
  EXPECT_EQ(set_payload(R"({"value": 22})", &real, 7, r), "");
  EXPECT_EQ(r.time_us, 7);
  EXPECT_EQ(set_payload(R"({"value": "Execute", "time": 99})", &state, 7, r), "");
  EXPECT_DOUBLE_EQ(r.value, 4);
  EXPECT_EQ(r.time_us, 99);
  EXPECT_EQ(set_payload(R"({"value": true})", &flag, 7, r), "");
  EXPECT_DOUBLE_EQ(r.value, 1);
  EXPECT_EQ(set_payload("23.5", &real, 8, r), "");
  EXPECT_EQ(r.time_us, 8);
}

TEST(EdgeSourcePayload, SaysWhyAPayloadIsBad) {
  SignalInfo real = real_signal();
  Reading r;
  EXPECT_NE(
      set_payload("{broken", &real, 7, r).find("is not a number, true/false, a member name or {"),
      std::string::npos);
  EXPECT_EQ(r.text, "{broken");
  EXPECT_FALSE(r.has_value);
  EXPECT_NE(set_payload(R"({"temp": 1})", &real, 7, r).find("is not a number"), std::string::npos);
  EXPECT_NE(set_payload(R"({"value": 1, "time": "noon"})", &real, 7, r).find("the time `\"noon\"`"),
            std::string::npos);
  EXPECT_NE(set_payload(R"({"value": null})", &real, 7, r).find("the value `null`"),
            std::string::npos);
  EXPECT_EQ(r.text, R"({"value": null})");
  EXPECT_EQ(set_payload("21.5 degC", &real, 7, r), "the value `21.5 degC` is not a number");
}

TEST(EdgeSourcePayload, KeepsOnlyPrintableText) {
  EXPECT_EQ(printable("plain"), "plain");
  EXPECT_EQ(printable("K\xC3\xBChler"), "K\xC3\xBChler");  // valid UTF-8 stays
  EXPECT_EQ(printable(std::string("a\x01"
                                  "b\xFF",
                                  4)),
            "a\\x01b\\xFF");
  EXPECT_EQ(printable("\xE2\x82"), "\\xE2\\x82");  // cut short
  EXPECT_EQ(printable("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace gemba::edge
