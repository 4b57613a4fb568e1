// Peak memory per load: the benchmark binary interposes the malloc family
// and mmap/munmap, so that heap blocks (the loaders' tables, LLVM's
// SmallVectors, std::vector growth) and mappings (section memory, from any
// of the memory managers) are counted alike, whoever allocates them.
//
// Counting is off except between meter::start() and meter::stop(), which
// the suite calls around one untimed load (RunOptions::meter); the timed
// loops pay one relaxed load and a branch per call. Everything forwards to
// glibc (__libc_malloc and friends; mmap through the system call), so the
// allocator itself is unchanged.
//
// What is missed: blocks freed inside the window but allocated before it
// lower the count (peak is then conservative), and glibc's own mmap'ed
// malloc chunks are counted once, as heap.
#include "bench/support.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define JITLOAD_BENCH_NO_METER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define JITLOAD_BENCH_NO_METER 1
#endif

#ifdef JITLOAD_BENCH_NO_METER
// Under a sanitizer, its runtime owns malloc (our definitions would clash
// with its interceptors): no meter, and no peak_mem counter.
namespace jitload::bench::meter {
bool available() { return false; }
void start() {}
uint64_t stop() { return 0; }
}  // namespace jitload::bench::meter
#else

#include <malloc.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>

extern "C" {
void* __libc_malloc(size_t);
void __libc_free(void*);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
}

namespace {

std::atomic<bool> g_on{false};
std::atomic<int64_t> g_current{0};
std::atomic<int64_t> g_peak{0};

void add(int64_t bytes) {
  int64_t now = g_current.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  int64_t peak = g_peak.load(std::memory_order_relaxed);
  while (now > peak && !g_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void sub(int64_t bytes) { g_current.fetch_sub(bytes, std::memory_order_relaxed); }

bool on() { return g_on.load(std::memory_order_relaxed); }

int64_t page_round(size_t len) {
  static const int64_t page = sysconf(_SC_PAGESIZE);
  return (int64_t(len) + page - 1) / page * page;
}

}  // namespace

extern "C" {

void* malloc(size_t n) {
  void* p = __libc_malloc(n);
  if (p && on()) add(int64_t(malloc_usable_size(p)));
  return p;
}

void free(void* p) {
  if (p && on()) sub(int64_t(malloc_usable_size(p)));
  __libc_free(p);
}

void* calloc(size_t n, size_t size) {
  void* p = __libc_calloc(n, size);
  if (p && on()) add(int64_t(malloc_usable_size(p)));
  return p;
}

void* realloc(void* p, size_t n) {
  int64_t before = p && on() ? int64_t(malloc_usable_size(p)) : 0;
  void* q = __libc_realloc(p, n);
  if (on()) {
    if (q) add(int64_t(malloc_usable_size(q)) - before);
    else if (n == 0) sub(before);  // realloc(p, 0) freed p
  }
  return q;
}

void* memalign(size_t align, size_t n) {
  void* p = __libc_memalign(align, n);
  if (p && on()) add(int64_t(malloc_usable_size(p)));
  return p;
}

void* aligned_alloc(size_t align, size_t n) { return memalign(align, n); }

int posix_memalign(void** out, size_t align, size_t n) {
  if (align < sizeof(void*) || (align & (align - 1))) return EINVAL;
  void* p = memalign(align, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}

void* valloc(size_t n) { return memalign(size_t(sysconf(_SC_PAGESIZE)), n); }

void* mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off) {
  long r = syscall(SYS_mmap, addr, len, prot, flags, fd, off);
  if (r == -1) return MAP_FAILED;  // errno set by syscall()
  if (on()) add(page_round(len));
  return reinterpret_cast<void*>(r);
}

void* mmap64(void* addr, size_t len, int prot, int flags, int fd, off_t off)
    __attribute__((alias("mmap")));

int munmap(void* addr, size_t len) {
  long r = syscall(SYS_munmap, addr, len);
  if (r == 0 && on()) sub(page_round(len));
  return int(r);
}

}  // extern "C"

namespace jitload::bench::meter {

bool available() { return true; }

void start() {
  g_current.store(0, std::memory_order_relaxed);
  g_peak.store(0, std::memory_order_relaxed);
  g_on.store(true, std::memory_order_relaxed);
}

uint64_t stop() {
  g_on.store(false, std::memory_order_relaxed);
  int64_t peak = g_peak.load(std::memory_order_relaxed);
  return peak > 0 ? uint64_t(peak) : 0;
}

}  // namespace jitload::bench::meter

#endif  // JITLOAD_BENCH_NO_METER
