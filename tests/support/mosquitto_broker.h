// A real MQTT broker for tests: /usr/sbin/mosquitto as a child process, listening on
// 127.0.0.1 at a free port, anonymous, with persistence in the given folder (so a
// restart keeps sessions and their queued messages). And a small publisher client.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

extern char** environ;

namespace gemba::testing {

// A TCP port on 127.0.0.1 that nothing listens on now (the kernel's pick).
inline int free_tcp_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t length = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

inline bool port_accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

class MosquittoBroker {
 public:
  // `extra` is appended to the listener's configuration (TLS files, ...).
  explicit MosquittoBroker(std::filesystem::path dir, std::string extra = {})
      : dir_(std::move(dir)), extra_(std::move(extra)), port_(free_tcp_port()) {}
  ~MosquittoBroker() { stop(); }
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  int port() const { return port_; }
  const std::filesystem::path& log_file() const { return log_; }

  // Starts it (again, on the same port and data); false if it does not accept within 10 s.
  bool start() {
    if (pid_ > 0) return true;
    std::filesystem::create_directories(dir_ / "data");
    const std::filesystem::path conf = dir_ / "mosquitto.conf";
    {
      std::ofstream out(conf);
      if (::geteuid() == 0) out << "user root\n";  // else it switches to `mosquitto`
      out << "listener " << port_ << " 127.0.0.1\n"
          << "allow_anonymous true\n"
          << extra_ << "\n"
          << "persistence true\n"
          << "persistence_location " << (dir_ / "data").string() << "/\n"
          << "max_queued_messages 100000\n";
    }
    log_ = dir_ / "mosquitto.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::string program = "/usr/sbin/mosquitto", flag = "-c", path = conf.string();
    char* argv[] = {program.data(), flag.data(), path.data(), nullptr};
    int rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      return false;
    }
    for (int i = 0; i < 200; ++i) {
      if (port_accepts(port_)) return true;
      int status;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // SIGTERM (it saves its database), then SIGKILL if it is still there after 10 s.
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 200; ++i) {
      int status;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  std::string log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::filesystem::path dir_;
  std::string extra_;
  int port_;
  pid_t pid_ = -1;
  std::filesystem::path log_;
};

// Publishes with libmosquitto; publish() returns once the broker acknowledged (QoS 1, 2)
// or the message was written (QoS 0), false after 10 s.
class MqttPublisher {
 public:
  explicit MqttPublisher(int port) {
    mosquitto_lib_init();
    mosq_ = mosquitto_new(nullptr, true, this);
    mosquitto_publish_callback_set(mosq_, [](mosquitto*, void* self, int mid) {
      auto& publisher = *static_cast<MqttPublisher*>(self);
      std::lock_guard lock(publisher.mutex_);
      publisher.done_.insert(mid);
      publisher.cv_.notify_all();
    });
    connected_ = mosquitto_connect(mosq_, "127.0.0.1", port, 30) == MOSQ_ERR_SUCCESS &&
                 mosquitto_loop_start(mosq_) == MOSQ_ERR_SUCCESS;
  }
  ~MqttPublisher() {
    if (connected_) {
      mosquitto_disconnect(mosq_);
      mosquitto_loop_stop(mosq_, false);
    }
    mosquitto_destroy(mosq_);
  }
  bool connected() const { return connected_; }

  bool publish(const std::string& topic, const std::string& payload, int qos = 1,
               bool retain = false) {
    int mid = 0;
    if (mosquitto_publish(mosq_, &mid, topic.c_str(), static_cast<int>(payload.size()),
                          payload.data(), qos, retain) != MOSQ_ERR_SUCCESS) {
      return false;
    }
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return done_.count(mid) > 0; });
  }

 private:
  mosquitto* mosq_ = nullptr;
  bool connected_ = false;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::set<int> done_;
};

}  // namespace gemba::testing
