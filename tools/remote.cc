#include "tools/remote.h"

#if __has_include(<llvm/IR/Module.h>)

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <vector>

#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>

#include "engine/mcjit/mcjit.h"
#include "engine/mcjit/runtime.h"
#include "engine/remote/client.h"
#include "engine/remote/memory-manager.h"

namespace jitload::tools {

using remote::RemoteMemoryManager;
using remote::RemoteSession;

struct RemoteRun {
  std::unique_ptr<RemoteSession> session;
  RemoteMemoryManager* memory = nullptr;  // owned by the engine
};

void RemoteRunDeleter::operator()(RemoteRun* r) const { delete r; }

namespace {
// Every external name is answered by the executor's process; the engine's
// own runtime hooks (__cxa_atexit and friends) live in this process and
// must never be bound into remote code, so a name the executor lacks is
// reported missing (run_remote refuses to run if the engine bound it here).
class RemoteResolver final : public SymbolResolver {
 public:
  explicit RemoteResolver(RemoteMemoryManager*& memory) : memory_(memory) {}
  std::optional<u64> lookup(std::string_view name) override {
    return memory_ ? memory_->find_symbol(name) : std::nullopt;
  }

 private:
  RemoteMemoryManager*& memory_;
};
}  // namespace

namespace {
// Architectures whose code runs under qemu-user through a cross-built
// executor: one line each (and one case in tools/runner/build.sh).
struct CrossExecutor {
  llvm::Triple::ArchType arch;
  const char* name;      // the executor's suffix; ARCH of the environment variables
  const char* qemu;      // searched on PATH
  const char* sysroot;   // qemu's -L (nullptr: no C library packaged)
  const char* why_not;   // when sysroot is nullptr
};
constexpr CrossExecutor kCrossExecutors[] = {
    {llvm::Triple::aarch64, "aarch64", "qemu-aarch64-static", "/usr/aarch64-linux-gnu", nullptr},
    {llvm::Triple::aarch64_be, "aarch64_be", "qemu-aarch64_be-static", nullptr,
     "Debian packages no big-endian AArch64 C library to build jitload-executor against; aarch64_be code is "
     "checked byte-level (jitload load, diff) but not executed"},
};

std::string env_or(const std::string& var, const std::string& fallback) {
  const char* v = std::getenv(var.c_str());
  return v && *v ? v : fallback;
}

std::string find_on_path(const char* prog) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    std::string cand = (dir.empty() ? "." : dir) + "/" + prog;
    if (::access(cand.c_str(), X_OK) == 0) return cand;
  }
  return "";
}

// The directory of this jitload binary: the executors are built beside it.
std::string self_dir() {
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  std::string path = n > 0 ? std::string(self, size_t(n)) : std::string();
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}
}  // namespace

