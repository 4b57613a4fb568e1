// The reference's RISC-V encoders and value rules, alone: each encoder
// against the encoding llvm-mc 19 gives for the same instruction and
// immediate (`llvm-mc -triple=riscv64 -mattr=+c -show-encoding`), the
// hi/lo split, the stub, XLEN wrapping, and the ranges at their edges.
#include <gtest/gtest.h>

#include "reference/elf/riscv.h"

namespace jitload::reference::riscv {
namespace {

TEST(RiscvEncoders, MatchTheAssembler) {
  // B-type: beq a0, a1 / bne t0, t1 with the immediate zeroed, then placed.
  EXPECT_EQ(put_b(0x00b50063u, 4094), 0x7eb50fe3u);
  EXPECT_EQ(put_b(0x00b50063u, uint64_t(-4096)), 0x80b50063u);
  EXPECT_EQ(put_b(0x00629063u, 0x800), 0x006290e3u);
  // J-type: jal ra / jal zero.
  EXPECT_EQ(put_j(0x000000efu, 1048574), 0x7ffff0efu);
  EXPECT_EQ(put_j(0x000000efu, uint64_t(-1048576)), 0x800000efu);
  EXPECT_EQ(put_j(0x0000006fu, 74564), 0x3441206fu);
  // CB: c.beqz a0 / c.bnez s1.
  EXPECT_EQ(put_cb(0xc101, 254), 0xcd7d);
  EXPECT_EQ(put_cb(0xe081, uint64_t(-256)), 0xf081);
  EXPECT_EQ(put_cb(0xc101, 42), 0xc50d);
  // CJ: c.j.
  EXPECT_EQ(put_cj(0xa001, 2046), 0xaffd);
  EXPECT_EQ(put_cj(0xa001, uint64_t(-2048)), 0xb001);
  EXPECT_EQ(put_cj(0xa001, 1366), 0xab99);
  // S-type: sw a1, imm(a0) / sd s0, imm(sp).
  EXPECT_EQ(put_s(0x00b52023u, uint64_t(-2048)), 0x80b52023u);
  EXPECT_EQ(put_s(0x00b52023u, 2047), 0x7eb52fa3u);
  EXPECT_EQ(put_s(0x00813023u, 677), 0x2a8132a3u);
  // U-type and I-type: auipc t0, 0x12345; addi a0, a0, -1.
  EXPECT_EQ(put_u(0x00000297u, 0x12345), 0x12345297u);
  EXPECT_EQ(put_i(0x00050513u, 0xfff), 0xfff50513u);
  // Other bits are kept: an encoder only touches its immediate.
  EXPECT_EQ(put_b(0xffffffffu, 0) , 0x01fff07fu);
  EXPECT_EQ(put_j(0xffffffffu, 0), 0x00000fffu);
  EXPECT_EQ(put_cj(0xffff, 0), 0xe003);
  EXPECT_EQ(put_cb(0xffff, 0), 0xe383);
}

TEST(RiscvEncoders, HiLoSplitRoundsForTheSignedLow) {
  EXPECT_EQ(hi20(0x12345fff), 0x12346u);  // lo = -1
  EXPECT_EQ(lo12(0x12345fff), 0xfffu);
  EXPECT_EQ(hi20(0x123457ff), 0x12345u);
  EXPECT_EQ(hi20(0x7ffff7ff), 0x7ffffu);
  EXPECT_EQ(hi20(uint64_t(-1)), 0u);  // -1 = (0 << 12) + (-1)
  for (uint64_t x : {uint64_t(0x1800), uint64_t(0x7ff), uint64_t(0x800), uint64_t(-0x801), uint64_t(0x7ffff7ff)}) {
    int64_t hi = int64_t(int32_t(uint32_t(hi20(x) << 12)));
    int64_t lo = int64_t(lo12(x) ^ 0x800) - 0x800;
    EXPECT_EQ(uint64_t(hi + lo), x) << x;
  }
}

TEST(RiscvStub, LoadsItsTargetWordOfTheClassSize) {
  std::vector<uint8_t> s64 = stub_bytes(8), s32 = stub_bytes(4);
  ASSERT_EQ(s64.size(), kStubSize);
  ASSERT_EQ(s32.size(), kStubSize);
  const uint8_t auipc[] = {0x17, 0x0e, 0x00, 0x00}, ld[] = {0x03, 0x3e, 0x0e, 0x01}, lw[] = {0x03, 0x2e, 0x0e, 0x01},
                jr[] = {0x67, 0x00, 0x0e, 0x00};
  EXPECT_TRUE(std::equal(auipc, auipc + 4, s64.begin()));
  EXPECT_TRUE(std::equal(ld, ld + 4, s64.begin() + 4));
  EXPECT_TRUE(std::equal(lw, lw + 4, s32.begin() + 4));
  EXPECT_TRUE(std::equal(jr, jr + 4, s64.begin() + 8));
  EXPECT_EQ(kStubTargetAt, 16u);  // ld/lw t3, 16(t3) from the auipc's own address
}

Outcome value_of(uint32_t type, uint64_t S, uint64_t A, uint64_t P, unsigned xlen, bool stub = false) {
  Fixup f;
  f.row = find_row(type);
  f.S = S, f.A = A, f.P = P, f.xlen = xlen;
  f.has_stub = stub;
  f.L = P + 0x100;
  return value(f);
}

TEST(RiscvValue, RangesAtTheirEdges) {
  const uint64_t P = 0x10000;
  EXPECT_TRUE(value_of(16, P + 4094, 0, P, 64).ok);   // BRANCH
  EXPECT_FALSE(value_of(16, P + 4096, 0, P, 64).ok);
  EXPECT_TRUE(value_of(16, P - 4096, 0, P, 64).ok);
  EXPECT_FALSE(value_of(16, P + 4093, 0, P, 64).ok);  // odd: misaligned
  EXPECT_TRUE(value_of(17, P + 0xffffe, 0, P, 64).ok);  // JAL
  EXPECT_FALSE(value_of(17, P + 0x100000, 0, P, 64).ok);
  EXPECT_TRUE(value_of(44, P + 254, 0, P, 64).ok);    // RVC_BRANCH
  EXPECT_FALSE(value_of(44, P + 256, 0, P, 64).ok);
  EXPECT_TRUE(value_of(45, P + 2046, 0, P, 64).ok);   // RVC_JUMP
  EXPECT_FALSE(value_of(45, P + 2048, 0, P, 64).ok);
  EXPECT_TRUE(value_of(26, 0x7ffff7ff, 0, 0, 64).ok); // HI20
  EXPECT_FALSE(value_of(26, 0x7ffff800, 0, 0, 64).ok);
  EXPECT_TRUE(value_of(26, uint64_t(-0x80000800ll), 0, 0, 64).ok);
  EXPECT_FALSE(value_of(26, uint64_t(-0x80000801ll), 0, 0, 64).ok);
  EXPECT_TRUE(value_of(1, 0xffffffff, 0, 0, 64).ok);  // 32
  EXPECT_FALSE(value_of(1, 0x100000000, 0, 0, 64).ok);
  EXPECT_TRUE(value_of(57, P + 0x7fffffff, 0, P, 64).ok);  // 32_PCREL
  EXPECT_FALSE(value_of(57, P + 0x80000000, 0, P, 64).ok);
}

TEST(RiscvValue, CallsUseTheirStubOnlyBeyondReachAndWithoutAddend) {
  const uint64_t P = 0x10000, far = 0x7f0000000000;
  Outcome near = value_of(19, P + 0x1000, 0, P, 64, true);
  EXPECT_TRUE(near.ok);
  EXPECT_EQ(near.via, "direct");
  Outcome viastub = value_of(19, far, 0, P, 64, true);
  EXPECT_TRUE(viastub.ok);
  EXPECT_EQ(viastub.via, "stub");
  EXPECT_EQ(viastub.value, 0x100u);
  EXPECT_EQ(viastub.effective, far);
  EXPECT_FALSE(value_of(19, far, 8, P, 64, true).ok);  // the stub reaches S, not S + 8
  EXPECT_FALSE(value_of(19, far, 0, P, 64, false).ok);
}

TEST(RiscvValue, Rv32WrapsModulo2To32) {
  // A branch from near the top of the address space to near its bottom.
  Outcome o = value_of(16, 0x10, 0, 0xfffffff0, 32);
  EXPECT_TRUE(o.ok) << o.why;
  EXPECT_EQ(o.value, 0x20u);
  // An auipc/jalr call reaches any RV32 address, without a stub.
  Outcome c = value_of(19, 0xf0000000, 0, 0x10000, 32);
  EXPECT_TRUE(c.ok);
  EXPECT_EQ(c.via, "direct");
  // The same on RV64 is beyond reach.
  EXPECT_FALSE(value_of(16, 0x10, 0, 0xfffffff0, 64).ok);
}

TEST(RiscvApply, LabelArithmeticAndUleb128) {
  std::vector<uint8_t> b = {0x7a, 0x00, 0x00, 0x00, 0xc5, 0x80, 0x80, 0x00};
  Fixup f;
  f.row = find_row(35);  // ADD32: V + S + A
  f.S = 0x100;
  f.A = 3;
  ASSERT_TRUE(apply(f, b, 0).ok);
  EXPECT_EQ(b[0], 0x7a + 0x103 - 0x100);
  EXPECT_EQ(b[1], 0x01);
  f.row = find_row(39);  // SUB32
  f.S = 0x103;
  f.A = 0;
  ASSERT_TRUE(apply(f, b, 0).ok);
  EXPECT_EQ(b[0], 0x7a);
  EXPECT_EQ(b[1], 0x00);
  f.row = find_row(53);  // SET6: the top two bits kept
  f.S = 0x47;
  ASSERT_TRUE(apply(f, b, 4).ok);
  EXPECT_EQ(b[4], 0xc7);
  f.row = find_row(60);  // SET_ULEB128 with its SUB's S + A
  f.S = 0x10000 + 0x1234;
  f.sub_S_A = 0x10000;
  ASSERT_EQ(uleb_length(b, 5), 3u);
  ASSERT_TRUE(apply(f, b, 5).ok);
  EXPECT_EQ(b[5], 0x80 | 0x34);
  EXPECT_EQ(b[6], 0x80 | 0x24);
  EXPECT_EQ(b[7], 0x00);
  f.S = 0x10000 + (1u << 21);  // does not fit three bytes: nothing written
  Outcome o = apply(f, b, 5);
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(b[5], 0x80 | 0x34);
}

}  // namespace
}  // namespace jitload::reference::riscv
