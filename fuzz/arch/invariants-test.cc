// The harness's per-architecture registry: a type number is read with its
// machine, class and byte order from the object's own header.
#include "fuzz/arch/invariants.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "fuzz/arch/elf-layout.h"
#include "fuzz/harness.h"
#include "fuzz/mutate.h"
#include "fuzz/reduce.h"

namespace jitload::fuzz {
namespace {

std::vector<uint8_t> header(uint8_t cls, uint8_t data, uint16_t machine) {
  std::vector<uint8_t> h(64, 0);
  std::memcpy(h.data(), "\x7f" "ELF", 4);
  h[4] = cls, h[5] = data, h[6] = 1;
  if (data == 1) h[18] = uint8_t(machine), h[19] = uint8_t(machine >> 8);
  else h[18] = uint8_t(machine >> 8), h[19] = uint8_t(machine);
  return h;
}

const ArchInvariants* arch_of(const std::vector<uint8_t>& h) {
  auto id = read_ident(h.data(), h.size());
  return id ? find_arch(*id) : nullptr;
}

TEST(FuzzArchRegistry, X86_64TypesAreX86_64s) {
  const ArchInvariants* a = arch_of(header(2, 1, 62));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "x86-64");
  auto pc32 = a->simple_field(2);
  ASSERT_TRUE(pc32);
  EXPECT_EQ(pc32->width, 4u);
  EXPECT_TRUE(pc32->pc_relative);
  EXPECT_FALSE(a->simple_field(261));
}

// On ARM (ELF32, EM_ARM = 40) and MIPS (EM_MIPS = 8, big-endian) 1, 2 and
// 10 are other relocations: no registry entry, so no x86 check of them.
TEST(FuzzArchRegistry, UnknownMachinesGetNoX86Checks) {
  EXPECT_EQ(arch_of(header(1, 1, 40)), nullptr);
  EXPECT_EQ(arch_of(header(1, 2, 8)), nullptr);
  EXPECT_EQ(arch_of(header(2, 2, 62)), nullptr);  // x86-64 is little-endian only
}

TEST(FuzzArchRegistry, AArch64BothByteOrders) {
  const ArchInvariants* le = arch_of(header(2, 1, 183));
  const ArchInvariants* be = arch_of(header(2, 2, 183));
  ASSERT_NE(le, nullptr);
  ASSERT_NE(be, nullptr);
  EXPECT_EQ(le->name, "aarch64");
  EXPECT_EQ(be->name, "aarch64_be");
  EXPECT_FALSE(le->simple_field(2));  // not R_X86_64_PC32 here
  auto prel32 = be->simple_field(261);
  ASSERT_TRUE(prel32);
  EXPECT_TRUE(prel32->pc_relative);
  EXPECT_EQ(be->simple_field(259)->width, 2u);  // ABS16
  EXPECT_FALSE(le->simple_field(283));          // CALL26: an instruction field, left to the differential
}

// RISC-V: one machine number, two classes (RV64, RV32); 1 and 2 are
// R_RISCV_32/64 here, not x86-64's 64/PC32.
TEST(FuzzArchRegistry, RiscVBothClasses) {
  const ArchInvariants* rv64 = arch_of(header(2, 1, 243));
  const ArchInvariants* rv32 = arch_of(header(1, 1, 243));
  ASSERT_NE(rv64, nullptr);
  ASSERT_NE(rv32, nullptr);
  EXPECT_EQ(rv64->name, "riscv64");
  EXPECT_EQ(rv32->name, "riscv32");
  EXPECT_EQ(arch_of(header(2, 2, 243)), nullptr);  // no big-endian RISC-V
  auto w64 = rv64->simple_field(2), w32 = rv32->simple_field(1);
  ASSERT_TRUE(w64);
  ASSERT_TRUE(w32);
  EXPECT_EQ(w64->width, 8u);
  EXPECT_FALSE(w64->pc_relative);
  EXPECT_EQ(w32->width, 4u);
  EXPECT_TRUE(rv32->simple_field(57)->pc_relative);  // 32_PCREL
  EXPECT_FALSE(rv64->simple_field(19));              // CALL_PLT: an instruction pair, left to the differential
  EXPECT_FALSE(rv64->simple_field(35));              // ADD32: reads what the entry before it wrote
}

// LoongArch64: ELFCLASS64 little-endian only; 1/2/99/109 are its simple
// data fields, the instruction pieces are not.
TEST(FuzzArchRegistry, LoongArch64) {
  const ArchInvariants* la = arch_of(header(2, 1, 258));
  ASSERT_NE(la, nullptr);
  EXPECT_EQ(la->name, "loongarch64");
  EXPECT_EQ(arch_of(header(1, 1, 258)), nullptr);  // no LA32 here
  EXPECT_EQ(arch_of(header(2, 2, 258)), nullptr);
  ASSERT_TRUE(la->simple_field(2));
  EXPECT_EQ(la->simple_field(2)->width, 8u);
  EXPECT_TRUE(la->simple_field(99)->pc_relative);    // 32_PCREL
  EXPECT_TRUE(la->simple_field(109)->pc_relative);   // 64_PCREL
  EXPECT_EQ(la->simple_field(109)->width, 8u);
  EXPECT_FALSE(la->simple_field(71));                // PCALA_HI20: an instruction piece
  EXPECT_FALSE(la->simple_field(50));                // ADD32: reads what the entry before it wrote
}

TEST(FuzzArchRegistry, FieldsReadInTheObjectsByteOrder) {
  const uint8_t b[4] = {0x12, 0x34, 0x56, 0x78};
  EXPECT_EQ(read_field(b, 4, true), 0x78563412u);
  EXPECT_EQ(read_field(b, 4, false), 0x12345678u);
  EXPECT_EQ(read_field(b, 2, false), 0x1234u);
}

TEST(FuzzArchRegistry, BadIdentIsNoArch) {
  auto h = header(3, 1, 62);
  EXPECT_FALSE(read_ident(h.data(), h.size()));
  h = header(2, 0, 62);
  EXPECT_FALSE(read_ident(h.data(), h.size()));
  EXPECT_FALSE(read_ident(h.data(), 10));
}

// The harness on an object of a machine the engine does not load (yet):
// a clean rejection, no finding, nothing checked.
TEST(FuzzArchRegistry, HarnessOnAnUnknownMachineFindsNothing) {
  auto h = header(1, 1, 40);
  Verdict v = check_object(h.data(), h.size());
  EXPECT_FALSE(v.loaded);
  EXPECT_TRUE(v.finding.empty());
  EXPECT_EQ(v.checked, 0u);
}

}  // namespace
}  // namespace jitload::fuzz

