#include "runtime/wire/batch.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <nlohmann/json.hpp>

namespace gemba::wire {
namespace {

using Json = nlohmann::json;

Record sample(std::uint64_t seq) {
  Record r;
  r.seq = seq;
  r.time_us = 1'795'680'000'000'000 + static_cast<std::int64_t>(seq) * 1000;
  r.subject = "kettle2.temperature";
  r.value = 85.0 + static_cast<double>(seq) / 10;
  r.unit = "degC";
  return r;
}

Batch three() {
  Batch b;
  b.plant = "houston";
  b.edge = "0123456789abcdef";
  b.records = {sample(1), sample(2), sample(3)};
  b.records[1].kind = RecordKind::kEvent;
  b.records[1].subject = "MixBatch#12";
  b.records[1].unit = "";
  b.records[1].text = R"({"step":"charge"})";
  return b;
}

// parse_batch's error for the batch `three()` after `mutate` changed its JSON.
std::string error_after(const std::function<void(Json&)>& mutate) {
  Json doc = Json::parse(to_json(three()));
  mutate(doc);
  std::string error;
  std::optional<Batch> parsed = parse_batch(doc.dump(), &error);
  EXPECT_FALSE(parsed.has_value()) << doc.dump();
  return error;
}

std::string error_of(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_batch(text, &error).has_value());
  return error;
}

// Rehashes records[i] after a field change, so that only the intended check fails.
void rehash(Json& doc, int i) {
  Json& j = doc["records"][i];
  Record r;
  r.seq = j["seq"].get<std::uint64_t>();
  r.time_us = j["time_us"].get<std::int64_t>();
  r.kind = *record_kind(j["kind"].get<std::string>());
  r.subject = j["subject"].get<std::string>();
  r.value = j["value"].get<double>();
  r.unit = j["unit"].get<std::string>();
  r.text = j["text"].get<std::string>();
  j["hash"] = content_hash(r);
}

TEST(WireBatch, JsonRoundTrips) {
  Batch b = three();
  b.records[2].value = 0.1 + 0.2;  // needs all 17 digits
  b.records[2].time_us = -5;
  std::string error;
  std::optional<Batch> parsed = parse_batch(to_json(b), &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->plant, b.plant);
  EXPECT_EQ(parsed->edge, b.edge);
  EXPECT_EQ(parsed->records, b.records);
}

TEST(WireBatch, JsonHasTheDocumentedShape) {
  Json doc = Json::parse(to_json(three()));
  EXPECT_EQ(doc["format"], 1);
  EXPECT_EQ(doc["plant"], "houston");
  EXPECT_EQ(doc["edge"], "0123456789abcdef");
  const Json& r = doc["records"][0];
  EXPECT_EQ(r["seq"], 1);
  EXPECT_EQ(r["kind"], "sample");
  EXPECT_EQ(r["subject"], "kettle2.temperature");
  EXPECT_EQ(r["unit"], "degC");
  EXPECT_EQ(r["text"], "");
  EXPECT_EQ(r["hash"], content_hash(sample(1)));
  EXPECT_EQ(doc["records"][1]["kind"], "event");
}

TEST(WireBatch, EmptyBatchIsValid) {
  Batch b = three();
  b.records.clear();
  std::string error;
  auto parsed = parse_batch(to_json(b), &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_TRUE(parsed->records.empty());
}

TEST(WireBatch, IntegerValuesAreAccepted) {
  Batch b = three();
  b.records = {sample(1)};
  b.records[0].value = 85;
  Json doc = Json::parse(to_json(b));
  doc["records"][0]["value"] = 85;  // an integer in the JSON, as another encoder may write
  std::string error;
  auto parsed = parse_batch(doc.dump(), &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->records[0].value, 85.0);
}

TEST(WireBatch, RefusesTextThatIsNotABatch) {
  EXPECT_NE(error_of("").find("batch: not JSON"), std::string::npos);
  EXPECT_NE(error_of("{\"format\":1,").find("batch: not JSON"), std::string::npos);
  EXPECT_NE(error_of("[1,2]").find("batch: must be a JSON object"), std::string::npos);
  EXPECT_NE(error_of("\"\xff\"").find("batch: not JSON"), std::string::npos);  // not UTF-8
}

TEST(WireBatch, RefusesDeepNestingWithoutRecursing) {
  std::string deep(100000, '[');
  EXPECT_NE(error_of(deep).find("nested deeper than"), std::string::npos);
  // Brackets inside strings do not count.
  Batch b = three();
  b.records[1].text = std::string(100, '[');
  std::string error;
  EXPECT_TRUE(parse_batch(to_json(b), &error)) << error;
}

TEST(WireBatch, RefusesOversizedBodies) {
  std::string big(kMaxBatchBytes + 1, ' ');
  EXPECT_NE(error_of(big).find("at most 8388608"), std::string::npos);
}

TEST(WireBatch, RefusesBadTopLevelFields) {
  EXPECT_EQ(error_after([](Json& d) { d["extra"] = 1; }),
            "extra: unknown field (a format 1 batch has format, plant, edge, records)");
  EXPECT_EQ(error_after([](Json& d) { d["format"] = 2; }),
            "format: is 2; this center reads format 1");
  EXPECT_NE(error_after([](Json& d) { d.erase("format"); }).find("format: missing"),
            std::string::npos);
  EXPECT_NE(error_after([](Json& d) { d["format"] = "1"; }).find("format: missing, or not"),
            std::string::npos);
  EXPECT_NE(error_after([](Json& d) { d.erase("plant"); }).find("plant: must be"),
            std::string::npos);
  EXPECT_NE(error_after([](Json& d) { d["plant"] = "hous ton"; }).find("plant: must be"),
            std::string::npos);
  EXPECT_NE(error_after([](Json& d) { d["plant"] = std::string(65, 'a'); }).find("plant:"),
            std::string::npos);
  EXPECT_NE(error_after([](Json& d) { d["edge"] = "0123456789ABCDEF"; }).find("edge: must be"),
            std::string::npos);
  EXPECT_NE(error_after([](Json& d) { d["edge"] = "0123456789abcde"; }).find("edge: must be"),
            std::string::npos);
  EXPECT_EQ(error_after([](Json& d) { d["records"] = Json::object(); }),
            "records: must be an array");
}

TEST(WireBatch, RefusesTooManyRecords) {
  Batch b = three();
  b.records.clear();
  for (std::uint64_t seq = 1; seq <= kMaxBatchRecords + 1; ++seq) b.records.push_back(sample(seq));
  std::string error;
  EXPECT_FALSE(parse_batch(to_json(b), &error));
  EXPECT_EQ(error, "records: 10001 records; a batch holds at most 10000");
  b.records.pop_back();
  EXPECT_TRUE(parse_batch(to_json(b), &error)) << error;
}

TEST(WireBatch, RefusesRecordsOfTheWrongShape) {
  EXPECT_EQ(error_after([](Json& d) { d["records"][1] = 5; }), "records[1]: must be an object");
  EXPECT_EQ(error_after([](Json& d) { d["records"][2]["colour"] = "red"; }),
            "records[2].colour: unknown field (format 1 records have seq, time_us, kind, "
            "subject, value, unit, text, hash)");
  EXPECT_EQ(error_after([](Json& d) { d["records"][0].erase("unit"); }), "records[0].unit: missing");
}

TEST(WireBatch, RefusesBadFieldValues) {
  const std::string seq_error = "records[1].seq: must be an integer from 1 to 18446744073709551615";
  EXPECT_EQ(error_after([](Json& d) { d["records"][1]["seq"] = 0; }), seq_error);
  EXPECT_EQ(error_after([](Json& d) { d["records"][1]["seq"] = -2; }), seq_error);
  EXPECT_EQ(error_after([](Json& d) { d["records"][1]["seq"] = 2.0; }), seq_error);
  EXPECT_EQ(error_after([](Json& d) { d["records"][1]["seq"] = "2"; }), seq_error);
  EXPECT_EQ(error_after([](Json& d) { d["records"][1]["seq"] = 1e30; }), seq_error);
  EXPECT_NE(error_after([](Json& d) { d["records"][0]["time_us"] = "now"; })
                .find("records[0].time_us: must be an integer"),
            std::string::npos);
  EXPECT_NE(error_after([](Json& d) {
              d["records"][0]["time_us"] = std::numeric_limits<std::uint64_t>::max();
            }).find("records[0].time_us: must be an integer"),
            std::string::npos);
  EXPECT_EQ(error_after([](Json& d) { d["records"][0]["kind"] = "alarm"; }),
            "records[0].kind: unknown kind `alarm`; the kinds are \"sample\" and \"event\"");
  EXPECT_NE(error_after([](Json& d) { d["records"][0]["kind"] = 1; }).find("records[0].kind: must be"),
            std::string::npos);
  EXPECT_EQ(error_after([](Json& d) { d["records"][0]["value"] = "85"; }),
            "records[0].value: must be a number");
  EXPECT_EQ(error_after([](Json& d) { d["records"][0]["value"] = nullptr; }),
            "records[0].value: must be a number");
  EXPECT_EQ(error_after([](Json& d) { d["records"][2]["unit"] = 3; }),
            "records[2].unit: must be a string");
  EXPECT_EQ(error_after([](Json& d) { d["records"][0]["subject"] = ""; rehash(d, 0); }),
            "records[0].subject: is empty");
  EXPECT_EQ(error_after([](Json& d) { d["records"][0]["subject"] = std::string("a\0b", 3); rehash(d, 0); }),
            "records[0].subject: contains a NUL character");
  EXPECT_EQ(error_after([](Json& d) { d["records"][0]["subject"] = std::string(257, 's'); rehash(d, 0); }),
            "records[0].subject: 257 bytes; at most 256");
  EXPECT_EQ(error_after([](Json& d) { d["records"][1]["text"] = std::string((1 << 20) + 1, 't'); rehash(d, 1); }),
            "records[1].text: 1048577 bytes; at most 1048576");
}

TEST(WireBatch, RefusesNumbersOutOfRange) {
  std::string text = to_json(three());
  std::string huge = text;
  std::size_t at = huge.find("\"value\":");
  ASSERT_NE(at, std::string::npos);
  huge.insert(at + 8, "1e400,\"x\":");  // "value":1e400,"x":85.1,...
  EXPECT_NE(error_of(huge).find("batch: not JSON: number overflow"), std::string::npos);
}

TEST(WireBatch, RefusesHashMismatches) {
  EXPECT_EQ(error_after([](Json& d) { d["records"][2]["value"] = 99.5; }),
            "records[2].hash: does not match the record's content");
  EXPECT_EQ(error_after([](Json& d) { d["records"][0]["hash"] = "0000000000000000"; }),
            "records[0].hash: does not match the record's content");
  EXPECT_NE(error_after([](Json& d) { d["records"][0]["hash"] = 5; }).find("records[0].hash: must be"),
            std::string::npos);
}

TEST(WireBatch, RefusesSequencesThatDoNotAscend) {
  EXPECT_EQ(error_after([](Json& d) { d["records"][2]["seq"] = 2; rehash(d, 2); }),
            "records[2].seq: 2 is not above the previous record's 2 (sequence numbers ascend "
            "strictly)");
  EXPECT_EQ(error_after([](Json& d) { d["records"][1]["seq"] = 1; rehash(d, 1); }),
            "records[1].seq: 1 is not above the previous record's 1 (sequence numbers ascend "
            "strictly)");
  // Gaps inside a batch are the center's business (409), not a malformed batch.
  Json doc = Json::parse(to_json(three()));
  doc["records"][2]["seq"] = 9;
  rehash(doc, 2);
  std::string error;
  EXPECT_TRUE(parse_batch(doc.dump(), &error)) << error;
}

TEST(WireBatch, RecordProblemNamesTheField) {
  Record r = sample(1);
  EXPECT_EQ(record_problem(r), "");
  r.seq = 0;
  EXPECT_EQ(record_problem(r), "seq: must not be 0");
  r = sample(1);
  r.value = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(record_problem(r), "value: must be a finite number");
  r.value = std::numeric_limits<double>::infinity();
  EXPECT_EQ(record_problem(r), "value: must be a finite number");
  r = sample(1);
  r.unit = "\xc3";  // a truncated two-byte sequence
  EXPECT_EQ(record_problem(r), "unit: is not valid UTF-8");
  r.unit = "\xed\xa0\x80";  // a UTF-16 surrogate
  EXPECT_EQ(record_problem(r), "unit: is not valid UTF-8");
  r.unit = "\xc0\xaf";  // overlong
  EXPECT_EQ(record_problem(r), "unit: is not valid UTF-8");
  r.unit = "\xc2\xb0" "C \xe2\x84\x83 \xf0\x9f\x8c\xa1";  // °C ℃ 🌡
  EXPECT_EQ(record_problem(r), "");
}

TEST(WireBatch, ToJsonNeverThrowsOnBadUtf8) {
  Batch b = three();
  b.records[0].text = "\xff\xfe";
  std::string json;
  EXPECT_NO_THROW(json = to_json(b));
  std::string error;
  EXPECT_FALSE(parse_batch(json, &error));
  EXPECT_EQ(error, "records[0].hash: does not match the record's content");
}

TEST(WireBatch, AckRoundTrips) {
  Ack ack{12, 5, 7};
  EXPECT_EQ(to_json(ack), R"({"acked_seq":12,"stored":5,"duplicates":7})");
  std::string error;
  auto parsed = parse_ack(to_json(ack), &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->acked_seq, 12u);
  EXPECT_EQ(parsed->stored, 5u);
  EXPECT_EQ(parsed->duplicates, 7u);
  EXPECT_TRUE(parse_ack(R"({"acked_seq":1,"stored":1,"duplicates":0,"later":true})", &error));
}

TEST(WireBatch, AckRefusesMissingOrNegativeCounts) {
  std::string error;
  EXPECT_FALSE(parse_ack(R"({"acked_seq":1,"stored":1})", &error));
  EXPECT_EQ(error, "duplicates: missing, or not a non-negative integer");
  EXPECT_FALSE(parse_ack(R"({"acked_seq":-1,"stored":1,"duplicates":0})", &error));
  EXPECT_EQ(error, "acked_seq: missing, or not a non-negative integer");
  EXPECT_FALSE(parse_ack("nope", &error));
  EXPECT_NE(error.find("ack: not JSON"), std::string::npos);
  EXPECT_FALSE(parse_ack("[]", &error));
  EXPECT_EQ(error, "ack: must be a JSON object");
}

}  // namespace
}  // namespace gemba::wire
