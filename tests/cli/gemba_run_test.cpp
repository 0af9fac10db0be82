// `gemba run`: the real binary, a real data directory, scripted answers; interrupted
// runs (out of answers, SIGKILL) resumed by running the same command again.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/shell.h"
#include "tests/support/temp_dir.h"

namespace gemba {
namespace {

using RunResult = testing::ShellResult;
using testing::run_shell;

std::string quote(const std::string& arg) { return testing::shell_quote(arg); }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every answer of a conforming lot at Houston (8 samples), the QA signature last.
std::vector<std::string> conforming_answers() {
  std::vector<std::string> lines = {"# retain samples"};
  for (int k = 0; k < 8; ++k) lines.push_back("yes");
  lines.push_back("# pH, Brix, salt of each sample");
  for (int k = 0; k < 8; ++k) {
    lines.push_back("3.9");
    lines.push_back("30");
    lines.push_back("2 percent");
  }
  lines.push_back("Conforming");
  lines.push_back("Maria Lopez");
  return lines;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class RunCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
#ifndef GEMBA_BINARY
    GTEST_SKIP() << "GEMBA_BINARY is not defined";
#else
    std::string root = GEMBA_SOURCE_DIR;
    dir_.write("quality_check.gmb", read_file(root + "/examples/templates/quality_check.gmb"));
    dir_.write("acme.gmb", read_file(root + "/examples/equipment/acme.gmb"));
    for (const auto& plant : std::filesystem::directory_iterator(root + "/examples/plants")) {
      dir_.write("plants/" + plant.path().filename().string(), read_file(plant.path()));
    }
#endif
  }

  std::string command(const std::string& answers, const std::vector<std::string>& extra = {}) {
#ifdef GEMBA_BINARY
    std::string c = "cd " + quote(dir_.path().string()) + " && " + quote(GEMBA_BINARY) +
                    " run quality_check.gmb acme.gmb --plant houston --plants plants --data data"
                    " --arg product=Ketchup --arg lot=L-2026-0042";
    if (!answers.empty()) c += " --answers " + quote(answers);
    for (const auto& e : extra) c += " " + quote(e);
    return c;
#else
    (void)answers;
    (void)extra;
    return "";
#endif
  }

  RunResult run(const std::vector<std::string>& answers,
                const std::vector<std::string>& extra = {}) {
    return run_shell(command(write_answers(answers), extra) + " </dev/null 2>&1");
  }

  std::string write_answers(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return dir_.write("answers-" + std::to_string(files_++) + ".txt", text).string();
  }

