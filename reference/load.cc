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
  Input one{name, bytes};
  std::vector<Result> results = load_set(std::span<const Input>(&one, 1), scenario);
  return std::move(results[0]);  // moved, not copied: a large object's result is big
}

// An object of no supported format is rejected and contributes nothing
// (reference.h, "Rejected objects"); the rest load as one ELF set.
std::vector<Result> load_set(std::span<const Input> objects, const Scenario& scenario) {
  std::vector<Result> results(objects.size());
  std::vector<bool> rejected(objects.size(), false);
  for (size_t i = 0; i < objects.size(); i++) {
    if (elf::is_elf(objects[i].bytes)) continue;
    rejected[i] = true;
    results[i].error.kind = ErrorKind::Unsupported;
    results[i].error.file_offset = 0;
    results[i].error.message = objects[i].name + ": not an object file of a supported format (ELF)";
  }
  elf::load_elf_set(objects, scenario, results, rejected);
  return results;
}

}  // namespace jitload::reference
