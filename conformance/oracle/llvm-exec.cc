// jitload-oracle-llvm --exec-server
//
// LLVM 19's MCJIT as the execution oracle of the module fuzz target
// (exec.h). A long-lived server: it starts once per fuzzing process (LLVM's
// shared library takes ~20 ms to load, a fork ~1 ms), reads requests on
// stdin and forks one child per request, because generated code from
// fuzzed IR may crash or hang. Protocol (stdin and stdout are one socket):
//
//   request   "req S P B O\n" then S bytes of settings (exec.h's text
//             form), P bytes of plan, B bytes of module bitcode, O bytes
//             of object (O = 0: MCJIT compiles the module)
//   answer    the child's lines: "object HASH" (FNV-1a-64 of the object
//             MCJIT compiled or was given), "given" if it was given, "p 0"
//             and outcome lines for engine A,
//             "p 1" and outcome lines for engine B, or "error MESSAGE";
//             then the server's "exit ok|signal N|status N|timeout" and "end"
//
// Engine A compiles the module (EngineBuilder::create with a TargetMachine
// made exactly as jitload's create_target_machine makes it for the same
// settings: same triple, CPU, no features, default TargetOptions, JIT=true);
// with low_memory (small or medium code model without PIC) both engines' memory
// comes from the low 2 GiB, as jitload's side does (fuzz/module.cc);
// engine B gets the same object from an ObjectCache and places every
// section at a different offset, so a result that depends on where code or
// data is shows as A != B.
#include <signal.h>
#include <sys/mman.h>

#include <cerrno>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "conformance/oracle/exec.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/ExecutionEngine/ExecutionEngine.h"
#include "llvm/ExecutionEngine/MCJIT.h"
#include "llvm/ExecutionEngine/ObjectCache.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/Memory.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace jitload::conformance;

namespace {

constexpr int kChildTimeoutMs = 6000;  // at most 2 x 24 calls x kExecCallTimeoutMs, plus compilation

void put(const std::string& s) {
  const char* p = s.data();
  size_t n = s.size();
  while (n) {
    ssize_t w = write(1, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) _exit(4);
    p += w;
    n -= size_t(w);
  }
}


// Memory in the low 2 GiB (MAP_32BIT) for the small and medium code models
// without PIC, whose 32-bit absolute relocations need it
// (ExecSettings::low_memory).
class LowMapper final : public llvm::SectionMemoryManager::MemoryMapper {
 public:
  llvm::sys::MemoryBlock allocateMappedMemory(llvm::SectionMemoryManager::AllocationPurpose, size_t bytes,
                                              const llvm::sys::MemoryBlock*, unsigned flags,
                                              std::error_code& ec) override {
    size_t n = (bytes + 4095) & ~size_t(4095);
    int prot = 0;
    if (flags & llvm::sys::Memory::MF_READ) prot |= PROT_READ;
    if (flags & llvm::sys::Memory::MF_WRITE) prot |= PROT_WRITE;
    if (flags & llvm::sys::Memory::MF_EXEC) prot |= PROT_EXEC;
#ifdef MAP_32BIT
    void* p = mmap(nullptr, n, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
#else
    // Never reached: make_engine refuses low_memory on such hosts first.
    void* p = MAP_FAILED;
    errno = ENOTSUP;
#endif
    if (p == MAP_FAILED) {
      ec = std::error_code(errno, std::generic_category());
      return {};
    }
    ec = {};
    return llvm::sys::MemoryBlock(p, n);
  }
  std::error_code protectMappedMemory(const llvm::sys::MemoryBlock& block, unsigned flags) override {
    return llvm::sys::Memory::protectMappedMemory(block, flags);
  }
  std::error_code releaseMappedMemory(llvm::sys::MemoryBlock& block) override {
    return llvm::sys::Memory::releaseMappedMemory(block);
  }
};

LowMapper g_low_mapper;

class ExecMemory final : public llvm::SectionMemoryManager {
 public:
  ExecMemory(uintptr_t shift, bool low) : llvm::SectionMemoryManager(low ? &g_low_mapper : nullptr), shift_(shift) {}
  uint8_t* allocateCodeSection(uintptr_t size, unsigned align, unsigned id, llvm::StringRef name) override {
    uintptr_t pad = padding(align);
    return llvm::SectionMemoryManager::allocateCodeSection(size + pad, align, id, name) + pad;
  }
  uint8_t* allocateDataSection(uintptr_t size, unsigned align, unsigned id, llvm::StringRef name,
                               bool read_only) override {
    uintptr_t pad = padding(align);
    return llvm::SectionMemoryManager::allocateDataSection(size + pad, align, id, name, read_only) + pad;
  }
  // Every external symbol is exec.h's never-mapped dummy, as on jitload's
  // side: what two processes can resolve differs (a fuzzer's binary exports
  // names like "f"), and runnable functions call no external.
  uint64_t getSymbolAddress(const std::string&) override { return kExecUnresolvedAddress; }

