#include "bench/support.h"

#include "conformance/elf/elf-view.h"


#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

#ifndef JITLOAD_BENCH_OBJECTS
#error "JITLOAD_BENCH_OBJECTS must name the directory of the generated objects"
#endif

namespace jitload::bench {

const std::vector<std::string>& named_objects() {
  static const std::vector<std::string> names = {"small", "large", "nounwind", "sections"};
  return names;
}

// Must match JITLOAD_BENCH_SWEEP in bench/CMakeLists.txt.
const std::vector<int>& sweep_sizes() {
  static const std::vector<int> sizes = {1, 16, 64, 256, 1024, 4096};
  return sizes;
}

std::string sweep_object(int functions) { return "sweep-" + std::to_string(functions); }

#ifndef JITLOAD_BENCH_SECTION_SWEEP
#error "JITLOAD_BENCH_SECTION_SWEEP comes from bench/CMakeLists.txt"
#endif

const std::vector<int>& section_sweep_sizes() {
  static const std::vector<int> sizes = {JITLOAD_BENCH_SECTION_SWEEP};
  return sizes;
}

std::string section_sweep_object(int functions) { return "sections-" + std::to_string(functions); }

std::string objects_dir() {
  // An override lets an installed binary find objects built elsewhere.
  if (const char* dir = std::getenv("JITLOAD_BENCH_OBJECTS"); dir && *dir) return dir;
  return JITLOAD_BENCH_OBJECTS;
}

namespace {

bool read_file(const std::string& path, std::vector<uint8_t>& out) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return false;
  std::streamoff size = in.tellg();
  if (size < 0) return false;
  out.resize(size_t(size));
  in.seekg(0);
  return bool(in.read(reinterpret_cast<char*>(out.data()), size));
}

// Counts what the tables report. The objects are ours, built by clang, but
// every offset is still checked, so a truncated file is an error message
// rather than a wild read.
std::string count_elf(BenchObject& obj) {
  // The shared, bounds-checked ELF view: any class and byte order.
  std::string why;
  auto view = jitload::elfview::View::open(obj.bytes, &why);
  if (!view) return obj.path + ": " + why;
  obj.sections = view->section_count();
  for (const jitload::elfview::Section& sh : view->sections()) {
    if ((sh.flags & 0x2) && sh.size) ++obj.alloc_sections;  // SHF_ALLOC
    if ((sh.type == 4 || sh.type == 9) && sh.entsize) obj.relocations += sh.size / sh.entsize;  // SHT_RELA, SHT_REL
    if (sh.type == 2 && sh.entsize) obj.symbols += sh.size / sh.entsize;                          // SHT_SYMTAB
    // Unwind tables: SHT_X86_64_UNWIND on x86-64 (the number means other
    // things on other machines), .eh_frame by name elsewhere.
    if ((view->machine() == jitload::elfview::kEmX86_64 && sh.type == 0x70000001) ||
        (view->machine() != jitload::elfview::kEmX86_64 && sh.name == ".eh_frame"))
      obj.eh_frame_bytes += sh.size;
  }
  return "";
}

// The same counts for a Mach-O object (arch-bm.cc's Mach-O rows), 64- or
// 32-bit, little-endian: sections of every LC_SEGMENT(_64), their nreloc,
// LC_SYMTAB's nsyms, __eh_frame's size. Every read is bounds-checked.
std::string count_macho(BenchObject& obj) {
  const std::vector<uint8_t>& b = obj.bytes;
  auto u32 = [&](uint64_t off, uint32_t& v) {
    if (off > b.size() || b.size() - off < 4) return false;
    v = uint32_t(b[off]) | uint32_t(b[off + 1]) << 8 | uint32_t(b[off + 2]) << 16 | uint32_t(b[off + 3]) << 24;
    return true;
  };
  auto u64 = [&](uint64_t off, uint64_t& v) {
    uint32_t lo, hi;
    if (!u32(off, lo) || !u32(off + 4, hi)) return false;
    v = uint64_t(hi) << 32 | lo;
    return true;
  };
  auto bad = [&](const char* what, uint64_t off) {
    return obj.path + ": malformed Mach-O: " + what + " at file offset " + std::to_string(off);
  };
  uint32_t magic = 0, ncmds = 0;
  if (!u32(0, magic) || (magic != 0xfeedfacfu && magic != 0xfeedfaceu)) return bad("magic", 0);
  const bool is64 = magic == 0xfeedfacfu;
  if (!u32(16, ncmds)) return bad("header", 16);
  uint64_t off = is64 ? 32 : 28;
  for (uint32_t i = 0; i < ncmds; ++i) {
    uint32_t cmd, size;
    if (!u32(off, cmd) || !u32(off + 4, size) || size < 8 || size > b.size() - off) return bad("load command", off);
    if (cmd == (is64 ? 0x19u : 0x1u)) {  // LC_SEGMENT_64 / LC_SEGMENT
      const uint64_t first = is64 ? 72 : 56, each = is64 ? 80 : 68;
      uint32_t nsects;
      if (!u32(off + (is64 ? 64 : 48), nsects) || first + uint64_t(nsects) * each > size) return bad("segment", off);
      for (uint32_t s = 0; s < nsects; ++s) {
        uint64_t sec = off + first + s * each, sect_size = 0;
        uint32_t size32 = 0, nreloc = 0, flags = 0;
        if (is64 ? !u64(sec + 40, sect_size) : !u32(sec + 36, size32)) return bad("section", sec);
        if (!is64) sect_size = size32;
        if (!u32(sec + (is64 ? 60 : 52), nreloc) || !u32(sec + (is64 ? 64 : 56), flags)) return bad("section", sec);
        ++obj.sections;
        if (sect_size && !(flags & 0x02000000u)) ++obj.alloc_sections;  // not S_ATTR_DEBUG
        obj.relocations += nreloc;
        if (std::string(reinterpret_cast<const char*>(&b[sec]), strnlen(reinterpret_cast<const char*>(&b[sec]), 16)) ==
            "__eh_frame")
          obj.eh_frame_bytes += sect_size;
      }
    } else if (cmd == 0x2) {  // LC_SYMTAB
      uint32_t nsyms;
      if (!u32(off + 12, nsyms)) return bad("LC_SYMTAB", off);
      obj.symbols += nsyms;
    }
    off += size;
  }
  return "";
}

std::unique_ptr<BenchObject> read_object(const std::string& name) {
  auto obj = std::make_unique<BenchObject>();
  obj->name = name;
  obj->path = objects_dir() + "/" + name + ".o";
  if (!read_file(obj->path, obj->bytes) || obj->bytes.empty()) {
    obj->error = obj->path + ": cannot read (build the jitload-bench target, which generates it)";
    obj->bytes.clear();
    return obj;
  }
  const bool macho = obj->bytes.size() >= 4 && obj->bytes[3] == 0xfe && obj->bytes[2] == 0xed &&
                     obj->bytes[1] == 0xfa && (obj->bytes[0] & 0xfe) == 0xce;  // MH_MAGIC(_64), little-endian
  obj->error = macho ? count_macho(*obj) : count_elf(*obj);
  if (!obj->error.empty()) {
    obj->bytes.clear();
    return obj;
  }
  if (FILE* f = std::fopen((objects_dir() + "/" + name + ".expected").c_str(), "r")) {
    obj->has_expected = std::fscanf(f, "%d", &obj->expected) == 1;
    std::fclose(f);
  }
  return obj;
}

}  // namespace

