// Where the ELF fields the fuzz layer touches live, for both classes, read
// and written in the object's own byte order: class and byte order are data
// (this table), not code paths. Used by the structure-aware mutator and the
// reducer; every access is bounds-checked by its caller against the buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>

#include "conformance/elf/elf-view.h"

namespace jitload::fuzz {

struct ElfLayout {
  bool is64, le;
  unsigned word;                                   // 4 or 8: addresses, offsets, sizes
  unsigned ehdr, e_shoff, e_shentsize, e_shnum;    // ELF header
  unsigned shdr, sh_type, sh_flags, sh_offset, sh_size, sh_link, sh_addralign, sh_entsize;
  unsigned sym, st_value, st_size, st_info, st_shndx;
  unsigned rel, rela;                              // entry sizes; r_info at `word`, r_addend at 2 * `word`

  uint64_t get(const uint8_t* p, unsigned width) const {
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++) v |= uint64_t(p[le ? i : width - 1 - i]) << (8 * i);
    return v;
  }
  void put(uint8_t* p, uint64_t v, unsigned width) const {
    for (unsigned i = 0; i < width; i++) p[le ? i : width - 1 - i] = uint8_t(v >> (8 * i));
  }
  // r_info: ELF64 sym << 32 | type; ELF32 sym << 8 | (type & 0xff) (gABI).
  uint32_t r_type(uint64_t info) const { return is64 ? uint32_t(info) : uint32_t(info & 0xff); }
  uint64_t r_sym(uint64_t info) const { return is64 ? info >> 32 : info >> 8; }
  uint64_t r_info(uint64_t sym, uint32_t type) const {
    return is64 ? sym << 32 | type : (sym << 8 | (type & 0xff)) & 0xffffffffu;
  }
};

// Built from the shared view's gABI table (conformance/elf/elf-view.h), so
// that every layer reads the same field offsets; this adds only what the
// mutators need to write (the word width, entry sizes) and, unlike the view,
// walks headers a mutation has broken.
constexpr ElfLayout from_view(const elfview::Layout& v, bool is64) {
  return ElfLayout{is64, true, v.sh_word, v.ehdr_size, v.e_shoff, v.e_shentsize, v.e_shnum, v.shdr_size,
                   v.sh_type, v.sh_flags, v.sh_offset, v.sh_size, v.sh_link, v.sh_addralign, v.sh_entsize,
                   v.sym_size, v.st_value, v.st_size, v.st_info, v.st_shndx, v.rel_size, v.rela_size};
}
inline constexpr ElfLayout kElf32Le = from_view(elfview::kElf32, false);
inline constexpr ElfLayout kElf64Le = from_view(elfview::kElf64, true);
// The gABI's numbers, as this file spelled them before it took the view's.
static_assert(kElf32Le.e_shoff == 0x20 && kElf32Le.e_shnum == 0x30 && kElf32Le.sh_entsize == 0x24 &&
              kElf32Le.st_shndx == 14 && kElf32Le.rela == 12);
static_assert(kElf64Le.e_shoff == 0x28 && kElf64Le.e_shnum == 0x3c && kElf64Le.sh_entsize == 0x38 &&
              kElf64Le.st_shndx == 6 && kElf64Le.rela == 24);

// The layout of an ELF object's class and byte order (e_ident); nullopt when
// the bytes are no ELF header of a known class and byte order.
inline std::optional<ElfLayout> elf_layout(const uint8_t* d, size_t n) {
  if (n < 52 || std::memcmp(d, "\x7f" "ELF", 4) != 0) return std::nullopt;
  if ((d[4] != 1 && d[4] != 2) || (d[5] != 1 && d[5] != 2)) return std::nullopt;
  ElfLayout l = d[4] == 2 ? kElf64Le : kElf32Le;
  l.le = d[5] == 1;
  if (n < l.ehdr) return std::nullopt;
  return l;
}

}  // namespace jitload::fuzz
