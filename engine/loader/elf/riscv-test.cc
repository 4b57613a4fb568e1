// RISC-V relocations, RV64 (ELFCLASS64) and RV32 (ELFCLASS32): objects
// assembled (llvm-mc-19) or compiled (clang-19) at test time, loaded for a
// simulated target at addresses the test chooses, and the patched bytes
// decoded — and, for compiled C, compared byte for byte with what ld.lld-19
// (--no-relax) writes when it places the same sections at the same
// addresses: the native link is the oracle.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "engine/loader/core/encode.h"
#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

class Resolver final : public SymbolResolver {
 public:
  std::map<std::string, u64, std::less<>> map;
  std::optional<u64> lookup(std::string_view name) override {
    auto it = map.find(name);
    if (it == map.end()) return std::nullopt;
    return it->second;
  }
};

const char* triple(bool rv64) { return rv64 ? "riscv64" : "riscv32"; }

struct Target {
  PlainMemoryManager memory;
  Resolver resolver;
  RuntimeDyld dyld{memory, &resolver};
  std::vector<u8> object;
  std::string diag;

  Target(bool rv64, const std::string& source, std::map<std::string, u64, std::less<>> externs = {},
         const std::string& attrs = "") {
    resolver.map = std::move(externs);
    object = testing::assemble(source, &diag, std::string(triple(rv64)) + (attrs.empty() ? "" : " -mattr=" + attrs));
  }
  Error load(u64 base = 0x10000000, u64 step = 0x10000) {
    if (object.empty()) return Error(ErrorKind::Malformed, "assembly failed: " + diag);
    dyld.enable_outcomes(true);
    auto info = dyld.load_object(object, "test.o");
    if (!info) return info.take_error();
    return map(base, step);
  }
  Error map(u64 base, u64 step) {
    auto secs = dyld.sections();
    for (u32 id = 0; id < secs.size(); id++)
      if (secs[id].kind != SectionKind::Tls && secs[id].kind != SectionKind::TlsBss)
        if (Error e = dyld.map_section_address(id, base + step * id)) return e;
    return Error::success();
  }
  const LoadedSection& section(std::string_view name) {
    for (const LoadedSection& s : dyld.sections())
      if (s.name == name) return s;
    static LoadedSection none;
    ADD_FAILURE() << "no section " << name;
    return none;
  }
  u64 addr(std::string_view sym) { return dyld.get_symbol(sym)->address; }
  u32 insn(std::string_view sec, u64 off) { return load_le<u32>(section(sec).local + off); }
  u16 parcel(std::string_view sec, u64 off) { return load_le<u16>(section(sec).local + off); }
};

i64 sext(u64 v, unsigned bits) { return i64(v << (64 - bits)) >> (64 - bits); }
// Decoders of the immediates the loader writes.
i64 u_imm(u32 w) { return sext(w & 0xfffff000u, 32); }
i64 i_imm(u32 w) { return sext(w >> 20, 12); }
i64 s_imm(u32 w) { return sext(((w >> 25) << 5) | ((w >> 7) & 0x1f), 12); }
i64 b_imm(u32 w) {
  return sext(((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 0x3f) << 5) | (((w >> 8) & 0xf) << 1), 13);
}
i64 j_imm(u32 w) {
  return sext(((w >> 31) << 20) | (((w >> 12) & 0xff) << 12) | (((w >> 20) & 1) << 11) | (((w >> 21) & 0x3ff) << 1), 21);
}
i64 cb_imm(u16 w) {
  return sext((((w >> 12) & 1) << 8) | (((w >> 5) & 3) << 6) | (((w >> 2) & 1) << 5) | (((w >> 10) & 3) << 3) |
                  (((w >> 3) & 3) << 1), 9);
}
i64 cj_imm(u16 w) {
  return sext((((w >> 12) & 1) << 11) | (((w >> 8) & 1) << 10) | (((w >> 9) & 3) << 8) | (((w >> 6) & 1) << 7) |
                  (((w >> 7) & 1) << 6) | (((w >> 2) & 1) << 5) | (((w >> 11) & 1) << 4) | (((w >> 3) & 7) << 1), 12);
}
// AUIPC/LUI + a 12-bit immediate: the value the pair builds.
i64 hi_lo(u32 hi, i64 lo) { return u_imm(hi) + lo; }

// Renumbers every relocation of `from` to `to` in an object's RELA tables
// (little-endian, ELF32 or ELF64): for malformed pairings llvm-mc refuses
// to write.
void renumber(std::vector<u8>& o, u32 from, u32 to) {
  const bool is64 = o[4] == 2;
  const u64 shoff = is64 ? load_le<u64>(&o[40]) : load_le<u32>(&o[32]);
  const u16 shnum = load_le<u16>(&o[is64 ? 60 : 48]);
  const u64 shsz = is64 ? 64 : 40;
  for (u16 i = 0; i < shnum; i++) {
    const u8* sh = &o[shoff + i * shsz];
    if (load_le<u32>(sh + 4) != 4) continue;  // SHT_RELA
    const u64 off = is64 ? load_le<u64>(sh + 24) : load_le<u32>(sh + 16);
    const u64 size = is64 ? load_le<u64>(sh + 32) : load_le<u32>(sh + 20);
    const u64 esz = is64 ? 24 : 12;
    for (u64 at = off; at + esz <= off + size; at += esz) {
      u8* info = &o[at + (is64 ? 8 : 4)];
      if (is64 && load_le<u32>(info) == from) store_le<u32>(info, to);
      if (!is64 && info[0] == from) info[0] = u8(to);
    }
  }
}

class RiscV : public ::testing::TestWithParam<bool> {};  // true: RV64
INSTANTIATE_TEST_SUITE_P(Classes, RiscV, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& i) { return std::string(i.param ? "RV64" : "RV32"); });

TEST_P(RiscV, RegistryHasBothClasses) {
  Target t(GetParam(), ".text\nnop\n");
  ASSERT_FALSE(t.object.empty()) << t.diag;
  EXPECT_EQ(t.object[4], GetParam() ? 2 : 1);  // ELFCLASS64 / ELFCLASS32
  Error err = t.load();
  EXPECT_FALSE(err) << err.message();
}

TEST_P(RiscV, AbsoluteHiLoAndData) {
  Target t(GetParam(), R"(
    .text
    lui a0, %hi(v)
    addi a0, a0, %lo(v)
    lui a1, %hi(v+0x7ff)
    sw a2, %lo(v+0x7ff)(a1)
    .data
    .zero 16
v:  .word 0
    .word v + 4
  )");
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  const u64 v = t.addr("v");
  EXPECT_EQ(hi_lo(t.insn(".text", 0), i_imm(t.insn(".text", 4))), i64(v));
  EXPECT_EQ(hi_lo(t.insn(".text", 8), s_imm(t.insn(".text", 12))), i64(v + 0x7ff));
  EXPECT_EQ(load_le<u32>(t.section(".data").local + 20), u32(v + 4));
}