Expected<TargetExec> resolve_target_exec(const std::string& text) {
  llvm::Triple t(llvm::Triple::normalize(text));
  if (t.getArch() == llvm::Triple::UnknownArch)
    return Error(ErrorKind::Argument, "--target-exec: '" + text + "' names no architecture LLVM knows");
  TargetExec out{t.str(), ""};
  // A word of the command may not hold a space: the command is split on spaces.
  auto one_word = [](const std::string& what, const std::string& path) -> Error {
    if (path.find_first_of(" \t") != std::string::npos)
      return Error(ErrorKind::Argument, "--target-exec: " + what + " '" + path +
                                            "' contains a space (use -mcjit-remote-process with a path without one)");
    return Error::success();
  };
  const std::string dir = self_dir();
  llvm::Triple host(llvm::sys::getProcessTriple());
  if (t.getArch() == host.getArch()) {
    std::string executor = env_or("JITLOAD_EXECUTOR", dir + "/jitload-executor");
    if (::access(executor.c_str(), X_OK) != 0)
      return Error(ErrorKind::Argument, "--target-exec: the executor " + executor +
                                            " is missing (cmake --build --preset default --target jitload-executor), "
                                            "or set JITLOAD_EXECUTOR");
    TRY(one_word("the executor", executor));
    out.process = executor;
    return out;
  }
  for (const CrossExecutor& c : kCrossExecutors) {
    if (c.arch != t.getArch()) continue;
    if (!c.sysroot) return Error(ErrorKind::Unsupported, "--target-exec " + text + ": " + c.why_not);
    std::string upper = c.name;
    for (char& ch : upper) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    std::string executor = env_or("JITLOAD_EXECUTOR_" + upper, dir + "/jitload-executor-" + c.name);
    std::string qemu = env_or("JITLOAD_QEMU_" + upper, find_on_path(c.qemu));
    std::string sysroot = env_or("JITLOAD_SYSROOT_" + upper, c.sysroot);
    if (::access(executor.c_str(), X_OK) != 0)
      return Error(ErrorKind::Argument,
                   format("--target-exec %s: the executor %s is missing (build it: cmake --build --preset default "
                          "--target jitload-executor-%s; needs clang-19 and %s), or set JITLOAD_EXECUTOR_%s",
                          text.c_str(), executor.c_str(), c.name, c.sysroot, upper.c_str()));
    if (qemu.empty())
      return Error(ErrorKind::Argument, format("--target-exec %s: %s is not on PATH (qemu-user-static), or set "
                                               "JITLOAD_QEMU_%s",
                                               text.c_str(), c.qemu, upper.c_str()));
    if (::access((sysroot + "/lib").c_str(), R_OK) != 0)
      return Error(ErrorKind::Argument, format("--target-exec %s: no C library at %s (g++-%s-linux-gnu), or set "
                                               "JITLOAD_SYSROOT_%s",
                                               text.c_str(), sysroot.c_str(), c.name, upper.c_str()));
    TRY(one_word("the executor", executor));
    TRY(one_word("qemu", qemu));
    TRY(one_word("the sysroot", sysroot));
    out.process = qemu + " -L " + sysroot + " " + executor;
    return out;
  }
  std::string known = host.getArchName().str() + " (this machine)";
  for (const CrossExecutor& c : kCrossExecutors)
    if (c.sysroot) known += std::string(", ") + c.name + " (under qemu)";
  return Error(ErrorKind::Unsupported, "--target-exec " + text + ": no executor for " + t.getArchName().str() +
                                           "; jitload runs remote code for " + known);
}

Expected<RemoteRunPtr> start_remote(const std::string& process, EngineBuilder& builder, unsigned timeout_seconds) {
  RemoteRunPtr run(new RemoteRun);
  const u32 timeout_ms = u32(std::min<u64>(timeout_seconds, 24 * 3600) * 1000);
  if (process.rfind("tcp:", 0) == 0) {
    run->session = TRY_VALUE(RemoteSession::connect(process.substr(4), timeout_ms));
  } else {
    std::vector<std::string> command;
    std::istringstream words(process);
    for (std::string w; words >> w;) command.push_back(w);
    run->session = TRY_VALUE(RemoteSession::launch(command, timeout_ms));
  }
  auto memory = std::make_unique<RemoteMemoryManager>(*run->session);
  run->memory = memory.get();
  builder.set_mcjit_memory_manager(std::move(memory));
  builder.set_symbol_resolver(std::make_unique<RemoteResolver>(run->memory));
  builder.set_gdb_registration(false);  // the code's addresses are the executor's
  return run;
}

