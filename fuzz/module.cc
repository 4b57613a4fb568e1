// Fuzz target "module": LLVM IR in, relocatable objects out. An input is an
// IR module (bitcode, or textual IR for the hand-written seeds); libFuzzer's
// custom mutator changes it with LLVM's FuzzMutate library (IRMutator:
// injected operations, deleted and modified instructions, new functions,
// blocks, PHIs, sunk and shuffled instructions) and writes bitcode back.
// Each module is compiled by the engine's own code generation
// (engine/mcjit/codegen.h) under a code model / relocation model picked
// from the input's hash, and the object goes through the same checks as
// every object target (fuzz/harness.h: engine invariants, then engine vs
// reference). The point: objects as a compiler writes them, with the
// relocation mixes real code has, but from programs no test suite holds.
// Modules that do not parse or verify, or that LLVM cannot compile, are
// skipped (not our findings).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <llvm/FuzzMutate/IRMutator.h>
#include <llvm/FuzzMutate/Operations.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Target/TargetMachine.h>

#include "engine/mcjit/codegen.h"
#include "fuzz/harness.h"

namespace {

const bool verbose = std::getenv("JITLOAD_FUZZ_VERBOSE") != nullptr;

std::unique_ptr<llvm::Module> parse(const uint8_t* data, size_t size, llvm::LLVMContext& ctx) {
  if (size == 0) return nullptr;
  llvm::SMDiagnostic diag;
  // A copy with a terminating NUL: the textual IR parser needs one.
  std::unique_ptr<llvm::MemoryBuffer> buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(reinterpret_cast<const char*>(data), size), "module-input");
  std::unique_ptr<llvm::Module> m = llvm::parseIR(buffer->getMemBufferRef(), diag, ctx);
  if (!m) {
    if (verbose) std::fprintf(stderr, "  module: does not parse: %s\n", diag.getMessage().str().c_str());
    return nullptr;
  }
  if (llvm::verifyModule(*m, nullptr)) {
    if (verbose) std::fprintf(stderr, "  module: does not verify\n");
    return nullptr;
  }
  return m;
}

// The four ways jitload's users compile: the JIT default (large code
// model), small non-PIC, small PIC, medium.
jitload::TargetRequest request_for(const uint8_t* data, size_t size) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 0x100000001b3ull;
  jitload::TargetRequest r;
  r.cpu = "x86-64";  // not the host's: the same input compiles alike on every machine
  switch (h % 4) {
    case 0: break;
    case 1: r.code_model = llvm::CodeModel::Small, r.reloc_model = llvm::Reloc::Static; break;
    case 2: r.code_model = llvm::CodeModel::Small, r.reloc_model = llvm::Reloc::PIC_; break;
    case 3: r.code_model = llvm::CodeModel::Medium, r.reloc_model = llvm::Reloc::Static; break;
  }
  r.opt_level = (h >> 8) % 2 ? llvm::CodeGenOptLevel::Default : llvm::CodeGenOptLevel::None;
  return r;
}

#ifndef JITLOAD_FUZZ_NO_MUTATOR
std::unique_ptr<llvm::IRMutator> make_mutator() {
  std::vector<llvm::TypeGetter> types{
      llvm::Type::getInt1Ty,  llvm::Type::getInt8Ty,  llvm::Type::getInt16Ty, llvm::Type::getInt32Ty,
      llvm::Type::getInt64Ty, llvm::Type::getFloatTy, llvm::Type::getDoubleTy,
      [](llvm::LLVMContext& c) -> llvm::Type* { return llvm::PointerType::get(c, 0); },
  };
  std::vector<std::unique_ptr<llvm::IRMutationStrategy>> strategies;
  strategies.push_back(std::make_unique<llvm::InjectorIRStrategy>(llvm::InjectorIRStrategy::getDefaultOps()));
  strategies.push_back(std::make_unique<llvm::InstDeleterIRStrategy>());
  strategies.push_back(std::make_unique<llvm::InstModificationIRStrategy>());
  strategies.push_back(std::make_unique<llvm::InsertFunctionStrategy>());
  strategies.push_back(std::make_unique<llvm::InsertCFGStrategy>());
  strategies.push_back(std::make_unique<llvm::InsertPHIStrategy>());
  strategies.push_back(std::make_unique<llvm::SinkInstructionStrategy>());
  strategies.push_back(std::make_unique<llvm::ShuffleBlockStrategy>());
  return std::make_unique<llvm::IRMutator>(std::move(types), std::move(strategies));
}
#endif

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > jitload::fuzz::kMaxInputSize) return 0;
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> m = parse(data, size, ctx);
  if (!m) return 0;
  jitload::TargetRequest request = request_for(data, size);
  auto tm = jitload::create_target_machine(request);
  if (!tm) {
    if (verbose) std::fprintf(stderr, "  module: no target machine: %s\n", tm.error().message().c_str());
    return 0;
  }
  m->setDataLayout((*tm)->createDataLayout());
  m->setTargetTriple((*tm)->getTargetTriple().str());
  auto object = jitload::emit_object(*m, **tm, /*verify=*/true);
  if (!object) {
    if (verbose) std::fprintf(stderr, "  module: code generation failed: %s\n", object.error().message().c_str());
    return 0;
  }
  if (verbose)
    std::fprintf(stderr, "  module: %zu-byte object (code model %d, %s)\n", object->size(),
                 request.code_model ? int(*request.code_model) : -1,
                 request.reloc_model == llvm::Reloc::PIC_ ? "PIC" : "static");
  jitload::fuzz::run_object_input("module", reinterpret_cast<const uint8_t*>(object->data()), object->size());
  return 0;
}

#ifndef JITLOAD_FUZZ_NO_MUTATOR
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  static std::unique_ptr<llvm::IRMutator> mutator = make_mutator();
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> m = parse(data, size, ctx);
  if (!m) {
    // Not a module (a byte-mutated input reached us): start from an empty one.
    m = std::make_unique<llvm::Module>("fuzz", ctx);
  }
  mutator->mutateModule(*m, int(seed), max_size);
  if (llvm::verifyModule(*m, nullptr)) return size;  // keep nothing broken: the input stays as it was
  size_t n = llvm::writeModule(*m, data, max_size);
  return n ? n : size;
}
#endif
