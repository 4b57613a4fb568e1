// ELF debug objects: the relocatable object as generated, with each loaded
// section's sh_addr set to its load address. A debugger reading an ET_REL
// file places each symbol at sh_addr + st_value and applies the object's own
// relocations to its debug sections against those addresses, so nothing else
// needs rewriting. Works for ELFCLASS32 and ELFCLASS64, either byte order.
#include <cstring>

#include "engine/loader/core/reader.h"
#include "engine/mcjit/debug-object.h"

namespace jitload {

namespace {

// e_ident and the header fields this file touches (System V gABI, ch. 4).
constexpr u64 EI_CLASS = 4, EI_DATA = 5;
constexpr u8 ELFCLASS32 = 1, ELFCLASS64 = 2;
constexpr u8 ELFDATA2LSB = 1, ELFDATA2MSB = 2;

struct Layout {
  u64 e_shoff, e_shentsize, e_shnum;  // field offsets in the ELF header
  u64 word;                           // size of an address
  u64 sh_addr, sh_size;               // field offsets in a section header
  u64 min_shentsize;
};
constexpr Layout kElf32 = {0x20, 0x2e, 0x30, 4, 0x0c, 0x14, 40};
constexpr Layout kElf64 = {0x28, 0x3a, 0x3c, 8, 0x10, 0x20, 64};

}  // namespace

bool elf_is_object(std::span<const u8> object) {
  return object.size() >= 16 && std::memcmp(object.data(), "\x7f" "ELF", 4) == 0;
}

Expected<std::vector<u8>> elf_make_debug_object(std::span<const u8> object,
                                                std::span<const SectionPlacement> placements) {
  // Checks: class and byte order known; header, section table (including the
  // extended section count in entry 0) and every patched entry inside the file.
  if (!elf_is_object(object) || object.size() < 64)
    return Error(ErrorKind::Malformed, "debug object: ELF header truncated", 0);
  u8 cls = object[EI_CLASS], data = object[EI_DATA];
  if ((cls != ELFCLASS32 && cls != ELFCLASS64) || (data != ELFDATA2LSB && data != ELFDATA2MSB))
    return Error(ErrorKind::Malformed, "debug object: unknown ELF class or byte order", EI_CLASS);
  const Layout& L = cls == ELFCLASS64 ? kElf64 : kElf32;
  bool be = data == ELFDATA2MSB;
  auto get = [&](const u8* p, u64 n) -> u64 {
    if (n == 2) return be ? load_be<u16>(p) : load_le<u16>(p);
    if (n == 4) return be ? load_be<u32>(p) : load_le<u32>(p);
    return be ? load_be<u64>(p) : load_le<u64>(p);
  };
  std::vector<u8> out(object.begin(), object.end());
  u64 shoff = get(out.data() + L.e_shoff, L.word);
  u64 shentsize = get(out.data() + L.e_shentsize, 2);
  u64 shnum = get(out.data() + L.e_shnum, 2);
  if (shentsize < L.min_shentsize)
    return Error(ErrorKind::Malformed, format("debug object: e_shentsize %llu too small", (unsigned long long)shentsize),
                 L.e_shentsize);
  if (shnum == 0 && shoff != 0) {
    // More than 0xff00 sections: the real count is entry 0's sh_size.
    if (!in_bounds(shoff, shentsize, out.size()))
      return Error(ErrorKind::Malformed, "debug object: section header 0 outside the file", shoff);
    shnum = get(out.data() + shoff + L.sh_size, L.word);
  }
  if (shnum > out.size() / shentsize || !in_bounds(shoff, shnum * shentsize, out.size()))
    return Error(ErrorKind::Malformed, "debug object: section header table outside the file", shoff);
  for (const SectionPlacement& p : placements) {
    if (p.file_index >= shnum)
      return Error(ErrorKind::Malformed, format("debug object: section index %u out of range", p.file_index));
    u8* field = out.data() + shoff + u64(p.file_index) * shentsize + L.sh_addr;
    if (L.word == 8)
      be ? store_be<u64>(field, p.target) : store_le<u64>(field, p.target);
    else
      be ? store_be<u32>(field, u32(p.target)) : store_le<u32>(field, u32(p.target));
  }
  return out;
}

}  // namespace jitload