// ---- The structure-aware mutator and the reducer on other classes and byte
// orders (fuzz/arch/elf-layout.h) ----

namespace jitload::fuzz {
namespace {

std::vector<uint8_t> slurp(const std::string& path) {
  std::vector<uint8_t> b;
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    uint8_t buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) b.insert(b.end(), buf, buf + n);
    std::fclose(f);
  }
  return b;
}

// (type, symbol) of every entry of every SHT_REL/SHT_RELA section.
std::vector<std::pair<uint32_t, uint64_t>> relocations_of(const std::vector<uint8_t>& b) {
  std::vector<std::pair<uint32_t, uint64_t>> out;
  auto L = elf_layout(b.data(), b.size());
  if (!L) return out;
  uint64_t shoff = L->get(b.data() + L->e_shoff, L->word), shnum = L->get(b.data() + L->e_shnum, 2);
  for (uint64_t i = 0; i < shnum && shoff + (i + 1) * L->shdr <= b.size(); i++) {
    const uint8_t* h = b.data() + shoff + i * L->shdr;
    uint32_t type = uint32_t(L->get(h + L->sh_type, 4));
    if (type != 4 && type != 9) continue;
    uint64_t off = L->get(h + L->sh_offset, L->word), size = L->get(h + L->sh_size, L->word);
    uint64_t ent = type == 4 ? L->rela : L->rel;
    for (uint64_t e = off; e + ent <= off + size && e + ent <= b.size(); e += ent) {
      uint64_t info = L->get(b.data() + e + L->word, L->word);
      out.emplace_back(L->r_type(info), L->r_sym(info));
    }
  }
  return out;
}

const std::string kSeeds = JITLOAD_SOURCE_DIR "/corpora/object-bytes/seeds/";
const std::string kTestdata = JITLOAD_SOURCE_DIR "/fuzz/testdata/";

TEST(FuzzLayout, ReadsEveryClassAndByteOrder) {
  struct Case {
    std::string file;
    bool is64, le;
    uint32_t type;
    size_t count;
  } cases[] = {{kSeeds + "a64-le-data-text.o", true, true, 261, 7},
               {kSeeds + "a64-be-data-text.o", true, false, 261, 7},
               {kTestdata + "elf32-be-rel-mips.o", false, false, 2, 3},
               {kTestdata + "elf32-le-rel-arm.o", false, true, 2, 3}};
  for (const Case& c : cases) {
    auto b = slurp(c.file);
    ASSERT_FALSE(b.empty()) << c.file;
    auto L = elf_layout(b.data(), b.size());
    ASSERT_TRUE(L) << c.file;
    EXPECT_EQ(L->is64, c.is64) << c.file;
    EXPECT_EQ(L->le, c.le) << c.file;
    auto r = relocations_of(b);
    EXPECT_EQ(r.size(), c.count) << c.file;
    EXPECT_TRUE(std::any_of(r.begin(), r.end(), [&](auto& x) { return x.first == c.type; })) << c.file;
  }
}

// Mutants of an AArch64 big-endian object keep its structure (the same
// relocation count, read in big-endian) and carry AArch64 type numbers only.
TEST(FuzzMutator, AArch64BigEndianMutantsUseAArch64Types) {
  auto seed = slurp(kSeeds + "a64-be-data-text.o");
  ASSERT_FALSE(seed.empty());
  const ArchInvariants& a = kAArch64BeInvariants;
  std::set<uint32_t> allowed(a.mutation_types, a.mutation_types + a.mutation_type_count);
  for (auto& [t, s] : relocations_of(seed)) allowed.insert(t);
  unsigned changed_types = 0, mutated = 0;
  for (uint64_t k = 0; k < 400; k++) {
    std::vector<uint8_t> m = seed;
    std::mt19937_64 rng(k);
    if (!mutate_structure(m.data(), m.size(), rng)) continue;
    mutated++;
    auto before = relocations_of(seed), after = relocations_of(m);
    if (after.size() != before.size()) continue;  // a section header's size or the table moved: fine
    for (size_t i = 0; i < after.size(); i++) {
      EXPECT_TRUE(allowed.count(after[i].first)) << "type " << after[i].first << " (seed " << k << ")";
      if (after[i].first != before[i].first) changed_types++;
    }
  }
  EXPECT_GT(mutated, 300u);
  EXPECT_GT(changed_types, 10u);  // the type mutation happened, in big-endian r_info
}

