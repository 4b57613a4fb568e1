// The reference's registry of ELF architectures: one line per architecture
// (arch.cc), naming what the format-level code needs to know about it.
// Relocation rows stay in the architecture's own file (x86-64.cc,
// aarch64.cc); adding an architecture is that file, its line here, and its
// case in load.cc's scan/apply dispatch.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace jitload::reference::elf {

enum class TlsVariant {
  I,   // TP at a TCB of tcb_size bytes; the block follows it (AArch64)
  II,  // the block ends at TP (x86-64)
};

struct Arch {
  uint16_t machine;  // e_machine
  const char* name;
  uint8_t elf_class;                 // the class its psABI uses; 0: either (RISC-V: RV32 and RV64)
  bool little_endian_ok, big_endian_ok;
  const char* triple_le;
  const char* triple_be;
  const char* triple_le32;  // ELFCLASS32 little-endian, when elf_class is 0
  bool rela;  // relocations it takes: SHT_RELA
  bool rel;   // SHT_REL
  TlsVariant tls;
  unsigned tcb_size;
  unsigned got_entry_size;  // 0: the class's word (4 for ELFCLASS32, 8 for ELFCLASS64)
  unsigned stub_size;
  unsigned stub_target_at;  // where the stub's target word (the class's word size) sits
  std::vector<uint8_t> (*stub_bytes)(unsigned word);
  std::string (*type_name)(uint32_t type);
  // Processor-specific section types (SHT_LOPROC..SHT_HIPROC) whose
  // contents load: their meaning differs per machine.
  bool (*loads_proc_section)(uint32_t type);
};

const Arch* find_arch(uint16_t machine);

// The triple an object's header gives (e_ident[EI_DATA], e_machine), or
// "" when it is not an ELF header of a registered machine.
std::string triple_of(std::span<const uint8_t> bytes);

}  // namespace jitload::reference::elf
