// The loaders as LoadReport producers. Each takes the object's bytes, the
// name used in messages, and the scenario; none throws or aborts. The LLVM
// oracle lives in conformance/oracle/ (it runs in a child process).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "conformance/report/report.h"

namespace jitload::conformance {

// jitload's engine (engine/loader): RuntimeDyld over plain host memory,
// sections mapped per the scenario, externals from the scenario.
LoadReport run_engine(std::span<const u8> object, const std::string& name, const LoadScenario& scenario);

// The reference loader (reference/).
LoadReport run_reference(std::span<const u8> object, const std::string& name, const LoadScenario& scenario);

// A set of objects loaded into one symbol table (report.h, "A set of
// objects"): one report for the set, its members in the given order.
struct SetMember {
  std::string name;
  std::span<const u8> bytes;
};
LoadReport run_engine_set(std::span<const SetMember> members, const LoadScenario& scenario);
LoadReport run_reference_set(std::span<const SetMember> members, const LoadScenario& scenario);

}  // namespace jitload::conformance
