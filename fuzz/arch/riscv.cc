// RISC-V (EM_RISCV = 243), RV64 (ELFCLASS64) and RV32 (ELFCLASS32),
// little-endian, RELA: the data relocations of the RISC-V ELF psABI whose
// field is S + A or S + A - P, stored whole. R_RISCV_32 and R_RISCV_64 hold
// S + A in both classes (RV32 computes modulo 2^32, which the harness's
// mask keeps); 32_PCREL and PLT32 are S + A - P and never go through a stub
// (reference.h "RISC-V"). Instruction fields (U/I/S/B/J, the compressed
// forms), the label arithmetic (ADD/SUB/SET read what the entry before
// wrote) and the %pcrel_lo pairs are left to the differential comparison.
#include "fuzz/arch/invariants.h"

namespace jitload::fuzz {

namespace {
std::optional<SimpleField> riscv_field(uint32_t type) {
  switch (type) {
    case 1: return SimpleField{4, false};   // R_RISCV_32
    case 2: return SimpleField{8, false};   // R_RISCV_64
    case 57: return SimpleField{4, true};   // R_RISCV_32_PCREL
    case 59: return SimpleField{4, true};   // R_RISCV_PLT32
    default: return std::nullopt;
  }
}
// Every type of the psABI's table up to TLSDESC_CALL (0-65): the static
// ones clang-19 emits, the dynamic-linker ones (3-12, refused by both
// loaders), the reserved 42 and the withdrawn 46-50, so that mutants reach
// every row and every refusal.
constexpr uint32_t kTypes[] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 16, 17, 18, 19, 20, 21, 22, 23, 24,
                               25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46,
                               47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65};
constexpr size_t kTypeCount = sizeof kTypes / sizeof *kTypes;
}  // namespace

const ArchInvariants kRiscV64Invariants{"riscv64", 243, 2, true, riscv_field, kTypes, kTypeCount};
const ArchInvariants kRiscV32Invariants{"riscv32", 243, 1, true, riscv_field, kTypes, kTypeCount};

}  // namespace jitload::fuzz
