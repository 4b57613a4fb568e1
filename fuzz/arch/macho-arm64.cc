// Mach-O arm64 (cputype CPU_TYPE_ARM64 = 0x0100000c, MH_MAGIC_64,
// little-endian). A report's type is r_type | r_length << 4, as for
// x86-64. The plain fields, from <mach-o/arm64/reloc.h>: UNSIGNED with
// r_length 3 or 2 is S + A (8 or 4 bytes of data). The rest are
// instruction fields (BRANCH26, PAGE21, PAGEOFF12 and their GOT and TLVP
// forms), a slot's address (POINTER_TO_GOT), a pair's half (SUBTRACTOR and
// the UNSIGNED after it: not a Direct outcome) or an addend for the next
// entry (ADDEND): left to the differential comparison.
#include "fuzz/arch/invariants.h"

namespace jitload::fuzz {

namespace {
std::optional<SimpleField> macho_arm64_field(uint32_t type) {
  switch (type) {
    case 0 | 3 << 4: return SimpleField{8, false};  // ARM64_RELOC_UNSIGNED, 64-bit
    case 0 | 2 << 4: return SimpleField{4, false};  // ARM64_RELOC_UNSIGNED, 32-bit
    default: return std::nullopt;
  }
}
// r_type: UNSIGNED .. AUTHENTICATED_POINTER (0-11), and the unassigned 12
// and 15.
constexpr uint32_t kTypes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15};
}  // namespace

const ArchInvariants kMachOArm64Invariants{
    "macho-arm64", 0x0100000c, 2, true, macho_arm64_field, kTypes, sizeof kTypes / sizeof *kTypes,
    ObjectFormat::MachO, /*pair_head=*/1, /*pair_tail=*/0};  // SUBTRACTOR, then UNSIGNED

}  // namespace jitload::fuzz