TEST_P(RiscV, PcrelLowPairsWithTheHiOnItsLabelsInstruction) {
  // The %pcrel_lo comes first in the section and the table; its label's
  // AUIPC later: paired by place, not by order or symbol.
  Target t(GetParam(), R"(
    .text
    .globl f
f:  j 1f
2:  addi a0, a0, %pcrel_lo(1f)
    sw a1, %pcrel_lo(1f)(a0)
    ret
1:  auipc a0, %pcrel_hi(v)
    j 2b
3:  auipc a2, %pcrel_hi(v + 8)
    lw a3, %pcrel_lo(3b)(a2)
    .data
    .zero 0x900
v:  .word 1
  )");
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  const u64 text = t.section(".text").target, v = t.addr("v");
  // f: j(0) addi(4) sw(8) ret(12, c.jr? no: 4 bytes) auipc(16) j(20) auipc(24) lw(28)
  const u32 auipc = t.insn(".text", 16);
  EXPECT_EQ(u_imm(auipc) + i_imm(t.insn(".text", 4)), i64(v - (text + 16)));
  EXPECT_EQ(u_imm(auipc) + s_imm(t.insn(".text", 8)), i64(v - (text + 16)));
  EXPECT_EQ(u_imm(t.insn(".text", 24)) + i_imm(t.insn(".text", 28)), i64(v + 8 - (text + 24)));
}

TEST_P(RiscV, PcrelLowWithoutItsHiIsAnErrorNamingIt) {
  Target t(GetParam(), R"(
    .text
1:  auipc a0, %pcrel_hi(v)
    addi a0, a0, %pcrel_lo(1b)
    .data
v:  .word 1
  )");
  ASSERT_FALSE(t.object.empty()) << t.diag;
  renumber(t.object, 23, 0);  // PCREL_HI20 -> NONE
  Error err = t.load();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("R_RISCV_PCREL_LO12_I"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("carries no PCREL_HI20"), std::string::npos) << err.message();
}

TEST_P(RiscV, GotSlotPerSymbol) {
  const bool rv64 = GetParam();
  const std::string ld = rv64 ? "ld" : "lw";
  Target t(rv64, R"(
    .text
1:  auipc a0, %got_pcrel_hi(ext)
    )" + ld + R"( a0, %pcrel_lo(1b)(a0)
2:  auipc a1, %got_pcrel_hi(ext)
    )" + ld + R"( a1, %pcrel_lo(2b)(a1)
3:  auipc a2, %got_pcrel_hi(other)
    )" + ld + R"( a2, %pcrel_lo(3b)(a2)
  )", {{"ext", 0x12345678}, {"other", 0x23456780}});
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  const u64 text = t.section(".text").target;
  const LoadedSection& got = t.section("<got>");
  EXPECT_EQ(got.size, rv64 ? 16u : 8u);  // two symbols, two slots
  auto slot = [&](u64 at) { return text + at + u_imm(t.insn(".text", at)) + i_imm(t.insn(".text", at + 4)); };
  EXPECT_EQ(slot(0), slot(8));
  EXPECT_NE(slot(0), slot(16));
  auto word = [&](u64 a) { return rv64 ? load_le<u64>(got.local + (a - got.target)) : load_le<u32>(got.local + (a - got.target)); };
  EXPECT_EQ(word(slot(0)), 0x12345678u);
  EXPECT_EQ(word(slot(16)), 0x23456780u);
}

TEST_P(RiscV, BranchesJumpsAndCompressed) {
  Target t(GetParam(), R"(
    .text
    .globl a
a:  beq a0, a1, far
l1: jal ra, far
l2: c.beqz a0, near
l3: c.j near
    nop
near:
    nop
    .zero 0x700
far:
    ret
  )", {}, "+c");
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  const u64 text = t.section(".text").target;
  const u64 near = t.addr("near") , far = t.addr("far");
  const u64 l1 = t.addr("l1") - text, l2 = t.addr("l2") - text, l3 = t.addr("l3") - text;
  EXPECT_EQ(l1, 4u);  // beq stays 4 bytes; RV32 may make the jal a c.jal
  EXPECT_EQ(b_imm(t.insn(".text", 0)), i64(far - text));
  if (l2 - l1 == 4) EXPECT_EQ(j_imm(t.insn(".text", l1)), i64(far - (text + l1)));
  else EXPECT_EQ(cj_imm(t.parcel(".text", l1)), i64(far - (text + l1)));
  EXPECT_EQ(cb_imm(t.parcel(".text", l2)), i64(near - (text + l2)));
  EXPECT_EQ(cj_imm(t.parcel(".text", l3)), i64(near - (text + l3)));
}

