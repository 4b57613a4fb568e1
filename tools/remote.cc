#include "tools/remote.h"

#if __has_include(<llvm/IR/Module.h>)

#include <cstdio>
#include <sstream>
#include <vector>

#include <llvm/Target/TargetMachine.h>
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

Expected<RemoteRunPtr> start_remote(const std::string& process, EngineBuilder& builder) {
  RemoteRunPtr run(new RemoteRun);
  if (process.rfind("tcp:", 0) == 0) {
    run->session = TRY_VALUE(RemoteSession::connect(process.substr(4)));
  } else {
    std::vector<std::string> command;
    std::istringstream words(process);
    for (std::string w; words >> w;) command.push_back(w);
    run->session = TRY_VALUE(RemoteSession::launch(command));
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
    if (!remote.memory->last_error().empty()) m += " (" + remote.memory->last_error() + ")";
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
