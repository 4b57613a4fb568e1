// Per-architecture invariants of the fuzz harness, found through one
// registry keyed by (machine, class, byte order) read from the object's own
// ELF header — never assumed. A relocation type number means nothing
// without its machine: 1, 2 and 10 are R_X86_64_64/PC32/32 on x86-64 but
// R_ARM_PC24/ABS32/SBREL32 on ARM and R_MIPS_16/32/GPREL16 on MIPS, so the
// engine-only field check (harness.cc) asks this registry which types of
// *this* object's machine are plain functions of S, A and P, and checks
// nothing on a machine it does not know (no false findings).
//
// Adding an architecture: one file fuzz/arch/<arch>.cc defining its
// ArchInvariants, and one line in kRegistry (invariants.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace jitload::fuzz {

// What an ELF header says about how to read the rest of the object.
struct ElfIdent {
  uint16_t machine = 0;      // e_machine
  uint8_t elf_class = 0;     // 1 = ELFCLASS32, 2 = ELFCLASS64
  bool little_endian = true; // EI_DATA: 1 = ELFDATA2LSB, 2 = ELFDATA2MSB
};

// Reads e_ident and e_machine (in the object's own byte order); nullopt
// when the bytes are no ELF header of a known class and byte order.
std::optional<ElfIdent> read_ident(const uint8_t* data, size_t size);

// A field whose value is S + A (absolute) or S + A - P (PC-relative),
// stored whole in `width` bytes in the object's data byte
// order (AArch64 BE: data big-endian, instructions always little-endian —
// so only data fields appear here).
struct SimpleField {
  unsigned width;
  bool pc_relative;
};

struct ArchInvariants {
  std::string_view name;  // "x86-64", "aarch64", "aarch64_be", "riscv64", "riscv32"
  uint16_t machine;
  uint8_t elf_class;
  bool little_endian;
  std::optional<SimpleField> (*simple_field)(uint32_t type);
  // The relocation types the structure-aware mutator writes into r_info
  // (this machine's own numbers, so mutants stay meaningful).
  const uint32_t* mutation_types;
  size_t mutation_type_count;
};

// The registered architecture of an object; nullptr: unknown machine (the
// harness then checks no field of it).
const ArchInvariants* find_arch(const ElfIdent& id);

// Reads `width` bytes in the given byte order.
uint64_t read_field(const uint8_t* p, unsigned width, bool little_endian);

// Per-architecture definitions (fuzz/arch/<arch>.cc).
extern const ArchInvariants kX86_64Invariants;
extern const ArchInvariants kAArch64Invariants;
extern const ArchInvariants kAArch64BeInvariants;
extern const ArchInvariants kRiscV64Invariants;
extern const ArchInvariants kRiscV32Invariants;

}  // namespace jitload::fuzz