// Mutants of RISC-V seeds (RV64 and RV32, RELA) carry RISC-V type numbers
// only, in each class's r_info split.
TEST(FuzzMutator, RiscVMutantsUseRiscVTypes) {
  for (const char* file : {"rv64-calls-O1.o", "rv32-calls-O1norelax.o"}) {
    auto seed = slurp(kSeeds + file);
    ASSERT_FALSE(seed.empty()) << file;
    auto id = read_ident(seed.data(), seed.size());
    ASSERT_TRUE(id);
    const ArchInvariants* a = find_arch(*id);
    ASSERT_NE(a, nullptr) << file;
    std::set<uint32_t> allowed(a->mutation_types, a->mutation_types + a->mutation_type_count);
    for (auto& [t, s] : relocations_of(seed)) allowed.insert(t);
    unsigned changed_types = 0;
    for (uint64_t k = 0; k < 400; k++) {
      std::vector<uint8_t> m = seed;
      std::mt19937_64 rng(k);
      if (!mutate_structure(m.data(), m.size(), rng)) continue;
      auto before = relocations_of(seed), after = relocations_of(m);
      if (after.size() != before.size()) continue;
      for (size_t i = 0; i < after.size(); i++) {
        EXPECT_TRUE(allowed.count(after[i].first)) << file << ": type " << after[i].first << " (seed " << k << ")";
        if (after[i].first != before[i].first) {
          changed_types++;
          EXPECT_EQ(after[i].second, before[i].second) << file << " (seed " << k << ")";
        }
      }
    }
    EXPECT_GT(changed_types, 10u) << file;
  }
}

// Mutants of LoongArch seeds carry LoongArch type numbers only.
TEST(FuzzMutator, LoongArchMutantsUseLoongArchTypes) {
  for (const char* file : {"la64-calls-O1.o", "la64-s-labels.o"}) {
    auto seed = slurp(kSeeds + file);
    ASSERT_FALSE(seed.empty()) << file;
    auto id = read_ident(seed.data(), seed.size());
    ASSERT_TRUE(id);
    const ArchInvariants* a = find_arch(*id);
    ASSERT_NE(a, nullptr) << file;
    EXPECT_EQ(a->name, "loongarch64");
    std::set<uint32_t> allowed(a->mutation_types, a->mutation_types + a->mutation_type_count);
    for (auto& [t, s] : relocations_of(seed)) allowed.insert(t);
    unsigned changed_types = 0;
    for (uint64_t k = 0; k < 400; k++) {
      std::vector<uint8_t> m = seed;
      std::mt19937_64 rng(k);
      if (!mutate_structure(m.data(), m.size(), rng)) continue;
      auto before = relocations_of(seed), after = relocations_of(m);
      if (after.size() != before.size()) continue;
      for (size_t i = 0; i < after.size(); i++) {
        EXPECT_TRUE(allowed.count(after[i].first)) << file << ": type " << after[i].first << " (seed " << k << ")";
        if (after[i].first != before[i].first) changed_types++;
      }
    }
    EXPECT_GT(changed_types, 10u) << file;
  }
}

// ELF32 REL (MIPS, big-endian): r_info is sym << 8 | type; the mutator
// keeps that split (the symbol index survives a type change).
TEST(FuzzMutator, Elf32RelKeepsTheInfoSplit) {
  auto seed = slurp(kTestdata + "elf32-be-rel-mips.o");
  ASSERT_FALSE(seed.empty());
  auto before = relocations_of(seed);
  unsigned type_changes = 0;
  for (uint64_t k = 0; k < 400; k++) {
    std::vector<uint8_t> m = seed;
    std::mt19937_64 rng(k);
    if (!mutate_structure(m.data(), m.size(), rng)) continue;
    auto after = relocations_of(m);
    if (after.size() != before.size()) continue;
    for (size_t i = 0; i < after.size(); i++)
      if (after[i].first != before[i].first) {
        type_changes++;
        EXPECT_EQ(after[i].second, before[i].second) << "seed " << k;
        EXPECT_LT(after[i].first, 256u);
      }
  }
  EXPECT_GT(type_changes, 5u);
}

