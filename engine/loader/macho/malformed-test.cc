// The Mach-O loader's rejection of malformed input: one real object, one
// field changed per case; the error names the problem and where, and
// nothing crashes. Also: a valid object loads, symbols and names as the
// linkage model says.
#include <gtest/gtest.h>

#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/core/reader.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

constexpr const char* kTriple = "x86_64-apple-macosx10.15";

const std::vector<u8>& base_object() {
  static std::vector<u8> obj = testing::assemble(R"(
    .text
    .globl _f
_f: callq _g
    leaq d(%rip), %rax
    movq _g@GOTPCREL(%rip), %rcx
    retq
    .data
d:  .quad _f
    .quad d - _f
    .weak_definition _w
    .globl _w
_w: .long 1
    .comm _c, 16, 4
)", nullptr, kTriple);
  return obj;
}

// Offsets found in the object itself (mach_header_64, then load commands).
u32 ncmds(const std::vector<u8>& o) { return load_le<u32>(&o[16]); }
// The file offset of the first load command of type `cmd`, or 0.
u64 command(const std::vector<u8>& o, u32 cmd) {
  u64 at = 32;
  for (u32 i = 0; i < ncmds(o); i++) {
    if (load_le<u32>(&o[at]) == cmd) return at;
    at += load_le<u32>(&o[at + 4]);
  }
  return 0;
}
constexpr u32 LC_SEGMENT_64 = 0x19, LC_SYMTAB = 0x2;
u64 section_header(const std::vector<u8>& o, u32 k) { return command(o, LC_SEGMENT_64) + 72 + 80ull * k; }

Error load(const std::vector<u8>& bytes) {
  PlainMemoryManager mm;
  RuntimeDyld dyld(mm);
  auto r = dyld.load_object(bytes, "bad.o");
  if (!r) return r.take_error();
  return Error::success();
}

// What each header byte is set to in turn (EveryHeaderByte).
std::vector<u8> every_header_byte_value(u8 b) { return {0, 0xff, u8(b ^ 0x80), u8(b + 1)}; }

void expect_error(const std::vector<u8>& bytes, ErrorKind kind, const std::string& text) {
  Error e = load(bytes);
  ASSERT_TRUE(e) << "expected an error containing: " << text;
  EXPECT_EQ(e.kind(), kind) << e.message();
  EXPECT_NE(e.message().find(text), std::string::npos) << e.message();
}

TEST(MachoMalformed, BaseObjectLoadsAndLinks) {
  ASSERT_FALSE(base_object().empty());
  PlainMemoryManager mm;
  RuntimeDyld dyld(mm);
  auto info = dyld.load_object(base_object(), "base.o");
  ASSERT_TRUE(info) << info.error().message();
  auto f = dyld.get_symbol("_f");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->flags.binding, SymbolBinding::Global);
  auto w = dyld.get_symbol("_w");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->flags.binding, SymbolBinding::Weak);
  auto c = dyld.get_symbol("_c");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->flags.type, SymbolType::Common);
  // _g is undefined: bound by name at resolve, an "undefined symbol" error.
  Error e = dyld.resolve_relocations();
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("'_g'"), std::string::npos) << e.message();
}

TEST(MachoMalformed, Truncated) {
  std::vector<u8> o(base_object().begin(), base_object().begin() + 20);
  expect_error(o, ErrorKind::Malformed, "too small for a mach_header_64");
}

TEST(MachoMalformed, CpuAndFileType) {
  std::vector<u8> o = base_object();
  store_le<u32>(&o[4], 0x01000012);  // CPU_TYPE_POWERPC64: not loaded
  expect_error(o, ErrorKind::Unsupported, "CPU type 0x1000012 is not supported");
  o = base_object();
  store_le<u32>(&o[12], 2);  // MH_EXECUTE
  expect_error(o, ErrorKind::Unsupported, "not a relocatable object (MH_OBJECT)");
}

TEST(MachoMalformed, LoadCommands) {
  std::vector<u8> o = base_object();
  store_le<u32>(&o[20], u32(o.size()));  // sizeofcmds past the end
  expect_error(o, ErrorKind::Malformed, "load commands");
  o = base_object();
  store_le<u32>(&o[32 + 4], 12);  // cmdsize not a multiple of 8
  expect_error(o, ErrorKind::Malformed, "cmdsize 12");
  o = base_object();
  store_le<u32>(&o[32], 0x7777);  // an unknown command
  expect_error(o, ErrorKind::Unsupported, "type 0x7777");
  o = base_object();
  store_le<u32>(&o[command(o, LC_SEGMENT_64) + 64], 1000);  // nsects
  expect_error(o, ErrorKind::Malformed, "does not hold its 1000 sections");
}

