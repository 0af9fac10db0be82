#include "compiler/diag/closest_name.h"

#include <gtest/gtest.h>

namespace gemba::diag {
namespace {

TEST(EditDistanceTest, Basics) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("std.units", "std.unit"), 1u);
  EXPECT_EQ(edit_distance("std.units", "std.untis"), 2u);
}

TEST(ClosestNameTest, SuggestsANearName) {
  EXPECT_EQ(closest_name("std.unit", {"std.kpi", "std.units"}), "std.units");
  EXPECT_EQ(closest_name("plant.mixr", {"plant.mixer", "plant.oven"}), "plant.mixer");
}

TEST(ClosestNameTest, NothingWhenTooFar) {
  EXPECT_EQ(closest_name("abc", {"xyz"}), std::nullopt);
  EXPECT_EQ(closest_name("recipes", {"std.units"}), std::nullopt);
  EXPECT_EQ(closest_name("a", {}), std::nullopt);
}

TEST(ClosestNameTest, OneEditAllowedForShortNames) {
  EXPECT_EQ(closest_name("ab", {"ac"}), "ac");
  EXPECT_EQ(closest_name("ab", {"cd"}), std::nullopt);
}

TEST(ClosestNameTest, NeverSuggestsTheNameItself) {
  EXPECT_EQ(closest_name("abc", {"abc"}), std::nullopt);
}

TEST(ClosestNameTest, TiesGoToTheSmallestName) {
  EXPECT_EQ(closest_name("ab.cd", {"ab.ce", "ab.cc"}), "ab.cc");
  EXPECT_EQ(closest_name("ab.cd", {"ab.cc", "ab.ce"}), "ab.cc");
}

}  // namespace
}  // namespace gemba::diag
