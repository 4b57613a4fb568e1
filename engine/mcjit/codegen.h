// Code generation: LLVM's part of the engine. A TargetMachine from options,
// an object file from a module, and the cache key of that object.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <llvm/ADT/SmallVector.h>
#include <llvm/Support/CodeGen.h>
#include <llvm/Target/TargetOptions.h>

#include "engine/loader/core/base.h"
#include "engine/mcjit/object-cache.h"

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace jitload {

struct TargetRequest {
  std::string triple;                 // empty: the host's
  std::string cpu;                    // empty or "native": the host CPU if the triple is the host's, else generic
  std::vector<std::string> attrs;     // "+feature" / "-feature"
  llvm::CodeGenOptLevel opt_level = llvm::CodeGenOptLevel::Default;
  std::optional<llvm::CodeModel::Model> code_model;  // empty: the target's JIT default (Large on x86-64)
  std::optional<llvm::Reloc::Model> reloc_model;
  llvm::TargetOptions options;
};

Expected<std::unique_ptr<llvm::TargetMachine>> create_target_machine(const TargetRequest& request);

// The module as an object file, through the legacy PassManager and
// addPassesToEmitMC. Errors reported by LLVM through the module's context
// (inline asm, unsupported constructs) come back as an Error.
Expected<llvm::SmallVector<char, 0>> emit_object(llvm::Module& module, llvm::TargetMachine& tm, bool verify);

// BLAKE3 of the module's bitcode and every option that changes the object.
CacheKey compute_cache_key(const llvm::Module& module, const llvm::TargetMachine& tm);

}  // namespace jitload
