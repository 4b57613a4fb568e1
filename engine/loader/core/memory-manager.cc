#include "engine/loader/core/memory-manager.h"

#include <dlfcn.h>

#include <string>

namespace jitload {

std::optional<u64> ProcessSymbolResolver::lookup(std::string_view name) {
  std::string z(name);
  // RTLD_DEFAULT searches the executable and every loaded library.
  if (void* p = dlsym(RTLD_DEFAULT, z.c_str())) return u64(reinterpret_cast<uintptr_t>(p));
  return std::nullopt;
}

Expected<TlsSection> MemoryManager::allocate_tls_section(u64 size, u32 align, u32 section_id,
                                                         std::string_view name, const TlsAbi&) {
  return Error(ErrorKind::Unsupported,
               format("section '%.*s': this memory manager cannot allocate thread-local sections",
                      int(name.size()), name.data()));
}

Expected<TlsModule> MemoryManager::allocate_tls_module(u64 size, u64 init_size, u32 align,
                                                       std::string_view static_reason) {
  return Error(ErrorKind::Unsupported, "this memory manager cannot allocate thread-local storage modules");
}

std::optional<u64> MemoryManager::find_symbol(std::string_view name) {
  ProcessSymbolResolver process;
  return process.lookup(name);
}

}  // namespace jitload
