// AArch64 relocations, little- and big-endian: objects assembled at test
// time (llvm-mc-19 / clang-19 --target=aarch64[_be]-linux-gnu), loaded for
// a simulated target at addresses the test chooses, and the patched bytes
// decoded: data words in the object's byte order, instructions always
// little-endian.
#include <gtest/gtest.h>

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

struct Target {
  PlainMemoryManager memory;
  Resolver resolver;
  RuntimeDyld dyld{memory, &resolver};
  std::vector<u8> object;
  std::string diag;
  bool big;

  Target(bool big_endian, const std::string& source, std::map<std::string, u64, std::less<>> externs = {})
      : big(big_endian) {
    resolver.map = std::move(externs);
    object = testing::assemble(source, &diag, big ? "aarch64_be-linux-gnu" : "aarch64-linux-gnu");
  }
  Error load(u64 base = 0x10000000, u64 step = 0x10000) {
    if (object.empty()) return Error(ErrorKind::Malformed, "assembly failed: " + diag);
    dyld.enable_outcomes(true);
    auto info = dyld.load_object(object, "test.o");
    if (!info) return info.take_error();
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
  template <typename T>
  T data(std::string_view sec, u64 off) { return get_word<T>(section(sec).local + off, big); }
};

i64 sext(u64 v, unsigned bits) { return i64(v << (64 - bits)) >> (64 - bits); }
// Decoders of the immediates the loader writes.
i64 adr_imm(u32 w) { return sext((((w >> 5) & 0x7ffff) << 2) | ((w >> 29) & 3), 21); }
u32 imm12(u32 w) { return (w >> 10) & 0xfff; }
i64 imm26(u32 w) { return sext(w & 0x3ffffff, 26) * 4; }
i64 imm19(u32 w) { return sext((w >> 5) & 0x7ffff, 19) * 4; }
i64 imm14(u32 w) { return sext((w >> 5) & 0x3fff, 14) * 4; }
u32 imm16(u32 w) { return (w >> 5) & 0xffff; }
bool is_movz(u32 w) { return (w & 0x7f800000) == 0x52800000; }
bool is_movn(u32 w) { return (w & 0x7f800000) == 0x12800000; }

// Renumbers relocation types in an ELF64 object's RELA tables (object's
// byte order): LLVM 19 neither emits nor assembles the traditional
// general-dynamic TLS types for AArch64, so the test makes them from the
// TLS descriptor ones, whose instructions have the same shape.
void renumber(std::vector<u8>& o, bool big, u32 from, u32 to) {
  u64 shoff = get_word<u64>(&o[40], big);
  u16 shnum = get_word<u16>(&o[60], big);
  for (u16 i = 0; i < shnum; i++) {
    const u8* sh = &o[shoff + 64 * i];
    if (get_word<u32>(sh + 4, big) != 4) continue;  // SHT_RELA
    u64 off = get_word<u64>(sh + 24, big), size = get_word<u64>(sh + 32, big);
    for (u64 at = off; at + 24 <= off + size; at += 24) {
      u64 info = get_word<u64>(&o[at + 8], big);
      if (u32(info) == from) put_word<u64>(&o[at + 8], (info & ~u64(0xffffffff)) | to, big);
    }
  }
}

// Rewrites every SHT_RELA table as SHT_REL (what legacy armasm writes):
// each addend goes into its field (data words; CALL26/JUMP26's imm26), the
// entries shrink to 16 bytes in place.
void to_rel(std::vector<u8>& o, bool big) {
  u64 shoff = get_word<u64>(&o[40], big);
  u16 shnum = get_word<u16>(&o[60], big);
  for (u16 i = 0; i < shnum; i++) {
    u8* sh = &o[shoff + 64 * i];
    if (get_word<u32>(sh + 4, big) != 4) continue;
    const u8* tsh = &o[shoff + 64 * get_word<u32>(sh + 44, big)];
    u8* field_base = &o[get_word<u64>(tsh + 24, big)];
    u64 off = get_word<u64>(sh + 24, big), n = get_word<u64>(sh + 32, big) / 24;
    for (u64 k = 0; k < n; k++) {
      u8* e = &o[off + 24 * k];
      u64 where = get_word<u64>(e, big), info = get_word<u64>(e + 8, big);
      i64 a = i64(get_word<u64>(e + 16, big));
      u8* f = field_base + where;
      switch (u32(info)) {
        case 257: case 260: put_word<u64>(f, u64(a), big); break;
        case 258: case 261: put_word<u32>(f, u32(a), big); break;
        case 259: case 262: put_word<u16>(f, u16(a), big); break;
        case 282: case 283: put_bits(f, 0, 26, u64(a) >> 2); break;
      }
      u8 entry[16];
      put_word<u64>(entry, where, big);
      put_word<u64>(entry + 8, info, big);
      std::memcpy(&o[off + 16 * k], entry, 16);
    }
    put_word<u32>(sh + 4, 9, big);        // SHT_REL
    put_word<u64>(sh + 32, n * 16, big);  // sh_size
    put_word<u64>(sh + 56, 16, big);      // sh_entsize
  }
}

class AArch64 : public ::testing::TestWithParam<bool> {};
INSTANTIATE_TEST_SUITE_P(ByteOrder, AArch64, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

TEST_P(AArch64, DataWordsInTheObjectsByteOrder) {
  Target t(GetParam(), R"(
    .data
    .xword ext + 3
    .word ext32
    .hword ext16
    .hword 0
    .xword ext - .
    .word ext - .
    .hword near - .
    .section .rodata
near: .word 0
)", {{"ext", 0x10000123ull}, {"ext32", 0xfffffff0ull}, {"ext16", 0xfffeull}});
  ASSERT_FALSE(t.load());
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  u64 d = t.section(".data").target;
  EXPECT_EQ(t.data<u64>(".data", 0), 0x10000126ull);
  EXPECT_EQ(t.data<u32>(".data", 8), 0xfffffff0u);
  EXPECT_EQ(t.data<u16>(".data", 12), 0xfffe);
  EXPECT_EQ(t.data<u64>(".data", 16), 0x10000123ull - (d + 16));
  EXPECT_EQ(i32(t.data<u32>(".data", 24)), i32(0x10000123ll - i64(d + 24)));
  EXPECT_EQ(i16(t.data<u16>(".data", 28)), i16(t.addr("near") - (d + 28)));
}

TEST_P(AArch64, Prel32OverflowNamesTheRelocation) {
  Target t(GetParam(), ".data\n .word far - .\n .word ok\n", {{"far", 0x7000000000ull}, {"ok", 0x42}});
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("R_AARCH64_PREL32 out of range"), std::string::npos) << err.message();
  EXPECT_EQ(t.data<u32>(".data", 4), 0x42u);  // the good one was applied
}

TEST_P(AArch64, PageAndLow12) {
  Target t(GetParam(), R"(
    .text
    adrp x0, var
    add x0, x0, :lo12:var
    ldr x1, [x0, :lo12:var]
    ldr w2, [x0, :lo12:var]
    ldrh w3, [x0, :lo12:var]
    ldrb w4, [x0, :lo12:var]
    ldr q5, [x0, :lo12:var]
    .data
    .p2align 4
    .skip 0x230
var: .xword 0
)");
  ASSERT_FALSE(t.load(0x10000000, 0x123000));
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  u64 text = t.section(".text").target, var = t.addr("var");
  EXPECT_EQ(adr_imm(t.insn(".text", 0)) << 12, i64((var & ~0xfffull) - (text & ~0xfffull)));
  EXPECT_EQ(imm12(t.insn(".text", 4)), var & 0xfff);
  EXPECT_EQ(imm12(t.insn(".text", 8)), (var & 0xfff) >> 3);
  EXPECT_EQ(imm12(t.insn(".text", 12)), (var & 0xfff) >> 2);
  EXPECT_EQ(imm12(t.insn(".text", 16)), (var & 0xfff) >> 1);
  EXPECT_EQ(imm12(t.insn(".text", 20)), var & 0xfff);
  EXPECT_EQ(imm12(t.insn(".text", 24)), (var & 0xfff) >> 4);
  EXPECT_EQ(t.insn(".text", 0) & 0x9f00001f, 0x90000000u);  // still adrp x0
}

TEST_P(AArch64, AdrpBeyond4GiBIsAnError) {
  Target t(GetParam(), ".text\n adrp x0, far\n add x0, x0, :lo12:far\n", {{"far", 0x300000000ull}});
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_EQ(err.kind(), ErrorKind::Overflow) << err.message();
  EXPECT_NE(err.message().find("R_AARCH64_ADR_PREL_PG_HI21 out of range"), std::string::npos) << err.message();
}

TEST_P(AArch64, CallsDirectAndThroughAVeneer) {
  Target t(GetParam(), R"(
    .text
    bl near
    b far
    bl near
near: ret
)", {{"far", 0x7f0000001000ull}});
  ASSERT_FALSE(t.load());
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  u64 text = t.section(".text").target;
  EXPECT_EQ(imm26(t.insn(".text", 0)), 12);  // resolved by the assembler or by us: 3 words on
  // b far: through the veneer, which loads far's address (object's byte order).
  u64 stub = text + 4 + imm26(t.insn(".text", 4));
  const LoadedSection* stubs = nullptr;
  for (const LoadedSection& s : t.dyld.sections())
    if (stub >= s.target && stub < s.target + s.size) stubs = &s;
  ASSERT_NE(stubs, nullptr);
  const u8* v = stubs->local + (stub - stubs->target);
  EXPECT_EQ(load_le<u32>(v), 0x58000050u);      // ldr x16, #8
  EXPECT_EQ(load_le<u32>(v + 4), 0xd61f0200u);  // br x16
  EXPECT_EQ(get_word<u64>(v + 8, GetParam()), 0x7f0000001000ull);
}

TEST_P(AArch64, BranchesAndLiterals) {
  Target t(GetParam(), R"(
    .text
    b.eq target
    tbz x0, #3, target
    cbz x1, target
    ldr x2, target
    adr x3, target
    .section .text.b,"ax"
target: ret
)");
  ASSERT_FALSE(t.load(0x10000000, 0x1000));
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  u64 text = t.section(".text").target, tg = t.addr("target");
  EXPECT_EQ(imm19(t.insn(".text", 0)), i64(tg - text));
  EXPECT_EQ(imm14(t.insn(".text", 4)), i64(tg - (text + 4)));
  EXPECT_EQ(imm19(t.insn(".text", 8)), i64(tg - (text + 8)));
  EXPECT_EQ(imm19(t.insn(".text", 12)), i64(tg - (text + 12)));
  EXPECT_EQ(adr_imm(t.insn(".text", 16)), i64(tg - (text + 16)));  // ADR_PREL_LO21
  // Out of reach: TSTBR14 covers ±32 KiB.
  Target o(GetParam(), ".text\n tbz x0, #3, target\n .section .text.b,\"ax\"\ntarget: ret\n");
  ASSERT_FALSE(o.load(0x10000000, 0x100000));
  Error err = o.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("R_AARCH64_TSTBR14 out of range"), std::string::npos) << err.message();
}

