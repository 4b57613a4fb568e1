// Debug objects: a copy of a loaded object file whose headers say where each
// section was loaded, so that a debugger reading it (through the GDB JIT
// interface) puts the object's symbols and line tables at the right
// addresses. One patcher per object format, in that format's folder.
#pragma once

#include <span>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload {

struct SectionPlacement {
  u32 file_index;  // section header index in the object
  u64 target;      // where the section runs
};

// Unsupported when no patcher knows the format; Malformed when its headers
// cannot be read (the loader accepted it, so that is unexpected).
Expected<std::vector<u8>> make_debug_object(std::span<const u8> object, std::span<const SectionPlacement> placements);

// Per-format patchers (debug-object.cc lists them in order).
bool elf_is_object(std::span<const u8> object);
Expected<std::vector<u8>> elf_make_debug_object(std::span<const u8> object,
                                                std::span<const SectionPlacement> placements);

}  // namespace jitload
