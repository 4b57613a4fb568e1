// The loaders as LoadReport producers. Each takes the object's bytes, the
// name used in messages, and the scenario; none throws or aborts. The LLVM
// oracle lives in conformance/oracle/ (it runs in a child process).
#pragma once

#include <span>
#include <string>

#include "conformance/report/report.h"

namespace jitload::conformance {

// jitload's engine (engine/loader): RuntimeDyld over plain host memory,
// sections mapped per the scenario, externals from the scenario.
LoadReport run_engine(std::span<const u8> object, const std::string& name, const LoadScenario& scenario);

// The reference loader (reference/).
LoadReport run_reference(std::span<const u8> object, const std::string& name, const LoadScenario& scenario);

}  // namespace jitload::conformance
