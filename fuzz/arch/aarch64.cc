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
}  // namespace

const ArchInvariants kAArch64Invariants{"aarch64", 183, 2, true, aarch64_field};
const ArchInvariants kAArch64BeInvariants{"aarch64_be", 183, 2, false, aarch64_field};

}  // namespace jitload::fuzz
