// Threads: RuntimeDyld instances in different threads are independent
// (each loads, links, finalizes and runs its own objects while others do
// the same: the process-wide pieces — mapping placement, the static-TLS
// allocator, EH-frame registration, the loader's per-thread scratch — must
// not interfere), and lookups on one finalized RuntimeDyld may run from
// many threads at once (the lazy index of local symbols included).
//
// ci/test runs the Threads.* tests again in the ThreadSanitizer build
// (preset tsan), where a data race fails them.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

// Two objects of one program: a weak definition beaten by a strong one, a
// common, a static (local) function and unwind tables (-fexceptions), so a
// load exercises binding, EH-frame registration and the local index.
constexpr const char* kA = R"(
int shared_value __attribute__((weak)) = 1;
int merged;
__attribute__((noinline)) static int twice(int x) { return 2 * x; }
int a_entry(int x) { merged += x; return twice(shared_value) + merged; }
)";
constexpr const char* kB = R"(
int shared_value = 20;
int merged;
int b_helper(void) { return shared_value + 1; }
)";

struct Objects {
  std::vector<u8> a, b;
  Objects() {
    a = testing::compile(kA, "-O1 -fcommon -fexceptions");
    b = testing::compile(kB, "-O1 -fcommon -fexceptions");
  }
};
const Objects& objects() {
  static const Objects o;
  return o;
}

TEST(Threads, EnginesInDifferentThreadsAreIndependent) {
  const Objects& o = objects();
  ASSERT_FALSE(o.a.empty());
  ASSERT_FALSE(o.b.empty());
  constexpr int kThreads = 6, kRounds = 8;
  std::atomic<int> failures{0};
  std::vector<std::string> why(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++)
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; round++) {
        SectionMemoryManager memory;
        RuntimeDyld dyld(memory);
        // Half the threads load in the other order: the binding must not care.
        bool a_first = (t + round) % 2 == 0;
        auto first = dyld.load_object(a_first ? o.a : o.b, a_first ? "a.o" : "b.o");
        auto second = dyld.load_object(a_first ? o.b : o.a, a_first ? "b.o" : "a.o");
        if (!first || !second) {
          why[t] = !first ? first.error().message() : second.error().message();
          failures++;
          return;
        }
        if (Error err = dyld.finalize()) {
          why[t] = err.message();
          failures++;
          return;
        }
        auto entry = reinterpret_cast<int (*)(int)>(dyld.get_symbol("a_entry")->address);
        auto helper = reinterpret_cast<int (*)()>(dyld.get_symbol("b_helper")->address);
        // shared_value is b.o's 20 in both orders; merged starts at 0 in each engine.
        int got = entry(t) + helper();
        if (got != 2 * 20 + t + 21) {
          why[t] = "a_entry + b_helper gave " + std::to_string(got);
          failures++;
          return;
        }
      }
    });
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; t++) EXPECT_TRUE(why[t].empty()) << "thread " << t << ": " << why[t];
  EXPECT_EQ(failures.load(), 0);
}

TEST(Threads, LookupsOnAFinalizedEngineRunInManyThreadsAtOnce) {
  const Objects& o = objects();
  SectionMemoryManager memory;
  RuntimeDyld dyld(memory);
  ASSERT_TRUE(dyld.load_object(o.a, "a.o"));
  ASSERT_TRUE(dyld.load_object(o.b, "b.o"));
  ASSERT_FALSE(dyld.finalize());
  // No lookup has run yet: the index of locals is built by whichever
  // thread first asks for a name that is not global.
  const char* const names[] = {"a_entry", "b_helper", "shared_value", "merged", "twice"};
  constexpr int kThreads = 8, kRounds = 2000;
  std::atomic<int> wrong{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  std::vector<std::vector<u64>> seen(kThreads);
  for (int t = 0; t < kThreads; t++)
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int r = 0; r < kRounds; r++) {
        // Different threads start with different names, locals first for
        // some, so the first local lookups race.
        const char* n = names[(t + r) % 5];
        auto s = dyld.get_symbol(n);
        void* local = dyld.get_symbol_local_address(n);
        if (!s || !local) wrong++;
        if (r < 5) seen[t].push_back(s ? s->address : 0);
      }
    });
  go = true;
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  for (int t = 0; t < kThreads; t++)
    for (int r = 0; r < 5; r++) EXPECT_EQ(seen[t][r], dyld.get_symbol(names[(t + r) % 5])->address);
  // The local 'twice' is found (the lazy index was built under its lock).
  EXPECT_EQ(dyld.get_symbol("twice")->flags.binding, SymbolBinding::Local);
}

}  // namespace
}  // namespace jitload
