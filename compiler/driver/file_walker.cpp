#include "compiler/driver/file_walker.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

namespace gemba::driver {
namespace {

namespace fs = std::filesystem;

std::string cannot_read(const std::string& path, const std::string& reason) {
  return "cannot read `" + path + "`: " + reason;
}

// Identifies a file however it was reached.
std::string identity(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  if (ec) canonical = fs::absolute(path, ec).lexically_normal();
  return canonical.generic_string();
}

// Every `*.gmb` regular file below `dir`, sorted; an error ends the walk.
std::vector<std::string> list_folder(const fs::path& dir, std::string& error) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().extension() == ".gmb" && it->is_regular_file(type_ec)) {
      found.push_back(it->path().generic_string());
    }
  }
  if (ec) error = ec.message();
  std::sort(found.begin(), found.end());
  return found;
}

class Collector {
 public:
  explicit Collector(const FileReader& read) : read_(read) {}

  void add_path(const std::string& path) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      add_file(path);
      return;
    }
    std::string error;
    for (const std::string& file : list_folder(path, error)) add_file(file);
    if (!error.empty()) out_.io_errors.push_back(cannot_read(path, error));
  }

  CollectedInputs take() { return std::move(out_); }

 private:
  void add_file(const std::string& path) {
    if (!seen_.insert(identity(path)).second) return;
    ReadResult result = read_(path);
    if (result.status != ReadResult::Status::kOk) {
      out_.io_errors.push_back(cannot_read(path, result.error));
      return;
    }
    out_.files.push_back({path, std::move(result.text)});
  }

  const FileReader& read_;
  std::set<std::string> seen_;
  CollectedInputs out_;
};

}  // namespace

CollectedInputs collect_inputs(const std::vector<std::string>& paths, const FileReader& read) {
  Collector collector(read);
  for (const std::string& path : paths) collector.add_path(path);
  return collector.take();
}

}  // namespace gemba::driver
