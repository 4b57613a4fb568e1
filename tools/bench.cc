// jitload bench [--json FILE] [--plot FILE.svg] [--filter REGEX | --processes]
//               [--min-time SECONDS] [--repetitions N] [-- JITLOAD-BENCH-ARGS...]
//
// Runs the benchmark suite (the jitload-bench binary built beside this one:
// engine, LLVM RuntimeDyld, LLVM JITLink and the memcpy floor over the
// generated objects), keeps Google Benchmark's JSON in FILE, then prints the
// tables of bench/report.py — time per load, ratios between loaders, phases,
// peak memory, the size sweep, whole processes — and with --plot draws the
// chart with gnuplot. Every architecture and format the loader has is in the
// suite in remote mode (BM_*_Arch/<arch>: x86_64, aarch64, aarch64_be,
// riscv64, riscv32, loongarch64, macho-x86_64, macho-arm64, macho-i386, macho-arm,
// macho-thumb; --filter _Arch/ runs just
// those), with its table and chart panel of ratios against RuntimeDyld and
// JITLink. --processes runs only the whole-process comparisons:
// jitload-rtdyld -verify and jitload load against llvm-rtdyld-19 -verify,
// a fresh process per run, from exec to exit (bench/process-bm.cc).
//
// The benchmark binary is found beside this executable (or at $JITLOAD_BENCH);
// the report script in the source tree (or under $JITLOAD_SOURCE_DIR).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "tools/commands.h"
#include "tools/common.h"

extern char** environ;

namespace jitload::tools {
namespace {

int usage() {
  std::fprintf(stderr,
               "usage: jitload bench [--json FILE] [--plot FILE.svg] [--filter REGEX | --processes]\n"
               "                     [--min-time SECONDS] [--repetitions N] [-- JITLOAD-BENCH-ARGS...]\n"
               "  --json FILE        keep Google Benchmark's JSON output in FILE\n"
               "  --plot FILE.svg    draw throughput per loader and cost against size (gnuplot)\n"
               "  --filter REGEX     run only matching benchmarks (e.g. 'Total/large'; '_Arch/': every\n"
               "                     architecture in remote mode)\n"
               "  --processes        only whole processes: jitload's commands against llvm-rtdyld-19\n"
               "  --min-time SECONDS minimum time per benchmark (default: Google Benchmark's)\n"
               "  --repetitions N    repeat, interleaved; the report uses medians\n");
  return 2;
}

// Runs argv to completion; its exit status, or -1 when it could not start.
int run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  if (int err = posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ)) {
    std::fprintf(stderr, "jitload bench: cannot run %s: %s\n", argv[0], std::strerror(err));
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  std::fprintf(stderr, "jitload bench: %s was killed by signal %d\n", argv[0],
               WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return -1;
}

std::string self_dir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path(buf, size_t(n));
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

int cmd_bench(int argc, char** argv) {
  std::string json, svg, filter, min_time, repetitions;
  bool processes = false;
  std::vector<std::string> extra;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    }
    if (a == "--") {
      for (++i; i < argc; ++i) extra.push_back(argv[i]);
      break;
    }
    if (a == "--processes") processes = true;
    else if (auto v = option_value(argc, argv, i, "--json")) json = *v;
    else if (auto v = option_value(argc, argv, i, "--plot")) svg = *v;
    else if (auto v = option_value(argc, argv, i, "--filter")) filter = *v;
    else if (auto v = option_value(argc, argv, i, "--min-time")) min_time = *v;
    else if (auto v = option_value(argc, argv, i, "--repetitions")) repetitions = *v;
    else {
      std::fprintf(stderr, "jitload bench: unknown option '%s'\n", argv[i]);
      return usage();
    }
  }
  if (processes) {
    if (!filter.empty()) {
      std::fprintf(stderr, "jitload bench: --processes and --filter are exclusive (--processes is --filter _Process/)\n");
      return 2;
    }
    filter = "_Process/";
  }
  if (!repetitions.empty() && !parse_u64(repetitions)) {
    std::fprintf(stderr, "jitload bench: --repetitions wants a number, got '%s'\n", repetitions.c_str());
    return 2;
  }

  const char* bench_env = std::getenv("JITLOAD_BENCH");
  std::string bench = bench_env && *bench_env ? bench_env : self_dir() + "/jitload-bench";
  if (access(bench.c_str(), X_OK) != 0) {
    std::fprintf(stderr,
                 "jitload bench: %s not found or not executable; build the jitload-bench target "
                 "(or set JITLOAD_BENCH)\n",
                 bench.c_str());
    return 1;
  }
  const char* src_env = std::getenv("JITLOAD_SOURCE_DIR");
  std::string script = std::string(src_env && *src_env ? src_env : JITLOAD_SOURCE_DIR) + "/bench/report.py";
  if (access(script.c_str(), R_OK) != 0) {
    std::fprintf(stderr, "jitload bench: %s not found (set JITLOAD_SOURCE_DIR)\n", script.c_str());
    return 1;
  }

  bool temporary = json.empty();
  if (temporary) {
    char name[] = "/tmp/jitload-bench-XXXXXX.json";
    int fd = mkstemps(name, 5);
    if (fd < 0) {
      std::fprintf(stderr, "jitload bench: cannot create a temporary file: %s\n", std::strerror(errno));
      return 1;
    }
    close(fd);
    json = name;
  }

  std::vector<std::string> args = {bench, "--benchmark_out=" + json, "--benchmark_out_format=json"};
  if (!filter.empty()) args.push_back("--benchmark_filter=" + filter);
  if (!min_time.empty()) args.push_back("--benchmark_min_time=" + min_time);
  if (!repetitions.empty()) {
    args.push_back("--benchmark_repetitions=" + repetitions);
    args.push_back("--benchmark_enable_random_interleaving=true");
  }
  args.insert(args.end(), extra.begin(), extra.end());
  int bench_status = run(args);  // non-zero when a benchmark failed; report anyway

  std::vector<std::string> report = {"python3", script, json};
  if (!svg.empty()) report.insert(report.end(), {"--plot", svg});
  std::fprintf(stdout, "\n");
  std::fflush(stdout);
  int report_status = run(report);
  if (!temporary) std::fprintf(stdout, "json: %s\n", json.c_str());
  else std::remove(json.c_str());
  return bench_status == 0 && report_status == 0 ? 0 : 1;
}

}  // namespace jitload::tools