// The reducer removes relocation entries and neutralises symbols in the
// object's own class and byte order.
TEST(FuzzReducer, ShrinksBigEndianAndElf32Objects) {
  for (std::string file : {kSeeds + "a64-be-data-text.o", kTestdata + "elf32-be-rel-mips.o"}) {
    auto seed = slurp(file);
    ASSERT_FALSE(seed.empty());
    auto L = elf_layout(seed.data(), seed.size());
    ASSERT_TRUE(L);
    uint32_t keep = L->is64 ? 261 : 2;  // R_AARCH64_PREL32 / R_MIPS_32
    ReduceStats st;
    auto out = reduce_object(seed, [&](const std::vector<uint8_t>& c) {
      auto r = relocations_of(c);
      return std::any_of(r.begin(), r.end(), [&](auto& x) { return x.first == keep; });
    }, 10.0, &st);
    auto r = relocations_of(out);
    ASSERT_EQ(r.size(), 1u) << file;
    EXPECT_EQ(r[0].first, keep) << file;
    EXPECT_GT(st.relocations_removed, 1u) << file;
    EXPECT_GT(st.symbols_zeroed, 0u) << file;
  }
}

}  // namespace
}  // namespace jitload::fuzz

// ---- Mach-O: the registry by format, the structure mutator, the harness ----

#include "fuzz/arch/macho-layout.h"

namespace jitload::fuzz {
namespace {

struct MachoReloc {
  bool scattered;
  uint32_t type, address, symbolnum;
};
std::vector<MachoReloc> macho_relocations_of(const std::vector<uint8_t>& b) {
  std::vector<MachoReloc> out;
  auto v = macho_view(b.data(), b.size());
  if (!v) return out;
  for (const MachoView::Section& s : v->sections)
    for (uint32_t i = 0; i < s.nreloc; i++) {
      const uint8_t* e = b.data() + s.reloff + 8 * uint64_t(i);
      uint32_t w0 = uint32_t(MachoLayout::get(e, 4)), w1 = uint32_t(MachoLayout::get(e + 4, 4));
      if (w0 & 0x80000000u) out.push_back({true, (w0 >> 24) & 15, w0 & 0xffffff, 0});
      else out.push_back({false, w1 >> 28, w0, w1 & 0xffffff});
    }
  return out;
}

TEST(FuzzArchRegistry, MachOX86_64IsKeyedByFormatAndCpuType) {
  auto seed = slurp(kSeeds + "macho-x86_64-s-relocs.o");
  ASSERT_FALSE(seed.empty());
  auto id = read_ident(seed.data(), seed.size());
  ASSERT_TRUE(id);
  EXPECT_EQ(id->format, ObjectFormat::MachO);
  EXPECT_EQ(id->machine, 0x01000007u);
  const ArchInvariants* a = find_arch(*id);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "macho-x86_64");
  // A report's Mach-O type is r_type | r_length << 4.
  auto uns64 = a->simple_field(0x30), signed1 = a->simple_field(0x26), branch = a->simple_field(0x22);
  ASSERT_TRUE(uns64 && signed1 && branch);
  EXPECT_EQ(uns64->width, 8u);
  EXPECT_FALSE(uns64->pc_relative);
  EXPECT_TRUE(signed1->pc_relative);
  EXPECT_EQ(signed1->pc_bias, 4u);  // relative to the field's end
  EXPECT_FALSE(a->simple_field(0x23));  // GOT_LOAD: a slot's address
  EXPECT_FALSE(a->simple_field(0x35));  // SUBTRACTOR (r_length 3)
  EXPECT_FALSE(a->simple_field(0x01));  // SIGNED with r_length 0: not a field the loaders accept
  // The same number as an ELF machine is another architecture (and no ELF
  // header is read as Mach-O's).
  ObjectIdent elf{0x01000007u, 2, true, ObjectFormat::Elf};
  EXPECT_EQ(find_arch(elf), nullptr);
  EXPECT_EQ(arch_of(header(2, 1, 62))->name, "x86-64");
}

// arm64 Mach-O: its own entry (UNSIGNED as data; SUBTRACTOR is 1 here,
// not x86-64's 5); a 32-bit Mach-O header of the same cputype is not it.
TEST(FuzzArchRegistry, MachOArm64) {
  std::vector<uint8_t> h(32, 0);
  const uint8_t magic[] = {0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0x00, 0x00, 0x01};
  std::memcpy(h.data(), magic, sizeof magic);
  const ArchInvariants* a = arch_of(h);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "macho-arm64");
  EXPECT_EQ(a->pair_head, 1u);
  EXPECT_EQ(a->simple_field(0x30)->width, 8u);
  EXPECT_FALSE(a->simple_field(0x22));  // BRANCH26: an instruction field
  h[0] = 0xce;                          // MH_MAGIC: 32-bit
  EXPECT_EQ(arch_of(h), nullptr);
}

