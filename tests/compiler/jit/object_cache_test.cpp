#include "compiler/jit/object_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "compiler/jit/jit.h"
#include "tests/compiler/jit/lowered_builder.h"
#include "tests/support/temp_dir.h"

namespace gemba::jit {
namespace {

namespace fs = std::filesystem;
using lower::Fault;
using lower::Op;
using lower::Scalar;
using lower::Type;
using testing::FunctionBuilder;
using testing::module_of;

constexpr const char* kVersion = "0.1.0-test";
constexpr std::size_t kHeaderSize = 84;  // object_cache.h

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Every file in `directory`, sorted.
std::vector<fs::path> files_in(const fs::path& directory) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// scale(x) = x * factor % 7.5, `factor` standing for a folded plant constant (real `%` is
// the process's fmod); twice(x) = scale(x) + scale(x), through a call.
lower::Module plant_module(double factor) {
  FunctionBuilder scale("scale", Type::kReal);
  std::uint32_t x = scale.param(Type::kReal);
  std::uint32_t product = scale.node(Op::kMul, Type::kReal, {x, scale.real(factor)});
  scale.node(Op::kMod, Type::kReal, {product, scale.real(7.5)});
  FunctionBuilder twice("twice", Type::kReal);
  std::uint32_t call = twice.call(0, Type::kReal, {twice.param(Type::kReal)});
  twice.node(Op::kAdd, Type::kReal, {call, call});
  return module_of({scale.done(), twice.done()}, "templates.t@plant");
}

struct Outcome {
  std::int32_t fault = -1;
  std::uint64_t bits = 0;
  std::uint32_t site = 0xFFFFFFFF;
  bool operator==(const Outcome&) const = default;
};

Outcome call(lower::EntryPoint entry, double x) {
  Outcome out;
  if (entry == nullptr) return out;
  Scalar arg{};
  arg.r = x;
  Scalar result{};
  out.fault = entry(&arg, &result, &out.site);
  if (out.fault == 0) std::memcpy(&out.bits, &result.r, sizeof out.bits);
  return out;
}

const std::vector<double>& inputs() {
  static const std::vector<double> all = {
      0.5, 3.25, -11.0, 1e6, -0.0, 1e308, std::numeric_limits<double>::quiet_NaN()};
  return all;
}

// Both functions of plant_module over inputs().
std::vector<Outcome> outcomes(Jit& jit, ModuleHandle module) {
  std::vector<Outcome> out;
  for (const char* name : {"scale", "twice"}) {
    for (double x : inputs()) out.push_back(call(jit.lookup(module, name), x));
  }
  return out;
}

// Checks the module's functions against the same arithmetic in C++.
void expect_computes(Jit& jit, ModuleHandle module, double factor) {
  lower::EntryPoint scale = jit.lookup(module, "scale");
  lower::EntryPoint twice = jit.lookup(module, "twice");
  ASSERT_NE(scale, nullptr);
  ASSERT_NE(twice, nullptr);
  for (double x : {0.5, 3.25, -11.0, 1e6}) {
    const double expected = std::fmod(x * factor, 7.5);
    Scalar arg{};
    arg.r = x;
    Scalar result{};
    ASSERT_EQ(scale(&arg, &result, nullptr), 0);
    EXPECT_EQ(result.r, expected) << x;
    ASSERT_EQ(twice(&arg, &result, nullptr), 0);
    EXPECT_EQ(result.r, expected + expected) << x;
  }
  Outcome overflow = call(scale, 1e308);
  EXPECT_EQ(overflow.fault, static_cast<std::int32_t>(Fault::kInfinite));
  EXPECT_EQ(overflow.site, 2u);  // the product
}

class JitCacheTest : public ::testing::Test {
 protected:
  fs::path cache_dir() const { return dir_.path() / "cache"; }

