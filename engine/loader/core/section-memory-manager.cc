#include "engine/loader/core/section-memory-manager.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "engine/loader/core/eh-frame.h"
#include "engine/loader/core/tls-runtime.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000  // Linux >= 4.17; older kernels treat it as a hint
#endif

// The unwinder's registration entry points: libgcc and LLVM libunwind both
// export these two (with different meanings, see the header).
extern "C" void __register_frame(void* begin);
extern "C" void __deregister_frame(void* begin);

namespace jitload {
namespace {

u64 page_size() {
  static const u64 size = [] {
    long s = sysconf(_SC_PAGESIZE);
    return s > 0 ? u64(s) : u64(4096);
  }();
  return size;
}

bool is_pow2(u64 v) { return v != 0 && (v & (v - 1)) == 0; }

// round_up(v, a) for a power of two a, or false on overflow.
bool round_up(u64 v, u64 a, u64* out) {
  if (v > ~u64(0) - (a - 1)) return false;
  *out = (v + (a - 1)) & ~(a - 1);
  return true;
}

uintptr_t addr(const void* p) { return reinterpret_cast<uintptr_t>(p); }

// ---------------------------------------------------------------------------
// Placement: where new mappings go, process-wide.
//
// Mappings grow downward from the main executable's image, inside a window
// of 2 GiB below its end, so that any address in the window reaches any
// address of the image with a signed 32-bit displacement. The fast path
// tries the address just below the previous mapping; when that is taken (by
// anyone) or the window's bottom is reached, /proc/self/maps is read once to
// find the highest free gap in the window — which also reuses the holes that
// released managers leave behind. With no room in the window the kernel
// chooses (still correct: nearness inside an object comes from the
// reservation, not from this).

struct ImageBounds {
  uintptr_t lo = 0, hi = 0;
};

ImageBounds main_image_bounds() {
  ImageBounds b;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) -> int {
        auto* out = static_cast<ImageBounds*>(data);
        uintptr_t lo = ~uintptr_t(0), hi = 0;
        for (int i = 0; i < info->dlpi_phnum; i++) {
          const auto& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_LOAD) continue;
          lo = std::min<uintptr_t>(lo, info->dlpi_addr + ph.p_vaddr);
          hi = std::max<uintptr_t>(hi, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
        }
        if (hi > lo) *out = ImageBounds{lo, hi};
        return 1;  // the first object reported is the main program: stop
      },
      &b);
  return b;
}

// The address ranges of every mapping, ascending, from /proc/self/maps.
std::vector<std::pair<uintptr_t, uintptr_t>> current_mappings() {
  std::vector<std::pair<uintptr_t, uintptr_t>> out;
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  std::string text;
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, size_t(n));
  }
  close(fd);
  const char* p = text.c_str();
  while (*p) {
    char* e;
    unsigned long long lo = strtoull(p, &e, 16);
    if (*e == '-') {
      unsigned long long hi = strtoull(e + 1, &e, 16);
      out.emplace_back(uintptr_t(lo), uintptr_t(hi));
    }
    const char* nl = strchr(e, '\n');
    if (!nl) break;
    p = nl + 1;
  }
  return out;
}

// The highest address in [floor, ceiling) where `len` bytes aligned to
// `align` are free; 0 if there is none.
uintptr_t highest_free_gap(uintptr_t floor, uintptr_t ceiling, u64 len, u64 align) {
  uintptr_t best = 0;
  uintptr_t gap_lo = 0;
  auto consider = [&](uintptr_t lo, uintptr_t hi) {
    uintptr_t top = std::min(hi, ceiling), bottom = std::max(lo, floor);
    if (top <= bottom || top - bottom < len) return;
    uintptr_t cand = (top - len) & ~uintptr_t(align - 1);
    if (cand >= bottom) best = std::max(best, cand);
  };
  for (auto [lo, hi] : current_mappings()) {
    if (lo > gap_lo) consider(gap_lo, lo);
    gap_lo = std::max(gap_lo, hi);
  }
  return best;
}

// Mappings this large start on a huge-page boundary and ask for
// transparent huge pages: one fault and one page-table entry per 2 MiB
// instead of 512 (on this kind of machine, an image of a few MiB is mapped,
// filled and unmapped in about two thirds of the time). Smaller ones would
// only waste the rest of the huge page.
constexpr u64 kHugePage = u64(2) << 20;

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux >= 5.14
#endif

