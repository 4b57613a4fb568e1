// The host half of `jitload exec` (exec-program.cc): load OBJECTS in this
// process, run their constructors, ENTRY as main(argc, argv) and the end a
// native program has; returns the exit status. LLVM-free, so that the
// cross-built runner (tools/runner/) is this and a main.
#pragma once

#include <string>
#include <vector>

namespace jitload::tools {

int exec_objects(const std::vector<std::string>& objects, const std::string& entry, std::vector<std::string> args);

}  // namespace jitload::tools