TEST_P(RiscV, BranchOutOfRangeNamesTheRelocation) {
  Target t(GetParam(), R"(
    .text
    .insn b BRANCH, 0, a0, a1, ext
    .insn j JAL, ra, ext2
  )", {{"ext", 0x10000000 + 0x2000}, {"ext2", 0x10000000 + 0x200000}});
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("2 relocations could not be applied"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("R_RISCV_BRANCH"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("R_RISCV_JAL"), std::string::npos) << err.message();
}

TEST_P(RiscV, CallsDirectAndThroughAStub) {
  const bool rv64 = GetParam();
  // RV32: every address is below 4 GiB, and AUIPC wraps: no stub is needed.
  const u64 far = rv64 ? 0x7000000000ull : 0xf0000000ull;
  Target t(rv64, R"(
    .text
    call near
    call far
    tail far
  )", {{"near", 0x10000000 + 0x123456}, {"far", far}});
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  const u64 text = t.section(".text").target;
  auto reach = [&](u64 at) { return u64(text + at + u_imm(t.insn(".text", at)) + i_imm(t.insn(".text", at + 4))); };
  EXPECT_EQ(reach(0), 0x10000000u + 0x123456u);
  if (!rv64) {
    EXPECT_EQ(u32(reach(8)), u32(far));  // modulo 2^32, as the machine computes
    return;
  }
  const LoadedSection& stubs = t.section("<stubs>");
  const u64 stub = reach(8);
  ASSERT_GE(stub, stubs.target);
  ASSERT_LT(stub, stubs.target + stubs.size);
  EXPECT_EQ(reach(16), stub);  // one stub per symbol
  EXPECT_EQ(load_le<u64>(stubs.local + (stub - stubs.target) + 16), far);
  EXPECT_EQ(t.dyld.outcomes(0)[1].via, RelocationOutcome::Via::Stub);
  EXPECT_EQ(t.dyld.outcomes(0)[0].via, RelocationOutcome::Via::Direct);
  const u8* code = stubs.local + (stub - stubs.target);
  EXPECT_EQ(load_le<u32>(code), 0x00000e17u);      // auipc t3, 0
  EXPECT_EQ(load_le<u32>(code + 4), 0x010e3e03u);  // ld t3, 16(t3)
  EXPECT_EQ(load_le<u32>(code + 8), 0x000e0067u);  // jr t3
}

TEST(RiscVRange, Hi20AndCallWithAddendBeyond2GiBAreErrors) {
  Target t(true, R"(
    .text
    lui a0, %hi(far)
    .reloc ., R_RISCV_CALL_PLT, far + 4
    auipc ra, 0
    jalr ra, 0(ra)
  )", {{"far", 0x7000000000ull}});
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("R_RISCV_HI20"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("R_RISCV_CALL_PLT"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("out of range"), std::string::npos) << err.message();
}

TEST(RiscVRange, Rv32WordIsModulo2To32) {
  // reference.h "RISC-V": on RV32 R_RISCV_32 is the machine's word, S + A
  // modulo 2^32 (RV64 checks [-2^31, 2^32)).
  Target t(false, R"(
    .data
    .word ext + 4
  )", {{"ext", 0xfffffffcull}});
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  EXPECT_EQ(load_le<u32>(t.section(".data").local), 0u);
}

TEST_P(RiscV, LabelDifferencesAcrossSectionsSurviveAResolveAgain) {
  // ADD/SUB pairs (and SET/SUB ULEB128) at one field: the field computed
  // from the file's bytes, so a second resolve after a remap gives the
  // same answer as a first one would.
  // Under relaxation the distance across a call is not known to the
  // assembler: it leaves ADD/SUB and SET/SUB_ULEB128 pairs.
  Target t(GetParam(), R"(
    .text
a:  call ext
    .zero 0x30
b:  nop
    .data
    .byte b - a
    .2byte b - a
    .4byte b - a
    .8byte b - a
    .uleb128 b - a
    .uleb128 b - a + 0x4000
  )", {{"ext", 0x1000}}, "+relax");
  ASSERT_FALSE(t.load(0x10000000, 0x10000));
  for (int round = 0; round < 2; round++) {
    if (round) ASSERT_FALSE(t.map(0x20000000, 0x300000));
    Error err = t.dyld.resolve_relocations();
    ASSERT_FALSE(err) << err.message();
    const u64 d = t.addr("b") - t.addr("a");
    ASSERT_EQ(d, 0x38u);
    const u8* p = t.section(".data").local;
    EXPECT_EQ(p[0], u8(d)) << round;
    EXPECT_EQ(load_le<u16>(p + 1), u16(d)) << round;
    EXPECT_EQ(load_le<u32>(p + 3), u32(d)) << round;
    EXPECT_EQ(load_le<u64>(p + 7), d) << round;
    // .uleb128: in the length the assembler reserved (one byte for 0x38,
    // three for 0x4038).
    EXPECT_EQ(p[15], u8(d)) << round;
    EXPECT_EQ(p[16], u8(0x80 | (d & 0x7f))) << round;
    EXPECT_EQ(p[17], u8(0x80 | ((d + 0x4000) >> 7 & 0x7f))) << round;
    EXPECT_EQ(p[18], u8((d + 0x4000) >> 14)) << round;
  }
}

TEST_P(RiscV, EntriesOnOneFieldComposeWhenOthersLieBetweenThem) {
  // reference.h "RISC-V": label arithmetic on one field composes in table
  // order whether or not the entries are adjacent (ld and lld apply each as
  // a read-modify-write of the field); two runs interleaved here, one of
  // three entries. (corpora/object-bytes/regressions/rv-add-sub-not-adjacent.o)
  Target t(GetParam(), R"(
    .text
f:  nop
g:  nop
h:  ret
    .data
d:  .word 0x100
e:  .word 0x7
    .reloc d, R_RISCV_ADD32, h
    .reloc e, R_RISCV_ADD32, g
    .reloc d, R_RISCV_SUB32, f
    .reloc e, R_RISCV_SUB32, f
    .reloc d, R_RISCV_ADD32, g
  )");
  ASSERT_FALSE(t.load(0x10000000, 0x10000));
  for (int round = 0; round < 2; round++) {
    if (round) ASSERT_FALSE(t.map(0x20000000, 0x300000));  // a resolve again writes from the file's fields
    Error err = t.dyld.resolve_relocations();
    ASSERT_FALSE(err) << err.message();
    const u8* p = t.section(".data").local;
    EXPECT_EQ(load_le<u32>(p), u32(0x100 + t.addr("h") - t.addr("f") + t.addr("g"))) << round;
    EXPECT_EQ(load_le<u32>(p + 4), u32(0x7 + t.addr("g") - t.addr("f"))) << round;
  }
  // Another width on the same place is an overlap, not a run.
  Target w(GetParam(), R"(
    .text
f:  nop
    .data
d:  .word 0
e:  .word 0
    .reloc d, R_RISCV_ADD32, f
    .reloc e, R_RISCV_32, f
    .reloc d, R_RISCV_SUB16, f
  )");
  Error err = w.load();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("relocation R_RISCV_SUB16 at file offset"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("its field overlaps that of R_RISCV_ADD32"), std::string::npos) << err.message();
}

TEST_P(RiscV, CallPcrelDataSetsAndGot32) {
  // Types clang-19 emits rarely or not at all, written with .reloc: CALL
  // (the deprecated twin of CALL_PLT), GOT32_PCREL, PLT32, 32_PCREL, SET8/
  // 16/32, and SET6/SUB6 and SET8/SUB8 runs (DW_CFA_advance_loc's forms).
  Target t(GetParam(), R"(
    .text
f:  .reloc ., R_RISCV_CALL, g
    auipc ra, 0
    jalr ra, 0(ra)
    .zero 0x1c
g:  nop
    .data
    .reloc ., R_RISCV_GOT32_PCREL, ext
    .word 0
    .reloc ., R_RISCV_PLT32, ext
    .word 0
    .reloc ., R_RISCV_32_PCREL, g
    .word 0
    .reloc ., R_RISCV_SET8, g
    .byte 0
    .reloc ., R_RISCV_SET16, g
    .half 0
    .reloc ., R_RISCV_SET32, g
    .word 0
    .reloc ., R_RISCV_SET6, g
    .reloc ., R_RISCV_SUB6, f
    .byte 0xc0
    .reloc ., R_RISCV_SET8, g
    .reloc ., R_RISCV_SUB8, f
    .byte 0
    .reloc ., R_RISCV_SUB6, f
    .byte 0xff
    .reloc ., R_RISCV_PLT32, farfn
    .word 0
  )", {{"ext", 0x10001000}, {"farfn", 0x10003000ull}});
  ASSERT_FALSE(t.load());
  for (int round = 0; round < 2; round++) {  // a second resolve writes the same bytes
    Error err = t.dyld.resolve_relocations();
    ASSERT_FALSE(err) << err.message();
    const u64 text = t.section(".text").target, g = t.addr("g");
    const LoadedSection& data = t.section(".data");
    const u8* p = data.local;
    EXPECT_EQ(text + u_imm(t.insn(".text", 0)) + i_imm(t.insn(".text", 4)), g);
    const LoadedSection& got = t.section("<got>");
    const u64 slot = data.target + i32(load_le<u32>(p));
    ASSERT_GE(slot, got.target);
    EXPECT_EQ(GetParam() ? load_le<u64>(got.local + (slot - got.target)) : load_le<u32>(got.local + (slot - got.target)),
              0x10001000u);
    EXPECT_EQ(data.target + 4 + i32(load_le<u32>(p + 4)), 0x10001000u);  // PLT32: in reach, direct
    EXPECT_EQ(data.target + 8 + i32(load_le<u32>(p + 8)), g);
    EXPECT_EQ(p[12], u8(g));
    EXPECT_EQ(load_le<u16>(p + 13), u16(g));
    EXPECT_EQ(load_le<u32>(p + 15), u32(g));
    EXPECT_EQ(p[19], 0xc0 | 0x24) << round;  // g - f = 0x24, the top two bits kept
    EXPECT_EQ(p[20], 0x24) << round;
    EXPECT_EQ(p[21], 0xc0 | ((0x3f - (t.addr("f") & 0x3f)) & 0x3f)) << round;  // a lone SUB6 from the file's bits
    const u64 plt = data.target + 22 + i32(load_le<u32>(p + 22));
    EXPECT_EQ(plt, 0x10003000u);
  }
}

TEST(RiscVRange, Plt32BeyondTwoGiBIsAnErrorNotAStub) {
  // reference.h "RISC-V": PLT32 is S + A - P, never through a stub.
  Target t(true, R"(
    .data
    .reloc ., R_RISCV_PLT32, farfn
    .word 0
  )", {{"farfn", 0x7000000000ull}});
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("R_RISCV_PLT32 out of range"), std::string::npos) << err.message();
}

TEST_P(RiscV, ARunWhoseFirstFailsLeavesItsFieldAndHealsOnTheNextResolve) {
  Target t(GetParam(), R"(
    .text
a:  nop
    .data
    .reloc ., R_RISCV_ADD32, later
    .reloc ., R_RISCV_SUB32, a
    .word 0x11
  )");
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("2 relocations could not be applied"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("R_RISCV_SUB32 is not applied: the relocation before it at this field was not"),
            std::string::npos) << err.message();
  EXPECT_EQ(load_le<u32>(t.section(".data").local), 0x11u);  // untouched
  t.resolver.map["later"] = 0x10005000;
  err = t.dyld.resolve_relocations();
  ASSERT_FALSE(err) << err.message();
  EXPECT_EQ(load_le<u32>(t.section(".data").local), u32(0x11 + 0x10005000 - t.addr("a")));
  // A remap after which the first fails again: its follower must not
  // subtract a second time from the field the last resolve wrote.
  t.resolver.map.erase("later");
  ASSERT_FALSE(t.map(0x20000000, 0x10000));
  err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("R_RISCV_SUB32 is not applied"), std::string::npos) << err.message();
  EXPECT_EQ(load_le<u32>(t.section(".data").local), u32(0x11 + 0x10005000 - 0x10000000));  // as the last resolve left it
}

