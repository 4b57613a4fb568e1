// object-bytes: raw (mutated) ELF objects through the engine under the fixed
// scenario of fuzz/harness.h. A crash, a sanitizer report or a broken
// relocation invariant is a finding; a clean rejection is fine.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 64 || size > jitload::fuzz::kMaxInputSize || std::memcmp(data, "\x7f" "ELF", 4) != 0) return 0;
  jitload::fuzz::Verdict v = jitload::fuzz::check_object(data, size);
  // JITLOAD_FUZZ_VERBOSE=1: say what happened (replay uses it to show the
  // seeds reach relocation processing and get checked).
  static const bool verbose = std::getenv("JITLOAD_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "  loaded=%d resolved=%d relocations=%u checked=%u %s\n", v.loaded, v.resolved,
                 v.relocations, v.checked, v.error.c_str());
  if (!v.finding.empty()) {
    std::fprintf(stderr, "object-bytes finding: %s\n", v.finding.c_str());
    std::abort();
  }
  return 0;
}
