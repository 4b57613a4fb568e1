// The scenario's placement rule (report.h), computed from an object's
// section headers for the loaders that do not implement it themselves: the
// engine adapter and the LLVM oracle. (The reference implements the rule on
// its own; if the two implementations ever differ, section addresses differ
// and the comparison says so.)
#pragma once

#include <span>
#include <string>
#include <vector>

#include "conformance/report/report.h"

namespace jitload::conformance {

struct PlannedSection {
  u32 index = 0;
  std::string name;
  u64 size = 0;
  u64 align = 1;
  bool tls = false;
  u64 address = 0;    // non-TLS
  i64 tp_offset = 0;  // TLS
};

struct Placement {
  bool ok = false;
  std::string error;
  std::vector<PlannedSection> sections;  // allocatable sections, header order
  u64 cursor = 0;                        // after the file's sections
  u64 section_sep = 0;
  const PlannedSection* find(u32 index) const;
  // The next of the loader's own areas ("<common symbols>", "<got>",
  // "<stubs>"): its explicit address, or the cursor's; moves the cursor.
  u64 place_area(const LoadScenario& s, const std::string& name, u64 size, u64 align);
};

// Only ELF64 little-endian for now; anything it cannot read gives ok=false
// (the loaders then reject the object on their own terms).
Placement plan_placement(std::span<const u8> object, const LoadScenario& scenario);

}  // namespace jitload::conformance
