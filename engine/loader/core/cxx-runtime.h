// The C++ runtime hooks of a RuntimeDyld whose code runs in this process
// (`jitload exec`, `jitload rtdyld -execute`, MCJIT / `jitload run`), and
// the constructor/destructor tables every such client runs.
//
// Why: a C++ object file registers the destructor of each static object
// with __cxa_atexit(dtor, obj, &__dso_handle) and of each thread_local one
// with __cxa_thread_atexit(dtor, obj, &__dso_handle); C code uses atexit(fn).
// Linked natively, __dso_handle is a hidden symbol of crtbegin.o, one per
// executable or DSO, and the C library runs each DSO's handlers when it is
// dlclose'd. A JIT object has no crtbegin.o: without help __dso_handle is an
// undefined symbol, and handlers given to the host's libc would run at
// process exit, after the loader freed the code.
//
// What a RuntimeDyld with the hooks enabled does (enable_cxx_runtime):
//   - __dso_handle: each loaded object gets its own, distinct address (as
//     each DSO has its own): the address of the first byte of its first
//     non-empty allocated section. It lies inside the object's own memory,
//     so the PC32 reference clang emits always reaches it, and no other
//     object can have it.
//   - __cxa_atexit / atexit: handlers registered against a handle of one of
//     this dyld's objects are kept here and run newest first by
//     run_exit_handlers() — at the end of `jitload exec`, by MCJIT's
//     run_static_constructors_destructors(true), and at the latest when the
//     RuntimeDyld is destroyed, while the code still exists. atexit has no
//     handle: the caller's return address names the object (a tail call
//     from host code falls back to the dyld whose code this thread is
//     running, see Scope). A handle that is not a JIT object's (the host's
//     own) passes through to the C library.
//   - __cxa_thread_atexit (and glibc's __cxa_thread_atexit_impl): the
//     destructor is queued with the C library's thread-exit list, through a
//     record this runtime can cancel, so it runs at that thread's exit in
//     the order a native program gives it, interleaved with the host's own
//     thread_local destructors. When the dyld goes away first, the calling
//     thread's pending ones run then (run_exit_handlers runs them first, as
//     exit() runs the main thread's before the atexit list); those of other
//     threads still alive are dropped, never called: their code is about to
//     be unmapped, and running them from another thread would race with the
//     thread that owns the objects.
// These names are answered after the objects' own definitions (an object
// that defines __dso_handle, say a loaded crtbegin.o, keeps it: a handle
// that lies in the dyld's memory counts as the dyld's) and before the
// client's resolver and the memory manager. The hooks, called from any
// thread, never read a dyld (another thread may be loading into it): when an
// object's reference to one of these names is resolved, its handle and
// memory ranges are copied here, and the hooks read that copy under a lock.
// Objects are unloaded only with their RuntimeDyld (there is no API to
// unload one), so "the object goes away" means its dyld does.
//
// Where code does not run here (`jitload load`, `diff`, `rtdyld -verify`,
// reports, the reference loader) the hooks are off and __dso_handle is an
// ordinary external the scenario resolves, so reports are unchanged.
#pragma once

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload {

class RuntimeDyld;

class CxxRuntime {
 public:
  explicit CxxRuntime(const RuntimeDyld& dyld);
  // finish(), then forgets this runtime's handles.
  ~CxxRuntime();
  // What the end of the dyld runs (~RuntimeDyld calls it while the code is
  // still there): the whole program's destructors when run_static_constructors
  // ran and run_static_destructors did not, else run_exit_handlers; then the
  // other threads' pending thread_local destructors are dropped.
  void finish();
  CxxRuntime(const CxxRuntime&) = delete;
  CxxRuntime& operator=(const CxxRuntime&) = delete;

  // The names above, for a reference from `object` (kNone: unknown);
  // nullopt for any other name (or for __dso_handle when the object has no
  // allocated byte).
  std::optional<u64> lookup(std::string_view name, u32 object);
  // The object's __dso_handle (registered with the runtime on first use).
  std::optional<u64> dso_handle(u32 object);

  // This thread's pending thread_local destructors of this dyld's code,
  // newest first, then the __cxa_atexit/atexit handlers, newest first,
  // including any registered while they run. Returns how many ran.
  size_t run_exit_handlers();
  // Handlers waiting (thread_local ones of every thread included).
  size_t pending() const;

  // Set by run_static_constructors / run_static_destructors: the whole
  // program's tables run once, and a dyld destroyed between the two runs
  // its destructor tables too.
  bool constructors_ran = false;
  bool destructors_ran = false;

  // While a Scope is alive, this thread runs code of `runtime`: an atexit
  // call whose caller cannot be placed (a tail call from host code) goes to
  // it. Outside any scope such a call goes to the most recently created
  // live runtime, else to the C library.
  class Scope {
   public:
    explicit Scope(CxxRuntime* runtime);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    CxxRuntime* previous_;
  };

  struct Handler {
    void (*with_arg)(void*) = nullptr;  // __cxa_atexit
    void* arg = nullptr;
    void (*without_arg)() = nullptr;    // atexit
    u64 dso = 0;                        // the registering object's handle (0: not known)
  };
  struct ThreadHandler;  // a queued thread_local destructor (cxx-runtime.cc)

 private:
  friend struct CxxHooks;  // the functions JIT code calls (cxx-runtime.cc)
  // The handle of the object whose memory holds a target address.
  // The handle of the registered object whose memory holds an address
  // (0 when it has none). Under the global mutex.
  std::optional<u64> handle_at(u64 address) const;
  // Records an object's handle and memory, read from the dyld by the
  // thread resolving it: the hooks never read the dyld, which another
  // thread may be loading into.
  void register_object(u32 object);
  bool run_one_thread_handler();
  bool run_one_handler();

  const RuntimeDyld& dyld_;
  // Guarded by the process-wide mutex of cxx-runtime.cc, as the hooks of
  // any thread reach them.
  std::vector<Handler> handlers_;
  std::vector<ThreadHandler*> thread_handlers_;
  // Objects that refer to a hook name: handle and allocated memory.
  struct ObjectRecord {
    u32 object = 0;
    u64 handle = 0;
    std::vector<std::pair<u64, u64>> ranges;  // target address, size
  };
  std::vector<ObjectRecord> objects_;
};

// ---------------------------------------------------------------------------
// Constructor and destructor tables.

// One function pointer of an .init_array/.fini_array-style table.
struct InitFiniEntry {
  u32 priority = 65535;  // lower runs first for constructors, last for destructors
  u32 object = 0;
  u64 sequence = 0;      // position, in the order the entry must run within its priority
  u64 function = 0;
};

// The constructor and destructor tables of one loaded object, read from its
// relocated sections: .init_array[.N], .fini_array[.N], and the older
// .ctors[.N]/.dtors[.N] (run in reverse/forward order respectively, with
// N = 65535 - priority). A table whose size is not a whole number of
// pointers is an error naming the section.
struct InitFiniTables {
  std::vector<InitFiniEntry> constructors;
  std::vector<InitFiniEntry> destructors;
};
Expected<InitFiniTables> collect_init_fini(const RuntimeDyld& dyld, u32 object);

// Sort constructors into run order; destructors into run order.
void sort_constructors(std::vector<InitFiniEntry>& entries);
void sort_destructors(std::vector<InitFiniEntry>& entries);

// A whole program's start and end, as a natively linked one runs them
// (verified against clang-19's link: constructors in priority then link
// order; at exit the main thread's thread_local destructors, then the
// atexit list newest first — static objects' destructors included — then
// .fini_array): run_static_constructors runs every object's constructors
// (load order within a priority); run_static_destructors runs the exit
// handlers, then every object's destructor table, then any handler those
// registered. Each runs once per dyld; the dyld must be finalized.
Error run_static_constructors(RuntimeDyld& dyld);
Error run_static_destructors(RuntimeDyld& dyld);

// While a guard lives, a call to exit() (from the program or anyone) runs
// run_static_destructors(dyld) from the host's atexit list, while the code
// still exists: after the main thread's thread_local destructors (exit runs
// those first) and after host handlers registered later, as a native
// program's handlers would. One guard at a time; the dyld outlives it.
class ExitGuard {
 public:
  explicit ExitGuard(RuntimeDyld& dyld);
  ~ExitGuard();
  ExitGuard(const ExitGuard&) = delete;
  ExitGuard& operator=(const ExitGuard&) = delete;
};

}  // namespace jitload
