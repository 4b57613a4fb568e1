#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/core/tls-runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

// libgcc and LLVM libunwind both export this lookup (unwind-dw2-fde.h).
struct dwarf_eh_bases {
  void* tbase;
  void* dbase;
  void* func;
};
extern "C" const void* _Unwind_Find_FDE(void* pc, dwarf_eh_bases* bases);

namespace jitload {
namespace {

constexpr u64 k2GiB = u64(1) << 31;

uintptr_t addr(const void* p) { return reinterpret_cast<uintptr_t>(p); }

// The permissions ("r-xp", ...) of the mapping holding p, from /proc/self/maps;
// empty when p is not mapped. Probing this way checks W^X without faulting.
std::string perms_of(const void* p) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long long lo, hi;
    char perms[8] = {};
    if (sscanf(line.c_str(), "%llx-%llx %7s", &lo, &hi, perms) != 3) continue;
    if (addr(p) >= lo && addr(p) < hi) return perms;
  }
  return "";
}

u64 page() { return u64(sysconf(_SC_PAGESIZE)); }

TEST(SectionMemoryManager, HonoursAlignmentWithAndWithoutReservation) {
  for (bool reserve : {false, true}) {
    SectionMemoryManager mm;
    if (reserve) ASSERT_TRUE(mm.reserve_allocation_space(1 << 20, 1 << 16, 1 << 20, 1 << 16, 1 << 20, 1 << 16).ok());
    for (u32 align = 1; align <= (1u << 16); align <<= 1) {
      u8* c = mm.allocate_code_section(3, align, 0, ".text");
      u8* r = mm.allocate_data_section(5, align, 1, ".rodata", true);
      u8* w = mm.allocate_data_section(7, align, 2, ".data", false);
      ASSERT_TRUE(c && r && w) << "align " << align;
      EXPECT_EQ(addr(c) % align, 0u) << "code, align " << align;
      EXPECT_EQ(addr(r) % align, 0u) << "rodata, align " << align;
      EXPECT_EQ(addr(w) % align, 0u) << "data, align " << align;
    }
    // 2 MiB (huge-page) alignment in a fresh mapping.
    u8* big = mm.allocate_data_section(1, 2u << 20, 3, ".big", false);
    ASSERT_NE(big, nullptr);
    EXPECT_EQ(addr(big) % (2u << 20), 0u);
  }
}

TEST(SectionMemoryManager, OneReservationHoldsTheWholeObject) {
  SectionMemoryManager mm;
  EXPECT_TRUE(mm.needs_to_reserve_allocation_space());
  // Totals as a loader computes them: sum of sizes with alignment padding.
  ASSERT_TRUE(mm.reserve_allocation_space(0x3000 + 0x10, 16, 0x1800, 32, 0x900, 64).ok());
  ASSERT_EQ(mm.mapping_count(), 1u);
  u8* t1 = mm.allocate_code_section(0x3000, 16, 0, ".text");
  u8* t2 = mm.allocate_code_section(0x10, 16, 1, ".text.other");
  u8* r1 = mm.allocate_data_section(0x1800, 32, 2, ".rodata", true);
  u8* d1 = mm.allocate_data_section(0x800, 64, 3, ".data", false);
  u8* d2 = mm.allocate_data_section(0x100, 64, 4, ".bss", false);
  ASSERT_TRUE(t1 && t2 && r1 && d1 && d2);
  EXPECT_EQ(mm.mapping_count(), 1u) << "sections within the reserved totals must not map more";
  // Code, read-only and read-write never share a page: each gets its own
  // protection.
  EXPECT_LT((addr(t2) + 0x10 - 1) / page(), addr(r1) / page());
  EXPECT_LT((addr(r1) + 0x1800 - 1) / page(), addr(d1) / page());
  u8* lo = std::min({t1, t2, r1, d1, d2});
  u8* hi = std::max({t1 + 0x3000, t2 + 0x10, r1 + 0x1800, d1 + 0x800, d2 + 0x100});
  EXPECT_LE(u64(hi - lo), mm.mapped_bytes());
}

TEST(SectionMemoryManager, BeyondTheReservationMapsNearby) {
  SectionMemoryManager mm;
  ASSERT_TRUE(mm.reserve_allocation_space(0x100, 16, 0, 1, 0x100, 16).ok());
  u8* t = mm.allocate_code_section(0x100, 16, 0, ".text");
  u8* big = mm.allocate_data_section(64 << 20, 16, 1, ".data", false);  // far more than reserved
  u8* ro = mm.allocate_data_section(0x100, 16, 2, ".rodata", true);     // nothing was reserved
  ASSERT_TRUE(t && big && ro);
  EXPECT_GE(mm.mapping_count(), 2u);
  for (u8* p : {big, ro}) EXPECT_LT(u64(std::max(p, t) - std::min(p, t)), k2GiB);
  // Small sections still go to the reservation after one large one overflowed it.
  u8* d = mm.allocate_data_section(0x10, 16, 3, ".data.small", false);
  ASSERT_NE(d, nullptr);
  EXPECT_LT(u64(std::max(d, t) - std::min(d, t)), u64(0x2000));
}

// LLVM issue 71963: many sections, no reservation, several managers alive at
// once — every code/data pair must stay in PC32 range.
TEST(SectionMemoryManager, ManySectionsStayWithinPc32RangeOfEachOther) {
  std::mt19937 rng(71963);
  std::vector<std::unique_ptr<SectionMemoryManager>> mms;
  for (int i = 0; i < 3; i++) mms.push_back(std::make_unique<SectionMemoryManager>());
  uintptr_t lo = ~uintptr_t(0), hi = 0;
  for (int i = 0; i < 600; i++) {
    auto& mm = *mms[i % 3];
    u64 size = 1 + rng() % (256 << 10);
    u32 align = 1u << (rng() % 13);
    u8* p = (i & 1) ? mm.allocate_code_section(size, align, i, ".text")
                    : mm.allocate_data_section(size, align, i, ".data", i % 4 == 0);
    ASSERT_NE(p, nullptr) << i;
    lo = std::min(lo, addr(p));
    hi = std::max(hi, addr(p) + size);
  }
  EXPECT_LT(hi - lo, k2GiB) << std::hex << lo << ".." << hi;
}

[[gnu::noinline]] int host_marker() { return 7; }

