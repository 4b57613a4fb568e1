#include "engine/loader/core/symbol-map.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jitload {
namespace {

TEST(SymbolMap, InsertFindAndKeepFirst) {
  SymbolMap m;
  EXPECT_EQ(m.find("main"), nullptr);  // empty: no probe array yet
  auto [v, inserted] = m.insert("main", 7);
  ASSERT_TRUE(inserted);
  EXPECT_EQ(*v, 7u);
  auto [v2, again] = m.insert("main", 9);
  EXPECT_FALSE(again);  // present: the first value stays, the slot is returned
  EXPECT_EQ(*v2, 7u);
  *v2 = 11;
  ASSERT_NE(m.find("main"), nullptr);
  EXPECT_EQ(*m.find("main"), 11u);
  EXPECT_EQ(m.find("mai"), nullptr);
  EXPECT_EQ(m.find("main2"), nullptr);
  EXPECT_EQ(m.find(""), nullptr);
  EXPECT_EQ(m.size(), 1u);
}

// Names that differ only in their last bytes (the hash's tail), and growth
// through several rehashes with and without a reservation.
TEST(SymbolMap, ManyNamesAcrossGrowth) {
  for (size_t reserve : {size_t(0), size_t(5000)}) {
    std::vector<std::string> names;
    for (int i = 0; i < 5000; i++) names.push_back("function_" + std::to_string(i) + std::string(size_t(i % 9), 'x'));
    SymbolMap m;
    if (reserve) m.reserve(reserve);
    for (size_t i = 0; i < names.size(); i++) EXPECT_TRUE(m.insert(names[i], u32(i)).second);
    EXPECT_EQ(m.size(), names.size());
    for (size_t i = 0; i < names.size(); i++) {
      const u32* v = m.find(names[i]);
      ASSERT_NE(v, nullptr) << names[i];
      EXPECT_EQ(*v, u32(i));
    }
    EXPECT_EQ(m.find("function_5000"), nullptr);
    EXPECT_EQ(m.find("function_1"), nullptr);     // its name ends in one x
    EXPECT_EQ(m.find("function_0x"), nullptr);    // and this one in none
  }
}

// Every short length (the hash reads a 1-7 byte tail in overlapping loads
// or single bytes), names that differ in one byte at each position, and the
// same bytes at another length: each is its own key, found as inserted,
// and a view into a longer buffer reads nothing past its end.
TEST(SymbolMap, ShortNamesDifferingInAnyByte) {
  std::vector<std::string> names;
  for (size_t len = 1; len <= 17; len++)
    for (size_t pos = 0; pos < len; pos++)
      for (char c : {'a', 'b'}) {
        std::string n(len, 'q');
        n[pos] = c;
        names.push_back(n);
      }
  SymbolMap m;
  size_t inserted = 0;
  for (size_t i = 0; i < names.size(); i++) inserted += m.insert(names[i], u32(i)).second;
  // A name repeats only where it is the same string (never across lengths).
  for (size_t i = 0; i < names.size(); i++) {
    const u32* v = m.find(names[i]);
    ASSERT_NE(v, nullptr) << names[i];
    EXPECT_EQ(names[*v], names[i]);
  }
  EXPECT_EQ(m.size(), inserted);
  EXPECT_EQ(inserted, names.size());  // all distinct: the one changed byte is never a 'q'
  const std::string buffer = "qqqqqqqa-and-more";
  EXPECT_EQ(m.find(std::string_view(buffer).substr(0, 8)), m.find("qqqqqqqa"));
  EXPECT_EQ(m.find(std::string_view(buffer).substr(0, 7)), m.find("qqqqqqq"));  // not inserted
  EXPECT_EQ(m.find("qqqqqqq"), nullptr);
}

}  // namespace
}  // namespace jitload