int map_flags(u64 len) { return len >= kHugePage ? 0 : MAP_POPULATE; }

// The loader writes every byte of a mapping (sections are sized to their
// contents), so its pages are faulted in at once rather than one fault per
// page as the copy reaches them: MAP_POPULATE for small mappings; huge ones
// are populated after the advice, or the pages would already be small. If
// the kernel refuses either advice, the pages fault in as they are written.
void prepare(void* p, u64 len) {
  if (len < kHugePage) return;
  madvise(p, len, MADV_HUGEPAGE);
  madvise(p, len, MADV_POPULATE_WRITE);
}

// Maps exactly [hint, hint+len), or nothing.
bool map_fixed_noreplace(uintptr_t hint, u64 len) {
  void* p = mmap(reinterpret_cast<void*>(hint), len, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | map_flags(len), -1, 0);
  if (p == MAP_FAILED) return false;
  if (addr(p) != hint) {  // a kernel older than 4.17 took the flag as a hint
    munmap(p, len);
    return false;
  }
  prepare(p, len);
  return true;
}

struct Placement {
  std::mutex mu;
  bool initialized = false;
  uintptr_t floor = 0;       // the window: [floor, ceiling)
  uintptr_t ceiling = 0;
  uintptr_t next_below = 0;  // fast-path hint: just below the last mapping placed

  void init() {
    // Leave the first 16 MiB alone (mmap_min_addr, null-pointer traps), and
    // 16 MiB of slack so that code at the bottom of the window still reaches
    // the top of the image.
    constexpr uintptr_t kLow = 16u << 20;
    constexpr uintptr_t kWindow = (uintptr_t(2) << 30) - (16u << 20);
    ImageBounds image = main_image_bounds();
    uintptr_t page = page_size();
    ceiling = image.lo & ~(page - 1);
    floor = image.hi > kWindow + kLow ? image.hi - kWindow : kLow;
    if (ceiling < floor) ceiling = floor;  // image too low (non-PIE at 4 MiB): empty window
    next_below = ceiling;
    initialized = true;
  }

  // A new read+write mapping: returns its base and length (len, or more
  // when the kernel chose and alignment needed slack); nullptr on failure.
  std::pair<u8*, u64> map(u64 len, u64 align) {
    std::lock_guard<std::mutex> lock(mu);
    if (!initialized) init();
    if (len >= kHugePage) align = std::max(align, kHugePage);
    if (next_below >= floor && next_below - floor >= len) {
      uintptr_t hint = (next_below - len) & ~uintptr_t(align - 1);
      if (hint >= floor && map_fixed_noreplace(hint, len)) {
        next_below = hint;
        return {reinterpret_cast<u8*>(hint), len};
      }
    }
    // Someone else is right below, or the window's bottom is reached.
    for (int attempt = 0; attempt < 3; attempt++) {
      uintptr_t hint = highest_free_gap(floor, ceiling, len, align);
      if (!hint) break;
      if (map_fixed_noreplace(hint, len)) {
        next_below = hint;
        return {reinterpret_cast<u8*>(hint), len};
      }
      // Lost a race with another thread's mmap: look again.
    }
    u64 slack = align > page_size() ? align - page_size() : 0;
    if (len > ~u64(0) - slack) return {nullptr, 0};
    void* p = mmap(nullptr, len + slack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | map_flags(len), -1, 0);
    if (p == MAP_FAILED) return {nullptr, 0};
    prepare(p, len + slack);
    return {static_cast<u8*>(p), len + slack};
  }
};

Placement& placement() {
  static Placement* p = new Placement;  // never destroyed: used until exit
  return *p;
}

// ---------------------------------------------------------------------------
// The pool: mappings released by managers, read+write and all zeros, kept
// for the next manager instead of going back to the kernel (see the header).
// Every piece was placed by Placement, so it is as near the image as a
// fresh mapping would be.

struct MemoryPool {
  struct Piece {
    uintptr_t base;
    u64 size;
    u64 age;  // order of release: the oldest goes first when over the limit
  };
  std::mutex mu;
  std::vector<Piece> pieces;
  u64 bytes = 0;
  u64 limit = SectionMemoryManager::kDefaultPoolLimit;
  u64 clock = 0;
  SectionMemoryManager::PoolStats counts;
  // Bounds the search (and the pool's bookkeeping) whatever the limit.
  static constexpr size_t kMaxPieces = 256;
  // A piece at least this much larger than a request is split, the rest
  // staying pooled; a smaller excess goes with the request.
  static constexpr u64 kSplitExcess = 64 * 1024;

