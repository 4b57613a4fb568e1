#include "fuzz/arch/invariants.h"

namespace jitload::fuzz {

namespace {

// One line per (machine, class, byte order).
const ArchInvariants* const kRegistry[] = {
    &kX86_64Invariants,
    &kAArch64Invariants,
    &kAArch64BeInvariants,
    &kRiscV64Invariants,
    &kRiscV32Invariants,
    &kLoongArch64Invariants,
    &kMachOX86_64Invariants,
    &kMachOArm64Invariants,
    &kMachOI386Invariants, &kMachOArmInvariants,
};

}  // namespace

uint64_t read_field(const uint8_t* p, unsigned width, bool little_endian) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++) v |= uint64_t(p[little_endian ? i : width - 1 - i]) << (8 * i);
  return v;
}

void write_field(uint8_t* p, uint64_t v, unsigned width, bool little_endian) {
  for (unsigned i = 0; i < width; i++) p[little_endian ? i : width - 1 - i] = uint8_t(v >> (8 * i));
}

std::optional<ObjectIdent> read_ident(const uint8_t* d, size_t n) {
  // Mach-O: magic, then cputype, little-endian (MH_MAGIC_64 0xfeedfacf,
  // MH_MAGIC 0xfeedface; the byte-swapped magics are not loaded).
  if (n >= 8 && (read_field(d, 4, true) == 0xfeedfacf || read_field(d, 4, true) == 0xfeedface)) {
    ObjectIdent id;
    id.format = ObjectFormat::MachO;
    id.elf_class = d[0] == 0xcf ? 2 : 1;
    id.machine = uint32_t(read_field(d + 4, 4, true));
    return id;
  }
  // e_ident (16 bytes), e_type (2), e_machine (2): at the same offsets in
  // both classes.
  if (n < 20 || d[0] != 0x7f || d[1] != 'E' || d[2] != 'L' || d[3] != 'F') return std::nullopt;
  if ((d[4] != 1 && d[4] != 2) || (d[5] != 1 && d[5] != 2)) return std::nullopt;
  ObjectIdent id;
  id.elf_class = d[4];
  id.little_endian = d[5] == 1;
  id.machine = uint16_t(read_field(d + 18, 2, id.little_endian));
  return id;
}

const ArchInvariants* find_arch(const ObjectIdent& id) {
  for (const ArchInvariants* a : kRegistry)
    if (a->format == id.format && a->machine == id.machine && a->elf_class == id.elf_class && a->little_endian == id.little_endian) return a;
  return nullptr;
}

}  // namespace jitload::fuzz
