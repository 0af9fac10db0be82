#include "edge/sources/replay_source.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "edge/sources/payload.h"

namespace gemba::edge {
namespace {

enum class Format { kCsv, kJsonLines };

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One CSV line (RFC 4180 quoting; a field cannot hold a line break). False when a quoted
// field is not closed.
bool split_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"' && trim(field).empty()) {
      field.clear();
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(was_quoted ? field : std::string(trim(field)));
      field.clear();
      was_quoted = false;
    } else {
      field += c;
    }
  }
  fields.push_back(was_quoted ? field : std::string(trim(field)));
  return !quoted;
}

struct Columns {
  int time = 0, signal = 1, value = 2;  // signal -1: the file's default address
  std::size_t count = 3;
  std::string names = "time,signal,value";
};

// Reads the header if `first` is one; else the columns by their count.
std::optional<Columns> csv_header(std::string_view first, bool* is_header) {
  std::vector<std::string> fields;
  split_csv(first, fields);
  Columns columns;
  columns.time = columns.signal = columns.value = -1;
  columns.count = fields.size();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string name = lower(fields[i]);
    if (name == "time") columns.time = static_cast<int>(i);
    if (name == "signal") columns.signal = static_cast<int>(i);
    if (name == "value") columns.value = static_cast<int>(i);
  }
  *is_header = columns.time >= 0 || columns.value >= 0;
  if (*is_header) {
    if (columns.time < 0 || columns.value < 0) return std::nullopt;
    columns.names = std::string(trim(first));
    return columns;
  }
  Columns by_count;
  if (fields.size() == 2) {
    by_count.signal = -1;
    by_count.value = 1;
    by_count.count = 2;
    by_count.names = "time,value";
  }
  return by_count;
}

class LineReader {
 public:
  LineReader(Format format, Columns columns, const SignalIndex& index, std::string default_address,
             std::string label)
      : format_(format),
        columns_(std::move(columns)),
        index_(index),
        default_address_(std::move(default_address)),
        label_(std::move(label)) {}

  Reading read(std::string_view line, std::uint64_t number) const {
    Reading reading;
    reading.address = default_address_;
    reading.time_us = now_us();
    std::string problem =
        format_ == Format::kCsv ? read_csv(line, reading) : read_json(line, reading);
    if (!problem.empty()) {
      reading.has_value = false;
      reading.value = 0;
      reading.text = printable(line);
      reading.problem = label_ + ":" + std::to_string(number) + ": " + problem;
    }
    return reading;
  }

 private:
  std::string read_csv(std::string_view line, Reading& reading) const {
    std::vector<std::string> fields;
    if (!split_csv(line, fields)) return "a quoted field is not closed";
    if (fields.size() != columns_.count) {
      return "has " + std::to_string(fields.size()) + " fields, the header " + columns_.names +
             " has " + std::to_string(columns_.count);
    }
    std::string problem = read_signal(columns_.signal < 0 ? "" : fields[columns_.signal], reading);
    if (problem.empty()) problem = read_time(fields[columns_.time], reading);
    if (problem.empty()) problem = set_value(fields[columns_.value], signal_, reading);
    return problem;
  }

  std::string read_json(std::string_view line, Reading& reading) const {
    nlohmann::json json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) {
      return "is not a JSON object {\"time\": ..., \"signal\": ..., \"value\": ...}";
    }
    std::string signal;
    if (auto found = json.find("signal"); found != json.end()) {
      if (!found->is_string()) return "`signal` is not a string";
      signal = found->get<std::string>();
    }
    std::string problem = read_signal(signal, reading);
    if (!problem.empty()) return problem;
    auto time = json.find("time");
    if (time == json.end()) return "has no `time`";
    if (time->is_number_integer()) {
      reading.time_us = time->get<std::int64_t>();
    } else {
      problem = read_time(time->is_string() ? time->get<std::string>() : time->dump(), reading);
      if (!problem.empty()) return problem;
    }
    auto value = json.find("value");
    if (value == json.end()) return "has no `value`";
    return set_json_value(*value, signal_, reading);
  }

  std::string read_signal(const std::string& name, Reading& reading) const {
    signal_ = nullptr;
    if (name.empty()) {
      if (default_address_.empty()) return "has no signal";
      signal_ = index_.find(default_address_);
      return {};
    }
    reading.address = name;
    signal_ = index_.find(name);
    if (signal_ == nullptr) {
      return "`" + printable(name, 200) +
             "` is not a signal this edge collects (write its address as in the plant model, "
             "or instance.signal)";
    }
    reading.address = signal_->address;
    return {};
  }

  static std::string read_time(std::string_view text, Reading& reading) {
    std::optional<std::int64_t> time = parse_time_us(text);
    if (!time) {
      return "the time `" + printable(text, 60) +
             "` is not ISO 8601 with a zone (2026-11-26T08:00:00.250Z) or integer microseconds";
    }
    reading.time_us = *time;
    return {};
  }

  Format format_;
  Columns columns_;
  const SignalIndex& index_;
  std::string default_address_;
  std::string label_;
  mutable const SignalInfo* signal_ = nullptr;  // of the line being read
};