  std::unique_ptr<Jit> make_jit(const fs::path& cache, const std::string& version = kVersion) {
    JitOptions options;
    options.cache_dir = cache;
    options.compiler_version = version;
    std::string error;
    std::unique_ptr<Jit> jit = Jit::create(options, &error);
    EXPECT_NE(jit, nullptr) << error;
    return jit;
  }

  ModuleHandle add(Jit& jit, const lower::Module& module) {
    std::string error;
    std::optional<ModuleHandle> handle = jit.add(module, &error);
    EXPECT_TRUE(handle.has_value()) << error;
    return handle.value_or(ModuleHandle{});
  }

  // A new Jit over `cache` (as after a restart) adds plant_module(factor), checks its
  // results and returns what its cache did.
  CacheStats run_once(double factor, const fs::path& cache) {
    std::unique_ptr<Jit> jit = make_jit(cache);
    if (jit == nullptr) return {};
    expect_computes(*jit, add(*jit, plant_module(factor)), factor);
    return jit->cache_stats();
  }
  CacheStats run_once(double factor) { return run_once(factor, cache_dir()); }

  gemba::testing::TempDir dir_;
};

TEST_F(JitCacheTest, SecondJitLinksTheStoredObject) {
  std::unique_ptr<Jit> cold = make_jit(cache_dir());
  ASSERT_NE(cold, nullptr);
  ModuleHandle cold_module = add(*cold, plant_module(2.0));
  EXPECT_EQ(cold->cache_stats().misses, 1u);
  EXPECT_EQ(cold->cache_stats().hits, 0u);
  EXPECT_EQ(cold->cache_stats().write_failures, 0u) << cold->cache_stats().last_write_failure;
  std::vector<fs::path> entries = files_in(cache_dir());
  ASSERT_EQ(entries.size(), 1u);  // the entry, and no temporary
  EXPECT_EQ(entries[0].extension(), ".gobj");

  std::unique_ptr<Jit> warm = make_jit(cache_dir());
  ASSERT_NE(warm, nullptr);
  ModuleHandle warm_module = add(*warm, plant_module(2.0));
  EXPECT_EQ(warm->cache_stats().hits, 1u);
  EXPECT_EQ(warm->cache_stats().misses, 0u);
  EXPECT_EQ(warm->cache_stats().rejected, 0u);
  expect_computes(*warm, warm_module, 2.0);
  EXPECT_EQ(outcomes(*warm, warm_module), outcomes(*cold, cold_module));
  EXPECT_EQ(files_in(cache_dir()), entries);
}

TEST_F(JitCacheTest, ChangedPlantConstantMisses) {
  EXPECT_EQ(run_once(2.0).misses, 1u);
  CacheStats other = run_once(3.0);
  EXPECT_EQ(other.misses, 1u);
  EXPECT_EQ(other.hits, 0u);
  EXPECT_EQ(other.rejected, 0u);
  EXPECT_EQ(files_in(cache_dir()).size(), 2u);
  EXPECT_EQ(run_once(2.0).hits, 1u);
  EXPECT_EQ(run_once(3.0).hits, 1u);
}

TEST_F(JitCacheTest, ChangedCompilerVersionMisses) {
  std::unique_ptr<Jit> first = make_jit(cache_dir(), "1.0");
  ASSERT_NE(first, nullptr);
  add(*first, plant_module(2.0));
  std::unique_ptr<Jit> second = make_jit(cache_dir(), "1.1");
  ASSERT_NE(second, nullptr);
  add(*second, plant_module(2.0));
  EXPECT_EQ(second->cache_stats().misses, 1u);
  EXPECT_EQ(second->cache_stats().hits, 0u);
}

TEST_F(JitCacheTest, SameModuleTwiceInOneJit) {
  std::unique_ptr<Jit> jit = make_jit(cache_dir());
  ASSERT_NE(jit, nullptr);
  ModuleHandle first = add(*jit, plant_module(2.0));
  ModuleHandle second = add(*jit, plant_module(2.0));
  EXPECT_EQ(jit->cache_stats().misses, 1u);
  EXPECT_EQ(jit->cache_stats().hits, 1u);
  std::string error;
  ASSERT_TRUE(jit->remove(first, &error)) << error;
  EXPECT_EQ(jit->lookup(first, "scale"), nullptr);
  expect_computes(*jit, second, 2.0);
}

TEST_F(JitCacheTest, CacheNeedsTheCompilerVersion) {
  JitOptions options;
  options.cache_dir = cache_dir();
  std::string error;
  EXPECT_EQ(Jit::create(options, &error), nullptr);
  EXPECT_NE(error.find("compiler version"), std::string::npos) << error;
}

TEST_F(JitCacheTest, NoCacheCountsNothing) {
  std::string error;
  std::unique_ptr<Jit> jit = Jit::create(&error);
  ASSERT_NE(jit, nullptr) << error;
  expect_computes(*jit, add(*jit, plant_module(2.0)), 2.0);
  EXPECT_EQ(jit->cache_stats().hits + jit->cache_stats().misses, 0u);
}

TEST_F(JitCacheTest, CacheDirThatIsAFileDoesNotStopCompilation) {
  fs::path file = dir_.write("not_a_directory", "x");
  CacheStats stats = run_once(2.0, file);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.rejected, 0u);
  EXPECT_EQ(stats.write_failures, 1u);
  EXPECT_NE(stats.last_write_failure.find(file.string()), std::string::npos)
      << stats.last_write_failure;
  EXPECT_EQ(run_once(2.0, file / "below").write_failures, 1u);
}

TEST_F(JitCacheTest, ReadOnlyCacheDirDoesNotStopCompilation) {
  if (::geteuid() == 0) GTEST_SKIP() << "root may write into a read-only directory";
  fs::create_directories(cache_dir());
  fs::permissions(cache_dir(), fs::perms::owner_read | fs::perms::owner_exec);
  CacheStats stats = run_once(2.0);
  fs::permissions(cache_dir(), fs::perms::owner_all);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.write_failures, 1u);
  EXPECT_TRUE(files_in(cache_dir()).empty());
}

