// The fixed scenario every fuzz target and the campaign load objects under,
// and the checks that turn a load into a verdict. Shared by the libFuzzer,
// AFL++ and replay builds of each target, and by `jitload campaign`.
//
// Scenario (the reference loader's documented rules, so reports compare):
//   sections: non-TLS sections in loader order at 0x10000000, each aligned,
//             0x1000 apart; TLS sections keep their thread-pointer offsets.
//   externals: 0x40000000 + 16 * (FNV-1a-64(name) mod 2^20), all resolved.
//   memory:    at most 64 MiB per object (a bigger request is refused, the
//              loader must report it, not crash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "conformance/report/report.h"

namespace jitload::fuzz {

constexpr size_t kMaxInputSize = 1 << 20;
constexpr uint64_t kBase = 0x10000000;
constexpr uint64_t kSectionSep = 0x1000;
constexpr uint64_t kExternBase = 0x40000000;
constexpr uint64_t kMaxMemory = 64ull << 20;

struct Verdict {
  bool loaded = false;     // load_object accepted the bytes
  bool resolved = false;   // resolve_relocations succeeded for every relocation
  uint32_t relocations = 0;
  uint32_t checked = 0;    // relocations whose field was recomputed independently
  std::string error;       // the loader's message when it rejected the input
  std::string finding;     // non-empty: a bug (an invariant the loader broke)
};

// Loads `data` with the engine under the fixed scenario, applies every
// relocation, and checks every simple absolute/PC-relative field against
// the psABI formula recomputed from the object's own relocation entry.
Verdict check_object(const uint8_t* data, size_t size);

uint64_t extern_address(const char* name, size_t len);

// ---- Differential: engine vs reference ----------------------------------
// The same bytes through conformance/report's engine and reference
// adapters under kScenario (the LoadScenario defaults: the fixed scenario
// above, section header order), compared with compare_reports. A
// disagreement on accept/reject, or on the report when both load, is a
// finding; a resource-limit rejection on either side abstains.
struct DiffVerdict {
  bool engine_loaded = false;
  bool reference_loaded = false;
  bool compared = false;   // both loaders ran and the comparison did not abstain
  bool too_big = false;    // skipped: the headers ask for more than kMaxDiffMemory
  const char* known = nullptr;  // the known disagreement class it fell in (see harness.cc), if any
  std::string finding;     // non-empty: the rendered diff (both outcomes, up to 20 differences)
  std::string summary;     // one line: "agree (loaded, 6 relocations)" / "disagree: ..."
  std::string kind;        // disagreements: the kind, without numbers or names ("outcome: engine loaded,
                           // reference rejected (overflow)" / "relocation R_X86_64_PC32") — what the
                           // reducer keeps while it shrinks an input
};

// Inputs whose section headers ask for more than this (allocatable bytes
// plus common symbols) are not compared: both adapters would allocate and
// hex-copy it on every execution. The engine-only check above still runs.
constexpr uint64_t kMaxDiffMemory = 4ull << 20;

conformance::LoadScenario scenario();

// known_skips=false reports the known classes as findings too (to check
// that a fix landed: JITLOAD_FUZZ_NO_KNOWN_SKIPS=1 in the fuzz targets).
DiffVerdict compare_loaders(const uint8_t* data, size_t size, bool known_skips = true);

// check_object and compare_loaders on one engine load: the invariants are
// checked on the load whose report the differential compares (placed by
// the differential's scenario rather than check_object's loader-order
// rule; the checks are the same), so an input costs one engine load, not
// two. Inputs the differential does not compare (too_big), and loads its
// adapter refuses before relocating, get check_object's own load. When the
// invariants break, the reference is not run (diff.summary says so).
struct Checked {
  Verdict engine;
  DiffVerdict diff;
};
Checked check_and_compare(const uint8_t* data, size_t size, bool known_skips = true);

// One fuzz input, as every object target runs it: the engine-only check
// and the differential (check_and_compare). A finding is
// printed ("<target> finding: ...", the diff after it) and aborts, so
// libFuzzer/AFL++ save the input. Environment:
//   JITLOAD_FUZZ_VERBOSE=1            one line per input (replay)
//   JITLOAD_FUZZ_NO_KNOWN_SKIPS=1     known disagreement classes are findings
//   JITLOAD_FUZZ_DIFF_DIR=DIR         engine/reference disagreements do not
//                                     abort: one input per kind is written to
//                                     DIR (ci/fuzz-smoke, while known ones wait)
//   JITLOAD_FUZZ_ABORT_ON=TEXT        ...except those whose diff contains TEXT
//   JITLOAD_FUZZ_ONLY_DIFFERENTIAL=1  skip the engine-only check (also in the
//                                     campaign and the reducer; the planted
//                                     bug demonstration: the differential alone)
void run_object_input(const char* target, const uint8_t* data, size_t size);

}  // namespace jitload::fuzz
