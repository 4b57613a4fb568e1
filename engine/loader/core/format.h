// A loadable object format (ELF now; MachO and COFF later). RuntimeDyld
// sniffs the first bytes, picks the format whose `matches` accepts them, and
// hands the bytes to its `load`. Adding a format means adding a folder with
// one of these and a line in formats.cc — nothing else changes.
#pragma once

#include <span>
#include <string_view>

#include "engine/loader/core/base.h"

namespace jitload {

class LoadState;  // loader internals: what a format's load() fills in

struct ObjectFormat {
  const char* name;
  bool (*matches)(std::span<const u8> bytes);
  Error (*load)(LoadState& state, std::span<const u8> bytes);
};

// All formats this build knows, in sniffing order (formats.cc).
std::span<const ObjectFormat* const> object_formats();

}  // namespace jitload
