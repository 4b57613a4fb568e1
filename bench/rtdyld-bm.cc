// LLVM 19's RuntimeDyld with its SectionMemoryManager: what MCJIT users load
// objects with today, driven the way MCJIT drives it (loadObject, optional
// mapSectionAddress, resolveRelocations, registerEHFrames, finalizeMemory).
// External symbols come from the SectionMemoryManager's default resolver,
// which searches the process, as under MCJIT.
#include <llvm/ExecutionEngine/RuntimeDyld.h>
#include <llvm/ExecutionEngine/SectionMemoryManager.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/DynamicLibrary.h>
#include <llvm/Support/MemoryBuffer.h>

#include <memory>
#include <utility>
#include <vector>

#include "bench/support.h"

namespace jitload::bench {
namespace {

// Remembers each section's memory, so a remote load can remap all of them.
class RecordingMemoryManager final : public llvm::SectionMemoryManager {
 public:
  uint8_t* allocateCodeSection(uintptr_t size, unsigned align, unsigned id,
                               llvm::StringRef name) override {
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

void load_once(RecordingMemoryManager& memory, llvm::RuntimeDyld& dyld, const BenchObject& obj,
               const RunOptions& options, LoadRun& run) {
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char*>(obj.bytes.data()), obj.bytes.size()), obj.name);
  if (options.meter) meter::start();

  double c0 = cpu_now();
  double t0 = now();
  auto file = llvm::object::ObjectFile::createObjectFile(buffer);
  if (!file) {
    run.error = "RuntimeDyld: " + obj.name + ": " + llvm::toString(file.takeError());
    if (options.meter) meter::stop();
    return;
  }
  auto info = dyld.loadObject(**file);
  double t1 = now();
  run.load = t1 - t0;
  if (dyld.hasError() || !info) {
    run.error = "RuntimeDyld: " + obj.name + ": " + dyld.getErrorString().str();
    if (options.meter) meter::stop();
    return;
  }

  double c2 = options.phase == Phase::Remap ? cpu_now() : 0;  // not inside Total's interval
  double t2 = now();
  if (options.phase == Phase::Remap)
    for (uint8_t* local : memory.sections) dyld.mapSectionAddress(local, remote_address(local));
  dyld.resolveRelocations();
  double t3 = now();
  run.resolve = t3 - t2;
  if (dyld.hasError()) {
    run.error = "RuntimeDyld: " + obj.name + ": " + dyld.getErrorString().str();
    if (options.meter) meter::stop();
    return;
  }
  if (options.phase == Phase::Remap) {
    run.cpu = cpu_now() - c2;
    return;
  }

  double t4 = now();
  dyld.registerEHFrames();
  std::string message;
  bool failed = memory.finalizeMemory(&message);
  double t5 = now();
  run.cpu = cpu_now() - c0;
  run.finalize = t5 - t4;
  run.total = t5 - t0;
  if (options.meter) run.peak_bytes = meter::stop();
  if (failed) {
    run.error = "RuntimeDyld: " + obj.name + ": finalizeMemory: " + message;
    return;
  }
  if (options.execute) {
    auto entry = dyld.getSymbol("bench_entry");
    if (entry.getAddress()) {
      run.entry_result = reinterpret_cast<int (*)(int)>(entry.getAddress())(kEntryArgument);
      run.executed = true;
    }
  }
}

void run_rtdyld(const BenchObject& obj, const RunOptions& options, LoadRun& run) {
  // Set-up, untimed: a fresh memory manager and loader per load, as a JIT
  // creating a new MCJIT would have.
  auto memory = std::make_unique<RecordingMemoryManager>();
  auto dyld = std::make_unique<llvm::RuntimeDyld>(*memory, *memory);
  load_once(*memory, *dyld, obj, options, run);
  // Teardown, timed apart as for the engine: EH frames, then the memory.
  double t0 = now();
  memory->deregisterEHFrames();
  dyld.reset();
  memory.reset();
  run.teardown = now() - t0;
}

[[maybe_unused]] const bool registered = [] {
  // The default resolver searches libraries made permanent; nullptr is the
  // process itself (what MCJIT's EngineBuilder does).
  llvm::sys::DynamicLibrary::LoadLibraryPermanently(nullptr);
  register_loader("RuntimeDyld", run_rtdyld, /*with_remap=*/true);
  return true;
}();

}  // namespace
}  // namespace jitload::bench