TEST(MachoMalformed, Sections) {
  std::vector<u8> o = base_object();
  store_le<u32>(&o[section_header(o, 0) + 48], u32(o.size()));  // __text's contents past the end
  expect_error(o, ErrorKind::Malformed, "section __text: contents");
  o = base_object();
  store_le<u32>(&o[section_header(o, 0) + 60], 0x10000000);  // nreloc
  expect_error(o, ErrorKind::Malformed, "relocation entries");
  o = base_object();
  store_le<u32>(&o[section_header(o, 0) + 52], 40);  // alignment 2^40
  expect_error(o, ErrorKind::Unsupported, "alignment 2^40");
  o = base_object();
  store_le<u64>(&o[section_header(o, 0) + 32], ~u64(0) - 2);  // addr + size wraps
  expect_error(o, ErrorKind::Malformed, "wraps around");
}

TEST(MachoMalformed, Symbols) {
  std::vector<u8> o = base_object();
  const u64 symtab = command(o, LC_SYMTAB);
  const u64 symoff = load_le<u32>(&o[symtab + 8]);
  store_le<u32>(&o[symtab + 12], 0x10000000);  // nsyms past the end
  expect_error(o, ErrorKind::Malformed, "LC_SYMTAB");
  o = base_object();
  store_le<u32>(&o[symoff], 0xffffff);  // n_strx outside the strings
  expect_error(o, ErrorKind::Malformed, "outside the string table");
  o = base_object();
  // The first symbol that is N_SECT: its section ordinal out of range.
  for (u32 i = 0; i < load_le<u32>(&o[symtab + 12]); i++)
    if ((o[symoff + 16 * i + 4] & 0x0e) == 0x0e) {
      o[symoff + 16 * i + 5] = 99;
      break;
    }
  expect_error(o, ErrorKind::Malformed, "section ordinal 99 is out of range");
}

TEST(MachoMalformed, Relocations) {
  std::vector<u8> o = base_object();
  const u64 reloff = load_le<u32>(&o[section_header(o, 0) + 56]);
  std::vector<u8> p = o;
  store_le<u32>(&p[reloff], 0x80000000);  // scattered
  expect_error(p, ErrorKind::Unsupported, "scattered");
  p = o;
  store_le<u32>(&p[reloff], 0x1000);  // r_address past the section
  expect_error(p, ErrorKind::Malformed, "past the end of its section");
  p = o;
  store_le<u32>(&p[reloff + 4], (load_le<u32>(&p[reloff + 4]) & ~0xffffffu) | 0xfffff);  // symbol index
  expect_error(p, ErrorKind::Malformed, "out of range");
  p = o;
  store_le<u32>(&p[reloff + 4], (load_le<u32>(&p[reloff + 4]) & 0x0fffffffu) | 0xau << 28);  // type 10
  expect_error(p, ErrorKind::Unsupported, "does not know");
}

// Every single-byte change of the header and load commands: an object or a
// clear error, never a crash (run under the sanitize preset too).
TEST(MachoMalformed, EveryHeaderByte) {
  const std::vector<u8>& base = base_object();
  const auto m = testing::load_byte_variants(base, 32 + load_le<u32>(&base[20]), every_header_byte_value);
  EXPECT_EQ(m.unexplained, 0u);
}

// Random byte changes anywhere in the object (a fixed seed, 2,000
// mutants, one to four bytes each), loaded and resolved: a clear error or a
// loaded object, never a crash or a read or write outside the buffers (the
// sanitize preset runs this under ASan and UBSan).
TEST(MachoMalformed, RandomMutants) {
  const auto m = testing::load_mutants(base_object(), 0x9e3779b97f4a7c15ull, 2000);
  EXPECT_EQ(m.unexplained, 0u);
  // Both outcomes occur: the mutants are neither all rejected nor all harmless.
  EXPECT_GT(m.loaded, 100u);
  EXPECT_GT(m.refused, 100u);
}

// --- 32-bit (MH_MAGIC, i386) ---------------------------------------------
// An i386 object with every kind of entry: extern and non-extern VANILLA,
// scattered VANILLA, LOCAL_SECTDIFF + PAIR, TLV.
const std::vector<u8>& base_object_i386() {
  static std::vector<u8> obj = testing::assemble(R"(
    .text
    .globl _f
_f: calll _g
    movl d, %eax
    movl d+4, %eax
    movl d - _f, %eax
    movl _t@TLVP, %eax
    retl
    .data
d:  .long _f
    .long d + 8
    .long 0
)", nullptr, "i386-apple-macosx10.15");
  return obj;
}
// LC_SEGMENT (56 bytes) follows the 28-byte mach_header; its first
// section (68 bytes) is __text: reloff at +48, nreloc at +52 of a section
// with 4-byte addr and size (name 16 + segname 16 + addr 4 + size 4 +
// offset 4 + align 4).
u64 section32(const std::vector<u8>& o, u32 k) { return 28 + 56 + 68ull * k; }

