// jitload's own thread-local storage runtime: what a dynamic linker gives a
// dlopen'd library, for loaded objects (host execution only).
//
// Hosts: x86-64 (variant II, thread pointer from %fs:0) serves both parts,
// the modules below and the static reserve; AArch64 (variant I, thread
// pointer from tpidr_el0, reserve at positive offsets) serves the static
// reserve, which SectionMemoryManager's static rewrite uses there (its
// Dynamic strategy falls back to StaticRewrite on hosts other than x86-64:
// AArch64 TLS-descriptor code would need descriptor functions of its own).
//
// Each loaded object with .tdata/.tbss gets one TLS *module*: one block per
// thread holding all its TLS sections, laid out by the loader. A module is
// named in relocations by its *key*, an address in a range no real address
// or thread-pointer offset uses (kKeyBase and up, one 2^40-byte slice per
// module): a TLS section's target is key + its offset in the block, so
// DTPMOD64 writes the key and DTPOFF32/64 the offset (TLS supplement §4.4).
//
// Where a module's block lives:
//   - in the static-TLS reserve (a thread_local array of the loader, at the
//     same thread-pointer offset in every thread) when it fits: initial-exec
//     and local-exec code reaches it (TPOFF = the piece's offset + the
//     variable's), and so does __tls_get_addr. New threads get the image
//     because it is written into the reserve's own TLS initialisation image,
//     which the C library copies into every thread it creates (ELF TLS:
//     "the initialization image"); the loading thread gets it at finalize;
//     a thread that existed before the load gets it on its first
//     __tls_get_addr for the module (a per-thread marker word after the
//     block says whether this thread's copy is initialised). Initial-exec
//     code in such a thread, before any dynamic access, sees zeros.
//   - per thread, allocated on first use, otherwise (too big for the
//     reserve, or the reserve is full): only general- and local-dynamic
//     code reaches it, through jitload_tls_get_addr, which allocates the
//     calling thread's block on first use, copies the image, zeroes the
//     rest, and frees it when the thread exits. No size limit but memory.
//
// `__tls_get_addr` in loaded code binds to jitload_tls_get_addr; a module
// id that is not a key (the C library's own) is forwarded to the C
// library's __tls_get_addr.
#pragma once

#include <optional>
#include <string_view>

#include "engine/loader/core/base.h"

// The TLS supplement's tls_index, what __tls_get_addr takes.
struct JitloadTlsIndex {
  unsigned long module;
  unsigned long offset;
};
// What loaded code's __tls_get_addr binds to (see above).
extern "C" void* jitload_tls_get_addr(JitloadTlsIndex* ti);

namespace jitload::tls {

constexpr u64 kKeyBase = u64(1) << 62;
constexpr unsigned kOffsetBits = 40;
constexpr u64 kOffsetMask = (u64(1) << kOffsetBits) - 1;
constexpr u32 kMaxModules = 4096;

// Is v (a symbol's S, or S + A) inside some module's slice?
inline bool is_key_address(u64 v) { return v >= kKeyBase && v - kKeyBase < (u64(kMaxModules) << kOffsetBits); }
inline u64 module_key(u64 v) { return v & ~kOffsetMask; }
inline u64 module_offset(u64 v) { return v & kOffsetMask; }

struct Module {
  u64 key = 0;
  u8* image = nullptr;  // `size` bytes the loader writes (sections, relocations)
  bool is_static = false;
};

// A module of `size` bytes (the first `init_size` from the image, the rest
// zero) aligned to `align`. Placed in the static reserve when it fits; when
// `static_reason` is non-empty (the object reaches its own variables with
// initial-exec/local-exec code: "'x' is accessed with local-exec code (R_X86_64_TPOFF32)") it must be, and
// not fitting is an error naming that reason and the model to compile with.
Expected<Module> create_module(u64 size, u64 init_size, u32 align, std::string_view static_reason);
// The image is complete (relocations applied): a static module's image goes
// to the calling thread and to every thread created from now on.
void publish_module(u64 key);
// The module's memory goes back (its loader is gone). Other threads' blocks
// are freed at their next access to the slot, or when they exit.
void release_module(u64 key);
// A static module's block start as an offset from the thread pointer.
std::optional<i64> static_tp_offset(u64 key);
// Local-dynamic code of module `key` reaches module `other`'s block at a
// fixed distance from its own (both static: one offset from the thread
// pointer each): a thread that existed before the load then must have
// `other` initialised as well when its first __tls_get_addr for `key`
// initialises `key`'s copy. Both keys must be live static modules.
void add_companion(u64 key, u64 other);
// Is this a live module's key?
bool is_live(u64 key);

// A thread-local variable of the host (what dlsym gives for it: the calling
// thread's address) as the C library's {module id, offset}, which
// jitload_tls_get_addr forwards to the C library. nullopt: no module's
// block of this thread holds the address.
struct HostTls {
  u64 module;
  u64 offset;
};
std::optional<HostTls> host_tls(u64 address);

// Address of jitload_tls_get_addr, what loaded code's __tls_get_addr binds to.
u64 get_addr_entry();

// The static-TLS reserve, shared with the static-rewrite strategy's
// per-section pieces (SectionMemoryManager). Offsets are into the reserve.
constexpr u64 kReserveSize = 64 * 1024;
constexpr u32 kReserveMaxAlign = 64;
bool reserve_allocate(u64 size, u64 align, u64* offset);
void reserve_release(u64 offset, u64 size);
u8* reserve_piece(u64 offset);              // the calling thread's copy
i64 reserve_tp_offset(u64 offset);          // its offset from the thread pointer
// Copy the calling thread's piece into the image new threads start from.
void reserve_publish(u64 offset, u64 size);

}  // namespace jitload::tls