TEST_P(AArch64, MovWideGroups) {
  Target t(GetParam(), R"(
    .text
    movz x0, #:abs_g3:big
    movk x0, #:abs_g2_nc:big
    movk x0, #:abs_g1_nc:big
    movk x0, #:abs_g0_nc:big
    movz x1, #:abs_g0_s:neg
    movz x2, #:abs_g1:small
    movz x3, #:abs_g0:toobig
)", {{"big", 0x1122334455667788ull}, {"neg", u64(-5)}, {"small", 0x12345678}, {"toobig", 0x10000}});
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);  // toobig
  EXPECT_NE(err.message().find("R_AARCH64_MOVW_UABS_G0 out of range"), std::string::npos) << err.message();
  EXPECT_EQ(imm16(t.insn(".text", 0)), 0x1122u);
  EXPECT_EQ(imm16(t.insn(".text", 4)), 0x3344u);
  EXPECT_EQ(imm16(t.insn(".text", 8)), 0x5566u);
  EXPECT_EQ(imm16(t.insn(".text", 12)), 0x7788u);
  EXPECT_TRUE(is_movn(t.insn(".text", 16)));  // -5 = ~4: movn #4
  EXPECT_EQ(imm16(t.insn(".text", 16)), 4u);
  EXPECT_TRUE(is_movz(t.insn(".text", 20)));
  EXPECT_EQ(imm16(t.insn(".text", 20)), 0x1234u);
}