// i386 Mach-O (MH_MAGIC, CPU_TYPE_X86 = 7): a report's type is r_type |
// r_length << 4 | r_pcrel << 6; VANILLA at every width (pc-relative ones
// from the field's end) and PB_LA_PTR are S + A; SECTDIFF then PAIR is the
// mutator's pair. A 64-bit header of cputype 7 is nothing registered.
TEST(FuzzArchRegistry, MachOI386) {
  auto seed = slurp(kSeeds + "macho-i386-s-relocs.o");
  ASSERT_FALSE(seed.empty());
  const ArchInvariants* a = arch_of(seed);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "macho-i386");
  EXPECT_EQ(a->machine, 7u);
  EXPECT_EQ(a->elf_class, 1u);
  EXPECT_EQ(a->pair_head, 2u);  // GENERIC_RELOC_SECTDIFF
  EXPECT_EQ(a->pair_tail, 1u);  // GENERIC_RELOC_PAIR
  auto abs4 = a->simple_field(0x20), abs2 = a->simple_field(0x10), pc4 = a->simple_field(0x60),
       pc1 = a->simple_field(0x40), lazy = a->simple_field(0x23);
  ASSERT_TRUE(abs4 && abs2 && pc4 && pc1 && lazy);
  EXPECT_EQ(abs4->width, 4u);
  EXPECT_FALSE(abs4->pc_relative);
  EXPECT_EQ(abs2->width, 2u);
  EXPECT_TRUE(pc4->pc_relative);
  EXPECT_EQ(pc4->pc_bias, 4u);  // relative to the field's end
  EXPECT_EQ(pc1->width, 1u);
  EXPECT_EQ(pc1->pc_bias, 1u);
  EXPECT_FALSE(lazy->pc_relative);
  EXPECT_FALSE(a->simple_field(0x22));  // SECTDIFF: A - B
  EXPECT_FALSE(a->simple_field(0x24));  // LOCAL_SECTDIFF
  EXPECT_FALSE(a->simple_field(0x21));  // PAIR: no field
  EXPECT_FALSE(a->simple_field(0x25));  // TLV: a slot's address
  EXPECT_FALSE(a->simple_field(0x30));  // r_length 3: not an i386 field
  seed[0] = 0xcf;                       // MH_MAGIC_64 with cputype 7
  EXPECT_EQ(arch_of(seed), nullptr);
}

// ARM Mach-O (MH_MAGIC, CPU_TYPE_ARM = 12): a report's type carries
// r_pcrel in bit 6, as i386's; VANILLA and PB_LA_PTR are S + A, branches
// and movw/movt halves are instruction fields; HALF then PAIR is the
// mutator's pair.
TEST(FuzzArchRegistry, MachOArm) {
  auto seed = slurp(kSeeds + "macho-arm-s-relocs.o");
  ASSERT_FALSE(seed.empty());
  const ArchInvariants* a = arch_of(seed);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "macho-arm");
  EXPECT_EQ(a->machine, 12u);
  EXPECT_EQ(a->pair_head, 8u);  // ARM_RELOC_HALF
  EXPECT_EQ(a->pair_tail, 1u);  // ARM_RELOC_PAIR
  for (uint32_t t : {0x20u, 0x24u}) {
    auto f = a->simple_field(t);
    ASSERT_TRUE(f) << t;
    EXPECT_EQ(f->width, 4u);
    EXPECT_FALSE(f->pc_relative);
  }
  for (uint32_t t : {0x65u, 0x66u, 0x08u, 0x18u, 0x29u, 0x22u, 0x23u, 0x21u, 0x10u, 0x60u})
    EXPECT_FALSE(a->simple_field(t)) << t;  // BR24, BR22, HALF (lo, hi), HALF_SECTDIFF, SECTDIFFs, PAIR, 2 bytes, pcrel
  seed[0] = 0xcf;  // MH_MAGIC_64 with cputype 12: not arm64 (0x0100000c)
  EXPECT_EQ(arch_of(seed), nullptr);
}

// The 32-bit seeds load in the engine, with their plain fields checked
// (VANILLA, PB_LA_PTR), and engine and reference agree on each.
TEST(FuzzArchRegistry, MachO32SeedsLoadAndAreChecked) {
  for (const char* arch : {"i386", "arm"}) {
    uint32_t checked = 0, seeds = 0;
    for (const char* f : {"calls-O1.o", "calls-eh.o", "calls-arm.o", "calls-nopic.o", "common-O0.o", "ctor-O1.o",
                          "s-relocs.o", "tlv-O1.o"}) {
      auto seed = slurp(kSeeds + "macho-" + arch + "-" + f);
      if (seed.empty()) continue;
      seeds++;
      Checked c = check_and_compare(seed.data(), seed.size());
      EXPECT_TRUE(c.engine.loaded) << arch << " " << f << ": " << c.engine.error;
      EXPECT_TRUE(c.engine.finding.empty()) << arch << " " << f << ": " << c.engine.finding;
      EXPECT_TRUE(c.diff.finding.empty()) << arch << " " << f << ": " << c.diff.finding;
      EXPECT_TRUE(c.diff.compared && c.diff.engine_loaded) << arch << " " << f;
      checked += c.engine.checked;
    }
    EXPECT_EQ(seeds, 6u) << arch;
    // (measured: i386 20, ARM 9 — ARM's instruction fields are not plain)
    EXPECT_GE(checked, std::string(arch) == "i386" ? 18u : 8u) << arch;
    std::printf("macho-%s seeds: %u fields checked\n", arch, checked);
  }
}