Expected<int> run_remote(RemoteRun& remote, MCJIT& jit, std::string_view entry, std::span<const std::string> argv,
                         bool stats) {
  RemoteSession& session = *remote.session;
  auto with_reason = [&](Error e) {
    std::string m = e.message();
    const std::string& why = remote.memory->last_error();
    // A broken session (a dead or silent executor) is the cause: said first.
    if (!why.empty() && !session.alive()) return Error(ErrorKind::Io, why + "; so " + m);
    if (!why.empty()) m += " (" + why + ")";
    return Error(e.kind(), m);
  };
  // Code for one architecture cannot run on another: refuse before the
  // executor is asked to run it (it would die of SIGILL, or worse).
  const llvm::Triple& code = jit.target_machine().getTargetTriple();
  llvm::Triple there(session.triple());
  if (code.getArch() != there.getArch())
    return Error(ErrorKind::Argument, "the code is for " + code.str() + " but the executor runs " +
                                          session.triple() + " (-mtriple chooses the code's target)");
  if (Error e = jit.generate_code()) return with_reason(std::move(e));
  if (Error e = remote.memory->map_pending([&](const void* local, u64 target) {
        return jit.map_section_address(local, target);
      }))
    return e;
  if (Error e = jit.finalize_object()) return with_reason(std::move(e));
  // The engine's runtime answers these names from this process: if the
  // executor lacked one, remote code now points into jitload.
  for (const char* hook : {"__dso_handle", "__cxa_atexit", "atexit", "__cxa_thread_atexit", "__cxa_thread_atexit_impl"})
    if (remote.memory->missing().count(hook))
      return Error(ErrorKind::Unresolved, std::string("remote: the executor does not define '") + hook +
                                              "', and jitload's own would not run there");
  u64 address = TRY_VALUE(jit.get_function_address(entry));

  // The program may end the executor: exit() gives its status (as a local
  // run would), a fatal signal 128 + the signal, with the reason.
  auto ended = [&](Error e) -> Expected<int> {
    int code = session.child_exit_code();
    std::string how = session.child_status();
    if (code >= 0 && how.rfind("exited", 0) == 0) return code;
    if (code > 128 && how.rfind("terminated", 0) == 0) {
      std::fprintf(stderr, "jitload: remote: %s\n", e.message().c_str());
      return code;
    }
    return e;
  };

  // Static constructors run there, in the order a local run has them
  // (.init_array by priority, in load order); lli's remote path runs none.
  // Destructors registered with __cxa_atexit run when the executor exits;
  // .fini_array entries run there after main.
  std::vector<InitFiniEntry> constructors, destructors;
  for (u32 o = 0; o < jit.dyld().object_count(); ++o) {
    InitFiniTables t = TRY_VALUE(collect_init_fini(jit.dyld(), o));
    constructors.insert(constructors.end(), t.constructors.begin(), t.constructors.end());
    destructors.insert(destructors.end(), t.destructors.begin(), t.destructors.end());
  }
  sort_constructors(constructors);
  sort_destructors(destructors);
  for (const InitFiniEntry& c : constructors)
    if (Expected<i32> r = session.run_as_void_function(c.function); !r) return ended(r.take_error());

  // Handlers the program registers (atexit, __cxa_atexit) run at the
  // executor's exit, after this session: their code stays there.
  remote.memory->keep_memory_on_destruction(true);
  Expected<i64> rc = session.run_as_main(address, argv);
  std::fflush(stdout);
  if (!rc) return ended(rc.take_error());
  for (const InitFiniEntry& d : destructors)
    if (Expected<i32> r = session.run_as_void_function(d.function); !r) return ended(r.take_error());
  const remote::SessionStats& s = session.stats();
  if (stats)
    std::fprintf(stderr, "jitload: remote: %llu round trips, %llu bytes sent, %llu received, %llu section bytes\n",
                 (unsigned long long)s.round_trips, (unsigned long long)s.bytes_sent,
                 (unsigned long long)s.bytes_received, (unsigned long long)remote.memory->bytes_finalized());
  return int(*rc);
}

}  // namespace jitload::tools

#else

namespace jitload::tools {
struct RemoteRun {};
void RemoteRunDeleter::operator()(RemoteRun* r) const { delete r; }
}  // namespace jitload::tools

#endif
