// jitload campaign [--seconds N] [--jobs N] [--out DIR]
//
// The bug-finding loop. Each worker, until the deadline:
//   1. generates a Csmith program and builds it natively (clang-19 -O1);
//      runs it (2 s limit) for its "checksum = ..." line;
//   2. compiles it to an object under several optimization levels and code
//      models; loads each under the fuzz harness's fixed scenario (checks
//      every simple relocation field against the psABI formula);
//   3. executes each object on the host in a child process (jitload exec
//      semantics: SectionMemoryManager, finalize, .init_array, main) and
//      compares its checksum with the native one;
//   4. mutates the object (bytes and structure) and loads every mutant in a
//      child process — a crash or broken invariant is a finding.
// Findings go to DIR/finding-W-N/ with the inputs and a reproduce.sh.
// Workers are processes; counters live in shared memory so the parent can
// print a live progress line. Every step is time-bounded, and the parent
// kills workers that overrun the deadline, so the campaign ends on time.
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"
#include "fuzz/harness.h"
#include "tools/commands.h"
#include "tools/common.h"

namespace jitload::tools {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Config {
  const char* name;
  const char* flags;
};
constexpr Config kConfigs[] = {
    {"O0", "-O0"},
    {"O1", "-O1"},
    {"O2-pic", "-O2 -fPIC"},
    {"O3", "-O3"},
    {"O2-large", "-O2 -mcmodel=large"},
    {"Os-medium", "-Os -mcmodel=medium"},
};
constexpr int kNumConfigs = int(std::size(kConfigs));
constexpr int kMutantsPerObject = 300;

struct PerConfig {
  std::atomic<u64> objects, loaded, executed, agreed, mismatches, crashes;
};
struct Shared {
  std::atomic<u64> programs, skipped, inputs, mutants, findings;
  PerConfig config[kNumConfigs];
};

int run_shell(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128 + (WIFSIGNALED(rc) ? WTERMSIG(rc) : 0);
}

std::string checksum_line(const std::string& path) {
  std::ifstream in(path);
  std::string line, found;
  while (std::getline(in, line))
    if (line.rfind("checksum = ", 0) == 0) found = line;
  return found;
}

// Runs fn in a child with a time limit; returns its wait status, or -1 on
// timeout (the child is killed).
template <typename Fn>
int in_child(int seconds, Fn fn) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) return -2;
  if (pid == 0) {
    alarm(seconds);
    _exit(fn());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) return -1;
  return status;
}

// jitload exec, in this (child) process: load, finalize, init, main.
int exec_object(const std::string& obj, const std::string& out) {
  int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 120;
  dup2(fd, 1);
  close(fd);
  auto bytes = read_file(obj);
  if (!bytes) return 121;
  SectionMemoryManager memory;
  RuntimeDyld dyld(memory);
  auto info = dyld.load_object(*bytes, obj);
  if (!info) return std::fprintf(stderr, "campaign: %s\n", info.error().message().c_str()), 122;
  if (Error err = dyld.finalize()) return std::fprintf(stderr, "campaign: %s\n", err.message().c_str()), 123;
  auto sym = dyld.get_symbol("main");
  if (!sym) return 124;
  for (const LoadedSection& s : dyld.sections())
    if (s.name.starts_with(".init_array") && s.local)
      for (u64 k = 0; k < s.size / 8; k++)
        if (auto f = reinterpret_cast<void (**)()>(s.local)[k]) f();
  int rc = reinterpret_cast<int (*)(int, char**)>(sym->address)(0, nullptr);
  std::fflush(stdout);
  return rc & 0x7f;
}

void mutate(std::vector<u8>& b, std::mt19937_64& rng) {
  if (b.size() < 64) return;
  unsigned n = 1 + rng() % 4;
  for (unsigned i = 0; i < n; i++) {
    size_t at = 64 + rng() % (b.size() - 64);  // keep the ELF header mostly intact
    switch (rng() % 4) {
      case 0: b[at] ^= u8(1u << (rng() % 8)); break;
      case 1: b[at] = u8(rng()); break;
      case 2: b[at] = rng() % 2 ? 0 : 0xff; break;
      case 3: b[at] += u8(rng() % 9) - 4; break;
    }
  }
}

struct Worker {
  int id;
  Clock::time_point deadline;
  fs::path out, tmp;
  Shared* shared;
  int finding_no = 0;

  bool time_left(int seconds = 0) const { return Clock::now() + std::chrono::seconds(seconds) < deadline; }

  fs::path new_finding(const std::string& what) {
    fs::path dir = out / ("finding-" + std::to_string(id) + "-" + std::to_string(finding_no++));
    fs::create_directories(dir);
    std::ofstream(dir / "what.txt") << what << "\n";
    shared->findings++;
    std::ofstream(out / "findings.txt", std::ios::app) << dir.filename().string() << ": " << what << "\n";
    return dir;
  }

