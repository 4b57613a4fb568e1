// The linkage campaign (tools/linkage.h). Each worker, for its share of
// the programs (program k goes to worker k mod jobs):
//   1. generates the program (fuzz/linkage-gen.h) and writes its sources;
//   2. build: each object with clang-19 -c, and its IR with -S -emit-llvm,
//      at the program's flags;
//   3. native: links the objects with clang-19 -no-pie and runs the result
//      — the truth. A valid program that does not link or run, or an
//      invalid one that links, is a generator error (counted, and it fails
//      the run: the generator's promise is broken);
//   4. exec: `jitload exec o0.o o1.o ...` — output and exit status must
//      equal the native ones; an invalid set must be refused (non-zero
//      status, nothing run, "duplicate" and both objects named on stderr);
//   5. run: `jitload run --extra-module o1.ll ... o0.ll` — likewise;
//   6. diff: `jitload diff --link o0.o o1.o ...` — engine and reference
//      must agree on the set (exit 0); with the oracle, where only LLVM's
//      RuntimeDyld differs it is counted ("llvm-only"), never a finding.
// Every command runs as a child process with a time limit, through the
// same `jitload` binary as this one (the user's door). A disagreement is
// saved to OUT/linkage-<seed>/ with the sources, objects, IR, every output
// and a reproduce.sh that rebuilds and reruns each check.
#include "tools/linkage.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/linkage-gen.h"

#ifndef JITLOAD_CLANG
#define JITLOAD_CLANG "clang-19"
#endif

namespace jitload::tools {
namespace {

namespace fs = std::filesystem;
namespace gen = jitload::fuzz::linkage;
using Clock = std::chrono::steady_clock;
using u64 = uint64_t;

// The kinds of work whose speed the final table shows.
enum Target { kBuild, kNative, kExec, kRun, kDiff, kNumTargets };
constexpr const char* kTargetNames[kNumTargets] = {"build", "native", "exec", "run", "diff"};
constexpr const char* kTargetWhat[kNumTargets] = {
    "clang-19 -c and -S -emit-llvm of every object",
    "clang-19 static link + run: the truth",
    "jitload exec of the objects vs native",
    "jitload run of the IR (+ --extra-module) vs native",
    "jitload diff --link: engine vs reference (vs LLVM) on the set",
};

struct PerTarget {
  std::atomic<u64> inputs, ns, agree, disagree;
  double rate() const { return ns.load() ? inputs.load() / (ns.load() / 1e9) : 0; }
};

constexpr int kMaxLlvmOnlySaved = 10;  // per worker

struct Shared {
  std::atomic<u64> next;  // the next program to take (count mode)
  std::atomic<u64> programs, valid, invalid, generator_errors, findings, llvm_only, oracle_failed;
  PerTarget target[kNumTargets];
};

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int run_shell(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  if (rc == -1) return 127;
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128 + (WIFSIGNALED(rc) ? WTERMSIG(rc) : 0);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string self_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "jitload";
  buf[n] = 0;
  return buf;
}

// The commands of one program, as written into its reproduce.sh ($J is
// jitload, $CC clang-19; run from the program's directory).
struct Commands {
  std::string build, native_link, native_run, exec, run, diff;
  // `jitload run` needs main's module first (lli's rule): when the order
  // puts another first, its truth is a native link in run's order.
  std::string native_link_run_order, native_run_run_order;
};

Commands commands_for(const gen::Program& p, bool oracle) {
  Commands c;
  std::string objects, modules, run_objects = " o0.o";
  for (unsigned i = 0; i < p.objects; i++) {
    std::string src = p.file_name(i), stem = "o" + std::to_string(i);
    c.build += "$CC -c " + p.compile_flags(i) + " " + src + " -o " + stem + ".o && ";
    c.build += "$CC -S -emit-llvm " + p.compile_flags(i) + " " + src + " -o " + stem + ".ll && ";
  }
  for (unsigned i : p.order) {
    std::string stem = "o" + std::to_string(i);
    objects += " " + stem + ".o";
    if (i == 0) continue;
    modules += " --extra-module " + stem + ".ll";  // options before the input, as lli takes them
    run_objects += " " + stem + ".o";
  }
  c.build += "true";
  c.native_link = "$CC -no-pie" + objects + " -o native";
  c.native_run = "./native";
  if (p.order[0] != 0) {
    c.native_link_run_order = "$CC -no-pie" + run_objects + " -o native-run-order";
    c.native_run_run_order = "./native-run-order";
  }
  c.exec = "$J exec" + objects;
  c.run = "$J run" + modules + " o0.ll";
  c.diff = "$J diff --link" + objects + (oracle ? "" : " --oracle none");
  return c;
}

struct Worker {
  int id;
  LinkageOptions options;
  Clock::time_point deadline;
  fs::path out, tmp;
  Shared* shared;
  int llvm_only_saved = 0;
  std::string jitload = self_path();
  std::string clang = JITLOAD_CLANG;

