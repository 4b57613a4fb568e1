// LoongArch64 (EM_LOONGARCH = 258), ELFCLASS64, little-endian, RELA: the
// data relocations of the LoongArch ELF psABI whose field is S + A or
// S + A - P, stored whole (R_LARCH_32, R_LARCH_64, 32_PCREL, 64_PCREL).
// Instruction pieces (the page and absolute sequences, branches, CALL36),
// the label arithmetic (ADD/SUB read what the entry before wrote) and the
// TLS rewrites are left to the differential comparison.
#include "fuzz/arch/invariants.h"

namespace jitload::fuzz {

namespace {
std::optional<SimpleField> loongarch_field(uint32_t type) {
  switch (type) {
    case 1: return SimpleField{4, false};    // R_LARCH_32
    case 2: return SimpleField{8, false};    // R_LARCH_64
    case 99: return SimpleField{4, true};    // R_LARCH_32_PCREL
    case 109: return SimpleField{8, true};   // R_LARCH_64_PCREL
    default: return std::nullopt;
  }
}
// Every type of the psABI's table (0-126): the static ones clang-19 emits,
// the dynamic-linker ones and the old stack-based SOP_* ones (refused by
// both loaders), so that mutants reach every row and every refusal.
constexpr uint32_t kTypes[] = {
    0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 20, 21, 22, 23, 30, 38, 46, 47, 48, 49,
    50, 51, 52, 53, 54, 55, 56, 57, 58, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79,
    80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104,
    105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126};
constexpr size_t kTypeCount = sizeof kTypes / sizeof *kTypes;
}  // namespace

const ArchInvariants kLoongArch64Invariants{"loongarch64", 258, 2, true, loongarch_field, kTypes, kTypeCount};

}  // namespace jitload::fuzz