 private:
  uintptr_t padding(unsigned align) const {
    if (!shift_) return 0;
    uintptr_t a = align ? align : 1;
    return (shift_ + a - 1) / a * a;
  }
  uintptr_t shift_;
};

class CaptureObject final : public llvm::ObjectCache {
 public:
  explicit CaptureObject(const std::string& given) {
    if (!given.empty()) object_ = llvm::MemoryBuffer::getMemBufferCopy(given, "exec-object");
  }
  void notifyObjectCompiled(const llvm::Module*, llvm::MemoryBufferRef object) override {
    if (!object_) object_ = llvm::MemoryBuffer::getMemBufferCopy(object.getBuffer(), "exec-object");
  }
  std::unique_ptr<llvm::MemoryBuffer> getObject(const llvm::Module*) override {
    return object_ ? llvm::MemoryBuffer::getMemBufferCopy(object_->getBuffer(), "exec-object") : nullptr;
  }
  const llvm::MemoryBuffer* object() const { return object_.get(); }

 private:
  std::unique_ptr<llvm::MemoryBuffer> object_;
};

[[noreturn]] void fail(const std::string& message) {
  std::string m = message;
  for (char& c : m)
    if (c == '\n') c = ' ';
  put("error " + m + "\n");
  _exit(0);
}

// One engine over a fresh copy of the module; the addresses of the plan's
// functions.
std::unique_ptr<llvm::ExecutionEngine> make_engine(llvm::LLVMContext& ctx, const std::string& bitcode,
                                                   const ExecSettings& s, uintptr_t shift, CaptureObject& cache,
                                                   const ExecPlan& plan, std::vector<uint64_t>& addresses) {
  auto module = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bitcode, "exec-module"), ctx);
  if (!module) fail("bitcode does not parse: " + llvm::toString(module.takeError()));
  std::string triple = llvm::Triple::normalize(llvm::sys::getProcessTriple());
  // This path runs the code in this process: it refuses, by name, what the
  // host cannot run (objects of other architectures run under qemu through
  // jitload exec instead) and what it cannot provide.
  llvm::Triple host(triple);
  if (!(*module)->getTargetTriple().empty()) {
    llvm::Triple wanted((*module)->getTargetTriple());
    if (wanted.getArch() != host.getArch())
      fail("the module is for " + wanted.getArchName().str() + ", which this " + host.getArchName().str() +
           " host cannot execute in process");
  }
  if (host.getArch() != llvm::Triple::x86_64 || !host.isOSBinFormatELF())
    fail("in-process execution is implemented for x86-64 ELF hosts only (register state and trampolines: "
         "exec-x86-64.cc), not " + host.str());
#ifndef MAP_32BIT
  if (s.low_memory) fail("low memory (MAP_32BIT) is not available on this host");
#endif
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) fail("no target: " + error);
  std::optional<llvm::CodeModel::Model> cm;
  if (s.code_model >= 0) cm = llvm::CodeModel::Model(s.code_model);
  std::optional<llvm::Reloc::Model> rm;
  if (s.reloc_model >= 0) rm = llvm::Reloc::Model(s.reloc_model);
  llvm::TargetMachine* tm = target->createTargetMachine(triple, s.cpu, "", llvm::TargetOptions(), rm, cm,
                                                        llvm::CodeGenOptLevel(s.opt_level), /*JIT=*/true);
  if (!tm) fail("cannot create a target machine");
  (*module)->setDataLayout(tm->createDataLayout());
  (*module)->setTargetTriple(tm->getTargetTriple().str());
  llvm::EngineBuilder builder(std::move(*module));
  builder.setEngineKind(llvm::EngineKind::JIT)
      .setErrorStr(&error)
      .setMCJITMemoryManager(std::make_unique<ExecMemory>(shift, s.low_memory))
      .setVerifyModules(true);
  std::unique_ptr<llvm::ExecutionEngine> engine(builder.create(tm));
  if (!engine) fail("MCJIT: " + error);
  engine->setObjectCache(&cache);
  addresses.clear();
  for (const ExecFunction& f : plan.functions) {
    uint64_t a = engine->getFunctionAddress(f.name);
    if (engine->hasError()) fail("MCJIT: " + engine->getErrorMessage());
    if (!a) fail("MCJIT: no function " + f.name);
    addresses.push_back(a);
  }
  return engine;
}

