// Runs the real `gemba` binary: command-line surface, output formats and exit codes.
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/diag/codes.h"
#include "tests/support/shell.h"
#include "tests/support/temp_dir.h"

namespace gemba {
namespace {

using nlohmann::json;

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string quote(const std::string& arg) { return testing::shell_quote(arg); }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
#ifndef GEMBA_BINARY
    GTEST_SKIP() << "GEMBA_BINARY is not defined: the gemba executable was not built";
#endif
  }

  // Runs gemba with `args` in the temporary folder; stdout and stderr apart.
  Result gemba(const std::vector<std::string>& args) {
#ifdef GEMBA_BINARY
    std::string err_file = (dir_.path() / ".stderr").string();
    std::string command = "cd " + quote(dir_.path().string()) + " && " + quote(GEMBA_BINARY);
    for (const std::string& arg : args) command += ' ' + quote(arg);
    command += " 2>" + quote(err_file);
    testing::ShellResult ran = testing::run_shell(command);
    Result result{ran.exit_code, std::move(ran.out), {}};
    std::ifstream err(err_file, std::ios::binary);
    std::stringstream text;
    text << err.rdbuf();
    result.err = text.str();
    return result;
#else
    (void)args;
    return {};
#endif
  }

  void write(const std::string& path, const std::string& text) { dir_.write(path, text); }

  // A file with an error the driver itself finds, whatever sema does.
  void write_error_file() { write("bad.gmb", "module bad;\nimport no.such.thing;\n"); }
  // A program with only warnings: a module imported twice.
  void write_warning_files() {
    write("warn.gmb", "module warn;\nimport other;\nimport other;\n");
    write("other.gmb", "module other;\n");
  }

