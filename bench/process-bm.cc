// Whole-process benchmarks (issue 18): what a user waits for when typing a
// command, from exec to exit — dynamic loading, reading the object, loading
// and linking it, exiting — for jitload's commands against llvm-rtdyld-19
// on the same object, in the same run, interleaved with it when repeated.
//
//   BM_LlvmRtdyld_Process/<object>    llvm-rtdyld-19 -verify (no checks)
//   BM_JitloadRtdyld_Process/<object> jitload-rtdyld -verify, the same
//                                     arguments: like for like
//   BM_JitloadLoad_Process/<object>   jitload load (the loader's report,
//                                     to /dev/null)
//
// Each iteration is one process, started by jitload-bench-spawn (see
// bench/spawn-helper.c for why a helper); its wall time is the benchmark's
// time. Counters: cpu_us, the process's user + system time (what
// ci/bench-gate compares); peak_rss_kib, the largest peak resident set of
// any of its runs. Objects: small (one function), sweep-1024 (1.3 MB) and
// large (2.9 MB).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "bench/support.h"

extern char** environ;

namespace jitload::bench {
namespace {

struct SpawnAnswer {  // struct spawn_answer of spawn-helper.c
  int32_t status;
  int32_t pad;
  int64_t wall_ns;
  int64_t cpu_ns;
  int64_t maxrss_kib;
};

// The helper, started on first use and kept for the process's life.
struct Helper {
  pid_t pid = -1;
  int to = -1, from = -1;
  std::string error;
};

Helper& helper() {
  static Helper h = [] {
    Helper h;
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) {
      h.error = std::string("pipe: ") + std::strerror(errno);
      return h;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    char* argv[] = {const_cast<char*>(JITLOAD_BENCH_SPAWN), nullptr};
    int err = posix_spawn(&h.pid, JITLOAD_BENCH_SPAWN, &fa, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    if (err) {
      h.error = std::string("cannot start " JITLOAD_BENCH_SPAWN ": ") + std::strerror(err);
      close(in[1]);
      close(out[0]);
      return h;
    }
    h.to = in[1];
    h.from = out[0];
    return h;
  }();
  return h;
}

bool io(bool writing, int fd, void* p, size_t n) {
  char* c = static_cast<char*>(p);
  while (n) {
    ssize_t r = writing ? write(fd, c, n) : read(fd, c, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    c += r;
    n -= size_t(r);
  }
  return true;
}

// Runs argv once; an error when it could not run or did not exit with 0.
std::string run_once(const std::vector<std::string>& argv, SpawnAnswer& a) {
  Helper& h = helper();
  if (!h.error.empty()) return h.error;
  std::string block;
  for (const std::string& s : argv) block.append(s.c_str(), s.size() + 1);
  uint32_t size = uint32_t(block.size());
  if (!io(true, h.to, &size, sizeof size) || !io(true, h.to, block.data(), block.size()) ||
      !io(false, h.from, &a, sizeof a)) {
    h.error = "jitload-bench-spawn stopped answering";
    return h.error;
  }
  if (a.status < 0) return "cannot run " + argv[0] + ": " + std::strerror(-a.status);
  if (WIFSIGNALED(a.status)) return argv[0] + " was killed by signal " + std::to_string(WTERMSIG(a.status));
  if (WEXITSTATUS(a.status) != 0)
    return argv[0] + " exited with status " + std::to_string(WEXITSTATUS(a.status)) + " (rerun it by hand to see why)";
  return "";
}

void run_process(benchmark::State& state, const std::vector<std::string>& argv, const BenchObject& obj) {
  if (!obj.error.empty()) {
    fail(state, obj.error);
    return;
  }
  double cpu = 0;
  int64_t peak = 0;
  for (auto _ : state) {
    SpawnAnswer a{};
    if (std::string e = run_once(argv, a); !e.empty()) {
      fail(state, e);
      break;
    }
    state.SetIterationTime(double(a.wall_ns) * 1e-9);
    cpu += double(a.cpu_ns) * 1e-9;
    if (a.maxrss_kib > peak) peak = a.maxrss_kib;
  }
  set_object_counters(state, obj);
  state.counters["cpu_us"] = benchmark::Counter(cpu * 1e6, benchmark::Counter::kAvgIterations);
  state.counters["peak_rss_kib"] = double(peak);
}

// What each command is asked, per object: the generated programs call
// these three C functions (bench/gen-program.cc); -verify gives them
// addresses as llvm-rtdyld wants (-dummy-extern), load its own way.
const char* const kExterns[] = {"memcpy", "strlen", "printf"};

std::vector<std::string> rtdyld_verify(const std::string& tool, const BenchObject& obj) {
  std::vector<std::string> argv = {tool, "-verify", "-triple=x86_64-pc-linux"};
  uint64_t addr = 0x10000;
  for (const char* name : kExterns) argv.push_back("-dummy-extern=" + std::string(name) + "=" + std::to_string(addr += 0x1000));
  argv.push_back(obj.path);
  return argv;
}

std::vector<std::string> jitload_load(const BenchObject& obj) {
  std::vector<std::string> argv = {JITLOAD_TOOL, "load", obj.path};
  uint64_t addr = 0x10000;
  for (const char* name : kExterns) {
    argv.push_back("--extern");
    argv.push_back(std::string(name) + "=" + std::to_string(addr += 0x1000));
  }
  return argv;
}

[[maybe_unused]] const bool registered = [] {
  struct Row {
    const char* name;
    std::vector<std::string> (*argv)(const BenchObject&);
  };
  const Row rows[] = {
      {"LlvmRtdyld", [](const BenchObject& o) { return rtdyld_verify(JITLOAD_LLVM_RTDYLD, o); }},
      {"JitloadRtdyld", [](const BenchObject& o) { return rtdyld_verify(JITLOAD_RTDYLD_TOOL, o); }},
      {"JitloadLoad", jitload_load},
  };
  for (const Row& row : rows)
    for (const char* name : {"small", "sweep-1024", "large"}) {
      std::string bm = std::string("BM_") + row.name + "_Process/" + name;
      auto make = row.argv;
      benchmark::RegisterBenchmark(bm.c_str(),
                                   [make, name](benchmark::State& state) {
                                     const BenchObject& obj = object(name);
                                     run_process(state, make(obj), obj);
                                   })
          ->UseManualTime()
          ->Unit(benchmark::kMicrosecond);
    }
  return true;
}();

}  // namespace
}  // namespace jitload::bench