const BenchObject& object(const std::string& name) {
  static std::map<std::string, std::unique_ptr<BenchObject>> cache;
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[name];
  if (!slot) slot = read_object(name);
  return *slot;
}

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::Total: return "Total";
    case Phase::Remap: return "Remap";
  }
  return "?";
}

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

namespace {

int g_failures = 0;

// Whether this loader loads this object correctly: the loaded bench_entry
// must return what the same object returns when linked natively by clang.
// Checked once per loader and object, before anything is timed, so no
// benchmark reports the speed of a wrong load.
const std::string& verification(const std::string& loader, const LoaderFn& fn,
                                const BenchObject& obj) {
  static std::map<std::string, std::string> verdicts;
  auto key = loader + "/" + obj.name;
  if (auto it = verdicts.find(key); it != verdicts.end()) return it->second;
  LoadRun run;
  RunOptions options;
  options.execute = true;
  fn(obj, options, run);
  std::string verdict;
  if (!run.error.empty())
    verdict = run.error;
  else if (!obj.has_expected)
    verdict = obj.name + ".expected is missing: cannot check the load";
  else if (!run.executed)
    verdict = loader + ": bench_entry not found after loading " + obj.name;
  else if (run.entry_result != obj.expected)
    verdict = loader + ": " + obj.name + ": bench_entry(" + std::to_string(kEntryArgument) +
              ") returned " + std::to_string(run.entry_result) + ", natively linked it returns " +
              std::to_string(obj.expected);
  return verdicts[key] = verdict;
}

double phase_time(const LoadRun& run, Phase phase) {
  switch (phase) {
    case Phase::Total: return run.total;
    case Phase::Remap: return run.resolve;
  }
  return 0;
}

void run_phase(benchmark::State& state, const std::string& loader, const LoaderFn& fn,
               const BenchObject& obj, Phase phase) {
  if (!obj.error.empty()) return fail(state, obj.error);
  if (const std::string& verdict = verification(loader, fn, obj); !verdict.empty())
    return fail(state, verdict);

  // Peak memory: one metered load per loader and object (it barely varies,
  // and Google Benchmark calls this function several times per benchmark).
  uint64_t peak = 0;
  if (phase == Phase::Total && meter::available()) {
    static std::map<std::string, uint64_t> peaks;
    auto key = loader + "/" + obj.name;
    if (auto it = peaks.find(key); it != peaks.end()) {
      peak = it->second;
    } else {
      LoadRun run;
      RunOptions options;
      options.meter = true;
      fn(obj, options, run);
      if (!run.error.empty()) return fail(state, run.error);
      peak = peaks[key] = run.peak_bytes;
    }
  }

  RunOptions options;
  options.phase = phase;
  double load = 0, resolve = 0, finalize = 0, cpu = 0, teardown = 0, pool = -1;
  for (auto _ : state) {
    LoadRun run;
    fn(obj, options, run);
    if (!run.error.empty()) {
      fail(state, run.error);
      break;
    }
    state.SetIterationTime(phase_time(run, phase));
    load += run.load;
    resolve += run.resolve;
    finalize += run.finalize;
    cpu += run.cpu;
    teardown += run.teardown;
    pool = run.pool_bytes;
  }
  set_object_counters(state, obj);
  state.counters["cpu_us"] = benchmark::Counter(cpu * 1e6, benchmark::Counter::kAvgIterations);
  if (phase == Phase::Total) {
    // Each phase has its own clock interval inside the one Total interval;
    // averaged per load, in microseconds.
    auto avg = [](double seconds) {
      return benchmark::Counter(seconds * 1e6, benchmark::Counter::kAvgIterations);
    };
    state.counters["load_us"] = avg(load);
    state.counters["resolve_us"] = avg(resolve);
    state.counters["finalize_us"] = avg(finalize);
    state.counters["teardown_us"] = avg(teardown);
    // Steady state after this benchmark's loads: what the process holds,
    // and what the loader keeps for the next load.
    state.counters["rss_mib"] = double(resident_bytes()) / (1 << 20);
    if (pool >= 0) state.counters["pool_mib"] = pool / (1 << 20);

    if (meter::available())
      state.counters["peak_mem"] = benchmark::Counter(double(peak), benchmark::Counter::kDefaults,
                                                      benchmark::Counter::kIs1024);
  }
}

}  // namespace

