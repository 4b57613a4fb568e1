// object-structure: the object-bytes checks (engine invariants and engine
// vs reference) driven by a structure-aware
// mutator. LLVMFuzzerCustomMutator parses the ELF64 object in place and
// changes one thing that matters to a loader — a relocation's type, offset,
// addend or symbol index; a section's size, flags or alignment; a symbol's
// value, section or binding; a byte of a name — leaving the rest of the file
// intact, so most mutants still parse and reach relocation processing.
// One mutation in eight is libFuzzer's own byte-level one.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <iterator>
#include <random>
#include <vector>

#include "fuzz/harness.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

template <typename T>
T get(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename T>
void put(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

struct Shdr {
  uint64_t at;  // file offset of the header
  uint32_t type;
  uint64_t offset, size, entsize;
  uint32_t link;
};

// The section headers that lie inside the buffer; empty if the ELF header
// is not a little-endian ELF64 one.
std::vector<Shdr> section_headers(const uint8_t* d, size_t n) {
  std::vector<Shdr> out;
  if (n < 64 || std::memcmp(d, "\x7f" "ELF", 4) || d[4] != 2 || d[5] != 1) return out;
  uint64_t shoff = get<uint64_t>(d + 0x28);
  uint16_t shentsize = get<uint16_t>(d + 0x3a), shnum = get<uint16_t>(d + 0x3c);
  if (shentsize != 64 || shoff > n || shnum > (n - shoff) / 64) return out;
  for (uint16_t i = 0; i < shnum; i++) {
    const uint8_t* h = d + shoff + 64u * i;
    out.push_back({shoff + 64u * i, get<uint32_t>(h + 4), get<uint64_t>(h + 0x18), get<uint64_t>(h + 0x20),
                   get<uint64_t>(h + 0x38), get<uint32_t>(h + 0x28)});
  }
  return out;
}

// Entries of a table section that lie inside the buffer.
uint64_t entries(const Shdr& s, size_t n, uint64_t entsize) {
  if (s.offset > n) return 0;
  return std::min<uint64_t>(s.size, n - s.offset) / entsize;
}

const int64_t kInterestingAddends[] = {0, -4, -8, 1, -1, 4, 0x7fffffff, -0x80000000ll, 0x80000000ll, 0x40, 0x1000};
const uint64_t kInterestingSizes[] = {0, 1, 3, 4, 8, 0x40, 0x1000, 0xffffffff, 0x100000000ull, ~0ull};

[[maybe_unused]] bool mutate_structure(uint8_t* d, size_t n, std::mt19937_64& rng) {
  std::vector<Shdr> shdrs = section_headers(d, n);
  if (shdrs.empty()) return false;
  std::vector<const Shdr*> relas, symtabs, strtabs;
  for (const Shdr& s : shdrs) {
    if (s.type == 4 && entries(s, n, 24)) relas.push_back(&s);
    if (s.type == 2 && entries(s, n, 24)) symtabs.push_back(&s);
    if (s.type == 3 && entries(s, n, 1)) strtabs.push_back(&s);
  }
  auto pick = [&](uint64_t k) { return k ? rng() % k : 0; };
  switch (rng() % 4) {
    case 0: {  // a relocation
      if (relas.empty()) return false;
      const Shdr& s = *relas[pick(relas.size())];
      uint8_t* r = d + s.offset + 24 * pick(entries(s, n, 24));
      uint64_t info = get<uint64_t>(r + 8);
      switch (rng() % 4) {
        case 0: info = (info & ~0xffffffffull) | pick(43); break;                            // type
        case 1: info = (info & 0xffffffffull) | (uint64_t(pick(symtabs.empty() ? 64 : entries(*symtabs[0], n, 24) + 2)) << 32); break;
        case 2: put<uint64_t>(r, get<uint64_t>(r) + int64_t(pick(17)) - 8); break;        // offset
        case 3: put<int64_t>(r + 16, rng() % 2 ? kInterestingAddends[pick(std::size(kInterestingAddends))]
                                               : int64_t(get<uint64_t>(r + 16) + pick(9) - 4)); break;  // wraps
      }
      put<uint64_t>(r + 8, info);
      return true;
    }
    case 1: {  // a section header
      const Shdr& s = shdrs[pick(shdrs.size())];
      uint8_t* h = d + s.at;
      switch (rng() % 3) {
        case 0: put<uint64_t>(h + 0x20, rng() % 2 ? kInterestingSizes[pick(std::size(kInterestingSizes))]
                                                  : s.size + pick(9) - 4); break;
        case 1: put<uint64_t>(h + 8, get<uint64_t>(h + 8) ^ (uint64_t(1) << pick(11))); break;  // W A X ... TLS
        case 2: put<uint64_t>(h + 0x30, rng() % 8 ? uint64_t(1) << pick(13) : rng()); break;
      }
      return true;
    }
    case 2: {  // a symbol
      if (symtabs.empty()) return false;
      const Shdr& s = *symtabs[0];
      uint8_t* sym = d + s.offset + 24 * pick(entries(s, n, 24));
      switch (rng() % 4) {
        case 0: put<uint64_t>(sym + 8, rng() % 2 ? get<uint64_t>(sym + 8) + pick(65) - 32 : rng() % 0x2000); break;
        case 1: put<uint16_t>(sym + 6, rng() % 4 ? uint16_t(pick(shdrs.size() + 1))
                                                 : uint16_t(rng() % 2 ? 0xfff1 : 0xfff2)); break;  // ABS, COMMON
        case 2: sym[4] = uint8_t((pick(3) << 4) | pick(7)); break;                                  // bind, type
        case 3: put<uint64_t>(sym + 16, kInterestingSizes[pick(std::size(kInterestingSizes))]); break;
      }
      return true;
    }
    default: {  // a byte of a name
      if (strtabs.empty()) return false;
      const Shdr& s = *strtabs[pick(strtabs.size())];
      uint64_t len = entries(s, n, 1);
      static const char kChars[] = "._tdabsxinrocmlget\0";
      d[s.offset + pick(len)] = uint8_t(kChars[pick(sizeof kChars)]);
      return true;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jitload::fuzz::run_object_input("object-structure", data, size);
  return 0;
}

#ifndef JITLOAD_FUZZ_NO_MUTATOR
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  std::mt19937_64 rng(seed);
  if (rng() % 8 == 0) return LLVMFuzzerMutate(data, size, max_size);
  unsigned rounds = 1 + rng() % 3;
  bool any = false;
  for (unsigned i = 0; i < rounds; i++) any |= mutate_structure(data, size, rng);
  return any ? size : LLVMFuzzerMutate(data, size, max_size);
}
#endif
