// jitload campaign [--seconds N] [--jobs N] [--out DIR] [--oracle]
//
// The bug-finding loop. Each worker, until the deadline:
//   1. generates a Csmith program and builds it natively (clang-19 -O1);
//      runs it (2 s limit) for its "checksum = ..." line;
//   2. compiles it to an object under several optimization levels and code
//      models; loads each under the fuzz harness's fixed scenario (checks
//      every simple relocation field against the psABI formula), and runs
//      the differential (engine vs reference, fuzz::compare_loaders);
//   3. with --oracle, loads each object with LLVM's RuntimeDyld too
//      (conformance/oracle, its own child process) — where engine and
//      reference agree but LLVM differs, that is counted ("llvm-only") and
//      kept in DIR/llvm-only/, never a finding: LLVM is a third opinion;
//   4. executes each object on the host in a child process (jitload exec
//      semantics: SectionMemoryManager, finalize, .init_array, main) and
//      compares its checksum with the native one;
//   5. mutates the object's bytes and runs the engine checks and the
//      differential on every mutant (one engine load each:
//      fuzz::check_and_compare) in the worker's persistent mutant server,
//      watched for hangs — a crash, hang, broken invariant or
//      engine/reference disagreement is a finding.
// Findings go to DIR/finding-W-N/ with the inputs and a reproduce.sh; an
// object finding is also reduced (fuzz/reduce.h, at most 10 s) to
// reduced.o beside it. Each kind of work ("target") keeps its inputs, the
// wall time spent on them and the CPU time they took: exec/s in the
// progress line, exec/s and per core in the final table.
// Workers are processes; counters live in shared memory so the parent can
// print a live progress line. Every step is time-bounded, and the parent
// kills workers that overrun the deadline, so the campaign ends on time.
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "conformance/oracle/oracle.h"
#include "conformance/report/compare.h"
#include "conformance/report/loaders.h"
#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"
#include "fuzz/harness.h"
#include "fuzz/mutate.h"
#include "fuzz/reduce.h"
#include "tools/commands.h"
#include "tools/common.h"
#include "tools/linkage.h"

