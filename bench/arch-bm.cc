// Every architecture the loader has, measured in remote mode: load the
// object, map every section to a target address far from where it sits
// here, resolve externals to target addresses, apply every relocation — and
// stop. Nothing is finalized or executed, so an object for another machine
// (AArch64, little- and big-endian) is measured on this host exactly as a
// cross JIT's controller would load it before sending the bytes over.
//
//   BM_<Loader>_Arch/<arch>   Loader: Engine, RuntimeDyld, JITLink (LLVM 19)
//                             arch:   x86_64 (the large object), aarch64,
//                                     aarch64_be (the same program compiled
//                                     for them: a64-large.o, a64be-large.o)
//
// The same 2,300-function program for every architecture (clang-19 -O2
// -fwrapv -fPIE, built by bench/CMakeLists.txt, never committed). Every
// loader gets the same rules: sections at local address - kRemoteShift,
// externals at kExternBase + 16 * (FNV-1a(name) mod 2^20) (far from the
// sections: calls need stubs, data references GOT slots where the loader
// makes them). Timed: CPU time of load + map + resolve, the gate's measure;
// set-up and teardown are not timed. A loader that does not load an
// architecture is not registered for it (LLVM 19's JITLink links only
// little-endian AArch64 ELF: "Object is not a relocatable ELF file" for
// aarch64_be); a load error fails the benchmark.
#include <llvm/ExecutionEngine/JITLink/JITLink.h>
#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/ExecutionEngine/RuntimeDyld.h>
#include <llvm/ExecutionEngine/SectionMemoryManager.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>

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

uint64_t extern_address(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name) h = (h ^ uint8_t(c)) * 0x100000001b3ull;
  return kExternBase + 16 * (h & ((1u << 20) - 1));
}

struct Arch {
  const char* name;    // the benchmark's argument
  const char* object;  // bench/objects/<object>.o
  bool jitlink;        // LLVM 19's JITLink links it
};
constexpr Arch kArchs[] = {
    {"x86_64", "large", true},
    {"aarch64", "a64-large", true},
    {"aarch64_be", "a64be-large", false},
};

// One remote-mode load: returns an error message or "", and the CPU time.
using RemoteLoadFn = std::string (*)(const BenchObject& obj, double& cpu);

// ---- the engine ------------------------------------------------------------

class FixedResolver final : public SymbolResolver {
 public:
  std::optional<u64> lookup(std::string_view name) override { return extern_address(name); }
};

std::string engine_load(const BenchObject& obj, double& cpu) {
  SectionMemoryManager memory;
  FixedResolver resolver;
  RuntimeDyld dyld(memory, &resolver);
  double c0 = cpu_now();
  auto info = dyld.load_object(std::span<const u8>(obj.bytes.data(), obj.bytes.size()), obj.name);
  if (!info) return "engine: " + info.error().message();
  std::span<const LoadedSection> sections = dyld.sections();
  for (u32 id = 0; id < sections.size(); ++id)
    if (sections[id].local)
      if (Error err = dyld.map_section_address(id, remote_address(sections[id].local)))
        return "engine: " + err.message();
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
  llvm::JITSymbol findSymbol(const std::string& name) override {
    return llvm::JITSymbol(extern_address(name), llvm::JITSymbolFlags::Exported);
  }
  llvm::JITSymbol findSymbolInLogicalDylib(const std::string&) override { return nullptr; }
};

std::string rtdyld_load(const BenchObject& obj, double& cpu) {
  RecordingMemoryManager memory;
  FixedLlvmResolver resolver;
  llvm::RuntimeDyld dyld(memory, resolver);
  llvm::MemoryBufferRef buffer(llvm::StringRef(reinterpret_cast<const char*>(obj.bytes.data()), obj.bytes.size()),
                               obj.name);
  double c0 = cpu_now();
  auto file = llvm::object::ObjectFile::createObjectFile(buffer);
  if (!file) return "RuntimeDyld: " + llvm::toString(file.takeError());
  auto info = dyld.loadObject(**file);
  if (dyld.hasError() || !info) return "RuntimeDyld: " + dyld.getErrorString().str();
  for (uint8_t* local : memory.sections) dyld.mapSectionAddress(local, remote_address(local));
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
      segment.Addr = llvm::orc::ExecutorAddr(remote_address(next));
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
};