TEST_P(AArch64, GotSlotPerSymbol) {
  Target t(GetParam(), R"(
    .text
    adrp x0, :got:ext
    ldr x0, [x0, :got_lo12:ext]
    adrp x1, :got:ext
    ldr x1, [x1, :got_lo12:ext]
    .data
    .word ext@GOTPCREL
)", {{"ext", 0x123456789abcull}});
  ASSERT_FALSE(t.load());
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  u64 text = t.section(".text").target;
  i64 page0 = adr_imm(t.insn(".text", 0)) << 12, page1 = adr_imm(t.insn(".text", 8)) << 12;
  u64 slot0 = ((text & ~0xfffull) + page0) + imm12(t.insn(".text", 4)) * 8;
  u64 slot1 = ((text & ~0xfffull) + page1) + imm12(t.insn(".text", 12)) * 8;
  EXPECT_EQ(slot0, slot1);  // one slot for the symbol
  u64 got_field = t.section(".data").target;
  EXPECT_EQ(u64(i64(got_field) + i32(t.data<u32>(".data", 0))), slot0);
  for (const LoadedSection& s : t.dyld.sections())
    if (slot0 >= s.target && slot0 + 8 <= s.target + s.size)
      EXPECT_EQ(get_word<u64>(s.local + (slot0 - s.target), GetParam()), 0x123456789abcull);
}

TEST_P(AArch64, TlsDescriptorRewrittenToLocalExec) {
  Target t(GetParam(), R"(
    .text
    adrp x0, :tlsdesc:tv
    ldr x1, [x0, :tlsdesc_lo12:tv]
    add x0, x0, :tlsdesc_lo12:tv
    .tlsdesccall tv
    blr x1
    mrs x8, tpidr_el0
    add x0, x8, x0
    .section .tbss,"awT",@nobits
    .globl tv
tv: .zero 8
)");
  ASSERT_FALSE(t.load());
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  // Variant I: the block follows the 16-byte TCB, so tv is at TP + 16.
  i64 tp = t.section(".tbss").tp_offset;
  EXPECT_EQ(tp, 16);
  EXPECT_EQ(t.insn(".text", 0) & ~(0xffffu << 5), 0xd2a00000u);  // movz x0, #hi, lsl #16
  EXPECT_EQ(t.insn(".text", 4) & ~(0xffffu << 5), 0xf2800000u);  // movk x0, #lo
  EXPECT_EQ((u64(imm16(t.insn(".text", 0))) << 16) | imm16(t.insn(".text", 4)), u64(tp));
  EXPECT_EQ(t.insn(".text", 8), 0xd503201fu);                    // nop
  EXPECT_EQ(t.insn(".text", 12), 0xd503201fu);                   // nop
}