  gemba::testing::TempDir dir_;
};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST_F(CliTest, Help) {
  Result r = gemba({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("check"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("explain"), std::string::npos) << r.out;
}

TEST_F(CliTest, UnknownCommandIsNamed) {
  Result r = gemba({"chek", "x.gmb"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command `chek`"), std::string::npos) << r.err;
}

TEST_F(CliTest, CheckHelp) {
  Result r = gemba({"check", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag : {"--format", "--werror", "-I", "--dump-after", "--color", "--quiet"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag << "\n" << r.out;
  }
}

TEST_F(CliTest, Version) {
  Result r = gemba({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(std::regex_match(r.out, std::regex("gemba [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << r.out;
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{},
                                             {"--no-such-flag"},
                                             {"frobnicate"},
                                             {"check"},
                                             {"check", "--no-such-flag", "x.gmb"},
                                             {"check", "--format", "xml", "x.gmb"},
                                             {"check", "--dump-after", "nothing", "x.gmb"},
                                             {"check", "--color", "sometimes", "x.gmb"},
                                             {"explain"}}) {
    Result r = gemba(args);
    std::string joined;
    for (const std::string& arg : args) joined += arg + ' ';
    EXPECT_EQ(r.exit_code, 2) << joined;
    EXPECT_FALSE(r.err.empty()) << joined;
  }
}

TEST_F(CliTest, MissingFileExitsWithTwo) {
  Result r = gemba({"check", "missing.gmb"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "gemba: error: cannot read `missing.gmb`: No such file or directory\n");
}

TEST_F(CliTest, CleanFileExitsWithZero) {
  write("clean.gmb", "module clean;\n");
  Result r = gemba({"check", "clean.gmb"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "0 errors, 0 warnings in 1 file\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, ErrorFileExitsWithOne) {
  write_error_file();
  Result r = gemba({"check", "bad.gmb"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("bad.gmb:2:8: error[G0101]: unknown module `no.such.thing`\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    2 | import no.such.thing;\n"), std::string::npos) << r.out;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex("\n[0-9]+ errors?, [0-9]+ warnings? in 1 file\n$")))
      << r.out;
}

TEST_F(CliTest, FolderIsCheckedRecursively) {
  write_error_file();
  write("sub/clean.gmb", "module clean;\n");
  Result r = gemba({"check", "."});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("in 2 files\n"), std::string::npos) << r.out;
}

TEST_F(CliTest, WarningsAloneExitWithZeroUnlessWerror) {
  write_warning_files();
  Result plain = gemba({"check", "warn.gmb", "other.gmb"});
  EXPECT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_NE(plain.out.find("warning[G0102]"), std::string::npos) << plain.out;
  Result strict = gemba({"check", "--werror", "warn.gmb", "other.gmb"});
  EXPECT_EQ(strict.exit_code, 1) << strict.out;
}

TEST_F(CliTest, QuietDropsTheSummary) {
  write("clean.gmb", "module clean;\n");
  Result r = gemba({"check", "--quiet", "clean.gmb"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, ColorFlag) {
  write_error_file();
  EXPECT_EQ(gemba({"check", "--color", "never", "bad.gmb"}).out.find('\x1b'), std::string::npos);
  EXPECT_NE(gemba({"check", "--color=always", "bad.gmb"}).out.find("\x1b["), std::string::npos);
  // Not a terminal: auto means no color.
  EXPECT_EQ(gemba({"check", "bad.gmb"}).out.find('\x1b'), std::string::npos);
}

TEST_F(CliTest, IncludeDirIsSearched) {
  write("main.gmb", "module main;\nimport lib.util;\n");
  write("vendor/lib/util.gmb", "module lib.util;\n");
  Result without = gemba({"check", "main.gmb"});
  EXPECT_NE(without.out.find("G0101"), std::string::npos) << without.out;
  Result with = gemba({"check", "-I", "vendor", "main.gmb"});
  EXPECT_EQ(with.out.find("G0101"), std::string::npos) << with.out;
}

TEST_F(CliTest, DumpAfterParse) {
  write("clean.gmb", "module clean;\n");
  Result r = gemba({"check", "--dump-after=parse", "clean.gmb"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("=== clean.gmb ===\n", 0), 0u) << r.out;
  EXPECT_EQ(gemba({"check", "--dump-after=parse", "--format=json", "clean.gmb"}).exit_code, 2);
}

TEST_F(CliTest, JsonFormat) {
  write_error_file();
  Result text = gemba({"check", "bad.gmb"});
  Result r = gemba({"check", "--format", "json", "bad.gmb"});
  EXPECT_EQ(r.exit_code, 1);
  json out = json::parse(r.out);
  ASSERT_TRUE(out["diagnostics"].is_array());
  EXPECT_EQ(out["version"], 1);
  EXPECT_EQ(out["files_checked"], 1);
  EXPECT_EQ(out["errors"].get<std::size_t>(), count_of(text.out, ": error["));
  EXPECT_EQ(out["warnings"].get<std::size_t>(), count_of(text.out, ": warning["));
  EXPECT_EQ(out["diagnostics"].size(),
            count_of(text.out, ": error[") + count_of(text.out, ": warning["));
  bool found = false;
  for (const json& d : out["diagnostics"]) {
    if (d["code"] == "G0101") {
      found = true;
      EXPECT_EQ(d["file"], "bad.gmb");
      EXPECT_EQ(d["line"], 2);
      EXPECT_EQ(d["column"], 8);
    }
  }
  EXPECT_TRUE(found) << r.out;
}

TEST_F(CliTest, SarifFormat) {
  write_error_file();
  Result text = gemba({"check", "bad.gmb"});
  Result r = gemba({"check", "--format=sarif", "bad.gmb"});
  EXPECT_EQ(r.exit_code, 1);
  json log = json::parse(r.out);
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  const json& run = log["runs"][0];
  std::set<std::string> rule_ids;
  for (const json& rule : run["tool"]["driver"]["rules"]) rule_ids.insert(rule["id"]);
  for (const diag::CodeInfo& code : diag::all_codes()) {
    EXPECT_TRUE(rule_ids.contains(std::string(code.id))) << code.id;
  }
  std::size_t errors = 0;
  for (const json& result : run["results"]) errors += result["level"] == "error" ? 1 : 0;
  EXPECT_EQ(errors, count_of(text.out, ": error["));
  EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "bad.gmb");
}

TEST_F(CliTest, MissingFileWithJsonStillPrintsJson) {
  Result r = gemba({"check", "--format", "json", "missing.gmb"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(json::accept(r.out)) << r.out;
  EXPECT_NE(r.err.find("cannot read `missing.gmb`"), std::string::npos);
}

TEST_F(CliTest, ExplainKnownCode) {
  Result r = gemba({"explain", "G0401"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("G0401 dimension-mismatch (error)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(std::string(diag::info(diag::Code::kDimensionMismatch).summary)),
            std::string::npos);
  EXPECT_EQ(gemba({"explain", "g0401"}).exit_code, 0);
  EXPECT_EQ(gemba({"explain", "dimension-mismatch"}).exit_code, 0);
  EXPECT_NE(gemba({"explain", "G0901"}).out.find("(warning)"), std::string::npos);
}

TEST_F(CliTest, ExplainUnknownCode) {
  Result r = gemba({"explain", "G9999"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown diagnostic code `G9999`"), std::string::npos) << r.err;
}

// ---- Plant models: `check --plants` and `specialize`

class PlantsCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    write("lib/acme/eq.gmb",
          "module acme.eq;\nimport std.units;\nimport std.isa95;\n"
          "equipment class Mixer : Unit { property capacity: kg; signal temperature: degC; }\n");
    write("t/mix.gmb",
          "module t.mix;\nimport std.units;\nimport acme.eq;\n"
          "param batch: kg in 100 kg .. 1000 kg = 400 kg;\n"
          "procedure Mix() uses mixer: Mixer where mixer.capacity >= batch {\n"
          "  step \"Heat\" { await mixer.temperature >= 65 degC within 30 min; }\n}\n");
    const std::string head = "import std.units;\nimport std.isa95;\nimport acme.eq;\n";
    write("plants/us.gmb", "module plants.us;\n" + head +
                               "plant us { timezone \"America/Chicago\"; units lb, degF;\n"
                               "  Site s { Area a { ProcessCell c {\n"
                               "    Mixer m1 { capacity = 1000 lb; temperature <- \"sim://t\"; }\n"
                               "  } } } }\n");
    write("plants/eu.gmb", "module plants.eu;\n" + head +
                               "plant eu { timezone \"Europe/Berlin\"; param batch = 900 kg;\n"
                               "  Site s { Area a { ProcessCell c {\n"
                               "    Mixer m1 { capacity = 500 kg; temperature <- \"sim://t\"; }\n"
                               "  } } } }\n");
  }
};

TEST_F(PlantsCliTest, CheckPrintsTheMatrixAboveTheDiagnostics) {
  Result r = gemba({"check", "--plants", "plants", "-I", "lib", "t"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("template   eu       us\nt/mix.gmb  1 error  ok\n", 0), 0u) << r.out;
  // The error names the plant, the class, and the candidate with its values.
  EXPECT_NE(r.out.find("error[G0801]: no Mixer of plant `eu`"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("`m1`: 500 kg >= 900 kg is false"), std::string::npos) << r.out;
}

TEST_F(PlantsCliTest, JsonGainsTheMatrix) {
  Result r = gemba({"check", "--plants", "plants", "-I", "lib", "--format", "json", "t"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json out = json::parse(r.out);
  ASSERT_TRUE(out["matrix"].is_array()) << r.out;
  ASSERT_EQ(out["matrix"].size(), 2u);
  for (const json& cell : out["matrix"]) {
    EXPECT_EQ(cell["template"], "t/mix.gmb");
    EXPECT_EQ(cell["errors"], cell["plant"] == "eu" ? 1 : 0) << cell;
    EXPECT_EQ(cell["warnings"], 0);
  }
}

TEST_F(PlantsCliTest, SpecializePrintsThePlantsProgram) {
  Result r = gemba({"specialize", "t/mix.gmb", "--plant", "us", "--plants", "plants", "-I", "lib"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("param batch = 881.849049 lb;  // the template's default"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("uses mixer = us.s.a.c.m1 (Mixer)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("await mixer.temperature >= 149 degF within 30 min;"), std::string::npos)
      << r.out;
}

TEST_F(PlantsCliTest, SpecializeNamesTheKnownPlantsForAnUnknownOne) {
  Result r =
      gemba({"specialize", "t/mix.gmb", "--plant", "mars", "--plants", "plants", "-I", "lib"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no plant `mars`"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the plants are: eu, us"), std::string::npos) << r.err;
}

TEST_F(PlantsCliTest, SpecializeReportsWhyAPlantCannotRunTheTemplate) {
  Result r = gemba({"specialize", "t/mix.gmb", "--plant", "eu", "--plants", "plants", "-I", "lib"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("G0801"), std::string::npos) << r.err;
}

TEST_F(PlantsCliTest, TwoPlantFilesCannotNameTheSamePlant) {
  write("plants/eu_copy.gmb",
        "module plants.eu_copy;\nimport std.isa95;\nplant eu { timezone \"Europe/Berlin\"; }\n");
  Result r = gemba({"check", "--plants", "plants", "-I", "lib", "t"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("plants/eu_copy.gmb:3:7: error[G0202]: another plant model is named `eu`"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(count_of(r.out, "\nt/mix.gmb "), 1u) << "one row, and `eu` once in it:\n" << r.out;
}

TEST_F(PlantsCliTest, ABrokenPlantIsNotCheckedTheOthersAre) {
  write("plants/eu.gmb",
        "module plants.eu;\nimport std.isa95;\nplant eu { timezone \"Mars/Olympus\"; }\n");
  Result r = gemba({"check", "--plants", "plants", "-I", "lib", "t"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.rfind("template   eu           us\nt/mix.gmb  not checked  ok\n"
                        "(not checked: the template or the plant model has errors, below)\n",
                        0),
            0u)
      << r.out;
  json out =
      json::parse(gemba({"check", "--plants", "plants", "-I", "lib", "--format", "json", "t"}).out);
  EXPECT_EQ(out["specialization_skipped"], true);
  for (const json& cell : out["matrix"])
    EXPECT_EQ(cell["specialized"], cell["plant"] == "us") << cell;
}

TEST_F(PlantsCliTest, CompileEmitsTheLoweredProgram) {
  write("t/valid.gmb",
        "module t.valid;\nimport std.units;\nimport acme.eq;\n"
        "collect Mixer.temperature every 1 s valid -20 degC .. 200 degC;\n");
  std::vector<std::string> base = {"compile",  "t/valid.gmb", "--plant", "us",
                                   "--plants", "plants",      "-I",      "lib"};
  auto with = [&](const std::string& emit) {
    std::vector<std::string> args = base;
    args.push_back("--emit");
    args.push_back(emit);
    return gemba(args);
  };
  Result listing = with("listing");
  EXPECT_EQ(listing.exit_code, 0) << listing.err;
  // -20 degC and 200 degC, in kelvin: the plant's units do not reach the lowered form.
  EXPECT_NE(listing.out.find("function valid_m1_temperature(%0: real): bool"), std::string::npos)
      << listing.out;
  EXPECT_NE(listing.out.find("const 253.15000000000001"), std::string::npos) << listing.out;
  Result llvm = with("llvm");
  EXPECT_EQ(llvm.exit_code, 0) << llvm.err;
  EXPECT_NE(llvm.out.find("define"), std::string::npos) << llvm.out;
  EXPECT_NE(llvm.out.find("valid_m1_temperature"), std::string::npos) << llvm.out;
  Result assembly = with("asm");
  EXPECT_EQ(assembly.exit_code, 0) << assembly.err;
  EXPECT_NE(assembly.out.find("valid_m1_temperature"), std::string::npos) << assembly.out;
  EXPECT_EQ(with("bitcode").exit_code, 2);
}

TEST_F(PlantsCliTest, CompileCallsAFunctionAndReportsARunTimeFaultAtItsSource) {
  write("t/kpi.gmb",
        "module t.kpi;\nimport std.units;\nimport acme.eq;\n"
        "function ratio(a: real, b: real): real = a / b;\n"
        "param scale: real = 1;  // makes it a template\n");
  auto call = [&](const std::string& text, const std::string& engine) {
    return gemba({"compile", "t/kpi.gmb", "--plant", "us", "--plants", "plants", "-I", "lib",
                  "--call", text, "--engine", engine});
  };
  for (const std::string engine : {"jit", "interp"}) {
    Result ok = call("fn_ratio(3, 4)", engine);
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_EQ(ok.out, "fn_ratio = 0.75\n");
    Result fault = call("fn_ratio(3, 0)", engine);
    EXPECT_EQ(fault.exit_code, 1) << engine;
    EXPECT_TRUE(fault.out.empty()) << fault.out;
    // The `/` of line 4, column 44.
    EXPECT_NE(fault.err.find("t/kpi.gmb:4:44: error[G1001]: division by zero"), std::string::npos)
        << fault.err;
    EXPECT_NE(fault.err.find("in fn_ratio(%0 = 3, %1 = 0)"), std::string::npos) << fault.err;
    Result nan = call("fn_ratio(nan, 1)", engine);
    EXPECT_EQ(nan.exit_code, 1);
    EXPECT_NE(nan.err.find("error[G1001]: a computation gave no number (NaN)"), std::string::npos)
        << nan.err;
  }
  Result unknown = call("fn_nothing(1)", "jit");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no function `fn_nothing`"), std::string::npos) << unknown.err;
  Result bad = call("fn_ratio(3, x)", "jit");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("argument 2 of fn_ratio(%0: real, %1: real): real: `x` is not a real"),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(call("fn_ratio 3", "jit").exit_code, 2);
}

}  // namespace
}  // namespace gemba
