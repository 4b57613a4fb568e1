// Every architecture the loader has, measured in remote mode: load the
// object, map every section to a target address far from where it sits
// here, resolve externals to target addresses, apply every relocation — and
// stop. Nothing is finalized or executed, so an object for another machine
// (AArch64, RISC-V, LoongArch, Mach-O x86-64/arm64/i386/ARM/Thumb) is measured on this host exactly as a
// cross JIT's controller would load it before sending the bytes over.
//
//   BM_<Loader>_Arch/<arch>   Loader: Engine, RuntimeDyld, JITLink (LLVM 19)
//                             arch:   a line of kArchs below
//
// The same 2,300-function program for every architecture (clang-19 -O2
// -fwrapv -fPIE --target=<triple>, built by bench/CMakeLists.txt, never
// committed). Every loader gets the same rules: on a 64-bit target, sections
// at local address - kRemoteShift and externals at kExternBase + 16 *
// (FNV-1a(name) mod 2^20) (far from the sections: calls need stubs, data
// references GOT slots where the loader makes them); on a 32-bit target,
// sections at kSection32Base + (local - the lowest section's local address)
// and externals at kExtern32Base + 16 * (FNV-1a(name) mod 2^20). Timed: CPU
// time of load + map + resolve, the gate's measure; set-up and teardown are
// not timed. A load error fails the benchmark — except where kArchs records
// that LLVM 19's loader refuses that architecture (RuntimeDyld on RISC-V and
// LoongArch: it crashes, SIGSEGV in RuntimeDyldELF, as llvm-rtdyld-19 does;
// JITLink on big-endian AArch64: "Object is not a relocatable ELF file",
// and on Mach-O i386, ARM and Thumb, which it has no linker for):
// that load is tried once in a child process and the row is reported as
// "refused: <why>" (Google Benchmark's error field, not counted as a
// failure), so the report says so instead of dropping the row. Should a
// later LLVM load it, the row is timed like any other. JITLink runs its
// default passes, so its RISC-V time includes relaxation (calls shortened,
// code moved), which jitload's loaders never do.
#include <llvm/ExecutionEngine/JITLink/JITLink.h>
#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/ExecutionEngine/RuntimeDyld.h>
#include <llvm/ExecutionEngine/SectionMemoryManager.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bench/support.h"
#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"

namespace jitload::bench {
namespace {

constexpr uint64_t kExternBase = 0x7000'0000'0000ull;
// 32-bit targets (riscv32, Mach-O i386/ARM/Thumb): sections from 1 GiB up,
// externals from 3 GiB up. On ARM that puts every external ~2 GiB from the
// code, beyond BL's reach (±32 MiB ARM, ±16 MiB Thumb): calls to them go
// through stubs in every loader, while calls inside the ~2.5 MB object stay
// direct (its sections keep their distances).
constexpr uint64_t kSection32Base = 0x4000'0000ull;
constexpr uint64_t kExtern32Base = 0xC000'0000ull;
constexpr uint64_t kSection32Span = 0x4000'0000ull;  // sections must lie within 1 GiB of each other here

uint64_t extern_address(std::string_view name, unsigned bits) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name) h = (h ^ uint8_t(c)) * 0x100000001b3ull;
  return (bits == 32 ? kExtern32Base : kExternBase) + 16 * (h & ((1u << 20) - 1));
}

// Where a section whose working memory is at `local` lives on the target.
// `lowest`: the lowest local address among the load's sections (32-bit only).
// Returns false when a 32-bit target cannot hold them at the same distances.
bool target_address(const void* local, uintptr_t lowest, unsigned bits, uint64_t& target) {
  if (bits == 64) {
    target = remote_address(local);
    return true;
  }
  uint64_t delta = reinterpret_cast<uintptr_t>(local) - lowest;
  target = kSection32Base + delta;
  return delta < kSection32Span;
}

