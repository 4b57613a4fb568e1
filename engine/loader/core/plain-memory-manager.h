// A memory manager for simulated remote targets: plain heap memory, never
// executed, so no permissions, no EH registration and no host symbols.
// Thread-local sections get consecutive negative thread-pointer offsets
// (x86-64 variant II: the TLS block sits below the thread pointer), so the
// layout is deterministic. Used by `jitload load`, the conformance adapters
// and the remapped-load benchmarks.
#pragma once

#include <memory>
#include <vector>

#include "engine/loader/core/memory-manager.h"

namespace jitload {

class PlainMemoryManager : public MemoryManager {
 public:
  struct Allocation {
    u32 section_id;
    std::string name;
    u64 size;
    u32 align;
    bool code;
    bool read_only;
    bool tls;
    u8* memory;
  };

  u8* allocate_code_section(u64 size, u32 align, u32 section_id, std::string_view name) override;
  u8* allocate_data_section(u64 size, u32 align, u32 section_id, std::string_view name, bool read_only) override;
  Expected<TlsSection> allocate_tls_section(u64 size, u32 align, u32 section_id, std::string_view name,
                                            const TlsAbi& abi) override;
  std::optional<u64> find_symbol(std::string_view name) override { return std::nullopt; }
  Error finalize_memory() override { return Error::success(); }

  const std::vector<Allocation>& allocations() const { return allocations_; }

 private:
  u8* allocate(u64 size, u32 align);
  struct Free {
    void operator()(u8* p) const { std::free(p); }
  };
  std::vector<std::unique_ptr<u8, Free>> blocks_;
  std::vector<Allocation> allocations_;
  TlsBlockOffsets tls_;
};

}  // namespace jitload
