// llvm-rtdyld's TrivialMemoryManager, reimplemented for our loaders: logs
// every request (-print-alloc-requests), remembers each allocation for the
// -verify layout, serves requests from one up-front slab (-preallocate) or
// on demand, and resolves externals as llvm-rtdyld: -dummy-extern and
// -dylib symbols under -verify, the process's under -execute.
//
// On-demand memory comes from the engine's SectionMemoryManager (placed near
// the executable, W^X at finalize), which also owns the static-TLS reserve
// that thread-local sections need; the -verify layout still counts each
// on-demand allocation as whole pages, because llvm-rtdyld maps each one.
#pragma once

#include <optional>

#include "conformance/checker/rtdyld-loader.h"
#include "engine/loader/core/section-memory-manager.h"

namespace jitload::checker {

class RtdyldMemory {
 public:
  explicit RtdyldMemory(const RtdyldMemoryOptions& options);
  ~RtdyldMemory();
  RtdyldMemory(const RtdyldMemory&) = delete;
  RtdyldMemory& operator=(const RtdyldMemory&) = delete;

  // Maps the slab when -preallocate asked for one.
  Error init();

  // nullptr when out of memory (the loader reports it, naming the section).
  u8* allocate(u64 size, u32 align, u32 section, std::string_view name, bool code, bool read_only);
  Expected<TlsSection> allocate_tls(u64 size, u32 align, u32 section, std::string_view name, const TlsAbi& abi);
  Expected<TlsModule> allocate_tls_module(u64 size, u64 init_size, u32 align, std::string_view static_reason) {
    return on_demand_.allocate_tls_module(size, init_size, align, static_reason);
  }
  bool needs_reserve() const { return slab_ == nullptr; }
  Error reserve(u64 code_size, u32 code_align, u64 ro_size, u32 ro_align, u64 rw_size, u32 rw_align);
  // Verify mode: -dummy-extern symbols, then -dylib libraries; execute
  // mode: the host process (RtdyldMemoryOptions::dylibs says why).
  std::optional<u64> find_symbol(std::string_view name);
  // Execute mode: code executable, caches flushed.
  Error finalize();

  void set_object(u32 object) { object_ = object; }
  const std::vector<Allocation>& allocations() const { return allocations_; }
  const RtdyldMemoryOptions& options() const { return options_; }

 private:
  RtdyldMemoryOptions options_;
  // TLS: -verify's sections are placed by the static rewrite (what the
  // reports and llvm-rtdyld compare); -execute uses dynamic TLS, as
  // `jitload exec` does (allocate_tls_module).
  SectionMemoryManager on_demand_{UnwinderAbi::None, TlsStrategy::StaticRewrite};
  u8* slab_ = nullptr;
  u64 slab_used_ = 0;
  u32 object_ = 0;
  std::vector<Allocation> allocations_;
};

}  // namespace jitload::checker
