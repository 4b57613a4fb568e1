// What every benchmark file shares: the generated objects and their counts,
// the phase-timing skeleton that runs one loader over one object, the
// memory meter, and registration of the standard set of benchmarks.
//
// Each loader file (engine-bm.cc, rtdyld-bm.cc, jitlink-bm.cc, ...) provides
// one function that performs a single load of an object — set-up, timed
// phases, tear-down — and registers it with register_loader(). The names it
// gets are the ones ci/bench-gate and bench/report.py read:
//
//   BM_<Loader>_Total/<object>       load + resolve + finalize, one interval;
//                                    counters load_us, resolve_us, finalize_us
//                                    time each phase inside it; teardown_us
//                                    the destruction after it (not in the
//                                    interval); rss_mib the process's resident
//                                    set after the timed loads, pool_mib the
//                                    memory a loader keeps for reuse
//   BM_<Loader>_Remap/<object>       after an untimed load: map every section
//                                    to a far target address, then resolve (a
//                                    remote load; nothing runs)
//   BM_<Loader>_Sweep/<functions>    Total, over the size sweep
//   BM_<Loader>_SectionSweep/<functions>  Total, over the section-count sweep
//                                    (the report adds BM_<Loader>_Total/sections as its last point)
//
// The phases, for every loader: Load = parse the object and lay it out in
// memory; Resolve = resolve externals and apply every relocation; Finalize =
// EH frames and final page permissions.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace jitload::bench {

struct BenchObject {
  std::string name;            // "large", "sweep-256", ...
  std::string path;
  std::vector<uint8_t> bytes;  // empty when it could not be read (see error)
  std::string error;
  uint64_t sections = 0;       // section headers, including the null one
  uint64_t alloc_sections = 0; // SHF_ALLOC sections of non-zero size
  uint64_t relocations = 0;    // entries of every SHT_REL/SHT_RELA section
  uint64_t symbols = 0;
  uint64_t eh_frame_bytes = 0;
  bool has_expected = false;
  int expected = 0;            // bench_entry(kEntryArgument), natively linked
};

constexpr int kEntryArgument = 5;

// The objects named in the suite, and the function counts of the sweep.
const std::vector<std::string>& named_objects();  // small, large, nounwind, sections
const std::vector<int>& sweep_sizes();
std::string sweep_object(int functions);          // "sweep-<functions>"
// The section-count sweep: smaller function counts built like the sections
// object (one section per function and per datum); the report takes its
// last point from that object's Total.
const std::vector<int>& section_sweep_sizes();
std::string section_sweep_object(int functions);  // "sections-<functions>"

// The per-architecture objects of bench/arch-bm.cc's registry, in its order
// (large for x86_64, a64-large, ..., macho-a64-large).
const std::vector<std::string>& arch_objects();

// Loaded (and counted) on first use, then kept for the life of the process.
const BenchObject& object(const std::string& name);
std::string objects_dir();

enum class Phase { Total, Remap };
const char* phase_name(Phase phase);

// How far one run goes and what it does besides loading.
struct RunOptions {
  Phase phase = Phase::Total;  // Remap: load, remap, resolve; time the last two
  bool execute = false;        // after Total: call bench_entry and report its value
  bool meter = false;          // count heap and mappings from load to finalize
};

// What one run measured. Times in seconds; with Phase::Remap, resolve is
// the remap and resolve together.
struct LoadRun {
  double load = 0, resolve = 0, finalize = 0, total = 0;
  double cpu = 0;              // this thread's CPU time over the same interval as total
  std::string error;           // non-empty: the loader failed
  bool executed = false;
  int entry_result = 0;
  uint64_t peak_bytes = 0;     // with RunOptions::meter
  double teardown = 0;         // destroying the loader and its memory manager, after total
  double pool_bytes = -1;      // memory kept for reuse after the load (the engine's pool), if any
};

using LoaderFn = std::function<void(const BenchObject&, const RunOptions&, LoadRun&)>;

// Far target addresses for remapped loads: every section moves by the same
// distance, so PC-relative references between sections still fit, while
// the host's libc is now terabytes away (stubs and GOT slots are needed).
constexpr uint64_t kRemoteShift = 0x3000'0000'0000ull;
inline uint64_t remote_address(const void* local) {
  return reinterpret_cast<uint64_t>(local) - kRemoteShift;
}

// Registers BM_<loader>_Total/<object> (and BM_<loader>_Remap/<object> when
// with_remap) over named_objects(), and BM_<loader>_Sweep and
// BM_<loader>_SectionSweep when with_sweeps.
void register_loader(const std::string& loader, LoaderFn fn, bool with_remap, bool with_sweeps = true);

// This process's resident set (RSS), in bytes, from /proc/self/statm.
uint64_t resident_bytes();

// The monotonic clock every loader uses for its phases, in seconds.
double now();
// This thread's CPU time (user + system, so page faults count), in seconds.
// Read just outside the wall-clock interval, so its cost (a system call)
// is not in the wall time. What ci/bench-gate compares: on a busy shared
// machine, being descheduled inflates wall time, not CPU time.
double cpu_now();

// Heap (malloc family) and mapping (mmap/munmap) bytes in use, counted only
// between start() and stop(); peak() is the high-water mark above the level
// at start(). Counting is process-wide: single-threaded use only.
namespace meter {
bool available();  // false under sanitizers, whose runtimes own malloc
void start();
uint64_t stop();  // returns the peak
}  // namespace meter

// Counts failed benchmarks, so the binary can exit non-zero on any of them.
void fail(benchmark::State& state, const std::string& message);
int failures();

// Sets bytes/s, relocations/s and the object's counts on a finished state.
void set_object_counters(benchmark::State& state, const BenchObject& obj);

}  // namespace jitload::bench
