#include "engine/loader/core/tls-runtime.h"

#include <link.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

// The C library's own (ld.so exports it): modules that are not ours.
extern "C" void* __tls_get_addr(JitloadTlsIndex* ti);

namespace jitload::tls {
namespace {

uintptr_t addr(const void* p) { return reinterpret_cast<uintptr_t>(p); }
u64 round_up(u64 v, u64 a) { return (v + (a - 1)) & ~(a - 1); }
bool is_pow2(u64 v) { return v != 0 && (v & (v - 1)) == 0; }

// ---------------------------------------------------------------------------
// The static-TLS reserve.
//
// initial-exec: the array sits in the static TLS of every thread at one
// offset from the thread pointer, which is what a TPOFF relocation needs.
// It is initialised data (byte 0 is 1, never handed out), so it lives in
// .tdata and has an initialisation image in the executable: the C library
// copies that image into every thread it creates. Writing a module's bytes
// into the image is how threads created after a load start with them.
// Page-aligned on x86-64, so making its image writable touches nothing
// else. On AArch64 (variant I) the executable's TLS block starts at
// TP + align_up(16, its alignment): a page alignment would put every piece
// 4 KiB above TP, out of reach of local-exec code compiled with
// -mtls-size=12 (12-bit offsets, as a native link of a small program
// gives); aligned to 64 the first pieces are within ~200 bytes of TP.
// Making the image's pages writable there also makes writable the
// neighbouring data of the same segment (its RELRO part), nothing else.
constexpr u64 kHead = kReserveMaxAlign;  // byte 0: the initialiser that puts the array in .tdata
constexpr u64 kReserveBytes = kReserveSize + 4096;
#if defined(__aarch64__)
constexpr size_t kReserveAlign = kReserveMaxAlign;
#else
constexpr size_t kReserveAlign = 4096;
#endif
alignas(kReserveAlign) thread_local u8 tls_reserve[kReserveBytes] __attribute__((tls_model("initial-exec"))) = {1};

std::mutex& mu() {
  static std::mutex* m = new std::mutex;
  return *m;
}

// First-fit over the free ranges of the reserve, process-wide (under mu()).
std::vector<std::pair<u64, u64>>& free_ranges() {
  static auto* f = new std::vector<std::pair<u64, u64>>{{0, kReserveSize}};  // [lo, hi), sorted
  return *f;
}

// The reserve's initialisation image (found once through dl_iterate_phdr,
// whose dlpi_tls_data is this thread's block of each module: the module
// whose block holds tls_reserve is ours), made writable; nullptr if it
// cannot be found (new threads then start with zeros, as before).
u8* reserve_image() {
  static u8* image = [] {
    struct Ctx {
      uintptr_t want;
      u8* image;
    } ctx{addr(&tls_reserve[0]), nullptr};
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* p) {
          auto* c = static_cast<Ctx*>(p);
          if (!info->dlpi_tls_data) return 0;
          for (int i = 0; i < info->dlpi_phnum; i++) {
            const ElfW(Phdr)& ph = info->dlpi_phdr[i];
            if (ph.p_type != PT_TLS) continue;
            uintptr_t data = addr(info->dlpi_tls_data);
            if (c->want < data || c->want - data >= ph.p_memsz) continue;
            u64 off = c->want - data;
            if (off + kReserveBytes <= ph.p_filesz)
              c->image = reinterpret_cast<u8*>(info->dlpi_addr + ph.p_vaddr + off);
            return 1;
          }
          return 0;
        },
        &ctx);
    if (!ctx.image) return static_cast<u8*>(nullptr);
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t lo = addr(ctx.image) & ~uintptr_t(page - 1);
    uintptr_t hi = (addr(ctx.image) + kReserveBytes + page - 1) & ~uintptr_t(page - 1);
    if (mprotect(reinterpret_cast<void*>(lo), hi - lo, PROT_READ | PROT_WRITE) != 0) return static_cast<u8*>(nullptr);
    return ctx.image;
  }();
  return image;
}

uintptr_t thread_pointer() {
#if defined(__x86_64__)
  // x86-64 TLS variant II: %fs:0 holds the thread control block's address,
  // which is the thread pointer; static TLS lies below it.
  uintptr_t tp;
  asm("mov %%fs:0, %0" : "=r"(tp));
  return tp;
#elif defined(__aarch64__)
  // AArch64 TLS variant I: tpidr_el0 points at the 16-byte thread control
  // block; static TLS (the executable's block first) lies above it, so the
  // reserve's offsets from it are positive.
  // (jitload-runner-aarch64 serves it to loaded code; jitload-executor
  // built for AArch64 serves pieces of it to a remote controller.)
  uintptr_t tp;
  asm("mrs %0, tpidr_el0" : "=r"(tp));
  return tp;
#else
  return 0;
#endif
}