// An instruction that is not the sequence's under one TLSDESC relocation
// (here the ldr's base is x2, not x0): that relocation fails when applied
// and keeps its bytes; the others are rewritten (reference.h "AArch64").
TEST_P(AArch64, TlsDescriptorOnAForeignInstructionFailsAlone) {
  Target t(GetParam(), R"(
    .text
    adrp x0, :tlsdesc:tv
    ldr x1, [x2, :tlsdesc_lo12:tv]
    add x0, x0, :tlsdesc_lo12:tv
    .tlsdesccall tv
    blr x1
    .section .tbss,"awT",@nobits
    .globl tv
tv: .zero 8
)");
  ASSERT_FALSE(t.object.empty()) << t.diag;
  { Error e = t.load(); ASSERT_FALSE(e) << e.message(); }
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("(.text+0x4): relocation R_AARCH64_TLSDESC_LD64_LO12"), std::string::npos) << err.message();
  EXPECT_EQ(err.message().find("could not be applied"), std::string::npos) << "only one fails: " << err.message();
  EXPECT_EQ(t.insn(".text", 4), 0xf9400041u);  // ldr x1, [x2], as assembled
  EXPECT_EQ(t.insn(".text", 0) & ~(0xffffu << 5), 0xd2a00000u);  // movz x0, lsl #16
  EXPECT_EQ(t.insn(".text", 8), 0xd503201fu);
  EXPECT_EQ(t.insn(".text", 12), 0xd503201fu);
}

TEST_P(AArch64, TlsLocalExecFields) {
  Target t(GetParam(), R"(
    .text
    add x0, x8, :tprel_lo12_nc:tv
    movz x1, #:tprel_g1:tv
    movk x1, #:tprel_g0_nc:tv
    .section .tbss,"awT",@nobits
tv: .zero 8
)");
  ASSERT_FALSE(t.load());
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  // The offset the memory manager gave tv, as the MOVW pair encodes it.
  u32 hi = t.insn(".text", 4), lo = imm16(t.insn(".text", 8));
  i64 off = is_movn(hi) ? ~i64((u64(imm16(hi)) << 16) | 0xffff) | lo : i64((u64(imm16(hi)) << 16) | lo);
  EXPECT_EQ(u64(imm12(t.insn(".text", 0))), u64(off) & 0xfff);
}

TEST_P(AArch64, CompiledCLoads) {
  std::string triple = GetParam() ? "aarch64_be-linux-gnu" : "aarch64-linux-gnu";
  const char* src = R"(
    extern int printf(const char*, ...);
    static int table[4] = {1, 2, 3, 4};
    int *ptr = &table[2];
    long long g(long long x) { return x * 3; }
    int f(int i) { printf("%d\n", table[i & 3]); return (int)g(*ptr) + table[i & 3]; }
  )";
  for (std::string flags : {"-O0", "-O2", "-O2 -fPIC", "-O1 -fno-pic -mcmodel=large", "-O2 -mcmodel=tiny"}) {
    std::string diag;
    std::vector<u8> obj = testing::compile(src, "--target=" + triple + " " + flags, false, &diag);
    ASSERT_FALSE(obj.empty()) << diag;
    PlainMemoryManager memory;
    Resolver resolver;
    resolver.map["printf"] = 0x7000000000ull;  // far: the call goes through a veneer
    RuntimeDyld dyld{memory, &resolver};
    auto info = dyld.load_object(obj, "c.o");
    ASSERT_TRUE(info) << flags << ": " << info.error().message();
    auto secs = dyld.sections();
    for (u32 id = 0; id < secs.size(); id++)
      if (secs[id].kind != SectionKind::Tls && secs[id].kind != SectionKind::TlsBss)
        ASSERT_FALSE(dyld.map_section_address(id, 0x10000000 + 0x10000ull * id));
    Error err = dyld.resolve_relocations();
    EXPECT_FALSE(err) << flags << ": " << err.message();
    ASSERT_TRUE(dyld.get_symbol("ptr"));
    // ptr holds &table[2]: a data word in the object's byte order.
    u64 ptr = dyld.get_symbol("ptr")->address;
    for (const LoadedSection& s : dyld.sections())
      if (ptr >= s.target && ptr + 8 <= s.target + s.size && s.local)
        EXPECT_EQ(get_word<u64>(s.local + (ptr - s.target), GetParam()) % 4, 0u) << flags;
  }
}

TEST_P(AArch64, TlsGeneralDynamicRewrittenToLocalExec) {
  Target t(GetParam(), R"(
    .text
    adrp x0, :tlsdesc:tv
    add x0, x0, :tlsdesc_lo12:tv
    bl __tls_get_addr
    ret
    .section .tbss,"awT",@nobits
    .globl tv
tv: .zero 8
)");
  ASSERT_FALSE(t.object.empty()) << t.diag;
  renumber(t.object, GetParam(), 562, 513);  // TLSDESC_ADR_PAGE21 -> TLSGD_ADR_PAGE21
  renumber(t.object, GetParam(), 564, 514);  // TLSDESC_ADD_LO12 -> TLSGD_ADD_LO12_NC
  { Error e = t.load(); ASSERT_FALSE(e) << e.message(); }
  Error err = t.dyld.resolve_relocations();
  // Variant I: the offset is positive (TP + 16), within the sequence's 24 bits.
  EXPECT_EQ(t.insn(".text", 0), 0xd53bd040u);  // mrs x0, tpidr_el0
  EXPECT_EQ(t.insn(".text", 4) & ~(0xfffu << 10), 0x91400000u);  // add x0, x0, #hi12, lsl #12
  EXPECT_EQ(t.insn(".text", 8) & ~(0xfffu << 10), 0x91000000u);  // add x0, x0, #lo12
  ASSERT_FALSE(err) << err.message();
  EXPECT_EQ((imm12(t.insn(".text", 4)) << 12) | imm12(t.insn(".text", 8)), u64(t.section(".tbss").tp_offset));
  // Not followed by the call: refused, naming the relocation.
  Target u(GetParam(), ".text\n adrp x0, :tlsdesc:tv\n ret\n .section .tbss,\"awT\",@nobits\ntv: .zero 8\n");
  ASSERT_FALSE(u.object.empty()) << u.diag;
  renumber(u.object, GetParam(), 562, 513);
  Error e = u.load();
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("R_AARCH64_TLSGD_ADR_PAGE21"), std::string::npos) << e.message();
}

