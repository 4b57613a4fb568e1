// The floor: what it costs just to copy the object's bytes. Every loader
// at least copies the sections out of the object, so a loader's time over
// this one says how much it pays beyond moving bytes.
//
//   BM_Memcpy_Total/<object>      memcpy into a buffer already faulted in
//   BM_Memcpy_Sweep/<functions>   the same over the size sweep
//   BM_MmapCopy_Total/<object>    a fresh anonymous mapping, memcpy, munmap:
//                                 the copy plus the page faults that any
//                                 loader putting bytes in new memory takes
#include <sys/mman.h>

#include <cstring>
#include <vector>

#include "bench/support.h"

namespace jitload::bench {
namespace {

void bm_memcpy(benchmark::State& state, const BenchObject& obj) {
  if (!obj.error.empty()) return fail(state, obj.error);
  std::vector<uint8_t> dest(obj.bytes.size());
  std::memset(dest.data(), 1, dest.size());  // fault the pages in before timing
  for (auto _ : state) {
    std::memcpy(dest.data(), obj.bytes.data(), obj.bytes.size());
    benchmark::DoNotOptimize(dest.data());
    benchmark::ClobberMemory();
  }
  set_object_counters(state, obj);
}

void bm_mmap_copy(benchmark::State& state, const BenchObject& obj) {
  if (!obj.error.empty()) return fail(state, obj.error);
  for (auto _ : state) {
    void* p = mmap(nullptr, obj.bytes.size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED) {
      fail(state, "mmap failed");
      break;
    }
    std::memcpy(p, obj.bytes.data(), obj.bytes.size());
    benchmark::DoNotOptimize(p);
    benchmark::ClobberMemory();
    munmap(p, obj.bytes.size());
  }
  set_object_counters(state, obj);
}

[[maybe_unused]] const bool registered = [] {
  for (const std::string& name : named_objects()) {
    benchmark::RegisterBenchmark(("BM_Memcpy_Total/" + name).c_str(),
                                 [name](benchmark::State& s) { bm_memcpy(s, object(name)); })
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_MmapCopy_Total/" + name).c_str(),
                                 [name](benchmark::State& s) { bm_mmap_copy(s, object(name)); })
        ->Unit(benchmark::kMicrosecond);
  }
  auto* sweep = benchmark::RegisterBenchmark("BM_Memcpy_Sweep", [](benchmark::State& s) {
    bm_memcpy(s, object(sweep_object(int(s.range(0)))));
  });
  for (int n : sweep_sizes()) sweep->Arg(n);
  sweep->Unit(benchmark::kMicrosecond);
  return true;
}();

}  // namespace
}  // namespace jitload::bench
