// Format dispatch for the reference loader: one format so far (ELF); MachO
// and COFF join as reference/macho/, reference/coff/ with one line here.
#include "reference/elf/elf.h"
#include "reference/reference.h"

namespace jitload::reference {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Overflow: return "overflow";
    case ErrorKind::Unresolved: return "unresolved";
    case ErrorKind::Argument: return "argument";
    case ErrorKind::Limit: return "memory";
  }
  return "unknown";
}

Result load(std::span<const uint8_t> bytes, const std::string& name, const Scenario& scenario) {
  if (elf::is_elf(bytes)) return elf::load_elf(bytes, name, scenario);
  Result r;
  r.error.kind = ErrorKind::Unsupported;
  r.error.file_offset = 0;
  r.error.message = name + ": not an object file of a supported format (ELF)";
  return r;
}

}  // namespace jitload::reference
