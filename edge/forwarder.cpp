#include "edge/forwarder.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "runtime/wire/batch.h"

namespace gemba::edge {
namespace {

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The `error` of a refusal's JSON body, or the body itself.
std::string reason(const httplib::Result& res) {
  nlohmann::json j = nlohmann::json::parse(res->body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) {
    return j["error"].get<std::string>();
  }
  return res->body.substr(0, 200);
}

}  // namespace

Forwarder::Forwarder(Outbox& outbox, ForwarderOptions options)
    : outbox_(outbox), options_(std::move(options)), max_records_(options_.max_records) {}

Forwarder::~Forwarder() { stop(); }

void Forwarder::start() { thread_ = std::thread([this] { run(); }); }

void Forwarder::notify() {
  {
    std::lock_guard lock(mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

void Forwarder::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

ForwarderStatus Forwarder::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void Forwarder::wait_for(double seconds) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, std::chrono::duration<double>(seconds), [&] { return stopping_; });
}

void Forwarder::fail(const std::string& state, const std::string& error, bool refused) {
  bool first;
  {
    std::lock_guard lock(mutex_);
    first = status_.last_error != error;
    status_.state = state;
    status_.last_error = error;
    ++status_.failures;
  }
  if (first) std::cerr << "gemba edge: forwarding to " << options_.center << ": " << error << '\n';
  refused_ = refused;
}

void Forwarder::run() {
  std::mt19937_64 random(std::random_device{}());
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
    }
    if (send_once()) {
      attempt_ = 0;
      continue;
    }
    if (attempt_ < 0) {  // nothing to send: wait for records
      attempt_ = 0;
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_ || notified_; });
      notified_ = false;
      continue;
    }
    // Full jitter: a uniform delay below the exponential ceiling, so that edges cut off
    // together do not come back together.
    double ceiling = refused_ ? options_.backoff_max_s
                              : std::min(options_.backoff_max_s,
                                         options_.backoff_min_s * double(1 << std::min(attempt_, 20)));
    ++attempt_;
    wait_for(std::uniform_real_distribution<double>(options_.backoff_min_s, ceiling)(random));
  }
}

bool Forwarder::send_once() {
  OutboxStatus before = outbox_.status();
  store::Status read;
  std::vector<wire::Record> records =
      outbox_.pending(before.acked_seq, max_records_, options_.max_bytes, &read);
  if (records.empty() && !read.is_ok()) {
    fail("refused", "cannot read the outbox: " + read.message(), true);
    return false;
  }
  if (records.empty()) {
    std::lock_guard lock(mutex_);
    status_.state = "idle";
    attempt_ = -1;
    return false;
  }
  {
    std::lock_guard lock(mutex_);
    status_.state = "sending";
  }
  wire::Batch batch{options_.plant, before.edge, std::move(records)};
  std::string body = wire::to_json(batch);
  if (!client_) {
    client_ = std::make_unique<httplib::Client>(options_.center);
    if (!client_->is_valid()) {
      client_.reset();
      fail("refused",
           "the center URL `" + options_.center + "` is not http://HOST:PORT or https://HOST:PORT",
           true);
      return false;
    }
    client_->set_connection_timeout(2);
    client_->set_read_timeout(30);
    client_->set_write_timeout(30);
    client_->set_tcp_nodelay(true);
    client_->set_keep_alive(true);
    if (!options_.ca_file.empty()) client_->set_ca_cert_path(options_.ca_file);
  }
  httplib::Headers headers{{"Authorization", "Bearer " + options_.token}};
  httplib::Result res = client_->Post("/v1/ingest", headers, body, "application/json");
  if (!res) {
    client_.reset();
    fail("backing off", "no answer (" + httplib::to_string(res.error()) + ")", false);
    return false;
  }
  if (res->status == 413 && max_records_ > 1) {
    max_records_ = std::max<std::size_t>(1, max_records_ / 2);
    return true;
  }
  if (res->status == 409) {
    nlohmann::json j = nlohmann::json::parse(res->body, nullptr, false);
    std::uint64_t mark = j.is_object() && j.contains("acked_seq") && j["acked_seq"].is_number_unsigned()
                             ? j["acked_seq"].get<std::uint64_t>()
                             : 0;
    fail("refused",
         "the center's mark for this edge is " + std::to_string(mark) + " but this edge holds records from " +
             std::to_string(batch.records.front().seq) +
             " only: the center has lost records it acknowledged (restored from a backup?); " +
             "this edge cannot resend them",
         true);
    return false;
  }
  if (res->status != 200) client_.reset();
  if (res->status >= 400 && res->status < 500) {
    fail("refused", "HTTP " + std::to_string(res->status) + ": " + reason(res), true);
    return false;
  }
  if (res->status != 200) {
    fail("backing off", "HTTP " + std::to_string(res->status) + ": " + reason(res), false);
    return false;
  }
  std::string error;
  std::optional<wire::Ack> ack = wire::parse_ack(res->body, &error);
  if (!ack) {
    fail("backing off", "the center's answer does not parse: " + error, false);
    return false;
  }
  if (ack->acked_seq < batch.records.front().seq) {
    fail("backing off",
         "the center acknowledged " + std::to_string(ack->acked_seq) + ", below the batch sent (" +
             std::to_string(batch.records.front().seq) + " ..)",
         false);
    return false;
  }
  store::Status s = outbox_.acknowledge(ack->acked_seq);
  if (!s.is_ok()) {
    fail("backing off", "the outbox could not record the acknowledgement: " + s.message(), false);
    return false;
  }
  std::lock_guard lock(mutex_);
  refused_ = false;
  status_.state = "sending";
  status_.last_error.clear();
  ++status_.batches;
  status_.records += ack->stored;
  status_.duplicates += ack->duplicates;
  status_.last_ack_us = now_us();
  return true;
}

}  // namespace gemba::edge
