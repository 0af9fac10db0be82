// The bundled examples and the standard library check with no diagnostic at all: no
// error, no warning. The example enterprise (examples/README.md) specializes as its
// README says: every template runs at every plant but one, rejected for the reason it
// documents. (The valid programs of tests/diagnostics/pass are checked by the golden
// runner, tests/diagnostics/golden_test.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diag/codes.h"
#include "compiler/diag/render_text.h"
#include "compiler/driver/pipeline.h"
#include "stdlib/embedded_stdlib.h"

namespace gemba {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = GEMBA_SOURCE_DIR;

std::vector<std::string> gmb_files(const fs::path& dir) {
  std::vector<std::string> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".gmb") {
      files.push_back(entry.path().generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void expect_clean(const driver::CheckRun& run) {
  EXPECT_TRUE(run.io_errors.empty());
  EXPECT_TRUE(run.diagnostics.empty()) << diag::render_text(run.diagnostics, run.sources);
}

// ---- examples/ --------------------------------------------------------------------

const fs::path kExamples = kSourceDir / "examples";
// The equipment classes every template and plant imports (`module acme.equipment_classes;`).
const fs::path kEquipment = kExamples / "equipment";

TEST(ExamplesTest, ThereAreTemplatesPlantsAndKpis) {
  EXPECT_GE(gmb_files(kExamples / "templates").size(), 4u);
  EXPECT_GE(gmb_files(kExamples / "plants").size(), 3u);
  EXPECT_GE(gmb_files(kExamples / "kpis").size(), 1u);
  EXPECT_EQ(gmb_files(kEquipment).size(), 1u);
}

TEST(ExamplesTest, AllExamplesCheckTogether) {
  // What `gemba check examples/` does: every file, one program.
  driver::CheckRun run = driver::check_paths({kExamples.string()}, {});
  expect_clean(run);
  EXPECT_EQ(run.files_checked, gmb_files(kExamples).size());
}

// Each template, KPI set and plant model alone, with the equipment classes it imports.
std::vector<std::string> example_files() {
  std::vector<std::string> files;
  for (const char* dir : {"templates", "kpis", "plants"}) {
    for (auto& file : gmb_files(kExamples / dir)) files.push_back(std::move(file));
  }
  return files;
}

std::string example_name(const ::testing::TestParamInfo<std::string>& info) {
  fs::path path(info.param);
  std::string name = path.parent_path().filename().string() + "_" + path.stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class TemplateTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TemplateTest, ChecksClean) {
  expect_clean(driver::check_paths({GetParam(), kEquipment.string()}, {}));
}

INSTANTIATE_TEST_SUITE_P(Examples, TemplateTest, ::testing::ValuesIn(example_files()),
                         example_name);

// `gemba check --plants examples/plants examples/`: the template x plant matrix that
// examples/README.md documents. Every cell is clean except mix_batch at hamburg, which
// has no heated mixer (G0801, and nothing else).
TEST(ExamplesTest, SpecializationMatrix) {
  driver::CheckOptions options;
  options.plant_paths = {(kExamples / "plants").string()};
  driver::CheckRun run = driver::check_paths({kExamples.string()}, options);
  EXPECT_TRUE(run.io_errors.empty());
  ASSERT_FALSE(run.specialization_skipped) << diag::render_text(run.diagnostics, run.sources);

  std::vector<std::string> plants = run.plant_names;
  std::sort(plants.begin(), plants.end());
  EXPECT_EQ(plants, (std::vector<std::string>{"allentown", "hamburg", "houston"}));

  const std::size_t templates =
      gmb_files(kExamples / "templates").size() + gmb_files(kExamples / "kpis").size();
  EXPECT_EQ(run.matrix.size(), templates * plants.size());
  std::map<std::string, std::size_t> rejected;  // "template @ plant" -> errors
  for (const driver::MatrixCell& cell : run.matrix) {
    EXPECT_EQ(cell.warnings, 0u) << cell.template_path << " @ " << cell.plant;
    if (cell.errors > 0) {
      rejected[fs::path(cell.template_path).filename().string() + " @ " + cell.plant] = cell.errors;
    }
  }
  EXPECT_EQ(rejected, (std::map<std::string, std::size_t>{{"mix_batch.gmb @ hamburg", 1}}))
      << diag::render_text(run.diagnostics, run.sources);

  ASSERT_EQ(run.diagnostics.size(), 1u) << diag::render_text(run.diagnostics, run.sources);
  const diag::Diagnostic& why = run.diagnostics.front();
  EXPECT_EQ(diag::info(why.code).id, "G0801");
  EXPECT_NE(why.message.find("hamburg"), std::string::npos) << why.message;
  EXPECT_NE(why.message.find("HeatedMixer"), std::string::npos) << why.message;
}

// ---- the standard library --------------------------------------------------------

TEST(StdlibTest, EmbeddedFilesAreTheSources) {
  std::vector<std::string> on_disk = gmb_files(kSourceDir / "stdlib" / "std");
  ASSERT_GE(on_disk.size(), 4u);
  std::size_t embedded_std = 0;
  for (const stdlib::EmbeddedFile& file : stdlib::embedded_files()) {
    if (!file.path.starts_with("std/")) continue;
    ++embedded_std;
    fs::path source = kSourceDir / "stdlib" / fs::path(std::string(file.path));
    EXPECT_EQ(std::string(file.text), read_file(source)) << file.path << " is stale: rebuild";
  }
  EXPECT_EQ(embedded_std, on_disk.size());
}

// The sources, checked as ordinary input files: every lint applies, none is waived
// for the standard library.
TEST(StdlibTest, SourcesCheckCleanAsInputs) {
  driver::CheckRun run = driver::check_paths({(kSourceDir / "stdlib" / "std").string()}, {});
  expect_clean(run);
  EXPECT_EQ(run.files_checked, gmb_files(kSourceDir / "stdlib" / "std").size());
}

struct StdlibProbe {
  const char* module;
  const char* text;  // imports the module and uses one of its names
};

void PrintTo(const StdlibProbe& probe, std::ostream* os) { *os << probe.module; }

class EmbeddedStdlibTest : public ::testing::TestWithParam<StdlibProbe> {};

TEST_P(EmbeddedStdlibTest, ImportsClean) {
  expect_clean(driver::check_sources({{"probe.gmb", GetParam().text}}, {}));
}

const StdlibProbe kProbes[] = {
    {"std_units", "import std.units;\nfunction probe(x: lb): kg = x + 1 g;\n"},
    {"std_isa95",
     "import std.isa95;\nfunction probe(u: WorkUnit): bool = u.state == PackMLState.Execute;\n"},
    {"std_time", "import std.time;\nfunction probe(): time = now();\n"},
    {"std_kpi",
     "import std.isa95;\nimport std.kpi;\nkpi probe(u: WorkUnit) over shift = oee(u);\n"},
    {"all",
     "import std.units;\nimport std.isa95;\nimport std.time;\nimport std.kpi;\n"
     "kpi probe(u: WorkUnit): duration over last 24 h = mtbf(u) + 1 min;\n"
     "function probe_time(): time = now() + 1 h;\n"},
};

INSTANTIATE_TEST_SUITE_P(Stdlib, EmbeddedStdlibTest, ::testing::ValuesIn(kProbes),
                         [](const ::testing::TestParamInfo<StdlibProbe>& info) {
                           return std::string(info.param.module);
                         });

}  // namespace
}  // namespace gemba