  // A pooled stretch of at least `len` bytes from a base aligned to `align`
  // (a page multiple), or {nullptr, 0}.
  std::pair<u8*, u64> take(u64 len, u64 align) {
    std::lock_guard<std::mutex> lock(mu);
    size_t best = pieces.size();
    for (size_t i = 0; i < pieces.size(); i++) {
      const Piece& p = pieces[i];
      uintptr_t start = (p.base + align - 1) & ~uintptr_t(align - 1);
      if (start - p.base > p.size || len > p.size - (start - p.base)) continue;
      if (best == pieces.size() || p.size < pieces[best].size) best = i;
    }
    if (best == pieces.size()) return {nullptr, 0};
    Piece p = pieces[best];
    pieces.erase(pieces.begin() + best);
    uintptr_t start = (p.base + align - 1) & ~uintptr_t(align - 1);
    u64 used = (start - p.base) + len;  // a page multiple: base, align and len all are
    u64 got = p.size;
    if (p.size - used >= kSplitExcess) {
      pieces.push_back(Piece{p.base + used, p.size - used, p.age});
      got = used;
    }
    bytes -= got;
    counts.reused++;
    return {reinterpret_cast<u8*>(p.base), got};
  }

  // Takes a read+write, zeroed mapping (or part of one), or unmaps it when
  // it does not fit under the limit.
  void give(u8* base, u64 size) {
    std::unique_lock<std::mutex> lock(mu);
    if (size > limit) {
      counts.unmapped++;
      lock.unlock();
      munmap(base, size);
      return;
    }
    Piece n{addr(base), size, ++clock};
    // Neighbours merge back, so a split piece is whole again (never into
    // one piece larger than the limit, which could only be dropped).
    for (size_t i = 0; i < pieces.size();) {
      Piece& p = pieces[i];
      if ((p.base + p.size == n.base || n.base + n.size == p.base) && n.size + p.size <= limit) {
        n.base = std::min(n.base, p.base);
        n.size += p.size;
        bytes -= p.size;
        pieces.erase(pieces.begin() + i);
      } else {
        i++;
      }
    }
    std::vector<Piece> out;
    while (!pieces.empty() && (bytes + n.size > limit || pieces.size() >= kMaxPieces)) {
      auto oldest = std::min_element(pieces.begin(), pieces.end(),
                                     [](const Piece& a, const Piece& b) { return a.age < b.age; });
      out.push_back(*oldest);
      bytes -= oldest->size;
      pieces.erase(oldest);
    }
    pieces.push_back(n);
    bytes += n.size;
    counts.released++;
    counts.unmapped += out.size();
    lock.unlock();
    for (const Piece& p : out) munmap(reinterpret_cast<void*>(p.base), p.size);
  }

  void set_limit(u64 new_limit) {
    std::unique_lock<std::mutex> lock(mu);
    limit = new_limit;
    std::vector<Piece> out;
    while (!pieces.empty() && bytes > limit) {
      auto oldest = std::min_element(pieces.begin(), pieces.end(),
                                     [](const Piece& a, const Piece& b) { return a.age < b.age; });
      out.push_back(*oldest);
      bytes -= oldest->size;
      pieces.erase(oldest);
    }
    counts.unmapped += out.size();
    lock.unlock();
    for (const Piece& p : out) munmap(reinterpret_cast<void*>(p.base), p.size);
  }

  void trim() {
    std::unique_lock<std::mutex> lock(mu);
    std::vector<Piece> out;
    out.swap(pieces);
    bytes = 0;
    counts.unmapped += out.size();
    lock.unlock();
    for (const Piece& p : out) munmap(reinterpret_cast<void*>(p.base), p.size);
  }
};

MemoryPool& memory_pool() {
  static MemoryPool* p = new MemoryPool;  // never destroyed: used until exit
  return *p;
}

// ---------------------------------------------------------------------------
// EH frames.

using UnwSectionFn = void (*)(uintptr_t);
UnwSectionFn unw_add_section = nullptr;
UnwSectionFn unw_remove_section = nullptr;