// What LLVM 19's loaders do with an architecture, as measured on this
// machine (see the header comment); Refuses makes a failed load a reported
// refusal rather than a benchmark failure.
enum class Llvm { Loads, Refuses };

// The registry: one line per architecture and format. Adding one (Mach-O
// arm64, i386, ARM) is a line here, a jitload_bench_cross_object line in
// bench/CMakeLists.txt, and its ratios in bench/thresholds.json.
struct Arch {
  const char* name;    // the benchmark's argument
  const char* object;  // bench/objects/<object>.o
  unsigned bits;       // target address width: 64 or 32
  Llvm rtdyld;         // LLVM 19's RuntimeDyld
  Llvm jitlink;        // LLVM 19's JITLink
};
constexpr Arch kArchs[] = {
    {"x86_64", "large", 64, Llvm::Loads, Llvm::Loads},
    {"aarch64", "a64-large", 64, Llvm::Loads, Llvm::Loads},
    {"aarch64_be", "a64be-large", 64, Llvm::Loads, Llvm::Refuses},
    {"riscv64", "rv64-large", 64, Llvm::Refuses, Llvm::Loads},
    {"riscv32", "rv32-large", 32, Llvm::Refuses, Llvm::Loads},
    {"loongarch64", "la64-large", 64, Llvm::Refuses, Llvm::Loads},
    {"macho-x86_64", "macho-x64-large", 64, Llvm::Loads, Llvm::Loads},
    {"macho-arm64", "macho-a64-large", 64, Llvm::Loads, Llvm::Loads},
    {"macho-i386", "macho-i386-large", 32, Llvm::Loads, Llvm::Refuses},
    {"macho-arm", "macho-arm-large", 32, Llvm::Loads, Llvm::Refuses},
    {"macho-thumb", "macho-thumb-large", 32, Llvm::Loads, Llvm::Refuses},
};

// One remote-mode load: returns an error message or "", and the CPU time.
using RemoteLoadFn = std::string (*)(const BenchObject& obj, unsigned bits, double& cpu);

// ---- the engine ------------------------------------------------------------

class FixedResolver final : public SymbolResolver {
 public:
  explicit FixedResolver(unsigned bits) : bits_(bits) {}
  std::optional<u64> lookup(std::string_view name) override { return extern_address(name, bits_); }

 private:
  unsigned bits_;
};

std::string engine_load(const BenchObject& obj, unsigned bits, double& cpu) {
  SectionMemoryManager memory;
  FixedResolver resolver(bits);
  RuntimeDyld dyld(memory, &resolver);
  double c0 = cpu_now();
  auto info = dyld.load_object(std::span<const u8>(obj.bytes.data(), obj.bytes.size()), obj.name);
  if (!info) return "engine: " + info.error().message();
  std::span<const LoadedSection> sections = dyld.sections();
  uintptr_t lowest = UINTPTR_MAX;
  if (bits == 32)
    for (const LoadedSection& section : sections)
      if (section.local) lowest = std::min(lowest, reinterpret_cast<uintptr_t>(section.local));
  for (u32 id = 0; id < sections.size(); ++id)
    if (sections[id].local) {
      uint64_t target;
      if (!target_address(sections[id].local, lowest, bits, target))
        return "engine: sections lie too far apart here for a 32-bit target";
      if (Error err = dyld.map_section_address(id, target)) return "engine: " + err.message();
    }
  if (Error err = dyld.resolve_relocations()) return "engine: " + err.message();
  cpu = cpu_now() - c0;
  return "";
}

// ---- LLVM's RuntimeDyld ----------------------------------------------------

