// Test helpers for the engine: IR from text, programs compiled at test time
// with clang-19, temporary directories, and a memory manager that counts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "engine/loader/core/section-memory-manager.h"

namespace jitload::mcjit_testing {

// A fresh directory under /tmp for this test process.
std::string temp_dir();
// A fresh, empty subdirectory of temp_dir().
std::string fresh_dir(const std::string& tag);
// Runs a shell command; returns its exit status, stdout+stderr in *out.
int run(const std::string& cmd, std::string* out = nullptr);
std::vector<u8> read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);
void write_file(const std::string& path, const std::vector<u8>& bytes);

// IR text → module (nullptr and the parser's message in *diag on failure).
std::unique_ptr<llvm::Module> parse_ir(llvm::LLVMContext& ctx, const std::string& text, const std::string& name,
                                       std::string* diag = nullptr);
// Compiles a C or C++ source file (path) to textual IR with the given flags
// and parses it; nullptr (and clang's complaint in *diag) on failure.
std::unique_ptr<llvm::Module> compile_to_ir(llvm::LLVMContext& ctx, const std::string& source_path,
                                            const std::string& flags, std::string* diag = nullptr);
// Compiles a C source text into an object file; returns its path ("" on failure).
std::string compile_object(const std::string& c_source, const std::string& name, const std::string& flags = "-O1");

std::string testdata(const std::string& file);

// SectionMemoryManager that counts the sections it was asked for.
class CountingMemoryManager final : public MemoryManager {
 public:
  u8* allocate_code_section(u64 size, u32 align, u32 id, std::string_view name) override {
    allocations++;
    return inner.allocate_code_section(size, align, id, name);
  }
  u8* allocate_data_section(u64 size, u32 align, u32 id, std::string_view name, bool ro) override {
    allocations++;
    return inner.allocate_data_section(size, align, id, name, ro);
  }
  Expected<TlsSection> allocate_tls_section(u64 size, u32 align, u32 id, std::string_view name,
                                            const TlsAbi& abi) override {
    allocations++;
    return inner.allocate_tls_section(size, align, id, name, abi);
  }
  bool needs_to_reserve_allocation_space() override { return inner.needs_to_reserve_allocation_space(); }
  Error reserve_allocation_space(u64 a, u32 b, u64 c, u32 d, u64 e, u32 f) override {
    return inner.reserve_allocation_space(a, b, c, d, e, f);
  }
  void register_eh_frames(u8* local, u64 target, u64 size) override {
    eh_frames++;
    inner.register_eh_frames(local, target, size);
  }
  void deregister_eh_frames() override { inner.deregister_eh_frames(); }
  Error finalize_memory() override {
    finalizations++;
    return inner.finalize_memory();
  }

  SectionMemoryManager inner;
  int allocations = 0;
  int eh_frames = 0;
  int finalizations = 0;
};

}  // namespace jitload::mcjit_testing
