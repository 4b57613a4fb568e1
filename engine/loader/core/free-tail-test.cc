// Sections the ELF loader carves itself from the free tails a memory manager
// lends (MemoryManager::take_free_tail) land exactly where the manager's own
// allocate_* calls would have put them, and a tail too short for the object
// goes back at the first byte the loader did not use.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

// A SectionMemoryManager behind another manager: every allocation is one
// forwarded call (counted). `tail_limit` > 0: the inner manager's free tails
// are lent, cut to that many bytes; 0: nothing is lent.
class Forwarding final : public MemoryManager {
 public:
  explicit Forwarding(u64 tail_limit) : tail_limit_(tail_limit) {}
  SectionMemoryManager inner{UnwinderAbi::None, TlsStrategy::StaticRewrite, MemoryReuse::Fresh};
  int calls = 0, lent = 0, returned = 0;

  u8* allocate_code_section(u64 size, u32 align, u32 id, std::string_view name) override {
    calls++;
    return inner.allocate_code_section(size, align, id, name);
  }
  u8* allocate_data_section(u64 size, u32 align, u32 id, std::string_view name, bool read_only) override {
    calls++;
    return inner.allocate_data_section(size, align, id, name, read_only);
  }
  bool needs_to_reserve_allocation_space() override { return true; }
  Error reserve_allocation_space(u64 a, u32 b, u64 c, u32 d, u64 e, u32 f) override {
    return inner.reserve_allocation_space(a, b, c, d, e, f);
  }
  FreeTail take_free_tail(MemoryKind kind) override {
    if (!tail_limit_) return {};
    FreeTail t = inner.take_free_tail(kind);
    if (t.begin) {
      lent++;
      t.end = t.begin + std::min<u64>(tail_limit_, u64(t.end - t.begin));
    }
    return t;
  }
  void return_free_tail(MemoryKind kind, u8* first_unused) override {
    returned++;
    inner.return_free_tail(kind, first_unused);
  }
  Error finalize_memory() override { return inner.finalize_memory(); }

 private:
  u64 tail_limit_;
};

const std::vector<u8>& many_sections() {
  static const std::vector<u8> obj = [] {
    std::string src = "static const char msg[] = \"hello\";\nint counter;\nint table[5] = {1, 2, 3, 4, 5};\n";
    for (int i = 0; i < 40; i++)
      src += "const long c" + std::to_string(i) + " = " + std::to_string(i) + ";\nint f" + std::to_string(i) +
             "(int x) { return x * " + std::to_string(i + 3) + " + table[x % 5] + msg[x % 5]; }\n";
    std::string diag;
    auto o = testing::compile(src, "-O1 -ffunction-sections -fdata-sections", false, &diag);
    EXPECT_FALSE(o.empty()) << diag;
    return o;
  }();
  return obj;
}

int pool_of(SectionKind kind) {
  switch (kind) {
    case SectionKind::Code: case SectionKind::Stubs: return 0;
    case SectionKind::ReadOnly: return 1;
    default: return 2;
  }
}

// Each loaded section's offset from the first one of its pool (code,
// read-only, read-write); checks that no two overlap.
std::vector<std::pair<std::string, i64>> layout_of(MemoryManager& mm) {
  RuntimeDyld dyld(mm);
  std::vector<std::pair<std::string, i64>> out;
  auto info = dyld.load_object(many_sections(), "many.o");
  EXPECT_TRUE(info) << info.error().message();
  if (!info) return out;
  std::map<int, const u8*> base;
  std::vector<std::pair<const u8*, u64>> spans;
  for (const LoadedSection& s : dyld.sections()) {
    base.emplace(pool_of(s.kind), s.local);
    out.emplace_back(std::string(s.name), s.local - base[pool_of(s.kind)]);
    spans.emplace_back(s.local, std::max<u64>(s.size, 1));
  }
  std::sort(spans.begin(), spans.end());
  for (size_t k = 1; k < spans.size(); k++)
    EXPECT_LE(spans[k - 1].first + spans[k - 1].second, spans[k].first) << "sections overlap";
  return out;
}

TEST(FreeTail, CarvedSectionsLandWhereTheManagerPutsThem) {
  ASSERT_FALSE(many_sections().empty());
  Forwarding calls(0);
  const auto want = layout_of(calls);
  ASSERT_GT(want.size(), 80u);
  EXPECT_EQ(calls.calls, int(want.size()));  // one call per section: nothing was lent
  // The default manager lends its tails: the same layout, no call per section.
  SectionMemoryManager direct(UnwinderAbi::None, TlsStrategy::StaticRewrite, MemoryReuse::Fresh);
  EXPECT_EQ(layout_of(direct), want);
  Forwarding lending(~u64(0));
  EXPECT_EQ(layout_of(lending), want);
  EXPECT_EQ(lending.calls, 0);
  EXPECT_EQ(lending.returned, lending.lent);
}

TEST(FreeTail, AShortTailGoesBackAtItsFirstUnusedByte) {
  ASSERT_FALSE(many_sections().empty());
  Forwarding calls(0);
  const auto want = layout_of(calls);
  // 200 bytes of each tail: a few sections are carved from it, then it goes
  // back and the rest are asked for; the manager goes on from where the
  // loader stopped, so nothing moves.
  Forwarding short_tails(200);
  EXPECT_EQ(layout_of(short_tails), want);
  EXPECT_GT(short_tails.calls, 0);
  EXPECT_LT(short_tails.calls, calls.calls);
  EXPECT_EQ(short_tails.returned, short_tails.lent);
}

}  // namespace
}  // namespace jitload
