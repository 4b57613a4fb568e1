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
// timeout_seconds (-remote-timeout): how long each load request may wait for
// the executor (0: forever); the program's run is never timed.
Expected<RemoteRunPtr> start_remote(const std::string& process, EngineBuilder& builder, unsigned timeout_seconds);

// `jitload run --target-exec TRIPLE`: the executor that runs code for
// TRIPLE's architecture, as an -mcjit-remote-process command.
//   the host's architecture   jitload-executor next to jitload
//   another one (aarch64)     qemu-ARCH-static -L SYSROOT jitload-executor-ARCH
//                             (cross-built by tools/runner/build.sh ARCH DIR
//                             executor; the target jitload-executor-ARCH)
// JITLOAD_EXECUTOR_ARCH, JITLOAD_QEMU_ARCH and JITLOAD_SYSROOT_ARCH (ARCH in
// capitals) override each part. An architecture without an executor, a
// missing executor or qemu: an error saying what to build or install.
struct TargetExec {
  std::string triple;   // normalized; the code's target (-mtriple)
  std::string process;  // the -mcjit-remote-process command
};
Expected<TargetExec> resolve_target_exec(const std::string& triple);

// Generates and links everything (sections mapped to executor memory,
// relocations applied here, bytes finalized there), runs `entry` there as
// main(argc, argv), ends the session. Returns main's status; a program that
// ends the executor (exit(), a signal) gives the executor's status (exit
// code, or 128 + signal) with a note on stderr. `stats`: round trips and
// bytes on stderr.
Expected<int> run_remote(RemoteRun& remote, MCJIT& jit, std::string_view entry, std::span<const std::string> argv,
                         bool stats);

}  // namespace jitload::tools
