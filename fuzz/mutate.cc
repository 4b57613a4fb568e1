#include "fuzz/mutate.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "fuzz/arch/elf-layout.h"
#include "fuzz/arch/invariants.h"
#include "fuzz/arch/macho-layout.h"

namespace jitload::fuzz {

namespace {

struct Shdr {
  uint64_t at;  // file offset of the header
  uint32_t type;
  uint64_t offset, size;
};

// The section headers that lie inside the buffer.
std::vector<Shdr> section_headers(const ElfLayout& L, const uint8_t* d, size_t n) {
  std::vector<Shdr> out;
  uint64_t shoff = L.get(d + L.e_shoff, L.word);
  uint64_t shentsize = L.get(d + L.e_shentsize, 2), shnum = L.get(d + L.e_shnum, 2);
  if (shentsize != L.shdr || shoff > n || shnum > (n - shoff) / L.shdr) return out;
  for (uint64_t i = 0; i < shnum; i++) {
    const uint8_t* h = d + shoff + L.shdr * i;
    out.push_back({shoff + L.shdr * i, uint32_t(L.get(h + L.sh_type, 4)), L.get(h + L.sh_offset, L.word),
                   L.get(h + L.sh_size, L.word)});
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

}  // namespace

bool mutate_elf(uint8_t* d, size_t n, std::mt19937_64& rng) {
  std::optional<ElfLayout> layout = elf_layout(d, n);
  if (!layout) return false;
  const ElfLayout& L = *layout;
  std::vector<Shdr> shdrs = section_headers(L, d, n);
  if (shdrs.empty()) return false;
  std::optional<ElfIdent> ident = read_ident(d, n);
  const ArchInvariants* arch = ident ? find_arch(*ident) : nullptr;
  struct Table {
    const Shdr* s;
    uint64_t ent;
    bool rela;
  };
  std::vector<Table> rels;
  std::vector<const Shdr*> symtabs, strtabs;
  for (const Shdr& s : shdrs) {
    if (s.type == 4 && entries(s, n, L.rela)) rels.push_back({&s, L.rela, true});   // SHT_RELA
    if (s.type == 9 && entries(s, n, L.rel)) rels.push_back({&s, L.rel, false});    // SHT_REL
    if (s.type == 2 && entries(s, n, L.sym)) symtabs.push_back(&s);
    if (s.type == 3 && entries(s, n, 1)) strtabs.push_back(&s);
  }
  auto pick = [&](uint64_t k) { return k ? rng() % k : 0; };
  const unsigned W = L.word;
  switch (rng() % 4) {
    case 0: {  // a relocation
      if (rels.empty()) return false;
      const Table& t = rels[pick(rels.size())];
      uint8_t* r = d + t.s->offset + t.ent * pick(entries(*t.s, n, t.ent));
      uint64_t info = L.get(r + W, W);
      switch (rng() % 4) {
        case 0: {  // type: one of this machine's (unknown machine: any byte)
          uint32_t type = arch ? arch->mutation_types[pick(arch->mutation_type_count)] : uint32_t(pick(256));
          info = L.r_info(L.r_sym(info), type);
          break;
        }
        case 1:  // symbol index
          info = L.r_info(pick(symtabs.empty() ? 64 : entries(*symtabs[0], n, L.sym) + 2), L.r_type(info));
          break;
        case 2: L.put(r, L.get(r, W) + int64_t(pick(17)) - 8, W); break;  // offset
        case 3:                                                            // addend (RELA) or the field (REL: implicit addend, left to the bytes)
          if (!t.rela) return false;
          L.put(r + 2 * W,
                rng() % 2 ? uint64_t(kInterestingAddends[pick(std::size(kInterestingAddends))])
                          : L.get(r + 2 * W, W) + pick(9) - 4,  // wraps
                W);
          break;
      }
      L.put(r + W, info, W);
      return true;
    }
    case 1: {  // a section header
      const Shdr& s = shdrs[pick(shdrs.size())];
      uint8_t* h = d + s.at;
      switch (rng() % 3) {
        case 0: L.put(h + L.sh_size, rng() % 2 ? kInterestingSizes[pick(std::size(kInterestingSizes))] : s.size + pick(9) - 4, W); break;
        case 1: L.put(h + L.sh_flags, L.get(h + L.sh_flags, W) ^ (uint64_t(1) << pick(11)), W); break;  // W A X ... TLS
        case 2: L.put(h + L.sh_addralign, rng() % 8 ? uint64_t(1) << pick(13) : rng(), W); break;
      }
      return true;
    }
    case 2: {  // a symbol
      if (symtabs.empty()) return false;
      const Shdr& s = *symtabs[0];
      uint8_t* sym = d + s.offset + L.sym * pick(entries(s, n, L.sym));
      switch (rng() % 4) {
        case 0: L.put(sym + L.st_value, rng() % 2 ? L.get(sym + L.st_value, W) + pick(65) - 32 : rng() % 0x2000, W); break;
        case 1: L.put(sym + L.st_shndx, rng() % 4 ? pick(shdrs.size() + 1) : (rng() % 2 ? 0xfff1 : 0xfff2), 2); break;  // ABS, COMMON
        case 2: sym[L.st_info] = uint8_t((pick(3) << 4) | pick(7)); break;                                           // bind, type
        case 3: L.put(sym + L.st_size, kInterestingSizes[pick(std::size(kInterestingSizes))], W); break;
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

namespace {
bool is_elf(const uint8_t* d, size_t n) { return elf_layout(d, n).has_value(); }
bool is_macho(const uint8_t* d, size_t n) { return macho_layout(d, n).has_value(); }

// One line per format.
const FormatMutator kFormats[] = {
    {"ELF", is_elf, mutate_elf, 0},
    {"Mach-O", is_macho, mutate_macho, 4},
};
}  // namespace

const FormatMutator* format_mutator(const uint8_t* d, size_t n) {
  for (const FormatMutator& f : kFormats)
    if (f.recognises(d, n)) return &f;
  return nullptr;
}

bool mutate_structure(uint8_t* d, size_t n, std::mt19937_64& rng) {
  const FormatMutator* f = format_mutator(d, n);
  return f && f->mutate(d, n, rng);
}

}  // namespace jitload::fuzz
