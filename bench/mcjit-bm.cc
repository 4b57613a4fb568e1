// End to end: IR module → first call, on jitload's MCJIT engine and on LLVM
// 19's own MCJIT, in the same binary and run, with the same code generation
// settings (host CPU, -O2 code generation, the JIT default code model and
// relocation model, EH frames registered, no debugger registration).
//
//   BM_McjitFirstCall_<Engine>/<functions>
//       create the engine from a fresh module, look up the entry point
//       (which generates, loads and links the code), call it once. Counters:
//       codegen_us (IR → object in memory) and load_link_us (object → code
//       ready to run); the rest of the interval is engine and TargetMachine
//       creation and the lookup itself.
//   BM_McjitCacheHit_<Engine>/<functions>
//       the same with an in-memory ObjectCache holding the object already:
//       no code generation, so the interval is engine creation, the cache
//       consultation (jitload hashes the module's bitcode for its key; LLVM's
//       caches key on the module's identifier) and load+link.
//   BM_McjitFirstCall_JitloadGdb/<functions>
//       jitload with GDB JIT registration on (its default): the cost of
//       building and registering the debug object.
//
// The split for LLVM's MCJIT is read from its ObjectCache hooks: getObject
// is called just before code generation, notifyObjectCompiled just after,
// so codegen = notify - get and load+link = (lookup returned) - notify.
// jitload's engine counts the same intervals itself (EngineStats).
//
// The module: <functions> functions, each with a loop, a load and a store of
// a global array and a call to the previous one; the entry point also calls
// libc (labs). Every iteration compiles a fresh clone, made outside the timed
// interval.
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <llvm/AsmParser/Parser.h>
#include <llvm/ExecutionEngine/ExecutionEngine.h>
#include <llvm/ExecutionEngine/MCJIT.h>
#include <llvm/ExecutionEngine/ObjectCache.h>
#include <llvm/ExecutionEngine/SectionMemoryManager.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include "bench/support.h"
#include "engine/mcjit/mcjit.h"
#include "engine/mcjit/object-cache.h"