TEST(MachoMalformed32, BaseObjectLoads) {
  ASSERT_FALSE(base_object_i386().empty());
  ASSERT_EQ(load_le<u32>(base_object_i386().data()), 0xfeedfaceu);
  PlainMemoryManager mm;
  RuntimeDyld dyld(mm);
  auto info = dyld.load_object(base_object_i386(), "base32.o");
  ASSERT_TRUE(info) << info.error().message();
  ASSERT_TRUE(dyld.get_symbol("_f"));
  // _g and _t are undefined: resolving names them.
  Error e = dyld.resolve_relocations();
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("GENERIC_RELOC_TLV refers to undefined symbol '_t'"), std::string::npos) << e.message();
}

TEST(MachoMalformed32, Fields) {
  const std::vector<u8>& o = base_object_i386();
  const u64 text = section32(o, 0);
  std::vector<u8> p = o;
  store_le<u32>(&p[28 + 4], 60);  // LC_SEGMENT's cmdsize: not 56 + 68 * nsects
  expect_error(p, ErrorKind::Malformed, "does not hold its");
  p = o;
  store_le<u32>(&p[28], 0x19);  // LC_SEGMENT_64 in a 32-bit object
  expect_error(p, ErrorKind::Unsupported, "does not know");
  p = o;
  store_le<u32>(&p[text + 32], 0xfffffff0);  // addr + size past 2^32
  expect_error(p, ErrorKind::Malformed, "wraps around");
  p = o;
  store_le<u32>(&p[4], 0x01000007);  // CPU_TYPE_X86_64 in a 32-bit header
  expect_error(p, ErrorKind::Unsupported, "CPU type");
  // The relocation table: find the scattered entries and break their r_value.
  const u64 reloff = load_le<u32>(&o[text + 48]), nreloc = load_le<u32>(&o[text + 52]);
  bool saw_scattered = false;
  for (u64 j = 0; j < nreloc; j++) {
    const u64 at = reloff + 8 * j;
    if (!(load_le<u32>(&o[at]) & 0x80000000)) continue;
    saw_scattered = true;
    p = o;
    store_le<u32>(&p[at + 4], 0x7ffff000);  // r_value in no section
    expect_error(p, ErrorKind::Malformed, "no loaded section");
  }
  EXPECT_TRUE(saw_scattered);
}

// Every single-byte change of the header and load commands of the 32-bit
// object: an object or a clear error, never a crash.
TEST(MachoMalformed32, EveryHeaderByte) {
  const std::vector<u8>& base = base_object_i386();
  const auto m = testing::load_byte_variants(base, 28 + load_le<u32>(&base[20]), every_header_byte_value);
  EXPECT_EQ(m.unexplained, 0u);
}

// 2,000 seeded random mutants of the i386 object, loaded and resolved.
// (Two of them turn an undefined symbol into a common of 1.6 and 4 GiB,
// within the loader's 4 GiB limit per object: the memory manager zeroes
// that much, which takes most of this test's ~35 s.)
TEST(MachoMalformed32, RandomMutants) {
  const auto m = testing::load_mutants(base_object_i386(), 0x2545f4914f6cdd1dull, 2000);
  EXPECT_EQ(m.unexplained, 0u);
  EXPECT_GT(m.loaded, 100u);
  EXPECT_GT(m.refused, 100u);
}

// --- ARM/Thumb: header bytes and seeded mutants --------------------------
const std::vector<u8>& base_object_arm() {
  static std::vector<u8> obj = testing::assemble(R"(
    .syntax unified
    .text
    .globl _f
    .align 2
    .code 32
_f: bl _g
    movw r0, :lower16:d
    movt r0, :upper16:d
    movw r1, :lower16:(d - (L1 + 8))
    movt r1, :upper16:(d - (L1 + 8))
L1: add r1, pc, r1
    bx lr
    .thumb_func _t
    .globl _t
    .code 16
_t: bl _g
    blx _f
    bx lr
    .data
d:  .long _t
    .long d - _f
)", nullptr, "armv7-apple-ios");
  return obj;
}