// ---------------------------------------------------------------------------
// Modules.

struct Record {
  std::atomic<u64> generation{0};  // unique per module ever created; 0: free slot
  u64 size = 0, init_size = 0;
  u32 align = 1;
  u8* image = nullptr;  // heap, max(size, 1) bytes
  bool is_static = false;
  u64 reserve_offset = 0;  // static: the block's piece, then an 8-byte marker
  u64 marker_offset = 0;
  u64 reserve_bytes = 0;
  // add_companion: static modules (id, generation) this one's first access
  // in a thread initialises too (under mu()).
  std::vector<std::pair<u32, u64>> companions;
};
Record g_records[kMaxModules];  // by id; id 0 is never used
u64 g_next_generation = 1;      // under mu()

// A thread's blocks, by module id: its own allocation (owned) or, for a
// static module, its piece of the reserve once initialised.
struct Slot {
  u8* block = nullptr;
  u64 generation = 0;
  bool owned = false;
};
struct ThreadState {
  std::vector<Slot> slots;
};
thread_local ThreadState* t_state = nullptr;  // trivial: usable in any thread-exit order

void free_state(void* p) {
  auto* t = static_cast<ThreadState*>(p);
  for (Slot& s : t->slots)
    if (s.owned) std::free(s.block);
  delete t;
  t_state = nullptr;
}

pthread_key_t& state_key() {
  // The key's destructor frees a thread's blocks when it exits (after the
  // C++ thread_local destructors, which may still use them).
  static pthread_key_t key = [] {
    pthread_key_t k;
    pthread_key_create(&k, free_state);
    return k;
  }();
  return key;
}

[[noreturn, gnu::cold]] void fatal(const char* what, u32 id, u64 size) {
  std::fprintf(stderr, "jitload: __tls_get_addr: %s (TLS module %u, %llu bytes)\n", what, id,
               (unsigned long long)size);
  std::abort();
}

// A static module's piece of the calling thread's reserve, initialised
// from its image unless this thread's copy already is: a thread that
// existed before the module was published holds zeros (or a released
// module's bytes) there, and its marker says so.
u8* init_static_piece(Record& r, u64 generation) {
  u8* piece = reserve_piece(r.reserve_offset);
  u8* marker = reserve_piece(r.marker_offset);
  u64 seen;
  std::memcpy(&seen, marker, 8);
  if (seen != generation) {
    std::memcpy(piece, r.image, r.init_size);
    std::memset(piece + r.init_size, 0, r.size - r.init_size);
    std::memcpy(marker, &generation, 8);
  }
  return piece;
}

[[gnu::noinline]] void* slow_get_addr(u32 id, u64 offset) {
  Record& r = g_records[id];
  const u64 generation = r.generation.load(std::memory_order_acquire);
  if (generation == 0) fatal("the module is not loaded", id, 0);
  ThreadState* t = t_state;
  if (!t) {
    t = new ThreadState;
    t_state = t;
    pthread_setspecific(state_key(), t);
  }
  if (t->slots.size() <= id) t->slots.resize(id + 1);
  Slot& s = t->slots[id];
  if (s.owned) std::free(s.block);  // an earlier module's block in this slot, if any
  s = Slot{};
  if (r.is_static) {
    u8* piece = init_static_piece(r, generation);
    {
      // Modules this one's local-dynamic code reaches at a fixed distance
      // (add_companion): their copies in this thread are read through this
      // module's base, never through their own __tls_get_addr.
      std::lock_guard<std::mutex> lock(mu());
      for (auto [other, other_generation] : r.companions) {
        Record& o = g_records[other];
        if (o.generation.load(std::memory_order_acquire) == other_generation && o.is_static)
          init_static_piece(o, other_generation);
      }
    }
    s = Slot{piece, generation, false};  // later accesses take the fast path
    return piece + offset;
  }
  u8* block;
  if (r.align <= alignof(std::max_align_t)) {
    block = static_cast<u8*>(std::calloc(1, std::max<u64>(r.size, 1)));  // large: fresh zero pages
    if (block) std::memcpy(block, r.image, r.init_size);
  } else {
    block = static_cast<u8*>(std::aligned_alloc(r.align, round_up(std::max<u64>(r.size, 1), r.align)));
    if (block) {
      std::memcpy(block, r.image, r.init_size);
      std::memset(block + r.init_size, 0, r.size - r.init_size);
    }
  }
  // No error channel here: the C library's __tls_get_addr also ends the
  // process when it cannot allocate a thread's block.
  if (!block) fatal("cannot allocate this thread's block", id, r.size);
  s = Slot{block, generation, true};
  return block + offset;
}

}  // namespace

