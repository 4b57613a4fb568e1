// x86-64 (EM_X86_64 = 62, ELF64 little-endian): the psABI types whose
// field is a plain function of S, A and P.
#include "fuzz/arch/invariants.h"

namespace jitload::fuzz {

namespace {
std::optional<SimpleField> x86_64_field(uint32_t type) {
  switch (type) {
    case 1: return SimpleField{8, false};   // R_X86_64_64
    case 2: return SimpleField{4, true};    // R_X86_64_PC32
    case 10: return SimpleField{4, false};  // R_X86_64_32
    case 11: return SimpleField{4, false};  // R_X86_64_32S
    case 24: return SimpleField{8, true};   // R_X86_64_PC64
    default: return std::nullopt;
  }
}
// R_X86_64_NONE .. R_X86_64_REX_GOTPCRELX (0-42).
constexpr uint32_t kTypes[] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                               22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42};
}  // namespace

const ArchInvariants kX86_64Invariants{"x86-64", 62, 2, true, x86_64_field, kTypes, sizeof kTypes / sizeof *kTypes};

}  // namespace jitload::fuzz