TEST(SectionMemoryManager, PlacesMemoryNearTheMainExecutable) {
  uintptr_t host = addr(reinterpret_cast<void*>(&host_marker));
  if (host < (u64(4) << 30))
    GTEST_SKIP() << "the test binary is not position-independent (at 0x" << std::hex << host
                 << "): there is no room below it";
  SectionMemoryManager mm;
  ASSERT_TRUE(mm.reserve_allocation_space(1 << 20, 16, 1 << 20, 16, 1 << 20, 16).ok());
  u8* t = mm.allocate_code_section(16, 16, 0, ".text");
  ASSERT_NE(t, nullptr);
  u64 distance = addr(t) > host ? addr(t) - host : host - addr(t);
  EXPECT_LT(distance, k2GiB) << "code at " << static_cast<void*>(t) << ", host at 0x" << std::hex << host;
}

TEST(SectionMemoryManager, FinalizeAppliesWxorX) {
  SectionMemoryManager mm;
  ASSERT_TRUE(mm.reserve_allocation_space(64, 16, 64, 16, 64, 16).ok());
  u8* code = mm.allocate_code_section(6, 16, 0, ".text");
  u8* ro = mm.allocate_data_section(8, 8, 1, ".rodata", true);
  u8* rw = mm.allocate_data_section(8, 8, 2, ".data", false);
  ASSERT_TRUE(code && ro && rw);
  EXPECT_EQ(perms_of(code), "rw-p") << "code is written before finalize, never executable then";
  EXPECT_EQ(perms_of(ro), "rw-p");
  const u8 ret42[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};  // mov $42, %eax; ret
  memcpy(code, ret42, sizeof ret42);
  memcpy(ro, "rodata!", 8);
  ASSERT_TRUE(mm.finalize_memory().ok());
  ASSERT_EQ(perms_of(code), "r-xp");  // a write to code would fault
  EXPECT_EQ(perms_of(ro), "r--p");
  ASSERT_EQ(perms_of(rw), "rw-p");
  EXPECT_EQ(reinterpret_cast<int (*)()>(code)(), 42);
  EXPECT_EQ(memcmp(code, ret42, sizeof ret42), 0);  // code stays readable
  EXPECT_STREQ(reinterpret_cast<const char*>(ro), "rodata!");
  rw[0] = 0x5a;  // data still writable
  EXPECT_EQ(rw[0], 0x5a);
  // Finalizing again changes nothing and succeeds.
  ASSERT_TRUE(mm.finalize_memory().ok());
  EXPECT_EQ(perms_of(code), "r-xp");
}

// Reservations of 2 MiB and more are mapped on a huge-page boundary with
// transparent huge pages requested and populated after the advice: the
// memory must behave exactly like the small case — zero-filled, near the
// image, writable until finalize, then W^X and runnable.
TEST(SectionMemoryManager, HugeReservationBehavesLikeASmallOne) {
  SectionMemoryManager mm;
  const u64 code_size = 3u << 20, data_size = 1u << 20;
  ASSERT_TRUE(mm.reserve_allocation_space(code_size, 16, data_size, 16, data_size, 16).ok());
  u8* code = mm.allocate_code_section(code_size, 16, 0, ".text");
  u8* ro = mm.allocate_data_section(data_size, 16, 1, ".rodata", true);
  u8* rw = mm.allocate_data_section(data_size, 16, 2, ".data", false);
  ASSERT_TRUE(code && ro && rw);
  EXPECT_TRUE(std::all_of(code, code + code_size, [](u8 b) { return b == 0; }));
  EXPECT_TRUE(std::all_of(rw, rw + data_size, [](u8 b) { return b == 0; }));
  u8* image = reinterpret_cast<u8*>(&perms_of);
  EXPECT_LT(std::max(addr(code), addr(image)) - std::min(addr(code), addr(image)), k2GiB);
  const u8 ret42[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};  // mov $42, %eax; ret
  u8* last = code + code_size - 16;  // past the first huge page
  memcpy(code, ret42, sizeof ret42);
  memcpy(last, ret42, sizeof ret42);
  ro[data_size - 1] = 7;
  ASSERT_TRUE(mm.finalize_memory().ok());
  EXPECT_EQ(perms_of(code), "r-xp");
  EXPECT_EQ(perms_of(last), "r-xp");
  EXPECT_EQ(perms_of(ro), "r--p");
  EXPECT_EQ(perms_of(rw + data_size - 1), "rw-p");
  EXPECT_EQ(reinterpret_cast<int (*)()>(code)(), 42);
  EXPECT_EQ(reinterpret_cast<int (*)()>(last)(), 42);
  EXPECT_EQ(ro[data_size - 1], 7);
}

// A host built with -fsanitize=function reads the 8 bytes in front of every
// function it calls through a pointer; they must be mapped and readable.
TEST(SectionMemoryManager, BytesInFrontOfCodeAreReadable) {
  SectionMemoryManager mm;
  ASSERT_TRUE(mm.reserve_allocation_space(64, 16, 0, 1, 64, 16).ok());
  u8* reserved = mm.allocate_code_section(64, 16, 0, ".text");
  u8* fallback = mm.allocate_code_section(1 << 20, 16, 1, ".text.big");  // a mapping of its own
  u8* aligned = mm.allocate_code_section(16, 1 << 16, 2, ".text.aligned");
  ASSERT_TRUE(reserved && fallback && aligned);
  ASSERT_TRUE(mm.finalize_memory().ok());
  for (u8* code : {reserved, fallback, aligned}) {
    std::string before = perms_of(code - 8);
    ASSERT_FALSE(before.empty()) << "nothing mapped in front of code at " << static_cast<void*>(code);
    EXPECT_EQ(before[0], 'r') << before;
    EXPECT_EQ(before[1], '-') << "the page in front of code is never writable: " << before;
  }
}

