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
}  // namespace

const ArchInvariants kX86_64Invariants{"x86-64", 62, 2, true, x86_64_field};

}  // namespace jitload::fuzz
