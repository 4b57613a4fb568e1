// The conformance layer's one registry of per-architecture code, keyed by
// what the object says: (format, ELF class, byte order, machine). Shared
// code (decode.cc, layout.cc, the adapters) asks it; it never tests a type
// number, a machine or a triple itself. Adding an architecture to this
// layer: a decode-<arch>.cc and one line in arch.cc's table (README,
// "Adding an architecture").
#pragma once

#include <string>
#include <string_view>

#include "conformance/elf/elf-view.h"
#include "conformance/report/report.h"

namespace jitload::conformance {

class MemoryMap;
struct DecodedField;

struct ArchKey {
  std::string_view format = "elf";
  bool is64 = true;
  bool little_endian = true;
  std::uint16_t machine = 0;
};

struct ReportArch {
  ArchKey key;
  const char* triple;  // what the report records for such an object
  // How a loader's relocated field reads back (decode.h).
  DecodedField (*decode)(const MemoryMap&, const ReportRelocation&, const ReportRelocation*);
  bool (*ifunc_resolver)(const MemoryMap&, u64 stub, u64& resolver);
  // The static TLS block (ELF TLS, Drepper §3.4): variant II puts the
  // block below the thread pointer (x86-64); variant I above a TCB of
  // `tcb_size` bytes at the thread pointer (AArch64: 16).
  int tls_variant;
  u64 tcb_size;
  unsigned pointer_size;  // bytes in a GOT slot / an address word
};

// nullptr for a key no entry serves.
const ReportArch* find_arch(const ArchKey& key);
// The entry for an ELF object's header; nullptr for an unknown machine.
const ReportArch* find_arch(const elfview::View& view);
// The entry whose triple names the same architecture (the report's
// triple; "aarch64_be-..." and "aarch64-..." are two entries).
const ReportArch* find_arch_by_triple(std::string_view triple);
// The triple for an object's bytes, or `fallback` when it names none.
std::string object_triple(std::span<const u8> bytes, const std::string& fallback);

}  // namespace jitload::conformance