TEST(MachoMalformed32, ArmObjectLoadsAndMutants) {
  const std::vector<u8>& base = base_object_arm();
  ASSERT_FALSE(base.empty());
  {
    PlainMemoryManager mm;
    RuntimeDyld dyld(mm);
    auto info = dyld.load_object(base, "arm.o");
    ASSERT_TRUE(info) << info.error().message();
    auto t = dyld.get_symbol("_t");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->address & 1, 1u);  // a Thumb function's address is odd
  }
  const auto bytes = testing::load_byte_variants(base, 28 + load_le<u32>(&base[20]),
                                                [](u8 b) { return std::vector<u8>{0, 0xff, u8(b ^ 0x80)}; });
  EXPECT_EQ(bytes.unexplained, 0u);
  const auto m = testing::load_mutants(base, 0x853c49e6748fea9bull, 1000);
  EXPECT_EQ(m.unexplained, 0u);
  EXPECT_GT(m.loaded, 50u);
  EXPECT_GT(m.refused, 50u);
}

}  // namespace
}  // namespace jitload

// __LD,__compact_unwind: validated in every object and recorded
// (RuntimeDyld::compact_unwind), though not loaded into target memory.
namespace jitload {
namespace {

const std::vector<u8>& object() {
  static std::vector<u8> obj = testing::assemble(R"(
    .text
    .globl _f
_f: .cfi_startproc
    pushq %rbp
    .cfi_def_cfa_offset 16
    .cfi_offset %rbp, -16
    movq %rsp, %rbp
    .cfi_def_cfa_register %rbp
    popq %rbp
    retq
    .cfi_endproc
    .globl _g
_g: .cfi_startproc
    pushq %rbp
    .cfi_def_cfa_offset 16
    .cfi_offset %rbp, -16
    movq %rsp, %rbp
    .cfi_def_cfa_register %rbp
    nop
    popq %rbp
    retq
    .cfi_endproc
)", nullptr, kTriple);
  return obj;
}

// The section_64 header of the section named `name`, or 0.
u64 find_section(const std::vector<u8>& o, std::string_view name) {
  u64 seg = command(o, LC_SEGMENT_64);
  u32 n = load_le<u32>(&o[seg + 64]);
  for (u32 k = 0; k < n; k++) {
    u64 h = seg + 72 + 80ull * k;
    if (std::string_view(reinterpret_cast<const char*>(&o[h]), strnlen(reinterpret_cast<const char*>(&o[h]), 16)) == name) return h;
  }
  return 0;
}

TEST(MachoCompactUnwind, RecordsEntries) {
  const std::vector<u8>& o = object();
  const u64 h = find_section(o, "__compact_unwind");
  ASSERT_NE(h, 0u) << "the assembler emitted no __compact_unwind";
  ASSERT_EQ(load_le<u64>(&o[h + 40]), 64u);  // two 32-byte entries
  PlainMemoryManager mm;
  RuntimeDyld dyld(mm);
  auto info = dyld.load_object(o, "unwind.o");
  ASSERT_TRUE(info) << info.error().message();
  auto text = info->section_id("__text");
  ASSERT_TRUE(text);
  ASSERT_FALSE(info->section_id("__compact_unwind"));  // S_ATTR_DEBUG: not loaded
  ASSERT_FALSE(dyld.map_section_address(*text, 0x40000));
  ASSERT_FALSE(dyld.resolve_relocations());
  auto u = info->compact_unwind();
  ASSERT_EQ(u.size(), 2u);
  // The entries as the file states them: the function's file address
  // (__text is at 0), its length, its encoding.
  const u32 off = load_le<u32>(&o[h + 48]);
  for (u32 i = 0; i < 2; i++) {
    EXPECT_EQ(u[i].section, *text);
    EXPECT_EQ(u[i].offset, load_le<u64>(&o[off + 32 * i]));
    EXPECT_EQ(u[i].function, 0x40000 + u[i].offset);
    EXPECT_EQ(u[i].length, load_le<u32>(&o[off + 32 * i + 8]));
    EXPECT_EQ(u[i].encoding, load_le<u32>(&o[off + 32 * i + 12]));
    EXPECT_EQ(u[i].personality, 0u);
    EXPECT_EQ(u[i].lsda, 0u);
  }
  EXPECT_EQ(u[0].function, dyld.get_symbol("_f")->address);
  EXPECT_EQ(u[1].function, dyld.get_symbol("_g")->address);
  EXPECT_EQ(u[0].length, 6u);  // push, mov (3 bytes), pop, ret
  EXPECT_EQ(u[1].length, 7u);
  EXPECT_NE(u[0].encoding, 0u);
}

// Every section processed (llvm-rtdyld's mode): __compact_unwind loads,
// read-only at address 0, its relocations applied as any section's; the
// entries are recorded the same.
TEST(MachoCompactUnwind, ProcessAllSectionsLoadsAndRelocatesIt) {
  PlainMemoryManager mm;
  RuntimeDyld dyld(mm);
  dyld.set_process_all_sections(true);
  auto info = dyld.load_object(object(), "unwind.o");
  ASSERT_TRUE(info) << info.error().message();
  auto text = info->section_id("__text");
  auto cu = info->section_id("__compact_unwind");
  ASSERT_TRUE(text);
  ASSERT_TRUE(cu);
  ASSERT_FALSE(dyld.map_section_address(*text, 0x40000));
  ASSERT_FALSE(dyld.resolve_relocations());
  auto u = info->compact_unwind();
  ASSERT_EQ(u.size(), 2u);
  const LoadedSection& s = dyld.sections()[*cu];
  ASSERT_EQ(s.size, 64u);
  for (u32 i = 0; i < 2; i++) {
    EXPECT_EQ(u[i].function, 0x40000 + u[i].offset);
    EXPECT_EQ(load_le<u64>(static_cast<const u8*>(s.local) + 32 * i), u[i].function);  // the relocated field
  }
}

TEST(MachoCompactUnwind, SizeNotAWholeNumberOfEntries) {
  std::vector<u8> o = object();
  const u64 h = find_section(o, "__compact_unwind");
  ASSERT_NE(h, 0u);
  store_le<u64>(&o[h + 40], 56);
  expect_error(o, ErrorKind::Malformed, "__compact_unwind (header at file offset");
  expect_error(o, ErrorKind::Malformed, "size 0x38 is not a whole number of 32-byte entries");
}

TEST(MachoCompactUnwind, FunctionOutsideItsSection) {
  std::vector<u8> o = object();
  const u64 h = find_section(o, "__compact_unwind");
  ASSERT_NE(h, 0u);
  const u32 off = load_le<u32>(&o[h + 48]);
  store_le<u64>(&o[off + 32], 0x5000);  // entry 1's function: no section holds it
  expect_error(o, ErrorKind::Malformed, format("entry 1 at file offset 0x%x: its function address 0x5000 lies outside section __text", off + 32));
}

TEST(MachoCompactUnwind, LengthPastTheSectionEnd) {
  std::vector<u8> o = object();
  const u64 h = find_section(o, "__compact_unwind");
  ASSERT_NE(h, 0u);
  const u32 off = load_le<u32>(&o[h + 48]);
  store_le<u32>(&o[off + 8], 0x100);  // entry 0's length
  expect_error(o, ErrorKind::Malformed, format("entry 0 at file offset 0x%x: the function [0x0, 0x100) runs past the end of section __text", off));
}

TEST(MachoCompactUnwind, MissingAndBadRelocations) {
  std::vector<u8> o = object();
  const u64 h = find_section(o, "__compact_unwind");
  ASSERT_NE(h, 0u);
  const u32 off = load_le<u32>(&o[h + 48]), reloff = load_le<u32>(&o[h + 56]), nreloc = load_le<u32>(&o[h + 60]);
  ASSERT_EQ(nreloc, 2u);
  // Which entry the last relocation covers: drop it, that entry's function is unrelocated.
  const u32 last = load_le<u32>(&o[reloff + 8]) / 32;
  store_le<u32>(&o[h + 60], 1);
  expect_error(o, ErrorKind::Malformed, format("entry %u at file offset 0x%x: its function field (0x%llx) has no relocation", last,
                                               off + 32 * last, (unsigned long long)load_le<u64>(&o[off + 32 * last])));
  // A relocation on the length/encoding word.
  o = object();
  store_le<u32>(&o[reloff], 8);
  expect_error(o, ErrorKind::Malformed, "is at offset 0x8, not an entry's function, personality or LSDA field");
  // A pc-relative one, and a 4-byte one.
  o = object();
  o[reloff + 7] |= 1;  // r_pcrel is bit 24 of the second word
  expect_error(o, ErrorKind::Malformed, "is pc-relative");
  o = object();
  o[reloff + 7] &= ~6;  // r_length 0: one byte
  expect_error(o, ErrorKind::Malformed, "is 1 bytes wide, not a 8-byte pointer");
  // A non-zero personality field with no relocation.
  o = object();
  store_le<u64>(&o[off + 16], 0x10);
  expect_error(o, ErrorKind::Malformed, "entry 0 at file offset");
  expect_error(o, ErrorKind::Malformed, "its personality field (0x10) has no relocation");
}

}  // namespace
}  // namespace jitload
