// jitload-bench: Google Benchmark's main, plus
//   --objects   print the generated objects' bytes, sections and relocations
// and a non-zero exit status when any benchmark failed (a loader error, or a
// load whose code computes the wrong answer), which Google Benchmark's own
// main would report only in its output.
#include <malloc.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bench/support.h"

namespace {

void print_objects() {
  std::printf("%-16s %12s %9s %9s %12s %9s %12s\n", "object", "bytes", "sections", "alloc",
              "relocations", "symbols", "eh_frame");
  std::vector<std::string> names = jitload::bench::named_objects();
  for (int n : jitload::bench::sweep_sizes()) names.push_back(jitload::bench::sweep_object(n));
  for (int n : jitload::bench::section_sweep_sizes()) names.push_back(jitload::bench::section_sweep_object(n));
  for (const std::string& name : jitload::bench::arch_objects())
    if (name != "large") names.push_back(name);
  for (const std::string& name : names) {
    const jitload::bench::BenchObject& obj = jitload::bench::object(name);
    if (!obj.error.empty()) {
      std::printf("%-16s %s\n", name.c_str(), obj.error.c_str());
      continue;
    }
    std::printf("%-16s %12zu %9" PRIu64 " %9" PRIu64 " %12" PRIu64 " %9" PRIu64 " %12" PRIu64 "\n",
                name.c_str(), obj.bytes.size(), obj.sections, obj.alloc_sections, obj.relocations,
                obj.symbols, obj.eh_frame_bytes);
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--objects")) {
      print_objects();
      return 0;
    }
  // glibc's malloc adapts its mmap and trim thresholds to the largest block
  // freed so far, so whether a load's heap pages are handed back after it
  // (and fault in again, one by one, on the next load) depends on which
  // benchmarks ran before: the sections object alone took ~1,000 page faults
  // and 4.2 ms per load, after the LLVM loaders' runs 2.7 ms. Fixed
  // thresholds make every loader's numbers independent of order and filter.
  // JITLOAD_BENCH_GLIBC_MALLOC=1 keeps glibc's adaptive defaults.
  const char* adaptive = std::getenv("JITLOAD_BENCH_GLIBC_MALLOC");
  if (!adaptive || std::strcmp(adaptive, "1") != 0) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (int n = jitload::bench::failures()) {
    std::fprintf(stderr, "jitload-bench: %d benchmark(s) failed\n", n);
    return 1;
  }
  return 0;
}
