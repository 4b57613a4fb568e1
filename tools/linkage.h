// The linkage campaign (`jitload campaign --linkage`): multi-object
// programs from fuzz/linkage-gen.h, their truth the native static link by
// clang-19, checked under `jitload exec` (the objects), `jitload run` (the
// IR, main module plus -extra-modules) and `jitload diff --link` (engine vs
// reference on the set, LLVM's RuntimeDyld as a third opinion).
#pragma once

#include <cstdint>
#include <string>

namespace jitload::tools {

struct LinkageOptions {
  uint64_t seed = 1;        // program k uses fuzz::linkage::program_seed(seed, k)
  uint64_t count = 0;       // programs in all (0: until the time runs out)
  int seconds = 60;         // time limit (with count: an upper bound)
  int jobs = 1;
  std::string out = "campaign-out";
  bool oracle = true;       // LLVM's RuntimeDyld in `jitload diff --link`
  unsigned invalid_percent = 10;  // programs with a duplicate strong definition
  bool threads = false;     // thread-locals read again in a thread started after the load
  bool keep = false;        // keep every program's directory in out/programs/, not only findings
};

// Exit status: 0 when every program agreed with its native link, 1 when
// anything disagreed (findings in out/linkage-*/ and out/findings.txt) or a
// generated program did not behave as generated (valid but not linking,
// invalid but linking), 2 on a setup failure.
int run_linkage_campaign(const LinkageOptions& options);

}  // namespace jitload::tools
