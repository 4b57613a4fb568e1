// One bounded walk over a little-endian Mach-O object's section headers
// (MH_MAGIC and MH_MAGIC_64), for the outer layers that read a file's
// sections without loading it: the placement plan (layout.cc), `jitload
// coverage`'s relocation count and `jitload diff`'s look at a 32-bit file's
// own words. The loaders have their own, stricter readers.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "engine/loader/core/base.h"

namespace jitload::conformance {

struct MachOSectionHeader {
  u32 ordinal;           // 1-based, in load command order (n_sect's numbering)
  u64 header_offset;     // file offset of the section header
  std::string_view name;     // sectname, up to its NUL (16 bytes at most)
  std::string_view segment;  // segname, likewise
  u64 addr, size;
  u32 offset, align, reloff, nreloc, flags;
};

struct MachOFile {
  bool is64;
  u32 cputype;
};

// Calls `each` for every section header of every LC_SEGMENT(_64), in order,
// until it returns false. Checks: the header fits; sizeofcmds lies inside
// the file; every load command lies inside sizeofcmds with cmdsize >= 8; a
// segment command holds its section headers. Returns "" or the first
// failure, naming what and where (file offsets). `file` (optional) receives
// the header's class and cputype.
std::string walk_macho_sections(std::span<const u8> bytes, const std::function<bool(const MachOSectionHeader&)>& each,
                                MachOFile* file = nullptr);

}  // namespace jitload::conformance