TEST(SectionMemoryManager, AllocationsAfterFinalizeStartOnAWritablePage) {
  SectionMemoryManager mm;
  ASSERT_TRUE(mm.reserve_allocation_space(4 * page(), 16, 4 * page(), 16, 0, 1).ok());
  u8* a = mm.allocate_code_section(16, 16, 0, ".text");
  u8* ra = mm.allocate_data_section(16, 16, 1, ".rodata", true);
  ASSERT_TRUE(a && ra);
  a[0] = 0xc3;
  ASSERT_TRUE(mm.finalize_memory().ok());
  u8* b = mm.allocate_code_section(16, 16, 2, ".text.second");
  u8* rb = mm.allocate_data_section(16, 16, 3, ".rodata.second", true);
  ASSERT_TRUE(b && rb);
  EXPECT_EQ(mm.mapping_count(), 1u) << "the rest of the reservation is still usable";
  EXPECT_NE(addr(a) / page(), addr(b) / page());
  // Probed, not written blindly: a bug here must fail the test, not crash it.
  ASSERT_EQ(perms_of(b), "rw-p");
  ASSERT_EQ(perms_of(rb), "rw-p");
  b[0] = 0xc3;
  rb[0] = 1;
  EXPECT_EQ(perms_of(a), "r-xp");
  ASSERT_TRUE(mm.finalize_memory().ok());
  ASSERT_EQ(perms_of(b), "r-xp");
  EXPECT_EQ(perms_of(rb), "r--p");
  reinterpret_cast<void (*)()>(b)();
}

TEST(SectionMemoryManager, ImpossibleRequestsReturnNullWithoutCrashing) {
  SectionMemoryManager mm;
  EXPECT_EQ(mm.allocate_code_section(~u64(0), 16, 0, ".text"), nullptr);
  EXPECT_EQ(mm.allocate_code_section(~u64(0) - 4095, 1, 0, ".text"), nullptr);
  EXPECT_EQ(mm.allocate_data_section(u64(1) << 62, 8, 0, ".bss", false), nullptr);
  EXPECT_EQ(mm.allocate_data_section(u64(1) << 50, 8, 0, ".bss", false), nullptr);
  EXPECT_EQ(mm.allocate_data_section(16, 3, 0, ".data", false), nullptr);       // not a power of two
  EXPECT_EQ(mm.allocate_data_section(16, 1u << 30, 0, ".data", true), nullptr);  // beyond kMaxAlign

  Error e = mm.reserve_allocation_space(~u64(0), 16, 16, 16, 16, 16);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.kind(), ErrorKind::Argument);
  e = mm.reserve_allocation_space(u64(1) << 62, 16, u64(1) << 62, 16, u64(1) << 62, 16);
  ASSERT_FALSE(e.ok());
  e = mm.reserve_allocation_space(u64(1) << 50, 16, 0, 1, 0, 1);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.kind(), ErrorKind::Memory);
  EXPECT_NE(e.message().find("cannot map"), std::string::npos) << e.message();
  e = mm.reserve_allocation_space(16, 3, 0, 1, 0, 1);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.kind(), ErrorKind::Argument);
  EXPECT_EQ(mm.mapping_count(), 0u);

  // The manager is still fine afterwards.
  u8* p = mm.allocate_code_section(16, 16, 0, ".text");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(mm.finalize_memory().ok());
}

TEST(SectionMemoryManager, EmptySectionsGetDistinctAddresses) {
  SectionMemoryManager mm;
  u8* a = mm.allocate_data_section(0, 1, 0, ".bss.a", false);
  u8* b = mm.allocate_data_section(0, 1, 1, ".bss.b", false);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a, b);
}

TEST(SectionMemoryManager, DestructorUnmapsEverything) {
  u8* code;
  u8* data;
  {
    SectionMemoryManager mm(UnwinderAbi::Auto, MemoryReuse::Fresh);
    ASSERT_TRUE(mm.reserve_allocation_space(100, 16, 0, 1, 100, 16).ok());
    code = mm.allocate_code_section(100, 16, 0, ".text");
    data = mm.allocate_data_section(100 << 20, 16, 1, ".data", false);  // a fallback mapping too
    ASSERT_TRUE(code && data);
    ASSERT_TRUE(mm.finalize_memory().ok());
    EXPECT_EQ(perms_of(code), "r-xp");
  }
  EXPECT_EQ(perms_of(code), "");
  EXPECT_EQ(perms_of(data), "");
}

// ---------------------------------------------------------------------------
// The pool of released memory.

// Every mapping of the process that is writable and executable at once.
std::vector<std::string> wx_mappings() {
  std::ifstream maps("/proc/self/maps");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long long lo, hi;
    char perms[8] = {};
    if (sscanf(line.c_str(), "%llx-%llx %7s", &lo, &hi, perms) != 3) continue;
    if (perms[1] == 'w' && perms[2] == 'x') out.push_back(line);
  }
  return out;
}

bool all_zero(const u8* p, u64 n) {
  for (u64 i = 0; i < n; i++)
    if (p[i]) return false;
  return true;
}

// One load's worth of memory: reserve, allocate code/read-only/data,
// check it reads as zeros, fill it, finalize.
struct FakeLoad {
  u8* code = nullptr;
  u8* ro = nullptr;
  u8* rw = nullptr;
};
FakeLoad fake_load(SectionMemoryManager& mm, u64 code, u64 ro, u64 rw, u8 fill) {
  FakeLoad l;
  EXPECT_TRUE(mm.reserve_allocation_space(code, 16, ro, 16, rw, 16).ok());
  // Only what was reserved: an empty section would map memory of its own.
  if (code) l.code = mm.allocate_code_section(code, 16, 0, ".text");
  if (ro) l.ro = mm.allocate_data_section(ro, 16, 1, ".rodata", true);
  if (rw) l.rw = mm.allocate_data_section(rw, 16, 2, ".data", false);
  EXPECT_TRUE((l.code || !code) && (l.ro || !ro) && (l.rw || !rw));
  if ((!l.code && code) || (!l.ro && ro) || (!l.rw && rw)) return l;
  EXPECT_TRUE(all_zero(l.code, code)) << "code memory is not zeroed";
  EXPECT_TRUE(all_zero(l.ro, ro)) << "read-only memory is not zeroed";
  EXPECT_TRUE(all_zero(l.rw, rw)) << "data memory is not zeroed";
  if (code) memset(l.code, 0xc3, code);  // ret
  if (ro) memset(l.ro, fill, ro);
  if (rw) memset(l.rw, fill, rw);
  EXPECT_TRUE(mm.finalize_memory().ok());
  return l;
}