namespace jitload::tools {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Config {
  const char* name;
  const char* flags;
};
// x86-64: both PIC forms, and the medium and large code models (-mcmodel
// needs no -fno-pic there).
constexpr Config kX86_64Configs[] = {
    {"O0", "-O0"},
    {"O1", "-O1"},
    {"O2-pic", "-O2 -fPIC"},
    {"O3", "-O3"},
    {"O2-large", "-O2 -mcmodel=large"},
    {"Os-medium", "-Os -mcmodel=medium"},
};
// AArch64 (either byte order): no medium model; large needs -fno-pic
// (clang-19 refuses it with PIC, and Debian's clang defaults to PIE); tiny
// is ADR-reach code.
constexpr Config kAArch64Configs[] = {
    {"O0", "-O0"},
    {"O1", "-O1"},
    {"O2-pic", "-O2 -fPIC"},
    {"O3", "-O3"},
    {"O2-large", "-O2 -fno-pic -mcmodel=large"},
    {"Os-tiny", "-Os -mcmodel=tiny"},
};
// RISC-V (RV64 and RV32): medlow (the default) and medany, PIC, and
// linker relaxation's two settings (-mrelax, the default, leaves RELAX,
// ALIGN and label-difference runs; -mno-relax leaves none).
constexpr Config kRiscVConfigs[] = {
    {"O0", "-O0"},
    {"O1", "-O1"},
    {"O2-pic", "-O2 -fPIC"},
    {"O3", "-O3"},
    {"O2-norelax", "-O2 -mno-relax"},
    {"Os-medany", "-Os -mcmodel=medany"},
    {"O1-anypic", "-O1 -mcmodel=medany -fPIC -mno-relax"},
};
// LoongArch64: the three code models, PIC, and linker relaxation (clang-19
// takes it as a target feature, not -mrelax: +relax leaves ALIGN and
// label-difference pairs, B16/B21 to local labels).
constexpr Config kLoongArchConfigs[] = {
    {"O0", "-O0"},
    {"O1", "-O1"},
    {"O2-pic", "-O2 -fPIC"},
    {"O3", "-O3"},
    {"O2-relax", "-O2 -Xclang -target-feature -Xclang +relax"},
    {"Os-medium", "-Os -mcmodel=medium"},
    {"O1-extreme", "-O1 -mcmodel=extreme"},
    {"O2-extreme-pic", "-O2 -mcmodel=extreme -fPIC -Xclang -target-feature -Xclang +relax"},
};
// Mach-O (x86_64- and arm64-apple-macosx): always PIC on Darwin; the
// optimization levels and unwind tables on and off (__compact_unwind,
// __eh_frame).
constexpr Config kMachOX86_64Configs[] = {
    {"O0", "-O0"},
    {"O1", "-O1"},
    {"O2", "-O2"},
    {"O3", "-O3"},
    {"Os", "-Os"},
    {"O2-nounwind", "-O2 -fno-asynchronous-unwind-tables"},
};
// Mach-O i386: the same, and -mdynamic-no-pic (absolute VANILLA fields
// and TLV instead of the pic-base forms: SECTDIFF pairs, pc-relative TLV).
constexpr Config kMachOI386Configs[] = {
    {"O0", "-O0"},
    {"O1", "-O1"},
    {"O2", "-O2"},
    {"O3", "-O3"},
    {"Os", "-Os"},
    {"O2-nounwind", "-O2 -fno-asynchronous-unwind-tables"},
    {"O1-nopic", "-O1 -mdynamic-no-pic"},
};
// Mach-O ARM (armv7 iOS: Thumb-2 by default): the levels in Thumb, ARM
// mode (BR24, ARM movw/movt), and -mdynamic-no-pic (HALF pairs of absolute
// addresses instead of HALF_SECTDIFF).
constexpr Config kMachOArmConfigs[] = {
    {"O0", "-O0"},
    {"O1", "-O1"},
    {"O2", "-O2"},
    {"Os", "-Os"},
    {"O2-arm", "-O2 -marm"},
    {"O0-arm", "-O0 -marm"},
    {"O1-nopic", "-O1 -mdynamic-no-pic"},
    {"O2-arm-nopic", "-O2 -marm -mdynamic-no-pic"},
};
constexpr int kMaxConfigs = 8;

// What the campaign needs to know of a target (--target TRIPLE): how its
// objects and its native program are built and where each runs. One line
// per target; a new architecture is its configs and a line here.
struct CampaignTarget {
  const char* triple;        // --target; the first line is the host's
  const char* clang_target;  // clang-19's target flag ("" for the host)
  unsigned pointer_bytes;    // .init_array entries, when run in this process
  const Config* configs;
  int num_configs;
  // The objects compile against the target's C library headers (hosted
  // Csmith) or, without one, freestanding with CSMITH_MINIMAL and the
  // csmith shim headers (custom_stdint_x86.h, custom_limits.h).
  bool hosted;
  // Links and runs the native program: "" for the host; the qemu-user
  // command (with its -L) for another machine; nullptr when the target has
  // no C library to link against (no checksum: loaders and differential only).
  const char* native_runner;
  const char* native_link;   // extra link flags for the native program
  const char* alias = nullptr;  // another --target spelling ("macho-x86_64")
  // The native program's clang target flag when it is not the objects'
  // (nullptr: clang_target): Mach-O objects run on this Linux host and
  // are compared with the same program built for Linux.
  const char* native_target = nullptr;
  // Objects run through `jitload exec` in a child process (its entry point
  // and initializer rules for the object's format: `_main`,
  // __mod_init_func) rather than by this process's ELF-only exec_object.
  bool exec_command = false;
};
constexpr CampaignTarget kTargets[] = {
    {"x86_64-linux-gnu", "", 8, kX86_64Configs, int(std::size(kX86_64Configs)), true, "", ""},
    {"aarch64-linux-gnu", "--target=aarch64-linux-gnu", 8, kAArch64Configs, int(std::size(kAArch64Configs)), true,
     "qemu-aarch64-static -L /usr/aarch64-linux-gnu", "-fuse-ld=lld"},
    // Debian packages no big-endian AArch64 C library: objects only.
    {"aarch64_be-linux-gnu", "--target=aarch64_be-linux-gnu", 8, kAArch64Configs, int(std::size(kAArch64Configs)),
     false, nullptr, nullptr},
    // RISC-V: RV64 executed under qemu-riscv64-static (Debian's riscv64
    // cross C library, ci/setup), as AArch64 is; RV32 has no C library in
    // Debian: freestanding objects, loaders and differential only.
    {"riscv64-linux-gnu", "--target=riscv64-linux-gnu", 8, kRiscVConfigs, int(std::size(kRiscVConfigs)), true,
     "qemu-riscv64-static -L /usr/riscv64-linux-gnu", "-fuse-ld=lld"},
    {"riscv32-linux-gnu", "--target=riscv32-linux-gnu", 4, kRiscVConfigs, int(std::size(kRiscVConfigs)), false,
     nullptr, nullptr},
    // LoongArch64: no cross C library in Debian: freestanding objects,
    // loaders and differential only.
    {"loongarch64-linux-gnu", "--target=loongarch64-linux-gnu", 8, kLoongArchConfigs,
     int(std::size(kLoongArchConfigs)), false, nullptr, nullptr},
    // Mach-O x86-64 (--target macho-x86_64 too): no macOS SDK here, so
    // freestanding objects (macOS 10.15: TLV); they run on this host under
    // `jitload exec` against the Linux build of the same freestanding
    // program (-fno-stack-protector: macOS's ___stack_chk_guard has no
    // counterpart in glibc). Mutants: half of them from the Mach-O structure mutator
    // (fuzz/mutate.h's registry).
    {"x86_64-apple-macosx", "--target=x86_64-apple-macosx10.15 -fno-stack-protector", 8, kMachOX86_64Configs,
     int(std::size(kMachOX86_64Configs)), false, "", "", "macho-x86_64", "", true},
    // Mach-O arm64 (--target macho-arm64): freestanding objects, run by
    // `jitload exec` under qemu (its aarch64 runner) against the
    // freestanding program built for aarch64 Linux and run under qemu.
    // NO_PRINTF (the checksum through putchar): Apple's arm64 ABI passes
    // variadic arguments on the stack, the runner's glibc printf takes
    // them in registers; -fsigned-char: Apple's arm64 char is signed.
    {"arm64-apple-macosx",
     "--target=arm64-apple-macosx11 -fno-stack-protector -DNO_PRINTF -Wno-implicit-function-declaration", 8,
     kMachOX86_64Configs, int(std::size(kMachOX86_64Configs)), false, "qemu-aarch64-static -L /usr/aarch64-linux-gnu",
     "-fuse-ld=lld", "macho-arm64",
     "--target=aarch64-linux-gnu -fsigned-char -DNO_PRINTF -Wno-implicit-function-declaration", true},
    // Mach-O i386 (--target macho-i386) and ARM/Thumb (armv7-apple-ios,
    // --target macho-arm): freestanding objects through the engine checks
    // and engine vs reference, half of the mutants from the Mach-O
    // structure mutator; not executed (no 32-bit runner: this process is
    // 64-bit, and no 32-bit Darwin ABI runs under Linux).
    {"i386-apple-macosx", "--target=i386-apple-macosx10.15 -fno-stack-protector", 4, kMachOI386Configs,
     int(std::size(kMachOI386Configs)), false, nullptr, nullptr, "macho-i386"},
    {"armv7-apple-ios", "--target=armv7-apple-ios -fno-stack-protector", 4, kMachOArmConfigs,
     int(std::size(kMachOArmConfigs)), false, nullptr, nullptr, "macho-arm"},
};

const CampaignTarget* find_target(std::string_view triple) {
  for (const CampaignTarget& t : kTargets)
    if (triple == t.triple || (t.alias && triple == t.alias)) return &t;
  return nullptr;
}

// The csmith shim headers for freestanding objects: JITLOAD_CSMITH_SHIM, else
// the team's shared directory beside the source tree (../shared/csmith-shim).
std::string csmith_shim_dir() {
  if (const char* e = std::getenv("JITLOAD_CSMITH_SHIM"); e && *e) return e;
  std::error_code ec;
  fs::path p = fs::path(JITLOAD_SOURCE_DIR) / ".." / "shared" / "csmith-shim";
  return fs::exists(p / "custom_stdint_x86.h", ec) ? fs::weakly_canonical(p, ec).string() : "";
}

constexpr int kMutantsPerObject = 300;

struct PerConfig {
  std::atomic<u64> objects, loaded, executed, agreed, mismatches, crashes, disagreements, llvm_only;
};
// The kinds of work whose speed is shown.
enum Target { kObjects, kMutants, kExec, kOracle, kNumTargets };
constexpr const char* kTargetNames[kNumTargets] = {"objects", "mutants", "exec", "oracle"};
constexpr const char* kTargetWhat[kNumTargets] = {
    "Csmith objects: engine checks + engine vs reference",
    "mutated objects: engine checks + engine vs reference",
    "execution (on the host; under qemu for --target) vs native checksum",
    "LLVM RuntimeDyld vs reference (--oracle)",
};
struct PerTarget {
  std::atomic<u64> inputs, ns;  // inputs done, time spent on them (summed over workers)
  // CPU time (user + system) of the child processes that did the work and
  // of the worker while it waited for them (fork, watchdog): on a shared
  // machine wall time counts the waits for a core too, so the rate per
  // core is inputs / cpu_ns.
  std::atomic<u64> cpu_ns;
  double rate() const { return ns.load() ? inputs.load() / (ns.load() / 1e9) : 0; }
  double core_rate() const { return cpu_ns.load() ? inputs.load() / (cpu_ns.load() / 1e9) : 0; }
};

// CPU time of this process (fork copies its page tables, the watchdog
// polls) plus that of its ended and waited-for children (and theirs): the
// whole cost of a step done in a child.
u64 step_cpu_ns() {
  auto ns = [](const timeval& t) { return u64(t.tv_sec) * 1000000000 + u64(t.tv_usec) * 1000; };
  rusage self{}, children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  return ns(self.ru_utime) + ns(self.ru_stime) + ns(children.ru_utime) + ns(children.ru_stime);
}
struct Shared {
  std::atomic<u64> programs, skipped, inputs, mutants, findings, disagreements, llvm_only, oracle_failed, reduced;
  PerConfig config[kMaxConfigs];
  PerTarget target[kNumTargets];
  // Per worker: the mutant its child is trying, and how many it started
  // (written by the child, read by the worker after the child ended).
  std::atomic<u32> trying[64], tried[64];
};

constexpr int kMaxLlvmOnlySaved = 10;  // per worker

// JITLOAD_FUZZ_ONLY_DIFFERENTIAL=1 (as in the fuzz targets): no engine-only
// checks, so a planted engine bug must be found by engine vs reference.
const bool only_differential = std::getenv("JITLOAD_FUZZ_ONLY_DIFFERENTIAL") != nullptr;

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

// ": " and the first line of a file (a command's stderr), or "".
std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  return std::getline(in, line) && !line.empty() ? ": " + line : "";
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
int exec_object(const std::string& obj, const std::string& out, unsigned pointer_bytes) {
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
      for (u64 k = 0; k < s.size / pointer_bytes; k++)
        if (auto f = reinterpret_cast<void (**)()>(s.local)[k]) f();
  int rc = reinterpret_cast<int (*)(int, char**)>(sym->address)(0, nullptr);
  std::fflush(stdout);
  return rc & 0x7f;
}

// Changes 1-4 bytes past the ELF header; each change is logged (offset, the
// byte before) into `undo` when given, so the caller can restore the
// original in place instead of copying it for every mutant.
struct ByteUndo {
  size_t at;
  u8 before;
};
// Of an object whose format's structure mutator the campaign uses
// (fuzz::FormatMutator::campaign_eighths: Mach-O), that share of the
// mutants are 1-2 structure mutations instead (load commands, sections,
// symbols, relocation entries and pairs); their changed bytes are logged
// into `undo` as the byte mutants' are. ELF objects take no random number
// here, so their mutant sequences are what they were.
bool structure_mutant(std::vector<u8>& b, const fuzz::FormatMutator& f, std::mt19937_64& rng,
                      std::vector<ByteUndo>* undo) {
  static std::vector<u8> before;
  if (undo) before.assign(b.begin(), b.end());
  bool any = false;
  for (unsigned rounds = 1 + rng() % 2, i = 0; i < rounds; i++) any |= f.mutate(b.data(), b.size(), rng);
  if (undo)
    for (size_t k = 0; k < b.size(); k++)
      if (b[k] != before[k]) undo->push_back({k, before[k]});
  return any;
}

void mutate(std::vector<u8>& b, std::mt19937_64& rng, std::vector<ByteUndo>* undo = nullptr) {
  if (b.size() < 64) return;
  if (const fuzz::FormatMutator* f = fuzz::format_mutator(b.data(), b.size());
      f && f->campaign_eighths && rng() % 8 < f->campaign_eighths && structure_mutant(b, *f, rng, undo))
    return;
  unsigned n = 1 + rng() % 4;
  for (unsigned i = 0; i < n; i++) {
    size_t at = 64 + rng() % (b.size() - 64);  // keep the ELF header mostly intact
    if (undo) undo->push_back({at, b[at]});
    switch (rng() % 4) {
      case 0: b[at] ^= u8(1u << (rng() % 8)); break;
      case 1: b[at] = u8(rng()); break;
      case 2: b[at] = rng() % 2 ? 0 : 0xff; break;
      case 3: b[at] += u8(rng() % 9) - 4; break;
    }
  }
}
void restore(std::vector<u8>& b, std::vector<ByteUndo>& undo) {
  for (size_t k = undo.size(); k-- > 0;) b[undo[k].at] = undo[k].before;  // newest first: a byte changed twice
  undo.clear();
}

// JITLOAD_CAMPAIGN_PLANT=crash:N or hang:N: the child running the first
// object's mutants crashes (SIGSEGV) or hangs at mutant N, to show that the
// campaign survives it and names that mutant (ctest campaign-isolation).
struct Plant {
  char kind = 0;  // 'c' crash, 'h' hang
  u32 at = 0;
};
Plant planted_fault() {
  const char* e = std::getenv("JITLOAD_CAMPAIGN_PLANT");
  if (!e) return {};
  std::string_view v = e;
  Plant p;
  if (v.starts_with("crash:")) p.kind = 'c', v.remove_prefix(6);
  else if (v.starts_with("hang:")) p.kind = 'h', v.remove_prefix(5);
  else return {};
  p.at = u32(std::strtoul(std::string(v).c_str(), nullptr, 10));
  return p;
}

// The reproducer of an engine/reference disagreement on dir/file.
std::string diff_reproducer(const std::string& kind, const std::string& file, const std::string& origin) {
  return "#!/bin/sh\n# engine vs reference: " + kind + "\n# " + origin +
         "\n# with LLVM's RuntimeDyld as a third opinion:\n#   ${JITLOAD:-jitload} diff --oracle llvm \"$d/" + file +
         "\"\nd=$(dirname \"$0\")\n${JITLOAD:-jitload} diff --oracle none \"$d/" + file +
         "\"\n[ ! -f \"$d/reduced.o\" ] || ${JITLOAD:-jitload} diff --oracle none \"$d/reduced.o\"\n";
}

struct Worker {
  int id;
  Clock::time_point deadline;
  fs::path out, tmp;
  Shared* shared;
  bool oracle = false;
  const CampaignTarget* target = &kTargets[0];
  bool execute = true;       // the target's programs run (native and under jitload exec)
  std::string object_flags;  // clang-19's flags for the target's objects (target, headers)
  std::string self;          // this jitload, for `jitload exec` of another machine's objects
  std::string native_flags;  // clang-19's flags for the native program (target, link, headers)
  int finding_no = 0;
  int llvm_only_saved = 0;

