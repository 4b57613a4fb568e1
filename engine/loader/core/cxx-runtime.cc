// The C++ runtime hooks (see cxx-runtime.h for what and why).
//
// Every runtime lives in one process-wide list guarded by one mutex: the
// hooks are called by JIT code from any thread and must find the runtime a
// handle belongs to. The mutex is never held while a handler runs, so a
// handler may register more, or call exit.
#include "engine/loader/core/cxx-runtime.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <mutex>

#include "engine/loader/core/reader.h"
#include "engine/loader/dyld.h"

// The C library's own registration functions, for handles that are not a
// JIT object's. __cxa_thread_atexit_impl is glibc's (2.18 and later); where
// it is missing, libstdc++'s __cxa_thread_atexit (which calls it when
// present) is used.
extern "C" int __cxa_atexit(void (*fn)(void*), void* arg, void* dso);
extern "C" int __cxa_thread_atexit_impl(void (*fn)(void*), void* obj, void* dso) __attribute__((weak));
extern "C" int __cxa_thread_atexit(void (*fn)(void*), void* obj, void* dso) __attribute__((weak));
// The handle of the binary this file is linked into: the host's thread-exit
// list gets our records under it.
extern "C" void* __dso_handle;

namespace jitload {

// A thread_local destructor queued with the C library's thread-exit list.
// The record belongs to that list: only the thread-exit callback frees it.
// A runtime cancels it by clearing `owner` (it already ran, or is dropped).
struct CxxRuntime::ThreadHandler {
  void (*fn)(void*) = nullptr;
  void* arg = nullptr;
  u64 dso = 0;
  CxxRuntime* owner = nullptr;  // guarded by the global mutex
  pthread_t thread{};
};

namespace {

std::mutex& global_mutex() {
  static std::mutex m;
  return m;
}
// Live runtimes, oldest first. Guarded by global_mutex.
std::vector<CxxRuntime*>& live() {
  static std::vector<CxxRuntime*> v;
  return v;
}
thread_local CxxRuntime* t_current = nullptr;

u64 address_of(const void* p) { return u64(reinterpret_cast<uintptr_t>(p)); }

int host_thread_atexit(void (*fn)(void*), void* obj, void* dso) {
  if (__cxa_thread_atexit_impl) return __cxa_thread_atexit_impl(fn, obj, dso);
  if (__cxa_thread_atexit) return __cxa_thread_atexit(fn, obj, dso);
  return -1;  // this C library has no thread-exit list
}

}  // namespace

// The functions JIT code calls in place of the C library's.
struct CxxHooks {
  // Under the global mutex.
  static CxxRuntime* by_handle(u64 dso) {
    for (CxxRuntime* rt : live())
      for (const CxxRuntime::ObjectRecord& o : rt->objects_)
        if (o.handle == dso) return rt;
    // A handle the set defines itself (a loaded crtbegin.o's __dso_handle)
    // lies in the dyld's memory: its handlers must run before that memory
    // goes, so they are this dyld's too. The host's handles never lie there.
    for (CxxRuntime* rt : live())
      if (rt->handle_at(dso)) return rt;
    return nullptr;
  }

  static int cxa_atexit(void (*fn)(void*), void* arg, void* dso) {
    {
      std::lock_guard<std::mutex> lock(global_mutex());
      if (CxxRuntime* rt = by_handle(address_of(dso))) {
        rt->handlers_.push_back({fn, arg, nullptr, address_of(dso)});
        return 0;
      }
    }
    return __cxa_atexit(fn, arg, dso);
  }

  // noinline: the return address must be the JIT caller's.
  __attribute__((noinline)) static int atexit(void (*fn)()) {
    u64 ra = address_of(__builtin_return_address(0));
    {
      std::lock_guard<std::mutex> lock(global_mutex());
      CxxRuntime* owner = nullptr;
      u64 dso = 0;
      for (CxxRuntime* rt : live())
        if (std::optional<u64> h = rt->handle_at(ra)) {
          owner = rt;
          dso = *h;
          break;
        }
      if (!owner) owner = t_current;
      if (!owner && !live().empty()) owner = live().back();
      if (owner) {
        owner->handlers_.push_back({nullptr, nullptr, fn, dso});
        return 0;
      }
    }
    return std::atexit(fn);
  }

