#include "edge/sources/mqtt_source.h"

#include <mosquitto.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <utility>

#include "edge/sources/address.h"
#include "edge/sources/payload.h"

namespace gemba::edge {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr int kPollMs = 250;
constexpr std::size_t kTopicsPerSubscribe = 50;

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string mosquitto_error(int rc, int saved_errno) {
  if (rc == MOSQ_ERR_ERRNO) return std::strerror(saved_errno);
  return mosquitto_strerror(rc);
}

bool readable_now(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

MqttSource* self_of(void* self) { return static_cast<MqttSource*>(self); }

}  // namespace

MqttSource::MqttSource(MqttSourceOptions options) : options_(std::move(options)) {
  static std::once_flag init;
  std::call_once(init, [] { mosquitto_lib_init(); });
  for (std::size_t i = 0; i < options_.signals.size(); ++i) {
    std::string error;
    std::optional<Address> address = parse_address(options_.signals[i].address, &error);
    if (address) topics_[address->path].push_back(i);
  }
  status_.name = options_.name;
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

MqttSource::~MqttSource() {
  stop();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void MqttSource::start(ReadingSink& sink) {
  if (thread_.joinable()) return;
  stopping_ = false;
  abandoned_ = false;
  stop_.reset();
  thread_ = std::thread([this, &sink] { run(sink); });
}

void MqttSource::stop() {
  stopping_ = true;
  stop_.stop();
  if (wake_fd_ >= 0) {
    std::uint64_t one = 1;
    if (::write(wake_fd_, &one, sizeof one) < 0) {
    }
  }
  if (thread_.joinable()) thread_.join();
}

SourceStatus MqttSource::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::string MqttSource::where() const {
  return options_.name + " (" + options_.host + ":" + std::to_string(options_.port) + ")";
}

void MqttSource::note_error(const std::string& error) {
  std::lock_guard lock(mutex_);
  ++status_.errors;
  status_.last_error = error;
  status_.connected = false;
}

bool MqttSource::setup(std::string* error) {
  mosq_ = mosquitto_new(options_.client_id.c_str(), /*clean_session=*/false, this);
  if (mosq_ == nullptr) {
    *error = where() + ": cannot create an MQTT client with the id `" + options_.client_id +
             "`: " + std::strerror(errno);
    return false;
  }
  // See the header: queued PUBACKs are written only by our loop_write, after offer().
  mosquitto_threaded_set(mosq_, true);
  mosquitto_int_option(mosq_, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_connect_callback_set(mosq_, &MqttSource::on_connect);
  mosquitto_disconnect_callback_set(mosq_, &MqttSource::on_disconnect);
  mosquitto_subscribe_callback_set(mosq_, &MqttSource::on_subscribe);
  mosquitto_message_callback_set(mosq_, &MqttSource::on_message);
  if (options_.tls) {
    const char* ca_file = options_.ca_file.empty() ? nullptr : options_.ca_file.c_str();
    const char* ca_path = options_.ca_file.empty() ? "/etc/ssl/certs" : nullptr;
    int rc = mosquitto_tls_set(mosq_, ca_file, ca_path, nullptr, nullptr, nullptr);
    if (rc != MOSQ_ERR_SUCCESS) {
      *error = where() + ": cannot use the CA file `" + options_.ca_file +
               "`: " + mosquitto_error(rc, errno) + " (check --ca-file)";
      return false;
    }
  }
  return true;
}

void MqttSource::run(ReadingSink& sink) {
  // A write on a socket shut down by abandon() must fail with EPIPE, not kill the edge.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);

  sink_ = &sink;
  std::string error;
  if (!setup(&error)) {
    note_error(error);
    if (mosq_ != nullptr) mosquitto_destroy(mosq_);
    mosq_ = nullptr;
    return;
  }
  Backoff backoff;
  bool first = true, need_connect = true;
  Clock::time_point attempt = Clock::now();
  while (!stopping_ && !abandoned_) {
    if (need_connect || mosquitto_socket(mosq_) < 0) {
      if (!first && !stop_.wait_for(backoff.next())) break;
      connack_ = false;
      int rc = first ? mosquitto_connect_async(mosq_, options_.host.c_str(), options_.port,
                                               options_.keepalive_s)
                     : mosquitto_reconnect_async(mosq_);
      int saved_errno = errno;
      first = false;
      attempt = Clock::now();
      need_connect = rc != MOSQ_ERR_SUCCESS;
      if (need_connect) {
        note_error(where() + ": cannot connect: " + mosquitto_error(rc, saved_errno) +
                   " (is the broker running and reachable? --connect NAME=HOST:PORT maps "
                   "the plant model's host)");
      }
      continue;
    }
    int rc = MOSQ_ERR_SUCCESS;
    const bool was_connected = connack_;
    if (!connack_) {
      rc = mosquitto_loop(mosq_, kPollMs / 2, 1);  // on_message offers inline
      if (rc == MOSQ_ERR_SUCCESS && !connack_ && Clock::now() - attempt > kConnectTimeout) {
        note_error(where() + ": no answer from the broker within 10 s");
        need_connect = true;
        continue;
      }
    } else {
      rc = pump();
    }
    if (rc != MOSQ_ERR_SUCCESS && !abandoned_ && !stopping_) {
      int saved_errno = errno;
      note_error(where() + (was_connected ? ": connection lost: " : ": cannot connect: ") +
                 mosquitto_error(rc, saved_errno) +
                 (was_connected ? "" : " (is the broker running and reachable?)"));
      connack_ = false;
      need_connect = true;
    }
    if (connack_) backoff.reset();
  }
  if (!abandoned_ && mosquitto_socket(mosq_) >= 0) {
    // A clean goodbye keeps the session; PUBACKs of offered messages go first.
    mosquitto_disconnect(mosq_);
    for (int i = 0; i < 10 && mosquitto_want_write(mosq_); ++i) {
      if (mosquitto_loop_write(mosq_, 1) != MOSQ_ERR_SUCCESS) break;
    }
  }
  mosquitto_destroy(mosq_);
  mosq_ = nullptr;
  std::lock_guard lock(mutex_);
  status_.connected = false;
}

// One round while connected: read what is there, make it durable, then acknowledge it.
int MqttSource::pump() {
  const int fd = mosquitto_socket(mosq_);
  if (fd < 0) return MOSQ_ERR_NO_CONN;
  pollfd fds[2] = {
      {fd, static_cast<short>(POLLIN | (mosquitto_want_write(mosq_) ? POLLOUT : 0)), 0},
      {wake_fd_, POLLIN, 0}};
  if (::poll(fds, 2, kPollMs) < 0 && errno != EINTR) return MOSQ_ERR_ERRNO;
  if (fds[1].revents != 0) {
    std::uint64_t count;
    if (::read(wake_fd_, &count, sizeof count) < 0) {
    }
  }
  int rc = MOSQ_ERR_SUCCESS;
  if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
    batching_ = true;
    do {
      rc = mosquitto_loop_read(mosq_, 1);
    } while (rc == MOSQ_ERR_SUCCESS && pending_.size() < kMqttBatch &&
             mosquitto_socket(mosq_) >= 0 && readable_now(mosquitto_socket(mosq_)));
    batching_ = false;
  }
  int saved_errno = errno;
  if (!flush()) return MOSQ_ERR_SUCCESS;  // abandoned: the loop ends
  errno = saved_errno;
  if (rc == MOSQ_ERR_SUCCESS && mosquitto_want_write(mosq_)) rc = mosquitto_loop_write(mosq_, 1);
  if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_loop_misc(mosq_);
  return rc;
}

bool MqttSource::flush() {
  if (pending_.empty()) return true;
  std::vector<Reading> batch = std::move(pending_);
  pending_.clear();
  std::size_t count = batch.size();
  if (!sink_->offer(std::move(batch))) {
    abandon();
    return false;
  }
  std::lock_guard lock(mutex_);
  status_.readings += count;
  return true;
}

// The sink refused (the edge stops): the readings may not be stored, so their PUBACKs
// (queued, not yet written) must never leave. Shutting the socket down makes every later
// write fail; the broker keeps the messages for the session.
void MqttSource::abandon() {
  abandoned_ = true;
  if (int fd = mosquitto_socket(mosq_); fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

void MqttSource::subscribe() {
  std::vector<std::string> all;
  for (const auto& [topic, indexes] : topics_) all.push_back(topic);
  for (std::size_t i = 0; i < all.size(); i += kTopicsPerSubscribe) {
    std::vector<std::string> chunk(
        all.begin() + static_cast<std::ptrdiff_t>(i),
        all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), i + kTopicsPerSubscribe)));
    std::vector<char*> names;
    for (std::string& topic : chunk) names.push_back(topic.data());
    int mid = 0;
    int rc = mosquitto_subscribe_multiple(mosq_, &mid, static_cast<int>(names.size()), names.data(),
                                          1, 0, nullptr);
    if (rc != MOSQ_ERR_SUCCESS) {
      note_error(where() + ": cannot subscribe: " + mosquitto_error(rc, errno));
    } else {
      subscribing_[mid] = std::move(chunk);
    }
  }
}

void MqttSource::on_connect(struct mosquitto*, void* self, int rc) {
  MqttSource& source = *self_of(self);
  if (rc != 0) {
    source.note_error(source.where() + ": the broker refused the connection: " +
                      mosquitto_connack_string(rc) + " (check its listener and access rules)");
    return;
  }
  source.connack_ = true;
  {
    std::lock_guard lock(source.mutex_);
    source.status_.connected = true;
  }
  source.subscribe();
}

void MqttSource::on_disconnect(struct mosquitto*, void* self, int rc) {
  MqttSource& source = *self_of(self);
  source.connack_ = false;
  std::lock_guard lock(source.mutex_);
  source.status_.connected = false;
  (void)rc;  // counted by the loop, which knows why
}

void MqttSource::on_subscribe(struct mosquitto*, void* self, int mid, int count,
                              const int* granted) {
  MqttSource& source = *self_of(self);
  auto found = source.subscribing_.find(mid);
  if (found == source.subscribing_.end()) return;
  for (int i = 0; i < count && i < static_cast<int>(found->second.size()); ++i) {
    if (granted[i] > 2) {
      source.note_error(source.where() + ": the broker refused the subscription to `" +
                        found->second[static_cast<std::size_t>(i)] +
                        "` (check its access rules for this client)");
      std::lock_guard lock(source.mutex_);
      source.status_.connected = true;
    }
  }
  source.subscribing_.erase(found);
}

void MqttSource::on_message(struct mosquitto*, void* self,
                            const struct mosquitto_message* message) {
  MqttSource& source = *self_of(self);
  if (source.abandoned_ || message->payloadlen <= 0) return;
  auto found = source.topics_.find(message->topic);
  if (found == source.topics_.end()) return;
  const std::string_view payload(static_cast<const char*>(message->payload),
                                 static_cast<std::size_t>(message->payloadlen));
  const std::int64_t receipt = now_us();
  for (std::size_t index : found->second) {
    const SignalInfo& signal = source.options_.signals[index];
    Reading reading;
    reading.address = signal.address;
    std::string problem = set_payload(payload, &signal, receipt, reading);
    if (!problem.empty()) {
      reading.problem = source.options_.name + "/" + found->first + ": " + problem;
      std::lock_guard lock(source.mutex_);
      ++source.status_.errors;
      source.status_.last_error = reading.problem;
    }
    source.pending_.push_back(std::move(reading));
  }
  // Inside mosquitto_loop(), which writes the PUBACK when this returns: store it first.
  if (!source.batching_) source.flush();
}

}  // namespace gemba::edge