// What loaded code's __tls_get_addr calls: {module, offset} as the TLS
// supplement's tls_index. Realigns the stack, as glibc's does, for callers
// that do not keep it aligned at this call.
#if defined(__x86_64__)
#define JITLOAD_REALIGN_STACK [[gnu::force_align_arg_pointer]]
#else
#define JITLOAD_REALIGN_STACK  // AArch64 keeps sp 16-byte aligned in hardware
#endif
extern "C" JITLOAD_REALIGN_STACK void* jitload_tls_get_addr(JitloadTlsIndex* ti) {
  const u64 key = ti->module;
  if (!is_key_address(key) || module_offset(key) != 0) return __tls_get_addr(ti);
  const u32 id = u32((key - kKeyBase) >> kOffsetBits);
  if (ThreadState* t = t_state; t && id < t->slots.size()) {
    const Slot& s = t->slots[id];
    if (s.block && s.generation == g_records[id].generation.load(std::memory_order_acquire))
      return s.block + ti->offset;
  }
  return slow_get_addr(id, ti->offset);
}

std::optional<HostTls> host_tls(u64 address) {
  struct Ctx {
    u64 want;
    std::optional<HostTls> found;
  } ctx{address, std::nullopt};
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* p) {
        auto* c = static_cast<Ctx*>(p);
        if (!info->dlpi_tls_data || info->dlpi_tls_modid == 0) return 0;
        for (int i = 0; i < info->dlpi_phnum; i++) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_TLS) continue;
          uintptr_t data = addr(info->dlpi_tls_data);
          if (c->want < data || c->want - data >= ph.p_memsz) continue;
          c->found = HostTls{u64(info->dlpi_tls_modid), c->want - data};
          return 1;
        }
        return 0;
      },
      &ctx);
  return ctx.found;
}

u64 get_addr_entry() { return u64(addr(reinterpret_cast<const void*>(&jitload_tls_get_addr))); }

bool reserve_allocate(u64 size, u64 align, u64* out) {
  std::lock_guard<std::mutex> lock(mu());
  auto& free = free_ranges();
  for (size_t i = 0; i < free.size(); i++) {
    auto [lo, hi] = free[i];
    u64 start = round_up(lo, align);
    if (start > hi || size > hi - start) continue;
    free.erase(free.begin() + i);
    if (start + size < hi) free.insert(free.begin() + i, {start + size, hi});
    if (lo < start) free.insert(free.begin() + i, {lo, start});
    *out = start;
    return true;
  }
  return false;
}

void reserve_release(u64 off, u64 size) {
  std::lock_guard<std::mutex> lock(mu());
  // Zeros again, here and for new threads, so the next owner starts clean.
  std::memset(reserve_piece(off), 0, size);
  if (u8* image = reserve_image()) std::memset(image + kHead + off, 0, size);
  auto& free = free_ranges();
  auto it = std::lower_bound(free.begin(), free.end(), std::pair<u64, u64>{off, 0});
  it = free.insert(it, {off, off + size});
  size_t i = it - free.begin();
  if (i + 1 < free.size() && free[i].second == free[i + 1].first) {
    free[i].second = free[i + 1].second;
    free.erase(free.begin() + i + 1);
  }
  if (i > 0 && free[i - 1].second == free[i].first) {
    free[i - 1].second = free[i].second;
    free.erase(free.begin() + i);
  }
}

u8* reserve_piece(u64 offset) { return tls_reserve + kHead + offset; }
i64 reserve_tp_offset(u64 offset) { return i64(addr(reserve_piece(offset)) - thread_pointer()); }

void reserve_publish(u64 offset, u64 size) {
  std::lock_guard<std::mutex> lock(mu());
  if (u8* image = reserve_image()) std::memcpy(image + kHead + offset, reserve_piece(offset), size);
}