void run_request(const std::string& settings_text, const std::string& plan_text, const std::string& bitcode,
                 const std::string& object) {
  ExecSettings settings;
  ExecPlan plan;
  std::string error;
  if (!settings_from_text(settings_text, settings, error)) fail(error);
  if (!plan_from_text(plan_text, plan, error)) fail(error);
  llvm::LLVMContext ctx_a, ctx_b;
  CaptureObject cache(object);  // an object given: MCJIT's cache hands it over, no code generation
  std::vector<uint64_t> addr_a, addr_b;
  auto a = make_engine(ctx_a, bitcode, settings, 0, cache, plan, addr_a);
  if (!cache.object()) fail("MCJIT compiled no object");
  if (!object.empty()) put("given\n");
  const llvm::MemoryBuffer* obj = cache.object();
  put("object " +
      fnv1a_hex(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(obj->getBufferStart()), obj->getBufferSize())) +
      "\n");
  auto b = make_engine(ctx_b, bitcode, settings, 0x340, cache, plan, addr_b);
  auto emit = [](size_t k, const CallOutcome& o) { put(outcome_line(k, o)); };
  put("p 0\n");
  execute_plan(plan, addr_a, emit);
  put("p 1\n");
  execute_plan(plan, addr_b, emit);
}

bool read_exact(std::string& buffer, std::string& out, size_t n) {
  char chunk[65536];
  while (buffer.size() < n) {
    ssize_t r = read(0, chunk, sizeof chunk);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    buffer.append(chunk, size_t(r));
  }
  out = buffer.substr(0, n);
  buffer.erase(0, n);
  return true;
}

bool read_line(std::string& buffer, std::string& line) {
  char chunk[65536];
  size_t nl;
  while ((nl = buffer.find('\n')) == std::string::npos) {
    ssize_t r = read(0, chunk, sizeof chunk);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    buffer.append(chunk, size_t(r));
  }
  line = buffer.substr(0, nl);
  buffer.erase(0, nl + 1);
  return true;
}

}  // namespace

int run_exec_server() {
  // The limits of oracle.h's children, for this server and the children it
  // forks: 4 GiB of address space (LLVM on a fuzzed module, generated code
  // allocating), no core files. Time: kChildTimeoutMs per request.
  struct rlimit as_limit = {rlim_t(4) << 30, rlim_t(4) << 30};
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_AS, &as_limit);
  setrlimit(RLIMIT_CORE, &no_core);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  signal(SIGPIPE, SIG_IGN);
  std::string buffer, line;
  while (read_line(buffer, line)) {
    size_t s = 0, p = 0, b = 0, o = 0;
    if (std::sscanf(line.c_str(), "req %zu %zu %zu %zu", &s, &p, &b, &o) != 4) {
      put("error bad request line\nexit ok\nend\n");
      continue;
    }
    std::string settings, plan, bitcode, object;
    if (!read_exact(buffer, settings, s) || !read_exact(buffer, plan, p) || !read_exact(buffer, bitcode, b) ||
        !read_exact(buffer, object, o))
      break;
    pid_t pid = fork();
    if (pid < 0) {
      put("error fork failed\nexit ok\nend\n");
      continue;
    }
    if (pid == 0) {
      run_request(settings, plan, bitcode, object);
      _exit(0);  // no static destructors: the engines' memory dies with the process
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kChildTimeoutMs);
    int status = 0;
    bool timed_out = false;
    for (;;) {
      pid_t w = waitpid(pid, &status, WNOHANG);
      if (w == pid) break;
      if (w < 0 && errno != EINTR) break;
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        timed_out = true;
        break;
      }
      struct timespec ts = {0, 200000};
      nanosleep(&ts, nullptr);
    }
    if (timed_out) put("exit timeout\nend\n");
    else if (WIFSIGNALED(status)) put("exit signal " + std::to_string(WTERMSIG(status)) + "\nend\n");
    else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) put("exit status " + std::to_string(WEXITSTATUS(status)) + "\nend\n");
    else put("exit ok\nend\n");
  }
  return 0;
}
