// The Mach-O arm64 relocations (arm64.cc) on objects llvm-mc assembles:
// the values written, read back from the loaded instructions and words
// with encoders of this test's own; and the rejection of malformed
// entries (one field changed per case, a clear error naming the
// relocation), and random mutants never crashing.
#include <gtest/gtest.h>

#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/core/reader.h"
#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

constexpr const char* kTriple = "arm64-apple-macosx";

const std::vector<u8>& base_object() {
  static std::vector<u8> obj = testing::assemble(R"(
    .text
    .globl _f
_f: bl _g
    adrp x0, _d@PAGE+8
    ldr x1, [x0, _d@PAGEOFF+8]
    adrp x2, _g@GOTPAGE
    ldr x2, [x2, _g@GOTPAGEOFF]
    ret
    .data
    .globl _d
    .p2align 3
_d: .quad _f
    .quad _d - _f
    .quad 0
)", nullptr, kTriple);
  return obj;
}

u32 ncmds(const std::vector<u8>& o) { return load_le<u32>(&o[16]); }
u64 command(const std::vector<u8>& o, u32 cmd) {
  u64 at = 32;
  for (u32 i = 0; i < ncmds(o); i++) {
    if (load_le<u32>(&o[at]) == cmd) return at;
    at += load_le<u32>(&o[at + 4]);
  }
  return 0;
}
u64 section_header(const std::vector<u8>& o, u32 k) { return command(o, 0x19) + 72 + 80ull * k; }

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

// __text's relocation entries: (word0, word1) in file order.
struct Entry {
  u64 at;
  u32 address, type;
};
std::vector<Entry> text_relocations(const std::vector<u8>& o) {
  const u64 h = section_header(o, 0);
  const u32 reloff = load_le<u32>(&o[h + 56]), nreloc = load_le<u32>(&o[h + 60]);
  std::vector<Entry> out;
  for (u32 j = 0; j < nreloc; j++)
    out.push_back({reloff + 8ull * j, load_le<u32>(&o[reloff + 8 * j]), load_le<u32>(&o[reloff + 8 * j + 4]) >> 28});
  return out;
}

TEST(MachoArm64, LoadsAndResolves) {
  ASSERT_FALSE(base_object().empty());
  // _g is far away: the BL goes through the veneer, the GOT slot holds it.
  const u64 g = 0x7f0000001000;
  struct Far final : SymbolResolver {
    u64 at;
    std::optional<u64> lookup(std::string_view name) override {
      if (name == "g" || name == "_g") return at;
      return std::nullopt;
    }
  } resolver;
  resolver.at = g;
  // Sections, GOT and veneers close together (one mapped region), as the
  // code needs them within ±128 MiB; PlainMemoryManager's heap blocks may
  // lie gigabytes apart (under ASan they do).
  SectionMemoryManager mm;
  RuntimeDyld dyld(mm, &resolver);
  auto info = dyld.load_object(base_object(), "base.o");
  ASSERT_TRUE(info) << info.error().message();
  Error e = dyld.resolve_relocations();
  ASSERT_FALSE(e) << e.message();
  auto f = dyld.get_symbol("_f");
  auto d = dyld.get_symbol("_d");
  ASSERT_TRUE(f && d);
  const u8* text = reinterpret_cast<const u8*>(uintptr_t(f->address));
  // bl: imm26 * 4 from the BL reaches a veneer ldr x16, #8; br x16; .quad _g.
  const u32 bl = load_le<u32>(text);
  EXPECT_EQ(bl >> 26, 0x25u);  // BL
  const i64 disp = i64(u64(bl & 0x3ffffff) << 38) >> 36;
  const u8* veneer = text + disp;
  EXPECT_EQ(load_le<u32>(veneer), 0x58000050u);
  EXPECT_EQ(load_le<u32>(veneer + 4), 0xd61f0200u);
  EXPECT_EQ(load_le<u64>(veneer + 8), g);
  // adrp/ldr: the page of _d + 8 and its offset divided by 8.
  const u32 adrp = load_le<u32>(text + 4), ldr = load_le<u32>(text + 8);
  const u64 target = d->address + 8;
  const i64 pages = i64((u64((adrp >> 5) & 0x7ffff) << 2 | ((adrp >> 29) & 3)) << 43) >> 43;
  EXPECT_EQ((f->address + 4) / 4096 * 4096 + u64(pages) * 4096, target / 4096 * 4096);
  EXPECT_EQ(((ldr >> 10) & 0xfff) * 8, target & 0xfff);
  // The GOT pair reaches a slot holding _g.
  const u32 adrp2 = load_le<u32>(text + 12), ldr2 = load_le<u32>(text + 16);
  const i64 pages2 = i64((u64((adrp2 >> 5) & 0x7ffff) << 2 | ((adrp2 >> 29) & 3)) << 43) >> 43;
  const u64 slot = (f->address + 12) / 4096 * 4096 + u64(pages2) * 4096 + ((ldr2 >> 10) & 0xfff) * 8;
  EXPECT_EQ(load_le<u64>(reinterpret_cast<const u8*>(uintptr_t(slot))), g);
  // The data words: _f, and _d - _f.
  const u8* data = reinterpret_cast<const u8*>(uintptr_t(d->address));
  EXPECT_EQ(load_le<u64>(data), f->address);
  EXPECT_EQ(load_le<u64>(data + 8), d->address - f->address);
}