  static int cxa_thread_atexit(void (*fn)(void*), void* obj, void* dso) {
    {
      std::lock_guard<std::mutex> lock(global_mutex());
      if (CxxRuntime* rt = by_handle(address_of(dso))) {
        auto* t = new CxxRuntime::ThreadHandler{fn, obj, address_of(dso), rt, pthread_self()};
        // The C library's list owns the record from here: if it refuses,
        // nothing of ours points at it.
        if (host_thread_atexit(&thread_exit, t, &__dso_handle) != 0) {
          delete t;
          return -1;
        }
        rt->thread_handlers_.push_back(t);
        return 0;
      }
    }
    return host_thread_atexit(fn, obj, dso);
  }

  // The thread-exit callback of every queued record.
  static void thread_exit(void* p) {
    auto* t = static_cast<CxxRuntime::ThreadHandler*>(p);
    void (*fn)(void*) = nullptr;
    void* arg = nullptr;
    CxxRuntime* rt = nullptr;
    {
      std::lock_guard<std::mutex> lock(global_mutex());
      if ((rt = t->owner)) {
        auto& v = rt->thread_handlers_;
        v.erase(std::remove(v.begin(), v.end(), t), v.end());
        t->owner = nullptr;
        fn = t->fn;
        arg = t->arg;
      }
    }
    if (fn) {
      CxxRuntime::Scope scope(rt);
      fn(arg);
    }
    delete t;
  }
};

namespace {
Error run_destructors(const RuntimeDyld& dyld, CxxRuntime* rt);
}  // namespace

CxxRuntime::CxxRuntime(const RuntimeDyld& dyld) : dyld_(dyld) {
  std::lock_guard<std::mutex> lock(global_mutex());
  live().push_back(this);
}

CxxRuntime::~CxxRuntime() {
  finish();
  std::lock_guard<std::mutex> lock(global_mutex());
  auto& v = live();
  v.erase(std::remove(v.begin(), v.end(), this), v.end());
}

void CxxRuntime::finish() {
  // The whole program's destructors when its constructors ran through
  // run_static_constructors; otherwise what was registered.
  if (constructors_ran && !destructors_ran) (void)run_destructors(dyld_, this);
  run_exit_handlers();
  std::lock_guard<std::mutex> lock(global_mutex());
  // Other threads' thread_local destructors are dropped: their records stay
  // queued with those threads (freed at their exit) but call nothing.
  for (ThreadHandler* t : thread_handlers_) t->owner = nullptr;
  thread_handlers_.clear();
}

namespace {

// The first byte of the object's first non-empty allocated section in this
// process: its __dso_handle.
std::optional<u64> first_byte(const RuntimeDyld& dyld, u32 object) {
  for (const LoadedSection& s : dyld.sections())
    if (s.object == object && s.allocatable && s.size > 0 && s.local && s.kind != SectionKind::Tls &&
        s.kind != SectionKind::TlsBss)
      return s.target;
  return std::nullopt;
}

}  // namespace

std::optional<u64> CxxRuntime::dso_handle(u32 object) {
  std::optional<u64> handle = first_byte(dyld_, object);
  if (handle) register_object(object);
  return handle;
}

void CxxRuntime::register_object(u32 object) {
  // Read the dyld here, in the thread that resolves it; the hooks, called
  // from any thread, read only this copy (under the mutex).
  ObjectRecord record{object, first_byte(dyld_, object).value_or(0), {}};
  for (const LoadedSection& s : dyld_.sections())
    if (s.object == object && s.allocatable && s.size > 0 && s.local && s.kind != SectionKind::Tls &&
        s.kind != SectionKind::TlsBss)
      record.ranges.push_back({s.target, s.size});
  std::lock_guard<std::mutex> lock(global_mutex());
  for (ObjectRecord& o : objects_)
    if (o.object == object) {
      o = std::move(record);  // resolved again, after a remap
      return;
    }
  objects_.push_back(std::move(record));
}

std::optional<u64> CxxRuntime::lookup(std::string_view name, u32 object) {
  if (name == "__dso_handle") return object == kNone ? std::nullopt : dso_handle(object);
  std::optional<u64> hook;
  if (name == "__cxa_atexit") hook = address_of(reinterpret_cast<const void*>(&CxxHooks::cxa_atexit));
  if (name == "atexit") hook = address_of(reinterpret_cast<const void*>(&CxxHooks::atexit));
  if (name == "__cxa_thread_atexit" || name == "__cxa_thread_atexit_impl")
    hook = address_of(reinterpret_cast<const void*>(&CxxHooks::cxa_thread_atexit));
  // An object calling them may pass a handle it defines, or (atexit) be
  // found by its return address: it must be known by its memory.
  if (hook && object != kNone) register_object(object);
  return hook;
}

std::optional<u64> CxxRuntime::handle_at(u64 address) const {
  // Under the global mutex.
  for (const ObjectRecord& o : objects_)
    for (auto [start, size] : o.ranges)
      if (address >= start && address - start < size) return o.handle;
  return std::nullopt;
}

bool CxxRuntime::run_one_thread_handler() {
  void (*fn)(void*) = nullptr;
  void* arg = nullptr;
  {
    std::lock_guard<std::mutex> lock(global_mutex());
    const pthread_t self = pthread_self();
    for (size_t k = thread_handlers_.size(); k-- > 0;) {
      ThreadHandler* t = thread_handlers_[k];
      if (!pthread_equal(t->thread, self)) continue;
      thread_handlers_.erase(thread_handlers_.begin() + ptrdiff_t(k));
      t->owner = nullptr;  // the thread-exit callback only frees it now
      fn = t->fn;
      arg = t->arg;
      break;
    }
  }
  if (!fn) return false;
  Scope scope(this);
  fn(arg);
  return true;
}

bool CxxRuntime::run_one_handler() {
  Handler h;
  {
    std::lock_guard<std::mutex> lock(global_mutex());
    if (handlers_.empty()) return false;
    h = handlers_.back();
    handlers_.pop_back();
  }
  Scope scope(this);
  if (h.with_arg)
    h.with_arg(h.arg);
  else if (h.without_arg)
    h.without_arg();
  return true;
}

size_t CxxRuntime::run_exit_handlers() {
  // As exit() does: the calling thread's thread_local destructors first,
  // then the atexit list; a handler may register more of either.
  size_t ran = 0;
  for (;;) {
    if (run_one_thread_handler() || run_one_handler()) {
      ran++;
      continue;
    }
    return ran;
  }
}

size_t CxxRuntime::pending() const {
  std::lock_guard<std::mutex> lock(global_mutex());
  return handlers_.size() + thread_handlers_.size();
}

CxxRuntime::Scope::Scope(CxxRuntime* runtime) : previous_(t_current) { t_current = runtime; }
CxxRuntime::Scope::~Scope() { t_current = previous_; }

// ---------------------------------------------------------------------------
// Constructor and destructor tables.

namespace {

enum class TableKind { InitArray, FiniArray, Ctors, Dtors };

// ".init_array" → (InitArray, 65535); ".init_array.00101" → (InitArray, 101);
// ".ctors.65434" → (Ctors, 101). nullopt: not a table, or a suffix that is
// not a priority.
std::optional<std::pair<TableKind, u32>> classify(std::string_view name) {
  struct Prefix {
    std::string_view name;
    TableKind kind;
  };
  static constexpr Prefix kPrefixes[] = {{".init_array", TableKind::InitArray},
                                         {".fini_array", TableKind::FiniArray},
                                         {".ctors", TableKind::Ctors},
                                         {".dtors", TableKind::Dtors},
                                         // Mach-O (S_MOD_INIT_FUNC_POINTERS / S_MOD_TERM_FUNC_POINTERS):
                                         // pointers run in order, as .init_array / .fini_array.
                                         {"__mod_init_func", TableKind::InitArray},
                                         {"__mod_term_func", TableKind::FiniArray}};
  for (const Prefix& p : kPrefixes) {
    if (!name.starts_with(p.name)) continue;
    std::string_view rest = name.substr(p.name.size());
    bool legacy = p.kind == TableKind::Ctors || p.kind == TableKind::Dtors;
    if (rest.empty()) return std::pair{p.kind, 65535u};
    if (rest[0] != '.') return std::nullopt;
    rest.remove_prefix(1);
    u32 n = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (ec != std::errc() || end != rest.data() + rest.size() || n > 65535) return std::nullopt;
    return std::pair{p.kind, legacy ? 65535 - n : n};
  }
  return std::nullopt;
}

}  // namespace

Expected<InitFiniTables> collect_init_fini(const RuntimeDyld& dyld, u32 object) {
  InitFiniTables t;
  const u64 word = sizeof(void*);
  for (const LoadedSection& s : dyld.sections()) {
    if (s.object != object || s.file_index == kNone) continue;
    auto kind = classify(s.name);
    if (!kind) continue;
    if (s.size % word)
      return Error(ErrorKind::Malformed,
                   format("%.*s:(%.*s): constructor/destructor table of %llu bytes is not a whole number of %llu-byte "
                          "pointers",
                          int(dyld.object_name(object).size()), dyld.object_name(object).data(), int(s.name.size()),
                          s.name.data(), (unsigned long long)s.size, (unsigned long long)word),
                   s.file_offset);
    if (s.size && !s.local)
      return Error(ErrorKind::Argument, format("%.*s:(%.*s): the table has no memory in this process",
                                               int(dyld.object_name(object).size()), dyld.object_name(object).data(),
                                               int(s.name.size()), s.name.data()));
    u64 n = s.size / word;
    for (u64 i = 0; i < n; i++) {
      u64 fn = load_le<u64>(s.local + i * word);
      // .ctors/.dtors may carry 0 and -1 sentinels.
      if (fn == 0 || fn == ~u64(0)) continue;
      InitFiniEntry e;
      e.priority = kind->second;
      e.object = object;
      e.function = fn;
      switch (kind->first) {
        case TableKind::InitArray: e.sequence = i; t.constructors.push_back(e); break;
        case TableKind::Ctors: e.sequence = n - 1 - i; t.constructors.push_back(e); break;  // run backwards
        case TableKind::FiniArray: e.sequence = i; t.destructors.push_back(e); break;
        case TableKind::Dtors: e.sequence = n - 1 - i; t.destructors.push_back(e); break;   // run forwards
      }
    }
  }
  return t;
}

void sort_constructors(std::vector<InitFiniEntry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const InitFiniEntry& a, const InitFiniEntry& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    if (a.object != b.object) return a.object < b.object;
    return a.sequence < b.sequence;
  });
}