TEST(FuzzMutator, FormatRegistryPicksTheObjectsFormat) {
  auto macho = slurp(kSeeds + "macho-x86_64-calls-O1.o"), elf = slurp(kSeeds + "s-pc32.o");
  ASSERT_FALSE(macho.empty());
  ASSERT_FALSE(elf.empty());
  ASSERT_NE(format_mutator(macho.data(), macho.size()), nullptr);
  EXPECT_STREQ(format_mutator(macho.data(), macho.size())->name, "Mach-O");
  EXPECT_STREQ(format_mutator(elf.data(), elf.size())->name, "ELF");
  EXPECT_GT(format_mutator(macho.data(), macho.size())->campaign_eighths, 0u);
  EXPECT_EQ(format_mutator(elf.data(), elf.size())->campaign_eighths, 0u);  // the campaign's ELF mutants: bytes
  std::vector<uint8_t> junk(128, 0x5a);
  EXPECT_EQ(format_mutator(junk.data(), junk.size()), nullptr);
  std::mt19937_64 rng(1);
  EXPECT_FALSE(mutate_structure(junk.data(), junk.size(), rng));
  // Truncated headers: nothing to walk, nothing written outside.
  for (size_t n : {0, 4, 27, 31, 40}) {
    std::vector<uint8_t> t(macho.begin(), macho.begin() + std::min(n, macho.size()));
    for (uint64_t k = 0; k < 50; k++) {
      std::mt19937_64 r(k);
      mutate_structure(t.data(), t.size(), r);
    }
  }
}

// Mutants of the x86-64 assembly seed: relocation types are Mach-O x86-64's
// (or the seed's), SUBTRACTOR pairs are made and broken, entries become
// scattered, and every kind of structure changes across the mutants.
TEST(FuzzMutator, MachOMutantsUseMachOTypesAndPairs) {
  auto seed = slurp(kSeeds + "macho-x86_64-s-relocs.o");
  ASSERT_FALSE(seed.empty());
  const ArchInvariants& a = kMachOX86_64Invariants;
  std::set<uint32_t> allowed(a.mutation_types, a.mutation_types + a.mutation_type_count);
  auto before = macho_relocations_of(seed);
  ASSERT_EQ(before.size(), 22u);
  for (auto& r : before) allowed.insert(r.type);
  unsigned mutated = 0, changed_types = 0, new_heads = 0, scattered = 0, header_changes = 0, command_changes = 0,
           symbol_changes = 0, section_changes = 0;
  auto v0 = macho_view(seed.data(), seed.size());
  ASSERT_TRUE(v0);
  const size_t cmds_end = v0->L.header + MachoLayout::get(seed.data() + 20, 4);
  for (uint64_t k = 0; k < 2000; k++) {
    std::vector<uint8_t> m = seed;
    std::mt19937_64 rng(k);
    if (!mutate_structure(m.data(), m.size(), rng)) continue;
    ASSERT_EQ(m.size(), seed.size());
    mutated++;
    size_t first = std::mismatch(m.begin(), m.end(), seed.begin()).first - m.begin();
    if (first < 32) header_changes++;
    else if (first < cmds_end) command_changes++;
    if (first >= v0->symoff && first < v0->symoff + v0->nsyms * v0->L.nlist) symbol_changes++;
    for (auto& s : v0->sections)
      if (first >= s.at && first < s.at + v0->L.section) section_changes++;
    if (first < cmds_end) continue;  // the headers changed (a table moved): its entries are other bytes
    auto after = macho_relocations_of(m);
    if (after.size() != before.size()) continue;
    for (size_t i = 0; i < after.size(); i++) {
      if (after[i].scattered && !before[i].scattered) scattered++;
      if (after[i].scattered) continue;
      EXPECT_TRUE(allowed.count(after[i].type)) << "type " << after[i].type << " (seed " << k << ")";
      if (after[i].type != before[i].type) changed_types++;
      if (after[i].type == a.pair_head && before[i].type != a.pair_head) new_heads++;
    }
  }
  EXPECT_GT(mutated, 1800u);
  EXPECT_GT(changed_types, 50u);
  EXPECT_GT(new_heads, 20u);
  EXPECT_GT(scattered, 10u);
  EXPECT_GT(header_changes, 10u);
  EXPECT_GT(command_changes, 100u);
  EXPECT_GT(section_changes, 100u);
  EXPECT_GT(symbol_changes, 50u);
}

// Mutants of the arm64 assembly seed carry arm64 types (SUBTRACTOR is 1
// there): the mutator takes its numbers from the object's own CPU.
TEST(FuzzMutator, MachOArm64MutantsUseArm64Types) {
  auto seed = slurp(kSeeds + "macho-arm64-s-relocs.o");
  ASSERT_FALSE(seed.empty());
  const ArchInvariants& a = kMachOArm64Invariants;
  std::set<uint32_t> allowed(a.mutation_types, a.mutation_types + a.mutation_type_count);
  auto before = macho_relocations_of(seed);
  ASSERT_GT(before.size(), 15u);
  auto v0 = macho_view(seed.data(), seed.size());
  ASSERT_TRUE(v0);
  const size_t cmds_end = v0->L.header + MachoLayout::get(seed.data() + 20, 4);
  unsigned new_heads = 0, changed = 0;
  for (uint64_t k = 0; k < 2000; k++) {
    std::vector<uint8_t> m = seed;
    std::mt19937_64 rng(k);
    if (!mutate_structure(m.data(), m.size(), rng)) continue;
    if (size_t(std::mismatch(m.begin(), m.end(), seed.begin()).first - m.begin()) < cmds_end) continue;
    auto after = macho_relocations_of(m);
    if (after.size() != before.size()) continue;
    for (size_t i = 0; i < after.size(); i++) {
      if (after[i].scattered) continue;
      EXPECT_TRUE(allowed.count(after[i].type)) << "type " << after[i].type << " (seed " << k << ")";
      changed += after[i].type != before[i].type;
      new_heads += after[i].type == 1 && before[i].type != 1;
    }
  }
  EXPECT_GT(changed, 50u);
  EXPECT_GT(new_heads, 20u);
}

