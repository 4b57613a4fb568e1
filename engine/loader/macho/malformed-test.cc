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
  const u64 end = std::min<u64>(base.size(), 32 + load_le<u32>(&base[20]));
  for (u64 i = 0; i < end; i++)
    for (u8 v : {u8(0), u8(0xff), u8(base[i] ^ 0x80), u8(base[i] + 1)}) {
      std::vector<u8> o = base;
      o[i] = v;
      Error e = load(o);
      if (e) EXPECT_FALSE(e.message().empty());
    }
}

// Random byte changes anywhere in the object (a fixed seed, 2,000
// mutants, one to four bytes each), loaded and resolved: a clear error or a
// loaded object, never a crash or a read or write outside the buffers (the
// sanitize preset runs this under ASan and UBSan).
TEST(MachoMalformed, RandomMutants) {
  const std::vector<u8>& base = base_object();
  u64 state = 0x9e3779b97f4a7c15ull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  u32 loaded = 0, refused = 0;
  for (int k = 0; k < 2000; k++) {
    std::vector<u8> o = base;
    for (u64 n = 1 + next() % 4; n; n--) o[next() % o.size()] ^= u8(1 + next() % 255);
    PlainMemoryManager mm;
    RuntimeDyld dyld(mm);
    auto r = dyld.load_object(o, "mutant.o");
    if (!r) {
      EXPECT_FALSE(r.error().message().empty());
      refused++;
      continue;
    }
    loaded++;
    (void)dyld.resolve_relocations();
  }
  // Both outcomes occur: the mutants are neither all rejected nor all harmless.
  EXPECT_GT(loaded, 100u);
  EXPECT_GT(refused, 100u);
}

}  // namespace
}  // namespace jitload