// Restores the default limit and empties the pool around a test.
struct PoolScope {
  PoolScope() { SectionMemoryManager::trim_pool(); SectionMemoryManager::set_pool_limit(SectionMemoryManager::kDefaultPoolLimit); }
  ~PoolScope() { SectionMemoryManager::trim_pool(); SectionMemoryManager::set_pool_limit(SectionMemoryManager::kDefaultPoolLimit); }
};

TEST(SectionMemoryManagerPool, ReleasedMemoryServesTheNextLoadZeroedAndWritableNotExecutable) {
  PoolScope scope;
  FakeLoad first;
  {
    SectionMemoryManager mm;
    first = fake_load(mm, 100000, 50000, 70000, 0xab);
    EXPECT_EQ(perms_of(first.code), "r-xp");
    EXPECT_EQ(perms_of(first.ro), "r--p");
  }
  auto after_release = SectionMemoryManager::pool_stats();
  EXPECT_EQ(after_release.mappings, 1u);
  EXPECT_GE(after_release.bytes, 100000u + 50000u + 70000u);
  // Kept, but neither executable nor holding the old bytes.
  EXPECT_EQ(perms_of(first.code), "rw-p");
  EXPECT_EQ(perms_of(first.ro), "rw-p");
  EXPECT_TRUE(all_zero(first.code, 100000));
  EXPECT_TRUE(all_zero(first.ro, 50000));
  EXPECT_TRUE(all_zero(first.rw, 70000));
  {
    SectionMemoryManager mm;
    FakeLoad second = fake_load(mm, 100000, 50000, 70000, 0xcd);  // checks zeros before filling
    EXPECT_EQ(second.code, first.code);  // the same memory
    EXPECT_EQ(SectionMemoryManager::pool_stats().reused, after_release.reused + 1);
    EXPECT_EQ(SectionMemoryManager::pool_stats().fresh, after_release.fresh);
    EXPECT_EQ(perms_of(second.code), "r-xp");
    EXPECT_EQ(perms_of(second.ro), "r--p");
    EXPECT_EQ(perms_of(second.rw), "rw-p");
    // The page in front of the code is readable and not writable again.
    EXPECT_EQ(perms_of(second.code - 1), "r--p");
    EXPECT_EQ(reinterpret_cast<int (*)()>(second.code)(), reinterpret_cast<int (*)()>(second.code)());
  }
  EXPECT_TRUE(wx_mappings().empty()) << wx_mappings().front();
}

TEST(SectionMemoryManagerPool, FreshModeNeitherTakesNorGives) {
  PoolScope scope;
  { SectionMemoryManager mm; fake_load(mm, 8192, 0, 8192, 1); }
  auto before = SectionMemoryManager::pool_stats();
  ASSERT_EQ(before.mappings, 1u);
  FakeLoad l;
  {
    SectionMemoryManager mm(UnwinderAbi::Auto, MemoryReuse::Fresh);
    l = fake_load(mm, 8192, 0, 8192, 1);
  }
  auto after = SectionMemoryManager::pool_stats();
  EXPECT_EQ(after.reused, before.reused);
  EXPECT_EQ(after.fresh, before.fresh + 1);
  EXPECT_EQ(after.bytes, before.bytes);
  EXPECT_EQ(perms_of(l.code), "");
}

TEST(SectionMemoryManagerPool, DifferentlySizedLoadsReuseSplitAndMerge) {
  PoolScope scope;
  const u64 big = 4u << 20;
  u8* big_code;
  {
    SectionMemoryManager mm;
    big_code = fake_load(mm, big, big, big, 7).code;
  }
  auto pooled = SectionMemoryManager::pool_stats();
  ASSERT_EQ(pooled.mappings, 1u);
  const u64 big_bytes = pooled.bytes;
  {
    // Two small loads at once carve two pieces out of the big mapping.
    SectionMemoryManager a, b;
    FakeLoad la = fake_load(a, 5000, 3000, 20000, 1);
    FakeLoad lb = fake_load(b, 70000, 0, 9000, 2);
    auto s = SectionMemoryManager::pool_stats();
    EXPECT_EQ(s.fresh, pooled.fresh);
    EXPECT_EQ(s.reused, pooled.reused + 2);
    EXPECT_LT(s.bytes, big_bytes);
    for (const u8* p : {la.code, la.ro, la.rw, lb.code, lb.rw}) {
      EXPECT_GE(addr(p), addr(big_code) - page());
      EXPECT_LT(addr(p), addr(big_code) + big_bytes);
    }
  }
  // Both pieces back: merged into one again.
  auto s = SectionMemoryManager::pool_stats();
  EXPECT_EQ(s.mappings, 1u);
  EXPECT_EQ(s.bytes, big_bytes);
  {
    // Larger than anything pooled: the kernel's, and the pool stays.
    SectionMemoryManager mm;
    fake_load(mm, 2 * big, big, big, 3);
    EXPECT_EQ(SectionMemoryManager::pool_stats().fresh, s.fresh + 1);
    EXPECT_EQ(SectionMemoryManager::pool_stats().bytes, big_bytes);
  }
  EXPECT_TRUE(wx_mappings().empty());
}

TEST(SectionMemoryManagerPool, StaysWithinItsLimit) {
  PoolScope scope;
  const u64 limit = 1u << 20;
  SectionMemoryManager::set_pool_limit(limit);
  std::vector<std::unique_ptr<SectionMemoryManager>> live;
  for (int i = 0; i < 20; i++) {
    live.push_back(std::make_unique<SectionMemoryManager>());
    fake_load(*live.back(), 100000 + i * 4096, 30000, 50000, u8(i));
  }
  auto before = SectionMemoryManager::pool_stats();
  live.clear();  // 20 releases of ~200 KiB into 1 MiB
  auto s = SectionMemoryManager::pool_stats();
  EXPECT_LE(s.bytes, limit);
  EXPECT_GT(s.bytes, 0u);
  EXPECT_GT(s.unmapped, before.unmapped);
  // Larger than the limit on its own: unmapped at once.
  u8* code;
  {
    SectionMemoryManager mm;
    code = fake_load(mm, 2 * limit, 0, 0, 1).code;
  }
  EXPECT_EQ(perms_of(code), "");
  EXPECT_LE(SectionMemoryManager::pool_stats().bytes, limit);
  // Off: nothing kept.
  SectionMemoryManager::set_pool_limit(0);
  EXPECT_EQ(SectionMemoryManager::pool_stats().bytes, 0u);
  { SectionMemoryManager mm; code = fake_load(mm, 5000, 0, 5000, 1).code; }
  EXPECT_EQ(SectionMemoryManager::pool_stats().bytes, 0u);
  EXPECT_EQ(perms_of(code), "");
}