TEST(RiscVRelax, AlignPaddingStaysValidNops) {
  // With relaxation the assembler pads .p2align with NOPs and an
  // R_RISCV_ALIGN naming their size: nothing is deleted, the NOPs stay.
  Target t(true, R"(
    .text
    call ext
    .p2align 4
    .globl after
after:
    ret
  )", {{"ext", 0x10000000 + 0x100}}, "+relax");
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  const u64 text = t.section(".text").target;
  const u64 after = t.addr("after") - text;
  ASSERT_GT(after, 8u);  // the call, then padding
  for (u64 at = 8; at < after; at += 4) EXPECT_EQ(t.insn(".text", at), 0x00000013u) << at;  // nop
  EXPECT_EQ(u64(text + u_imm(t.insn(".text", 0)) + i_imm(t.insn(".text", 4))), 0x10000100u);
}

TEST_P(RiscV, TlsLocalExecInitialExecAndRewrites) {
  const bool rv64 = GetParam();
  const std::string ld = rv64 ? "ld" : "lw";
  Target t(rv64, R"(
    .text
    lui a0, %tprel_hi(x)
    add a0, a0, tp, %tprel_add(x)
    addi a0, a0, %tprel_lo(x)
1:  auipc a1, %tls_ie_pcrel_hi(y)
    )" + ld + R"( a1, %pcrel_lo(1b)(a1)
2:  auipc a0, %tls_gd_pcrel_hi(y)
    addi a0, a0, %pcrel_lo(2b)
    call __tls_get_addr@plt
3:  auipc a0, %tlsdesc_hi(x)
    )" + ld + R"( a1, %tlsdesc_load_lo(3b)(a0)
    addi a0, a0, %tlsdesc_add_lo(3b)
    jalr t0, 0(a1), %tlsdesc_call(3b)
    sw a1, %tprel_lo(y)(a0)
    .section .tbss,"awT",@nobits
    .zero 0x10
x:  .zero 4
    .zero 0x1000
y:  .zero 4
  )");
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  const LoadedSection& tbss = t.section(".tbss");
  const i64 x = i64(tbss.target) + 0x10, y = i64(tbss.target) + 0x1014;  // TP offsets
  EXPECT_EQ(hi_lo(t.insn(".text", 0), i_imm(t.insn(".text", 8))), x);
  EXPECT_EQ(t.insn(".text", 4), 0x00450533u);  // add a0, a0, tp: untouched
  // Initial exec: a GOT slot holding y's TP offset.
  const u64 text = t.section(".text").target;
  const LoadedSection& got = t.section("<got>");
  const u64 slot = text + 12 + u_imm(t.insn(".text", 12)) + i_imm(t.insn(".text", 16));
  ASSERT_GE(slot, got.target);
  EXPECT_EQ(rv64 ? i64(load_le<u64>(got.local + (slot - got.target))) : i64(i32(load_le<u32>(got.local + (slot - got.target)))), y);
  // General dynamic: lui a0; addi a0, a0; add a0, a0, tp; nop.
  EXPECT_EQ(t.insn(".text", 20) & 0xfff, 0x537u);  // lui a0
  EXPECT_EQ(hi_lo(t.insn(".text", 20), i_imm(t.insn(".text", 24))), y);
  EXPECT_EQ(t.insn(".text", 24) & 0xfffff, 0x50513u);  // addi a0, a0
  EXPECT_EQ(t.insn(".text", 28), 0x00450533u);
  EXPECT_EQ(t.insn(".text", 32), 0x00000013u);
  // Descriptor, short form (x's TP offset fits 12 bits, as ld.lld-19
  // picks): nop; nop; nop; addi a0, zero, x.
  ASSERT_LT(x, 2048);
  EXPECT_EQ(t.insn(".text", 36), 0x00000013u);
  EXPECT_EQ(t.insn(".text", 40), 0x00000013u);
  EXPECT_EQ(t.insn(".text", 44), 0x00000013u);
  EXPECT_EQ(t.insn(".text", 48) & 0xfffff, 0x00513u);
  EXPECT_EQ(i_imm(t.insn(".text", 48)), x);
  EXPECT_EQ(s_imm(t.insn(".text", 52)), sext(u64(y) & 0xfff, 12));  // TPREL_LO12_S
}

TEST_P(RiscV, TlsGeneralDynamicLowOnAForeignInstructionFailsAlone) {
  // The %pcrel_lo of a TLS_GD_HI20 on a load, not an ADDI: no local-exec
  // form is defined for it; it fails naming its own type, the rest applies.
  Target t(GetParam(), R"(
    .text
2:  auipc a0, %tls_gd_pcrel_hi(y)
    lw a0, %pcrel_lo(2b)(a0)
    lui a1, %tprel_hi(y)
    .section .tbss,"awT",@nobits
y:  .zero 4
  )");
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("relocation R_RISCV_PCREL_LO12_I"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("is not on the instruction its TLS sequence has there"), std::string::npos)
      << err.message();
  EXPECT_EQ(t.insn(".text", 0) & 0xfff, 0x537u);  // the AUIPC still became lui a0
}

TEST_P(RiscV, TlsTypeOnAnOrdinarySymbolIsRefused) {
  Target t(GetParam(), R"(
    .text
    lui a0, %hi(v)
    .data
v:  .word 0
  )");
  ASSERT_FALSE(t.object.empty()) << t.diag;
  renumber(t.object, 26, 29);  // HI20 -> TPREL_HI20 on an ordinary variable
  Error err = t.load();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("R_RISCV_TPREL_HI20"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("not thread-local"), std::string::npos) << err.message();
}