// The general-dynamic rewrite replaces three words: each must be the
// sequence's, or nothing is rewritten and the entries fail when applied
// (the reference fails the one on the wrong word: the object is refused
// alike). A tail call (b, JUMP26) or an add with no adrp before it is no
// such sequence: refused at load. (Fuzz finding aarch64-tlsgd-sequence-form.o.)
TEST_P(AArch64, TlsGeneralDynamicOnOtherInstructionsIsRefused) {
  const std::string tail = "    ret\n    .section .tbss,\"awT\",@nobits\n    .globl tv\ntv: .zero 8\n";
  struct Case {
    const char* code;
    bool at_load;
  } cases[] = {
      {"adrp x1, :tlsdesc:tv\n add x0, x0, :tlsdesc_lo12:tv\n bl __tls_get_addr\n", false},
      {"adrp x0, :tlsdesc:tv\n add x2, x0, :tlsdesc_lo12:tv\n bl __tls_get_addr\n", false},
      {"adrp x0, :tlsdesc:tv\n add x0, x0, :tlsdesc_lo12:tv\n b __tls_get_addr\n", true},
      {"add x0, x0, :tlsdesc_lo12:tv\n bl __tls_get_addr\n", true},
  };
  for (const Case& c : cases) {
    Target t(GetParam(), std::string(".text\n") + c.code + tail);
    ASSERT_FALSE(t.object.empty()) << t.diag;
    renumber(t.object, GetParam(), 562, 513);
    renumber(t.object, GetParam(), 564, 514);
    Error e = t.load();
    ASSERT_EQ(bool(e), c.at_load) << c.code << (e ? e.message() : std::string());
    if (!c.at_load) e = t.dyld.resolve_relocations();
    ASSERT_TRUE(e) << c.code;
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported) << c.code << e.message();
    EXPECT_NE(e.message().find("R_AARCH64_TLSGD_"), std::string::npos) << e.message();
    if (!c.at_load) EXPECT_EQ(t.insn(".text", 8) >> 26, 0x25u) << c.code;  // the bl kept: nothing rewritten
  }
}

TEST_P(AArch64, TlsInitialExecThroughAGotSlot) {
  Target t(GetParam(), R"(
    .text
    adrp x0, :gottprel:tv
    ldr x0, [x0, :gottprel_lo12:tv]
    .section .tbss,"awT",@nobits
tv: .zero 8
)");
  ASSERT_FALSE(t.load());
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  u64 text = t.section(".text").target;
  u64 slot = (text & ~0xfffull) + (adr_imm(t.insn(".text", 0)) << 12) + imm12(t.insn(".text", 4)) * 8;
  bool found = false;
  for (const LoadedSection& s : t.dyld.sections())
    if (s.kind == SectionKind::Got && slot >= s.target && slot + 8 <= s.target + s.size) found = true;
  EXPECT_TRUE(found);
}

// The tiny code model's initial exec: an LDR literal of S's TP-offset
// slot (TLSIE_LD_GOTTPREL_PREL19, G - P within ±1 MiB, as the reference
// serves it); the slot holds the offset, in the object's byte order.
TEST_P(AArch64, TlsInitialExecLiteralThroughAGotSlot) {
  const char* src = R"(
    .text
    ldr x0, :gottprel:tv
    mrs x1, tpidr_el0
    ldr x0, [x1, x0]
    .section .tbss,"awT",@nobits
    .zero 0x20
tv: .zero 8
)";
  Target t(GetParam(), src);
  { Error e = t.load(); ASSERT_FALSE(e) << e.message(); }
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  const u32 ldr = t.insn(".text", 0);
  EXPECT_EQ(ldr & ~(0x7ffffu << 5), 0x58000000u);  // still ldr x0, literal
  const u64 slot = t.section(".text").target + u64(imm19(ldr));
  const LoadedSection* got = nullptr;
  for (const LoadedSection& s : t.dyld.sections())
    if (s.kind == SectionKind::Got) got = &s;
  ASSERT_NE(got, nullptr);
  ASSERT_TRUE(slot >= got->target && slot + 8 <= got->target + got->size) << std::hex << slot;
  EXPECT_EQ(get_word<u64>(got->local + (slot - got->target), GetParam()),
            u64(t.section(".tbss").tp_offset + 0x20));
  // The GOT 2 MiB from the code: out of the literal's reach, an error
  // naming the relocation; the instruction keeps its bytes.
  Target far(GetParam(), src);
  { Error e = far.load(0x10000000, 0x200000); ASSERT_FALSE(e) << e.message(); }
  Error err = far.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("R_AARCH64_TLSIE_LD_GOTTPREL_PREL19"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("out of range"), std::string::npos) << err.message();
  EXPECT_EQ(far.insn(".text", 0), 0x58000000u);
  // A non-zero addend has no slot (one per symbol): refused at load.
  Target addend(GetParam(), ".text\n ldr x0, :gottprel:tv+8\n .section .tbss,\"awT\",@nobits\ntv: .zero 16\n");
  ASSERT_FALSE(addend.object.empty()) << addend.diag;
  Error ae = addend.load();
  ASSERT_TRUE(ae);
  EXPECT_NE(ae.message().find("R_AARCH64_TLSIE_LD_GOTTPREL_PREL19"), std::string::npos) << ae.message();
  EXPECT_NE(ae.message().find("has addend 8"), std::string::npos) << ae.message();
}

