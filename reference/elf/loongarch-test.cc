// The reference's LoongArch pieces, alone: the page rule and the extreme
// model's tail checked by executing the instruction sequence they feed
// (pcalau12i; a sign-extending si12; lu32i.d; lu52i.d; add.d), written
// here from the ISA manual's semantics, over edge and random targets; the
// normal pair's reach at its ±2 GiB edge; the stub's words; the table's
// names.
#include <gtest/gtest.h>

#include <random>

#include "reference/elf/loongarch.h"

namespace jitload::reference::loongarch {
namespace {

uint64_t sx(uint64_t v, unsigned bits) {
  uint64_t m = uint64_t(1) << (bits - 1);
  v &= (uint64_t(1) << bits) - 1;
  return (v ^ m) - m;
}
// pcalau12i rd, si20: rd = (pc & ~0xfff) + sext(si20 << 12).
uint64_t pcalau12i(uint64_t pc, uint64_t si20) { return (pc & ~uint64_t(0xfff)) + sx(si20 << 12, 32); }
// addi.d t, zero, si12; lu32i.d t, si20 (bits 51:32, sign-extended to 63);
// lu52i.d t, t, si12 (bits 63:52).
uint64_t tail(uint64_t lo12, uint64_t lo20, uint64_t hi12) {
  uint64_t t = sx(lo12, 12);
  t = (t & 0xffffffffu) | (sx(lo20, 20) << 32);
  return (t & ((uint64_t(1) << 52) - 1)) | (hi12 << 52);
}

void check_extreme(uint64_t X, uint64_t pc) {
  uint64_t hi = page_hi20(X, pc);
  uint64_t up8 = page_upper32(X, pc), up12 = page_upper32(X, pc);
  uint64_t got = pcalau12i(pc, hi) + tail(X & 0xfff, up8 & 0xfffff, up12 >> 20);
  EXPECT_EQ(got, X) << std::hex << "X=0x" << X << " pc=0x" << pc;
}

TEST(LoongArchPages, ExtremeSequenceReachesEveryTarget) {
  const uint64_t edges[] = {0, 0x7ff, 0x800, 0xfff, 0x1000, 0x7ffff7ff, 0x7ffff800, 0x80000000, 0x800007ff,
                            0x80000800, 0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
                            0xfffffffffffff800, 0xffffffffffffffff, 0x0123456789abcdef, 0xffffffff80000800};
  for (uint64_t X : edges)
    for (uint64_t pc : edges) check_extreme(X, pc & ~uint64_t(3));
  std::mt19937_64 rng(15);
  for (int i = 0; i < 200000; i++) check_extreme(rng(), rng() & ~uint64_t(3));
}

TEST(LoongArchPages, NormalPairReachesTwoGiB) {
  // page_reach is what pcalau12i + a sign-extended low part reach.
  std::mt19937_64 rng(2);
  for (int i = 0; i < 100000; i++) {
    uint64_t pc = rng() >> 1, d = sx(rng(), 31);
    uint64_t X = pc + d;
    EXPECT_EQ(pcalau12i(pc, page_hi20(X, pc)) + sx(X & 0xfff, 12), page_reach(X, pc));
  }
  // The edges: the last page count (2^31 - 4096 with X + 0x800) reaches,
  // one page more does not.
  EXPECT_EQ(page_reach(0x7ffff7ff, 0), 0x7ffff7ffu);
  EXPECT_NE(page_reach(0x7ffff800, 0), 0x7ffff800u);
  EXPECT_EQ(page_reach(uint64_t(-0x80000000ll) + 0x7ff, 0xfff), uint64_t(-0x80000000ll) + 0x7ff);
  EXPECT_NE(page_reach(uint64_t(-0x80000000ll) - 0x801, 0), uint64_t(-0x80000000ll) - 0x801);
}

Outcome run(uint32_t type, uint32_t insn, uint64_t S, uint64_t P, bool wide, uint32_t& out) {
  Fixup f;
  f.row = find_row(type);
  f.S = S;
  f.P = P;
  f.wide = wide;
  uint8_t b[8] = {uint8_t(insn), uint8_t(insn >> 8), uint8_t(insn >> 16), uint8_t(insn >> 24)};
  Outcome o = apply(f, b, 0);
  out = uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
  return o;
}

TEST(LoongArchApply, PcalaHi20RangeAndWide) {
  uint32_t w = 0;
  EXPECT_TRUE(run(71, 0x1a000004, 0x7ffff7ff, 0, false, w).ok);
  EXPECT_EQ(w, 0x1a000004u | (0x7ffffu << 5));  // pcalau12i $a0, 0x7ffff
  Outcome far = run(71, 0x1a000004, 0x7ffff800, 0, false, w);
  EXPECT_FALSE(far.ok);
  EXPECT_EQ(far.kind, ErrorKind::Overflow);
  EXPECT_EQ(w, 0x1a000004u);  // untouched
  EXPECT_TRUE(run(71, 0x1a000004, 0x7ffff800, 0, true, w).ok);  // the extreme tail carries it
  EXPECT_EQ(w, 0x1a000004u | (0x80000u << 5));
}

TEST(LoongArchApply, BranchesAndCall36) {
  uint32_t w = 0;
  EXPECT_TRUE(run(66, 0x54000000, 0x1000 + (1 << 27) - 4, 0x1000, false, w).ok);  // bl, the last word
  EXPECT_EQ(w, 0x54000000u | (0xffffu << 10) | 0x1ffu);
  EXPECT_FALSE(run(66, 0x54000000, 0x1000 + (1 << 27), 0x1000, false, w).ok);
  EXPECT_FALSE(run(64, 0x58000085, 0x1002, 0x1000, false, w).ok);  // misaligned
  EXPECT_TRUE(run(65, 0x40000080, 0x1000 - (1 << 22), 0x1000, false, w).ok);  // beqz, the first word back
  EXPECT_EQ(w, 0x40000080u | 0x10u);
}

TEST(LoongArchTable, StubAndNames) {
  std::vector<uint8_t> s = stub_bytes(8);
  ASSERT_EQ(s.size(), kStubSize);
  EXPECT_EQ(s[0] | s[1] << 8 | s[2] << 16 | uint32_t(s[3]) << 24, 0x1c000014u);  // pcaddu12i $t8, 0
  EXPECT_EQ(type_name(71), "R_LARCH_PCALA_HI20");
  EXPECT_EQ(type_name(110), "R_LARCH_CALL36");
  EXPECT_EQ(type_name(46), "R_LARCH_SOP_POP_32_U");
  EXPECT_EQ(find_row(46), nullptr);  // named, not applied
  EXPECT_EQ(find_row(98), nullptr);  // absolute GD: no rewrite
}

}  // namespace
}  // namespace jitload::reference::loongarch