TEST(RiscVMalformed, BadTypesAndRunsAreRefusedNamingTheRelocation) {
  const char* diff = R"(
    .text
a:  call ext
    .zero 0x30
b:  nop
    .data
    .uleb128 b - a
  )";
  auto load = [](std::vector<u8> o) {
    PlainMemoryManager memory;
    Resolver resolver;
    resolver.map["ext"] = 0x1000;
    RuntimeDyld dyld{memory, &resolver};
    auto info = dyld.load_object(o, "bad.o");
    return info ? std::string() : info.error().message();
  };
  {  // a type number above 255 (ELF64's r_info has room for one)
    Target t(true, ".data\n.word v\nv: .word 0\n");
    ASSERT_FALSE(t.object.empty()) << t.diag;
    renumber(t.object, 1, 0x8121);
    std::string m = load(t.object);
    EXPECT_NE(m.find("type 0x121"), std::string::npos) << m;
    EXPECT_EQ(m.find("R_RISCV_ADD8"), std::string::npos) << m;  // never one of the loader's own forms' names
  }
  {  // SET_ULEB128 without its SUB_ULEB128
    Target t(true, diff, {}, "+relax");
    ASSERT_FALSE(t.object.empty()) << t.diag;
    renumber(t.object, 61, 0);
    std::string m = load(t.object);
    EXPECT_NE(m.find("R_RISCV_SET_ULEB128"), std::string::npos) << m;
    EXPECT_NE(m.find("is not followed by its SUB_ULEB128"), std::string::npos) << m;
  }
  {  // a ULEB128 whose continuation bits run past its section's end
    Target t(true, diff, {}, "+relax");
    ASSERT_FALSE(t.object.empty()) << t.diag;
    // .data (the one PROGBITS section with SHF_WRITE|SHF_ALLOC) holds the
    // one byte 0x38: make it 0xb8 (continued); the section ends there.
    std::vector<u8>& o = t.object;
    const u64 shoff = load_le<u64>(&o[40]);
    bool found = false;
    for (u16 i = 0; i < load_le<u16>(&o[60]); i++) {
      const u8* sh = &o[shoff + i * 64];
      if (load_le<u32>(sh + 4) == 1 && load_le<u64>(sh + 8) == 3 && load_le<u64>(sh + 32) == 1) {
        u8& byte = o[load_le<u64>(sh + 24)];
        ASSERT_EQ(byte, 0x38);
        byte = 0xb8;
        found = true;
      }
    }
    ASSERT_TRUE(found);
    std::string m = load(t.object);
    EXPECT_NE(m.find("ULEB128 that does not end inside its section"), std::string::npos) << m;
  }
}

// Objects with a few bytes changed at random (fixed seeds) load or are
// refused, and resolve or fail, without a crash — run under the sanitize
// preset, without a write outside the loader's memory.
TEST(RiscVMalformed, RandomByteChangesNeverCrash) {
  const char* src = R"(
    extern int ext_var; extern int ext_fn(int);
    __thread int tv = 3; static int arr[8];
    int f(int i) { return arr[i & 7] + ext_var + ext_fn(i) + tv; }
    int sw(int x) { switch (x) { case 0: return 1; case 1: return 7; case 2: return 9; case 3: return 4; default: return 0; } }
  )";
  u32 state = 12345;
  auto rnd = [&]() { return state = state * 1103515245u + 12345u, state >> 8; };
  for (const char* flags : {"--target=riscv64-linux-gnu -O2 -fPIC", "--target=riscv32-unknown-elf -O2 -mrelax",
                            "--target=riscv64-linux-gnu -O0 -g -mrelax"}) {
    std::string diag;
    std::vector<u8> obj = testing::compile(src, flags, false, &diag);
    ASSERT_FALSE(obj.empty()) << diag;
    int loaded = 0;
    for (int i = 0; i < 300; i++) {
      std::vector<u8> o = obj;
      for (u32 k = 0, n = 1 + rnd() % 4; k < n; k++) o[rnd() % o.size()] = u8(rnd());
      PlainMemoryManager memory;
      Resolver resolver;
      resolver.map["ext_var"] = 0x10002000;
      resolver.map["ext_fn"] = 0x10001000;
      RuntimeDyld dyld{memory, &resolver};
      dyld.enable_outcomes(true);
      auto info = dyld.load_object(o, "m.o");
      if (!info) continue;
      loaded++;
      auto secs = dyld.sections();
      for (u32 id = 0; id < secs.size(); id++)
        if (secs[id].kind != SectionKind::Tls && secs[id].kind != SectionKind::TlsBss)
          (void)dyld.map_section_address(id, 0x10100000 + 0x10000ull * id);
      (void)dyld.resolve_relocations();
      (void)dyld.resolve_relocations();
    }
    EXPECT_GT(loaded, 0) << flags;
  }
}

// ---- code run under qemu-riscv64-static / qemu-riscv32-static --------------

// A freestanding runner, RV64 or RV32 (no C library: none is installed
// for either here): it reads records {address, size, bytes} from stdin, maps
// and fills each, then sets tp and calls the entry, exiting with its low
// byte. The loader's stubs and TLS rewrites run, not only their bytes.
const char* kRunner = R"(
typedef unsigned long long u64;  /* the image's words, on RV32 too */
typedef unsigned long uptr;
static long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c, a3 __asm__("a3") = d,
                a4 __asm__("a4") = e, a5 __asm__("a5") = f, a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7) : "memory");
  return a0;
}
static unsigned char buf[1 << 22];
static void die(int code) { sys6(93, code, 0, 0, 0, 0, 0); for (;;) {} }
int run(void) {
  u64 n = 0;
  for (;;) {
    long r = sys6(63, 0, (long)(buf + n), (long)(sizeof buf - n), 0, 0, 0);
    if (r < 0) die(200);
    if (r == 0) break;
    n += r;
  }
  u64 at = 0;
  for (;;) {
    u64 addr = *(u64*)(buf + at), size = *(u64*)(buf + at + 8);
    at += 16;
    if (!addr) break;
    uptr page = (uptr)addr & ~(uptr)0xfff, len = (((uptr)(addr + size) + 0xfff) & ~(uptr)0xfff) - page;
    /* mmap (RV32: mmap2, the same number, offset 0 either way) */
    if (sys6(222, (long)page, (long)len, 7, 0x32, -1, 0) != (long)page) die(201);
    for (u64 i = 0; i < size; i++) ((unsigned char*)(uptr)addr)[i] = buf[at + i];
    at += (size + 7) & ~7ULL;
  }
  u64 entry = *(u64*)(buf + at), tp = *(u64*)(buf + at + 8);
  __asm__ volatile("fence.i" ::: "memory");
  __asm__ volatile("mv tp, %0" :: "r"((uptr)tp));
  die(((int (*)(void))(uptr)entry)() & 0xff);
  return 0;
}
__asm__(".globl _start\n_start:\n  call run\n");
)";