class RecordingMemoryManager final : public llvm::SectionMemoryManager {
 public:
  uint8_t* allocateCodeSection(uintptr_t size, unsigned align, unsigned id, llvm::StringRef name) override {
    uint8_t* p = SectionMemoryManager::allocateCodeSection(size, align, id, name);
    if (p) sections.push_back(p);
    return p;
  }
  uint8_t* allocateDataSection(uintptr_t size, unsigned align, unsigned id, llvm::StringRef name,
                               bool read_only) override {
    uint8_t* p = SectionMemoryManager::allocateDataSection(size, align, id, name, read_only);
    if (p) sections.push_back(p);
    return p;
  }
  std::vector<uint8_t*> sections;
};

class FixedLlvmResolver final : public llvm::LegacyJITSymbolResolver {
 public:
  explicit FixedLlvmResolver(unsigned bits) : bits_(bits) {}
  llvm::JITSymbol findSymbol(const std::string& name) override {
    return llvm::JITSymbol(extern_address(name, bits_), llvm::JITSymbolFlags::Exported);
  }
  llvm::JITSymbol findSymbolInLogicalDylib(const std::string&) override { return nullptr; }

 private:
  unsigned bits_;
};

std::string rtdyld_load(const BenchObject& obj, unsigned bits, double& cpu) {
  RecordingMemoryManager memory;
  FixedLlvmResolver resolver(bits);
  llvm::RuntimeDyld dyld(memory, resolver);
  llvm::MemoryBufferRef buffer(llvm::StringRef(reinterpret_cast<const char*>(obj.bytes.data()), obj.bytes.size()),
                               obj.name);
  double c0 = cpu_now();
  auto file = llvm::object::ObjectFile::createObjectFile(buffer);
  if (!file) return "RuntimeDyld: " + llvm::toString(file.takeError());
  auto info = dyld.loadObject(**file);
  if (dyld.hasError() || !info) return "RuntimeDyld: " + dyld.getErrorString().str();
  uintptr_t lowest = UINTPTR_MAX;
  if (bits == 32)
    for (uint8_t* local : memory.sections) lowest = std::min(lowest, reinterpret_cast<uintptr_t>(local));
  for (uint8_t* local : memory.sections) {
    uint64_t target;
    if (!target_address(local, lowest, bits, target))
      return "RuntimeDyld: sections lie too far apart here for a 32-bit target";
    dyld.mapSectionAddress(local, target);
  }
  dyld.resolveRelocations();
  if (dyld.hasError()) return "RuntimeDyld: " + dyld.getErrorString().str();
  cpu = cpu_now() - c0;
  return "";
}

// ---- LLVM's JITLink --------------------------------------------------------

namespace jl = llvm::jitlink;

// Working memory here, addresses there: each segment's target address is
// its working memory's address - kRemoteShift. Finalizing does nothing (the
// bytes would be sent to the target); deallocating frees the slab.
class RemoteModeMemory final : public jl::JITLinkMemoryManager {
 public:
  explicit RemoteModeMemory(unsigned bits) : bits_(bits) {}
  class Alloc final : public InFlightAlloc {
   public:
    Alloc(std::unique_ptr<char[]> slab, RemoteModeMemory& owner) : slab_(std::move(slab)), owner_(owner) {}
    void finalize(OnFinalizedFunction done) override {
      owner_.slabs_.push_back(std::move(slab_));
      done(FinalizedAlloc(llvm::orc::ExecutorAddr(owner_.slabs_.size())));
    }
    void abandon(OnAbandonedFunction done) override { done(llvm::Error::success()); }

   private:
    std::unique_ptr<char[]> slab_;
    RemoteModeMemory& owner_;
  };

