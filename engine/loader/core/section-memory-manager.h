// SectionMemoryManager: the default memory manager, on mmap.
//
// Nearness. PC-relative relocations between an object's code and its data
// (R_X86_64_PC32, GOTPCREL, ...) reach ±2 GiB; an allocator that puts code in
// one mapping and data in another, wherever the kernel likes, can make them
// overflow for no reason in the object (LLVM issue 71963). So:
//   - one reservation per object: reserve_allocation_space() maps a single
//     region and carves it into code | read-only | read-write sub-regions,
//     each page-aligned (so each can get its own protection) and aligned to
//     the largest alignment its sections asked for;
//   - when no reservation was made, or the loader asks for more than it
//     reserved, a new mapping is placed right next to the previous ones;
//   - code never starts a mapping: a read-only page sits in front of it, for
//     hosts built with -fsanitize=function (which read 8 bytes in front of
//     every function called through a pointer);
//   - every mapping of the process is placed just below the main
//     executable's image (MAP_FIXED_NOREPLACE: never over an existing
//     mapping), so 32-bit PC-relative references from loaded code to the
//     host executable's symbols tend to fit too. When the window of 2 GiB
//     below the image is full, the kernel chooses.
//
// Permissions (W^X). Memory is read+write until finalize_memory(); then code
// becomes read+exec, read-only data read-only, data stays read+write. The
// instruction cache is invalidated over the new code. What is finalized is
// everything allocated since the previous finalize, rounded out to pages;
// later allocations start on a fresh page, so one manager serves many
// objects.
//
// EH frames. register_eh_frames() validates the section (eh-frame.h) and
// hands it to the host unwinder: libgcc's __register_frame takes a whole
// section; LLVM libunwind's takes one FDE (its whole-section entry is
// __unw_add_dynamic_eh_frame_section). Which one the process has is
// detected once at run time. Deregistration happens before the memory goes.
//
// Thread-local storage (tls_strategy). Dynamic, the default: each object's
// TLS sections form one module of jitload's TLS runtime (core/tls-runtime.h:
// static reserve when it fits, else per thread on first access); modules
// are published to every thread at finalize_memory() and released with the
// manager. StaticRewrite: each TLS section is a piece of the static-TLS
// reserve (a thread_local, initial-exec array of the loader) at a fixed
// offset from the thread pointer, written in the calling thread and, at
// finalize_memory(), into the image new threads start from. Hosts:
// x86-64 serves both strategies (variant II: offsets below %fs:0); AArch64
// serves StaticRewrite only (variant I: the reserve above tpidr_el0 at
// positive offsets), and a manager asked for Dynamic there uses
// StaticRewrite (tls_strategy() says so). Another machine's variant I
// objects are simulated on x86-64 (their code does not run here).
//
// Reuse (the memory pool). Mapping fresh memory and faulting it in page by
// page is most of what a load costs once the loader itself is fast, so by
// default a manager going away does not unmap: after its EH frames are
// deregistered, each of its mappings is made read+write again (from r-x or
// r--: never writable and executable at once), the bytes it handed out are
// zeroed (so memory from the pool reads as zeros, exactly as a fresh
// mapping does), and the mapping joins a process-wide pool. The next
// manager's reservation (or fallback mapping) is served from the pool when
// a pooled mapping is large enough and well aligned (the smallest such; a
// much larger one is split and the rest stays pooled; neighbours merge back)
// and only otherwise from the kernel. The pool is bounded (pool_limit(),
// 64 MiB by default, set_pool_limit(0) turns it off; beyond it the oldest
// mappings are unmapped), so a process's steady-state memory is what its
// live managers use plus at most the limit. MemoryReuse::Fresh makes one
// manager map and unmap as before.
//
// Not thread-safe (one loader drives one manager); the process-wide parts
// (placement, pool, TLS reserve) are locked.
#pragma once

#include <string>
#include <vector>

#include "engine/loader/core/memory-manager.h"
#include "engine/loader/core/tls-runtime.h"

namespace jitload {

// How EH frames are given to the unwinder.
enum class UnwinderAbi : u8 {
  Auto,              // detect once at run time (the default)
  LibgccSection,     // __register_frame(start of .eh_frame): libgcc
  LibunwindSection,  // __unw_add_dynamic_eh_frame_section: LLVM libunwind >= 14
  LibunwindFde,      // __register_frame(fde) for each FDE: older LLVM libunwind
  None,              // do not register (e.g. the code never runs in this process)
};
const char* unwinder_abi_name(UnwinderAbi abi);

// Where a manager's mappings come from and go to.
enum class MemoryReuse : u8 {
  Pool,   // from the process-wide pool when it can, back to it when done (the default)
  Fresh,  // always a new mapping from the kernel, unmapped when done
};

class SectionMemoryManager final : public MemoryManager {
 public:
  // Size of the process-wide static-TLS reserve block (core/tls-runtime.h).
  static constexpr u64 kTlsReserveSize = tls::kReserveSize;
  // Largest alignment of a piece of the reserve.
  static constexpr u32 kTlsMaxAlign = tls::kReserveMaxAlign;
  // Largest supported section alignment; larger requests get nullptr.
  static constexpr u32 kMaxAlign = 16u << 20;

  // The pool's default bound on the bytes it keeps.
  static constexpr u64 kDefaultPoolLimit = u64(64) << 20;

