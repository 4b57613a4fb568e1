// LLVM 19's JITLink, driven directly: createLinkGraphFromObject, then
// jitlink::link with a minimal JITLinkContext over the in-process memory
// manager — the linker ORC's ObjectLinkingLayer runs, without ORC's symbol
// tables and sessions around it. The default target passes stay on (GOT and
// PLT building, GOTPCRELX relaxation, .eh_frame splitting and edge fixing),
// every symbol is kept live, and .eh_frame is registered with the unwinder
// as ORC's EHFrameRegistrationPlugin would. Externals come from dlsym, as
// ORC's process-symbols generator does.
//
// Phases (timed inside each load), where JITLink's pipeline lets them be
// cut: Load = building the LinkGraph; Resolve = pruning, allocation,
// external lookup and fixups, up to the last post-fixup pass (JITLink
// allocates here, not in Load); Finalize = memory finalization
// (permissions) and EH-frame registration.
#include <dlfcn.h>

#include <llvm/ExecutionEngine/JITLink/EHFrameSupport.h>
#include <llvm/ExecutionEngine/JITLink/JITLink.h>
#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/Support/MemoryBuffer.h>

#include <optional>
#include <string>

#include "bench/support.h"

namespace jitload::bench {
namespace {

namespace jl = llvm::jitlink;

// What the context learns during one link; outlives the context, which
// jitlink::link owns and destroys.
struct LinkOutcome {
  std::string error;
  std::optional<jl::JITLinkMemoryManager::FinalizedAlloc> alloc;
  llvm::orc::ExecutorAddrRange eh_frame;
  llvm::orc::ExecutorAddr entry;
  double fixups_done = 0;
  bool want_entry = false;
};

class BenchContext final : public jl::JITLinkContext {
 public:
  BenchContext(jl::JITLinkMemoryManager& memory, LinkOutcome& out)
      : JITLinkContext(nullptr), memory_(memory), out_(out) {}

  jl::JITLinkMemoryManager& getMemoryManager() override { return memory_; }

  void notifyFailed(llvm::Error err) override {
    out_.error = llvm::toString(std::move(err));
  }

  void lookup(const LookupMap& symbols,
              std::unique_ptr<jl::JITLinkAsyncLookupContinuation> then) override {
    jl::AsyncLookupResult result;
    for (const auto& [name, flags] : symbols) {
      void* address = dlsym(RTLD_DEFAULT, name.str().c_str());
      if (!address) {
        if (flags == jl::SymbolLookupFlags::WeaklyReferencedSymbol) continue;
        then->run(llvm::make_error<llvm::StringError>("undefined symbol '" + name.str() + "'",
                                                      llvm::inconvertibleErrorCode()));
        return;
      }
      result[name] = llvm::orc::ExecutorSymbolDef(llvm::orc::ExecutorAddr::fromPtr(address),
                                                  llvm::JITSymbolFlags::Exported);
    }
    then->run(std::move(result));
  }

  llvm::Error notifyResolved(jl::LinkGraph& graph) override {
    if (out_.want_entry)
      for (jl::Symbol* sym : graph.defined_symbols())
        if (sym->hasName() && sym->getName() == "bench_entry") out_.entry = sym->getAddress();
    return llvm::Error::success();
  }

  void notifyFinalized(jl::JITLinkMemoryManager::FinalizedAlloc alloc) override {
    out_.alloc = std::move(alloc);
  }

  llvm::Error modifyPassConfig(jl::LinkGraph& graph, jl::PassConfiguration& config) override {
    config.PostFixupPasses.push_back(jl::createEHFrameRecorderPass(
        graph.getTargetTriple(), [this](llvm::orc::ExecutorAddr addr, size_t size) {
          out_.eh_frame = llvm::orc::ExecutorAddrRange(addr, size);
        }));
    config.PostFixupPasses.push_back([this](jl::LinkGraph&) -> llvm::Error {
      out_.fixups_done = now();
      return llvm::Error::success();
    });
    return llvm::Error::success();
  }

 private:
  jl::JITLinkMemoryManager& memory_;
  LinkOutcome& out_;
};

void run_jitlink(const BenchObject& obj, const RunOptions& options, LoadRun& run) {
  auto memory = jl::InProcessMemoryManager::Create();
  if (!memory) {
    run.error = "JITLink: " + llvm::toString(memory.takeError());
    return;
  }
  LinkOutcome out;
  out.want_entry = options.execute;
  auto context = std::make_unique<BenchContext>(**memory, out);
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char*>(obj.bytes.data()), obj.bytes.size()), obj.name);
  if (options.meter) meter::start();

  double c0 = cpu_now();
  double t0 = now();
  auto graph = jl::createLinkGraphFromObject(buffer);
  double t1 = now();
  run.load = t1 - t0;
  if (!graph) {
    run.error = "JITLink: " + obj.name + ": " + llvm::toString(graph.takeError());
    if (options.meter) meter::stop();
    return;
  }

  double t2 = now();
  jl::link(std::move(*graph), std::move(context));
  // With the in-process memory manager and a synchronous lookup, link has
  // finished here; EH frames go to the unwinder as ORC's plugin does it.
  bool registered = false;
  if (out.error.empty() && out.alloc && out.eh_frame.Start) {
    if (llvm::Error err = jl::InProcessEHFrameRegistrar().registerEHFrames(out.eh_frame))
      out.error = "registerEHFrames: " + llvm::toString(std::move(err));
    else
      registered = true;
  }
  double t3 = now();
  run.cpu = cpu_now() - c0;
  if (options.meter) run.peak_bytes = meter::stop();
  run.resolve = out.fixups_done - t2;
  run.finalize = t3 - out.fixups_done;
  run.total = t3 - t0;
  if (!out.error.empty()) {
    run.error = "JITLink: " + obj.name + ": " + out.error;
  } else if (!out.alloc) {
    run.error = "JITLink: " + obj.name + ": link finished without finalizing";
  } else if (options.execute && out.entry) {
    run.entry_result = out.entry.toPtr<int (*)(int)>()(kEntryArgument);
    run.executed = true;
  }

  if (registered) llvm::consumeError(jl::InProcessEHFrameRegistrar().deregisterEHFrames(out.eh_frame));
  if (out.alloc) llvm::consumeError((*memory)->deallocate(std::move(*out.alloc)));
}

[[maybe_unused]] const bool registered = [] {
  register_loader("JITLink", run_jitlink, /*with_remap=*/false);
  return true;
}();

}  // namespace
}  // namespace jitload::bench
