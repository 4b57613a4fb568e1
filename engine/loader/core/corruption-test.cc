// Thousands of randomly corrupted copies of real objects, loaded and
// resolved for a simulated target: every outcome must be an error value or
// a successful load. Run under the sanitize preset (ASan+UBSan), this is
// the loader's promise that the host survives every input.
#include <gtest/gtest.h>

#include <random>

#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

class AnyResolver final : public SymbolResolver {
 public:
  std::optional<u64> lookup(std::string_view) override { return 0x7f0000001000; }
};

std::vector<std::vector<u8>> seeds() {
  std::vector<std::vector<u8>> out;
  const char* c = R"(
    #include <stdio.h>
    __thread int t = 3;
    static int s[10];
    int g(int x) { return s[x % 10] + t; }
    int main(int argc, char** argv) { printf("%d %s\n", g(argc), argv[0]); return 0; }
  )";
  for (const char* flags : {"-O2", "-O0 -fPIC", "-O1 -mcmodel=large", "-O2 -ffunction-sections -fdata-sections"})
    out.push_back(testing::compile(c, flags));
  out.push_back(testing::compile("struct S { S(); ~S(); }; S::S() { throw 1; } S::~S() {} S s;", "-O2", true));
  return out;
}

TEST(Corruption, RandomByteMutationsNeverCrash) {
  auto objs = seeds();
  std::mt19937_64 rng(20261124);
  int loaded = 0, rejected = 0, resolve_errors = 0;
  const int per_seed = 1500;
  for (const auto& seed : objs) {
    ASSERT_FALSE(seed.empty());
    for (int i = 0; i < per_seed; i++) {
      std::vector<u8> m = seed;
      // 1-8 mutations: random bytes, bit flips, 64-bit field smashes, truncation.
      int n = 1 + int(rng() % 8);
      for (int k = 0; k < n; k++) {
        size_t at = rng() % m.size();
        switch (rng() % 5) {
          case 0: m[at] = u8(rng()); break;
          case 1: m[at] ^= u8(1u << (rng() % 8)); break;
          case 2: {
            static const u64 interesting[] = {0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000,
                                              0xffffffff, ~u64(0), u64(1) << 63, 0x100000000};
            u64 v = interesting[rng() % 12];
            for (size_t b = 0; b < 8 && at + b < m.size(); b++) m[at + b] = u8(v >> (8 * b));
            break;
          }
          case 3: m.resize(std::max<size_t>(1, at)); break;
          default: m[at] = 0; break;
        }
        if (m.empty()) break;
      }
      PlainMemoryManager mm;
      AnyResolver resolver;
      RuntimeDyld dyld(mm, &resolver);
      dyld.enable_outcomes(i % 2 == 0);
      auto r = dyld.load_object(m, "fuzz.o");
      if (!r) {
        rejected++;
        EXPECT_FALSE(r.error().message().empty());
        continue;
      }
      loaded++;
      for (u32 id = 0; id < dyld.sections().size(); id++) (void)dyld.map_section_address(id, 0x10000000 + 0x100000ull * id);
      if (Error e = dyld.resolve_relocations()) {
        resolve_errors++;
        EXPECT_FALSE(e.message().empty());
      }
    }
  }
  std::printf("corruption: %d loaded, %d rejected at load, %d with relocation errors\n", loaded, rejected,
              resolve_errors);
  EXPECT_GT(rejected, 0);
  EXPECT_GT(loaded, 0);
}

}  // namespace
}  // namespace jitload