TEST_P(RiscV, CompiledCRunsUnderQemu) {
  const bool rv64 = GetParam();
  const std::string qemu = rv64 ? "qemu-riscv64-static" : "qemu-riscv32-static";
  const std::string target = rv64 ? "--target=riscv64-linux-gnu" : "--target=riscv32-unknown-elf";
  if (testing::run("command -v " + qemu + " > /dev/null") != 0)
    GTEST_SKIP() << qemu << " is not installed (qemu-user-static, ci/setup): loaded code cannot be run here "
                 << "(the conformance files still check the same relocations byte by byte)";
  const std::string dir = testing::temp_dir();
  std::ofstream(dir + "/runner.c") << kRunner;
  std::string out;
  ASSERT_EQ(testing::run(std::string(JITLOAD_CLANG) + " " + target + " -O2 -ffreestanding -nostdlib -static "
                         "-fno-pic --ld-path=/usr/bin/ld.lld-19 " + dir + "/runner.c -o " + dir + "/runner 2>&1", &out), 0)
      << out;
  // ext_fn returns 42; on RV64 it is 12 GiB away (through a stub).
  const char* src = R"(
    extern int ext_fn(int);
    __thread int tv = 5; static __thread int tz; __thread char tb[64];
    static int table[8] = {3, 1, 4, 1, 5, 9, 2, 6};
    static int sw(int x) { switch (x) { case 0: return 7; case 1: return 2; case 2: return 8; case 3: return 1; case 4: return 4; default: return 3; } }
    int entry(void) {
      tz += 2; tb[9] = 4;
      int s = 0;
      for (int i = 0; i < 8; i++) s += table[i] * sw(i);
      return s + ext_fn(3) + tv + tz + tb[9];
    }
  )";
  const int want = (3 * 7 + 1 * 2 + 4 * 8 + 1 * 1 + 5 * 4 + 9 * 3 + 2 * 3 + 6 * 3 + 42 + 5 + 2 + 4) & 0xff;
  const u64 far = rv64 ? 0x300000000ull : 0x30000000ull, tls_block = 0x2f000000;
  for (std::string flags : {"-O2 -fno-pic", "-O0 -fno-pic -mno-relax", "-O2 -fPIC", "-O2 -fPIC -mtls-dialect=desc",
                            "-O2 -fPIC -ftls-model=initial-exec", "-O1 -fno-pic -mcmodel=medany",
                            "-O3 -fno-pic -mcmodel=medlow -mno-relax"}) {
    std::string diag;
    std::vector<u8> obj = testing::compile(src, target + " " + flags, false, &diag);
    ASSERT_FALSE(obj.empty()) << diag;
    PlainMemoryManager memory;
    Resolver resolver;
    resolver.map["ext_fn"] = far;
    RuntimeDyld dyld{memory, &resolver};
    dyld.enable_outcomes(true);
    auto info = dyld.load_object(obj, "c.o");
    ASSERT_TRUE(info) << flags << ": " << info.error().message();
    ASSERT_FALSE(testing::map_sections_apart(dyld, 0x20000000));
    ASSERT_LT(0x20000000 + 0x10000ull * dyld.sections().size(), tls_block) << flags;
    Error err = dyld.resolve_relocations();
    ASSERT_FALSE(err) << flags << ": " << err.message();
    bool via_stub = false;
    for (const RelocationOutcome& o : dyld.outcomes(0)) via_stub |= o.via == RelocationOutcome::Via::Stub;
    EXPECT_EQ(via_stub, rv64) << flags;
    const std::vector<u8> image = testing::runner_image(dyld, tls_block, dyld.get_symbol("entry")->address,
                                                        {{far, {0x13, 0x05, 0xa0, 0x02, 0x67, 0x80, 0x00, 0x00}}});  // ext_fn: li a0, 42; ret
    std::ofstream(dir + "/image.bin", std::ios::binary).write(reinterpret_cast<const char*>(image.data()), image.size());
    const int status = testing::run(qemu + " " + dir + "/runner < " + dir + "/image.bin");
    EXPECT_EQ(status, want) << flags;
  }
}

// ---- ELF32 headers: the class's layout, and its checks at its offsets ------

TEST(RiscVElf32, MalformedHeadersAreRefusedWithOffsets) {
  Target base(false, ".text\nnop\n.data\n.word v\nv: .word 1\n");
  ASSERT_FALSE(base.object.empty()) << base.diag;
  struct Case {
    u64 at;
    u16 value;
    u64 offset;
    const char* message;
  };
  for (const Case& c : {Case{40, 64, 40, "e_ehsize is 64, expected 52"}, Case{46, 64, 46, "e_shentsize is 64, expected 40"},
                        Case{50, 0, 50, "e_shstrndx 0 does not name a string table"}}) {
    std::vector<u8> o = base.object;
    store_le<u16>(&o[c.at], c.value);
    PlainMemoryManager memory;
    RuntimeDyld dyld{memory, nullptr};
    auto info = dyld.load_object(o, "bad.o");
    ASSERT_FALSE(info) << c.message;
    EXPECT_NE(info.error().message().find(c.message), std::string::npos) << info.error().message();
    EXPECT_EQ(info.error().file_offset(), c.offset) << c.message;
  }
  // Truncated below the ELF32 header's 52 bytes.
  {
    std::vector<u8> o(base.object.begin(), base.object.begin() + 40);
    PlainMemoryManager memory;
    RuntimeDyld dyld{memory, nullptr};
    auto info = dyld.load_object(o, "short.o");
    ASSERT_FALSE(info);
    EXPECT_NE(info.error().message().find("too small for an ELF32 header"), std::string::npos) << info.error().message();
  }
  // A symbol table entry size of ELF64 (24) in an ELF32 object.
  {
    std::vector<u8> o = base.object;
    const u64 shoff = load_le<u32>(&o[32]);
    const u16 shnum = load_le<u16>(&o[48]);
    u64 symtab = 0;
    for (u16 i = 0; i < shnum; i++)
      if (load_le<u32>(&o[shoff + i * 40 + 4]) == 2) symtab = shoff + i * 40;
    ASSERT_NE(symtab, 0u);
    store_le<u32>(&o[symtab + 36], 24);
    PlainMemoryManager memory;
    RuntimeDyld dyld{memory, nullptr};
    auto info = dyld.load_object(o, "sym.o");
    ASSERT_FALSE(info);
    EXPECT_NE(info.error().message().find("symbol table entry size is not 16"), std::string::npos) << info.error().message();
    EXPECT_EQ(info.error().file_offset(), symtab);
  }
  // A relocation's symbol index (r_info >> 8) out of range, at its r_info.
  {
    std::vector<u8> o = base.object;
    const u64 shoff = load_le<u32>(&o[32]);
    const u16 shnum = load_le<u16>(&o[48]);
    u64 rela = 0;
    for (u16 i = 0; i < shnum; i++)
      if (load_le<u32>(&o[shoff + i * 40 + 4]) == 4) rela = load_le<u32>(&o[shoff + i * 40 + 16]);
    ASSERT_NE(rela, 0u);
    store_le<u32>(&o[rela + 4], (0xffffu << 8) | 1);  // R_RISCV_32, symbol 65535
    PlainMemoryManager memory;
    RuntimeDyld dyld{memory, nullptr};
    auto info = dyld.load_object(o, "rel.o");
    ASSERT_FALSE(info);
    EXPECT_NE(info.error().message().find("symbol index 65535 is out of range"), std::string::npos) << info.error().message();
    EXPECT_EQ(info.error().file_offset(), rela + 4);
  }
}

TEST(RiscVElf32, ExtendedNumberingReadsSectionZerosElf32Fields) {
  // e_shnum 0 and e_shstrndx SHN_XINDEX: the count in shdr[0].sh_size
  // (offset 20 in an Elf32_Shdr) and the index in shdr[0].sh_link (24).
  Target base(false, ".text\nnop\n.data\nv: .word v\n");
  ASSERT_FALSE(base.object.empty()) << base.diag;
  std::vector<u8> o = base.object;
  const u64 shoff = load_le<u32>(&o[32]);
  store_le<u32>(&o[shoff + 20], load_le<u16>(&o[48]));
  store_le<u32>(&o[shoff + 24], load_le<u16>(&o[50]));
  store_le<u16>(&o[48], 0);
  store_le<u16>(&o[50], 0xffff);
  PlainMemoryManager memory;
  RuntimeDyld dyld{memory, nullptr};
  auto info = dyld.load_object(o, "ext.o");
  ASSERT_TRUE(info) << info.error().message();
  ASSERT_FALSE(dyld.map_section_address(u32(0), 0x10000000));
  ASSERT_FALSE(dyld.map_section_address(u32(1), 0x10010000));
  ASSERT_FALSE(dyld.resolve_relocations());
  EXPECT_EQ(load_le<u32>(dyld.sections()[1].local), 0x10010000u);  // .data's word holds v's address
}

