// The LLVM oracle: LLVM 19's RuntimeDyld loading the same object under the
// same scenario, as a third opinion. LLVM aborts, asserts or faults on
// malformed input, so it always runs in a child process (the helper
// jitload-oracle-llvm, fork + exec) with a time limit and an address-space
// limit; its crash, timeout or garbage becomes a result here, never a
// problem of the calling process. This library itself does not link LLVM.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "conformance/report/loaders.h"
#include "conformance/report/report.h"

namespace jitload::conformance {

struct OracleLimits {
  int timeout_ms = 10000;
  u64 memory_bytes = u64(4) << 30;  // RLIMIT_AS of the child (not under ASan)
};

struct OracleResult {
  enum class Status {
    Ok,           // report holds LLVM's answer (loaded or rejected)
    Crashed,      // killed by a signal, or exited without a report
    TimedOut,     // killed after the time limit
    Unavailable,  // no helper (built without LLVM, or not found)
    // The helper declined to run LLVM on this input and said why in
    // `message` ("oracle abstained: ..."): a form LLVM 19 is known to crash
    // on (checked before loading), or — "crashed: ..." — LLVM crashed or
    // hit a fatal error anyway on a Mach-O object (llvm-oracle-main.cc).
    Abstained,
  };
  Status status = Status::Unavailable;
  int signal = 0;        // Crashed by a signal
  int exit_status = -1;  // Crashed by exiting
  std::string message;   // "oracle crashed: signal 6 (LLVM ERROR: ...)"
  LoadReport report;     // Ok only
  // Which LLVM linker answered ("RuntimeDyld"; "JITLink" for RISC-V and
  // LoongArch, which RuntimeDyld 19 cannot load), and what the helper said
  // about its run besides the report: classified facts such as what
  // JITLink's relaxation did ("relaxation: ..."), shown by `jitload diff`.
  std::string linker;
  std::vector<std::string> notes;
};

const char* oracle_status_name(OracleResult::Status s);

// Run the oracle on `object` (written to a temporary file for the child).
OracleResult run_llvm_oracle(std::span<const u8> object, const std::string& name, const LoadScenario& scenario,
                             const OracleLimits& limits = {});

// The same on a set of objects loaded into one llvm::RuntimeDyld, placed
// by the set rule (report.h, "A set of objects"); the report is a set's.
OracleResult run_llvm_oracle_set(std::span<const SetMember> members, const LoadScenario& scenario,
                                 const OracleLimits& limits = {});

// Where the helper is: $JITLOAD_ORACLE_HELPER, else beside this
// executable, else where the build put it; empty if none exists.
std::string oracle_helper_path();

}  // namespace jitload::conformance
