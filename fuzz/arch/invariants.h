// Per-architecture invariants of the fuzz harness, found through one
// registry keyed by (format, machine, class, byte order) read from the
// object's own header (ELF's e_ident/e_machine, Mach-O's magic/cputype) —
// never assumed. A relocation type number means nothing
// without its machine: 1, 2 and 10 are R_X86_64_64/PC32/32 on x86-64 but
// R_ARM_PC24/ABS32/SBREL32 on ARM and R_MIPS_16/32/GPREL16 on MIPS, so the
// engine-only field check (harness.cc) asks this registry which types of
// *this* object's machine are plain functions of S, A and P, and checks
// nothing on a machine it does not know (no false findings).
//
// Adding an architecture: one file fuzz/arch/<arch>.cc defining its
// ArchInvariants (Mach-O ones: fuzz/arch/macho-<arch>.cc), and one line in
// kRegistry (invariants.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace jitload::fuzz {

enum class ObjectFormat : uint8_t { Elf, MachO };

// What an object's header says about how to read the rest of it.
struct ObjectIdent {
  uint32_t machine = 0;      // ELF e_machine; Mach-O cputype (CPU_TYPE_X86_64 = 0x01000007)
  uint8_t elf_class = 0;     // 1 = 32-bit (ELFCLASS32, MH_MAGIC), 2 = 64-bit (ELFCLASS64, MH_MAGIC_64)
  bool little_endian = true; // EI_DATA: 1 = ELFDATA2LSB, 2 = ELFDATA2MSB; Mach-O: little-endian only
  ObjectFormat format = ObjectFormat::Elf;
};
using ElfIdent = ObjectIdent;  // its name before Mach-O

// Reads e_ident and e_machine (in the object's own byte order), or a
// little-endian Mach-O header's magic and cputype; nullopt when the bytes
// are neither (ELF of an unknown class or byte order, big-endian Mach-O).
std::optional<ObjectIdent> read_ident(const uint8_t* data, size_t size);

// A field whose value is S + A (absolute) or S + A - P (PC-relative),
// stored whole in `width` bytes in the object's data byte
// order (AArch64 BE: data big-endian, instructions always little-endian —
// so only data fields appear here).
struct SimpleField {
  unsigned width;
  bool pc_relative;
  // Subtracted as well: Mach-O x86-64's pc-relative fields are relative to
  // the end of the 4-byte field, S + A - (P + 4).
  unsigned pc_bias = 0;
};

struct ArchInvariants {
  std::string_view name;  // "x86-64", "aarch64", "aarch64_be", "riscv64", "riscv32", "loongarch64", "macho-x86_64"
  uint32_t machine;       // e_machine, or the Mach-O cputype
  uint8_t elf_class;
  bool little_endian;
  std::optional<SimpleField> (*simple_field)(uint32_t type);
  // The relocation types the structure-aware mutator writes into r_info
  // (this machine's own numbers, so mutants stay meaningful).
  // Mach-O: r_type, 4 bits.
  const uint32_t* mutation_types;
  size_t mutation_type_count;
  ObjectFormat format = ObjectFormat::Elf;
  // Mach-O: the entry type that must be followed by `pair_tail` on the same
  // field (x86-64 SUBTRACTOR then UNSIGNED); ~0u: none. The structure
  // mutator builds, breaks and reorders such pairs.
  uint32_t pair_head = ~0u, pair_tail = ~0u;
};

// The registered architecture of an object; nullptr: unknown machine (the
// harness then checks no field of it).
const ArchInvariants* find_arch(const ObjectIdent& id);

// Reads `width` bytes in the given byte order.
uint64_t read_field(const uint8_t* p, unsigned width, bool little_endian);
// Writes the low `width` bytes of v in the given byte order.
void write_field(uint8_t* p, uint64_t v, unsigned width, bool little_endian);

// Per-architecture definitions (fuzz/arch/<arch>.cc).
extern const ArchInvariants kX86_64Invariants;
extern const ArchInvariants kAArch64Invariants;
extern const ArchInvariants kAArch64BeInvariants;
extern const ArchInvariants kRiscV64Invariants;
extern const ArchInvariants kRiscV32Invariants;
extern const ArchInvariants kLoongArch64Invariants;
extern const ArchInvariants kMachOX86_64Invariants;
extern const ArchInvariants kMachOArm64Invariants;
extern const ArchInvariants kMachOI386Invariants, kMachOArmInvariants;

}  // namespace jitload::fuzz
