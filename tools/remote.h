// `jitload run -remote-mcjit`: code generated and linked here, run in an
// executor process (engine/remote). The machinery behind run.cc's option.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "engine/loader/core/base.h"

namespace jitload {
class EngineBuilder;
class MCJIT;
}  // namespace jitload

namespace jitload::tools {

struct RemoteRun;
struct RemoteRunDeleter {
  void operator()(RemoteRun* r) const;
};
using RemoteRunPtr = std::unique_ptr<RemoteRun, RemoteRunDeleter>;

// Starts the executor named by -mcjit-remote-process and sets the builder's
// memory manager and symbol resolver to it. `process`:
//   PATH [ARGS...]     launched with two pipe descriptors appended to its
//                      argv (as lli does; words split on spaces, so a qemu
//                      prefix works: "qemu-aarch64-static -L /usr/aarch64-linux-gnu jitload-executor")
//   tcp:HOST:PORT      an executor listening on loopback
//                      (`jitload-executor --listen=PORT`)
Expected<RemoteRunPtr> start_remote(const std::string& process, EngineBuilder& builder);

// Generates and links everything (sections mapped to executor memory,
// relocations applied here, bytes finalized there), runs `entry` there as
// main(argc, argv), ends the session. Returns main's status; a program that
// ends the executor (exit(), a signal) gives the executor's status (exit
// code, or 128 + signal) with a note on stderr. `stats`: round trips and
// bytes on stderr.
Expected<int> run_remote(RemoteRun& remote, MCJIT& jit, std::string_view entry, std::span<const std::string> argv,
                         bool stats);

}  // namespace jitload::tools