  void allocate(const jl::JITLinkDylib*, jl::LinkGraph& graph, OnAllocatedFunction done) override {
    constexpr uint64_t kPage = 4096;
    jl::BasicLayout layout(graph);
    auto sizes = layout.getContiguousPageBasedLayoutSizes(kPage);
    if (!sizes) return done(sizes.takeError());
    auto slab = std::make_unique<char[]>(sizes->total() + kPage);
    char* base = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(slab.get()) + kPage - 1) & ~(kPage - 1));
    char* next = base;
    for (auto& [group, segment] : layout.segments()) {
      segment.WorkingMem = next;
      uint64_t target;
      if (!target_address(next, reinterpret_cast<uintptr_t>(base), bits_, target))
        return done(llvm::createStringError(llvm::inconvertibleErrorCode(), "segments too large for a 32-bit target"));
      segment.Addr = llvm::orc::ExecutorAddr(target);
      next += llvm::alignTo(segment.ContentSize + segment.ZeroFillSize, kPage);
    }
    if (llvm::Error err = layout.apply()) return done(std::move(err));
    done(std::make_unique<Alloc>(std::move(slab), *this));
  }

  void deallocate(std::vector<FinalizedAlloc> allocs, OnDeallocatedFunction done) override {
    for (FinalizedAlloc& a : allocs) a.release();
    slabs_.clear();
    done(llvm::Error::success());
  }

 private:
  std::vector<std::unique_ptr<char[]>> slabs_;
  unsigned bits_;
};

class RemoteModeContext final : public jl::JITLinkContext {
 public:
  RemoteModeContext(RemoteModeMemory& memory, unsigned bits, std::string& error,
                    std::optional<jl::JITLinkMemoryManager::FinalizedAlloc>& alloc)
      : JITLinkContext(nullptr), memory_(memory), bits_(bits), error_(error), alloc_(alloc) {}
  jl::JITLinkMemoryManager& getMemoryManager() override { return memory_; }
  void notifyFailed(llvm::Error err) override { error_ = llvm::toString(std::move(err)); }
  void lookup(const LookupMap& symbols, std::unique_ptr<jl::JITLinkAsyncLookupContinuation> then) override {
    jl::AsyncLookupResult result;
    for (const auto& [name, flags] : symbols)
      result[name] = llvm::orc::ExecutorSymbolDef(llvm::orc::ExecutorAddr(extern_address(std::string_view(name.data(), name.size()), bits_)),
                                                  llvm::JITSymbolFlags::Exported);
    then->run(std::move(result));
  }
  llvm::Error notifyResolved(jl::LinkGraph&) override { return llvm::Error::success(); }
  void notifyFinalized(jl::JITLinkMemoryManager::FinalizedAlloc alloc) override { alloc_ = std::move(alloc); }
  llvm::Error modifyPassConfig(jl::LinkGraph&, jl::PassConfiguration&) override { return llvm::Error::success(); }

 private:
  RemoteModeMemory& memory_;
  unsigned bits_;
  std::string& error_;
  std::optional<jl::JITLinkMemoryManager::FinalizedAlloc>& alloc_;
};

std::string jitlink_load(const BenchObject& obj, unsigned bits, double& cpu) {
  RemoteModeMemory memory(bits);
  std::string error;
  std::optional<jl::JITLinkMemoryManager::FinalizedAlloc> alloc;
  llvm::MemoryBufferRef buffer(llvm::StringRef(reinterpret_cast<const char*>(obj.bytes.data()), obj.bytes.size()),
                               obj.name);
  double c0 = cpu_now();
  auto graph = jl::createLinkGraphFromObject(buffer);
  if (!graph) return "JITLink: " + llvm::toString(graph.takeError());
  jl::link(std::move(*graph), std::make_unique<RemoteModeContext>(memory, bits, error, alloc));
  cpu = cpu_now() - c0;
  if (alloc) {
    std::vector<jl::JITLinkMemoryManager::FinalizedAlloc> all;
    all.push_back(std::move(*alloc));
    alloc.reset();
    memory.deallocate(std::move(all), [](llvm::Error e) { llvm::consumeError(std::move(e)); });
  }
  if (!error.empty()) return "JITLink: " + error;
  return "";
}