// Local dynamic in the static model: the module's block starts at TP, so
// every DTPREL field gets the variable's TP offset, and the descriptor of
// _TLS_MODULE_BASE_ (clang-19's local-dynamic base) relaxes to 0.
TEST_P(AArch64, TlsLocalDynamicFields) {
  Target t(GetParam(), R"(
    .text
    adrp x0, :tlsdesc:_TLS_MODULE_BASE_
    ldr x1, [x0, :tlsdesc_lo12:_TLS_MODULE_BASE_]
    add x0, x0, :tlsdesc_lo12:_TLS_MODULE_BASE_
    .tlsdesccall _TLS_MODULE_BASE_
    blr x1
    add x1, x0, :dtprel_hi12:tv
    add x1, x1, :dtprel_lo12_nc:tv
    add x2, x0, :dtprel_lo12:tv
    ldrb w3, [x0, :dtprel_lo12_nc:tv]
    ldrh w3, [x0, :dtprel_lo12:tv]
    ldr w3, [x0, :dtprel_lo12_nc:tv]
    ldr x3, [x0, :dtprel_lo12:tv]
    ldr q3, [x0, :dtprel_lo12_nc:tv]
    movz x4, #:dtprel_g2:tv
    movk x4, #:dtprel_g1_nc:tv
    movk x4, #:dtprel_g0_nc:tv
    movz x5, #:dtprel_g1:tv
    movz x6, #:dtprel_g0:tv
    .section .tbss,"awT",@nobits
    .p2align 4
    .zero 0x30
tv: .zero 16
)");
  { Error e = t.load(); ASSERT_FALSE(e) << e.message(); }
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  const u64 off = u64(t.section(".tbss").tp_offset) + 0x30;  // tv's TP offset
  ASSERT_GE(off, 16u + 0x30);                                 // variant I: after the TCB
  // The base: movz x0, #0, lsl #16; movk x0, #0; nop; nop.
  EXPECT_EQ(t.insn(".text", 0), 0xd2a00000u);
  EXPECT_EQ(t.insn(".text", 4), 0xf2800000u);
  EXPECT_EQ(t.insn(".text", 8), 0xd503201fu);
  EXPECT_EQ(t.insn(".text", 12), 0xd503201fu);
  EXPECT_EQ(imm12(t.insn(".text", 16)), u32(off >> 12));
  EXPECT_EQ(imm12(t.insn(".text", 20)), u32(off & 0xfff));
  EXPECT_EQ(imm12(t.insn(".text", 24)), u32(off & 0xfff));
  EXPECT_EQ(imm12(t.insn(".text", 28)), u32(off & 0xfff));       // byte
  EXPECT_EQ(imm12(t.insn(".text", 32)), u32(off & 0xfff) / 2);   // halfword
  EXPECT_EQ(imm12(t.insn(".text", 36)), u32(off & 0xfff) / 4);   // word
  EXPECT_EQ(imm12(t.insn(".text", 40)), u32(off & 0xfff) / 8);   // doubleword
  EXPECT_EQ(imm12(t.insn(".text", 44)), u32(off & 0xfff) / 16);  // quadword
  EXPECT_TRUE(is_movz(t.insn(".text", 48))) << std::hex << t.insn(".text", 48);  // positive: MOVZ
  EXPECT_EQ(imm16(t.insn(".text", 48)), u32(off >> 32));
  EXPECT_EQ(imm16(t.insn(".text", 52)), u32((off >> 16) & 0xffff));
  EXPECT_EQ(imm16(t.insn(".text", 56)), u32(off & 0xffff));
  EXPECT_TRUE(is_movz(t.insn(".text", 60)));
  EXPECT_EQ(imm16(t.insn(".text", 60)), u32(off >> 16));
  EXPECT_TRUE(is_movz(t.insn(".text", 64)));
  EXPECT_EQ(imm16(t.insn(".text", 64)), u32(off));

  // Beyond 4 KiB from TP: the checked LO12 forms fail alone (each with its
  // own error), the _NC ones and HI12 are written.
  Target big(GetParam(), R"(
    .text
    add x1, x0, :dtprel_hi12:tv
    add x1, x1, :dtprel_lo12_nc:tv
    add x2, x0, :dtprel_lo12:tv
    ldr w3, [x0, :dtprel_lo12:tv]
    .section .tbss,"awT",@nobits
    .zero 0x2000
tv: .zero 8
)");
  { Error e = big.load(); ASSERT_FALSE(e) << e.message(); }
  Error err = big.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("2 relocations"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("R_AARCH64_TLSLD_ADD_DTPREL_LO12 out of range"), std::string::npos) << err.message();
  const u64 boff = u64(big.section(".tbss").tp_offset) + 0x2000;
  EXPECT_EQ(imm12(big.insn(".text", 0)), u32(boff >> 12));
  EXPECT_EQ(imm12(big.insn(".text", 4)), u32(boff & 0xfff));
  EXPECT_EQ(big.insn(".text", 8), 0x91000002u);   // add x2, x0, #0: untouched
  EXPECT_EQ(big.insn(".text", 12), 0xb9400003u);  // ldr w3, [x0]: untouched
}

