#include "conformance/report/arch.h"

#include "conformance/report/decode.h"

namespace jitload::conformance {

namespace {

// One line per architecture (and byte order) this layer decodes.
const ReportArch kArches[] = {
    {{"elf", true, true, elfview::kEmX86_64}, "x86_64-unknown-linux-gnu", decode_field_x86_64,
     ifunc_resolver_x86_64, 2, 0, 8},
    {{"elf", true, true, elfview::kEmAArch64}, "aarch64-unknown-linux-gnu", decode_field_aarch64,
     ifunc_resolver_aarch64, 1, 16, 8},
    {{"elf", true, false, elfview::kEmAArch64}, "aarch64_be-unknown-linux-gnu", decode_field_aarch64,
     ifunc_resolver_aarch64, 1, 16, 8},
    // RISC-V psABI "Thread Local Storage": variant I, tp one past the end
    // of the TCB; the TCB is the runtime's, 0 bytes in the loaders' model
    // (reference.h "RISC-V"). One machine, two classes.
    {{"elf", true, true, elfview::kEmRiscv}, "riscv64-unknown-linux-gnu", decode_field_riscv, ifunc_resolver_riscv, 1,
     0, 8},
    {{"elf", false, true, elfview::kEmRiscv}, "riscv32-unknown-linux-gnu", decode_field_riscv, ifunc_resolver_riscv, 1,
     0, 4},
    // LoongArch psABI "Thread Local Storage": variant I, tp at the start of
    // the block (a TCB of 0 bytes: reference.h "LoongArch").
    {{"elf", true, true, elfview::kEmLoongArch}, "loongarch64-unknown-linux-gnu", decode_field_loongarch,
     ifunc_resolver_loongarch, 1, 0, 8},
    // Mach-O: `machine` is the cputype's low 16 bits (CPU_TYPE_X86), is64
    // its CPU_ARCH_ABI64 bit.
    {{"macho", true, true, 7}, "x86_64-apple-macosx", decode_field_macho_x86_64, ifunc_resolver_x86_64, 2, 0, 8},
    // CPU_TYPE_ARM (12) | CPU_ARCH_ABI64.
    {{"macho", true, true, 12}, "arm64-apple-macosx", decode_field_macho_arm64, ifunc_resolver_aarch64, 1, 16, 8},
};

// A triple names a Mach-O target when its vendor or OS is Apple's.
bool macho_triple(std::string_view triple) {
  for (std::string_view w : {"apple", "darwin", "macos", "ios"})
    if (triple.find(w) != std::string_view::npos) return true;
  return false;
}

std::string_view arch_of(std::string_view triple) { return triple.substr(0, triple.find('-')); }

}  // namespace

const ReportArch* find_arch(const ArchKey& key) {
  for (const ReportArch& a : kArches)
    if (a.key.format == key.format && a.key.is64 == key.is64 && a.key.little_endian == key.little_endian &&
        a.key.machine == key.machine)
      return &a;
  return nullptr;
}

const ReportArch* find_arch(const elfview::View& v) {
  return find_arch(ArchKey{"elf", v.is64(), v.little_endian(), v.machine()});
}

const ReportArch* find_arch_by_triple(std::string_view triple) {
  std::string_view arch = arch_of(triple);
  if (arch == "amd64" || arch == "x86-64") arch = "x86_64";
  if (arch == "arm64") arch = "aarch64";
  const std::string_view format = macho_triple(triple) ? "macho" : "elf";
  for (const ReportArch& a : kArches)
    if ((arch_of(a.triple) == arch || (arch_of(a.triple) == "arm64" && arch == "aarch64")) && a.key.format == format)
      return &a;
  return nullptr;
}

std::string object_triple(std::span<const u8> bytes, const std::string& fallback) {
  // Mach-O: MH_MAGIC_64, then cputype.
  if (bytes.size() >= 8 && bytes[0] == 0xcf && bytes[1] == 0xfa && bytes[2] == 0xed && bytes[3] == 0xfe) {
    u32 cputype = u32(bytes[4]) | u32(bytes[5]) << 8 | u32(bytes[6]) << 16 | u32(bytes[7]) << 24;
    const ReportArch* a = find_arch(ArchKey{"macho", (cputype & 0x01000000) != 0, true, std::uint16_t(cputype & 0xffff)});
    return a ? a->triple : fallback;
  }
  auto view = elfview::View::open(bytes);
  if (!view) return fallback;
  const ReportArch* a = find_arch(*view);
  return a ? a->triple : fallback;
}

}  // namespace jitload::conformance
