// The object formats of this build, in sniffing order. Adding MachO or COFF:
// a folder with its loader defining an ObjectFormat, and a line here.
#include "engine/loader/core/format.h"

namespace jitload {
namespace elf {
extern const ObjectFormat kElfFormat;
}
namespace macho {
extern const ObjectFormat kMachoFormat;
}

std::span<const ObjectFormat* const> object_formats() {
  static const ObjectFormat* const all[] = {
      &elf::kElfFormat,
      &macho::kMachoFormat,
  };
  return all;
}

}  // namespace jitload