UnwinderAbi detect_unwinder_once() {
  // Ask the object that provides the __register_frame we are bound to.
  Dl_info info{};
  void* handle = nullptr;
  if (dladdr(reinterpret_cast<void*>(&__register_frame), &info) && info.dli_fname &&
      info.dli_fname[0])
    handle = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
  void* scope = handle ? handle : RTLD_DEFAULT;
  UnwinderAbi abi = UnwinderAbi::LibgccSection;
  auto add = reinterpret_cast<UnwSectionFn>(dlsym(scope, "__unw_add_dynamic_eh_frame_section"));
  auto remove = reinterpret_cast<UnwSectionFn>(dlsym(scope, "__unw_remove_dynamic_eh_frame_section"));
  if (add && remove) {
    unw_add_section = add;
    unw_remove_section = remove;
    abi = UnwinderAbi::LibunwindSection;
  } else if (dlsym(scope, "__unw_add_dynamic_fde") || dlsym(scope, "unw_getcontext")) {
    abi = UnwinderAbi::LibunwindFde;
  }
  if (handle) dlclose(handle);
  return abi;
}

std::string quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

}  // namespace

const char* unwinder_abi_name(UnwinderAbi abi) {
  switch (abi) {
    case UnwinderAbi::Auto: return "auto";
    case UnwinderAbi::LibgccSection: return "libgcc (whole section)";
    case UnwinderAbi::LibunwindSection: return "libunwind (whole section)";
    case UnwinderAbi::LibunwindFde: return "libunwind (one FDE at a time)";
    case UnwinderAbi::None: return "none";
  }
  return "?";
}

UnwinderAbi SectionMemoryManager::detect_unwinder() {
  static const UnwinderAbi abi = detect_unwinder_once();
  return abi;
}

SectionMemoryManager::SectionMemoryManager(UnwinderAbi unwinder, TlsStrategy tls, MemoryReuse reuse)
    : unwinder_(unwinder == UnwinderAbi::Auto ? detect_unwinder() : unwinder), reuse_(reuse), tls_(tls) {
#if !defined(__x86_64__)
  // Dynamic TLS (modules, __tls_get_addr, code kept in its model) is
  // x86-64's; elsewhere (AArch64) code is rewritten to local exec against
  // the static reserve, as a static link into an executable would do.
  tls_ = TlsStrategy::StaticRewrite;
#endif
  // The section entry points of libunwind are only known after detection,
  // which runs once per process; reading them before it would race with
  // another thread's first detection.
  if (unwinder_ == UnwinderAbi::LibunwindSection) {
    detect_unwinder();
    if (!unw_add_section) unwinder_ = UnwinderAbi::None;
  }
}

SectionMemoryManager::~SectionMemoryManager() {
  // The unwinder must forget the frames before their bytes go away.
  deregister_eh_frames();
  for (const TlsPiece& piece : tls_pieces_) tls::reserve_release(piece.offset, piece.size);
  for (const TlsModuleRef& m : tls_modules_) tls::release_module(m.key);
  if (reuse_ == MemoryReuse::Fresh) {
    for (const Mapping& m : mappings_) munmap(m.base, m.size);
    std::lock_guard<std::mutex> lock(memory_pool().mu);
    memory_pool().counts.unmapped += mappings_.size();
    return;
  }
  // Into the pool: read+write again (from r-x or r--, never through
  // writable and executable at once), then every byte that was handed out
  // back to zero, so the next manager gets what a fresh mapping gives. The
  // rest of each mapping was never written. A mapping whose protection
  // cannot be reset goes back to the kernel.
  std::vector<bool> writable(mappings_.size());
  for (size_t i = 0; i < mappings_.size(); i++)
    writable[i] = mprotect(mappings_[i].base, mappings_[i].size, PROT_READ | PROT_WRITE) == 0;
  auto mapping_of = [&](const u8* p) -> size_t {
    for (size_t i = 0; i < mappings_.size(); i++)
      if (p >= mappings_[i].base && p < mappings_[i].base + mappings_[i].size) return i;
    return mappings_.size();
  };
  for (const auto& pool : regions_)
    for (const Region& r : pool) {
      size_t i = mapping_of(r.begin);
      if (i < mappings_.size() && writable[i] && r.cursor > r.begin) memset(r.begin, 0, size_t(r.cursor - r.begin));
    }
  for (size_t i = 0; i < mappings_.size(); i++) {
    if (writable[i]) {
      memory_pool().give(mappings_[i].base, mappings_[i].size);
    } else {
      munmap(mappings_[i].base, mappings_[i].size);
      std::lock_guard<std::mutex> lock(memory_pool().mu);
      memory_pool().counts.unmapped++;
    }
  }
}

