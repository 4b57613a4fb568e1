// The memory-manager interface: where loaded sections live, and the hooks
// the loader calls at each stage of the seed's flow. Mirrors LLVM's
// RuntimeDyld::MemoryManager so that its users feel at home.
//
// Addresses come in two kinds everywhere in the loader:
//   local  — a pointer in this process, where the loader writes bytes;
//   target — where the bytes will run (equal to local unless the client
//            remaps sections for a remote target).
#pragma once

#include <optional>
#include <string_view>

#include "engine/loader/core/base.h"

namespace jitload {

// Resolves external symbols to target addresses. nullopt: not found here.
class SymbolResolver {
 public:
  virtual ~SymbolResolver() = default;
  virtual std::optional<u64> lookup(std::string_view name) = 0;
};

// The symbols of the host process (dlsym), the default resolver.
class ProcessSymbolResolver final : public SymbolResolver {
 public:
  std::optional<u64> lookup(std::string_view name) override;
};

// Where an architecture's static TLS block sits relative to the thread
// pointer (the ELF TLS ABI's two variants, from the object's machine):
// variant II (x86-64, i386, SystemZ) ends the block at TP, so offsets are
// negative; variant I (AArch64, ARM: tcb_size 16 / 8) starts it after a
// thread control block of tcb_size bytes, so offsets are positive.
struct TlsAbi {
  bool variant_one = false;
  u32 tcb_size = 0;  // variant I: the block starts at TP + tcb_size, aligned
};

// A thread-local section's memory: where the loader writes its initial image,
// and the offset of its first byte from the thread pointer (negative in
// variant II, positive in variant I) that TPOFF-style relocations encode.
struct TlsSection {
  u8* init_image = nullptr;
  i64 tp_offset = 0;
};

// Thread-pointer offsets for a manager that lays its thread-local sections
// out as one static block beside the thread pointer (PlainMemoryManager, the
// fuzz harness's): variant II grows down from TP, variant I up from past
// the TCB; each section aligned as it asks.
class TlsBlockOffsets {
 public:
  i64 place(u64 size, u32 align, const TlsAbi& abi) {
    const u64 mask = u64(align > 1 ? align : 1) - 1;
    if (abi.variant_one) {
      const u64 at = ((up_ > abi.tcb_size ? up_ : abi.tcb_size) + mask) & ~mask;
      up_ = at + size;
      return i64(at);
    }
    down_ -= i64(size);
    down_ &= ~i64(mask);
    return down_;
  }

 private:
  i64 down_ = 0;  // variant II: the lowest offset used so far
  u64 up_ = 0;    // variant I: the end of the block so far, past the TCB
};

// How thread-local storage is served, a property of the memory manager.
enum class TlsStrategy : u8 {
  // As a static link into an executable would: each TLS section is a piece
  // of one static block (allocate_tls_section), and general-dynamic,
  // local-dynamic and initial-exec sequences are rewritten to local-exec.
  // Simulated targets (load, diff, rtdyld -verify, reports) use this.
  StaticRewrite,
  // As a dynamic linker serves a dlopen'd library (core/tls-runtime.h): an
  // object's TLS sections form one module (allocate_tls_module), code keeps
  // its TLS model, __tls_get_addr binds to jitload's. Host execution.
  Dynamic,
};

// An object's TLS module (Dynamic): where the loader writes the block's
// image, and the key its sections' targets are offsets from.
struct TlsModule {
  u8* image = nullptr;
  u64 key = 0;
};

class MemoryManager {
 public:
  virtual ~MemoryManager() = default;

  // Section memory. section_id is the loader's id for the section; name is
  // the object's section name. nullptr: out of memory (the loader turns it
  // into an ErrorKind::Memory error naming the section).
  virtual u8* allocate_code_section(u64 size, u32 align, u32 section_id, std::string_view name) = 0;
  virtual u8* allocate_data_section(u64 size, u32 align, u32 section_id, std::string_view name,
                                    bool read_only) = 0;

  // Thread-local sections (.tdata/.tbss). The default has none to give.
  // `abi`: the loaded object's variant; a manager whose TLS is this
  // process's own serves only the host's and refuses (or simulates) others.
  virtual Expected<TlsSection> allocate_tls_section(u64 size, u32 align, u32 section_id,
                                                    std::string_view name, const TlsAbi& abi);

  virtual TlsStrategy tls_strategy() const { return TlsStrategy::StaticRewrite; }
  // Whether the loaded code runs in this process, so that host-side hooks
  // (the C++ runtime's __dso_handle and __cxa_atexit) may be bound for it, as
  // find_symbol's default binds host symbols. False for memory in another
  // process (the remote executor), where such addresses would point into the
  // wrong address space.
  virtual bool code_runs_here() const { return true; }
  // Dynamic strategy: one block of `size` bytes (the first `init_size` from
  // the image, the rest zero) holding all of an object's TLS sections.
  // `static_reason` non-empty: the object reaches its own variables with
  // initial-exec/local-exec code ("'x' is accessed with local-exec code (R_X86_64_TPOFF32)"), so the block
  // must be in static TLS. The default has none to give.
  virtual Expected<TlsModule> allocate_tls_module(u64 size, u64 init_size, u32 align,
                                                  std::string_view static_reason);

  // Reserve-up-front protocol: when needs_to_reserve_allocation_space() is
  // true, the loader calls reserve_allocation_space() once per object with
  // the totals (each size already includes alignment padding) before any
  // allocate_* call for that object.
  virtual bool needs_to_reserve_allocation_space() { return false; }
  virtual Error reserve_allocation_space(u64 code_size, u32 code_align, u64 ro_size, u32 ro_align,
                                         u64 rw_size, u32 rw_align) {
    return Error::success();
  }

  // Carving by the loader (optional). A manager that serves the allocate_*
  // calls of one kind by carving a region from its lowest free byte on may
  // lend the loader that region's free tail instead: the loader then carves
  // sections from it exactly as the manager would (each at the next address
  // aligned as it asks, at least one byte), and gives the first byte it did
  // not use back with return_free_tail before it makes any other call that
  // allocates memory of that kind. A -ffunction-sections object has
  // thousands of sections, and a call per section was ~2% of its load. The
  // default lends nothing: every section is asked for by its own call.
  enum class MemoryKind : u8 { Code, ReadOnly, ReadWrite };
  struct FreeTail {
    u8* begin = nullptr;  // nullptr: nothing lent
    u8* end = nullptr;
  };
  virtual FreeTail take_free_tail(MemoryKind kind) { return {}; }
  virtual void return_free_tail(MemoryKind kind, u8* first_unused) {}

  // External symbols: consulted by the loader when no explicit resolver was
  // given. The default searches the host process.
  virtual std::optional<u64> find_symbol(std::string_view name);

  // EH frames: local address of the .eh_frame bytes, their target address,
  // size. Deregistration happens when the memory manager releases memory.
  virtual void register_eh_frames(u8* local, u64 target, u64 size) {}
  virtual void deregister_eh_frames() {}

  // Final permissions (W^X) and instruction-cache invalidation.
  virtual Error finalize_memory() = 0;
};

}  // namespace jitload
