// Format dispatch for the reference loader: one format so far (ELF); MachO
// and COFF join as reference/macho/, reference/coff/ with one line here.
#include "reference/elf/elf.h"
#include "reference/macho/macho.h"
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
  // One format per set: the first recognised object's (reference.h, "Mach-O").
  bool macho_set = false;
  for (size_t i = 0; i < objects.size(); i++) {
    if (elf::is_elf(objects[i].bytes)) break;
    if (macho::is_macho(objects[i].bytes)) {
      macho_set = true;
      break;
    }
  }
  for (size_t i = 0; i < objects.size(); i++) {
    if (macho_set ? macho::is_macho(objects[i].bytes) : elf::is_elf(objects[i].bytes)) continue;
    rejected[i] = true;
    results[i].error.kind = ErrorKind::Unsupported;
    results[i].error.file_offset = 0;
    results[i].error.message = objects[i].name + (elf::is_elf(objects[i].bytes) || macho::is_macho(objects[i].bytes)
                                                      ? ": is not of the set's object format"
                                                      : ": not an object file of a supported format (ELF, Mach-O)");
  }
  if (macho_set) macho::load_macho_set(objects, scenario, results, rejected);
  else elf::load_elf_set(objects, scenario, results, rejected);
  return results;
}

}  // namespace jitload::reference
