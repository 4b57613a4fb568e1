// The registry: one line per architecture. See arch.h.
#include "reference/elf/arch.h"

#include "reference/elf/aarch64.h"
#include "reference/elf/loongarch.h"
#include "reference/elf/riscv.h"
#include "reference/elf/x86-64.h"

namespace jitload::reference::elf {

namespace {

// x86-64 psABI §4.2.1: SHT_X86_64_UNWIND (0x70000001) holds unwind tables.
bool x86_64_proc_section(uint32_t type) { return type == 0x70000001; }
// aaelf64 §5.3 "Section types": SHT_AARCH64_ATTRIBUTES (0x70000003) is
// build-attribute metadata and 0x70000001 is not defined; nothing loads.
bool aarch64_proc_section(uint32_t) { return false; }
// RISC-V psABI "Section Types": SHT_RISCV_ATTRIBUTES (0x70000003) is
// attribute metadata; nothing processor-specific loads.
bool riscv_proc_section(uint32_t) { return false; }
// LoongArch psABI: no processor-specific section type loads.
bool loongarch_proc_section(uint32_t) { return false; }

// x86-64 and AArch64 stubs hold an 8-byte target whatever the class.
std::vector<uint8_t> x86_64_stub(unsigned) { return x86_64::stub_bytes(); }
std::vector<uint8_t> aarch64_stub(unsigned) { return aarch64::stub_bytes(); }

const Arch kArchs[] = {
    {x86_64::kMachine, "x86-64", 2, true, false, "x86_64-unknown-linux-gnu", "", "", true, false, TlsVariant::II, 0,
     x86_64::kGotEntrySize, x86_64::kStubSize, x86_64::kStubTargetAt, x86_64_stub, x86_64::type_name,
     x86_64_proc_section},
    {aarch64::kMachine, "AArch64", 2, true, true, "aarch64-unknown-linux-gnu", "aarch64_be-unknown-linux-gnu", "",
     true, false, TlsVariant::I, 16, aarch64::kGotEntrySize, aarch64::kStubSize, aarch64::kStubTargetAt,
     aarch64_stub, aarch64::type_name, aarch64_proc_section},
    // RISC-V psABI: RV64 (ELFCLASS64) and RV32 (ELFCLASS32), little-endian,
    // RELA; TLS variant I with tp one past the end of a TCB the psABI
    // leaves to the runtime: here of size 0 (reference.h, "RISC-V").
    {riscv::kMachine, "RISC-V", 0, true, false, "riscv64-unknown-linux-gnu", "", "riscv32-unknown-linux-gnu", true,
     false, TlsVariant::I, 0, 0, riscv::kStubSize, riscv::kStubTargetAt, riscv::stub_bytes, riscv::type_name,
     riscv_proc_section},
    // LoongArch psABI: LP64 (ELFCLASS64), little-endian, RELA; TLS variant
    // I with tp at the start of the block (a TCB of 0 bytes before it:
    // reference.h, "LoongArch"); 8-byte GOT slots.
    {loongarch::kMachine, "LoongArch", 2, true, false, "loongarch64-unknown-linux-gnu", "", "", true, false,
     TlsVariant::I, 0, 8, loongarch::kStubSize, loongarch::kStubTargetAt, loongarch::stub_bytes,
     loongarch::type_name, loongarch_proc_section},
};

}  // namespace

const Arch* find_arch(uint16_t machine) {
  for (const Arch& a : kArchs)
    if (a.machine == machine) return &a;
  return nullptr;
}

std::string triple_of(std::span<const uint8_t> b) {
  if (b.size() < 20 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') return "";
  bool big = b[5] == 2;
  uint16_t machine = big ? uint16_t(b[18] << 8 | b[19]) : uint16_t(b[19] << 8 | b[18]);
  const Arch* a = find_arch(machine);
  if (!a) return "";
  if (big) return *a->triple_be ? a->triple_be : "unknown";
  if (a->elf_class == 0 && b[4] == 1) return a->triple_le32;  // ELFCLASS32
  return a->triple_le;
}

}  // namespace jitload::reference::elf
