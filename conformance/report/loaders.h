// The loaders as LoadReport producers. Each takes the object's bytes, the
// name used in messages, and the scenario; none throws or aborts. The LLVM
// oracle lives in conformance/oracle/ (it runs in a child process).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "conformance/report/report.h"

namespace jitload {
class RuntimeDyld;
}

namespace jitload::conformance {

// jitload's engine (engine/loader): RuntimeDyld over plain host memory,
// sections mapped per the scenario, externals from the scenario.
LoadReport run_engine(std::span<const u8> object, const std::string& name, const LoadScenario& scenario);

// run_engine, with a look at the engine itself once it has placed the
// object and resolved its relocations (`resolved`: all applied, else the
// error), before the report is read back from it: the fuzz harness checks
// the engine's own invariants on the very load it compares. Not called when
// the engine refused the object or the placement could not be applied.
// `load_refused`, when given, says whether load_object itself refused the
// bytes (the report's error is then load_object's).
using EngineInspector =
    std::function<void(const jitload::RuntimeDyld& dyld, u32 object_index, bool resolved, const std::string& error)>;
LoadReport run_engine(std::span<const u8> object, const std::string& name, const LoadScenario& scenario,
                      const EngineInspector& inspect, bool* load_refused = nullptr);

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