Expected<Module> create_module(u64 size, u64 init_size, u32 align, std::string_view static_reason) {
  if (align == 0) align = 1;
  if (!is_pow2(align) || align > (1u << 20))
    return Error(ErrorKind::Unsupported, format("thread-local alignment %u is not a power of two up to 1 MiB", align));
  if (size > kOffsetMask || init_size > size)
    return Error(ErrorKind::Memory, format("a thread-local block of 0x%llx bytes is larger than a TLS module holds",
                                           (unsigned long long)size));
  u8* image = static_cast<u8*>(std::calloc(1, std::max<u64>(size, 1)));
  if (!image)
    return Error(ErrorKind::Memory, format("cannot allocate the 0x%llx-byte image of a thread-local block",
                                           (unsigned long long)size));
  // A slot first (claimed with a generation no thread ever holds), then
  // the static reserve when the block fits: block, then an 8-byte marker.
  u32 id = 1;
  {
    std::lock_guard<std::mutex> lock(mu());
    while (id < kMaxModules && g_records[id].generation.load(std::memory_order_relaxed) != 0) id++;
    if (id < kMaxModules) g_records[id].generation.store(~u64(0), std::memory_order_relaxed);
  }
  if (id == kMaxModules) {
    std::free(image);
    return Error(ErrorKind::Memory, format("more than %u objects with thread-local storage are loaded", kMaxModules - 1));
  }
  Record& r = g_records[id];
  const u64 reserve_bytes = round_up(size, 8) + 8;
  u64 offset = 0;
  const bool is_static = thread_pointer() != 0 && align <= kReserveMaxAlign && reserve_bytes <= kReserveSize &&
                         reserve_allocate(reserve_bytes, std::max<u64>(align, 8), &offset);
  if (!is_static && !static_reason.empty()) {
    std::free(image);
    r.generation.store(0, std::memory_order_release);
    return Error(ErrorKind::Unsupported,
                 format("its thread-local block (0x%llx bytes, alignment %u) does not fit the static TLS reserve "
                        "(0x%llx bytes shared by every loaded object), yet %.*s, which reaches the static reserve "
                        "only: compile it with -ftls-model=global-dynamic (or -fPIC)",
                        (unsigned long long)size, align, (unsigned long long)kReserveSize, int(static_reason.size()),
                        static_reason.data()));
  }
  std::lock_guard<std::mutex> lock(mu());
  r.size = size;
  r.init_size = init_size;
  r.align = align;
  r.image = image;
  r.is_static = is_static;
  r.reserve_offset = offset;
  r.marker_offset = offset + round_up(size, 8);
  r.reserve_bytes = is_static ? reserve_bytes : 0;
  r.companions.clear();
  r.generation.store(g_next_generation++, std::memory_order_release);
  return Module{kKeyBase + (u64(id) << kOffsetBits), image, is_static};
}

namespace {
Record* record_of(u64 key) {
  if (!is_key_address(key) || module_offset(key) != 0) return nullptr;
  Record& r = g_records[(key - kKeyBase) >> kOffsetBits];
  return r.generation.load(std::memory_order_acquire) ? &r : nullptr;
}
}  // namespace

bool is_live(u64 key) { return record_of(key) != nullptr; }

std::optional<i64> static_tp_offset(u64 key) {
  Record* r = record_of(key);
  if (!r || !r->is_static) return std::nullopt;
  return reserve_tp_offset(r->reserve_offset);
}

void add_companion(u64 key, u64 other) {
  Record* r = record_of(key);
  Record* o = record_of(other);
  if (!r || !o || r == o) return;
  const u32 other_id = u32((other - kKeyBase) >> kOffsetBits);
  const u64 other_generation = o->generation.load(std::memory_order_acquire);
  std::lock_guard<std::mutex> lock(mu());
  for (auto [id, generation] : r->companions)
    if (id == other_id && generation == other_generation) return;
  r->companions.emplace_back(other_id, other_generation);
}

void publish_module(u64 key) {
  Record* r = record_of(key);
  if (!r || !r->is_static) return;
  const u64 generation = r->generation.load(std::memory_order_relaxed);
  u8* piece = reserve_piece(r->reserve_offset);
  std::memcpy(piece, r->image, r->init_size);
  std::memset(piece + r->init_size, 0, r->size - r->init_size);
  std::memcpy(reserve_piece(r->marker_offset), &generation, 8);
  reserve_publish(r->reserve_offset, r->reserve_bytes);
}

void release_module(u64 key) {
  Record* r = record_of(key);
  if (!r) return;
  const u32 id = u32((key - kKeyBase) >> kOffsetBits);
  if (ThreadState* t = t_state; t && id < t->slots.size()) {
    if (t->slots[id].owned) std::free(t->slots[id].block);
    t->slots[id] = Slot{};
  }
  if (r->is_static) reserve_release(r->reserve_offset, r->reserve_bytes);
  std::lock_guard<std::mutex> lock(mu());
  std::free(r->image);
  r->image = nullptr;
  r->companions.clear();
  r->generation.store(0, std::memory_order_release);
}

}  // namespace jitload::tls
