// The reference's RISC-V encoders and value rules, alone: each encoder
// against the encoding llvm-mc 19 gives for the same instruction and
// immediate (`llvm-mc -triple=riscv64 -mattr=+c -show-encoding`), the
// hi/lo split, the stub, XLEN wrapping, and the ranges at their edges.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

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
  f.row = find_row(60);  // SET_ULEB128: S + A, wrapped into the 3 bytes in place
  f.S = 0x10000 + 0x1234;
  ASSERT_EQ(uleb_length(b, 5), 3u);
  ASSERT_TRUE(apply(f, b, 5).ok);
  EXPECT_EQ(b[5], 0x80 | 0x34);
  EXPECT_EQ(b[6], 0x80 | 0x24);
  EXPECT_EQ(b[7], 0x04);  // 0x11234 >> 14, no overflow check for the half
  f.row = find_row(61);  // SUB_ULEB128: its SET's S + A minus its own S + A
  f.set_S_A = 0x10000 + 0x1234;
  f.S = 0x10000;
  ASSERT_TRUE(apply(f, b, 5).ok);
  EXPECT_EQ(b[5], 0x80 | 0x34);
  EXPECT_EQ(b[6], 0x80 | 0x24);
  EXPECT_EQ(b[7], 0x00);
  f.set_S_A = 0x10000 + (1u << 21);  // does not fit three bytes: nothing written
  Outcome o = apply(f, b, 5);
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(b[5], 0x80 | 0x34);
  EXPECT_EQ(b[7], 0x00);
}


TEST(RiscvApply, CallToTlsGetAddrAfterARelaxedGdSequence) {
  Fixup f;
  f.row = find_row(kCallPlt);
  f.tls_gd_call = true;
  // call: auipc ra, 0; jalr ra, 0(ra) -> add a0, a0, tp; nop
  std::vector<uint8_t> call = {0x97, 0x00, 0x00, 0x00, 0xe7, 0x80, 0x00, 0x00};
  Outcome o = apply(f, call, 0);
  ASSERT_TRUE(o.ok) << o.why;
  EXPECT_EQ(o.status, "relaxed");
  EXPECT_EQ(call, (std::vector<uint8_t>{0x33, 0x05, 0x45, 0x00, 0x13, 0x00, 0x00, 0x00}));
  // tail: auipc t1, 0; jalr x0, 0(t1) -> add a0, a0, tp; ret
  std::vector<uint8_t> tail = {0x17, 0x03, 0x00, 0x00, 0x67, 0x00, 0x03, 0x00};
  ASSERT_TRUE(apply(f, tail, 0).ok);
  EXPECT_EQ(tail, (std::vector<uint8_t>{0x33, 0x05, 0x45, 0x00, 0x67, 0x80, 0x00, 0x00}));
  // jalr t0 (another link register): refused, bytes kept.
  std::vector<uint8_t> other = {0x97, 0x02, 0x00, 0x00, 0xe7, 0x82, 0x02, 0x00}, kept = other;
  EXPECT_FALSE(apply(f, other, 0).ok);
  EXPECT_EQ(other, kept);
}
}  // namespace
}  // namespace jitload::reference::riscv