SectionMemoryManager::PoolStats SectionMemoryManager::pool_stats() {
  MemoryPool& pool = memory_pool();
  std::lock_guard<std::mutex> lock(pool.mu);
  PoolStats s = pool.counts;
  s.bytes = pool.bytes;
  s.mappings = pool.pieces.size();
  s.limit = pool.limit;
  return s;
}

void SectionMemoryManager::set_pool_limit(u64 bytes) { memory_pool().set_limit(bytes); }

u64 SectionMemoryManager::pool_limit() {
  std::lock_guard<std::mutex> lock(memory_pool().mu);
  return memory_pool().limit;
}

void SectionMemoryManager::trim_pool() { memory_pool().trim(); }

u64 SectionMemoryManager::mapped_bytes() const {
  u64 total = 0;
  for (const Mapping& m : mappings_) total += m.size;
  return total;
}

u8* SectionMemoryManager::map_region_memory(u64 size, u64 align) {
  std::pair<u8*, u64> got{nullptr, 0};
  // size and align are page multiples here (callers round them), as the
  // pool's pieces are.
  if (reuse_ == MemoryReuse::Pool) got = memory_pool().take(size, align);
  if (!got.first) {
    got = placement().map(size, align);
    if (!got.first) return nullptr;
    std::lock_guard<std::mutex> lock(memory_pool().mu);
    memory_pool().counts.fresh++;
  }
  auto [base, len] = got;
  mappings_.push_back(Mapping{base, len});
  return reinterpret_cast<u8*>((addr(base) + align - 1) & ~uintptr_t(align - 1));
}

// Code is never the first byte of a mapping: a host built with clang's
// -fsanitize=function (part of -fsanitize=undefined) reads the 8 bytes in
// front of every function it calls through a pointer, looking for a type
// signature, and would fault on an unmapped page there. So each code region
// starts after `prefix` bytes (>= one page, a multiple of its alignment) of
// its own mapping, the last page of which is made read-only here.
u64 SectionMemoryManager::code_prefix(u64 align) { return std::max(page_size(), align); }

bool SectionMemoryManager::protect_code_prefix(u8* code_begin) {
  const u64 page = page_size();
  return mprotect(code_begin - page, page, PROT_READ) == 0;
}

const SectionMemoryManager::Region* SectionMemoryManager::region_containing(const u8* p) const {
  for (const auto& pool : regions_)
    for (const Region& r : pool)
      if (p >= r.begin && p < r.end) return &r;
  return nullptr;
}

Error SectionMemoryManager::reserve_allocation_space(u64 code_size, u32 code_align, u64 ro_size,
                                                     u32 ro_align, u64 rw_size, u32 rw_align) {
  const u64 page = page_size();
  const u64 sizes[kPoolCount] = {code_size, ro_size, rw_size};
  u64 aligns[kPoolCount] = {code_align, ro_align, rw_align};
  static const char* const kWhat[kPoolCount] = {"code", "read-only data", "read-write data"};

  // Layout inside one mapping: code | read-only | read-write, each starting
  // on a page (its own protection) aligned to what its sections need.
  u64 offsets[kPoolCount] = {}, lengths[kPoolCount] = {};
  u64 total = 0, max_align = page;
  for (int p = 0; p < kPoolCount; p++) {
    if (aligns[p] == 0) aligns[p] = 1;
    if (!is_pow2(aligns[p]) || aligns[p] > kMaxAlign)
      return Error(ErrorKind::Argument,
                   format("reserve: %s alignment %llu is not a power of two up to %u", kWhat[p],
                          (unsigned long long)aligns[p], kMaxAlign));
  }
  if (code_size > 0) total = code_prefix(aligns[kCode]);
  for (int p = 0; p < kPoolCount; p++) {
    if (sizes[p] == 0) continue;
    u64 region_align = std::max(page, aligns[p]);
    if (!round_up(sizes[p], page, &lengths[p]) || !round_up(total, region_align, &offsets[p]) ||
        lengths[p] > ~u64(0) - offsets[p])
      return Error(ErrorKind::Argument,
                   format("reserve: sizes overflow (code %s, read-only %s, read-write %s)",
                          hex(code_size).c_str(), hex(ro_size).c_str(), hex(rw_size).c_str()));
    total = offsets[p] + lengths[p];
    max_align = std::max(max_align, region_align);
  }
  if (total == 0) return Error::success();

  u8* base = map_region_memory(total, max_align);
  if (!base)
    return Error(ErrorKind::Memory,
                 format("reserve: cannot map %s bytes (code %s, read-only %s, read-write %s): %s",
                        hex(total).c_str(), hex(code_size).c_str(), hex(ro_size).c_str(),
                        hex(rw_size).c_str(), strerror(errno)));
  if (lengths[kCode] && !protect_code_prefix(base + offsets[kCode]))
    return Error(ErrorKind::Memory, format("reserve: mprotect(PROT_READ) of the page before the "
                                           "code failed: %s", strerror(errno)));
  for (int p = 0; p < kPoolCount; p++) {
    if (lengths[p] == 0) continue;
    u8* b = base + offsets[p];
    regions_[p].push_back(Region{b, b + lengths[p], b, b});
  }
  return Error::success();
}

