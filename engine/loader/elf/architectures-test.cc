// The ELF architecture list: one entry per (machine, class, byte order), since
// the loader takes the entry that matches an object's header (the last, were
// there two), and every entry with its relocation table.
#include <gtest/gtest.h>

#include <set>
#include <tuple>
#include <vector>

#include "engine/loader/elf/arch.h"

namespace jitload::elf {
namespace {

TEST(ElfArchitectures, OnePerMachineClassAndByteOrder) {
  std::set<std::tuple<u16, u8, bool>> seen;
  for (const ElfArch* a : elf_architectures()) {
    ASSERT_NE(a->reloc, nullptr);
    EXPECT_TRUE(seen.insert({a->machine, a->elf_class, a->little_endian}).second) << a->reloc->name;
  }
  EXPECT_FALSE(seen.empty());
}

// The loader makes a plain type's entry itself instead of calling scan
// (ElfPlainType, loader.cc's plain_run): for every such row, with a symbol
// bound to one of the object's sections and not thread-local and its field
// inside the section, scan must do exactly that — the row's flags, the
// row's width, nothing else (no patch, no skip, no state, no error).
TEST(ElfArchitectures, PlainTypesAreWhatScanDoes) {
  size_t checked = 0;
  for (const ElfArch* a : elf_architectures()) {
    if (!a->plain_types) continue;
    LoadedSection section;
    section.name = ".text";
    std::vector<u8> bytes(64, 0);
    for (u32 type = 0; type < a->plain_type_count; type++) {
      const ElfPlainType& plain = a->plain_types[type];
      if (plain.width == 0) continue;
      EXPECT_TRUE(plain.flags == 0 || plain.flags == (kRelGot | kRelNeedsGot)) << a->reloc->name << " type " << type;
      for (u64 offset : {u64(0), u64(8), u64(64 - plain.width)}) {
        std::vector<Patch> patches;
        ElfScan scan;
        scan.object_name = "plain.o";
        scan.sections = &section;
        scan.bytes = bytes;
        scan.section_size = bytes.size();
        scan.patches = &patches;
        scan.arch = a->reloc;
        scan.name_of_ = [](void*, u32) { return std::string_view("sym"); };
        scan.own_name_of_ = [](void*, u32) { return std::string_view("sym"); };
        ElfRelocation r;
        r.offset = offset;
        r.type = type;
        r.symbol = 1;
        r.symbol_bits = 0;  // bound here, not thread-local
        RelocationEntry e;
        e.target_kind = TargetKind::Section;
        Error err = a->scan(scan, r, e);
        ASSERT_FALSE(err) << a->reloc->name << " type " << type << ": " << err.message();
        EXPECT_EQ(e.flags, plain.flags) << a->reloc->name << " type " << type;
        EXPECT_EQ(scan.field_width, plain.width) << a->reloc->name << " type " << type;
        EXPECT_EQ(e.type, 0) << "scan rewrote the type";
        EXPECT_EQ(e.slot, kNone);
        EXPECT_EQ(e.target_kind, TargetKind::Section);
        EXPECT_TRUE(patches.empty());
        EXPECT_FALSE(scan.skip_next);
        EXPECT_FALSE(scan.pending_pairs);
        EXPECT_EQ(scan.arch_state, 0u);
        EXPECT_EQ(scan.arch_table_state, 0u);
        checked++;
      }
      // One byte past the section: not plain any more, and scan refuses it.
      ElfScan scan;
      std::vector<Patch> patches;
      scan.object_name = "plain.o";
      scan.sections = &section;
      scan.bytes = bytes;
      scan.section_size = bytes.size();
      scan.patches = &patches;
      scan.arch = a->reloc;
      scan.name_of_ = [](void*, u32) { return std::string_view("sym"); };
      scan.own_name_of_ = [](void*, u32) { return std::string_view("sym"); };
      ElfRelocation r;
      r.offset = 64 - plain.width + 1;
      r.type = type;
      r.symbol = 1;
      RelocationEntry e;
      EXPECT_TRUE(bool(a->scan(scan, r, e))) << a->reloc->name << " type " << type << ": a field past the end";
    }
  }
  EXPECT_GT(checked, 0u);  // x86-64 has plain types
}

}  // namespace
}  // namespace jitload::elf