// Mutants of the 32-bit assembly seeds carry the CPU's own types, in plain
// and scattered entries alike (i386 and ARM number differently: SECTDIFF
// is 2 on both, but ARM's 3 is LOCAL_SECTDIFF and 8 HALF), and the
// mutator makes the CPU's pair heads.
void expect_own_types(const char* file, const ArchInvariants& a) {
  auto seed = slurp(kSeeds + file);
  ASSERT_FALSE(seed.empty()) << file;
  std::set<uint32_t> allowed(a.mutation_types, a.mutation_types + a.mutation_type_count);
  auto before = macho_relocations_of(seed);
  ASSERT_GT(before.size(), 15u);
  for (auto& r : before) ASSERT_TRUE(allowed.count(r.type)) << file << ": seed type " << r.type;
  auto v0 = macho_view(seed.data(), seed.size());
  ASSERT_TRUE(v0);
  const size_t cmds_end = v0->L.header + MachoLayout::get(seed.data() + 20, 4);
  unsigned new_heads = 0, changed = 0, scattered_changed = 0;
  for (uint64_t k = 0; k < 2000; k++) {
    std::vector<uint8_t> m = seed;
    std::mt19937_64 rng(k);
    if (!mutate_structure(m.data(), m.size(), rng)) continue;
    if (size_t(std::mismatch(m.begin(), m.end(), seed.begin()).first - m.begin()) < cmds_end) continue;
    auto after = macho_relocations_of(m);
    if (after.size() != before.size()) continue;
    for (size_t i = 0; i < after.size(); i++) {
      EXPECT_TRUE(allowed.count(after[i].type)) << file << ": type " << after[i].type << " (seed " << k << ")";
      changed += after[i].type != before[i].type;
      scattered_changed += after[i].scattered && before[i].scattered && after[i].type != before[i].type;
      new_heads += !after[i].scattered && after[i].type == a.pair_head && before[i].type != a.pair_head;
    }
  }
  EXPECT_GT(changed, 50u) << file;
  EXPECT_GT(scattered_changed, 5u) << file;
  EXPECT_GT(new_heads, 20u) << file;
}

TEST(FuzzMutator, MachOI386MutantsUseI386Types) {
  expect_own_types("macho-i386-s-relocs.o", kMachOI386Invariants);
}

TEST(FuzzMutator, MachOArmMutantsUseArmTypes) {
  expect_own_types("macho-arm-s-relocs.o", kMachOArmInvariants);
}

// The pair operation builds scattered difference pairs for the 32-bit
// CPUs: a scattered SECTDIFF-like head (i386 SECTDIFF/LOCAL_SECTDIFF, ARM
// also HALF_SECTDIFF) immediately followed by a scattered PAIR of the same
// r_length, not pc-relative, both r_values addresses inside (or at the end
// of) a section of the object — the valid form, which plain entries never
// are. Counts the entries that head such a pair in a mutant and did not in
// the seed, over 3,000 single mutations of each seed (the mutator before
// this operation made none: scattering an entry keeps its type).
struct Section32 {
  uint32_t addr, size;
};
unsigned new_scattered_pairs(const char* file, std::initializer_list<uint32_t> heads) {
  auto seed = slurp(kSeeds + file);
  EXPECT_FALSE(seed.empty()) << file;
  auto v0 = macho_view(seed.data(), seed.size());
  if (!v0) return 0;
  std::vector<Section32> secs;
  for (const MachoView::Section& s : v0->sections)
    secs.push_back({uint32_t(MachoLayout::get(seed.data() + s.at + v0->L.sect_addr, 4)), uint32_t(s.size)});
  auto in_section = [&](uint32_t value) {
    for (const Section32& s : secs)
      if (value >= s.addr && value - s.addr <= s.size) return true;
    return false;
  };
  // The file offsets of the entries that head a valid scattered pair.
  auto pairs_of = [&](const std::vector<uint8_t>& b) {
    std::set<uint64_t> out;
    auto v = macho_view(b.data(), b.size());
    if (!v) return out;
    for (const MachoView::Section& s : v->sections)
      for (uint32_t i = 0; i + 1 < s.nreloc; i++) {
        const uint8_t* e = b.data() + s.reloff + 8 * uint64_t(i);
        uint32_t h0 = uint32_t(MachoLayout::get(e, 4)), h1 = uint32_t(MachoLayout::get(e + 4, 4));
        uint32_t p0 = uint32_t(MachoLayout::get(e + 8, 4)), p1 = uint32_t(MachoLayout::get(e + 12, 4));
        bool head = (h0 & 0x80000000u) && std::count(heads.begin(), heads.end(), (h0 >> 24) & 15);
        bool pair = (p0 & 0x80000000u) && ((p0 >> 24) & 15) == 1;
        if (head && pair && ((h0 >> 28) & 3) == ((p0 >> 28) & 3) && !(h0 & (1u << 30)) && !(p0 & (1u << 30)) &&
            in_section(h1) && in_section(p1))
          out.insert(s.reloff + 8 * uint64_t(i));
      }
    return out;
  };
  const std::set<uint64_t> before = pairs_of(seed);
  unsigned made = 0;
  for (uint64_t k = 0; k < 3000; k++) {
    std::vector<uint8_t> m = seed;
    std::mt19937_64 rng(k);
    if (!mutate_structure(m.data(), m.size(), rng)) continue;
    for (uint64_t p : pairs_of(m)) made += !before.count(p);
  }
  return made;
}