  bool time_left() const { return Clock::now() < deadline; }

  template <typename Fn>
  auto timed(Target t, Fn fn) {
    auto start = Clock::now();
    auto r = fn();
    shared->target[t].ns += u64(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
    shared->target[t].inputs++;
    return r;
  }

  // `cmd` in the program's directory with J and CC set, a time limit, and
  // stdout/stderr into <tag>.out/<tag>.err; its exit status.
  int step(const fs::path& dir, const std::string& tag, const std::string& cmd, int seconds = 20) {
    std::string script = "cd " + quote(dir.string()) + " && J=" + quote(jitload) + " CC=" + quote(clang) +
                         " && export J CC && timeout -s KILL " + std::to_string(seconds) + " sh -c " + quote(cmd) +
                         " > " + tag + ".out 2> " + tag + ".err";
    return run_shell(script);
  }

  void save_finding(const fs::path& dir, const gen::Program& p, const Commands& c, std::string what) {
    for (char& ch : what)
      if (ch == '\n') ch = ' ';
    fs::path into = out / ("linkage-" + std::to_string(p.seed));
    std::error_code ec;
    fs::create_directories(into, ec);
    fs::copy(dir, into, fs::copy_options::overwrite_existing | fs::copy_options::recursive, ec);
    std::ofstream(into / "what.txt") << what << "\n";
    std::ofstream r(into / "reproduce.sh");
    r << "#!/bin/sh\n# linkage program, seed " << p.seed << ": " << what << "\n"
      << "# " << (p.valid ? "valid" : "invalid (" + p.defect + ")") << "; roles per object in program.txt\n"
      << "cd \"$(dirname \"$0\")\"\nJ=${JITLOAD:-jitload}\nCC=${CC:-clang-19}\n"
      << c.build << " || exit 2\n";
    if (p.valid) {
      r << c.native_link << " && " << c.native_run << " > native.out; echo \"native: exit $?\"\n"
        << c.exec << " > exec.out; echo \"jitload exec: exit $?\"\n"
        << c.run << " > run.out; echo \"jitload run: exit $?\"\n"
        << "diff native.out exec.out && echo 'exec agrees'\n";
      if (c.native_link_run_order.empty())
        r << "diff native.out run.out && echo 'run agrees'\n";
      else
        r << "# jitload run loads main's module (o0) first: its truth is a native link in that order\n"
          << c.native_link_run_order << " && " << c.native_run_run_order << " > native-run-order.out\n"
          << "diff native-run-order.out run.out && echo 'run agrees'\n";
    } else {
      r << c.native_link << "; echo \"native link: exit $? (must fail)\"\n"
        << c.exec << "; echo \"jitload exec: exit $? (must fail)\"\n"
        << c.run << "; echo \"jitload run: exit $? (must fail)\"\n";
    }
    r << c.diff << "; echo \"jitload diff --link: exit $?\"\n";
    r.close();
    fs::permissions(into / "reproduce.sh", fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read, ec);
    shared->findings++;
    std::ofstream(out / "findings.txt", std::ios::app) << into.filename().string() << ": " << what << "\n";
  }

  // An invalid set must be refused: non-zero status, the program never
  // ran, "duplicate" and both objects' names in the message.
  bool refused(const fs::path& dir, const std::string& tag, int rc, const gen::Program& p, const std::string& ext,
               std::string& why) {
    std::string out_text = slurp(dir / (tag + ".out")), err = slurp(dir / (tag + ".err"));
    if (rc == 0) return why = "accepted (exit 0)", false;
    if (rc >= 124) return why = "died (status " + std::to_string(rc) + "): " + err.substr(0, 200), false;
    if (out_text.find("o0:") != std::string::npos) return why = "ran the program", false;
    if (err.find("duplicate") == std::string::npos)
      return why = "refused without saying 'duplicate': " + err.substr(0, 200), false;
    // The defect names the two objects ("... (o1 and o3)").
    size_t at = p.defect.rfind("(o");
    if (at != std::string::npos) {
      std::string a = p.defect.substr(at + 1, 2), b = p.defect.substr(p.defect.size() - 3, 2);
      if (err.find(a + ext) == std::string::npos || err.find(b + ext) == std::string::npos)
        return why = "the message does not name both " + a + ext + " and " + b + ext + ": " + err.substr(0, 200), false;
    }
    return true;
  }

  void program(u64 k) {
    const u64 seed = gen::program_seed(options.seed, k);
    // Every tenth-or-so program is deliberately invalid (decided by the
    // seed, so a run is reproducible).
    const bool invalid = options.invalid_percent && seed % 100 < options.invalid_percent;
    gen::Program p = gen::generate(seed, invalid, options.threads);
    fs::path dir = tmp / ("p" + std::to_string(seed));
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    for (unsigned i = 0; i < p.objects; i++) std::ofstream(dir / p.file_name(i)) << p.source(i);
    std::ofstream(dir / "program.txt") << "seed " << seed << (p.valid ? "" : ", invalid: " + p.defect) << "\n" << p.describe();
    Commands c = commands_for(p, options.oracle);
    shared->programs++;
    (p.valid ? shared->valid : shared->invalid)++;

    if (timed(kBuild, [&] { return step(dir, "build", c.build, 120); }) != 0) {
      shared->generator_errors++;
      save_finding(dir, p, c, "generator error: the sources do not compile: " + slurp(dir / "build.err").substr(0, 300));
      fs::remove_all(dir, ec);
      return;
    }
    std::vector<std::string> problems;
    std::string native_out, native_run_order_out;
    bool native_ok = timed(kNative, [&] {
      int link = step(dir, "link", c.native_link, 60);
      if (!p.valid) return link != 0;
      if (link != 0) return false;
      int rc = step(dir, "native", c.native_run, 10);
      native_out = slurp(dir / "native.out");
      if (rc != 0) return false;
      native_run_order_out = native_out;
      if (c.native_link_run_order.empty()) return true;
      if (step(dir, "link-run-order", c.native_link_run_order, 60) != 0) return false;
      rc = step(dir, "native-run-order", c.native_run_run_order, 10);
      native_run_order_out = slurp(dir / "native-run-order.out");
      return rc == 0;
    });
    if (!native_ok) {
      shared->generator_errors++;
      save_finding(dir, p, c,
                   p.valid ? "generator error: a valid program failed to link or run natively: " +
                                 slurp(dir / "link.err").substr(0, 300) + slurp(dir / "native.err").substr(0, 300)
                           : "generator error: the native link accepted an invalid set (" + p.defect + ")");
      fs::remove_all(dir, ec);
      return;
    }

    // exec and run: the same output as the native program, or the same refusal.
    struct Check {
      Target target;
      const char* tag;
      const std::string* cmd;
      const char* ext;
    } checks[] = {{kExec, "exec", &c.exec, ".o"}, {kRun, "run", &c.run, ".ll"}};
    for (const Check& ch : checks) {
      int rc = timed(ch.target, [&] { return step(dir, ch.tag, *ch.cmd, 20); });
      std::string why;
      bool ok;
      if (p.valid) {
        std::string got = slurp(dir / (std::string(ch.tag) + ".out"));
        ok = rc == 0 && got == (ch.target == kRun ? native_run_order_out : native_out);
        if (!ok)
          why = rc != 0 ? "exit " + std::to_string(rc) + ": " + slurp(dir / (std::string(ch.tag) + ".err")).substr(0, 300)
                        : "output differs from the native program's";
      } else {
        ok = refused(dir, ch.tag, rc, p, ch.ext, why);
      }
      (ok ? shared->target[ch.target].agree : shared->target[ch.target].disagree)++;
      if (!ok) problems.push_back(std::string("jitload ") + ch.tag + ": " + why);
    }

    // diff --link: engine vs reference on the set.
    int rc = timed(kDiff, [&] { return step(dir, "diff", c.diff + " --json", 60); });
    std::string diff_out = slurp(dir / "diff.out");
    bool diff_ok = rc == 0;
    // (An invalid set: engine and reference must both reject it; LLVM's
    // RuntimeDyld accepts two strong definitions, which is LLVM's affair.)
    if (!p.valid && diff_ok &&
        (diff_out.find("\"engine\": \"rejected") == std::string::npos ||
         diff_out.find("\"reference\": \"rejected") == std::string::npos)) {
      diff_ok = false;
      rc = -1;
    }
    (diff_ok ? shared->target[kDiff].agree : shared->target[kDiff].disagree)++;
    if (!diff_ok)
      problems.push_back("jitload diff --link: " +
                         std::string(rc == 1 ? "engine and reference disagree"
                                     : rc == -1 ? "the invalid set was not rejected by both loaders"
                                                : "exit " + std::to_string(rc) + ": " + slurp(dir / "diff.err").substr(0, 300)));
    if (diff_out.find("\"llvm_only_disagreements\": 0") == std::string::npos &&
        diff_out.find("\"llvm_only_disagreements\"") != std::string::npos) {
      // Where only LLVM differs: counted, the first few kept for reading
      // (OUT/llvm-only/linkage-SEED: sources, objects, diff.out), never a finding.
      shared->llvm_only++;
      if (llvm_only_saved++ < kMaxLlvmOnlySaved) {
        fs::path into = out / "llvm-only" / ("linkage-" + std::to_string(p.seed));
        fs::create_directories(into, ec);
        fs::copy(dir, into, fs::copy_options::overwrite_existing | fs::copy_options::recursive, ec);
      }
    }
    if (diff_out.find("\"oracle_crashed\": 0") == std::string::npos && diff_out.find("\"oracle_crashed\"") != std::string::npos)
      shared->oracle_failed++;

    if (!problems.empty()) {
      std::string what;
      for (const std::string& s : problems) what += (what.empty() ? "" : "; ") + s;
      save_finding(dir, p, c, what);
    }
    if (options.keep) {
      fs::path into = out / "programs" / ("linkage-" + std::to_string(p.seed));
      fs::create_directories(into, ec);
      fs::copy(dir, into, fs::copy_options::overwrite_existing | fs::copy_options::recursive, ec);
    }
    fs::remove_all(dir, ec);
  }

  void run() {
    for (;;) {
      if (!time_left()) return;
      u64 k = shared->next++;
      if (options.count && k >= options.count) return;
      program(k);
    }
  }
};

}  // namespace

int run_linkage_campaign(const LinkageOptions& options) {
  std::error_code ec;
  fs::create_directories(options.out, ec);
  if (ec)
    return std::fprintf(stderr, "jitload campaign: cannot create %s: %s\n", options.out.c_str(), ec.message().c_str()), 2;
  if (run_shell(std::string(JITLOAD_CLANG) + " --version > /dev/null 2>&1") != 0)
    return std::fprintf(stderr, "jitload campaign: %s not found (the native link is the truth)\n", JITLOAD_CLANG), 2;
  void* mem = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return std::perror("jitload campaign: mmap"), 2;
  Shared* shared = new (mem) Shared();
  auto start = Clock::now();
  auto deadline = start + std::chrono::seconds(options.seconds);
  std::printf("jitload campaign --linkage: seed %llu, %s, %d job(s), findings in %s%s%s\n",
              (unsigned long long)options.seed,
              options.count ? (std::to_string(options.count) + " programs (at most " + std::to_string(options.seconds) + " s)").c_str()
                            : (std::to_string(options.seconds) + " s").c_str(),
              options.jobs, options.out.c_str(), options.oracle ? ", LLVM oracle on" : "",
              options.threads ? ", thread-locals read in a new thread too" : "");
  std::fflush(stdout);
  std::vector<pid_t> workers;
  for (int w = 0; w < options.jobs; w++) {
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, 0);  // its own group: the parent can end it and its children
      fs::path tmp = fs::temp_directory_path() / ("jitload-linkage-" + std::to_string(getpid()));
      fs::create_directories(tmp, ec);
      Worker worker{w, options, deadline, fs::absolute(options.out), tmp, shared};
      worker.run();
      fs::remove_all(tmp, ec);
      _exit(0);
    }
    if (pid > 0) workers.push_back(pid);
  }
  size_t alive = workers.size();
  bool killed = false;
  bool tty = isatty(1);
  while (alive) {
    usleep(250000);
    for (pid_t& p : workers)
      if (p > 0 && waitpid(p, nullptr, WNOHANG) == p) p = 0, alive--;
    if (tty) {
      double t = std::chrono::duration<double>(Clock::now() - start).count();
      std::printf("\r[%5.1fs] programs %llu  exec %llu/%llu  run %llu/%llu  diff %llu/%llu  findings %llu   ", t,
                  (unsigned long long)shared->programs.load(), (unsigned long long)shared->target[kExec].agree.load(),
                  (unsigned long long)shared->target[kExec].inputs.load(), (unsigned long long)shared->target[kRun].agree.load(),
                  (unsigned long long)shared->target[kRun].inputs.load(), (unsigned long long)shared->target[kDiff].agree.load(),
                  (unsigned long long)shared->target[kDiff].inputs.load(), (unsigned long long)shared->findings.load());
      std::fflush(stdout);
    }
    if (!killed && Clock::now() > deadline + std::chrono::seconds(30)) {
      for (pid_t p : workers)
        if (p > 0) kill(-p, SIGKILL);
      killed = true;
    }
  }
  double t = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%s\n%-8s %9s %9s %9s %9s %9s  %s\n", tty ? "\n" : "", "target", "inputs", "agree", "disagree", "busy s",
              "exec/s", "what");
  for (int k = 0; k < kNumTargets; k++) {
    PerTarget& pt = shared->target[k];
    bool compared = k >= kExec;
    std::printf("%-8s %9llu %9s %9s %9.1f %9.2f  %s\n", kTargetNames[k], (unsigned long long)pt.inputs.load(),
                compared ? std::to_string(pt.agree.load()).c_str() : "-",
                compared ? std::to_string(pt.disagree.load()).c_str() : "-", pt.ns.load() / 1e9, pt.rate(), kTargetWhat[k]);
  }
  std::printf("\n%llu programs (%llu valid, %llu deliberately invalid) in %.1f s (%.2f programs/s); "
              "%llu with LLVM-only disagreements, %llu oracle crashes; %llu generator errors; %llu findings%s\n",
              (unsigned long long)shared->programs.load(), (unsigned long long)shared->valid.load(),
              (unsigned long long)shared->invalid.load(), t, shared->programs.load() / t,
              (unsigned long long)shared->llvm_only.load(), (unsigned long long)shared->oracle_failed.load(),
              (unsigned long long)shared->generator_errors.load(), (unsigned long long)shared->findings.load(),
              shared->findings.load() ? (" — see " + options.out + "/findings.txt").c_str() : "");
  if (killed) std::printf("(workers overran the time limit and were stopped)\n");
  bool incomplete = options.count && shared->programs.load() < options.count;
  if (incomplete)
    std::printf("only %llu of %llu programs ran within %d s\n", (unsigned long long)shared->programs.load(),
                (unsigned long long)options.count, options.seconds);
  return shared->findings.load() || incomplete ? 1 : 0;
}

}  // namespace jitload::tools