// `size` bytes at `align` from the region's unused tail, or nullptr.
[[gnu::always_inline]] inline u8* SectionMemoryManager::carve(Region& r, u64 size, u64 align) {
  u64 pad = (-addr(r.cursor)) & (align - 1);
  u64 avail = u64(r.end - r.cursor);
  if (pad > avail || size > avail - pad) return nullptr;
  u8* p = r.cursor + pad;
  r.cursor = p + size;
  return p;
}

u8* SectionMemoryManager::allocate(Pool pool, u64 size, u32 align32) {
  const u64 align = align32 ? align32 : 1;
  // align is not 0 here, so one AND tests for a power of two: is_pow2's
  // two tests compile to a population count, which without POPCNT in the
  // baseline instruction set is some 15 instructions, once per section.
  if ((align & (align - 1)) != 0 || align > kMaxAlign) [[unlikely]]
    return nullptr;
  if (size == 0) size = 1;  // distinct, non-null addresses for empty sections
  // The current region first: the object's reservation, where nearly every
  // section goes.
  auto& regions = regions_[pool];
  if (!regions.empty()) [[likely]]
    if (u8* p = carve(regions.back(), size, align)) return p;
  return allocate_elsewhere(pool, size, align);
}

u8* SectionMemoryManager::allocate_elsewhere(Pool pool, u64 size, u64 align) {
  // A few older regions, so that one large section that overflowed into a
  // region of its own does not strand the rest of the reservation.
  auto& regions = regions_[pool];
  size_t tries = 1;
  for (auto it = regions.rbegin() + (regions.empty() ? 0 : 1); it != regions.rend() && tries < 4; ++it, ++tries)
    if (u8* p = carve(*it, size, align)) return p;

  // A new mapping, placed next to the previous ones. Small requests get a
  // chunk, so a loader that does not reserve does not pay one mmap per section.
  constexpr u64 kChunk = 64 * 1024;
  const u64 page = page_size();
  u64 len;
  if (!round_up(size, page, &len)) return nullptr;
  len = std::max(len, kChunk);
  const u64 region_align = std::max(page, align);
  const u64 prefix = pool == kCode ? code_prefix(region_align) : 0;
  if (len > ~u64(0) - prefix) return nullptr;
  u8* base = map_region_memory(prefix + len, region_align);
  if (!base) return nullptr;
  base += prefix;
  if (prefix && !protect_code_prefix(base)) return nullptr;
  regions.push_back(Region{base, base + len, base, base});
  return carve(regions.back(), size, align);
}

MemoryManager::FreeTail SectionMemoryManager::take_free_tail(MemoryKind kind) {
  static_assert(u8(MemoryKind::Code) == kCode && u8(MemoryKind::ReadOnly) == kReadOnly &&
                u8(MemoryKind::ReadWrite) == kReadWrite);
  const auto& regions = regions_[u8(kind)];
  if (regions.empty()) return {};
  return {regions.back().cursor, regions.back().end};
}

void SectionMemoryManager::return_free_tail(MemoryKind kind, u8* first_unused) {
  regions_[u8(kind)].back().cursor = first_unused;
}