// ---- Corrupt entries -----------------------------------------------------------------

struct Corruption {
  const char* name;
  CacheStatus expected;
  // The bad entry, from the good one and a good entry stored under another key.
  std::string (*make)(std::string entry, const std::string& other);
};

void PrintTo(const Corruption& corruption, std::ostream* out) { *out << corruption.name; }

const Corruption kCorruptions[] = {
    {"flipped_payload_byte", CacheStatus::kBadChecksum,
     [](std::string e, const std::string&) {
       e[kHeaderSize + (e.size() - kHeaderSize) / 2] ^= 0x20;
       return e;
     }},
    {"flipped_checksum_byte", CacheStatus::kBadChecksum,
     [](std::string e, const std::string&) {
       e[kHeaderSize - 1] ^= 0x01;
       return e;
     }},
    {"truncated_payload", CacheStatus::kBadLength,
     [](std::string e, const std::string&) { return e.substr(0, e.size() - 10); }},
    {"truncated_header", CacheStatus::kBadLength,
     [](std::string e, const std::string&) { return e.substr(0, 40); }},
    {"zero_length", CacheStatus::kBadLength,
     [](std::string, const std::string&) { return std::string(); }},
    {"trailing_bytes", CacheStatus::kBadLength,
     [](std::string e, const std::string&) { return e + "junk"; }},
    {"wrong_magic", CacheStatus::kBadMagic,
     [](std::string e, const std::string&) {
       e[0] = 'X';
       return e;
     }},
    {"garbage", CacheStatus::kBadMagic,
     [](std::string e, const std::string&) { return std::string(e.size(), '\x5a'); }},
    {"wrong_format_version", CacheStatus::kBadVersion,
     [](std::string e, const std::string&) {
       e[8] = static_cast<char>(e[8] + 1);
       return e;
     }},
    {"entry_of_another_key", CacheStatus::kKeyMismatch,
     [](std::string, const std::string& other) { return other; }},
};

