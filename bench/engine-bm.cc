// jitload's engine (engine/loader/dyld.h) with its default memory manager,
// driven the way MCJIT drives a loader: load_object, optional
// map_section_address, resolve_relocations, finalize (EH frames, then
// W^X permissions and the instruction cache). Externals come from the
// memory manager's default lookup, which searches the process.
#include <span>

#include "bench/support.h"
#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"

namespace jitload::bench {
namespace {

void run_engine(const BenchObject& obj, const RunOptions& options, LoadRun& run) {
  // Set-up, untimed: a fresh memory manager and loader per load.
  SectionMemoryManager memory;
  RuntimeDyld dyld(memory);
  std::span<const u8> bytes(obj.bytes.data(), obj.bytes.size());
  if (options.meter) meter::start();

  double c0 = cpu_now();
  double t0 = now();
  auto info = dyld.load_object(bytes, obj.name);
  double t1 = now();
  run.load = t1 - t0;
  if (!info) {
    run.error = "engine: " + info.error().message();
    if (options.meter) meter::stop();
    return;
  }

  double c2 = options.phase == Phase::Remap ? cpu_now() : 0;  // not inside Total's interval
  double t2 = now();
  if (options.phase == Phase::Remap) {
    // By section id: the engine's sections() gives ids directly, so a
    // remote client need not search by local address.
    std::span<const LoadedSection> sections = dyld.sections();
    for (u32 id = 0; id < sections.size(); ++id)
      if (sections[id].local)
        if (Error err = dyld.map_section_address(id, remote_address(sections[id].local))) {
          run.error = "engine: " + err.message();
          return;
        }
  }
  Error resolved = dyld.resolve_relocations();
  double t3 = now();
  run.resolve = t3 - t2;
  if (resolved) {
    run.error = "engine: " + resolved.message();
    if (options.meter) meter::stop();
    return;
  }
  if (options.phase == Phase::Remap) {
    run.cpu = cpu_now() - c2;
    return;
  }

  double t4 = now();
  Error finalized = dyld.finalize();
  double t5 = now();
  run.cpu = cpu_now() - c0;
  run.finalize = t5 - t4;
  run.total = t5 - t0;
  if (options.meter) run.peak_bytes = meter::stop();
  if (finalized) {
    run.error = "engine: " + finalized.message();
    return;
  }
  if (options.execute)
    if (void* entry = dyld.get_symbol_local_address("bench_entry")) {
      run.entry_result = reinterpret_cast<int (*)(int)>(entry)(kEntryArgument);
      run.executed = true;
    }
  // The memory manager deregisters EH frames before it unmaps.
}

[[maybe_unused]] const bool registered = [] {
  register_loader("Engine", run_engine, /*with_remap=*/true);
  return true;
}();

}  // namespace
}  // namespace jitload::bench