u8* SectionMemoryManager::allocate_code_section(u64 size, u32 align, u32 section_id,
                                                std::string_view name) {
  return allocate(kCode, size, align);
}

u8* SectionMemoryManager::allocate_data_section(u64 size, u32 align, u32 section_id,
                                                std::string_view name, bool read_only) {
  return allocate(read_only ? kReadOnly : kReadWrite, size, align);
}

Expected<TlsSection> SectionMemoryManager::allocate_tls_section(u64 size, u32 align,
                                                                u32 section_id,
                                                                std::string_view name, const TlsAbi& abi) {
#if defined(__x86_64__) || defined(__aarch64__)
  if (align == 0) align = 1;
  // The host's variant (x86-64: II, AArch64: I) is served from the static
  // reserve, whose tp offsets have that variant's sign; another machine's
  // variant I is simulated (its code does not run here); variant II on an
  // AArch64 host has no use (x86-64 code does not run there) and is refused.
#if defined(__aarch64__)
  constexpr bool kHostVariantOne = true;
#else
  constexpr bool kHostVariantOne = false;
#endif
  // Where every object's TLS must fit the reserve (no Dynamic), say so.
  const char* static_only_note = kHostVariantOne ? "; on an AArch64 host thread-local storage is served in the "
                                                   "static model only (no per-thread blocks)"
                                                 : "";
  if (abi.variant_one != kHostVariantOne && !abi.variant_one)
    return Error(ErrorKind::Unsupported,
                 format("section %s: TLS variant II (x86-64) thread-local sections are not served on this "
                        "AArch64 host",
                        quoted(name).c_str()));
  if (abi.variant_one != kHostVariantOne) {  // another machine's variant I: simulated, as PlainMemoryManager does
    if (!is_pow2(align))
      return Error(ErrorKind::Unsupported, format("section %s: thread-local alignment %u is not a power of two",
                                                  quoted(name).c_str(), align));
    u8* mem = allocate(kReadWrite, std::max<u64>(size, 1), align);
    if (!mem) return Error(ErrorKind::Memory, format("section %s: cannot allocate %s bytes of thread-local data",
                                                     quoted(name).c_str(), hex(size).c_str()));
    u64 at = (std::max<u64>(simulated_tls_end_, abi.tcb_size) + align - 1) & ~u64(align - 1);
    simulated_tls_end_ = at + size;
    return TlsSection{mem, i64(at)};
  }
  if (!is_pow2(align) || align > kTlsMaxAlign)
    return Error(ErrorKind::Unsupported,
                 format("section %s: thread-local alignment %u is not a power of two up to %u",
                        quoted(name).c_str(), align, kTlsMaxAlign));
  if (size == 0) size = 1;
  if (size > kTlsReserveSize)
    return Error(ErrorKind::Memory,
                 format("section %s: %s bytes of thread-local data exceed the static TLS reserve "
                        "(%s bytes)%s",
                        quoted(name).c_str(), hex(size).c_str(), hex(kTlsReserveSize).c_str(), static_only_note));
  u64 off;
  if (!tls::reserve_allocate(size, align, &off))
    return Error(ErrorKind::Memory,
                 format("section %s: static TLS reserve exhausted (%s bytes requested, %s in all)%s",
                        quoted(name).c_str(), hex(size).c_str(), hex(kTlsReserveSize).c_str(), static_only_note));
  tls_pieces_.push_back(TlsPiece{off, size, false});
  u8* piece = tls::reserve_piece(off);  // this thread's copy
  memset(piece, 0, size);
  return TlsSection{piece, tls::reserve_tp_offset(off)};
#else
  return Error(ErrorKind::Unsupported,
               format("section %s: thread-local sections are implemented only on x86-64 and AArch64 hosts",
                      quoted(name).c_str()));
#endif
}

Expected<TlsModule> SectionMemoryManager::allocate_tls_module(u64 size, u64 init_size, u32 align,
                                                              std::string_view static_reason) {
#if defined(__x86_64__)
  auto m = tls::create_module(size, init_size, align, static_reason);
  if (!m) return m.take_error();
  tls_modules_.push_back(TlsModuleRef{m->key, false});
  return TlsModule{m->image, m->key};
#else
  return Error(ErrorKind::Unsupported, "thread-local storage is implemented only on x86-64 hosts");
#endif
}