// The traditional local-dynamic call, adrp x0, :tlsldm:; add x0, x0,
// :tlsldm_lo12_nc:; bl __tls_get_addr (GNU as writes it; LLVM 19 neither
// emits nor assembles it, so the test renumbers the descriptor types of
// the same instruction shapes), becomes mrs x0, tpidr_el0; nop; nop: the
// block's address, the DTPREL fields after it being TP offsets.
TEST_P(AArch64, TlsLocalDynamicTraditionalRewritten) {
  const char* src = R"(
    .text
    adrp x0, :tlsdesc:tv
    add x0, x0, :tlsdesc_lo12:tv
    bl __tls_get_addr
    add x1, x0, :dtprel_lo12_nc:tv
    .section .tbss,"awT",@nobits
    .zero 8
tv: .zero 8
)";
  Target t(GetParam(), src);
  ASSERT_FALSE(t.object.empty()) << t.diag;
  renumber(t.object, GetParam(), 562, 518);  // TLSDESC_ADR_PAGE21 -> TLSLD_ADR_PAGE21
  renumber(t.object, GetParam(), 564, 519);  // TLSDESC_ADD_LO12 -> TLSLD_ADD_LO12_NC
  { Error e = t.load(); ASSERT_FALSE(e) << e.message(); }
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  EXPECT_EQ(t.insn(".text", 0), 0xd53bd040u);  // mrs x0, tpidr_el0
  EXPECT_EQ(t.insn(".text", 4), 0xd503201fu);  // nop
  EXPECT_EQ(t.insn(".text", 8), 0xd503201fu);  // nop: the call is gone
  EXPECT_EQ(imm12(t.insn(".text", 12)), u32(t.section(".tbss").tp_offset + 8));

  // Not followed by the call, or not on adrp x0: refused, naming the relocation.
  for (const char* bad : {".text\n adrp x0, :tlsdesc:tv\n add x0, x0, :tlsdesc_lo12:tv\n ret\n",
                          ".text\n adrp x1, :tlsdesc:tv\n add x0, x0, :tlsdesc_lo12:tv\n bl __tls_get_addr\n"}) {
    Target u(GetParam(), std::string(bad) + ".section .tbss,\"awT\",@nobits\ntv: .zero 8\n");
    ASSERT_FALSE(u.object.empty()) << u.diag;
    renumber(u.object, GetParam(), 562, 518);
    renumber(u.object, GetParam(), 564, 519);
    Error e = u.load();
    ASSERT_TRUE(e) << bad;
    EXPECT_NE(e.message().find("R_AARCH64_TLSLD_ADR_PAGE21"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("local-dynamic sequence"), std::string::npos) << e.message();
  }
  // The ADD alone (no ADRP rewritten before it): refused too.
  Target v(GetParam(), ".text\n nop\n add x0, x0, :tlsdesc_lo12:tv\n bl __tls_get_addr\n"
                       ".section .tbss,\"awT\",@nobits\ntv: .zero 8\n");
  ASSERT_FALSE(v.object.empty()) << v.diag;
  renumber(v.object, GetParam(), 564, 519);
  Error ve = v.load();
  ASSERT_TRUE(ve);
  EXPECT_NE(ve.message().find("R_AARCH64_TLSLD_ADD_LO12_NC"), std::string::npos) << ve.message();
}

TEST_P(AArch64, IfuncStubAndSlots) {
  Target t(GetParam(), R"(
    .text
    .type impl, %function
impl: ret
    .type resolver, %function
resolver: adr x0, impl
    ret
    .globl f
    .type f, %gnu_indirect_function
    .set f, resolver
    .globl caller
caller: bl f
    ret
)");
  ASSERT_FALSE(t.load());
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  u64 f = t.addr("f");
  const LoadedSection* stubs = nullptr;
  const LoadedSection* slots = nullptr;
  for (const LoadedSection& s : t.dyld.sections()) {
    if (s.name == "<ifunc stubs>") stubs = &s;
    if (s.name == "<ifunc slots>") slots = &s;
  }
  ASSERT_TRUE(stubs && slots);
  ASSERT_TRUE(f >= stubs->target && f + 32 <= stubs->target + stubs->size);
  const u8* st = stubs->local + (f - stubs->target);
  EXPECT_EQ(load_le<u32>(st), 0x100000d0u);  // adr x16, #24
  // The stub's data word leads to the slot pair; the second slot is the resolver.
  u64 pair = f + 24 + get_word<u64>(st + 24, GetParam());
  EXPECT_EQ(pair, slots->target);
  EXPECT_EQ(get_word<u64>(slots->local + 8, GetParam()), t.addr("resolver"));
  EXPECT_EQ(get_word<u64>(slots->local, GetParam()), stubs->target);  // the trampoline first
  // caller's bl goes to the stub.
  u64 caller = t.addr("caller");
  u32 bl = load_le<u32>(t.section(".text").local + (caller - t.section(".text").target));
  EXPECT_EQ(caller + imm26(bl), f);
}