uint64_t resident_bytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0, resident = 0;
  int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * uint64_t(sysconf(_SC_PAGESIZE)) : 0;
}

void register_loader(const std::string& loader, LoaderFn fn, bool with_remap, bool with_sweeps) {
  // The phases are timed inside every Total load (counters load_us,
  // resolve_us, finalize_us), not as benchmarks of their own: timing only
  // finalize would still need a whole load per iteration, and the untimed
  // part would make such a benchmark run for minutes.
  std::vector<Phase> phases = {Phase::Total};
  if (with_remap) phases.push_back(Phase::Remap);
  for (Phase phase : phases)
    for (const std::string& name : named_objects()) {
      std::string bm = "BM_" + loader + "_" + phase_name(phase) + "/" + name;
      benchmark::RegisterBenchmark(bm.c_str(),
                                   [loader, fn, name, phase](benchmark::State& state) {
                                     run_phase(state, loader, fn, object(name), phase);
                                   })
          ->UseManualTime()
          ->Unit(benchmark::kMicrosecond);
    }
  if (!with_sweeps) return;
  std::string bm = "BM_" + loader + "_Sweep";
  auto* b = benchmark::RegisterBenchmark(bm.c_str(), [loader, fn](benchmark::State& state) {
    run_phase(state, loader, fn, object(sweep_object(int(state.range(0)))), Phase::Total);
  });
  for (int n : sweep_sizes()) b->Arg(n);
  b->UseManualTime()->Unit(benchmark::kMicrosecond);
  // The section sweep's last point is the sections object, already timed
  // as BM_<loader>_Total/sections (seconds per load for RuntimeDyld).
  bm = "BM_" + loader + "_SectionSweep";
  b = benchmark::RegisterBenchmark(bm.c_str(), [loader, fn](benchmark::State& state) {
    run_phase(state, loader, fn, object(section_sweep_object(int(state.range(0)))), Phase::Total);
  });
  for (int n : section_sweep_sizes()) b->Arg(n);
  b->UseManualTime()->Unit(benchmark::kMicrosecond);
}

void fail(benchmark::State& state, const std::string& message) {
  ++g_failures;
  state.SkipWithError(message.c_str());
}

int failures() { return g_failures; }

void set_object_counters(benchmark::State& state, const BenchObject& obj) {
  state.SetBytesProcessed(int64_t(state.iterations() * obj.bytes.size()));
  state.SetItemsProcessed(int64_t(state.iterations() * obj.relocations));
  state.counters["obj_bytes"] = double(obj.bytes.size());
  state.counters["sections"] = double(obj.sections);
  state.counters["relocs"] = double(obj.relocations);
}

}  // namespace jitload::bench