namespace jitload::bench {
namespace {

double seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string module_text(int functions) {
  std::string s = "@data = global [64 x i64] zeroinitializer\ndeclare i64 @labs(i64)\n";
  for (int i = 0; i < functions; i++) {
    std::string n = std::to_string(i);
    s += "define i64 @f" + n + "(i64 %x) {\nentry:\n";
    s += "  %p = getelementptr [64 x i64], ptr @data, i64 0, i64 " + std::to_string(i % 64) + "\n";
    s += "  %v = load i64, ptr %p\n  br label %loop\nloop:\n";
    s += "  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]\n  %acc = phi i64 [ %v, %entry ], [ %acc1, %loop ]\n";
    s += "  %m = mul i64 %i, " + std::to_string(2 * i + 1) + "\n  %acc1 = add i64 %acc, %m\n";
    s += "  %i1 = add i64 %i, 1\n  %done = icmp eq i64 %i1, %x\n  br i1 %done, label %out, label %loop\n";
    s += "out:\n";
    if (i > 0)
      s += "  %c = call i64 @f" + std::to_string(i - 1) + "(i64 %x)\n  %r = xor i64 %acc1, %c\n";
    else
      s += "  %r = xor i64 %acc1, 12345\n";
    s += "  store i64 %r, ptr %p\n  ret i64 %r\n}\n";
  }
  s += "define i64 @entry(i64 %x) {\n  %r = call i64 @f" + std::to_string(functions - 1) +
       "(i64 %x)\n  %a = call i64 @labs(i64 %r)\n  ret i64 %a\n}\n";
  return s;
}

// One template module per size, parsed once; each iteration clones it.
struct Template {
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> module;
};

Template& template_for(int functions) {
  static std::map<int, std::unique_ptr<Template>> cache;
  auto& t = cache[functions];
  if (!t) {
    t = std::make_unique<Template>();
    llvm::SMDiagnostic err;
    t->module = llvm::parseAssemblyString(module_text(functions), err, t->ctx);
    if (t->module) t->module->setModuleIdentifier("bench-" + std::to_string(functions));
  }
  return *t;
}

constexpr int kTrips = 3;  // loop trips per function in the one call

// Every engine must compute the same value for the same module.
bool agrees(benchmark::State& state, int functions, i64 result, const char* engine) {
  static std::map<int, i64> expected;
  auto [it, inserted] = expected.emplace(functions, result);
  if (inserted || it->second == result) return true;
  fail(state, std::string(engine) + ": entry returned " + std::to_string(result) + ", another engine " +
                  std::to_string(it->second));
  return false;
}

// --- jitload ----------------------------------------------------------------

class MemoryCache final : public ObjectCache {
 public:
  std::optional<std::vector<u8>> get_object(const llvm::Module&, const CacheKey&) override { return object; }
  void notify_object_compiled(const llvm::Module&, const CacheKey&, std::span<const u8> o) override {
    object.emplace(o.begin(), o.end());
  }
  std::optional<std::vector<u8>> object;
};

void jitload_run(benchmark::State& state, bool cached, bool gdb) {
  const int functions = int(state.range(0));
  Template& t = template_for(functions);
  if (!t.module) return fail(state, "module did not parse");
  std::shared_ptr<MemoryCache> cache;
  if (cached) {
    // Fill the cache once, untimed.
    cache = std::make_shared<MemoryCache>();
    EngineBuilder b(llvm::CloneModule(*t.module));
    b.set_object_cache(cache).set_gdb_registration(false);
    auto jit = b.create();
    if (!jit || !(*jit)->get_function_address("entry")) return fail(state, "jitload: priming the cache failed");
  }
  double codegen = 0, load_link = 0, key = 0;
  i64 expected = 0;
  bool first = true;
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<llvm::Module> m = llvm::CloneModule(*t.module);
    state.ResumeTiming();
    EngineBuilder b(std::move(m));
    b.set_opt_level(llvm::CodeGenOptLevel::Default).set_gdb_registration(gdb);
    if (cache) b.set_object_cache(cache);
    Expected<std::unique_ptr<MCJIT>> jit = b.create();
    if (!jit) return fail(state, "jitload: " + jit.error().message());
    Expected<u64> entry = (*jit)->get_function_address("entry");
    if (!entry) return fail(state, "jitload: " + entry.error().message());
    i64 r = reinterpret_cast<i64 (*)(i64)>(uintptr_t(*entry))(kTrips);
    benchmark::DoNotOptimize(r);
    const EngineStats& s = (*jit)->stats();
    if (cached && s.objects_emitted) return fail(state, "jitload: cache hit generated code");
    codegen += s.codegen_ns * 1e-9;
    load_link += (s.load_ns + s.link_ns) * 1e-9;
    key += s.cache_key_ns * 1e-9;
    state.PauseTiming();
    jit->reset();  // tear-down outside the interval, as for LLVM below
    if (first) expected = r, first = false;
    if (r != expected) return fail(state, "jitload: the entry point's result changed between runs");
    if (!agrees(state, functions, r, "jitload")) return;
    state.ResumeTiming();
  }
  state.counters["codegen_us"] = benchmark::Counter(codegen * 1e6, benchmark::Counter::kAvgIterations);
  state.counters["load_link_us"] = benchmark::Counter(load_link * 1e6, benchmark::Counter::kAvgIterations);
  if (cached) state.counters["cache_key_us"] = benchmark::Counter(key * 1e6, benchmark::Counter::kAvgIterations);
  state.counters["result"] = double(expected);
  state.SetItemsProcessed(state.iterations() * functions);
}

void BM_McjitFirstCall_Jitload(benchmark::State& state) { jitload_run(state, false, false); }
void BM_McjitFirstCall_JitloadGdb(benchmark::State& state) { jitload_run(state, false, true); }
void BM_McjitCacheHit_Jitload(benchmark::State& state) { jitload_run(state, true, false); }

// --- LLVM's MCJIT -------------------------------------------------------------

// Times code generation through the ObjectCache hooks; optionally serves a
// stored object (then getObject returns it and nothing is compiled).
class TimingCache final : public llvm::ObjectCache {
 public:
  std::unique_ptr<llvm::MemoryBuffer> getObject(const llvm::Module*) override {
    asked = seconds();
    if (serve && stored) return llvm::MemoryBuffer::getMemBufferCopy(*stored);
    return nullptr;
  }
  void notifyObjectCompiled(const llvm::Module*, llvm::MemoryBufferRef obj) override {
    compiled = seconds();
    stored = obj.getBuffer().str();
  }
  bool serve = false;
  std::optional<std::string> stored;
  double asked = 0, compiled = 0;
};

struct LlvmEngine {
  std::unique_ptr<llvm::ExecutionEngine> ee;
  std::string error;
};

LlvmEngine make_llvm(std::unique_ptr<llvm::Module> m) {
  LlvmEngine out;
  llvm::EngineBuilder b(std::move(m));
  // The same choices jitload's builder makes: host CPU and features, -O2
  // code generation, the JIT's default code and relocation models.
  std::vector<std::string> attrs;
  for (const auto& f : llvm::sys::getHostCPUFeatures()) attrs.push_back((f.second ? "+" : "-") + f.first().str());
  b.setEngineKind(llvm::EngineKind::JIT)
      .setErrorStr(&out.error)
      .setMCJITMemoryManager(std::make_unique<llvm::SectionMemoryManager>())
      .setOptLevel(llvm::CodeGenOptLevel::Default)
      .setMCPU(llvm::sys::getHostCPUName())
      .setMAttrs(attrs);
  out.ee.reset(b.create());
  return out;
}

void llvm_run(benchmark::State& state, bool cached) {
  const int functions = int(state.range(0));
  Template& t = template_for(functions);
  if (!t.module) return fail(state, "module did not parse");
  TimingCache cache;
  if (cached) {
    LlvmEngine e = make_llvm(llvm::CloneModule(*t.module));
    if (!e.ee) return fail(state, "LLVM MCJIT: " + e.error);
    e.ee->setObjectCache(&cache);
    if (!e.ee->getFunctionAddress("entry")) return fail(state, "LLVM MCJIT: priming the cache failed");
    cache.serve = true;
  }
  double codegen = 0, load_link = 0;
  i64 expected = 0;
  bool first = true;
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<llvm::Module> m = llvm::CloneModule(*t.module);
    cache.asked = cache.compiled = 0;
    state.ResumeTiming();
    LlvmEngine e = make_llvm(std::move(m));
    if (!e.ee) return fail(state, "LLVM MCJIT: " + e.error);
    e.ee->setObjectCache(&cache);
    uint64_t entry = e.ee->getFunctionAddress("entry");
    double linked = seconds();
    if (!entry) return fail(state, "LLVM MCJIT: no entry point");
    i64 r = reinterpret_cast<i64 (*)(i64)>(uintptr_t(entry))(kTrips);
    benchmark::DoNotOptimize(r);
    if (cached) {
      load_link += linked - cache.asked;
    } else {
      codegen += cache.compiled - cache.asked;
      load_link += linked - cache.compiled;
    }
    state.PauseTiming();
    e.ee.reset();
    if (first) expected = r, first = false;
    if (r != expected) return fail(state, "LLVM MCJIT: the entry point's result changed between runs");
    if (!agrees(state, functions, r, "LLVM MCJIT")) return;
    state.ResumeTiming();
  }
  state.counters["codegen_us"] = benchmark::Counter(codegen * 1e6, benchmark::Counter::kAvgIterations);
  state.counters["load_link_us"] = benchmark::Counter(load_link * 1e6, benchmark::Counter::kAvgIterations);
  state.counters["result"] = double(expected);
  state.SetItemsProcessed(state.iterations() * functions);
}

void BM_McjitFirstCall_LLVM(benchmark::State& state) { llvm_run(state, false); }
void BM_McjitCacheHit_LLVM(benchmark::State& state) { llvm_run(state, true); }

int init = [] {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  jitload::initialize_llvm_targets();
  return 0;
}();

#define MCJIT_SIZES ->Arg(1)->Arg(16)->Arg(128)->Unit(benchmark::kMillisecond)
BENCHMARK(BM_McjitFirstCall_Jitload) MCJIT_SIZES;
BENCHMARK(BM_McjitFirstCall_LLVM) MCJIT_SIZES;
BENCHMARK(BM_McjitFirstCall_JitloadGdb) MCJIT_SIZES;
BENCHMARK(BM_McjitCacheHit_Jitload) MCJIT_SIZES;
BENCHMARK(BM_McjitCacheHit_LLVM) MCJIT_SIZES;

}  // namespace
}  // namespace jitload::bench