class CorruptEntryTest : public JitCacheTest, public ::testing::WithParamInterface<Corruption> {
 protected:
  // Stores plant_module(2.0) (and plant_module(3.0) in another directory), then replaces
  // the first entry by the corruption; returns the entry's path.
  fs::path corrupt_entry() {
    run_once(2.0);
    run_once(3.0, dir_.path() / "other");
    std::vector<fs::path> entries = files_in(cache_dir());
    std::vector<fs::path> others = files_in(dir_.path() / "other");
    EXPECT_EQ(entries.size(), 1u);
    EXPECT_EQ(others.size(), 1u);
    if (entries.size() != 1 || others.size() != 1) return {};
    write_bytes(entries[0], GetParam().make(read_bytes(entries[0]), read_bytes(others[0])));
    return entries[0];
  }
};

TEST_P(CorruptEntryTest, ReadReportsTheFirstBadField) {
  fs::path entry = corrupt_entry();
  ASSERT_FALSE(entry.empty());
  CacheKey key{};
  std::string digits = entry.stem().string();
  for (std::size_t k = 0; k < key.size(); ++k) {
    key[k] = static_cast<std::uint8_t>(std::stoi(digits.substr(2 * k, 2), nullptr, 16));
  }
  ASSERT_EQ(hex(key), digits);
  CacheRead read = ObjectCache(cache_dir()).read(key);
  EXPECT_EQ(read.status, GetParam().expected) << describe(read.status);
  EXPECT_TRUE(read.object.empty());
}

TEST_P(CorruptEntryTest, IsRejectedRebuiltAndReplaced) {
  fs::path entry = corrupt_entry();
  ASSERT_FALSE(entry.empty());
  CacheStats stats = run_once(2.0);  // checks the results: the bad object was not linked
  EXPECT_EQ(stats.hits, 0u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.rejected, 1u);
  EXPECT_NE(stats.last_rejection.find(describe(GetParam().expected)), std::string::npos)
      << stats.last_rejection;
  EXPECT_EQ(stats.write_failures, 0u) << stats.last_write_failure;
  EXPECT_EQ(files_in(cache_dir()), std::vector<fs::path>{entry});
  stats = run_once(2.0);
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.rejected, 0u);
}

// An entry that checks out but whose object is not the module's (as a compiler bug
// could store): the linker gets it, and it is rejected when it does not link.
TEST_F(JitCacheTest, EntryWhoseObjectDoesNotLinkIsRejected) {
  run_once(2.0);
  std::vector<fs::path> entries = files_in(cache_dir());
  ASSERT_EQ(entries.size(), 1u);
  CacheKey key{};
  std::memcpy(key.data(), read_bytes(entries[0]).data() + 12, key.size());  // its key field
  ASSERT_EQ(ObjectCache(cache_dir()).entry_path(key), entries[0]);

  lower::Module other = plant_module(2.0);
  other.functions[0].name = "other";
  std::unique_ptr<Jit> jit = make_jit(dir_.path() / "other");
  ASSERT_NE(jit, nullptr);
  add(*jit, other);
  std::vector<fs::path> others = files_in(dir_.path() / "other");
  ASSERT_EQ(others.size(), 1u);
  const std::string other_object = read_bytes(others[0]).substr(kHeaderSize);

  for (const std::string& object : {other_object, std::string(4096, '\x5a')}) {
    std::string detail;
    ASSERT_EQ(ObjectCache(cache_dir()).write(key, object, &detail), CacheStatus::kOk) << detail;
    CacheStats stats = run_once(2.0);
    EXPECT_EQ(stats.hits, 0u);
    EXPECT_EQ(stats.rejected, 1u);
    EXPECT_NE(stats.last_rejection.find("does not link"), std::string::npos)
        << stats.last_rejection;
    EXPECT_EQ(run_once(2.0).hits, 1u);  // replaced by the compiled object
  }
}

