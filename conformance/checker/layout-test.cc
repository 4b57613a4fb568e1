// place_sections: llvm-rtdyld -verify's placement rule.
#include <gtest/gtest.h>

#include "conformance/checker/rtdyld-loader.h"

namespace jitload::checker {
namespace {

std::vector<u64> place(std::vector<PlacementBlock> blocks, u64 start = 4096, u64 end = ~u64(0), u64 sep = 0) {
  auto r = place_sections(blocks, start, end, sep);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? *r : std::vector<u64>{};
}

TEST(PlaceSections, BackToBackFromStart) {
  EXPECT_EQ(place({{0x1000, {}}, {0x1000, {}}, {0x2000, {}}}), (std::vector<u64>{0x1000, 0x2000, 0x3000}));
}

TEST(PlaceSections, Separation) {
  EXPECT_EQ(place({{0x1000, {}}, {0x1000, {}}}, 4096, ~u64(0), 0x100),
            (std::vector<u64>{0x1000, 0x2100}));
  EXPECT_EQ(place({{0x1000, {}}, {0x1000, {}}}, 0, ~u64(0), u64(1) << 32),
            (std::vector<u64>{0, 0x100001000}));
}

TEST(PlaceSections, AroundFixedBlocks) {
  // A fixed block at 0x3000: the first free block fits before it, the
  // second does not fit in the gap and goes after it.
  EXPECT_EQ(place({{0x1000, {}}, {0x1000, 0x3000}, {0x2000, {}}}),
            (std::vector<u64>{0x1000, 0x3000, 0x4000}));
  // With a separation the gap must hold the block and the separation.
  EXPECT_EQ(place({{0x1000, 0x2800}, {0x1000, {}}}, 0x1000, ~u64(0), 0x800),
            (std::vector<u64>{0x2800, 0x1000}));
  EXPECT_EQ(place({{0x1000, 0x2800}, {0x1000, {}}}, 0x1000, ~u64(0), 0x801),
            (std::vector<u64>{0x2800, 0x4001}));
}

// llvm-rtdyld would drop a block to just after a fixed block lying below
// -target-addr-start; we keep every placed block at or above the start.
TEST(PlaceSections, FixedBlockBelowStartDoesNotPullBlocksDown) {
  EXPECT_EQ(place({{0x1000, 0}, {0x1000, {}}}, 0x10000), (std::vector<u64>{0, 0x10000}));
}

TEST(PlaceSections, EndIsEnforced) {
  EXPECT_EQ(place({{0x1000, {}}}, 0x1000, 0x1fff), (std::vector<u64>{0x1000}));
  auto r = place_sections(std::vector<PlacementBlock>{{0x1000, {}}, {0x1000, {}}}, 0x1000, 0x2ffe, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("-target-addr-end 0x2ffe"), std::string::npos);
}

TEST(PlaceSections, TopOfTheAddressSpace) {
  auto r = place_sections(std::vector<PlacementBlock>{{0x1000, {}}}, ~u64(0) - 10, ~u64(0), 0);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("no room"), std::string::npos);
}

}  // namespace
}  // namespace jitload::checker
