#include "runtime/store/owner_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace gemba::store {
namespace {

constexpr char kFileName[] = "owner.lock";

Status io_error(const std::filesystem::path& file, const char* what, int error) {
  return Status::error(Status::Code::kIOError, std::string("cannot ") + what + " " + file.string() +
                                                   ": " + std::strerror(error));
}

// The pid the current owner wrote, or "" when it has not written it yet.
std::string owner_pid(int fd) {
  char buffer[32] = {};
  ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

Status busy(const std::filesystem::path& dir, int fd) {
  std::string pid = owner_pid(fd);
  std::string who = pid.empty() ? "another process" : "process " + pid;
  return Status::error(Status::Code::kBusy,
                       "data directory " + dir.string() + " is in use by " + who);
}

Status write_pid(int fd, const std::filesystem::path& file) {
  std::string text = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0) return io_error(file, "truncate", errno);
  if (pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return io_error(file, "write", errno);
  }
  return Status::ok();
}

}  // namespace

OwnerLock::~OwnerLock() {
  if (fd_ >= 0) close(fd_);  // releases the flock
}

Status OwnerLock::acquire(const std::filesystem::path& dir) {
  std::filesystem::path file = dir / kFileName;
  int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return io_error(file, "open", errno);
  int rc;
  do {
    rc = flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int error = errno;
    Status status = error == EWOULDBLOCK ? busy(dir, fd) : io_error(file, "lock", error);
    close(fd);
    return status;
  }
  Status written = write_pid(fd, file);
  if (!written.is_ok()) {
    close(fd);
    return written;
  }
  fd_ = fd;
  return Status::ok();
}

}  // namespace gemba::store