TEST(MachoArm64, MalformedEntries) {
  const std::vector<u8>& base = base_object();
  const std::vector<Entry> rel = text_relocations(base);
  auto find = [&](u32 type) -> const Entry* {
    for (const Entry& e : rel)
      if (e.type == type) return &e;
    return nullptr;
  };
  const Entry* addend = find(10);
  const Entry* branch = find(2);
  const Entry* pageoff = find(4);
  ASSERT_TRUE(addend && branch && pageoff);
  // An ADDEND whose field differs from the next entry's.
  std::vector<u8> o = base;
  store_le<u32>(&o[addend->at], addend->address + 4);
  expect_error(o, ErrorKind::Malformed, "ARM64_RELOC_ADDEND");
  // An ADDEND made extern.
  o = base;
  store_le<u32>(&o[addend->at + 4], load_le<u32>(&o[addend->at + 4]) | 1u << 27);
  expect_error(o, ErrorKind::Malformed, "r_extern 1");
  // The BRANCH26 retyped as PAGE21: not on an ADRP.
  o = base;
  store_le<u32>(&o[branch->at + 4], (load_le<u32>(&o[branch->at + 4]) & 0x0fffffffu) | 3u << 28);
  expect_error(o, ErrorKind::Malformed, "which is not an ADRP");
  // The PAGEOFF12's instruction made a B.
  o = base;
  const u64 text = load_le<u32>(&o[section_header(o, 0) + 48]);
  store_le<u32>(&o[text + pageoff->address], 0x14000000);
  expect_error(o, ErrorKind::Malformed, "ARM64_RELOC_PAGEOFF12");
  // The BRANCH26 made non-extern: an instruction names no place in a section.
  o = base;
  store_le<u32>(&o[branch->at + 4], (load_le<u32>(&o[branch->at + 4]) & ~(1u << 27) & 0xff000000u) | 1u);
  expect_error(o, ErrorKind::Unsupported, "not extern");
  // Type 11 (ARM64_RELOC_AUTHENTICATED_POINTER, arm64e) is not loaded.
  o = base;
  store_le<u32>(&o[branch->at + 4], (load_le<u32>(&o[branch->at + 4]) & 0x0fffffffu) | 11u << 28);
  expect_error(o, ErrorKind::Unsupported, "does not know");
}

// Random byte changes anywhere in the object (a fixed seed, 2,000 mutants,
// one to four bytes each), loaded and resolved: a clear error or a loaded
// object, never a crash or an access outside the buffers (the sanitize
// preset runs this under ASan and UBSan). Not mutated: the n_value of an
// undefined symbol, which makes it a common of that many bytes — a high
// byte asks for gigabytes, which the loader grants (up to its 4 GiB limit:
// a valid request, seconds of zeroing, not a malformed object).
TEST(MachoArm64, RandomMutants) {
  const std::vector<u8>& base = base_object();
  const u64 symtab = command(base, 0x2);
  const u32 symoff = load_le<u32>(&base[symtab + 8]), nsyms = load_le<u32>(&base[symtab + 12]);
  auto spared = [&](u64 at) {
    for (u32 i = 0; i < nsyms; i++) {
      const u64 y = symoff + 16ull * i;
      if ((base[y + 4] & 0x0e) == 0 && at >= y + 8 && at < y + 16) return true;  // N_UNDF: n_value
    }
    return false;
  };
  const auto m = testing::load_mutants(base, 0x243f6a8885a308d3ull, 2000, spared);
  EXPECT_EQ(m.unexplained, 0u);
  EXPECT_GT(m.loaded, 100u);
  EXPECT_GT(m.refused, 100u);
}

}  // namespace
}  // namespace jitload