u64 resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  u64 size = 0, resident = 0;
  statm >> size >> resident;
  return resident * page();
}

TEST(SectionMemoryManagerPool, SteadyStateResidentMemoryIsBounded) {
  PoolScope scope;
  const u64 limit = 8u << 20;
  SectionMemoryManager::set_pool_limit(limit);
  // Loads of 1-3 MiB, each filled (every page resident), one after another,
  // as a JIT creating and dropping engines would: the process keeps what
  // the pool holds and no more, however many loads go by.
  std::mt19937 rng(7);
  auto cycle = [&](int loads) {
    for (int i = 0; i < loads; i++) {
      SectionMemoryManager mm;
      u64 code = (1u << 20) + rng() % (2u << 20), rw = rng() % (1u << 20);
      fake_load(mm, code, 0, rw, u8(i));
    }
  };
  cycle(10);  // warm: the pool fills
  const u64 warm = resident_bytes();
  const auto before = SectionMemoryManager::pool_stats();
  cycle(150);
  const u64 after = resident_bytes();
  const auto s = SectionMemoryManager::pool_stats();
  EXPECT_LE(s.bytes, limit);
  EXPECT_GT(s.reused, before.reused + 100) << "most loads should be served from the pool";
  // 150 loads of up to 4 MiB each went through; the process grew by less
  // than one load's worth (allocator noise aside).
  EXPECT_LT(after, warm + (4u << 20)) << "resident " << (after >> 10) << " KiB after, " << (warm >> 10)
                                      << " KiB when warm";
}

