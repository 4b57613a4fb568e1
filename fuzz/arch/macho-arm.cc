// Mach-O ARM and Thumb (cputype CPU_TYPE_ARM = 12, MH_MAGIC,
// little-endian). A report's type is r_type | r_length << 4 | r_pcrel << 6,
// as for i386 (both loaders' reports; the engine's arm.cc keeps r_extern
// in bit 6 of its own entry type, which no report shows). The plain
// fields, from <mach-o/arm/reloc.h> as both loaders implement them:
//   ARM_RELOC_VANILLA, r_length 2     S + A (4 bytes; extern or not, or
//                                     scattered: S the section holding
//                                     r_value, A the offset in it)
//   ARM_RELOC_PB_LA_PTR, r_length 2   S + A: r_value moved with its section
// The rest are instruction fields (BR24, THUMB_RELOC_BR22: interworking and
// stubs; HALF: one half of a movw/movt pair), differences (SECTDIFF,
// LOCAL_SECTDIFF, HALF_SECTDIFF: A - B + k, not Direct outcomes) or a
// PAIR (no field): left to the differential comparison.
#include "fuzz/arch/invariants.h"

namespace jitload::fuzz {

namespace {
std::optional<SimpleField> macho_arm_field(uint32_t type) {
  switch (type) {
    case 0 | 2 << 4:                                  // ARM_RELOC_VANILLA (extern, non-extern or scattered)
    case 4 | 2 << 4: return SimpleField{4, false};    // ARM_RELOC_PB_LA_PTR (always scattered)
    default: return std::nullopt;
  }
}
// r_type: VANILLA .. HALF_SECTDIFF (0-9, ARM_THUMB_32BIT_BRANCH (7) refused
// as obsolete), and the unassigned 10 and 15.
constexpr uint32_t kTypes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15};
}  // namespace

// The mutator's pair: ARM_RELOC_HALF then ARM_RELOC_PAIR. HALF is the one
// head a plain (non-scattered) entry may be, so the pairs the mutator makes
// from the seed's entries load and are applied (the PAIR's r_address
// carrying the other half); SECTDIFF and HALF_SECTDIFF pairs come from the
// seed's scattered entries and the scattered-type mutations.
const ArchInvariants kMachOArmInvariants{
    "macho-arm", 0xc, 1, true, macho_arm_field, kTypes, sizeof kTypes / sizeof *kTypes,
    ObjectFormat::MachO, /*pair_head=*/8, /*pair_tail=*/1};  // HALF, then PAIR

}  // namespace jitload::fuzz
