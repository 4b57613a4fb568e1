// The ELF architectures this build supports. Adding one: a new file
// elf/<arch>.cc defining an ElfArch, and a line here.
#include "engine/loader/elf/arch.h"

namespace jitload::elf {

std::span<const ElfArch* const> elf_architectures() {
  static const ElfArch* const all[] = {
      &kX86_64,
      &kAArch64, &kAArch64Be,
      &kRiscV64, &kRiscV32,
      &kLoongArch64,
  };
  return all;
}

}  // namespace jitload::elf
