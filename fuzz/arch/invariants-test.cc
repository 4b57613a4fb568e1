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
