// The engine's C++ runtime hooks and static constructor/destructor tables.
//
// JIT code registers destructors of its static objects with
// __cxa_atexit(fn, obj, &__dso_handle) and plain C code with atexit(fn). If
// those went to the host's libc they would run at process exit — after the
// engine freed the code. So each engine supplies its own __dso_handle (an
// address unique to the engine), and the engine's __cxa_atexit and atexit
// keep the handlers in that engine, which runs them (newest first) when the
// client runs static destructors or destroys the engine. A __cxa_atexit call
// with some other handle goes to the host's.
#pragma once

#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/loader/core/base.h"
#include "engine/loader/dyld.h"

namespace jitload {

class JitRuntime;
// The live runtime whose __dso_handle is `dso`, if any.
JitRuntime* runtime_for_dso(void* dso);

class JitRuntime {
 public:
  JitRuntime();
  ~JitRuntime();
  JitRuntime(const JitRuntime&) = delete;
  JitRuntime& operator=(const JitRuntime&) = delete;

  // __dso_handle, __cxa_atexit, atexit; nullopt for anything else.
  std::optional<u64> lookup(std::string_view name) const;

  // Runs the registered handlers, newest first, including any registered
  // while they run. Returns how many ran.
  size_t run_exit_handlers();
  size_t pending() const;

  // While a Scope is alive, plain atexit() calls on this thread go to this
  // runtime (atexit has no handle saying whose code called it). Outside any
  // scope they go to the most recently created live runtime.
  class Scope {
   public:
    explicit Scope(JitRuntime* runtime);
    ~Scope();

   private:
    JitRuntime* previous_;
  };

  struct Handler {
    void (*with_arg)(void*) = nullptr;
    void* arg = nullptr;
    void (*without_arg)() = nullptr;
  };
  void add(Handler h);

 private:
  mutable std::mutex mutex_;
  std::vector<Handler> handlers_;
  alignas(8) char dso_handle_ = 0;  // its address identifies this engine
  friend JitRuntime* runtime_for_dso(void* dso);
};

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

}  // namespace jitload