TEST(RiscVElf32, AnElf32ObjectOfAnElf64OnlyMachineIsUnsupported) {
  Target base(false, ".text\nnop\n");
  ASSERT_FALSE(base.object.empty()) << base.diag;
  std::vector<u8> o = base.object;
  store_le<u16>(&o[18], 62);  // EM_X86_64
  PlainMemoryManager memory;
  RuntimeDyld dyld{memory, nullptr};
  auto info = dyld.load_object(o, "x.o");
  ASSERT_FALSE(info);
  EXPECT_NE(info.error().message().find("ELF machine 62 is not supported (ELFCLASS32, little-endian)"), std::string::npos)
      << info.error().message();
}

// ---- compiled C against the native link -----------------------------------

struct Flags {
  bool rv64;
  const char* flags;
};
class RiscVNative : public ::testing::TestWithParam<Flags> {};

std::vector<u8> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<u8>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Loads a compiled C object at chosen addresses, links the same object with
// ld.lld-19 --no-relax placing each section at the same address (the TLS
// sections at their TP offsets from a segment base), and compares every
// loaded section's bytes (.eh_frame included: lld keeps one object's
// records as they are): local-exec TLS included.
// Loads `obj`, links it with lld at the same addresses, compares (above).
// all: process every section (debug information too, left at address 0 as
// lld leaves what is not allocated).
void compare_with_lld(const std::vector<u8>& obj, const std::map<std::string, u64, std::less<>>& externs,
                      const std::string& what, bool all = false) {
  PlainMemoryManager memory;
  Resolver resolver;
  resolver.map = externs;
  RuntimeDyld dyld{memory, &resolver};
  dyld.set_process_all_sections(all);
  const u64 word = obj[4] == 2 ? 8 : 4;
  auto info = dyld.load_object(obj, "c.o");
  ASSERT_TRUE(info) << info.error().message();
  auto secs = dyld.sections();
  std::vector<std::pair<u64, std::string>> lines;  // in address order, as lld lays out the file
  bool has_got = false;
  for (u32 id = 0; id < secs.size(); id++) {
    // Thread-local sections keep their TP offsets (variant I, TCB 0); lld's
    // come from their place in the TLS segment, put at a base here.
    const bool tls = secs[id].kind == SectionKind::Tls || secs[id].kind == SectionKind::TlsBss;
    const u64 a = tls ? 0x10f00000 + secs[id].target : 0x10100000 + 0x10000ull * id;
    if (!secs[id].allocatable) continue;  // at 0, and an orphan for lld
    if (!tls) ASSERT_FALSE(dyld.map_section_address(id, a));
    // lld's .got starts with one header word: its slots then sit where ours do.
    if (secs[id].name == "<got>") {
      lines.push_back({a - word, "  .got " + std::to_string(a - word) + " : { *(.got) }\n"});
      has_got = true;
    }
    if (secs[id].name.empty() || secs[id].name[0] == '<') continue;
    std::string n(secs[id].name);
    lines.push_back({a, "  " + n + " " + std::to_string(a) + " : { *(" + n + ") }\n"});
  }
  std::sort(lines.begin(), lines.end());
  std::string script = "SECTIONS {\n";
  for (const auto& l : lines) script += l.second;
  script += "  /DISCARD/ : { *(.riscv.attributes) *(.comment) *(.note.GNU-stack) }\n}\n";
  Error err = dyld.resolve_relocations();
  ASSERT_FALSE(err) << err.message();

  const std::string dir = testing::temp_dir();
  {
    std::ofstream(dir + "/c.o", std::ios::binary).write(reinterpret_cast<const char*>(obj.data()), obj.size());
    std::ofstream(dir + "/link.ld") << script;
  }
  std::string defsyms;
  for (const auto& [name, value] : externs) defsyms += " --defsym " + name + "=" + std::to_string(value);
  std::string out;
  ASSERT_EQ(testing::run(std::string("ld.lld-19 -O0 --no-relax -static -nostdlib -e 0") + (has_got ? " -z norelro" : "") + defsyms + " -T " + dir + "/link.ld " + dir +
                         "/c.o -o " + dir + "/c.elf 2>&1", &out), 0) << out << script;
  int compared = 0;
  for (const LoadedSection& s : dyld.sections()) {
    if (s.name == "<got>") {  // the same slots, in the same order, holding the same words
      ASSERT_EQ(testing::run("llvm-objcopy-19 --dump-section .got=" + dir + "/got.bin " + dir + "/c.elf 2>&1", &out), 0)
          << out;
      std::vector<u8> want = read_file(dir + "/got.bin");
      ASSERT_EQ(want.size(), s.size + word);
      EXPECT_TRUE(std::equal(s.local, s.local + s.size, want.begin() + word)) << "<got> (" << what << ")";
      compared++;
      continue;
    }
    if (s.name.empty() || s.name[0] == '<' || s.kind == SectionKind::Bss ||
        s.kind == SectionKind::TlsBss || !s.size || s.name == ".comment" || s.name == ".riscv.attributes")
      continue;  // .comment, .riscv.attributes: lld writes its own
    std::string n(s.name);
    ASSERT_EQ(testing::run("llvm-objcopy-19 --dump-section " + n + "=" + dir + "/sec.bin " + dir + "/c.elf 2>&1", &out), 0)
        << out;
    std::vector<u8> want = read_file(dir + "/sec.bin");
    // lld ends .eh_frame with a zero terminator (the loader puts one after
    // the section in memory, outside its size).
    ASSERT_EQ(want.size(), s.size + (n == ".eh_frame" ? 4 : 0)) << n;
    for (u64 k = 0; k < s.size; k++)
      ASSERT_EQ(s.local[k], want[k]) << n << "+0x" << std::hex << k << " (" << what << ")";
    compared++;
  }
  EXPECT_GE(compared, 2) << what;
}

TEST_P(RiscVNative, AgreesWithLld) {
  const Flags& p = GetParam();
  const char* src = R"(
    extern int ext_var;
    extern int ext_fn(int);
    static int local_arr[16] = {1, 2, 3};
    int global_counter = 5;
    int *ptr = &local_arr[3];
    const char *msg = "hello";
    int get(int i) { return local_arr[i & 15] + global_counter + ext_var; }
    int call(int x) { return ext_fn(x) + get(x) + *ptr; }
    int sw(int x) { switch (x) { case 0: return 1; case 1: return 7; case 2: return 9; case 3: return 11; case 4: return 2; default: return 0; } }
    int loop(int n) { int s = 0; for (int i = 0; i < n; i++) { if (i & 1) s += i; else s -= ext_fn(i); } return s; }
    long long big(long long a) { return a * 0x123456789ll + msg[a & 3]; }
    __thread int tv = 3; static __thread int tz; __thread char tb[100];
    int tls(int i) { tz++; tb[i & 63]++; return tv + tz; }
  )";
  const std::string target = p.rv64 ? "--target=riscv64-linux-gnu" : "--target=riscv32-unknown-elf";
  std::string diag;
  std::vector<u8> obj = testing::compile(src, target + " " + p.flags, false, &diag);
  ASSERT_FALSE(obj.empty()) << diag;
  compare_with_lld(obj, {{"ext_fn", 0x10001000}, {"ext_var", 0x10002000}}, p.flags);
}