class RemoteModeContext final : public jl::JITLinkContext {
 public:
  RemoteModeContext(RemoteModeMemory& memory, std::string& error, std::optional<jl::JITLinkMemoryManager::FinalizedAlloc>& alloc)
      : JITLinkContext(nullptr), memory_(memory), error_(error), alloc_(alloc) {}
  jl::JITLinkMemoryManager& getMemoryManager() override { return memory_; }
  void notifyFailed(llvm::Error err) override { error_ = llvm::toString(std::move(err)); }
  void lookup(const LookupMap& symbols, std::unique_ptr<jl::JITLinkAsyncLookupContinuation> then) override {
    jl::AsyncLookupResult result;
    for (const auto& [name, flags] : symbols)
      result[name] = llvm::orc::ExecutorSymbolDef(llvm::orc::ExecutorAddr(extern_address(std::string_view(name.data(), name.size()))),
                                                  llvm::JITSymbolFlags::Exported);
    then->run(std::move(result));
  }
  llvm::Error notifyResolved(jl::LinkGraph&) override { return llvm::Error::success(); }
  void notifyFinalized(jl::JITLinkMemoryManager::FinalizedAlloc alloc) override { alloc_ = std::move(alloc); }
  llvm::Error modifyPassConfig(jl::LinkGraph&, jl::PassConfiguration&) override { return llvm::Error::success(); }

 private:
  RemoteModeMemory& memory_;
  std::string& error_;
  std::optional<jl::JITLinkMemoryManager::FinalizedAlloc>& alloc_;
};

std::string jitlink_load(const BenchObject& obj, double& cpu) {
  RemoteModeMemory memory;
  std::string error;
  std::optional<jl::JITLinkMemoryManager::FinalizedAlloc> alloc;
  llvm::MemoryBufferRef buffer(llvm::StringRef(reinterpret_cast<const char*>(obj.bytes.data()), obj.bytes.size()),
                               obj.name);
  double c0 = cpu_now();
  auto graph = jl::createLinkGraphFromObject(buffer);
  if (!graph) return "JITLink: " + llvm::toString(graph.takeError());
  jl::link(std::move(*graph), std::make_unique<RemoteModeContext>(memory, error, alloc));
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

void BM_Arch(benchmark::State& state, RemoteLoadFn fn, std::string object_name) {
  const BenchObject& obj = object(object_name);
  if (!obj.error.empty()) return fail(state, obj.error);
  double cpu = 0, total = 0;
  if (std::string e = fn(obj, cpu); !e.empty()) return fail(state, obj.name + ": " + e);  // untimed first load
  for (auto _ : state) {
    if (std::string e = fn(obj, cpu); !e.empty()) return fail(state, obj.name + ": " + e);
    state.SetIterationTime(cpu);
    total += cpu;
  }
  set_object_counters(state, obj);
  state.counters["cpu_us"] = benchmark::Counter(total * 1e6, benchmark::Counter::kAvgIterations);
}

[[maybe_unused]] const bool registered = [] {
  struct Loader {
    const char* name;
    RemoteLoadFn fn;
  };
  const Loader loaders[] = {{"Engine", engine_load}, {"RuntimeDyld", rtdyld_load}, {"JITLink", jitlink_load}};
  for (const Arch& a : kArchs)
    for (const Loader& l : loaders) {
      if (l.fn == jitlink_load && !a.jitlink) continue;
      benchmark::RegisterBenchmark((std::string("BM_") + l.name + "_Arch/" + a.name).c_str(), BM_Arch, l.fn,
                                   std::string(a.object))
          ->UseManualTime()
          ->Unit(benchmark::kMicrosecond);
    }
  return true;
}();

}  // namespace
}  // namespace jitload::bench
