#include "engine/loader/core/plain-memory-manager.h"

#include <cstdlib>

namespace jitload {

u8* PlainMemoryManager::allocate(u64 size, u32 align) {
  if (align == 0 || (align & (align - 1)) || size > (u64(1) << 40)) return nullptr;
  u64 a = std::max<u64>(align, alignof(std::max_align_t));
  u64 rounded = (size + a - 1) & ~(a - 1);
  if (rounded == 0) rounded = a;
  u8* p = static_cast<u8*>(std::aligned_alloc(a, rounded));
  if (!p) return nullptr;
  std::memset(p, 0, rounded);
  blocks_.emplace_back(p);
  return p;
}

u8* PlainMemoryManager::allocate_code_section(u64 size, u32 align, u32 section_id, std::string_view name) {
  u8* p = allocate(size, align);
  if (p) allocations_.push_back({section_id, std::string(name), size, align, true, true, false, p});
  return p;
}

u8* PlainMemoryManager::allocate_data_section(u64 size, u32 align, u32 section_id, std::string_view name,
                                              bool read_only) {
  u8* p = allocate(size, align);
  if (p) allocations_.push_back({section_id, std::string(name), size, align, false, read_only, false, p});
  return p;
}

Expected<TlsSection> PlainMemoryManager::allocate_tls_section(u64 size, u32 align, u32 section_id,
                                                              std::string_view name, const TlsAbi& abi) {
  u8* p = allocate(size, align);
  if (!p) return Error(ErrorKind::Memory, format("cannot allocate 0x%llx bytes for TLS section", (unsigned long long)size));
  allocations_.push_back({section_id, std::string(name), size, align, false, false, true, p});
  return TlsSection{p, tls_.place(size, align, abi)};
}

}  // namespace jitload