// The same with -g, every section processed: DWARF's words, label
// differences (ADD16/SUB16 and ADD32/SUB32 runs, SET/SUB_ULEB128 pairs in
// .debug_loclists/.debug_rnglists under relaxation) and the plain 32/64
// words clang-19 writes for thread-local variables' locations (lld writes
// the offset in the TLS block). lld runs with -O0: no string merging.
TEST_P(RiscVNative, DebugInformationAgreesWithLld) {
  const Flags& p = GetParam();
  const char* src = R"(
    extern int ext_fn(int);
    static int arr[4] = {1, 2, 3, 4};
    __thread int tv = 3; static __thread int tz; __thread char tb[100];
    int tls(int i) { tz++; tb[i & 63]++; return tv + tz + arr[i & 3]; }
    int calls(int n) { int s = 0; for (int i = 0; i < n; i++) s += ext_fn(i); return s; }
  )";
  const std::string target = p.rv64 ? "--target=riscv64-linux-gnu" : "--target=riscv32-unknown-elf";
  std::string diag;
  std::vector<u8> obj = testing::compile(src, target + " -g " + p.flags, false, &diag);
  ASSERT_FALSE(obj.empty()) << diag;
  compare_with_lld(obj, {{"ext_fn", 0x10001000}}, std::string("-g ") + p.flags, true);
}

// C++ with exceptions: .gcc_except_table's call-site entries are label
// differences (ADD32/SUB32 pairs under relaxation), DW.ref.__gxx_personality_v0
// a 64/32-bit word in a COMDAT group.
TEST_P(RiscVNative, CxxExceptionTablesAgreeWithLld) {
  const Flags& p = GetParam();
  const char* src = R"(
    int may(int);
    int f(int x) { try { return may(x); } catch (int e) { return e + 1; } catch (...) { return -1; } }
    struct D { ~D(); };
    int g(int x) { D d; return may(x) + may(x + 1); }
  )";
  const std::string target = p.rv64 ? "--target=riscv64-linux-gnu" : "--target=riscv32-unknown-elf";
  std::string diag;
  std::vector<u8> obj = testing::compile(src, target + " " + p.flags, true, &diag);
  ASSERT_FALSE(obj.empty()) << diag;
  std::map<std::string, u64, std::less<>> externs;
  u64 a = 0x10001000;
  for (const char* n : {"_Unwind_Resume", "_Z3mayi", "_ZN1DD1Ev", "_ZTIi", "__cxa_begin_catch", "__cxa_end_catch",
                        "__gxx_personality_v0"})
    externs[n] = a += 0x100;
  compare_with_lld(obj, externs, p.flags);
}

INSTANTIATE_TEST_SUITE_P(
    Flags, RiscVNative,
    ::testing::Values(Flags{true, "-O0 -fno-pic -mno-relax"}, Flags{true, "-O2 -fno-pic -mno-relax"},
                      Flags{true, "-O2 -fno-pic -mcmodel=medlow -mno-relax"},
                      Flags{true, "-O1 -fno-pic -mcmodel=medany -mno-relax"}, Flags{true, "-O2 -fno-pic -mrelax"},
                      Flags{true, "-O3 -fno-pic -mcmodel=medlow -mrelax"}, Flags{false, "-O0 -mno-relax"},
                      Flags{false, "-O2 -mno-relax"}, Flags{false, "-O2 -mcmodel=medany -mno-relax"},
                      Flags{false, "-O1 -mcmodel=medlow -mno-relax"}, Flags{false, "-O2 -mrelax"},
                      Flags{false, "-O3 -mcmodel=medany -mrelax"},
                      // PIC: GOT_HI20 through slots lld orders and fills alike (lld's GOT placed
                      // one header word before ours). TLS in local exec here: lld orders
                      // initial-exec slots otherwise (GOT layout, not a psABI rule);
                      // TLS_GOT_HI20 is checked by RiscV.TlsLocalExecInitialExecAndRewrites.
                      Flags{true, "-O2 -fPIC -mno-relax -ftls-model=local-exec"},
                      Flags{true, "-O2 -fPIC -ftls-model=local-exec"}, Flags{true, "-O0 -fPIC -ftls-model=local-exec"},
                      Flags{false, "-O2 -fPIC -ftls-model=local-exec"}),
    [](const ::testing::TestParamInfo<Flags>& i) {
      std::string n = std::string(i.param.rv64 ? "RV64" : "RV32") + i.param.flags;
      for (char& c : n)
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

// Compiled C of every model loads and resolves (GOT and TLS forms
// included), RV64 and RV32.
TEST_P(RiscV, CompiledCOfEveryModelLoads) {
  const char* src = R"(
    extern int ext_var;
    extern int ext_fn(int);
    __thread int tls_var = 3;
    static __thread int tls_local;
    extern __thread int tls_ext;
    int get(void) { return ext_var + ext_fn(1); }
    int tls(void) { tls_local++; return tls_var + tls_local + tls_ext; }
  )";
  const std::string target = GetParam() ? "--target=riscv64-linux-gnu" : "--target=riscv32-unknown-elf";
  for (std::string flags : {"-O0", "-O2", "-O2 -fPIC", "-O2 -fPIC -mno-relax", "-O1 -fno-pic -mcmodel=medlow",
                            "-O2 -fno-pic -mcmodel=medany -mno-relax", "-O2 -fPIC -ftls-model=initial-exec",
                            "-O2 -fPIC -ftls-model=local-dynamic", "-O2 -fPIC -mtls-dialect=desc"}) {
    std::string diag;
    std::vector<u8> obj = testing::compile(src, target + " " + flags, false, &diag);
    ASSERT_FALSE(obj.empty()) << diag;
    PlainMemoryManager memory;
    Resolver resolver;
    resolver.map["ext_fn"] = 0x10001000;
    resolver.map["ext_var"] = 0x10002000;
    resolver.map["tls_ext"] = 0x40;  // a TP offset
    RuntimeDyld dyld{memory, &resolver};
    auto info = dyld.load_object(obj, "c.o");
    ASSERT_TRUE(info) << flags << ": " << info.error().message();
    auto secs = dyld.sections();
    for (u32 id = 0; id < secs.size(); id++)
      if (secs[id].kind != SectionKind::Tls && secs[id].kind != SectionKind::TlsBss)
        ASSERT_FALSE(dyld.map_section_address(id, 0x10100000 + 0x10000ull * id));
    Error err = dyld.resolve_relocations();
    EXPECT_FALSE(err) << flags << ": " << err.message();
  }
}

TEST(RiscVTls, DtpmodAndDtprelWordsOfTheOneStaticModule) {
  // reference.h "RISC-V": DTPMOD is 1 (one static module), DTPREL the TP
  // offset less TLS_DTV_OFFSET (0x800); before, the engine refused them.
  for (bool rv64 : {true, false}) {
    Target t(rv64, R"(
      .data
      .reloc ., R_RISCV_TLS_DTPMOD32, v
      .word 0
      .reloc ., R_RISCV_TLS_DTPREL32, v + 4
      .word 0
      .reloc ., R_RISCV_TLS_DTPMOD64, v
      .quad 0
      .reloc ., R_RISCV_TLS_DTPREL64, v
      .quad 0
      .section .tbss,"awT",@nobits
      .zero 0x10
v:    .zero 8
    )");
    ASSERT_FALSE(t.load());
    Error err = t.dyld.resolve_relocations();
    ASSERT_FALSE(err) << err.message();
    const u8* p = t.section(".data").local;
    const u64 v = t.section(".tbss").target + 0x10;  // its TP offset
    EXPECT_EQ(load_le<u32>(p), 1u);
    EXPECT_EQ(load_le<u32>(p + 4), u32(v + 4 - 0x800));
    EXPECT_EQ(load_le<u64>(p + 8), 1u);
    EXPECT_EQ(load_le<u64>(p + 16), v - 0x800);
  }
}

}  // namespace
}  // namespace jitload