INSTANTIATE_TEST_SUITE_P(Entries, CorruptEntryTest, ::testing::ValuesIn(kCorruptions),
                         [](const ::testing::TestParamInfo<Corruption>& info) {
                           return std::string(info.param.name);
                         });

// ---- ObjectCache on its own ----------------------------------------------------------

CacheKey key_of(const std::string& ir) {
  CacheKeyInputs inputs;
  inputs.compiler_version = kVersion;
  inputs.module_ir = ir;
  return cache_key(inputs);
}

TEST(ObjectCache, WriteThenRead) {
  gemba::testing::TempDir dir;
  ObjectCache cache(dir.path() / "a" / "b");  // created on write
  CacheKey key = key_of("module");
  EXPECT_EQ(cache.read(key).status, CacheStatus::kNotFound);
  const std::string object = {'\x7f', 'E', 'L', 'F', '\0', '\1', '\2'};
  std::string detail;
  ASSERT_EQ(cache.write(key, object, &detail), CacheStatus::kOk) << detail;
  CacheRead read = cache.read(key);
  EXPECT_EQ(read.status, CacheStatus::kOk);
  EXPECT_EQ(read.object, object);
  EXPECT_EQ(fs::file_size(cache.entry_path(key)), kHeaderSize + object.size());
  EXPECT_EQ(cache.entry_path(key).filename().string(), hex(key) + ".gobj");

  ASSERT_EQ(cache.write(key, "", &detail), CacheStatus::kOk) << detail;  // replaces
  read = cache.read(key);
  EXPECT_EQ(read.status, CacheStatus::kOk);
  EXPECT_EQ(read.object, "");
  EXPECT_EQ(files_in(dir.path() / "a" / "b").size(), 1u);
}

TEST(ObjectCache, UnreadableEntryIsAnIoError) {
  gemba::testing::TempDir dir;
  ObjectCache cache(dir.path());
  CacheKey key = key_of("module");
  fs::create_directory(cache.entry_path(key));  // a directory where the entry should be
  CacheRead read = cache.read(key);
  EXPECT_EQ(read.status, CacheStatus::kIoError);
  EXPECT_NE(read.detail.find(cache.entry_path(key).string()), std::string::npos) << read.detail;
  std::string detail;
  EXPECT_EQ(cache.write(key, "object", &detail), CacheStatus::kIoError);
  EXPECT_FALSE(detail.empty());
  EXPECT_EQ(files_in(dir.path()).size(), 1u);  // no temporary left behind
}

TEST(ObjectCache, KeyCoversEveryInput) {
  CacheKeyInputs base;
  base.compiler_version = "0.1.0";
  base.llvm_version = "19.1.7";
  base.triple = "x86_64-pc-linux-gnu";
  base.cpu = "znver3";
  base.features = "+avx2";
  base.optimization = "O2";
  base.module_ir = "define i32 @f()";
  const CacheKey reference = cache_key(base);
  EXPECT_EQ(cache_key(base), reference);
  std::string CacheKeyInputs::*fields[] = {
      &CacheKeyInputs::compiler_version, &CacheKeyInputs::llvm_version,
      &CacheKeyInputs::triple,           &CacheKeyInputs::cpu,
      &CacheKeyInputs::features,         &CacheKeyInputs::optimization,
      &CacheKeyInputs::module_ir};
  for (std::string CacheKeyInputs::*field : fields) {
    CacheKeyInputs changed = base;
    changed.*field += "x";
    EXPECT_NE(cache_key(changed), reference) << base.*field;
  }
  // Field boundaries count: "znver3" + "+avx2" is not "znver3+" + "avx2".
  CacheKeyInputs moved = base;
  moved.cpu = "znver3+";
  moved.features = "avx2";
  EXPECT_NE(cache_key(moved), reference);
}

}  // namespace
}  // namespace gemba::jit