  explicit SectionMemoryManager(UnwinderAbi unwinder = UnwinderAbi::Auto,
                                TlsStrategy tls = TlsStrategy::Dynamic,
                                MemoryReuse reuse = MemoryReuse::Pool);
  SectionMemoryManager(UnwinderAbi unwinder, MemoryReuse reuse)
      : SectionMemoryManager(unwinder, TlsStrategy::Dynamic, reuse) {}
  ~SectionMemoryManager() override;
  SectionMemoryManager(const SectionMemoryManager&) = delete;
  SectionMemoryManager& operator=(const SectionMemoryManager&) = delete;

  u8* allocate_code_section(u64 size, u32 align, u32 section_id, std::string_view name) override;
  u8* allocate_data_section(u64 size, u32 align, u32 section_id, std::string_view name,
                            bool read_only) override;
  // Host TLS (the static reserve) for the host's variant; an object of a
  // variant-I machine (AArch64 on this x86-64 host) cannot run here and
  // gets simulated offsets past its TCB, in ordinary data memory.
  Expected<TlsSection> allocate_tls_section(u64 size, u32 align, u32 section_id,
                                            std::string_view name, const TlsAbi& abi) override;

  TlsStrategy tls_strategy() const override { return tls_; }
  Expected<TlsModule> allocate_tls_module(u64 size, u64 init_size, u32 align,
                                          std::string_view static_reason) override;

  bool needs_to_reserve_allocation_space() override { return true; }
  Error reserve_allocation_space(u64 code_size, u32 code_align, u64 ro_size, u32 ro_align,
                                 u64 rw_size, u32 rw_align) override;
  // The current region of each kind (the reservation's, where every
  // section of the object fits) is lent as it is: allocate() carves it
  // the same way.
  FreeTail take_free_tail(MemoryKind kind) override;
  void return_free_tail(MemoryKind kind, u8* first_unused) override;

  // Validates and registers; a section that fails validation, or whose local
  // and target addresses differ (its code does not run here), is not
  // registered: the reason is kept in eh_frame_errors().
  void register_eh_frames(u8* local, u64 target, u64 size) override;
  void deregister_eh_frames() override;

  Error finalize_memory() override;

  // Introspection, for tests and diagnostics.
  UnwinderAbi unwinder() const { return unwinder_; }
  size_t mapping_count() const { return mappings_.size(); }
  u64 mapped_bytes() const;
  size_t eh_frame_registrations() const { return eh_registered_.size(); }
  const std::vector<std::string>& eh_frame_errors() const { return eh_errors_; }

  MemoryReuse reuse() const { return reuse_; }

  // The unwinder ABI Auto resolves to in this process.
  static UnwinderAbi detect_unwinder();

  // The process-wide pool of released mappings.
  struct PoolStats {
    u64 bytes = 0;          // held by the pool now
    size_t mappings = 0;    // pieces held by the pool now
    u64 limit = 0;          // pool_limit()
    u64 reused = 0;         // mappings served from the pool, since the process started
    u64 fresh = 0;          // mappings asked of the kernel (either mode)
    u64 released = 0;       // mappings given back to the pool
    u64 unmapped = 0;       // mappings returned to the kernel (Fresh, over the limit, trim)
  };
  static PoolStats pool_stats();
  // Sets the bound, unmapping the oldest pooled mappings above it; 0 turns
  // the pool off (every released mapping is unmapped).
  static void set_pool_limit(u64 bytes);
  static u64 pool_limit();
  // Unmaps everything the pool holds (the limit stays).
  static void trim_pool();

 private:
  enum Pool : u8 { kCode, kReadOnly, kReadWrite, kPoolCount };

  // A stretch of one mapping that serves one pool. [begin, cursor) is handed
  // out; [pending, cursor) has not been finalized yet. begin and pending are
  // page-aligned, end is a page multiple.
  struct Region {
    u8* begin;
    u8* end;
    u8* cursor;
    u8* pending;
  };
  struct Mapping {
    u8* base;
    u64 size;
  };
  struct EhRegistration {
    u8* address;
    UnwinderAbi abi;
  };
  struct TlsPiece {
    u64 offset;
    u64 size;
    bool published;
  };
  struct TlsModuleRef {
    u64 key;
    bool published;
  };

  static u8* carve(Region& r, u64 size, u64 align);
  u8* allocate(Pool pool, u64 size, u32 align);
  [[gnu::noinline]] u8* allocate_elsewhere(Pool pool, u64 size, u64 align);  // the current region is full
  // A fresh mapping of at least `size` bytes whose start is aligned to
  // `align` (>= page); nullptr if the kernel refuses.
  u8* map_region_memory(u64 size, u64 align);
  static u64 code_prefix(u64 align);
  static bool protect_code_prefix(u8* code_begin);
  const Region* region_containing(const u8* p) const;

  UnwinderAbi unwinder_;
  MemoryReuse reuse_;
  std::vector<Mapping> mappings_;
  std::vector<Region> regions_[kPoolCount];  // the last one is the current one
  std::vector<EhRegistration> eh_registered_;
  std::vector<std::string> eh_errors_;
  TlsStrategy tls_;
  std::vector<TlsPiece> tls_pieces_;
  u64 simulated_tls_end_ = 0;  // variant I objects (not the host's): the simulated block's end
  std::vector<TlsModuleRef> tls_modules_;
};

}  // namespace jitload