void sort_destructors(std::vector<InitFiniEntry>& entries) {
  // The reverse of a constructor-ordered table, as a linked program runs its
  // .fini_array backwards.
  sort_constructors(entries);
  std::reverse(entries.begin(), entries.end());
}

namespace {

Expected<std::vector<InitFiniEntry>> whole_table(const RuntimeDyld& dyld, bool constructors) {
  std::vector<InitFiniEntry> all;
  for (u32 o = 0; o < dyld.object_count(); o++) {
    InitFiniTables t = TRY_VALUE(collect_init_fini(dyld, o));
    std::vector<InitFiniEntry>& part = constructors ? t.constructors : t.destructors;
    all.insert(all.end(), part.begin(), part.end());
  }
  if (constructors)
    sort_constructors(all);
  else
    sort_destructors(all);
  return all;
}

Error run_destructors(const RuntimeDyld& dyld, CxxRuntime* rt) {
  if (rt && rt->destructors_ran) return Error::success();
  if (rt) {
    rt->destructors_ran = true;
    rt->run_exit_handlers();
    // Destructor tables pair with constructors that ran.
    if (!rt->constructors_ran) return Error::success();
  }
  std::vector<InitFiniEntry> dtors = TRY_VALUE(whole_table(dyld, false));
  {
    CxxRuntime::Scope scope(rt);
    for (const InitFiniEntry& e : dtors) reinterpret_cast<void (*)()>(uintptr_t(e.function))();
  }
  // A .fini_array function may itself register more (rare): run those too.
  if (rt) rt->run_exit_handlers();
  return Error::success();
}

}  // namespace

Error run_static_constructors(RuntimeDyld& dyld) {
  CxxRuntime* rt = dyld.cxx_runtime();
  if (rt && rt->constructors_ran) return Error::success();
  std::vector<InitFiniEntry> ctors = TRY_VALUE(whole_table(dyld, true));
  if (rt) rt->constructors_ran = true;
  CxxRuntime::Scope scope(rt);
  for (const InitFiniEntry& e : ctors) reinterpret_cast<void (*)()>(uintptr_t(e.function))();
  return Error::success();
}

Error run_static_destructors(RuntimeDyld& dyld) { return run_destructors(dyld, dyld.cxx_runtime()); }

namespace {
std::atomic<RuntimeDyld*> g_exit_dyld{nullptr};
void run_guarded_destructors() {
  if (RuntimeDyld* d = g_exit_dyld.exchange(nullptr)) (void)run_static_destructors(*d);
}
}  // namespace

ExitGuard::ExitGuard(RuntimeDyld& dyld) {
  static bool registered = (std::atexit(run_guarded_destructors), true);
  (void)registered;
  g_exit_dyld = &dyld;
}

ExitGuard::~ExitGuard() { g_exit_dyld = nullptr; }

}  // namespace jitload