  void program(u64 seed) {
    fs::path c = tmp / "p.c", native = tmp / "p.native", expected = tmp / "expected.txt";
    std::string q = "'" + tmp.string() + "'";
    if (run_shell("timeout 10 csmith --seed " + std::to_string(seed) + " --max-funcs 4 -o " + q + "/p.c >/dev/null 2>&1") ||
        run_shell("timeout 30 clang-19 -w -O1 -I/usr/include/csmith " + q + "/p.c -o " + q + "/p.native 2>/dev/null") ||
        run_shell("timeout 2 " + q + "/p.native > " + q + "/expected.txt 2>/dev/null")) {
      shared->skipped++;
      return;
    }
    std::string want = checksum_line(expected.string());
    if (want.empty()) return void(shared->skipped++);
    shared->programs++;
    for (int k = 0; k < kNumConfigs && time_left(); k++) {
      PerConfig& pc = shared->config[k];
      fs::path obj = tmp / (std::string("p-") + kConfigs[k].name + ".o");
      if (run_shell("timeout 30 clang-19 -w -c -I/usr/include/csmith " + std::string(kConfigs[k].flags) + " " + q +
                    "/p.c -o '" + obj.string() + "' 2>/dev/null"))
        continue;
      pc.objects++;
      shared->inputs++;
      auto bytes = read_file(obj.string());
      if (!bytes) continue;
      std::string repro_build = "csmith --seed " + std::to_string(seed) + " --max-funcs 4 -o p.c && clang-19 -w -c -I/usr/include/csmith " +
                                kConfigs[k].flags + " p.c -o p.o";
      // Load under the fixed scenario, in a child: a crash must not end the campaign.
      fs::path verdict = tmp / "verdict.txt";
      int st = in_child(10, [&] {
        fuzz::Verdict v = fuzz::check_object(bytes->data(), bytes->size());
        std::ofstream(verdict) << (v.loaded ? "loaded" : "rejected: " + v.error) << "\n" << v.finding << "\n";
        return v.finding.empty() ? 0 : 1;
      });
      if (st != 0) {
        fs::path dir = new_finding(std::string("load (fixed scenario) of a Csmith object at ") + kConfigs[k].name + ": " +
                                   (st == -1 ? "timeout" : WIFSIGNALED(st) ? "crash" : "invariant broken"));
        fs::copy_file(obj, dir / "p.o");
        fs::copy_file(verdict, dir / "verdict.txt", fs::copy_options::overwrite_existing);
        std::ofstream(dir / "reproduce.sh") << "#!/bin/sh\n# " << repro_build << "\njitload load \"$(dirname \"$0\")/p.o\"\n";
        pc.crashes++;
      } else {
        pc.loaded++;
      }
      // Execute on the host and compare with the native run.
      fs::path got = tmp / "got.txt";
      st = in_child(3, [&] { return exec_object(obj.string(), got.string()); });
      pc.executed++;
      std::string have = st >= 0 && WIFEXITED(st) ? checksum_line(got.string()) : "";
      if (have == want) {
        pc.agreed++;
      } else {
        fs::path dir = new_finding(std::string("execution of a Csmith object at ") + kConfigs[k].name + ": expected '" + want +
                                   "', got '" + have + "'" + (st == -1 ? " (timeout)" : ""));
        fs::copy_file(obj, dir / "p.o");
        fs::copy_file(c, dir / "p.c");
        std::ofstream(dir / "reproduce.sh") << "#!/bin/sh\n# expected: " << want << "\n# rebuild: " << repro_build
                                            << "\njitload exec \"$(dirname \"$0\")/p.o\" | grep checksum\n";
        pc.mismatches++;
      }
      mutants(*bytes, seed * 131 + k, kConfigs[k].name);
    }
  }

  // Mutants of one object, checked in one child; the child reports the
  // index it is about to try, so the parent can rebuild the culprit.
  void mutants(const std::vector<u8>& original, u64 seed, const char* config) {
    if (!time_left(1)) return;
    int fds[2];
    if (pipe(fds)) return;
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      alarm(10);
      std::mt19937_64 rng(seed);
      for (u32 i = 0; i < kMutantsPerObject; i++) {
        std::vector<u8> b = original;
        mutate(b, rng);
        if (write(fds[1], &i, sizeof i) != sizeof i) _exit(3);
        fuzz::Verdict v = fuzz::check_object(b.data(), b.size());
        if (!v.finding.empty()) {
          std::fprintf(stderr, "campaign: mutant %u: %s\n", i, v.finding.c_str());
          _exit(1);
        }
      }
      _exit(0);
    }
    close(fds[1]);
    u32 last = 0, i;
    u64 n = 0;
    while (read(fds[0], &i, sizeof i) == sizeof i) last = i, n++;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    shared->mutants += n;
    shared->inputs += n;
    if (pid > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      std::mt19937_64 rng(seed);
      std::vector<u8> b;
      for (u32 k = 0; k <= last; k++) b = original, mutate(b, rng);
      fs::path dir = new_finding(std::string("mutant ") + std::to_string(last) + " of a " + config + " object: " +
                                 (WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status)) : "invariant broken"));
      std::ofstream(dir / "mutant.o", std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
      std::ofstream(dir / "reproduce.sh") << "#!/bin/sh\n# replays the mutant through the object-bytes harness\n"
                                          << "fuzz-replay-object-bytes \"$(dirname \"$0\")/mutant.o\"\n";
    }
  }

  void run(u64 first_seed) {
    for (u64 seed = first_seed; time_left(2); seed += 1000) program(seed);
  }
};

}  // namespace

