// AArch64 (EM_AARCH64 = 183, ELF64, little- and big-endian): the data
// relocations of the AArch64 ELF psABI whose field is S + A or S + A - P,
// stored whole in data byte order. Instruction fields (MOVW, ADRP, branch
// immediates) are bit fields of little-endian instructions and are left to
// the differential comparison.
#include "fuzz/arch/invariants.h"

namespace jitload::fuzz {

namespace {
std::optional<SimpleField> aarch64_field(uint32_t type) {
  switch (type) {
    case 257: return SimpleField{8, false};  // R_AARCH64_ABS64
    case 258: return SimpleField{4, false};  // R_AARCH64_ABS32
    case 259: return SimpleField{2, false};  // R_AARCH64_ABS16
    case 260: return SimpleField{8, true};   // R_AARCH64_PREL64
    case 261: return SimpleField{4, true};   // R_AARCH64_PREL32
    case 262: return SimpleField{2, true};   // R_AARCH64_PREL16
    default: return std::nullopt;
  }
}
// The static relocations of the AArch64 ELF psABI clang-19 emits, and their
// neighbours: data (257-262), MOVW (263-272, 287-293), PC-relative and
// page (273-276), LO12 (277-278, 284-286, 299), branches (279-283), GOT
// (307-315), TLS (512-571).
constexpr uint32_t kTypes[] = {0,   257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 270, 271, 272,
                               273, 274, 275, 276, 277, 278, 279, 280, 282, 283, 284, 285, 286, 287, 288, 289, 290,
                               291, 292, 293, 299, 307, 308, 309, 310, 311, 312, 313, 314, 315, 512, 513, 514, 539,
                               540, 541, 542, 543, 544, 545, 546, 547, 548, 549, 550, 551, 552, 553, 554, 555, 556,
                               557, 558, 559, 560, 561, 562, 563, 564, 565, 566, 567, 568, 569, 570, 571};
constexpr size_t kTypeCount = sizeof kTypes / sizeof *kTypes;
}  // namespace

const ArchInvariants kAArch64Invariants{"aarch64", 183, 2, true, aarch64_field, kTypes, kTypeCount};
const ArchInvariants kAArch64BeInvariants{"aarch64_be", 183, 2, false, aarch64_field, kTypes, kTypeCount};

}  // namespace jitload::fuzz
