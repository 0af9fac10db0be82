// Test support: a child process started from an argv vector (fork + execv, no shell),
// its stdout and stderr in files, signals, a bounded wait for its exit, and a bounded
// wait for a file it writes (such as an --address-file). The destructor kills (SIGKILL)
// and reaps a child still running, so a failing test never leaves one behind.
//
//   ChildProcess center({GEMBA_BINARY, "center", "--data", dir, ...}, tmp.path(), "center");
//   ASSERT_TRUE(center.started()) << center.error();
//   ASSERT_TRUE(ChildProcess::wait_for_file(address_file, 30s));
//   center.signal(SIGTERM);
//   auto exit = center.wait(30s);  // nullopt: still running after 30 s
//   EXPECT_EQ(exit->code, 0) << center.err();
//
// Header-only (tests/ builds only *_test.cpp files). Linux and POSIX only.
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace gemba::testing {

class ChildProcess {
 public:
  // How the child ended: `code` when it exited, `signal` when a signal killed it.
  struct Exit {
    int code = -1;    // 0..255, or -1 when killed by a signal
    int signal = 0;   // the signal that killed it, or 0
    bool exited() const { return signal == 0; }
  };

  // Starts argv[0] (a path, not looked up in PATH) with `argv`. Its stdout and stderr go
  // to `output_dir`/`name`.stdout and .stderr (created or truncated); stdin is
  // /dev/null. The child starts with no signal blocked and default dispositions (a
  // SIG_IGN of the test process does not leak into it). Check started().
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& output_dir,
               const std::string& name = "child")
      : out_path_(output_dir / (name + ".stdout")), err_path_(output_dir / (name + ".stderr")) {
    start(argv);
  }
  ~ChildProcess() {
    if (pid_ > 0 && !exit_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }
  const std::string& error() const { return error_; }  // why it did not start
  pid_t pid() const { return pid_; }

  // Sends `sig`; false if the child is gone (reaped) or was never started.
  bool signal(int sig) { return pid_ > 0 && !exit_ && ::kill(pid_, sig) == 0; }

  // Waits up to `timeout` for the child to end and reaps it; nullopt if it is still
  // running. Once it ended, every call returns the same Exit.
  std::optional<Exit> wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0 && !exit_) {
      int status = 0;
      pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exit_ = WIFEXITED(status) ? Exit{WEXITSTATUS(status), 0} : Exit{-1, WTERMSIG(status)};
      } else if (done < 0 && errno != EINTR) {
        return std::nullopt;
      } else if (std::chrono::steady_clock::now() >= deadline) {
        return std::nullopt;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    return exit_;
  }
  bool running() { return started() && !wait(std::chrono::milliseconds(0)); }

  // Kills with SIGKILL and reaps; true when it is gone.
  bool kill() {
    signal(SIGKILL);
    return wait(std::chrono::seconds(30)).has_value();
  }

  // What the child wrote so far.
  std::string out() const { return read(out_path_); }
  std::string err() const { return read(err_path_); }
  const std::filesystem::path& out_path() const { return out_path_; }
  const std::filesystem::path& err_path() const { return err_path_; }

  // Waits up to `timeout` until `path` exists and is not empty (a file written with a
  // temp file and a rename is then complete). False on timeout. `while_running`, if
  // given, ends the wait early (false) when that child has exited.
  static bool wait_for_file(const std::filesystem::path& path, std::chrono::milliseconds timeout,
                            ChildProcess* while_running = nullptr) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      std::error_code ec;
      if (std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0 && !ec) {
        return true;
      }
      if (while_running != nullptr && !while_running->running()) return false;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  static std::string read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  void start(const std::vector<std::string>& argv) {
    if (argv.empty()) {
      error_ = "empty argv";
      return;
    }
    // Everything the child needs is made before fork(): between fork() and exec() a child
    // of a multithreaded process may only make async-signal-safe calls.
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int report[2] = {-1, -1};  // the child writes errno here if exec fails
    if (out < 0 || err < 0 || in < 0 || ::pipe2(report, O_CLOEXEC) != 0) {
      error_ = std::string("cannot open the output files: ") + strerror(errno);
      close_all({out, err, in, report[0], report[1]});
      return;
    }
    pid_t pid = ::fork();
    if (pid == 0) {
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
      if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) _exit(127);
      ::execv(args[0], args.data());
      int code = errno;
      ssize_t ignored = ::write(report[1], &code, sizeof code);
      (void)ignored;
      _exit(127);
    }
    int fork_errno = errno;
    close_all({out, err, in, report[1]});
    if (pid < 0) {
      error_ = std::string("fork failed: ") + strerror(fork_errno);
      ::close(report[0]);
      return;
    }
    int code = 0;
    ssize_t n;
    while ((n = ::read(report[0], &code, sizeof code)) < 0 && errno == EINTR) {
    }
    ::close(report[0]);
    pid_ = pid;
    if (n == sizeof code) {  // exec failed: reap the child, report why
      wait(std::chrono::seconds(30));
      pid_ = -1;
      error_ = "cannot run " + argv[0] + ": " + strerror(code);
    }
  }

  static void close_all(std::initializer_list<int> fds) {
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }

  std::filesystem::path out_path_, err_path_;
  pid_t pid_ = -1;
  std::optional<Exit> exit_;
  std::string error_;
};

}  // namespace gemba::testing