// One load in a child process, for a loader that LLVM 19 is recorded to
// refuse on this architecture: RuntimeDyld crashes (SIGSEGV) on RISC-V and
// LoongArch objects, which would take the whole benchmark binary with it.
// Returns "" when the child loaded the object, else why it did not.
std::string load_in_child(RemoteLoadFn fn, const BenchObject& obj, unsigned bits) {
  int fds[2];
  if (pipe(fds) != 0) return std::string("pipe: ") + std::strerror(errno);
  std::fflush(nullptr);  // nothing buffered is written twice
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return std::string("fork: ") + std::strerror(errno);
  }
  if (pid == 0) {
    close(fds[0]);
    if (int null = open("/dev/null", O_WRONLY); null >= 0) dup2(null, 2);  // LLVM's crash report
    alarm(120);  // a load that hangs is reported (SIGALRM) rather than stalling the run
    rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);  // an expected crash leaves no core file behind
    double cpu = 0;
    std::string error = fn(obj, bits, cpu);
    for (size_t done = 0; done < error.size();) {
      ssize_t n = write(fds[1], error.data() + done, error.size() - done);
      if (n <= 0) break;
      done += size_t(n);
    }
    _exit(error.empty() ? 0 : 1);
  }
  close(fds[1]);
  std::string message;
  char buf[512];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    message.append(buf, size_t(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return std::string("waitpid: ") + std::strerror(errno);
  if (WIFSIGNALED(status))
    return std::string("crashed loading it (signal ") + std::to_string(WTERMSIG(status)) + ", " +
           strsignal(WTERMSIG(status)) + ")";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && message.empty()) return "";
  return message.empty() ? "failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")" : message;
}

void BM_Arch(benchmark::State& state, RemoteLoadFn fn, const char* loader, const Arch* arch, Llvm expect) {
  const BenchObject& obj = object(arch->object);
  if (!obj.error.empty()) return fail(state, obj.error);
  if (expect == Llvm::Refuses) {
    // Once per loader and architecture (Google Benchmark calls this
    // function several times per benchmark).
    static std::map<std::string, std::string> verdicts;
    std::string key = std::string(loader) + "/" + arch->name;
    auto it = verdicts.find(key);
    if (it == verdicts.end()) {
      std::string why = load_in_child(fn, obj, arch->bits);
      if (!why.empty() && why.rfind(loader, 0) != 0) why = std::string(loader) + ": " + why;
      it = verdicts.emplace(key, why).first;
    }
    if (!it->second.empty()) {
      // Not a failure: the registry says LLVM 19 does not load this.
      state.SkipWithError(("refused: " + it->second).c_str());
      return;
    }
  }
  double cpu = 0, total = 0;
  if (std::string e = fn(obj, arch->bits, cpu); !e.empty())
    return fail(state, obj.name + ": " + e);  // untimed first load
  for (auto _ : state) {
    if (std::string e = fn(obj, arch->bits, cpu); !e.empty()) return fail(state, obj.name + ": " + e);
    state.SetIterationTime(cpu);
    total += cpu;
  }
  set_object_counters(state, obj);
  state.counters["cpu_us"] = benchmark::Counter(total * 1e6, benchmark::Counter::kAvgIterations);
}

[[maybe_unused]] const bool registered = [] {
  for (const Arch& a : kArchs) {
    struct Loader {
      const char* name;
      RemoteLoadFn fn;
      Llvm expect;
    };
    const Loader loaders[] = {{"Engine", engine_load, Llvm::Loads},
                              {"RuntimeDyld", rtdyld_load, a.rtdyld},
                              {"JITLink", jitlink_load, a.jitlink}};
    for (const Loader& l : loaders)
      benchmark::RegisterBenchmark((std::string("BM_") + l.name + "_Arch/" + a.name).c_str(), BM_Arch, l.fn, l.name,
                                   &a, l.expect)
          ->UseManualTime()
          ->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

}  // namespace

const std::vector<std::string>& arch_objects() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Arch& a : kArchs) v.push_back(a.object);
    return v;
  }();
  return names;
}

}  // namespace jitload::bench
