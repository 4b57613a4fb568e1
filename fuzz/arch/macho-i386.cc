// Mach-O i386 (cputype CPU_TYPE_X86 = 7, MH_MAGIC, little-endian). A
// report's type is r_type | r_length << 4 | r_pcrel << 6 (the engine's
// i386.cc entry type and both loaders' reports), so width and pc-relativity
// are part of the type here. The plain fields, from <mach-o/reloc.h> as
// both loaders implement them:
//   GENERIC_RELOC_VANILLA, r_pcrel 0, r_length 0/1/2  S + A (1, 2, 4 bytes)
//   GENERIC_RELOC_VANILLA, r_pcrel 1, r_length 0/1/2  S + A - (P + W): the
//                                field is relative to its own end (W its
//                                width); a 4-byte one is written modulo 2^32
//   GENERIC_RELOC_PB_LA_PTR, r_length 2   S + A: r_value moved with its
//                                section (S that section, A r_value's offset
//                                in it); the field's prebound contents ignored
// A scattered VANILLA (or PB_LA_PTR) has the same type code: its S is the
// section holding r_value and A the offset in it, still S + A. SECTDIFF and
// LOCAL_SECTDIFF (A - B + k, not a Direct outcome), the PAIR after them (no
// field of its own) and TLV (a slot's address) are left to the differential
// comparison.
#include "fuzz/arch/invariants.h"

namespace jitload::fuzz {

namespace {
constexpr uint32_t kPcrel = 1 << 6;
std::optional<SimpleField> macho_i386_field(uint32_t type) {
  switch (type) {
    case 0 | 2 << 4: return SimpleField{4, false};                  // GENERIC_RELOC_VANILLA, 4 bytes
    case 0 | 1 << 4: return SimpleField{2, false};                  // GENERIC_RELOC_VANILLA, 2 bytes
    case 0 | 0 << 4: return SimpleField{1, false};                  // GENERIC_RELOC_VANILLA, 1 byte
    case 0 | 2 << 4 | kPcrel: return SimpleField{4, true, 4};       // GENERIC_RELOC_VANILLA, pc-relative, 4 bytes
    case 0 | 1 << 4 | kPcrel: return SimpleField{2, true, 2};       // GENERIC_RELOC_VANILLA, pc-relative, 2 bytes
    case 0 | 0 << 4 | kPcrel: return SimpleField{1, true, 1};       // GENERIC_RELOC_VANILLA, pc-relative, 1 byte
    case 3 | 2 << 4: return SimpleField{4, false};                  // GENERIC_RELOC_PB_LA_PTR
    default: return std::nullopt;
  }
}
// r_type: VANILLA .. TLV (0-5), and the unassigned 6, 7 and 15 (refused by
// both loaders, naming the relocation).
constexpr uint32_t kTypes[] = {0, 1, 2, 3, 4, 5, 6, 7, 15};
}  // namespace

// The mutator's pair: GENERIC_RELOC_SECTDIFF then GENERIC_RELOC_PAIR (i386
// has no other pair; SECTDIFF is what compilers emit, LOCAL_SECTDIFF the
// assembler's local form, reached by the type mutations of scattered
// entries). Both halves must be scattered, so a pair the mutator makes
// from plain entries tests the loaders' refusal of it.
const ArchInvariants kMachOI386Invariants{
    "macho-i386", 0x7, 1, true, macho_i386_field, kTypes, sizeof kTypes / sizeof *kTypes,
    ObjectFormat::MachO, /*pair_head=*/2, /*pair_tail=*/1};  // SECTDIFF, then PAIR

}  // namespace jitload::fuzz
