#include "runtime/center/tokens.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace gemba::center {
namespace {

std::string error_of(std::string_view text) {
  std::string error;
  EXPECT_FALSE(Tokens::parse(text, "tokens.txt", &error));
  return error;
}

TEST(CenterTokens, ReadsPlantsAndTokens) {
  std::string error;
  auto tokens = Tokens::parse(
      "# plant token\n\nhouston 0123456789abcdef0123\n  austin\tzyxwvutsrqponmlk  \r\n  # indented\n",
      "tokens.txt", &error);
  ASSERT_TRUE(tokens) << error;
  EXPECT_EQ(tokens->size(), 2u);
  ASSERT_NE(tokens->plant_of("0123456789abcdef0123"), nullptr);
  EXPECT_EQ(*tokens->plant_of("0123456789abcdef0123"), "houston");
  ASSERT_NE(tokens->plant_of("zyxwvutsrqponmlk"), nullptr);
  EXPECT_EQ(*tokens->plant_of("zyxwvutsrqponmlk"), "austin");
  EXPECT_EQ(tokens->plant_of("0123456789abcdef012"), nullptr);  // a prefix
  EXPECT_EQ(tokens->plant_of("0123456789abcdef01234"), nullptr);
  EXPECT_EQ(tokens->plant_of(""), nullptr);
}

TEST(CenterTokens, ErrorsNameFileLineAndProblem) {
  EXPECT_EQ(error_of("houston\n"), "tokens.txt:1: plant `houston` has no token; write `plant token`");
  EXPECT_EQ(error_of("# x\nhouston short\n"),
            "tokens.txt:2: plant `houston`: the token is 5 characters; a token has at least 16");
  EXPECT_EQ(error_of("houston aaaaaaaaaaaaaaaa\nhouston bbbbbbbbbbbbbbbb\n"),
            "tokens.txt:2: duplicate plant `houston` (first at line 1)");
  EXPECT_EQ(error_of("houston aaaaaaaaaaaaaaaa\naustin aaaaaaaaaaaaaaaa\n"),
            "tokens.txt:2: plant `austin` has the same token as line 1; each plant needs its own");
  EXPECT_EQ(error_of("houston aaaaaaaaaaaaaaaa extra\n"),
            "tokens.txt:1: plant `houston`: 3 fields; expected `plant token` (a token has no spaces)");
  EXPECT_EQ(error_of("hou/ston aaaaaaaaaaaaaaaa\n"),
            "tokens.txt:1: `hou/ston` is not a plant name (1 to 64 letters, digits, `_`, `-` or `.`)");
  EXPECT_EQ(error_of("houston aaaaaaaaaaaaaaa\xc3\xa9\n"),
            "tokens.txt:1: plant `houston`: the token has a character that is not printable ASCII");
  EXPECT_EQ(error_of("# nothing\n\n"), "tokens.txt: no `plant token` line: no plant could post");
}

TEST(CenterTokens, ReportsEveryBadLine) {
  EXPECT_EQ(error_of("a\nb bbbbbbbbbbbbbbbb\nc short\n"),
            "tokens.txt:1: plant `a` has no token; write `plant token`\n"
            "tokens.txt:3: plant `c`: the token is 5 characters; a token has at least 16");
}

TEST(CenterTokens, LoadsAFile) {
  gemba::testing::TempDir dir;
  auto file = dir.write("tokens", "houston 0123456789abcdef\n");
  std::string error;
  auto tokens = Tokens::load(file, &error);
  ASSERT_TRUE(tokens) << error;
  EXPECT_EQ(*tokens->plant_of("0123456789abcdef"), "houston");
  EXPECT_FALSE(Tokens::load(dir.path() / "missing", &error));
  EXPECT_NE(error.find("cannot read the tokens file"), std::string::npos);
  auto bad = dir.write("bad", "houston\n");
  EXPECT_FALSE(Tokens::load(bad, &error));
  EXPECT_EQ(error, bad.string() + ":1: plant `houston` has no token; write `plant token`");
}

}  // namespace
}  // namespace gemba::center