  bool time_left(int seconds = 0) const { return Clock::now() + std::chrono::seconds(seconds) < deadline; }
  double seconds_left() const { return std::chrono::duration<double>(deadline - Clock::now()).count(); }

  // Runs fn, adding one input and its time to target t.
  template <typename Fn>
  auto timed(Target t, Fn fn) {
    auto start = Clock::now();
    u64 cpu = step_cpu_ns();
    auto r = fn();
    shared->target[t].cpu_ns += step_cpu_ns() - cpu;
    shared->target[t].ns += u64(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
    shared->target[t].inputs++;
    return r;
  }

  // Shrinks a finding's input to dir/reduced.o while the same finding (same
  // signature: invariant, kind of disagreement, or signal) reproduces in a
  // child. Bounded by 10 s and by the campaign's deadline.
  void reduce_into(const fs::path& dir, const std::vector<u8>& input) {
    std::ofstream note(dir / "reduce.txt");
    double budget = std::min(10.0, seconds_left() - 3.5);
    if (budget < 0.5) return void(note << "not reduced: the campaign's time is up\n");
    std::string want = fuzz::child_signature(fuzz::object_finding_signature, input, 2000);
    if (want.empty() || want == "timeout")
      return void(note << "not reduced: " << (want.empty() ? "no finding" : "a timeout") << " when replayed alone\n");
    fuzz::ReduceStats st;
    std::vector<u8> r = fuzz::reduce_object(input, fuzz::same_finding(want, 2000), budget, &st);
    std::ofstream(dir / "reduced.o", std::ios::binary).write(reinterpret_cast<const char*>(r.data()), r.size());
    size_t nonzero = 0, before = 0;
    for (u8 b : r) nonzero += b != 0;
    for (u8 b : input) before += b != 0;
    note << "finding: " << want << "\nreduced.o: " << st.kept << " of " << st.tries << " steps kept, "
         << st.relocations_removed << " relocations removed, " << st.symbols_zeroed << " symbols zeroed, "
         << st.bytes_zeroed << " bytes zeroed; nonzero bytes " << before << " -> " << nonzero
         << (st.timed_out ? " (time budget reached)" : "") << "\n";
    shared->reduced++;
  }

  // LLVM's opinion on an object engine and reference agree on.
  void llvm_oracle(const std::vector<u8>& bytes, PerConfig& pc, const char* config) {
    fs::path diff = tmp / "llvm-diff.txt";
    int st = timed(kOracle, [&] {
      return in_child(12, [&] {
        conformance::LoadScenario scenario = fuzz::scenario();
        conformance::LoadReport reference = conformance::run_reference(bytes, "campaign", scenario);
        conformance::OracleLimits limits;
        limits.timeout_ms = 8000;
        conformance::OracleResult o = conformance::run_llvm_oracle(bytes, "campaign", scenario, limits);
        if (o.status != conformance::OracleResult::Status::Ok) {
          std::ofstream(diff) << o.message << "\n";
          return 4;
        }
        conformance::CompareOptions options;
        options.right_may_omit_sections = true;
        conformance::Comparison c = conformance::compare_reports(reference, o.report, options);
        if (c.agree || c.abstained) return 0;
        std::ofstream(diff) << conformance::render_comparison(reference, o.report, c);
        return 3;
      });
    });
    if (st == 0) return;
    if (st > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 3) {
      pc.llvm_only++;
      shared->llvm_only++;
      if (llvm_only_saved < kMaxLlvmOnlySaved) {
        fs::path dir = out / "llvm-only";
        fs::create_directories(dir);
        std::string base = std::to_string(id) + "-" + std::to_string(llvm_only_saved++) + "-" + config;
        std::ofstream(dir / (base + ".o"), std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        fs::copy_file(diff, dir / (base + ".txt"), fs::copy_options::overwrite_existing);
      }
    } else {
      shared->oracle_failed++;  // LLVM crashed or timed out: its business, not a finding
    }
  }

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
    if (run_shell("timeout 10 csmith --seed " + std::to_string(seed) + " --max-funcs 4 -o " + q + "/p.c >/dev/null 2>&1"))
      return void(shared->skipped++);
    // The native program and its checksum, where the target can link and
    // run one (under qemu for another machine); without one the objects
    // still go through the loaders and the differential.
    std::string want;
    if (execute) {
      if (run_shell("timeout 30 clang-19 -w -O1 " + native_flags + " " + q + "/p.c -o " + q + "/p.native 2>/dev/null") ||
          run_shell("timeout " + std::string(*target->native_runner ? "5 " : "2 ") + target->native_runner + " " + q +
                    "/p.native > " + q + "/expected.txt 2>/dev/null"))
        return void(shared->skipped++);
      want = checksum_line(expected.string());
      if (want.empty()) return void(shared->skipped++);
    }
    shared->programs++;
    for (int k = 0; k < target->num_configs && time_left(); k++) {
      PerConfig& pc = shared->config[k];
      const Config& cfg = target->configs[k];
      fs::path obj = tmp / (std::string("p-") + cfg.name + ".o");
      if (run_shell("timeout 30 clang-19 -w -c " + object_flags + " " + std::string(cfg.flags) + " " + q +
                    "/p.c -o '" + obj.string() + "' 2>/dev/null"))
        continue;
      pc.objects++;
      shared->inputs++;
      auto bytes = read_file(obj.string());
      if (!bytes) continue;
      std::string repro_build = "csmith --seed " + std::to_string(seed) + " --max-funcs 4 -o p.c && clang-19 -w -c " +
                                object_flags + " " + cfg.flags + " p.c -o p.o";
      // Load under the fixed scenario, and through engine and reference, in
      // a child: a crash must not end the campaign.
      fs::path verdict = tmp / "verdict.txt", kind = tmp / "kind.txt";
      int st = timed(kObjects, [&] {
        return in_child(10, [&] {
          fuzz::Verdict v;
          if (!only_differential) v = fuzz::check_object(bytes->data(), bytes->size());
          std::ofstream(verdict) << (v.loaded ? "loaded" : "rejected: " + v.error) << "\n" << v.finding << "\n";
          if (!v.finding.empty()) return 1;
          fuzz::DiffVerdict d = fuzz::compare_loaders(bytes->data(), bytes->size());
          std::ofstream(verdict, std::ios::app) << "differential: " << d.summary << "\n" << d.finding << "\n";
          std::ofstream(kind) << d.kind;
          return d.finding.empty() ? 0 : 2;
        });
      });
      if (st > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 2) {
        std::ifstream in(kind);
        std::string what((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        fs::path dir = new_finding(std::string("engine vs reference on a Csmith object at ") + cfg.name + ": " + what);
        fs::copy_file(obj, dir / "p.o");
        fs::copy_file(verdict, dir / "verdict.txt", fs::copy_options::overwrite_existing);
        std::ofstream(dir / "reproduce.sh") << diff_reproducer(what, "p.o", "rebuild: " + repro_build);
        pc.disagreements++;
        shared->disagreements++;
        reduce_into(dir, *bytes);
      } else if (st != 0) {
        fs::path dir = new_finding(std::string("load (fixed scenario) of a Csmith object at ") + cfg.name + ": " +
                                   (st == -1 ? "timeout" : WIFSIGNALED(st) ? "crash" : "invariant broken"));
        fs::copy_file(obj, dir / "p.o");
        fs::copy_file(verdict, dir / "verdict.txt", fs::copy_options::overwrite_existing);
        std::ofstream(dir / "reproduce.sh") << "#!/bin/sh\n# " << repro_build << "\njitload load \"$(dirname \"$0\")/p.o\"\n";
        pc.crashes++;
        reduce_into(dir, *bytes);
      } else {
        // "loaded" counts what the engine accepted under the fixed
        // scenario (a refused object is no finding, but not loaded either:
        // with --target this shows whether the engine knows the machine).
        std::ifstream vin(verdict);
        std::string first;
        std::getline(vin, first);
        if (first == "loaded" || only_differential) pc.loaded++;
        if (oracle && time_left(2)) llvm_oracle(*bytes, pc, cfg.name);
      }
      // Execute (on the host in a child, or for another machine through
      // `jitload exec` under qemu) and compare with the native run.
      if (execute) {
        fs::path got = tmp / "got.txt";
        st = timed(kExec, [&] {
          if (!*target->native_runner && !target->exec_command)
            return in_child(3, [&] { return exec_object(obj.string(), got.string(), target->pointer_bytes); });
          return run_shell("timeout 20 '" + self + "' exec '" + obj.string() + "' > '" + got.string() + "' 2>'" + got.string() + ".err'") == 124
                     ? -1
                     : 0;
        });
        pc.executed++;
        std::string have = st >= 0 && WIFEXITED(st) ? checksum_line(got.string()) : "";
        if (have == want) {
          pc.agreed++;
        } else {
          fs::path dir = new_finding(std::string("execution of a Csmith object at ") + cfg.name + ": expected '" + want +
                                     "', got '" + have + "'" + (st == -1 ? " (timeout)" : "") +
                                     first_line(got.string() + ".err"));
          fs::copy_file(obj, dir / "p.o");
          fs::copy_file(c, dir / "p.c");
          std::ofstream(dir / "reproduce.sh") << "#!/bin/sh\n# expected: " << want << "\n# rebuild: " << repro_build
                                              << "\njitload exec \"$(dirname \"$0\")/p.o\" | grep checksum\n";
          pc.mismatches++;
        }
      }
      mutants(*bytes, seed * 131 + k, cfg.name);
    }
  }

  // Mutants are checked in a persistent child, the mutant server: forked
  // once (again after it dies, and every kServerJobs objects), it takes one
  // object at a time over a pipe (seed, stop time, bytes) and runs up to
  // kMutantsPerObject mutants of it. It stores the index of the mutant it is
  // about to try in shared memory (no system call per mutant), so after a
  // crash or a hang the worker rebuilds the culprit from the seed and the
  // index; each disagreement (a new kind each, at most
  // kMaxDisagreementsPerObject; the server goes on after them) and the end
  // of an object, with the CPU time it took, come back through a pipe. A
  // crash or a broken invariant ends the server (the worker forks a new one
  // for the next object); the worker's watchdog kills a server that makes
  // no progress for kMutantHangMs; alarm() stays as a backstop. Each mutant
  // is the original with 1-4 bytes changed, in place, and put back after it
  // ran (the same bytes as a fresh copy, without copying).
  static constexpr int kMutantHangMs = 5000;  // wall time: generous, a busy machine stalls a process too
  static constexpr int kServerJobs = 64;  // objects per server: bounds what a leak could grow to
  static constexpr int kMaxDisagreementsPerObject = 3;
  int batches = 0;  // mutants() calls so far

  struct Job {  // worker -> server, then `size` bytes
    u64 seed, size;
    i64 stop_ns;  // steady clock (CLOCK_MONOTONIC, the same in every process)
  };
  struct Reply {  // server -> worker
    u32 kind;     // kDisagreement (index), kDone (value: the object's CPU time, ns)
    u32 index;
    u64 value;
  };
  static constexpr u32 kDisagreement = 1, kDone = 2;

  pid_t server = -1;
  int to_server = -1, from_server = -1;
  int server_jobs = 0;
  u64 server_cpu_reported = 0;  // CPU time the server reported for its jobs so far

  static bool read_full(int fd, void* p, size_t n) {
    auto* c = static_cast<char*>(p);
    while (n) {
      ssize_t r = read(fd, c, n);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      c += r, n -= size_t(r);
    }
    return true;
  }
  static bool write_full(int fd, const void* p, size_t n) {
    auto* c = static_cast<const char*>(p);
    while (n) {
      ssize_t r = write(fd, c, n);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      c += r, n -= size_t(r);
    }
    return true;
  }

  // The server's loop: one object per job until the request pipe closes.
  [[noreturn]] void serve(int in, int out, Plant plant) {
    // Each mutant allocates and frees the same few hundred KB (sections,
    // reports); with glibc's defaults the top of the heap is handed back
    // after each and faults in again, page by page, on the next (79 page
    // faults per mutant of an -O0 object: a quarter of its CPU time).
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    std::atomic<u32>& trying = shared->trying[id];
    std::atomic<u32>& tried = shared->tried[id];
    std::vector<u8> b;
    std::vector<ByteUndo> undo;
    std::vector<std::string> kinds;
    for (int job_no = 0;; job_no++) {
      Job job;
      if (!read_full(in, &job, sizeof job)) _exit(0);
      b.resize(job.size);
      if (job.size && !read_full(in, b.data(), job.size)) _exit(0);
      alarm(12);  // the backstop; the worker's watchdog acts first
      timespec c0{};
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
      Clock::time_point stop{Clock::duration(job.stop_ns)};
      std::mt19937_64 rng(job.seed);
      kinds.clear();
      for (u32 i = 0; i < kMutantsPerObject && Clock::now() < stop; i++) {
        mutate(b, rng, &undo);
        trying.store(i, std::memory_order_relaxed);
        tried.store(i + 1, std::memory_order_release);
        if (job_no == 0 && plant.kind && i == plant.at) {
          if (plant.kind == 'c') raise(SIGSEGV);
          for (;;) pause();
        }
        // The engine's invariants and engine vs reference, on one engine load.
        fuzz::DiffVerdict d;
        if (!only_differential) {
          fuzz::Checked c = fuzz::check_and_compare(b.data(), b.size());
          if (!c.engine.finding.empty()) {
            std::fprintf(stderr, "campaign: mutant %u: %s\n", i, c.engine.finding.c_str());
            _exit(1);
          }
          d = std::move(c.diff);
        } else {
          d = fuzz::compare_loaders(b.data(), b.size());
        }
        if (!d.finding.empty() && kinds.size() < kMaxDisagreementsPerObject &&
            std::find(kinds.begin(), kinds.end(), d.kind) == kinds.end()) {
          kinds.push_back(d.kind);
          Reply r{kDisagreement, i, 0};
          if (!write_full(out, &r, sizeof r)) _exit(3);
        }
        restore(b, undo);
      }
      alarm(0);
      timespec c1{};
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
      Reply done{kDone, 0, u64((c1.tv_sec - c0.tv_sec) * 1000000000ll + (c1.tv_nsec - c0.tv_nsec))};
      if (!write_full(out, &done, sizeof done)) _exit(3);
    }
  }

  bool start_server(Plant plant) {
    int req[2], rep[2];  // close-on-exec: the compilers the worker runs must not hold them open
    if (pipe2(req, O_CLOEXEC)) return false;
    if (pipe2(rep, O_CLOEXEC)) return close(req[0]), close(req[1]), false;
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid < 0) {
      for (int fd : {req[0], req[1], rep[0], rep[1]}) close(fd);
      return false;
    }
    if (pid == 0) {
      close(req[1]), close(rep[0]);
      if (to_server >= 0) close(to_server), close(from_server);  // the previous server's ends
      serve(req[0], rep[1], plant);
    }
    close(req[0]), close(rep[1]);
    server = pid, to_server = req[1], from_server = rep[0];
    server_jobs = 0, server_cpu_reported = 0;
    return true;
  }

  // Ends the server: closing its request pipe lets it exit after its job;
  // `kill` for a hung one. Returns its wait status and the CPU time it used
  // that its replies did not report.
  int stop_server(bool kill_it, u64* unreported_cpu) {
    if (server <= 0) return 0;
    if (kill_it) kill(server, SIGKILL);
    close(to_server), close(from_server);
    to_server = from_server = -1;
    int status = 0;
    rusage ru{};
    wait4(server, &status, 0, &ru);
    auto ns = [](const timeval& t) { return u64(t.tv_sec) * 1000000000 + u64(t.tv_usec) * 1000; };
    u64 total = ns(ru.ru_utime) + ns(ru.ru_stime);
    if (unreported_cpu) *unreported_cpu = total > server_cpu_reported ? total - server_cpu_reported : 0;
    server = -1;
    return status;
  }

  std::vector<u8> rebuild_mutant(const std::vector<u8>& original, u64 seed, u32 index) {
    std::mt19937_64 rng(seed);
    std::vector<u8> b;
    for (u32 k = 0; k <= index; k++) b = original, mutate(b, rng);
    return b;
  }

  void mutants(const std::vector<u8>& original, u64 seed, const char* config) {
    if (!time_left(1)) return;
    auto started = Clock::now();
    timespec self0{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &self0);  // the worker's own share: fork, pipes, watchdog
    auto stop = std::min(deadline - std::chrono::milliseconds(500), started + std::chrono::seconds(8));
    std::atomic<u32>& trying = shared->trying[id];  // this worker's server: the mutant it is on
    std::atomic<u32>& tried = shared->tried[id];    // ...and how many of this object's it started
    trying = 0;
    tried = 0;
    // The isolation's own test (ctest campaign-isolation): the first
    // object's server crashes or hangs at mutant N.
    const Plant plant = batches++ == 0 ? planted_fault() : Plant{};
    u64 child_cpu = 0;
    if (server > 0 && server_jobs >= kServerJobs) {
      u64 rest = 0;
      stop_server(false, &rest);
      child_cpu += rest;
    }
    Job job{seed, original.size(), i64(stop.time_since_epoch().count())};
    bool sent = false;
    for (int attempt = 0; attempt < 2 && !sent; attempt++) {  // a server that died idle: start another
      if (server > 0 && attempt > 0) {
        u64 rest = 0;
        stop_server(true, &rest);
        child_cpu += rest;
      }
      if (server <= 0 && !start_server(plant)) return;
      sent = write_full(to_server, &job, sizeof job) && write_full(to_server, original.data(), original.size());
    }
    server_jobs++;
    // The watchdog: a mutant normally takes well under a millisecond; one
    // the server has been on for kMutantHangMs is a hang, and it is killed
    // (it would go on to the next object's budget otherwise).
    std::vector<u32> disagreeing;
    bool hung = false, done = false;
    u32 seen = 0;
    auto progressed = Clock::now();
    while (sent && !done) {
      pollfd p{from_server, POLLIN, 0};
      int r = poll(&p, 1, 100);
      if (r > 0) {
        Reply reply;
        if (!read_full(from_server, &reply, sizeof reply)) break;  // the server ended
        if (reply.kind == kDisagreement) disagreeing.push_back(reply.index);
        if (reply.kind == kDone) done = true, child_cpu += reply.value, server_cpu_reported += reply.value;
        continue;
      }
      if (r < 0 && errno != EINTR) break;
      u32 now_tried = tried.load(std::memory_order_acquire);
      if (now_tried != seen) {
        seen = now_tried;
        progressed = Clock::now();
      } else if (Clock::now() - progressed > std::chrono::milliseconds(kMutantHangMs)) {
        hung = true;
        break;
      }
    }
    int status = 0;
    bool died = !done;
    if (died) {
      u64 rest = 0;
      status = stop_server(hung, &rest);
      child_cpu += rest;
    }
    timespec self1{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &self1);
    u64 self_cpu = u64((self1.tv_sec - self0.tv_sec) * 1000000000ll + (self1.tv_nsec - self0.tv_nsec));
    u32 last = trying.load(std::memory_order_acquire);
    u64 n = tried.load(std::memory_order_acquire);
    shared->mutants += n;
    shared->inputs += n;
    shared->target[kMutants].inputs += n;
    shared->target[kMutants].ns +=
        u64(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count());
    shared->target[kMutants].cpu_ns += child_cpu + self_cpu;
    for (u32 index : disagreeing) {
      std::vector<u8> b = rebuild_mutant(original, seed, index);
      fuzz::DiffVerdict d = fuzz::compare_loaders(b.data(), b.size());  // the parent's copy: for the message
      fs::path dir = new_finding(std::string("engine vs reference on mutant ") + std::to_string(index) + " of a " +
                                 config + " object: " + d.kind);
      std::ofstream(dir / "mutant.o", std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
      std::ofstream(dir / "diff.txt") << d.summary << "\n" << d.finding << "\n";
      std::ofstream(dir / "reproduce.sh") << diff_reproducer(d.kind, "mutant.o", "a mutant of a Csmith object");
      shared->disagreements++;
      reduce_into(dir, b);
    }
    if (died && n > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      std::vector<u8> b = rebuild_mutant(original, seed, last);
      std::string what = hung ? "hang (no progress for " + std::to_string(kMutantHangMs) + " ms)"
                         : WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM ? "hang (12 s alarm)"
                         : WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                               : "invariant broken";
      fs::path dir = new_finding(std::string("mutant ") + std::to_string(last) + " of a " + config + " object: " + what);
      std::ofstream(dir / "mutant.o", std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
      std::ofstream(dir / "reproduce.sh") << "#!/bin/sh\n# replays the mutant through the object-bytes harness "
                                          << "(engine checks, then engine vs reference)\n"
                                          << "d=$(dirname \"$0\")\nfuzz-replay-object-bytes \"$d/mutant.o\"\n"
                                          << "[ ! -f \"$d/reduced.o\" ] || fuzz-replay-object-bytes \"$d/reduced.o\"\n";
      reduce_into(dir, b);
    }
  }

  // Worker w of `jobs` builds programs w, w + jobs, ...; program n's Csmith
  // seed is first_seed + n. With a count the worker stops after its share.
  void run(u64 first_seed, int jobs, u64 count) {
    signal(SIGPIPE, SIG_IGN);  // a server that died: its pipe's write fails instead
    for (u64 n = u64(id); time_left(2) && (count == 0 || n < count); n += u64(jobs)) program(first_seed + n);
    stop_server(false, nullptr);
  }
};

}  // namespace

int cmd_campaign(int argc, char** argv) {
  int seconds = 60, jobs = 1;
  bool oracle = false, linkage = false, seconds_given = false, seed_given = false;
  std::string out = "campaign-out";
  LinkageOptions link;
  const CampaignTarget* target = &kTargets[0];
  for (int i = 1; i < argc; i++) {
    std::string_view a = argv[i];
    if (auto v = option_value(argc, argv, i, "--target")) {
      target = find_target(*v);
      if (!target) {
        std::string known;
        for (const CampaignTarget& t : kTargets) known += std::string(known.empty() ? "" : ", ") + t.triple;
        return std::fprintf(stderr, "jitload campaign: unknown --target '%s' (known: %s)\n", v->c_str(), known.c_str()), 2;
      }
    } else if (a == "--linkage") {
      linkage = true;
    } else if (auto v = option_value(argc, argv, i, "--seed")) {
      auto n = parse_u64(*v);
      if (!n) return std::fprintf(stderr, "jitload campaign: bad --seed '%s'\n", v->c_str()), 2;
      link.seed = *n;
      seed_given = true;
    } else if (auto v = option_value(argc, argv, i, "--count")) {
      auto n = parse_u64(*v);
      if (!n || *n == 0) return std::fprintf(stderr, "jitload campaign: bad --count '%s'\n", v->c_str()), 2;
      link.count = *n;
    } else if (a == "--no-oracle") {
      link.oracle = false;
    } else if (a == "--threads") {
      link.threads = true;
    } else if (a == "--keep") {
      link.keep = true;
    } else if (auto v = option_value(argc, argv, i, "--seconds")) {
      seconds_given = true;
      seconds = std::atoi(v->c_str());
    } else if (auto v = option_value(argc, argv, i, "--jobs")) {
      jobs = std::atoi(v->c_str());
    } else if (auto v = option_value(argc, argv, i, "--out")) {
      out = *v;
    } else if (a == "--oracle") {
      oracle = true;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: jitload campaign [--seconds N (60)] [--jobs N (1)] [--out DIR (campaign-out)] [--oracle]\n"
                  "                        [--target TRIPLE (x86_64-linux-gnu)] [--seed N (from the clock)] [--count N]\n"
                  "       jitload campaign --linkage [--seed N (1)] [--count N] [--seconds N] [--jobs N] [--out DIR]\n"
                  "                        [--no-oracle] [--threads] [--keep]\n"
                  "  --oracle   also load every unmutated object with LLVM's RuntimeDyld (a third opinion;\n"
                  "             where only LLVM differs it is counted and kept in DIR/llvm-only/, not a finding)\n"
                  "  --target   Csmith objects for TRIPLE: x86_64-linux-gnu (the host), aarch64-linux-gnu (executed\n"
                  "             under qemu-aarch64-static through jitload exec against the native cross build),\n"
                  "             aarch64_be-linux-gnu (loaders and differential only: no big-endian C library),\n"
                  "             riscv64-linux-gnu (executed under qemu-riscv64-static, as aarch64),\n"
                  "             riscv32-linux-gnu, loongarch64-linux-gnu (freestanding objects: loaders and\n"
                  "             differential only), x86_64-apple-macosx or macho-x86_64 (freestanding Mach-O\n"
                  "             objects, run here under jitload exec against the Linux build; half the mutants\n"
                  "             from the Mach-O structure mutator), arm64-apple-macosx or macho-arm64 (the same,\n"
                  "             run under qemu against the aarch64 Linux build), i386-apple-macosx or macho-i386\n"
                  "             and armv7-apple-ios or macho-arm (freestanding 32-bit Mach-O objects: loaders and\n"
                  "             differential only, half the mutants from the Mach-O structure mutator)\n"
                  "  --seed     Csmith program n uses seed N + n (the default seed, from the clock, is printed);\n"
                  "             with --count N the campaign stops after N programs and is deterministic\n"
                  "             (--seconds, default 600, is then only a limit; fewer programs is a failure)\n"
                  "  --linkage  multi-object programs (fuzz/linkage-gen.h) instead of Csmith: each checked\n"
                  "             against its native static link under jitload exec, jitload run and\n"
                  "             jitload diff --link (LLVM's RuntimeDyld too unless --no-oracle); deterministic\n"
                  "             from --seed; --count N stops after N programs (then --seconds, default 600,\n"
                  "             is only a limit, and fewer than N programs is a failure); --threads: programs\n"
                  "             with thread-locals read them again in a thread started after the load;\n"
                  "             --keep: every program's directory in DIR/programs/, not only findings'\n");
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
  if (linkage && target != &kTargets[0])
    return std::fprintf(stderr, "jitload campaign: --linkage runs on the host only (no --target)\n"), 2;
  if (linkage) {
    link.seconds = seconds_given || !link.count ? seconds : 600;
    link.jobs = jobs;
    link.out = out;
    return run_linkage_campaign(link);
  }
  if (!link.oracle || link.threads || link.keep)
    return std::fprintf(stderr, "jitload campaign: --no-oracle, --threads and --keep go with --linkage\n"), 2;
  if (link.count && !seconds_given) seconds = 600;
  // How this target's objects are built, and whether its programs can run here.
  std::string object_flags = std::string(target->clang_target) + " -I/usr/include/csmith";
  if (!target->hosted) {
    std::string shim = csmith_shim_dir();
    if (shim.empty())
      return std::fprintf(stderr, "jitload campaign: %s objects are freestanding and need the csmith shim headers "
                                  "(custom_stdint_x86.h, custom_limits.h): set JITLOAD_CSMITH_SHIM=DIR\n",
                          target->triple), 1;
    object_flags = std::string(target->clang_target) + " -ffreestanding -DCSMITH_MINIMAL -I'" + shim + "' -I/usr/include/csmith";
  }
  // The native program: the objects' target and headers, or (Mach-O) the
  // host's target with the objects' freestanding headers.
  std::string native_flags = std::string(target->native_target ? target->native_target : target->clang_target) + " " +
                             (target->native_link ? target->native_link : "") + " " +
                             object_flags.substr(std::string_view(target->clang_target).size());
  bool execute = target->native_runner != nullptr;
  std::string not_executed;
  if (!execute) {
    not_executed = std::string("no C library for ") + target->triple + ": loaders and differential only, not executed";
  } else if (*target->native_runner) {
    std::string qemu = target->native_runner;
    qemu = qemu.substr(0, qemu.find(' '));
    if (run_shell("command -v " + qemu + " >/dev/null 2>&1")) {
      execute = false;
      not_executed = qemu + " is not installed (qemu-user-static): not executed";
    }
  }
  char self_buf[4096];
  ssize_t self_len = readlink("/proc/self/exe", self_buf, sizeof self_buf - 1);
  std::string self = self_len > 0 ? std::string(self_buf, size_t(self_len)) : "jitload";
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return std::fprintf(stderr, "jitload campaign: cannot create %s: %s\n", out.c_str(), ec.message().c_str()), 1;
  void* mem = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return std::perror("jitload campaign: mmap"), 1;
  Shared* shared = new (mem) Shared();
  auto start = Clock::now();
  auto deadline = start + std::chrono::seconds(seconds);
  u64 base_seed = seed_given ? link.seed : u64(std::chrono::system_clock::now().time_since_epoch().count()) % 1000000007;
  std::vector<pid_t> workers;
  for (int w = 0; w < jobs; w++) {
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, 0);  // its own group: the parent can end it and its compilers
      fs::path tmp = fs::temp_directory_path() / ("jitload-campaign-" + std::to_string(getpid()));
      fs::create_directories(tmp);
      Worker worker{w, deadline, fs::absolute(out), tmp, shared, oracle, target, execute, object_flags, self,
                    native_flags};
      worker.run(base_seed, jobs, link.count);
      fs::remove_all(tmp, ec);
      _exit(0);
    }
    if (pid > 0) workers.push_back(pid);
  }
  std::printf("jitload campaign: %s, %d s, %d job(s), findings in %s (Csmith seeds from %llu)%s\n", target->triple,
              seconds, jobs, out.c_str(), (unsigned long long)base_seed, oracle ? ", LLVM oracle on" : "");
  if (!not_executed.empty()) std::printf("jitload campaign: %s\n", not_executed.c_str());
  size_t alive = workers.size();
  bool killed = false;
  while (alive) {
    usleep(250000);
    for (pid_t& p : workers)
      if (p > 0 && waitpid(p, nullptr, WNOHANG) == p) p = 0, alive--;
    double t = std::chrono::duration<double>(Clock::now() - start).count();
    auto& tg = shared->target;
    std::printf("\r[%5.1fs] programs %llu  objects %llu (%.0f exec/s)  mutants %llu (%.0f exec/s)", t,
                (unsigned long long)shared->programs.load(), (unsigned long long)tg[kObjects].inputs.load(),
                tg[kObjects].rate(), (unsigned long long)tg[kMutants].inputs.load(), tg[kMutants].rate());
    if (oracle)
      std::printf("  llvm %llu (%.1f exec/s, %llu llvm-only)", (unsigned long long)tg[kOracle].inputs.load(),
                  tg[kOracle].rate(), (unsigned long long)shared->llvm_only.load());
    std::printf("  disagreements %llu  findings %llu   ", (unsigned long long)shared->disagreements.load(),
                (unsigned long long)shared->findings.load());
    std::fflush(stdout);
    if (!killed && Clock::now() > deadline + std::chrono::seconds(3)) {
      for (pid_t p : workers)
        if (p > 0) kill(-p, SIGKILL);
      killed = true;
    }
  }
  double t = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("\n\n%-10s %8s %8s %8s %8s %10s %8s %9s %9s\n", "config", "objects", "loaded", "executed", "agreed",
              "mismatches", "crashes", "disagree", "llvm-only");
  for (int k = 0; k < target->num_configs; k++) {
    PerConfig& pc = shared->config[k];
    std::printf("%-10s %8llu %8llu %8llu %8llu %10llu %8llu %9llu %9s\n", target->configs[k].name,
                (unsigned long long)pc.objects.load(), (unsigned long long)pc.loaded.load(),
                (unsigned long long)pc.executed.load(), (unsigned long long)pc.agreed.load(),
                (unsigned long long)pc.mismatches.load(), (unsigned long long)pc.crashes.load(),
                (unsigned long long)pc.disagreements.load(),
                oracle ? std::to_string(pc.llvm_only.load()).c_str() : "-");
  }
  // exec/s: inputs per second of wall time spent on them (summed over
  // workers); per core: per second of CPU time (user + system, the
  // children's and the worker's own while it forked and watched them),
  // which a busy machine does not dilute.
  std::printf("\n%-8s %9s %9s %9s %9s %9s  %s\n", "target", "inputs", "busy s", "exec/s", "cpu s", "per core",
              "what");
  for (int t = 0; t < kNumTargets; t++) {
    if (t == kOracle && !oracle) continue;
    PerTarget& pt = shared->target[t];
    std::printf("%-8s %9llu %9.1f %9.1f %9.1f %9.1f  %s\n", kTargetNames[t], (unsigned long long)pt.inputs.load(),
                pt.ns.load() / 1e9, pt.rate(), pt.cpu_ns.load() / 1e9, pt.core_rate(), kTargetWhat[t]);
  }
  if (oracle)
    std::printf("LLVM oracle: %llu objects where only LLVM differs (see %s/llvm-only/), %llu oracle crashes/timeouts\n",
                (unsigned long long)shared->llvm_only.load(), out.c_str(),
                (unsigned long long)shared->oracle_failed.load());
  std::printf("\n%llu programs (%llu skipped: csmith/native failures or timeouts), %llu inputs in %.1f s (%.0f/s), "
              "%llu mutants, %llu engine/reference disagreements, %llu findings (%llu reduced)%s\n",
              (unsigned long long)shared->programs.load(), (unsigned long long)shared->skipped.load(),
              (unsigned long long)shared->inputs.load(), t, shared->inputs.load() / t,
              (unsigned long long)shared->mutants.load(), (unsigned long long)shared->disagreements.load(),
              (unsigned long long)shared->findings.load(), (unsigned long long)shared->reduced.load(), shared->findings.load() ? (" — see " + out + "/findings.txt").c_str() : "");
  if (link.count && shared->programs.load() + shared->skipped.load() < link.count) {
    std::printf("jitload campaign: the time ran out after %llu of the %llu programs asked for\n",
                (unsigned long long)(shared->programs.load() + shared->skipped.load()), (unsigned long long)link.count);
    return 1;
  }
  return shared->findings.load() ? 1 : 0;
}

}  // namespace jitload::tools