void SectionMemoryManager::register_eh_frames(u8* local, u64 target, u64 size) {
  if (unwinder_ == UnwinderAbi::None || !local || size == 0) return;
  auto reject = [&](const std::string& why) {
    eh_errors_.push_back(format(".eh_frame at %p (%s bytes) not registered: %s",
                                static_cast<void*>(local), hex(size).c_str(), why.c_str()));
  };
  if (addr(local) != target)
    return reject("its target address " + hex(target) + " differs from where it is in this process");
  for (const EhRegistration& r : eh_registered_)
    if (r.address == local) return;  // already registered: twice would confuse deregistration
  Region* region = const_cast<Region*>(region_containing(local));
  if (!region || local >= region->cursor || size > u64(region->cursor - local))
    return reject("it is not inside memory this manager allocated");

  auto layout = parse_eh_frame({local, size});
  if (!layout) return reject(layout.error().message());
  if (layout->fdes.empty()) return;

  if (unwinder_ != UnwinderAbi::LibunwindFde && !layout->terminated) {
    // Whole-section registration walks to a zero length word. The loader
    // promises one right after the section; make sure, and keep it from
    // being handed out: bytes past the cursor are untouched zeros.
    u8* term = local + size;
    if (u64(region->end - term) < 4) return reject("no room for the zero terminator after it");
    for (u8* p = term; p < term + 4 && p < region->cursor; p++)
      if (*p != 0) return reject("it is not followed by a zero terminator");
    region->cursor = std::max(region->cursor, term + 4);
  }

  switch (unwinder_) {
    case UnwinderAbi::LibgccSection:
      __register_frame(local);
      eh_registered_.push_back({local, unwinder_});
      break;
    case UnwinderAbi::LibunwindSection:
      unw_add_section(addr(local));
      eh_registered_.push_back({local, unwinder_});
      break;
    case UnwinderAbi::LibunwindFde:
      for (u64 off : layout->fdes) {
        __register_frame(local + off);
        eh_registered_.push_back({local + off, unwinder_});
      }
      break;
    case UnwinderAbi::Auto:
    case UnwinderAbi::None:
      break;
  }
}

void SectionMemoryManager::deregister_eh_frames() {
  for (auto it = eh_registered_.rbegin(); it != eh_registered_.rend(); ++it) {
    if (it->abi == UnwinderAbi::LibunwindSection)
      unw_remove_section(addr(it->address));
    else
      __deregister_frame(it->address);
  }
  eh_registered_.clear();
}

Error SectionMemoryManager::finalize_memory() {
  const u64 page = page_size();
  for (int p = 0; p < kPoolCount; p++) {
    for (Region& r : regions_[p]) {
      if (r.cursor == r.pending) continue;
      if (p == kReadWrite) {  // already read+write
        r.pending = r.cursor;
        continue;
      }
      // Round out to the page; the rest of the page is never handed out, so
      // later allocations start on a page that is still writable.
      u8* end = reinterpret_cast<u8*>((addr(r.cursor) + page - 1) & ~uintptr_t(page - 1));
      int prot = p == kCode ? PROT_READ | PROT_EXEC : PROT_READ;
      if (mprotect(r.pending, u64(end - r.pending), prot) != 0)
        return Error(ErrorKind::Memory,
                     format("finalize: mprotect(%p, %s, %s) on %s failed: %s",
                            static_cast<void*>(r.pending), hex(u64(end - r.pending)).c_str(),
                            p == kCode ? "PROT_READ|PROT_EXEC" : "PROT_READ",
                            p == kCode ? "code" : "read-only data", strerror(errno)));
      // Loaded code was written through the data side: make the instruction
      // side see it (a no-op on x86, required on AArch64 and others).
      if (p == kCode)
        __builtin___clear_cache(reinterpret_cast<char*>(r.pending), reinterpret_cast<char*>(r.cursor));
      r.pending = r.cursor = end;
    }
  }
  // Thread-local images are complete: to this thread and every new one.
  for (TlsPiece& piece : tls_pieces_)
    if (!piece.published) {
      tls::reserve_publish(piece.offset, piece.size);
      piece.published = true;
    }
  for (TlsModuleRef& m : tls_modules_)
    if (!m.published) {
      tls::publish_module(m.key);
      m.published = true;
    }
  return Error::success();
}

}  // namespace jitload