  gemba::testing::TempDir dir_;
  int files_ = 0;
};

TEST_F(RunCommandTest, AScriptedRunCompletes) {
  RunResult r = run(conforming_answers());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Started instance 1 of ReleaseCheck at houston"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("== Retain samples =="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("? Retain sample 1 of 8 of L-2026-0042 labelled? (role lab)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Signature required (role QA): L-2026-0042 released"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("[notify supervisor] L-2026-0042 of Ketchup: highest pH 3.9"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("== procedure complete =="), std::string::npos) << r.out;
}

TEST_F(RunCommandTest, BadAnswersAreExplainedAndAskedAgain) {
  std::vector<std::string> answers = conforming_answers();
  // Before the first yes: a word that is not yes or no; before the first pH: 9.5, above
  // the 2.0 .. 8.0 the script allows; before the appearance, an unknown one.
  answers.insert(answers.begin() + 1, "maybe");
  auto ph = std::find(answers.begin(), answers.end(), "3.9");
  answers.insert(ph, "9.5");
  auto look = std::find(answers.begin(), answers.end(), "Conforming");
  answers.insert(look, "Greenish");
  RunResult r = run(answers);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(count(r.out, "? Retain sample 1 of 8"), 2u) << r.out;
  EXPECT_NE(r.out.find("yes or no"), std::string::npos) << r.out;
  EXPECT_EQ(count(r.out, "? pH of sample 1"), 2u) << r.out;
  EXPECT_NE(r.out.find("8"), std::string::npos);
  EXPECT_NE(r.out.find("Greenish"), std::string::npos);
  EXPECT_NE(r.out.find("Conforming, ColourOff, Separated, ForeignMatter"), std::string::npos)
      << r.out;
}

TEST_F(RunCommandTest, OutOfAnswersWaitsAndTheSameCommandResumes) {
  std::vector<std::string> all = conforming_answers();
  std::vector<std::string> first(all.begin(), all.begin() + 12);  // 8 yes + 2 pH answers
  RunResult a = run(first);
  EXPECT_EQ(a.exit_code, 4) << a.out;
  EXPECT_NE(a.out.find("No more answers"), std::string::npos) << a.out;
  RunResult b = run(all);
  EXPECT_EQ(b.exit_code, 0) << b.out;
  EXPECT_NE(b.out.find("Resuming instance 1 of ReleaseCheck"), std::string::npos) << b.out;
  // The lines answered before are not read again: no retain question in the second run.
  EXPECT_EQ(b.out.find("Retain sample"), std::string::npos) << b.out;
  EXPECT_NE(b.out.find("== procedure complete =="), std::string::npos) << b.out;
}

TEST_F(RunCommandTest, SigkilledRunResumesWhereItWas) {
#ifdef GEMBA_BINARY
  std::vector<std::string> all = conforming_answers();
  std::vector<std::string> first(all.begin(), all.begin() + 15);
  std::string file = write_answers(first);
  std::string log = (dir_.path() / "killed.log").string();
  // The run answers from the file, then waits on a pipe that never types: kill it there.
  int in[2];
  ASSERT_EQ(pipe(in), 0);
  pid_t child = fork();
  if (child == 0) {
    dup2(in[0], STDIN_FILENO);
    close(in[1]);
    FILE* out = std::fopen(log.c_str(), "w");
    dup2(fileno(out), STDOUT_FILENO);
    dup2(fileno(out), STDERR_FILENO);
    if (chdir(dir_.path().c_str()) != 0) _exit(126);
    execl(GEMBA_BINARY, "gemba", "run", "quality_check.gmb", "acme.gmb", "--plant", "houston",
          "--plants", "plants", "--data", "data", "--arg", "product=Ketchup", "--arg",
          "lot=L-2026-0042", "--answers", file.c_str(), nullptr);
    _exit(127);
  }
  close(in[0]);
  // 8 retain answers and 5 measurements: the 14th question waits.
  for (int k = 0; k < 800 && count(read_file(log), "\n? ") < 14; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(in[1]);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(count(read_file(log), "\n? "), 14u) << read_file(log);

  RunResult b = run(all);
  EXPECT_EQ(b.exit_code, 0) << b.out;
  EXPECT_NE(b.out.find("Resuming instance 1"), std::string::npos) << b.out;
  EXPECT_EQ(b.out.find("? Retain sample"), std::string::npos) << b.out;
  EXPECT_EQ(count(b.out, "? pH of sample"), 6u) << b.out;  // samples 3..8
#endif
}

TEST_F(RunCommandTest, ARunningInstanceKeepsItsVersionWhenTheTemplateIsEdited) {
  std::vector<std::string> all = conforming_answers();
  RunResult a = run({"yes"});
  EXPECT_EQ(a.exit_code, 4) << a.out;
  std::string text = read_file(dir_.path() / "quality_check.gmb");
  auto at = text.find("pH of sample {i}");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 16, "pH (new meter) of sample {i}");
  dir_.write("quality_check.gmb", text);
  RunResult b = run(all);
  EXPECT_EQ(b.exit_code, 0) << b.out;
  EXPECT_NE(b.out.find("? pH of sample 1"), std::string::npos) << b.out;
  EXPECT_EQ(b.out.find("new meter"), std::string::npos) << b.out;
  // A new run starts on the edited version; --new starts one beside an unfinished one.
  RunResult c = run({"yes"});
  EXPECT_NE(c.out.find("Started instance 2"), std::string::npos) << c.out;
  RunResult d = run({"yes", "yes"}, {"--new"});
  EXPECT_NE(d.out.find("Started instance 3"), std::string::npos) << d.out;
  RunResult e = run({"status"});  // without --new: the newest unfinished one, instance 3
  EXPECT_NE(e.out.find("Resuming instance 3"), std::string::npos) << e.out;
}

TEST_F(RunCommandTest, MissingArgumentsAndUnknownPlantsAreUsageErrors) {
#ifdef GEMBA_BINARY
  std::string base = "cd " + quote(dir_.path().string()) + " && " + quote(GEMBA_BINARY) +
                     " run quality_check.gmb acme.gmb --plants plants --data data";
  RunResult r = run_shell(base + " --plant houston --arg product=Ketchup </dev/null 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("ReleaseCheck needs --arg 'product="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--arg 'lot="), std::string::npos) << r.out;
  r = run_shell(base + " --plant paris --arg product=K --arg lot=L </dev/null 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("no plant `paris`"), std::string::npos) << r.out;
#endif
}

}  // namespace
}  // namespace gemba
