// The shared ELF view (conformance/elf/elf-view.h) on objects of each class
// and byte order clang-19 makes, truncated objects, and the registry and
// placement built on it (arch.h, layout.h).
#include <gtest/gtest.h>

#include <algorithm>

#include "conformance/elf/elf-view.h"
#include "conformance/report/arch.h"
#include "conformance/report/layout.h"
#include "conformance/report/test-programs.h"

namespace jitload::conformance {
namespace {

using testing::compile;
using testing::Variant;

const char* const kSource = "int x = 5;\n__thread int t1;\n__thread long t2 = 3;\nint f(void) { return x + t1 + (int)t2; }\n";

struct Target {
  const char* flags;
  bool is64, little;
  elfview::u16 machine;
  const char* triple;  // what the registry names; "" for none
};

TEST(ElfView, ReadsEachClassAndByteOrder) {
  const Target targets[] = {
      {"--target=x86_64-linux-gnu -O1", true, true, 62, "x86_64-unknown-linux-gnu"},
      {"--target=aarch64-linux-gnu -O1", true, true, 183, "aarch64-unknown-linux-gnu"},
      {"--target=aarch64_be-linux-gnu -O1", true, false, 183, "aarch64_be-unknown-linux-gnu"},
      {"--target=i386-linux-gnu -O1", false, true, 3, ""},
  };
  for (const Target& t : targets) {
    SCOPED_TRACE(t.flags);
    std::vector<u8> bytes = compile(kSource, Variant{"c", t.flags});
    ASSERT_FALSE(bytes.empty());
    std::string why;
    auto v = elfview::View::open(bytes, &why);
    ASSERT_TRUE(v) << why;
    EXPECT_EQ(v->is64(), t.is64);
    EXPECT_EQ(v->little_endian(), t.little);
    EXPECT_EQ(v->machine(), t.machine);
    EXPECT_EQ(v->type(), 1);  // ET_REL
    EXPECT_EQ(object_triple(bytes, ""), t.triple);
    auto text = v->section_named(".text");
    ASSERT_TRUE(text);
    EXPECT_EQ(text->type, 1u);  // SHT_PROGBITS
    // The symbol table names f (a function in .text) and x.
    auto symtab = v->section_named(".symtab");
    ASSERT_TRUE(symtab);
    bool f = false, x = false;
    for (const elfview::Symbol& y : v->symbols(*symtab)) {
      if (y.name == "f") f = y.type() == 2 && y.shndx == text->index && y.bind() == 1;
      if (y.name == "x") x = y.type() == 1 && y.size == 4;
    }
    EXPECT_TRUE(f && x);
    // The text's relocations reference x (RELA on the 64-bit targets, REL on i386).
    auto rel = v->section_named(t.is64 ? ".rela.text" : ".rel.text");
    ASSERT_TRUE(rel);
    auto symbols = v->symbols(*symtab);
    bool to_x = false;
    for (const elfview::Relocation& r : v->relocations(*rel))
      to_x |= r.symbol < symbols.size() && symbols[r.symbol].name == "x" && r.type != 0;
    EXPECT_TRUE(to_x);
  }
}

TEST(ElfView, TruncatedOrCorruptObjectsAreRefusedOrReadInsideTheBuffer) {
  std::vector<u8> bytes = compile(kSource, Variant{"c", "--target=aarch64_be-linux-gnu -O1"});
  ASSERT_FALSE(bytes.empty());
  // Every prefix: opens or is refused; what opens reads only its own bytes
  // (ASan/_GLIBCXX_ASSERTIONS builds catch a read past the copy).
  size_t opened = 0;
  std::string why;
  for (size_t n = 0; n <= bytes.size(); n = n == bytes.size() ? n + 1 : std::min(n + 7, bytes.size())) {
    std::vector<u8> cut(bytes.begin(), bytes.begin() + n);
    auto v = elfview::View::open(cut);
    if (!v) continue;
    opened++;
    for (const elfview::Section& s : v->sections()) {
      (void)v->contents(s);
      if (s.type == 2) (void)v->symbols(s);
      if (s.type == 4 || s.type == 9) (void)v->relocations(s);
    }
  }
  EXPECT_EQ(opened, 1u);  // the whole file only: its section table is at its end
  // Every section's size and offset made huge: whatever opens reads nothing
  // outside (contents are empty, tables yield no entries).
  auto v = elfview::View::open(bytes);
  ASSERT_TRUE(v);
  const elfview::Layout& l = v->layout();
  const u64 shoff = v->rd(l.e_shoff, l.e_shoff_w);
  for (u64 i = 1; i < v->section_count(); i++) {
    std::vector<u8> bad = bytes;
    for (unsigned k = 0; k < l.sh_word; k++) bad[shoff + i * l.shdr_size + l.sh_size + k] = 0x7f;
    auto w = elfview::View::open(bad, &why);
    if (!w) {  // only the section-name table is checked up front
      EXPECT_EQ(i, v->rd(l.e_shstrndx, 2));
      EXPECT_EQ(why, "section names outside the file");
      continue;
    }
    auto sec = w->section(i);
    ASSERT_TRUE(sec);
    EXPECT_TRUE(w->contents(*sec).empty());
    EXPECT_TRUE(w->symbols(*sec).empty());
    EXPECT_TRUE(w->relocations(*sec).empty());
  }
  std::vector<u8> bad = bytes;
  bad[4] = 3;  // EI_CLASS
  EXPECT_FALSE(elfview::View::open(bad, &why));
  EXPECT_EQ(why, "unknown ELF class");
  bad = bytes;
  bad[5] = 0;  // EI_DATA
  EXPECT_FALSE(elfview::View::open(bad, &why));
  EXPECT_EQ(why, "unknown ELF byte order");
}

// TLS variant I on AArch64: the block starts after the 16-byte TCB, so
// the first TLS section sits at a positive offset; x86-64 (variant II)
// puts the block below the thread pointer.
TEST(ElfView, PlacementUsesTheArchitecturesTlsVariant) {
  for (const char* target : {"--target=aarch64-linux-gnu", "--target=aarch64_be-linux-gnu", "--target=x86_64-linux-gnu"}) {
    SCOPED_TRACE(target);
    std::vector<u8> bytes = compile(kSource, Variant{"c", (std::string(target) + " -O1").c_str()});
    ASSERT_FALSE(bytes.empty());
    Placement p = plan_placement(bytes, LoadScenario{});
    ASSERT_TRUE(p.ok) << p.error;
    bool aarch64 = std::string(target).find("aarch64") != std::string::npos;
    int tls = 0;
    for (const PlannedSection& s : p.sections) {
      if (!s.tls) continue;
      tls++;
      if (aarch64) EXPECT_GE(s.tp_offset, 16) << s.name;
      else EXPECT_LT(s.tp_offset, 0) << s.name;
    }
    EXPECT_EQ(tls, 2);  // .tdata and .tbss
    auto v = elfview::View::open(bytes);
    ASSERT_TRUE(v);
    const ReportArch* a = find_arch(*v);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->tls_variant, aarch64 ? 1 : 2);
  }
}

}  // namespace
}  // namespace jitload::conformance