int cmd_campaign(int argc, char** argv) {
  int seconds = 60, jobs = 1;
  std::string out = "campaign-out";
  for (int i = 1; i < argc; i++) {
    std::string_view a = argv[i];
    if (auto v = option_value(argc, argv, i, "--seconds")) {
      seconds = std::atoi(v->c_str());
    } else if (auto v = option_value(argc, argv, i, "--jobs")) {
      jobs = std::atoi(v->c_str());
    } else if (auto v = option_value(argc, argv, i, "--out")) {
      out = *v;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: jitload campaign [--seconds N (60)] [--jobs N (1)] [--out DIR (campaign-out)]\n");
      return 0;
    } else {
      std::fprintf(stderr, "jitload campaign: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (seconds <= 0 || jobs <= 0 || jobs > 64) {
    std::fprintf(stderr, "jitload campaign: --seconds and --jobs must be positive (jobs <= 64)\n");
    return 2;
  }
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return std::fprintf(stderr, "jitload campaign: cannot create %s: %s\n", out.c_str(), ec.message().c_str()), 1;
  void* mem = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return std::perror("jitload campaign: mmap"), 1;
  Shared* shared = new (mem) Shared();
  auto start = Clock::now();
  auto deadline = start + std::chrono::seconds(seconds);
  u64 base_seed = u64(std::chrono::system_clock::now().time_since_epoch().count()) % 1000000007;
  std::vector<pid_t> workers;
  for (int w = 0; w < jobs; w++) {
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, 0);  // its own group: the parent can end it and its compilers
      fs::path tmp = fs::temp_directory_path() / ("jitload-campaign-" + std::to_string(getpid()));
      fs::create_directories(tmp);
      Worker worker{w, deadline, fs::absolute(out), tmp, shared};
      worker.run(base_seed + w);
      fs::remove_all(tmp, ec);
      _exit(0);
    }
    if (pid > 0) workers.push_back(pid);
  }
  std::printf("jitload campaign: %d s, %d job(s), findings in %s (Csmith seeds from %llu)\n", seconds, jobs, out.c_str(),
              (unsigned long long)base_seed);
  size_t alive = workers.size();
  bool killed = false;
  while (alive) {
    usleep(250000);
    for (pid_t& p : workers)
      if (p > 0 && waitpid(p, nullptr, WNOHANG) == p) p = 0, alive--;
    double t = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("\r[%5.1fs] programs %llu  inputs %llu (%.0f/s)  mutants %llu  findings %llu   ", t,
                (unsigned long long)shared->programs.load(), (unsigned long long)shared->inputs.load(),
                shared->inputs.load() / (t > 0 ? t : 1), (unsigned long long)shared->mutants.load(),
                (unsigned long long)shared->findings.load());
    std::fflush(stdout);
    if (!killed && Clock::now() > deadline + std::chrono::seconds(3)) {
      for (pid_t p : workers)
        if (p > 0) kill(-p, SIGKILL);
      killed = true;
    }
  }
  double t = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("\n\n%-10s %8s %8s %8s %8s %10s %8s\n", "config", "objects", "loaded", "executed", "agreed", "mismatches",
              "crashes");
  for (int k = 0; k < kNumConfigs; k++) {
    PerConfig& pc = shared->config[k];
    std::printf("%-10s %8llu %8llu %8llu %8llu %10llu %8llu\n", kConfigs[k].name, (unsigned long long)pc.objects.load(),
                (unsigned long long)pc.loaded.load(), (unsigned long long)pc.executed.load(),
                (unsigned long long)pc.agreed.load(), (unsigned long long)pc.mismatches.load(),
                (unsigned long long)pc.crashes.load());
  }
  std::printf("\n%llu programs (%llu skipped: csmith/native failures or timeouts), %llu inputs in %.1f s (%.0f/s), "
              "%llu mutants, %llu findings%s\n",
              (unsigned long long)shared->programs.load(), (unsigned long long)shared->skipped.load(),
              (unsigned long long)shared->inputs.load(), t, shared->inputs.load() / t,
              (unsigned long long)shared->mutants.load(), (unsigned long long)shared->findings.load(),
              shared->findings.load() ? (" — see " + out + "/findings.txt").c_str() : "");
  return shared->findings.load() ? 1 : 0;
}

}  // namespace jitload::tools