TEST(SectionMemoryManagerPool, ManyThreadsLoadAndReleaseConcurrently) {
  PoolScope scope;
  SectionMemoryManager::set_pool_limit(8u << 20);
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; t++)
    threads.emplace_back([t, &bad] {
      std::mt19937 rng(t);
      for (int i = 0; i < 60; i++) {
        SectionMemoryManager mm;
        u64 code = 1 + rng() % 300000, ro = rng() % 100000, rw = rng() % 200000;
        if (!mm.reserve_allocation_space(code, 16, ro, 16, rw, 16).ok()) { bad++; continue; }
        u8* c = mm.allocate_code_section(code, 16, 0, ".text");
        u8* w = rw ? mm.allocate_data_section(rw, 16, 2, ".data", false) : nullptr;
        if (!c || (rw && !w)) { bad++; continue; }
        if (!all_zero(c, code) || (w && !all_zero(w, rw))) bad++;
        memset(c, 0xc3, code);
        if (w) memset(w, u8(t + 1), rw);
        if (!mm.finalize_memory().ok()) bad++;
        if (reinterpret_cast<int (*)()>(c)(), false) bad++;
        if (w && w[rw - 1] != u8(t + 1)) bad++;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  auto s = SectionMemoryManager::pool_stats();
  EXPECT_LE(s.bytes, u64(8) << 20);
  EXPECT_GT(s.reused, 0u);
  EXPECT_TRUE(wx_mappings().empty());
}

// ---------------------------------------------------------------------------
// Thread-local sections.

#if defined(__x86_64__)
u64 read_fs(i64 off) {
  u64 v;
  asm volatile("mov %%fs:(%1), %0" : "=r"(v) : "r"(off) : "memory");
  return v;
}
void write_fs(i64 off, u64 v) { asm volatile("mov %1, %%fs:(%0)" : : "r"(off), "r"(v) : "memory"); }

TEST(SectionMemoryManager, TlsSectionIsReachableThroughTheThreadPointer) {
  SectionMemoryManager mm;
  auto tls = mm.allocate_tls_section(16, 8, 0, ".tdata", TlsAbi{});
  ASSERT_TRUE(tls.ok()) << tls.error().message();
  EXPECT_LT(tls->tp_offset, 0) << "x86-64 is TLS variant II: static TLS lies below the thread pointer";
  EXPECT_EQ(addr(tls->init_image) % 8, 0u);
  EXPECT_EQ(read_fs(tls->tp_offset), 0u) << "a fresh piece is zeroed";

  // The loader copies the initial image into init_image ...
  const u64 value = 0x1122334455667788;
  memcpy(tls->init_image, &value, 8);
  // ... and loaded code reads it back as %fs:tp_offset (what TPOFF32 encodes).
  EXPECT_EQ(read_fs(tls->tp_offset), value);
  write_fs(tls->tp_offset + 8, 99);
  u64 second;
  memcpy(&second, tls->init_image + 8, 8);
  EXPECT_EQ(second, 99u);

  // Another thread has its own copy at the same offset: zeros (the known
  // limitation: the initial image lands in the calling thread only), and its
  // writes do not touch ours.
  u64 seen_in_other = 1;
  std::thread t([&] {
    seen_in_other = read_fs(tls->tp_offset);
    write_fs(tls->tp_offset, 5);
  });
  t.join();
  EXPECT_EQ(seen_in_other, 0u);
  EXPECT_EQ(read_fs(tls->tp_offset), value);
}

TEST(SectionMemoryManager, TlsHonoursAlignmentAndKeepsPiecesApart) {
  SectionMemoryManager mm;
  std::vector<TlsSection> pieces;
  for (u32 align : {1u, 64u, 4u, 32u, 16u, 2u}) {
    auto tls = mm.allocate_tls_section(3, align, 0, ".tbss", TlsAbi{});
    ASSERT_TRUE(tls.ok()) << tls.error().message();
    EXPECT_EQ(addr(tls->init_image) % align, 0u) << align;
    EXPECT_EQ(u64(tls->tp_offset) % align, 0u) << align;  // the thread pointer is 64-aligned
    for (const TlsSection& p : pieces) EXPECT_GE(std::abs(p.tp_offset - tls->tp_offset), 3);
    pieces.push_back(*tls);
  }
}

TEST(SectionMemoryManager, TlsErrorsAndReuse) {
  auto first = std::make_unique<SectionMemoryManager>();
  auto too_aligned = first->allocate_tls_section(8, 128, 0, ".tdata", TlsAbi{});
  ASSERT_FALSE(too_aligned.ok());
  EXPECT_EQ(too_aligned.error().kind(), ErrorKind::Unsupported);
  EXPECT_NE(too_aligned.error().message().find("'.tdata'"), std::string::npos);

  auto too_big = first->allocate_tls_section(SectionMemoryManager::kTlsReserveSize + 1, 8, 0, ".tbss", TlsAbi{});
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().kind(), ErrorKind::Memory);

  auto most = first->allocate_tls_section(SectionMemoryManager::kTlsReserveSize - 1024, 64, 0, ".tbss", TlsAbi{});
  ASSERT_TRUE(most.ok()) << most.error().message();
  auto exhausted = first->allocate_tls_section(4096, 8, 1, ".tbss.more", TlsAbi{});
  ASSERT_FALSE(exhausted.ok());
  EXPECT_EQ(exhausted.error().kind(), ErrorKind::Memory);
  EXPECT_NE(exhausted.error().message().find("exhausted"), std::string::npos);
  write_fs(most->tp_offset, 0xabcdef);

  // Releasing the manager gives the reserve back, zeroed in this thread.
  first.reset();
  SectionMemoryManager second;
  auto again = second.allocate_tls_section(4096, 8, 0, ".tbss", TlsAbi{});
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(read_fs(again->tp_offset), 0u);
}

// Local-dynamic code of module `base` reading module `other`'s variable at
// the distance between their static blocks (tls::add_companion): a thread
// that existed before both were published sees `other`'s image there after
// its first __tls_get_addr for `base` alone — not the zeros its reserve
// held.
TEST(SectionMemoryManager, TlsCompanionIsInitialisedInAnOlderThread) {
  std::atomic<int> step{0};
  u64 seen_through_base = 1, seen_without_companion = 1;
  u64 base_key = 0, other_key = 0, lone_key = 0;
  std::thread older([&] {
    (void)read_fs(0);  // exists (and has its static TLS) before the modules do
    step = 1;
    while (step != 2) std::this_thread::yield();
    // First through a module without companions: `other` is still this
    // thread's zeros.
    JitloadTlsIndex lone{lone_key, 0};
    u8* lone_block = static_cast<u8*>(jitload_tls_get_addr(&lone));
    i64 lone_distance = *tls::static_tp_offset(other_key) - *tls::static_tp_offset(lone_key);
    memcpy(&seen_without_companion, lone_block + lone_distance + 8, 8);
    // Then through `base`, whose first access initialises `other` too.
    JitloadTlsIndex ti{base_key, 0};
    u8* block = static_cast<u8*>(jitload_tls_get_addr(&ti));
    i64 distance = *tls::static_tp_offset(other_key) - *tls::static_tp_offset(base_key);
    memcpy(&seen_through_base, block + distance + 8, 8);
  });
  while (step != 1) std::this_thread::yield();
  auto base = tls::create_module(16, 16, 8, "");
  auto other = tls::create_module(24, 24, 8, "");
  auto lone = tls::create_module(8, 8, 8, "");
  ASSERT_TRUE(base.ok() && other.ok() && lone.ok());
  ASSERT_TRUE(base->is_static && other->is_static && lone->is_static);
  const u64 value = 0x5151515151515151;
  memcpy(other->image + 8, &value, 8);
  tls::add_companion(base->key, other->key);
  for (const tls::Module* m : {&*base, &*other, &*lone}) tls::publish_module(m->key);
  base_key = base->key, other_key = other->key, lone_key = lone->key;
  step = 2;
  older.join();
  EXPECT_EQ(seen_through_base, value);
  EXPECT_EQ(seen_without_companion, 0u) << "the older thread's copy of a module it never asked for";
  for (u64 key : {base_key, other_key, lone_key}) tls::release_module(key);
}
#endif

// ---------------------------------------------------------------------------
// EH frames.

// One CIE ("zR", pcrel|sdata4) and one FDE covering [code, code+code_size),
// as they will read at address `at`, without the terminator. cfa_ops are the
// FDE's call frame instructions.
struct Built {
  std::vector<u8> bytes;
  u64 size;  // of the section, without the terminator
  u64 fde;   // offset of the FDE
};
Built eh_frame_bytes(uintptr_t at, const u8* code, u32 code_size, const std::vector<u8>& cfa_ops) {
  std::vector<u8> b;
  auto u32le = [&](u32 v) {
    for (int i = 0; i < 4; i++) b.push_back(u8(v >> (8 * i)));
  };
  auto pad_and_close = [&](size_t start) {
    while ((b.size() - start) % 4) b.push_back(0);  // DW_CFA_nop
    u32 len = u32(b.size() - start - 4);
    memcpy(&b[start], &len, 4);
  };
  // CIE
  u32le(0), u32le(0);
  b.push_back(1);                               // version
  for (char ch : {'z', 'R', '\0'}) b.push_back(u8(ch));
  b.push_back(1);                               // code alignment 1
  b.push_back(0x78);                            // data alignment -8
  b.push_back(16);                              // return address: rip
  b.push_back(1), b.push_back(0x1b);            // augmentation: R = pcrel|sdata4
  b.push_back(0x0c), b.push_back(7), b.push_back(8);  // DW_CFA_def_cfa rsp+8
  b.push_back(0x90), b.push_back(1);                  // DW_CFA_offset rip, cfa-8
  pad_and_close(0);
  // FDE
  size_t fde = b.size();
  u32le(0);
  u32le(u32(fde + 4));  // back to the CIE at 0
  i64 pc_rel = i64(addr(code)) - i64(at + fde + 8);
  u32le(u32(i32(pc_rel)));
  u32le(code_size);
  b.push_back(0);  // augmentation data length
  b.insert(b.end(), cfa_ops.begin(), cfa_ops.end());
  pad_and_close(fde);
  return {b, b.size(), fde};
}

// Writes the section and its 4-byte zero terminator at `at`.
Built write_eh_frame(u8* at, const u8* code, u32 code_size, const std::vector<u8>& cfa_ops) {
  Built built = eh_frame_bytes(addr(at), code, code_size, cfa_ops);
  i64 pc_rel = i64(addr(code)) - i64(addr(at));
  EXPECT_TRUE(pc_rel == i64(i32(pc_rel))) << "code and .eh_frame must be within PC32 range";
  memcpy(at, built.bytes.data(), built.size);
  memset(at + built.size, 0, 4);
  return built;
}

const void* find_fde(const void* pc, dwarf_eh_bases* bases = nullptr) {
  dwarf_eh_bases scratch;
  return _Unwind_Find_FDE(const_cast<void*>(pc), bases ? bases : &scratch);
}

TEST(SectionMemoryManager, DetectsTheHostUnwinder) {
  UnwinderAbi abi = SectionMemoryManager::detect_unwinder();
  EXPECT_NE(abi, UnwinderAbi::Auto);
  EXPECT_NE(abi, UnwinderAbi::None);
  EXPECT_EQ(SectionMemoryManager().unwinder(), abi);
  // This test binary links libgcc_s (clang's default with libstdc++); when no
  // libunwind is loaded the whole-section ABI is the only right answer.
  std::ifstream maps("/proc/self/maps");
  std::stringstream all;
  all << maps.rdbuf();
  if (all.str().find("libunwind") == std::string::npos)
    EXPECT_EQ(abi, UnwinderAbi::LibgccSection) << unwinder_abi_name(abi);
}

TEST(SectionMemoryManager, RegisteredFdeIsFoundAndForgotten) {
  SectionMemoryManager mm;
  ASSERT_TRUE(mm.reserve_allocation_space(256, 16, 256, 8, 0, 1).ok());
  u8* code = mm.allocate_code_section(64, 16, 0, ".text");
  u8* eh = mm.allocate_data_section(128, 8, 1, ".eh_frame", true);
  ASSERT_TRUE(code && eh);
  Built built = write_eh_frame(eh, code, 64, {});
  EXPECT_EQ(find_fde(code + 10), nullptr) << "nothing covers fresh memory yet";

  mm.register_eh_frames(eh, addr(eh), built.size);
  ASSERT_TRUE(mm.eh_frame_errors().empty()) << mm.eh_frame_errors()[0];
  EXPECT_EQ(mm.eh_frame_registrations(), 1u);
  dwarf_eh_bases bases{};
  EXPECT_EQ(find_fde(code + 10, &bases), eh + built.fde);
  EXPECT_EQ(bases.func, code);
  EXPECT_EQ(find_fde(code + 64), nullptr) << "one past the range";

  // Registering the same bytes twice is ignored (a double deregistration
  // would make libgcc abort).
  mm.register_eh_frames(eh, addr(eh), built.size);
  EXPECT_EQ(mm.eh_frame_registrations(), 1u);

  ASSERT_TRUE(mm.finalize_memory().ok());
  EXPECT_EQ(find_fde(code + 10), eh + built.fde) << "still found after W^X";
  mm.deregister_eh_frames();
  EXPECT_EQ(mm.eh_frame_registrations(), 0u);
  EXPECT_EQ(find_fde(code + 10), nullptr);

  // Register again and let the destructor deregister before unmapping.
  mm.register_eh_frames(eh, addr(eh), built.size);
  EXPECT_EQ(find_fde(code + 10), eh + built.fde);
}

TEST(SectionMemoryManager, DestructorDeregistersFrames) {
  u8* code;
  {
    SectionMemoryManager mm;
    code = mm.allocate_code_section(64, 16, 0, ".text");
    u8* eh = mm.allocate_data_section(128, 8, 1, ".eh_frame", false);
    ASSERT_TRUE(code && eh);
    Built built = write_eh_frame(eh, code, 64, {});
    mm.register_eh_frames(eh, addr(eh), built.size);
    ASSERT_EQ(find_fde(code + 1), eh + built.fde);
  }
  // The memory is gone; a lookup must neither find nor touch it.
  EXPECT_EQ(find_fde(code + 1), nullptr);
}

TEST(SectionMemoryManager, OneFdeAtATimeRegistersEachFde) {
  // The libunwind (old) protocol. libgcc accepts an FDE pointer too (it
  // walks from there to the terminator), so with a one-FDE section the
  // registration can be observed on this host as well.
  SectionMemoryManager mm(UnwinderAbi::LibunwindFde);
  u8* code = mm.allocate_code_section(32, 16, 0, ".text");
  u8* eh = mm.allocate_data_section(128, 8, 1, ".eh_frame", true);
  ASSERT_TRUE(code && eh);
  Built built = write_eh_frame(eh, code, 32, {});
  mm.register_eh_frames(eh, addr(eh), built.size);
  ASSERT_TRUE(mm.eh_frame_errors().empty()) << mm.eh_frame_errors()[0];
  EXPECT_EQ(mm.eh_frame_registrations(), 1u);
  EXPECT_EQ(find_fde(code + 4), eh + built.fde);
  mm.deregister_eh_frames();
  EXPECT_EQ(find_fde(code + 4), nullptr);
}

TEST(SectionMemoryManager, RefusesFramesItCannotVouchFor) {
  SectionMemoryManager mm;
  u8* code = mm.allocate_code_section(64, 16, 0, ".text");
  u8* eh = mm.allocate_data_section(128, 8, 1, ".eh_frame", true);
  ASSERT_TRUE(code && eh);
  Built built = write_eh_frame(eh, code, 64, {});

  // Code that runs elsewhere (a remote target) is not this process's business.
  mm.register_eh_frames(eh, addr(eh) + 0x1000, built.size);
  // Bytes that are not ours.
  std::vector<u8> foreign(eh, eh + 128);
  mm.register_eh_frames(foreign.data(), addr(foreign.data()), built.size);
  // A size running past what was allocated.
  mm.register_eh_frames(eh, addr(eh), 4096);
  // A malformed record: an FDE encoding libgcc would abort on.
  eh[16] = 0x01;  // the CIE's 'R' operand: ULEB128
  mm.register_eh_frames(eh, addr(eh), built.size);
  EXPECT_EQ(mm.eh_frame_registrations(), 0u);
  ASSERT_EQ(mm.eh_frame_errors().size(), 4u);
  EXPECT_NE(mm.eh_frame_errors()[0].find("target address"), std::string::npos) << mm.eh_frame_errors()[0];
  EXPECT_NE(mm.eh_frame_errors()[1].find("not inside memory"), std::string::npos) << mm.eh_frame_errors()[1];
  EXPECT_NE(mm.eh_frame_errors()[2].find("not inside memory"), std::string::npos) << mm.eh_frame_errors()[2];
  EXPECT_NE(mm.eh_frame_errors()[3].find("FDE pointer encoding"), std::string::npos) << mm.eh_frame_errors()[3];
  EXPECT_EQ(find_fde(code + 1), nullptr);
}

TEST(SectionMemoryManager, RefusesASectionWithoutTerminator) {
  SectionMemoryManager mm;
  u8* code = mm.allocate_code_section(64, 16, 0, ".text");
  u8* eh = mm.allocate_data_section(128, 8, 1, ".eh_frame", true);
  ASSERT_TRUE(code && eh);
  Built built = write_eh_frame(eh, code, 64, {});
  eh[built.size] = 0x10;  // what follows the section is not a zero word
  mm.register_eh_frames(eh, addr(eh), built.size);
  EXPECT_EQ(mm.eh_frame_registrations(), 0u);
  ASSERT_EQ(mm.eh_frame_errors().size(), 1u);
  EXPECT_NE(mm.eh_frame_errors()[0].find("zero terminator"), std::string::npos) << mm.eh_frame_errors()[0];
}

TEST(SectionMemoryManager, ProvidesTheTerminatorWhenTheSectionEndsItsAllocation) {
  // The section allocated to its exact size, nothing after it yet: the 4
  // zero bytes that follow are claimed from the region, so the next section
  // cannot land on them.
  SectionMemoryManager mm;
  u8* code = mm.allocate_code_section(64, 16, 0, ".text");
  ASSERT_NE(code, nullptr);
  u64 size = eh_frame_bytes(0, code, 64, {}).size;
  u8* eh = mm.allocate_data_section(size, 4, 1, ".eh_frame", true);
  ASSERT_NE(eh, nullptr);
  Built built = eh_frame_bytes(addr(eh), code, 64, {});
  memcpy(eh, built.bytes.data(), built.size);  // only the section's own bytes
  mm.register_eh_frames(eh, addr(eh), built.size);
  ASSERT_TRUE(mm.eh_frame_errors().empty()) << mm.eh_frame_errors()[0];
  u8* next = mm.allocate_data_section(8, 1, 2, ".rodata", true);
  ASSERT_NE(next, nullptr);
  EXPECT_GE(next, eh + built.size + 4);
  EXPECT_EQ(find_fde(code + 1), eh + built.fde);
}

[[noreturn, gnu::noinline]] void throw_42() { throw 42; }

TEST(SectionMemoryManager, ExceptionUnwindsThroughRegisteredCode) {
  SectionMemoryManager mm;
  ASSERT_TRUE(mm.reserve_allocation_space(64, 16, 128, 8, 0, 1).ok());
  u8* code = mm.allocate_code_section(11, 16, 0, ".text");
  u8* eh = mm.allocate_data_section(100, 8, 1, ".eh_frame", true);
  ASSERT_TRUE(code && eh);
  // void call_it(void (*f)()) { f(); } with a frame of its own:
  const u8 body[] = {
      0x48, 0x83, 0xec, 0x08,  // 0: sub $8, %rsp
      0xff, 0xd7,              // 4: call *%rdi
      0x48, 0x83, 0xc4, 0x08,  // 6: add $8, %rsp
      0xc3,                    // 10: ret
  };
  memcpy(code, body, sizeof body);
  Built built = write_eh_frame(eh, code, sizeof body,
                               {0x44, 0x0e, 0x10,    // advance 4; DW_CFA_def_cfa_offset 16
                                0x46, 0x0e, 0x08});  // advance 6; DW_CFA_def_cfa_offset 8
  mm.register_eh_frames(eh, addr(eh), built.size);
  ASSERT_TRUE(mm.finalize_memory().ok());
  ASSERT_EQ(perms_of(code), "r-xp");
  // Without its FDE the throw below would end in std::terminate: check first.
  ASSERT_EQ(find_fde(code + 5), eh + built.fde) << "frame not registered; not throwing";

  int caught = 0;
  try {
    reinterpret_cast<void (*)(void (*)())>(code)(&throw_42);
  } catch (int v) {
    caught = v;
  }
  EXPECT_EQ(caught, 42);
}

TEST(SectionMemoryManagerPool, ReleasedFramesAreForgottenBeforeTheMemoryIsPooled) {
  PoolScope scope;
  u8* code;
  {
    SectionMemoryManager mm;
    ASSERT_TRUE(mm.reserve_allocation_space(256, 16, 256, 8, 0, 1).ok());
    code = mm.allocate_code_section(64, 16, 0, ".text");
    u8* eh = mm.allocate_data_section(128, 8, 1, ".eh_frame", true);
    ASSERT_TRUE(code && eh);
    Built built = write_eh_frame(eh, code, 64, {});
    mm.register_eh_frames(eh, addr(eh), built.size);
    ASSERT_TRUE(mm.eh_frame_errors().empty()) << mm.eh_frame_errors()[0];
    ASSERT_TRUE(mm.finalize_memory().ok());
    ASSERT_EQ(find_fde(code + 10), eh + built.fde);
  }
  EXPECT_EQ(perms_of(code), "rw-p") << "pooled, not unmapped";
  EXPECT_EQ(find_fde(code + 10), nullptr);
  {
    // The next load in the same memory registers its own frames cleanly.
    SectionMemoryManager mm;
    ASSERT_TRUE(mm.reserve_allocation_space(256, 16, 256, 8, 0, 1).ok());
    u8* code2 = mm.allocate_code_section(64, 16, 0, ".text");
    u8* eh = mm.allocate_data_section(128, 8, 1, ".eh_frame", true);
    ASSERT_EQ(code2, code);
    ASSERT_TRUE(all_zero(eh, 128));
    Built built = write_eh_frame(eh, code2, 64, {});
    mm.register_eh_frames(eh, addr(eh), built.size);
    ASSERT_TRUE(mm.eh_frame_errors().empty()) << mm.eh_frame_errors()[0];
    EXPECT_EQ(find_fde(code2 + 10), eh + built.fde);
  }
  EXPECT_EQ(find_fde(code + 10), nullptr);
}

}  // namespace
}  // namespace jitload
