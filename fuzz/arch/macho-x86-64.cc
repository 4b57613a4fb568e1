// Mach-O x86-64 (cputype CPU_TYPE_X86_64 = 0x01000007, MH_MAGIC_64,
// little-endian). A report's type is r_type | r_length << 4 (the engine's
// RelocationRecord and both loaders' reports), so a field's width is part
// of its type here. The plain fields, from <mach-o/x86_64/reloc.h>:
//   UNSIGNED, r_length 3 or 2    S + A          (8 or 4 bytes)
//   SIGNED, SIGNED_1/2/4, BRANCH S + A - (P + 4) (4 bytes: every pc-relative
//                                field is relative to the field's end; the
//                                -1/-2/-4 is in A already)
// The UNSIGNED half of a SUBTRACTOR pair (S + A - B), GOT_LOAD/GOT/TLV (a
// slot's address) and BRANCH through a stub are not Direct outcomes, so the
// harness skips them (and a SUBTRACTOR shares its UNSIGNED's place: both
// are "overlapped").
#include "fuzz/arch/invariants.h"

namespace jitload::fuzz {

namespace {
constexpr uint32_t kLen2 = 2 << 4, kLen3 = 3 << 4;
std::optional<SimpleField> macho_x86_64_field(uint32_t type) {
  switch (type) {
    case 0 | kLen3: return SimpleField{8, false};    // X86_64_RELOC_UNSIGNED, 64-bit
    case 0 | kLen2: return SimpleField{4, false};    // X86_64_RELOC_UNSIGNED, 32-bit
    case 1 | kLen2:                                  // X86_64_RELOC_SIGNED
    case 2 | kLen2:                                  // X86_64_RELOC_BRANCH (direct)
    case 6 | kLen2:                                  // X86_64_RELOC_SIGNED_1
    case 7 | kLen2:                                  // X86_64_RELOC_SIGNED_2
    case 8 | kLen2: return SimpleField{4, true, 4};  // X86_64_RELOC_SIGNED_4
    default: return std::nullopt;
  }
}
// r_type: UNSIGNED .. TLV (0-9), and the unassigned 10 and 15 (refused by
// both loaders, naming the relocation).
constexpr uint32_t kTypes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15};
}  // namespace

const ArchInvariants kMachOX86_64Invariants{
    "macho-x86_64", 0x01000007, 2, true, macho_x86_64_field, kTypes, sizeof kTypes / sizeof *kTypes,
    ObjectFormat::MachO, /*pair_head=*/5, /*pair_tail=*/0};  // SUBTRACTOR, then UNSIGNED

}  // namespace jitload::fuzz
