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
  // The architecture's TLS variant (arch.h): 2 = block below the thread
  // pointer, 1 = above a TCB of tcb_size bytes.
  int tls_variant = 2;
  u64 tcb_size = 0;
  const PlannedSection* find(u32 index) const;
  // The next of the loader's own areas ("<common symbols>", "<got>",
  // "<stubs>"): its explicit address, or the cursor's; moves the cursor.
  u64 place_area(const LoadScenario& s, const std::string& name, u64 size, u64 align);
};

// ELF32 and ELF64, either byte order (conformance/elf/elf-view.h); anything
// it cannot read gives ok=false (the loaders then reject the object on
// their own terms). TLS offsets per the object's architecture's variant.
Placement plan_placement(std::span<const u8> object, const LoadScenario& scenario);

// A thread-pointer offset for a TLS section at `at` in a block whose
// sections end at `end`, per `p`'s variant.
i64 tls_offset(const Placement& p, u64 at, u64 end, u64 block_align);

// A set of objects (report.h, "Placement of a set"). Each member's file
// sections are planned when the cursor reaches it (plan_placement with the
// member's scenario and base = the cursor); this gives every member's
// thread-local sections their offsets in the set's one TLS block, which
// the loaders need before any placement (at load time). Addresses in the
// result are meaningless.
std::vector<Placement> plan_set_tls(std::span<const std::span<const u8>> members, const LoadScenario& scenario);

// The scenario as member K of a set sees it: explicit addresses keyed
// "@K:KEY" apply to member K only, and beat a plain KEY, which applies to
// every member; "@J:" keys of other members are dropped.
LoadScenario member_scenario(const LoadScenario& scenario, size_t member);
// No "@K:" key: every member sees the scenario itself (member_scenario
// would return a copy of it).
bool same_for_every_member(const LoadScenario& scenario);

// Unless the scenario maps some area itself: every member's own areas at
// explicit addresses, member K's at base + 0x10000000 + K * 0x100000
// (common block +0, GOT +0x40000, stubs +0x80000, IFUNC stubs +0xc0000),
// so file sections sit where the rule puts them whatever size each loader
// gives its own areas (what `jitload diff --link` compares under).
void map_member_areas(LoadScenario& scenario, size_t members);

// The areas of the loaders' own that every member gets a place for, even
// when a loader has none or an empty one: name and alignment (report.h).
struct SetArea {
  const char* name;
  u64 align;
};
extern const SetArea kSetAreas[3];  // <got> 8, <stubs> 16, <ifunc stubs> 16

}  // namespace jitload::conformance
