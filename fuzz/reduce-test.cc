// The reducer on a synthetic object and a synthetic predicate: what must
// survive survives, everything else goes; and the child-process signature.
#include "fuzz/reduce.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

namespace jitload::fuzz {
namespace {

void put(std::vector<uint8_t>& b, size_t at, uint64_t v, int n) {
  for (int i = 0; i < n; i++) b[at + i] = uint8_t(v >> (8 * i));
}
uint64_t get(const std::vector<uint8_t>& b, size_t at, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = v << 8 | b[at + i];
  return v;
}

// ELF header, .text (64 bytes at 0x40), .symtab (8 entries at 0x80),
// .rela.text (10 entries at 0x140), four section headers at 0x230.
constexpr size_t kText = 0x40, kSym = 0x80, kRela = 0x140, kShdr = 0x230;

std::vector<uint8_t> synthetic() {
  std::vector<uint8_t> b(kShdr + 4 * 64, 0);
  std::memcpy(b.data(), "\x7f" "ELF\x02\x01\x01", 7);
  put(b, 0x10, 1, 2);     // ET_REL
  put(b, 0x12, 62, 2);    // EM_X86_64
  put(b, 0x28, kShdr, 8);
  put(b, 0x3a, 64, 2);
  put(b, 0x3c, 4, 2);
  for (size_t i = 0; i < 64; i++) b[kText + i] = uint8_t(0x90 + i % 7);
  b[kText + 40] = 0xcc;
  for (size_t k = 1; k < 8; k++) {
    put(b, kSym + 24 * k, k, 4);                  // st_name
    b[kSym + 24 * k + 4] = 0x12;                  // GLOBAL FUNC
    put(b, kSym + 24 * k + 6, 1, 2);              // .text
    put(b, kSym + 24 * k + 8, k == 5 ? 0x1234 : k * 8, 8);
  }
  for (size_t k = 0; k < 10; k++) {
    put(b, kRela + 24 * k, 4 * k, 8);             // r_offset
    put(b, kRela + 24 * k + 8, (k % 7 + 1) << 32 | (k == 6 ? 2 : 1), 8);  // sym, type
    put(b, kRela + 24 * k + 16, uint64_t(-4), 8);
  }
  auto shdr = [&](int i, uint32_t type, uint64_t off, uint64_t size, uint64_t entsize) {
    size_t h = kShdr + 64 * i;
    put(b, h + 4, type, 4), put(b, h + 0x18, off, 8), put(b, h + 0x20, size, 8), put(b, h + 0x38, entsize, 8);
  };
  shdr(1, 1, kText, 64, 0);
  shdr(2, 2, kSym, 8 * 24, 24);
  shdr(3, 4, kRela, 10 * 24, 24);
  return b;
}

// The "finding": a PC32 relocation at offset 24 remains, the symbol whose
// value is 0x1234 remains, and the 0xcc byte remains.
bool shows_finding(const std::vector<uint8_t>& b) {
  bool rela = false, sym = false, cc = false;
  uint64_t rela_size = get(b, kShdr + 3 * 64 + 0x20, 8);
  for (uint64_t k = 0; k < rela_size / 24; k++)
    rela |= get(b, kRela + 24 * k, 8) == 24 && (get(b, kRela + 24 * k + 8, 8) & 0xffffffff) == 2;
  for (size_t k = 1; k < 8; k++) sym |= get(b, kSym + 24 * k + 8, 8) == 0x1234;
  for (size_t i = 0; i < 64; i++) cc |= b[kText + i] == 0xcc;
  return rela && sym && cc;
}

TEST(Reduce, KeepsWhatTheFindingNeedsAndDropsTheRest) {
  std::vector<uint8_t> original = synthetic();
  ASSERT_TRUE(shows_finding(original));
  ReduceStats st;
  std::vector<uint8_t> r = reduce_object(original, shows_finding, 5.0, &st);
  EXPECT_TRUE(shows_finding(r));
  EXPECT_FALSE(st.timed_out);
  EXPECT_EQ(r.size(), original.size());
  // One relocation entry left: the PC32 at offset 24, moved to the front.
  EXPECT_EQ(get(r, kShdr + 3 * 64 + 0x20, 8), 24u);
  EXPECT_EQ(get(r, kRela, 8), 24u);
  EXPECT_EQ(st.relocations_removed, 9u);
  // One symbol left; the others are local absolute zeros (st_shndx SHN_ABS, all else 0).
  int symbols = 0;
  for (size_t k = 1; k < 8; k++) {
    bool neutral = true;  // (the contents pass may zero st_shndx too: the predicate does not care)
    for (size_t i = 0; i < 24; i++)
      if (i != 6 && i != 7 && r[kSym + 24 * k + i]) neutral = false;
    symbols += !neutral;
  }
  EXPECT_EQ(symbols, 1);
  EXPECT_EQ(st.symbols_zeroed, 6u);
  // One nonzero byte left in .text.
  int text = 0;
  for (size_t i = 0; i < 64; i++) text += r[kText + i] != 0;
  EXPECT_EQ(text, 1);
  EXPECT_EQ(r[kText + 40], 0xcc);
  // The headers the predicate does not look at are not needed either.
  EXPECT_GT(st.kept, 3u);
  EXPECT_GE(st.tries, st.kept);
}

// A Mach-O x86-64 object (MH_OBJECT): one LC_SEGMENT_64 with __text (64
// bytes at 0x100, 10 relocation entries at 0x140), LC_SYMTAB (8 nlist_64 at
// 0x190, names at 0x210). The same "finding" as above: a BRANCH entry at
// offset 24, the symbol of value 0x1234 and the 0xcc byte.
constexpr size_t kMText = 0x100, kMReloc = 0x140, kMSym = 0x190, kMSect = 32 + 72;
constexpr size_t kMNreloc = kMSect + 60;  // section_64's nreloc

std::vector<uint8_t> synthetic_macho() {
  std::vector<uint8_t> b(0x220, 0);
  put(b, 0, 0xfeedfacf, 4);     // MH_MAGIC_64
  put(b, 4, 0x01000007, 4);     // CPU_TYPE_X86_64
  put(b, 12, 1, 4);             // MH_OBJECT
  put(b, 16, 2, 4);             // ncmds
  put(b, 20, 152 + 24, 4);      // sizeofcmds
  put(b, 32, 0x19, 4);          // LC_SEGMENT_64
  put(b, 36, 152, 4);
  put(b, 32 + 48, 1, 4);        // nsects (after vmaddr, vmsize, fileoff, filesize, maxprot, initprot: at 64)
  put(b, 32 + 64, 1, 4);
  std::memcpy(&b[kMSect], "__text", 6);
  std::memcpy(&b[kMSect + 16], "__TEXT", 6);
  put(b, kMSect + 40, 64, 8);   // size
  put(b, kMSect + 48, kMText, 4);
  put(b, kMSect + 56, kMReloc, 4);
  put(b, kMNreloc, 10, 4);
  put(b, kMSect + 64, 0x80000400, 4);  // S_REGULAR, pure and some instructions
  put(b, 184, 0x2, 4);          // LC_SYMTAB
  put(b, 188, 24, 4);
  put(b, 192, kMSym, 4);
  put(b, 196, 8, 4);
  put(b, 200, 0x210, 4);
  put(b, 204, 16, 4);
  for (size_t i = 0; i < 64; i++) b[kMText + i] = uint8_t(0x90 + i % 7);
  b[kMText + 40] = 0xcc;
  for (size_t k = 0; k < 10; k++) {
    put(b, kMReloc + 8 * k, 4 * k, 4);  // r_address
    // r_symbolnum k % 7 + 1, pcrel, length 2, extern; type BRANCH (2) for k == 6, else SIGNED (1)
    put(b, kMReloc + 8 * k + 4, (k % 7 + 1) | 1u << 24 | 2u << 25 | 1u << 27 | uint32_t(k == 6 ? 2 : 1) << 28, 4);
  }
  for (size_t k = 0; k < 8; k++) {
    put(b, kMSym + 16 * k, k ? 1 : 0, 4);  // n_strx
    b[kMSym + 16 * k + 4] = 0x0f;          // N_SECT | N_EXT
    b[kMSym + 16 * k + 5] = 1;             // __text
    put(b, kMSym + 16 * k + 8, k == 5 ? 0x1234 : k * 8, 8);
  }
  return b;
}

bool shows_macho_finding(const std::vector<uint8_t>& b) {
  bool branch = false, sym = false, cc = false;
  for (uint64_t k = 0; k < get(b, kMNreloc, 4) && k < 10; k++)
    branch |= get(b, kMReloc + 8 * k, 4) == 24 && get(b, kMReloc + 8 * k + 4, 4) >> 28 == 2;
  for (size_t k = 0; k < 8; k++) sym |= get(b, kMSym + 16 * k + 8, 8) == 0x1234;
  for (size_t i = 0; i < 64; i++) cc |= b[kMText + i] == 0xcc;
  return branch && sym && cc;
}

TEST(Reduce, MachOKeepsWhatTheFindingNeedsAndDropsTheRest) {
  std::vector<uint8_t> original = synthetic_macho();
  ASSERT_TRUE(shows_macho_finding(original));
  ReduceStats st;
  std::vector<uint8_t> r = reduce_object(original, shows_macho_finding, 5.0, &st);
  EXPECT_TRUE(shows_macho_finding(r));
  EXPECT_FALSE(st.timed_out);
  EXPECT_EQ(r.size(), original.size());
  // One relocation entry left (nreloc 1): the BRANCH at 24, moved to the front.
  EXPECT_EQ(get(r, kMNreloc, 4), 1u);
  EXPECT_EQ(get(r, kMReloc, 4), 24u);
  EXPECT_EQ(st.relocations_removed, 9u);
  // One symbol left; the others local absolute zeros (n_type N_ABS, all else 0).
  int symbols = 0;
  for (size_t k = 0; k < 8; k++) {
    bool neutral = true;
    for (size_t i = 0; i < 16; i++)
      if (r[kMSym + 16 * k + i] != (i == 4 ? 0x2 : 0)) neutral = false;
    symbols += !neutral;
  }
  EXPECT_EQ(symbols, 1);
  EXPECT_EQ(st.symbols_zeroed, 7u);
  // One nonzero byte left in __text.
  int text = 0;
  for (size_t i = 0; i < 64; i++) text += r[kMText + i] != 0;
  EXPECT_EQ(text, 1);
  EXPECT_EQ(r[kMText + 40], 0xcc);
}

TEST(Reduce, NothingToKeepWhenThePredicateNeverHolds) {
  std::vector<uint8_t> original = synthetic();
  ReduceStats st;
  std::vector<uint8_t> r = reduce_object(original, [](const std::vector<uint8_t>&) { return false; }, 5.0, &st);
  EXPECT_EQ(r, original);
  EXPECT_EQ(st.kept, 0u);
  EXPECT_GT(st.tries, 0u);
}

TEST(Reduce, StopsAtTheTimeBudget) {
  ReduceStats st;
  reduce_object(synthetic(), [](const std::vector<uint8_t>&) { usleep(20000); return false; }, 0.1, &st);
  EXPECT_TRUE(st.timed_out);
  EXPECT_LE(st.tries, 7u);
}

TEST(Reduce, MalformedInputOffersNoStepsAndDoesNotCrash) {
  std::vector<uint8_t> junk(100, 0xff);
  std::memcpy(junk.data(), "\x7f" "ELF\x02\x01", 6);
  ReduceStats st;
  EXPECT_EQ(reduce_object(junk, [](const std::vector<uint8_t>&) { return true; }, 1.0, &st), junk);
}

TEST(ChildSignature, AnswersCrashesAndTimeouts) {
  std::vector<uint8_t> in{1, 2, 3};
  EXPECT_EQ(child_signature([](const std::vector<uint8_t>& b) { return std::to_string(b.size()); }, in, 2000), "3");
  EXPECT_EQ(child_signature([](const std::vector<uint8_t>&) -> std::string { std::abort(); }, in, 2000),
            "signal " + std::to_string(SIGABRT));
  EXPECT_EQ(child_signature([](const std::vector<uint8_t>&) -> std::string { for (;;) pause(); }, in, 200), "timeout");
  EXPECT_EQ(child_signature([](const std::vector<uint8_t>&) -> std::string { _exit(7); }, in, 2000), "exit 7");
}

TEST(ObjectFindingSignature, NothingWrongWithJunk) {
  // Not an object: both loaders reject it alike, so there is no finding.
  std::vector<uint8_t> junk(200, 0);
  std::memcpy(junk.data(), "\x7f" "ELF\x02\x01\x01", 7);
  EXPECT_EQ(child_signature(object_finding_signature, junk, 5000), "");
}

}  // namespace
}  // namespace jitload::fuzz
