#include "engine/mcjit/runtime.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "engine/loader/core/reader.h"

extern "C" int __cxa_atexit(void (*fn)(void*), void* arg, void* dso);

namespace jitload {

namespace {

std::mutex& live_mutex() {
  static std::mutex m;
  return m;
}
std::vector<JitRuntime*>& live() {
  static std::vector<JitRuntime*> v;
  return v;
}
thread_local JitRuntime* t_current = nullptr;

int jit_cxa_atexit(void (*fn)(void*), void* arg, void* dso) {
  if (JitRuntime* rt = runtime_for_dso(dso)) {
    rt->add({fn, arg, nullptr});
    return 0;
  }
  return __cxa_atexit(fn, arg, dso);
}

int jit_atexit(void (*fn)()) {
  JitRuntime* rt = t_current;
  if (!rt) {
    std::lock_guard<std::mutex> lock(live_mutex());
    if (!live().empty()) rt = live().back();
  }
  if (!rt) return std::atexit(fn);
  rt->add({nullptr, nullptr, fn});
  return 0;
}

}  // namespace

JitRuntime* runtime_for_dso(void* dso) {
  std::lock_guard<std::mutex> lock(live_mutex());
  for (JitRuntime* rt : live())
    if (&rt->dso_handle_ == dso) return rt;
  return nullptr;
}

JitRuntime::JitRuntime() {
  std::lock_guard<std::mutex> lock(live_mutex());
  live().push_back(this);
}

JitRuntime::~JitRuntime() {
  std::lock_guard<std::mutex> lock(live_mutex());
  auto& v = live();
  v.erase(std::remove(v.begin(), v.end(), this), v.end());
}

std::optional<u64> JitRuntime::lookup(std::string_view name) const {
  if (name == "__dso_handle") return u64(reinterpret_cast<uintptr_t>(&dso_handle_));
  if (name == "__cxa_atexit") return u64(reinterpret_cast<uintptr_t>(&jit_cxa_atexit));
  if (name == "atexit") return u64(reinterpret_cast<uintptr_t>(&jit_atexit));
  return std::nullopt;
}

void JitRuntime::add(Handler h) {
  std::lock_guard<std::mutex> lock(mutex_);
  handlers_.push_back(h);
}

size_t JitRuntime::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return handlers_.size();
}

size_t JitRuntime::run_exit_handlers() {
  size_t ran = 0;
  for (;;) {
    Handler h;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (handlers_.empty()) break;
      h = handlers_.back();
      handlers_.pop_back();
    }
    Scope scope(this);
    if (h.with_arg)
      h.with_arg(h.arg);
    else
      h.without_arg();
    ran++;
  }
  return ran;
}

JitRuntime::Scope::Scope(JitRuntime* runtime) : previous_(t_current) { t_current = runtime; }
JitRuntime::Scope::~Scope() { t_current = previous_; }

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
                                         {".dtors", TableKind::Dtors}};
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

}  // namespace jitload
