// The harness's per-architecture registry: a type number is read with its
// machine, class and byte order from the object's own header.
#include "fuzz/arch/invariants.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "fuzz/harness.h"

namespace jitload::fuzz {
namespace {

std::vector<uint8_t> header(uint8_t cls, uint8_t data, uint16_t machine) {
  std::vector<uint8_t> h(64, 0);
  std::memcpy(h.data(), "\x7f" "ELF", 4);
  h[4] = cls, h[5] = data, h[6] = 1;
  if (data == 1) h[18] = uint8_t(machine), h[19] = uint8_t(machine >> 8);
  else h[18] = uint8_t(machine >> 8), h[19] = uint8_t(machine);
  return h;
}

const ArchInvariants* arch_of(const std::vector<uint8_t>& h) {
  auto id = read_ident(h.data(), h.size());
  return id ? find_arch(*id) : nullptr;
}

TEST(FuzzArchRegistry, X86_64TypesAreX86_64s) {
  const ArchInvariants* a = arch_of(header(2, 1, 62));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "x86-64");
  auto pc32 = a->simple_field(2);
  ASSERT_TRUE(pc32);
  EXPECT_EQ(pc32->width, 4u);
  EXPECT_TRUE(pc32->pc_relative);
  EXPECT_FALSE(a->simple_field(261));
}

// On ARM (ELF32, EM_ARM = 40) and MIPS (EM_MIPS = 8, big-endian) 1, 2 and
// 10 are other relocations: no registry entry, so no x86 check of them.
TEST(FuzzArchRegistry, UnknownMachinesGetNoX86Checks) {
  EXPECT_EQ(arch_of(header(1, 1, 40)), nullptr);
  EXPECT_EQ(arch_of(header(1, 2, 8)), nullptr);
  EXPECT_EQ(arch_of(header(2, 2, 62)), nullptr);  // x86-64 is little-endian only
}

TEST(FuzzArchRegistry, AArch64BothByteOrders) {
  const ArchInvariants* le = arch_of(header(2, 1, 183));
  const ArchInvariants* be = arch_of(header(2, 2, 183));
  ASSERT_NE(le, nullptr);
  ASSERT_NE(be, nullptr);
  EXPECT_EQ(le->name, "aarch64");
  EXPECT_EQ(be->name, "aarch64_be");
  EXPECT_FALSE(le->simple_field(2));  // not R_X86_64_PC32 here
  auto prel32 = be->simple_field(261);
  ASSERT_TRUE(prel32);
  EXPECT_TRUE(prel32->pc_relative);
  EXPECT_EQ(be->simple_field(259)->width, 2u);  // ABS16
  EXPECT_FALSE(le->simple_field(283));          // CALL26: an instruction field, left to the differential
}

TEST(FuzzArchRegistry, FieldsReadInTheObjectsByteOrder) {
  const uint8_t b[4] = {0x12, 0x34, 0x56, 0x78};
  EXPECT_EQ(read_field(b, 4, true), 0x78563412u);
  EXPECT_EQ(read_field(b, 4, false), 0x12345678u);
  EXPECT_EQ(read_field(b, 2, false), 0x1234u);
}

TEST(FuzzArchRegistry, BadIdentIsNoArch) {
  auto h = header(3, 1, 62);
  EXPECT_FALSE(read_ident(h.data(), h.size()));
  h = header(2, 0, 62);
  EXPECT_FALSE(read_ident(h.data(), h.size()));
  EXPECT_FALSE(read_ident(h.data(), 10));
}

// The harness on an object of a machine the engine does not load (yet):
// a clean rejection, no finding, nothing checked.
TEST(FuzzArchRegistry, HarnessOnAnUnknownMachineFindsNothing) {
  auto h = header(1, 1, 40);
  Verdict v = check_object(h.data(), h.size());
  EXPECT_FALSE(v.loaded);
  EXPECT_TRUE(v.finding.empty());
  EXPECT_EQ(v.checked, 0u);
}

}  // namespace
}  // namespace jitload::fuzz
