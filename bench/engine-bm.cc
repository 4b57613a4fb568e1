// jitload's engine (engine/loader/dyld.h) with its default memory manager,
// driven the way MCJIT drives a loader: load_object, optional
// map_section_address, resolve_relocations, finalize (EH frames, then
// W^X permissions and the instruction cache). Externals come from the
// memory manager's default lookup, which searches the process.
//
// Two rows: Engine, the default manager, whose released memory goes to the
// process-wide pool and serves the next load (no fresh page faults once
// warm); EngineFresh, the same with MemoryReuse::Fresh, mapping new memory
// for every load and unmapping it after, as RuntimeDyld's manager does.
// Both create and destroy their manager and loader per load, exactly as
// rtdyld-bm.cc does; the destruction is timed apart (teardown_us).
#include <memory>
#include <span>

#include "bench/support.h"
#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"

namespace jitload::bench {
namespace {

void load_once(RuntimeDyld& dyld, const BenchObject& obj, const RunOptions& options, LoadRun& run) {
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
}

void run_engine(const BenchObject& obj, const RunOptions& options, LoadRun& run, MemoryReuse reuse) {
  // Set-up, untimed: a fresh memory manager and loader per load.
  auto memory = std::make_unique<SectionMemoryManager>(UnwinderAbi::Auto, reuse);
  auto dyld = std::make_unique<RuntimeDyld>(*memory);
  load_once(*dyld, obj, options, run);
  // Teardown, timed apart: the memory manager deregisters EH frames, then
  // unmaps (Fresh) or resets and scrubs its memory for the pool.
  double t0 = now();
  dyld.reset();
  memory.reset();
  run.teardown = now() - t0;
  if (reuse == MemoryReuse::Pool) run.pool_bytes = double(SectionMemoryManager::pool_stats().bytes);
}

[[maybe_unused]] const bool registered = [] {
  register_loader(
      "Engine",
      [](const BenchObject& obj, const RunOptions& options, LoadRun& run) {
        run_engine(obj, options, run, MemoryReuse::Pool);
      },
      /*with_remap=*/true);
  register_loader(
      "EngineFresh",
      [](const BenchObject& obj, const RunOptions& options, LoadRun& run) {
        run_engine(obj, options, run, MemoryReuse::Fresh);
      },
      /*with_remap=*/false, /*with_sweeps=*/false);
  return true;
}();

}  // namespace
}  // namespace jitload::bench
