// object-bytes: raw (mutated) ELF objects through the engine and the
// reference loader under the fixed scenario of fuzz/harness.h. A crash, a
// sanitizer report, a broken relocation invariant, or any disagreement
// between the two loaders' LoadReports is a finding; a clean rejection by
// both is fine.
#include "fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jitload::fuzz::run_object_input("object-bytes", data, size);
  return 0;
}