TEST(FuzzMutator, MachOI386MutantsHaveScatteredPairs) {
  for (const char* f : {"macho-i386-s-relocs.o", "macho-i386-calls-O1.o", "macho-i386-common-O0.o"})
    EXPECT_GT(new_scattered_pairs(f, {2, 4}), 30u) << f;
}

TEST(FuzzMutator, MachOArmMutantsHaveScatteredPairs) {
  for (const char* f : {"macho-arm-s-relocs.o", "macho-arm-calls-O1.o"})
    EXPECT_GT(new_scattered_pairs(f, {2, 3, 9}), 30u) << f;
}

// The harness on Mach-O structure mutants (1-3 mutations each, as
// object-structure makes them) of every Mach-O seed (x86-64, arm64, i386,
// ARM): the engine's invariants hold (fields checked against S + A and
// S + A - (P + W)) and
// engine and reference agree. A finding prints the mutant's seed and is
// written to JITLOAD_FUZZ_DIFF_DIR (or the build directory) for replay.
// JITLOAD_MACHO_MUTANTS=N changes the count per seed (default 1,000);
// JITLOAD_MACHO_CPUS=i386,arm (say) keeps the seeds of those CPUs only.
TEST(FuzzMutator, MachOMutantsThroughTheHarness) {
  const char* e = std::getenv("JITLOAD_MACHO_MUTANTS");
  const uint64_t count = e ? std::strtoull(e, nullptr, 10) : 1000;
  const char* cpus = std::getenv("JITLOAD_MACHO_CPUS");
  std::vector<std::string> seeds;
  for (const char* arch : {"x86_64", "arm64", "i386"})
    for (const char* f : {"calls-O1.o", "calls-eh.o", "common-O0.o", "ctor-O1.o", "s-relocs.o", "tlv-O1.o"})
      seeds.push_back(kSeeds + "macho-" + arch + "-" + f);
  for (const char* f : {"calls-O1.o", "calls-arm.o", "calls-nopic.o", "common-O0.o", "ctor-O1.o", "s-relocs.o"})
    seeds.push_back(kSeeds + "macho-arm-" + f);
  if (cpus)
    std::erase_if(seeds, [&](const std::string& f) {
      std::string cpu = f.substr(kSeeds.size() + 6);  // after "macho-"
      cpu = cpu.substr(0, cpu.find('-'));
      return ("," + std::string(cpus) + ",").find("," + cpu + ",") == std::string::npos;
    });
  ASSERT_FALSE(seeds.empty());
  uint64_t loaded = 0, compared = 0, agreed_loaded = 0, checked = 0, findings = 0;
  for (const std::string& file : seeds) {
    auto seed = slurp(file);
    ASSERT_FALSE(seed.empty()) << file;
    for (uint64_t k = 0; k < count; k++) {
      std::vector<uint8_t> m = seed;
      std::mt19937_64 rng(k);
      for (unsigned rounds = 1 + rng() % 3, i = 0; i < rounds; i++) mutate_structure(m.data(), m.size(), rng);
      Checked c = check_and_compare(m.data(), m.size());
      loaded += c.engine.loaded;
      checked += c.engine.checked;
      compared += c.diff.compared;
      agreed_loaded += c.diff.compared && c.diff.finding.empty() && c.diff.engine_loaded;
      if (!c.engine.finding.empty() || !c.diff.finding.empty()) {
        findings++;
        if (findings <= 5) {
          const char* dir = std::getenv("JITLOAD_FUZZ_DIFF_DIR");
          std::string out = std::string(dir ? dir : ".") + "/macho-mutant-" + std::to_string(findings) + ".o";
          if (FILE* f = std::fopen(out.c_str(), "wb")) std::fwrite(m.data(), 1, m.size(), f), std::fclose(f);
          ADD_FAILURE() << file << " mutant " << k << " (saved as " << out << "): "
                        << (c.engine.finding.empty() ? c.diff.summary + "\n" + c.diff.finding : c.engine.finding);
        }
      }
    }
  }
  std::printf("Mach-O mutants: %llu, engine loaded %llu, compared %llu (%llu both loaded and agree), fields checked "
              "%llu, findings %llu\n",
              (unsigned long long)(count * seeds.size()), (unsigned long long)loaded, (unsigned long long)compared,
              (unsigned long long)agreed_loaded, (unsigned long long)checked, (unsigned long long)findings);
  EXPECT_EQ(findings, 0u);
  EXPECT_GT(loaded, count * seeds.size() / 10);  // most mutants still parse and reach relocation
  EXPECT_GT(checked, count);
}

}  // namespace
}  // namespace jitload::fuzz
