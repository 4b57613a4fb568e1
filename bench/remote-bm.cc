// A remote load of the benchmark objects: jitload's loader here, sections in
// an executor process over LLVM 19's SimpleRemoteEPC protocol
// (engine/remote), the way `jitload run -remote-mcjit` does it:
// reserve, load into local copies, map every section to its executor
// address, look externals up there, relocate here, finalize there (bytes,
// W^X, EH frames), deallocate. The same client against two executors in
// the same run:
//   BM_RemoteLoad/jitload-executor/<object>
//   BM_RemoteLoad/lli-child-target-19/<object>   (LLVM's own child)
// Counters: bytes/s of object, round_trips and wire bytes per load. The
// first load of each object also runs bench_entry there (untimed) and must
// give the natively linked object's value. One executor process per child
// for the whole run (launch cost is not a load's).
#include <map>
#include <memory>
#include <span>

#include "bench/support.h"
#include "engine/loader/dyld.h"
#include "engine/remote/client.h"
#include "engine/remote/memory-manager.h"

namespace jitload::bench {
namespace {

using remote::RemoteMemoryManager;
using remote::RemoteSession;

RemoteSession* session_for(const std::string& path, std::string& error) {
  static std::map<std::string, std::unique_ptr<RemoteSession>> sessions;
  auto it = sessions.find(path);
  if (it != sessions.end() && it->second->alive()) return it->second.get();
  auto s = RemoteSession::launch({path});
  if (!s) {
    error = s.error().message();
    return nullptr;
  }
  RemoteSession* raw = s->get();
  sessions[path] = std::move(*s);
  return raw;
}

// One load; returns an error message or "".
std::string remote_load(RemoteSession& session, const BenchObject& obj, bool execute, int* result) {
  RemoteMemoryManager memory(session);
  RuntimeDyld dyld(memory);  // externals: memory.find_symbol, in the executor
  auto info = dyld.load_object(std::span<const u8>(obj.bytes.data(), obj.bytes.size()), obj.name);
  if (!info) return info.error().message() + " " + memory.last_error();
  if (Error e = memory.map_pending([&](const void* local, u64 target) { return dyld.map_section_address(local, target); }))
    return e.message();
  if (Error e = dyld.finalize()) return e.message() + " " + memory.last_error();
  if (execute) {
    std::optional<JitSymbol> entry = dyld.get_symbol("bench_entry");
    if (!entry) return "no bench_entry";
    Expected<i32> r = session.run_as_int_function(entry->address, kEntryArgument);
    if (!r) return r.error().message();
    *result = *r;
  }
  return "";
}

void BM_RemoteLoad(benchmark::State& state, std::string child, std::string object_name) {
  const BenchObject& obj = object(object_name);
  if (obj.bytes.empty()) return fail(state, obj.error);
  std::string error;
  RemoteSession* session = session_for(child, error);
  if (!session) return fail(state, "launching " + child + ": " + error);
  int value = 0;
  if (std::string e = remote_load(*session, obj, obj.has_expected, &value); !e.empty()) return fail(state, e);
  if (obj.has_expected && value != obj.expected)
    return fail(state, "bench_entry gave " + std::to_string(value) + " in the executor, natively " +
                           std::to_string(obj.expected));
  const remote::SessionStats before = session->stats();
  for (auto _ : state) {
    if (std::string e = remote_load(*session, obj, false, nullptr); !e.empty()) return fail(state, e);
  }
  const remote::SessionStats& after = session->stats();
  double n = double(state.iterations());
  set_object_counters(state, obj);
  state.counters["round_trips"] = double(after.round_trips - before.round_trips) / n;
  state.counters["wire_bytes"] = double(after.bytes_sent + after.bytes_received - before.bytes_sent - before.bytes_received) / n;
}

[[maybe_unused]] const bool registered = [] {
  std::vector<std::pair<std::string, std::string>> children = {{"jitload-executor", JITLOAD_EXECUTOR}};
  if (std::string(JITLOAD_LLI_CHILD).size()) children.push_back({"lli-child-target-19", JITLOAD_LLI_CHILD});
  for (auto& [name, path] : children)
    for (const std::string& o : named_objects())
      benchmark::RegisterBenchmark(("BM_RemoteLoad/" + name + "/" + o).c_str(), BM_RemoteLoad, path, o)
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
  return true;
}();

}  // namespace
}  // namespace jitload::bench
