#include "conformance/checker/rtdyld-memory.h"

#include <dlfcn.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace jitload::checker {

namespace {
constexpr u64 kPage = 4096;
u64 align_up(u64 v, u64 a) { return a <= 1 ? v : (v + a - 1) / a * a; }
}  // namespace

RtdyldMemory::RtdyldMemory(const RtdyldMemoryOptions& options) : options_(options) {}

RtdyldMemory::~RtdyldMemory() {
  if (slab_) munmap(slab_, options_.preallocate);
}

Error RtdyldMemory::init() {
  if (!options_.preallocate) return Error::success();
  if (options_.preallocate > (u64(1) << 40))
    return Error(ErrorKind::Argument, format("-preallocate=%llu is more than 1 TiB",
                                             (unsigned long long)options_.preallocate));
  void* p = mmap(nullptr, options_.preallocate, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return Error(ErrorKind::Memory, format("cannot preallocate %llu bytes: %s",
                                           (unsigned long long)options_.preallocate, std::strerror(errno)));
  slab_ = static_cast<u8*>(p);
  return Error::success();
}

u8* RtdyldMemory::allocate(u64 size, u32 align, u32 section, std::string_view name, bool code, bool read_only) {
  if (options_.print_alloc_requests) {
    std::printf("%s(Size = %llu, Alignment = %u, SectionName = %.*s)\n",
                code ? "allocateCodeSection" : "allocateDataSection", (unsigned long long)size, align,
                int(name.size()), name.data());
    std::fflush(stdout);
  }
  u8* mem = nullptr;
  u64 span = 0;
  if (slab_) {
    // As llvm-rtdyld: the slab is handed out in order, each piece its size
    // rounded up to its alignment (the slab start is page-aligned).
    u64 start = align_up(slab_used_, align ? align : 1);
    u64 piece = align_up(size, align ? align : 1);
    if (start > options_.preallocate || piece > options_.preallocate - start) {
      std::fprintf(stderr, "cannot allocate %llu bytes for section '%.*s': the -preallocate slab of %llu bytes is full\n",
                   (unsigned long long)size, int(name.size()), name.data(), (unsigned long long)options_.preallocate);
      return nullptr;
    }
    mem = slab_ + start;
    slab_used_ = start + piece;
    span = piece;
  } else {
    mem = code ? on_demand_.allocate_code_section(size, align, section, name)
               : on_demand_.allocate_data_section(size, align, section, name, read_only);
    span = align_up(std::max<u64>(size, 1), kPage);
  }
  if (mem)
    allocations_.push_back(Allocation{section, object_, std::string(name), code, u64(reinterpret_cast<uintptr_t>(mem)),
                                      size, span});
  return mem;
}

Expected<TlsSection> RtdyldMemory::allocate_tls(u64 size, u32 align, u32 section, std::string_view name,
                                               const TlsAbi& abi) {
  // Not logged: llvm-rtdyld logs code and data requests only.
  return on_demand_.allocate_tls_section(size, align, section, name, abi);
}

Error RtdyldMemory::reserve(u64 code_size, u32 code_align, u64 ro_size, u32 ro_align, u64 rw_size, u32 rw_align) {
  if (slab_) return Error::success();
  return on_demand_.reserve_allocation_space(code_size, code_align, ro_size, ro_align, rw_size, rw_align);
}

std::optional<u64> RtdyldMemory::find_symbol(std::string_view name) {
  if (options_.execute) {
    ProcessSymbolResolver process;
    if (auto a = process.lookup(name)) return a;
  } else {
    if (auto it = options_.dummy_externs.find(name); it != options_.dummy_externs.end()) return it->second;
    std::string c_name(name);
    for (void* lib : options_.dylibs)
      if (void* p = dlsym(lib, c_name.c_str())) return u64(reinterpret_cast<uintptr_t>(p));
  }
  if (options_.on_unresolved) options_.on_unresolved(name);
  return std::nullopt;
}

Error RtdyldMemory::finalize() {
  if (!slab_) return on_demand_.finalize_memory();
  // One slab holds code and data side by side, possibly on one page: it can
  // only be made executable as a whole (llvm-rtdyld makes the code pages
  // read+exec and faults if data shares them).
  if (mprotect(slab_, options_.preallocate, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
    return Error(ErrorKind::Memory, format("cannot make the -preallocate slab executable: %s", std::strerror(errno)));
  __builtin___clear_cache(reinterpret_cast<char*>(slab_), reinterpret_cast<char*>(slab_ + options_.preallocate));
  // Thread-local images (never in the slab) to this thread and new ones.
  return on_demand_.finalize_memory();
}

}  // namespace jitload::checker