std::optional<std::uint64_t> parse_offset(const std::string& text) {
  std::uint64_t offset = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), offset);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return offset;
}

}  // namespace

ReplaySource::ReplaySource(std::filesystem::path file, const std::vector<SignalInfo>& signals,
                           std::string default_address)
    : file_(std::move(file)), index_(signals), default_address_(std::move(default_address)) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(file_, ec);
  cursor_key_ = "replay:" + (ec ? file_ : absolute.lexically_normal()).string();
  status_.name = "replay:" + file_.string();
}

ReplaySource::~ReplaySource() { stop(); }

void ReplaySource::start(ReadingSink& sink) {
  if (thread_.joinable() || finished_) return;
  stopping_ = false;
  thread_ = std::thread([this, &sink] { run(sink); });
}

void ReplaySource::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

SourceStatus ReplaySource::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void ReplaySource::fail(const std::string& error) {
  {
    std::lock_guard lock(mutex_);
    ++status_.errors;
    status_.last_error = error;
    status_.connected = false;
  }
  finished_ = true;
}

void ReplaySource::run(ReadingSink& sink) {
  const std::string label = file_.string();
  std::ifstream in(file_, std::ios::binary);
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file_, ec);
  if (!in || ec) {
    return fail(label + ": cannot be read: " + (ec ? ec.message() : std::strerror(errno)) +
                " (check the path given to --replay or in the file:// address)");
  }
  {
    std::lock_guard lock(mutex_);
    status_.connected = true;
  }

  // The format and the columns, from the extension or the first line.
  std::string first;
  std::getline(in, first);
  std::uint64_t header_end = 0;
  const std::string extension = lower(file_.extension().string());
  Format format = extension == ".csv"                               ? Format::kCsv
                  : extension == ".jsonl" || extension == ".ndjson" ? Format::kJsonLines
                  : trim(first).starts_with("{")                    ? Format::kJsonLines
                                                                    : Format::kCsv;
  Columns columns;
  if (format == Format::kCsv) {
    if (!first.empty() && first.back() == '\r') first.pop_back();
    bool is_header = false;
    std::optional<Columns> found = csv_header(first, &is_header);
    if (!found) {
      return fail(label + ":1: the header `" + printable(first, 200) +
                  "` names no `time` or no `value` column (write time,signal,value)");
    }
    columns = *found;
    if (is_header) {
      std::streamoff after = in.tellg();
      header_end = after < 0 ? size : static_cast<std::uint64_t>(after);
    }
    if (columns.signal < 0 && default_address_.empty()) {
      return fail(label +
                  ": has no `signal` column, and it is not the file of one signal "
                  "(write time,signal,value)");
    }
  }

  // Where the last run stopped.
  std::uint64_t offset = header_end;
  if (std::string committed = sink.cursor(cursor_key_); !committed.empty()) {
    std::optional<std::uint64_t> at = parse_offset(committed);
    if (!at || *at > size) {
      return fail(label + ": the position committed by the last run (" + committed +
                  ") is past the end of the file (" + std::to_string(size) +
                  " bytes): was the file replaced? Give the new data another file name");
    }
    offset = std::max(offset, *at);
  }
  in.clear();
  in.seekg(0);
  std::uint64_t line_number = 1;
  std::string line;
  for (std::uint64_t at = 0; at < offset && std::getline(in, line);) {
    at += line.size() + (in.eof() ? 0 : 1);
    if (at <= offset) ++line_number;
  }
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));

  LineReader reader(format, columns, index_, default_address_, label);
  std::vector<Reading> batch;
  auto deliver = [&]() {
    if (batch.empty()) return true;
    std::size_t count = batch.size(), problems = 0;
    for (const Reading& r : batch) problems += r.problem.empty() ? 0 : 1;
    Cursor cursor{cursor_key_, std::to_string(offset)};
    if (!sink.offer(std::move(batch), &cursor)) return false;
    batch.clear();
    std::lock_guard lock(mutex_);
    status_.readings += count;
    status_.errors += problems;
    return true;
  };
  while (!stopping_ && std::getline(in, line)) {
    offset += line.size() + (in.eof() ? 0 : 1);
    std::uint64_t number = line_number++;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    batch.push_back(reader.read(line, number));
    if (!batch.back().problem.empty()) {
      std::lock_guard lock(mutex_);
      status_.last_error = batch.back().problem;
    }
    if (batch.size() >= kReplayBatch && !deliver()) return;
  }
  if (stopping_ || !deliver()) return;
  {
    std::lock_guard lock(mutex_);
    status_.connected = false;
  }
  finished_ = true;
}

}  // namespace gemba::edge