// ---- Against the native link (ld.lld-19 --no-relax) ---------------------
// The native link is the oracle for what the bytes of each section become.
// Objects compiled by clang-19 without relaxation, PIC-free (no GOT, no
// stubs, no TLS: the parts where a JIT's layout legitimately differs), are
// linked by ld.lld-19 with the external at a fixed address; the reference
// then loads the object with every section at the address lld gave it
// (from lld's -Map), and each section's bytes must equal lld's output.
// (.eh_frame is left out: lld rewrites it.) Thread-local variables in the
// local-exec model are included: their TPREL fields show that the
// reference's TP offsets (variant I, a 0-byte TCB) are lld's.
#if defined(JITLOAD_CLANG)
namespace jitload::reference::riscv {
namespace {
namespace native {

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

uint64_t le(const std::vector<uint8_t>& b, size_t at, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n && at + i < b.size(); i++) v |= uint64_t(b[at + i]) << (8 * i);
  return v;
}

// The bytes at virtual address `va` of an executable (its section headers).
bool bytes_at(const std::vector<uint8_t>& exe, uint64_t va, uint64_t size, std::vector<uint8_t>& out) {
  bool is64 = exe.size() > 4 && exe[4] == 2;
  uint64_t shoff = is64 ? le(exe, 0x28, 8) : le(exe, 0x20, 4);
  unsigned entsize = unsigned(le(exe, is64 ? 0x3a : 0x2e, 2)), count = unsigned(le(exe, is64 ? 0x3c : 0x30, 2));
  for (unsigned i = 0; i < count; i++) {
    size_t h = size_t(shoff + uint64_t(i) * entsize);
    uint32_t type = uint32_t(le(exe, h + 4, 4));
    uint64_t addr = is64 ? le(exe, h + 0x10, 8) : le(exe, h + 0x0c, 4);
    uint64_t off = is64 ? le(exe, h + 0x18, 8) : le(exe, h + 0x10, 4);
    uint64_t sz = is64 ? le(exe, h + 0x20, 8) : le(exe, h + 0x14, 4);
    if (type == 8 /* SHT_NOBITS */ || va < addr || va + size > addr + sz || addr == 0) continue;
    uint64_t at = off + (va - addr);
    if (at + size > exe.size()) return false;
    out.assign(exe.begin() + long(at), exe.begin() + long(at + size));
    return true;
  }
  return false;
}

}  // namespace native

TEST(RiscvNative, SectionBytesEqualLldsLink) {
  const char* dir = std::getenv("TMPDIR");
  std::string base = std::string(dir && *dir ? dir : "/tmp") + "/riscv-native-" + std::to_string(getpid());
  {
    std::ofstream c(base + ".c");
    c << "extern int ext(int); extern int eg;\n"
         "int g = 5; long long big = 0x1122334455667788LL; static int arr[40]; const char *msg = \"hello\";\n"
         "int *pg = &g; short sh[3] = {1, 2, 3};\n"
         "__thread char tc = 1; __thread int tv = 7; __thread long long tb[300] = {5}; __thread int late = 9;\n"
         "long long tls(int i) { tv += i; tb[i & 255] = tc; return tb[299] + tv + late; }\n"
         "static int sw(int k) { switch (k) { case 0: return 4; case 1: return 9; case 2: return 13; case 3: return 17;"
         " case 4: return 22; case 5: return 40; default: return 1; } }\n"
         "int f(int x) { arr[x & 31] = g + eg + sw(x); for (int i = 0; i < x; i++) arr[i & 7] += i;\n"
         "  if (x > 3) return ext(x) + arr[3] + msg[x & 3]; return (int)big + sh[x & 1]; }\n";
  }
  struct Target {
    const char* triple;
    const char* march;
    unsigned word;
  } targets[] = {{"riscv64-linux-gnu", "rv64gc", 8}, {"riscv32-linux-gnu", "rv32gc", 4}};
  int compared = 0, got_compared = 0;
  for (const Target& t : targets)
    for (const char* flags : {"-fno-pic -O2 -mcmodel=medany -mno-relax", "-fno-pic -O1 -mcmodel=medlow -mno-relax",
                              "-fno-pic -O0 -mcmodel=medany -mno-relax", "-fno-pic -Os -mcmodel=medlow -mno-relax",
                              // The GOT (GOT_HI20, and TLS_GOT_HI20's TP-offset slots): lld's .got
                              // after its one header slot, mapped as the reference's "<got>".
                              "-fPIC -ftls-model=initial-exec -O2 -mno-relax",
                              "-fPIC -ftls-model=initial-exec -O0 -mcmodel=medany -mno-relax",
                              // TLSDESC relaxed to local exec: short forms (tc, tv, tb) and the
                              // long one (late, past 2 KiB), as lld chooses.
                              "-fPIC -mtls-dialect=desc -O2 -mno-relax"}) {
      // (Not -mrelax: ld.lld-19 deletes R_RISCV_ALIGN padding even with
      // --no-relax — measured: .text 0xaa bytes in, 0x9c out — and the
      // reference keeps it, reference.h "RISC-V".)
      std::string all = std::string(t.triple) + " " + flags;
      SCOPED_TRACE(all);
      std::string cc = std::string(JITLOAD_CLANG) + " --target=" + t.triple + " -march=" + t.march + " " + flags +
                       " -fno-asynchronous-unwind-tables -c " + base + ".c -o " + base + ".o";
      ASSERT_EQ(std::system(cc.c_str()), 0) << cc;
      std::string ld = std::string("ld.lld-19 --no-relax -static -e 0 --defsym=ext=0x40000000 --defsym=eg=0x40001000 -Map=") + base +
                       ".map -o " + base + ".out " + base + ".o";
      if (std::system(ld.c_str()) != 0) GTEST_SKIP() << "ld.lld-19 is not available: " << ld;
      std::vector<uint8_t> object = native::read_file(base + ".o"), exe = native::read_file(base + ".out");
      // lld's map: "VMA LMA size align  file.o:(section)".
      Scenario s;
      s.default_externals = false;
      s.externals = {{"ext", 0x40000000}, {"eg", 0x40001000}};
      std::ifstream map(base + ".map");
      std::string line;
      while (std::getline(map, line)) {
        // Mergeable strings come out of lld's own "<internal>" section (one
        // object, one copy of each string: the same bytes).
        if (line.size() > 17 && line.substr(line.size() - 17) == "<internal>:(.got)") {
          s.section_addresses.push_back({"<got>", std::stoull(line, nullptr, 16) + t.word});
          continue;
        }
        size_t open = line.find(".o:(");
        size_t skip = 4;
        if (open == std::string::npos) open = line.find("<internal>:(.rodata.str"), skip = 12;
        if (open == std::string::npos || line.back() != ')') continue;
        std::string name = line.substr(open + skip, line.size() - open - skip - 1);
        if (name.find('+') != std::string::npos) continue;  // a piece of a rewritten section (.eh_frame)
        s.section_addresses.push_back({name, std::stoull(line, nullptr, 16)});
      }
      ASSERT_FALSE(s.section_addresses.empty());
      Result r = reference::load(object, "n.o", s);
      ASSERT_TRUE(r.loaded) << r.error.message;
      for (const auto& [name, va] : s.section_addresses)
        for (const Section& sec : r.sections) {
          if (sec.name != name || (sec.index == 0 && sec.name != "<got>") || sec.kind == "bss" || sec.kind == "tbss")
            continue;
          std::vector<uint8_t> linked;
          ASSERT_TRUE(native::bytes_at(exe, va, sec.size, linked)) << name;
          if (!sec.tls) EXPECT_EQ(sec.address, va) << name;  // a TLS section's "address" is its TP offset
          EXPECT_TRUE(linked == sec.bytes) << name << ": the reference's bytes differ from lld's";
          for (size_t i = 0; i < linked.size() && i < sec.bytes.size(); i++)
            if (linked[i] != sec.bytes[i]) {
              ADD_FAILURE() << name << "+0x" << std::hex << i << ": lld 0x" << int(linked[i]) << ", reference 0x"
                            << int(sec.bytes[i]);
              break;
            }
          compared++;
          got_compared += sec.name == "<got>" && sec.size > 0;
        }
    }
  EXPECT_GE(compared, 28);
  EXPECT_GE(got_compared, 4);  // the initial-exec flag sets, RV64 and RV32
  for (const char* ext : {".c", ".o", ".out", ".map"}) std::remove((base + ext).c_str());
}
}  // namespace
}  // namespace jitload::reference::riscv
#endif