TEST_P(AArch64, NoneUnknownAndMisaligned) {
  Target t(GetParam(), ".text\n nop\n .reloc 0, R_AARCH64_NONE, x\n", {{"x", 1}});
  ASSERT_FALSE(t.load());
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  EXPECT_EQ(t.insn(".text", 0), 0xd503201fu);  // untouched
  // A type the loader does not apply is refused at load, by its psABI name.
  Target u(GetParam(), ".text\n nop\n .reloc 0, R_AARCH64_GOTREL64, x\n");
  Error e = u.load();
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("R_AARCH64_GOTREL64"), std::string::npos) << e.message();
  // An 8-byte load from an address that is not a multiple of 8.
  Target m(GetParam(), ".text\n ldr x0, [x0, :lo12:v]\n", {{"v", 0x10000004}});
  ASSERT_FALSE(m.load());
  Error me = m.dyld.resolve_relocations();
  ASSERT_TRUE(me);
  EXPECT_NE(me.message().find("R_AARCH64_LDST64_ABS_LO12_NC"), std::string::npos) << me.message();
}

TEST_P(AArch64, MovwPcRelativeAndGotPage15) {
  Target t(GetParam(), R"(
    .text
    movz x0, #:prel_g1:far
    movk x0, #:prel_g0_nc:far
    adrp x1, _GLOBAL_OFFSET_TABLE_
    ldr x1, [x1, #:gotpage_lo15:ext]
)", {{"far", 0x10000000ull - 0x30000ull}, {"ext", 0x4242}});
  ASSERT_FALSE(t.load());
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  u64 text = t.section(".text").target;
  i64 d = i64(0x10000000ull - 0x30000ull) - i64(text);  // negative: MOVN
  u32 hi = t.insn(".text", 0);
  EXPECT_TRUE(is_movn(hi)) << std::hex << hi;
  EXPECT_EQ(imm16(hi), u32((~u64(d) >> 16) & 0xffff));
  i64 d2 = i64(0x10000000ull - 0x30000ull) - i64(text + 4);
  EXPECT_EQ(imm16(t.insn(".text", 4)), u32(u64(d2) & 0xffff));
  // gotpage_lo15: the slot's offset from the GOT's page, in 8-byte units.
  const LoadedSection* got = nullptr;
  for (const LoadedSection& s : t.dyld.sections())
    if (s.kind == SectionKind::Got) got = &s;
  ASSERT_NE(got, nullptr);
  u64 slot = (got->target & ~0xfffull) + u64(imm12(t.insn(".text", 12))) * 8;
  ASSERT_TRUE(slot >= got->target && slot + 8 <= got->target + got->size);
  EXPECT_EQ(get_word<u64>(got->local + (slot - got->target), GetParam()), 0x4242u);
}

TEST_P(AArch64, RelTablesReadImplicitAddends) {
  const char* src = R"(
    .text
    bl ext + 8
    .data
    .xword ext + 3
    .word ext - 16
    .hword small - 2
)";
  Target rela(GetParam(), src, {{"ext", 0x10000120ull}, {"small", 0x100}});
  Target rel(GetParam(), src, {{"ext", 0x10000120ull}, {"small", 0x100}});
  ASSERT_FALSE(rel.object.empty()) << rel.diag;
  to_rel(rel.object, GetParam());
  for (Target* t : {&rela, &rel}) {
    { Error e = t->load(); ASSERT_FALSE(e) << e.message(); }
    { Error e = t->dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  }
  EXPECT_EQ(rel.data<u64>(".data", 0), 0x10000123ull);
  EXPECT_EQ(rel.data<u32>(".data", 8), u32(0x10000110));
  EXPECT_EQ(rel.data<u16>(".data", 12), 0xfe);
  EXPECT_EQ(rel.insn(".text", 0), rela.insn(".text", 0));  // the same call as with RELA
  // A REL entry whose field holds no addend (ADRP) is refused, naming it.
  Target bad(GetParam(), ".text\n adrp x0, ext\n", {{"ext", 0x1000}});
  ASSERT_FALSE(bad.object.empty());
  to_rel(bad.object, GetParam());
  Error e = bad.load();
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("R_AARCH64_ADR_PREL_PG_HI21 at file offset"), std::string::npos) << e.message();
}

TEST(AArch64Header, RegistryKnowsBothByteOrders) {
  // A big-endian x86-64 object is refused naming machine, class and order.
  std::vector<u8> o = testing::assemble(".text\nret\n", nullptr, "aarch64_be-linux-gnu");
  ASSERT_FALSE(o.empty());
  store_be<u16>(&o[18], 62);  // EM_X86_64, big-endian
  PlainMemoryManager memory;
  RuntimeDyld dyld{memory, nullptr};
  auto info = dyld.load_object(o, "be.o");
  ASSERT_FALSE(info);
  EXPECT_NE(info.error().message().find("ELF machine 62 is not supported (ELFCLASS64, big-endian)"),
            std::string::npos)
      << info.error().message();
  // ELF32 is looked up in the registry first too: i386 has no entry.
  std::vector<u8> i386 = testing::assemble(".text\nret\n", nullptr, "i386-linux-gnu");
  ASSERT_FALSE(i386.empty());
  auto info32 = dyld.load_object(i386, "x86.o");
  ASSERT_FALSE(info32);
  EXPECT_EQ(info32.error().kind(), ErrorKind::Unsupported);
  EXPECT_NE(info32.error().message().find("ELF machine 3 is not supported (ELFCLASS32, little-endian)"),
            std::string::npos)
      << info32.error().message();
}

}  // namespace
}  // namespace jitload
