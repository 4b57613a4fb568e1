// The engine end to end: IR in, native code called. Programs in C and C++
// are compiled to IR or objects with clang-19 while the tests run.
#include "engine/mcjit/mcjit.h"

#include <sys/mman.h>

#include <atomic>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/Target/TargetMachine.h>

#include "engine/mcjit/codegen.h"
#include "engine/mcjit/gdb-jit.h"
#include "engine/mcjit/object-cache.h"
#include "engine/mcjit/testing/support.h"

using namespace jitload;
using namespace jitload::mcjit_testing;

// Called back by JIT code (the test binary exports its symbols).
static std::vector<int> g_events;
extern "C" __attribute__((visibility("default"), used)) void host_record(int event) { g_events.push_back(event); }
extern "C" __attribute__((visibility("default"), used)) int host_value() { return 4242; }

namespace {

#define ASSERT_OK(expr)                                          \
  do {                                                           \
    ::jitload::Error e__ = (expr);                               \
    ASSERT_FALSE(e__) << (e__ ? e__.message() : std::string()); \
  } while (0)

template <typename T>
T value_or_fail(Expected<T> v) {
  if (!v) {
    ADD_FAILURE() << v.error().message();
    return T();
  }
  return std::move(*v);
}

std::unique_ptr<MCJIT> make_engine(std::unique_ptr<llvm::Module> m, EngineBuilder* configure = nullptr) {
  EXPECT_TRUE(m);
  if (!m) return nullptr;
  EngineBuilder b(std::move(m));
  Expected<std::unique_ptr<MCJIT>> e = b.create();
  if (!e) {
    ADD_FAILURE() << e.error().message();
    return nullptr;
  }
  return std::move(*e);
}

template <typename F>
F* fn(MCJIT& jit, const char* name) {
  Expected<u64> a = jit.get_function_address(name);
  if (!a) {
    ADD_FAILURE() << name << ": " << a.error().message();
    return nullptr;
  }
  return reinterpret_cast<F*>(uintptr_t(*a));
}

const char* kAnswer = R"(
define i32 @answer() {
  ret i32 42
}
)";

// ---------------------------------------------------------------------------
// Lazy code generation

TEST(McjitLazy, NothingEmittedBeforeFirstLookup) {
  llvm::LLVMContext ctx;
  auto memory = std::make_unique<CountingMemoryManager>();
  CountingMemoryManager* mm = memory.get();
  EngineBuilder b(parse_ir(ctx, kAnswer, "answer"));
  b.set_mcjit_memory_manager(std::move(memory));
  std::unique_ptr<MCJIT> jit = value_or_fail(b.create());
  ASSERT_TRUE(jit);
  EXPECT_EQ(jit->stats().objects_emitted, 0u);
  EXPECT_EQ(jit->stats().objects_loaded, 0u);
  EXPECT_EQ(mm->allocations, 0);
  EXPECT_EQ(jit->dyld().object_count(), 0u);

  auto* answer = fn<int()>(*jit, "answer");
  ASSERT_TRUE(answer);
  EXPECT_EQ(jit->stats().objects_emitted, 1u);
  EXPECT_GT(mm->allocations, 0);
  EXPECT_EQ(mm->finalizations, 1);
  EXPECT_EQ(answer(), 42);

  // A second lookup generates nothing more.
  int allocations = mm->allocations;
  EXPECT_EQ(fn<int()>(*jit, "answer"), answer);
  EXPECT_EQ(jit->stats().objects_emitted, 1u);
  EXPECT_EQ(mm->allocations, allocations);
}

TEST(McjitLazy, TwoModulesCallEachOtherAndAThirdStaysUncompiled) {
  llvm::LLVMContext ctx;
  // even/odd by mutual recursion across modules.
  auto a = parse_ir(ctx, R"(
declare i32 @is_odd(i32)
define i32 @is_even(i32 %n) {
  %z = icmp eq i32 %n, 0
  br i1 %z, label %yes, label %no
yes:
  ret i32 1
no:
  %m = sub i32 %n, 1
  %r = call i32 @is_odd(i32 %m)
  ret i32 %r
}
)", "a");
  auto b = parse_ir(ctx, R"(
declare i32 @is_even(i32)
define i32 @is_odd(i32 %n) {
  %z = icmp eq i32 %n, 0
  br i1 %z, label %yes, label %no
yes:
  ret i32 0
no:
  %m = sub i32 %n, 1
  %r = call i32 @is_even(i32 %m)
  ret i32 %r
}
)", "b");
  auto c = parse_ir(ctx, "define i32 @unused() {\n  ret i32 7\n}\n", "c");
  std::unique_ptr<MCJIT> jit = make_engine(std::move(a));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->add_module(std::move(b)));
  ASSERT_OK(jit->add_module(std::move(c)));
  EXPECT_EQ(jit->stats().objects_emitted, 0u);

  auto* is_even = fn<int(int)>(*jit, "is_even");
  ASSERT_TRUE(is_even);
  EXPECT_EQ(jit->stats().objects_emitted, 2u) << "a needs b; c is not needed";
  EXPECT_EQ(is_even(10), 1);
  EXPECT_EQ(is_even(7), 0);
  auto* is_odd = fn<int(int)>(*jit, "is_odd");
  ASSERT_TRUE(is_odd);
  EXPECT_EQ(is_odd(7), 1);
  EXPECT_EQ(jit->stats().objects_emitted, 2u);

  auto* unused = fn<int()>(*jit, "unused");
  ASSERT_TRUE(unused);
  EXPECT_EQ(unused(), 7);
  EXPECT_EQ(jit->stats().objects_emitted, 3u);
  EXPECT_EQ(jit->stats().finalizations, 2u);
}

TEST(McjitLazy, ModuleAddedAfterFinalizeLinksAgainstEarlierCode) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, kAnswer, "first"));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->finalize_object());
  ASSERT_OK(jit->add_module(parse_ir(ctx, R"(
declare i32 @answer()
define i32 @twice() {
  %a = call i32 @answer()
  %b = mul i32 %a, 2
  ret i32 %b
}
)", "second")));
  auto* twice = fn<int()>(*jit, "twice");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice(), 84);
  EXPECT_EQ(jit->dyld().object_count(), 2u);
  EXPECT_EQ(jit->stats().finalizations, 2u);
}

// ---------------------------------------------------------------------------
// Object cache

const char* kCounterModule = R"(
@table = global [4 x i32] [i32 3, i32 5, i32 7, i32 11]
define i32 @weighted(i32 %x) {
  %p = getelementptr [4 x i32], ptr @table, i32 0, i32 2
  %v = load i32, ptr %p
  %r = mul i32 %v, %x
  %s = call i64 @strlen(ptr @name)
  %t = trunc i64 %s to i32
  %u = add i32 %r, %t
  ret i32 %u
}
@name = private constant [6 x i8] c"cache\00"
declare i64 @strlen(ptr)
)";

struct CacheRun {
  u64 emitted, hits, misses;
  int result;
};

CacheRun run_with_cache(std::shared_ptr<ObjectCache> cache, llvm::CodeGenOptLevel opt = llvm::CodeGenOptLevel::Default) {
  llvm::LLVMContext ctx;
  EngineBuilder b(parse_ir(ctx, kCounterModule, "counter"));
  b.set_object_cache(cache).set_opt_level(opt);
  std::unique_ptr<MCJIT> jit = value_or_fail(b.create());
  if (!jit) return {};
  auto* f = fn<int(int)>(*jit, "weighted");
  if (!f) return {};
  return {jit->stats().objects_emitted, jit->stats().cache_hits, jit->stats().cache_misses, f(3)};
}

TEST(McjitCache, HitAvoidsCodeGenerationWithIdenticalBehaviour) {
  auto cache = value_or_fail(DiskObjectCache::open(fresh_dir("cache")));
  ASSERT_TRUE(cache);
  std::shared_ptr<DiskObjectCache> shared(std::move(cache));
  CacheRun first = run_with_cache(shared);
  EXPECT_EQ(first.emitted, 1u);
  EXPECT_EQ(first.misses, 1u);
  EXPECT_EQ(first.result, 7 * 3 + 5);
  EXPECT_EQ(shared->stats().written, 1u);

  CacheRun second = run_with_cache(shared);
  EXPECT_EQ(second.emitted, 0u) << "a cache hit must not generate code";
  EXPECT_EQ(second.hits, 1u);
  EXPECT_EQ(second.result, first.result);
  EXPECT_EQ(shared->stats().hits, 1u);

  // Another optimization level is another key.
  CacheRun o0 = run_with_cache(shared, llvm::CodeGenOptLevel::None);
  EXPECT_EQ(o0.emitted, 1u);
  EXPECT_EQ(o0.result, first.result);
  EXPECT_EQ(shared->stats().written, 2u);
}

TEST(McjitCache, CorruptedEntryIsRejectedAndRegenerated) {
  std::string dir = fresh_dir("cache");
  std::shared_ptr<DiskObjectCache> cache(value_or_fail(DiskObjectCache::open(dir)).release());
  CacheRun first = run_with_cache(cache);
  ASSERT_EQ(first.emitted, 1u);

  // Find the entry and flip one bit in the middle of the object.
  std::string out;
  ASSERT_EQ(run("ls " + dir + "/*.jlobj", &out), 0);
  std::string path = out.substr(0, out.find('\n'));
  std::vector<u8> bytes = read_file(path);
  ASSERT_GT(bytes.size(), 200u);
  bytes[bytes.size() / 2] ^= 0x10;
  write_file(path, bytes);

  CacheRun second = run_with_cache(cache);
  EXPECT_EQ(cache->stats().rejected, 1u);
  EXPECT_EQ(second.emitted, 1u) << "a corrupted entry must be regenerated, not loaded";
  EXPECT_EQ(second.hits, 0u);
  EXPECT_EQ(second.result, first.result);
  ASSERT_FALSE(cache->diagnostics().empty());
  EXPECT_NE(cache->diagnostics().back().find("digest"), std::string::npos) << cache->diagnostics().back();

  // The regenerated entry replaced the bad one.
  CacheRun third = run_with_cache(cache);
  EXPECT_EQ(third.emitted, 0u);
  EXPECT_EQ(third.result, first.result);

  // Truncation is caught too.
  bytes = read_file(path);
  bytes.resize(bytes.size() - 17);
  write_file(path, bytes);
  CacheRun fourth = run_with_cache(cache);
  EXPECT_EQ(cache->stats().rejected, 2u);
  EXPECT_EQ(fourth.emitted, 1u);
  EXPECT_EQ(fourth.result, first.result);
}

// A cache that hands back a well-formed entry the loader cannot use.
class LyingCache final : public ObjectCache {
 public:
  std::optional<std::vector<u8>> get_object(const llvm::Module&, const CacheKey&) override {
    return std::vector<u8>{'n', 'o', 't', ' ', 'e', 'l', 'f'};
  }
  void notify_object_compiled(const llvm::Module&, const CacheKey&, std::span<const u8>) override { compiled++; }
  void notify_object_rejected(const CacheKey&, const Error&) override { rejected++; }
  int compiled = 0, rejected = 0;
};

TEST(McjitCache, ObjectTheLoaderRejectsIsRegenerated) {
  auto cache = std::make_shared<LyingCache>();
  CacheRun r = run_with_cache(cache);
  EXPECT_EQ(cache->rejected, 1);
  EXPECT_EQ(cache->compiled, 1);
  EXPECT_EQ(r.emitted, 1u);
  EXPECT_EQ(r.result, 7 * 3 + 5);
}

// ---------------------------------------------------------------------------
// Objects and archives

TEST(McjitArchive, MemberLoadedOnDemandOnly) {
  std::string one = compile_object("int arch_two(int);\nint arch_one(int x) { return arch_two(x) + 1; }\n", "one");
  std::string two = compile_object("int arch_two(int x) { return x * 3; }\n", "two");
  std::string three = compile_object("int arch_three(void) { return 3; }\n", "three");
  ASSERT_FALSE(one.empty() || two.empty() || three.empty());
  std::string dir = fresh_dir("ar");
  std::string lib = dir + "/libdemo.a";
  std::string log;
  ASSERT_EQ(run(std::string(JITLOAD_LLVM_AR) + " rcs " + lib + " " + one + " " + two + " " + three, &log), 0) << log;

  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, R"(
declare i32 @arch_one(i32)
define i32 @use_archive(i32 %x) {
  %r = call i32 @arch_one(i32 %x)
  ret i32 %r
}
)", "user"));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->add_archive(lib));
  EXPECT_EQ(jit->stats().archive_members_loaded, 0u);
  auto* use = fn<int(int)>(*jit, "use_archive");
  ASSERT_TRUE(use);
  EXPECT_EQ(use(5), 16);
  EXPECT_EQ(jit->stats().archive_members_loaded, 2u);
  std::vector<std::string> names;
  for (u32 i = 0; i < jit->dyld().object_count(); i++) names.emplace_back(jit->dyld().object_name(i));
  auto has = [&](const std::string& s) {
    for (auto& n : names)
      if (n.find(s) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("libdemo.a(one.o)"));
  EXPECT_TRUE(has("libdemo.a(two.o)"));
  EXPECT_FALSE(has("three.o")) << "a member nobody needs must not be loaded";

  // Looking a symbol up directly pulls its member in.
  auto* three_fn = fn<int()>(*jit, "arch_three");
  ASSERT_TRUE(three_fn);
  EXPECT_EQ(three_fn(), 3);
  EXPECT_EQ(jit->stats().archive_members_loaded, 3u);
}

// ---------------------------------------------------------------------------
// Linkage across the modules, objects and archive members of one engine

TEST(McjitLinkage, StrongDefinitionInAModuleNotYetGeneratedBeatsAWeakOneLoaded) {
  // The first module's own reference to its weak @wv must reach the extra
  // module's strong one, though only the first module's function is asked
  // for (lazy generation must still bring in the strong definition).
  llvm::LLVMContext ctx;
  auto a = parse_ir(ctx, R"(
@wv = weak global i32 1
define i32 @get_a() {
  %v = load i32, ptr @wv
  ret i32 %v
}
)", "a");
  auto b = parse_ir(ctx, "@wv = global i32 2\n", "b");
  std::unique_ptr<MCJIT> jit = make_engine(std::move(a));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->add_module(std::move(b)));
  auto* get_a = fn<int()>(*jit, "get_a");
  ASSERT_TRUE(get_a);
  EXPECT_EQ(get_a(), 2);
  EXPECT_EQ(jit->stats().objects_emitted, 2u);
}

TEST(McjitLinkage, CommonsInTwoModulesMerge) {
  llvm::LLVMContext ctx;
  auto a = parse_ir(ctx, R"(
@cc = common global [2 x i32] zeroinitializer, align 4
define ptr @pa() {
  ret ptr @cc
}
)", "a");
  auto b = parse_ir(ctx, R"(
@cc = common global [16 x i32] zeroinitializer, align 4
define ptr @pb() {
  ret ptr @cc
}
)", "b");
  std::unique_ptr<MCJIT> jit = make_engine(std::move(a));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->add_module(std::move(b)));
  ASSERT_OK(jit->finalize_object());  // was: "duplicate definition of symbol 'cc'"
  auto* pa = fn<void*()>(*jit, "pa");
  auto* pb = fn<void*()>(*jit, "pb");
  ASSERT_TRUE(pa && pb);
  EXPECT_EQ(pa(), pb());
}

TEST(McjitLinkage, WeakReferencesDoNotPullArchiveMembers) {
  // L7: a member is loaded for a strong undefined name only.
  std::string weak_member = compile_object("int optional_feature(void) { return 5; }\n", "opt");
  std::string strong_member = compile_object("int required_feature(void) { return 6; }\n", "req");
  ASSERT_FALSE(weak_member.empty() || strong_member.empty());
  std::string dir = fresh_dir("ar-weak");
  std::string lib = dir + "/libfeat.a";
  std::string log;
  ASSERT_EQ(run(std::string(JITLOAD_LLVM_AR) + " rcs " + lib + " " + weak_member + " " + strong_member, &log), 0)
      << log;
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, R"(
declare extern_weak i32 @optional_feature()
declare i32 @required_feature()
define i32 @use() {
  %has = icmp ne ptr @optional_feature, null
  br i1 %has, label %call, label %skip
call:
  %o = call i32 @optional_feature()
  %r1 = call i32 @required_feature()
  %s = add i32 %o, %r1
  ret i32 %s
skip:
  %r2 = call i32 @required_feature()
  ret i32 %r2
}
)", "user"));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->add_archive(lib));
  auto* use = fn<int()>(*jit, "use");
  ASSERT_TRUE(use);
  EXPECT_EQ(use(), 6) << "the weak reference stays null";
  EXPECT_EQ(jit->stats().archive_members_loaded, 1u);
}

TEST(McjitThreads, LookupsOnAFinalizedEngineFromManyThreads) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, kAnswer, "answer"));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->finalize_object());
  const u64 want = value_or_fail(jit->get_function_address("answer"));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; t++)
    threads.emplace_back([&] {
      for (int r = 0; r < 500; r++) {
        Expected<u64> a = jit->get_function_address("answer");
        Expected<u64> s = jit->get_symbol_address("answer");
        if (!a || !s || *a != want || *s != want) wrong++;
        if (std::optional<JitSymbol> d = jit->dyld().get_symbol("answer"); !d || d->address != want) wrong++;
      }
    });
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(reinterpret_cast<int (*)()>(uintptr_t(want))(), 42);
}

TEST(McjitThreads, EnginesInDifferentThreadsAreIndependent) {
  // Each thread: its own LLVMContext and engine, two modules with a weak
  // and a strong definition, code generated, registered with GDB, run.
  std::atomic<int> wrong{0};
  std::vector<std::string> why(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; t++)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; round++) {
        llvm::LLVMContext ctx;
        auto a = parse_ir(ctx, R"(
@wv = weak global i32 1
define i32 @get(i32 %x) {
  %v = load i32, ptr @wv
  %r = add i32 %v, %x
  ret i32 %r
}
)", "a");
        auto b = parse_ir(ctx, "@wv = global i32 " + std::to_string(100 * (t + 1)) + "\n", "b");
        EngineBuilder builder(std::move(a));
        Expected<std::unique_ptr<MCJIT>> jit = builder.create();
        if (!jit) {
          why[t] = jit.error().message();
          wrong++;
          return;
        }
        if (Error e = (*jit)->add_module(std::move(b))) {
          why[t] = e.message();
          wrong++;
          return;
        }
        Expected<u64> get = (*jit)->get_function_address("get");
        if (!get) {
          why[t] = get.error().message();
          wrong++;
          return;
        }
        int got = reinterpret_cast<int (*)(int)>(uintptr_t(*get))(round);
        if (got != 100 * (t + 1) + round) {
          why[t] = "get gave " + std::to_string(got);
          wrong++;
        }
      }
    });
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 4; t++) EXPECT_TRUE(why[t].empty()) << "thread " << t << ": " << why[t];
  EXPECT_EQ(wrong.load(), 0);
}

TEST(McjitObjects, PrecompiledObjectLinksWithModule) {
  std::string obj = compile_object("int obj_scale(int x) { return x * 100; }\n", "scale");
  ASSERT_FALSE(obj.empty());
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, R"(
declare i32 @obj_scale(i32)
define i32 @scaled(i32 %x) {
  %r = call i32 @obj_scale(i32 %x)
  %s = add i32 %r, 1
  ret i32 %s
}
)", "scaled"));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->add_object_file(obj));
  auto* scaled = fn<int(int)>(*jit, "scaled");
  ASSERT_TRUE(scaled);
  EXPECT_EQ(scaled(4), 401);
}

TEST(McjitObjects, BadObjectAndArchiveAreErrors) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, kAnswer, "answer"));
  ASSERT_TRUE(jit);
  Error e = jit->add_object_file(std::vector<u8>{1, 2, 3, 4}, "junk.o");
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("junk.o"), std::string::npos) << e.message();
  Error a = jit->add_archive(std::vector<u8>{'!', '<', 'a', 'r', 'c', 'h', '>', '\n', 'x'}, "junk.a");
  ASSERT_TRUE(a);
  EXPECT_NE(a.message().find("junk.a"), std::string::npos) << a.message();
  Error missing = jit->add_object_file(std::string("/nonexistent/x.o"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing.kind(), ErrorKind::Io);
  // The engine still works.
  auto* answer = fn<int()>(*jit, "answer");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer(), 42);
}

// ---------------------------------------------------------------------------
// Static constructors and destructors; exceptions

TEST(McjitRuntime, StaticConstructorsAndDestructorsRunInOrder) {
  llvm::LLVMContext ctx;
  std::string diag;
  auto m = compile_to_ir(ctx, testdata("ctors.cc"), "-O1", &diag);
  ASSERT_TRUE(m) << diag;
  g_events.clear();
  std::unique_ptr<MCJIT> jit = make_engine(std::move(m));
  ASSERT_TRUE(jit);
  auto* id = fn<int()>(*jit, "tracker_id");
  ASSERT_TRUE(id);
  EXPECT_TRUE(g_events.empty()) << "constructors run only when asked";
  ASSERT_OK(jit->run_static_constructors_destructors(false));
  EXPECT_EQ(g_events, (std::vector<int>{1, 2})) << "priority 101 first, then the default priority";
  EXPECT_EQ(id(), 2);
  ASSERT_OK(jit->run_static_constructors_destructors(false));
  EXPECT_EQ(g_events.size(), 2u) << "constructors run once";
  g_events.clear();
  ASSERT_OK(jit->run_static_constructors_destructors(true));
  // Exit handlers newest first (the object's, then the atexit one), then .fini_array.
  EXPECT_EQ(g_events, (std::vector<int>{-2, -50, -100}));
  g_events.clear();
  jit.reset();
  EXPECT_TRUE(g_events.empty()) << "destructors run once";
}

TEST(McjitRuntime, DestructorsStillDueRunWhenTheEngineIsDestroyed) {
  llvm::LLVMContext ctx;
  std::string diag;
  auto m = compile_to_ir(ctx, testdata("ctors.cc"), "-O1", &diag);
  ASSERT_TRUE(m) << diag;
  g_events.clear();
  std::unique_ptr<MCJIT> jit = make_engine(std::move(m));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->run_static_constructors_destructors(false));
  g_events.clear();
  jit.reset();
  EXPECT_EQ(g_events, (std::vector<int>{-2, -50, -100}));
}

TEST(McjitRuntime, ExceptionFromJitCodeIsCaughtByTheHost) {
  llvm::LLVMContext ctx;
  std::string diag;
  auto m = compile_to_ir(ctx, testdata("throw.cc"), "-O1", &diag);
  ASSERT_TRUE(m) << diag;
  auto memory = std::make_unique<CountingMemoryManager>();
  CountingMemoryManager* mm = memory.get();
  EngineBuilder b(std::move(m));
  b.set_mcjit_memory_manager(std::move(memory));
  std::unique_ptr<MCJIT> jit = value_or_fail(b.create());
  ASSERT_TRUE(jit);
  auto* inside = fn<int(int)>(*jit, "jit_catch_inside");
  auto* thrower = fn<int(int)>(*jit, "jit_throw");
  ASSERT_TRUE(inside && thrower);
  EXPECT_GT(mm->eh_frames, 0) << "EH frames must be registered";
  EXPECT_EQ(mm->inner.eh_frame_errors().size(), 0u);
  EXPECT_EQ(inside(0), 0);
  EXPECT_EQ(inside(3), 1000 + int(std::strlen("boom 3")));
  EXPECT_EQ(thrower(-4), 4);
  std::string what;
  try {
    thrower(7);
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "boom 7");
}

// ---------------------------------------------------------------------------
// Remapping between code generation and finalize

const char* kRemapModule = R"(
@counter = global i32 42, align 4
define i32 @read_counter() {
  %v = load i32, ptr @counter
  ret i32 %v
}
define i32 @plus_counter(i32 %x) {
  %v = call i32 @read_counter()
  %r = add i32 %v, %x
  ret i32 %r
}
)";

const LoadedSection* section_of(MCJIT& jit, const char* symbol) {
  void* local = jit.dyld().get_symbol_local_address(symbol);
  return local ? jit.dyld().section_at_local(local) : nullptr;
}

TEST(McjitRemap, DataSectionMovedBeforeFinalize) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, kRemapModule, "remap"));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->generate_code());
  EXPECT_EQ(jit->stats().finalizations, 0u);
  const LoadedSection* data = section_of(*jit, "counter");
  ASSERT_TRUE(data);
  u64 offset = jit->dyld().get_symbol("counter")->address - data->target;

  // The new home of the data: a buffer of ours.
  alignas(64) static u8 remote[4096];
  ASSERT_LE(data->size, sizeof remote);
  ASSERT_OK(jit->map_section_address(data->local, u64(uintptr_t(remote))));
  ASSERT_OK(jit->finalize_object());
  std::memcpy(remote, data->local, data->size);  // what a remote client would copy over
  i32 value = 9;
  std::memcpy(remote + offset, &value, 4);

  EXPECT_EQ(value_or_fail(jit->get_global_value_address("counter")), u64(uintptr_t(remote + offset)));
  auto* read = fn<int()>(*jit, "read_counter");
  ASSERT_TRUE(read);
  EXPECT_EQ(read(), 9) << "the code must read the remapped address";
  // The old copy is not what the code reads.
  i32 old;
  std::memcpy(&old, data->local + offset, 4);
  EXPECT_EQ(old, 42);

  // Finalized sections cannot move any more.
  Error late = jit->map_section_address(data->local, 0x1000);
  ASSERT_TRUE(late);
  EXPECT_NE(late.message().find("finalized"), std::string::npos) << late.message();
}

TEST(McjitRemap, CodeSectionMovedBeforeFinalize) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, kRemapModule, "remap"));
  ASSERT_TRUE(jit);
  ASSERT_OK(jit->generate_code());
  const LoadedSection* text = section_of(*jit, "plus_counter");
  ASSERT_TRUE(text);
  ASSERT_EQ(text->kind, SectionKind::Code);
  ASSERT_EQ(section_of(*jit, "read_counter"), text);
  u64 size = (text->size + 4095) & ~u64(4095);
  void* region = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  ASSERT_OK(jit->map_section_address(text->local, u64(uintptr_t(region))));
  ASSERT_OK(jit->finalize_object());
  std::memcpy(region, text->local, text->size);
  ASSERT_EQ(mprotect(region, size, PROT_READ | PROT_EXEC), 0);
  u64 address = value_or_fail(jit->get_function_address("plus_counter"));
  ASSERT_GE(address, u64(uintptr_t(region)));
  ASSERT_LT(address, u64(uintptr_t(region)) + text->size);
  // The address is inside the moved copy, so the call runs there.
  auto* plus = reinterpret_cast<int (*)(int)>(uintptr_t(address));
  EXPECT_EQ(plus(8), 50);
  munmap(region, size);
}

// ---------------------------------------------------------------------------
// Symbols: host by default, a user resolver overrides and adds

class TestResolver final : public SymbolResolver {
 public:
  std::optional<u64> lookup(std::string_view name) override {
    asked.emplace_back(name);
    if (name == "strlen") return u64(uintptr_t(&fake_strlen));
    if (name == "magic_number") return u64(uintptr_t(&magic));
    return std::nullopt;
  }
  static size_t fake_strlen(const char*) { return 1234; }
  static inline int magic = 77;
  std::vector<std::string> asked;
};

const char* kSymbolsModule = R"(
declare i64 @strlen(ptr)
declare i32 @host_value()
declare i32 @abs(i32)
@magic_number = external global i32
@s = private constant [3 x i8] c"ab\00"
define i64 @len() {
  %r = call i64 @strlen(ptr @s)
  ret i64 %r
}
define i32 @host() {
  %a = call i32 @host_value()
  %b = call i32 @abs(i32 -5)
  %c = add i32 %a, %b
  ret i32 %c
}
define i32 @magic() {
  %v = load i32, ptr @magic_number
  ret i32 %v
}
)";

TEST(McjitSymbols, HostByDefaultUserResolverOverrides) {
  {
    llvm::LLVMContext ctx;
    auto m = parse_ir(ctx, kSymbolsModule, "syms");
    // Without the resolver magic_number is undefined: the lookup of any
    // function in the module fails and names it.
    std::unique_ptr<MCJIT> jit = make_engine(std::move(m));
    ASSERT_TRUE(jit);
    Expected<u64> a = jit->get_function_address("len");
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().kind(), ErrorKind::Unresolved);
    EXPECT_NE(a.error().message().find("magic_number"), std::string::npos) << a.error().message();
  }
  llvm::LLVMContext ctx;
  auto resolver = std::make_unique<TestResolver>();
  TestResolver* r = resolver.get();
  EngineBuilder b(parse_ir(ctx, kSymbolsModule, "syms"));
  b.set_symbol_resolver(std::move(resolver));
  std::unique_ptr<MCJIT> jit = value_or_fail(b.create());
  ASSERT_TRUE(jit);
  auto* len = fn<long()>(*jit, "len");
  auto* host = fn<int()>(*jit, "host");
  auto* magic = fn<int()>(*jit, "magic");
  ASSERT_TRUE(len && host && magic);
  EXPECT_EQ(len(), 1234) << "the user resolver overrides libc";
  EXPECT_EQ(host(), 4242 + 5) << "the host executable and libc resolve by default";
  EXPECT_EQ(magic(), 77) << "the user resolver adds symbols";
  EXPECT_FALSE(r->asked.empty());
}

// ---------------------------------------------------------------------------
// run_function_as_main

TEST(McjitMain, RunFunctionAsMain) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, R"(
declare i64 @strlen(ptr)
define i32 @main(i32 %argc, ptr %argv, ptr %envp) {
  %p = getelementptr ptr, ptr %argv, i32 1
  %a1 = load ptr, ptr %p
  %l = call i64 @strlen(ptr %a1)
  %l32 = trunc i64 %l to i32
  %t = mul i32 %argc, 10
  %r = add i32 %t, %l32
  ret i32 %r
}
define void @void_main() {
  ret void
}
define i32 @bad_main(i32 %a, i32 %b) {
  ret i32 0
}
)", "main"));
  ASSERT_TRUE(jit);
  std::vector<std::string> args = {"prog", "hello", "x"};
  EXPECT_EQ(value_or_fail(jit->run_function_as_main("main", args)), 35);
  EXPECT_EQ(value_or_fail(jit->run_function_as_main("void_main", args)), 0);
  Expected<int> bad = jit->run_function_as_main("bad_main", args);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("pointer"), std::string::npos) << bad.error().message();
  Expected<int> none = jit->run_function_as_main("no_such_main", args);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind(), ErrorKind::Unresolved);
}

// ---------------------------------------------------------------------------
// Errors are values

TEST(McjitErrors, UnknownTripleAndCpu) {
  llvm::LLVMContext ctx;
  {
    EngineBuilder b(parse_ir(ctx, kAnswer, "answer"));
    b.set_mtriple("nonsense-unknown-nowhere");
    Expected<std::unique_ptr<MCJIT>> e = b.create();
    ASSERT_FALSE(e);
    EXPECT_NE(e.error().message().find("nonsense"), std::string::npos) << e.error().message();
  }
  {
    EngineBuilder b(parse_ir(ctx, kAnswer, "answer"));
    b.set_mcpu("no-such-cpu");
    Expected<std::unique_ptr<MCJIT>> e = b.create();
    ASSERT_FALSE(e);
    EXPECT_NE(e.error().message().find("no-such-cpu"), std::string::npos) << e.error().message();
  }
  {
    EngineBuilder b(parse_ir(ctx, kAnswer, "answer"));
    b.set_engine_kind(EngineKind::Interpreter);
    Expected<std::unique_ptr<MCJIT>> e = b.create();
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().kind(), ErrorKind::Unsupported);
  }
  {
    EngineBuilder b(nullptr);
    EXPECT_FALSE(b.create());
  }
}

TEST(McjitErrors, InvalidModuleIsRejected) {
  llvm::LLVMContext ctx;
  auto m = std::make_unique<llvm::Module>("broken", ctx);
  auto* ft = llvm::FunctionType::get(llvm::Type::getInt32Ty(ctx), false);
  auto* f = llvm::Function::Create(ft, llvm::Function::ExternalLinkage, "no_terminator", *m);
  llvm::BasicBlock::Create(ctx, "entry", f);  // a block without a terminator
  EngineBuilder b(std::move(m));
  Expected<std::unique_ptr<MCJIT>> e = b.create();
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind(), ErrorKind::Malformed);
  EXPECT_NE(e.error().message().find("broken"), std::string::npos) << e.error().message();
}

TEST(McjitErrors, MissingSymbolAndForeignModule) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, kAnswer, "answer"));
  ASSERT_TRUE(jit);
  Expected<u64> a = jit->get_function_address("no_such_function");
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().kind(), ErrorKind::Unresolved);
  EXPECT_NE(a.error().message().find("no_such_function"), std::string::npos);

  auto arm = parse_ir(ctx, "target triple = \"aarch64-unknown-linux-gnu\"\ndefine void @f() {\n  ret void\n}\n", "arm");
  ASSERT_TRUE(arm);
  Error e = jit->add_module(std::move(arm));
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("aarch64"), std::string::npos) << e.message();

  auto layout = parse_ir(ctx, "target datalayout = \"e-m:e-p:32:32-i64:64-n32-S64\"\ndefine void @g() {\n  ret void\n}\n", "layout");
  ASSERT_TRUE(layout);
  e = jit->add_module(std::move(layout));
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("data layout"), std::string::npos) << e.message();
}

TEST(McjitErrors, ExplicitTripleRetargetsModules) {
  llvm::LLVMContext ctx;
  // IR written for another x86-64 OS and data layout: --mtriple makes it ours.
  auto m = parse_ir(ctx, std::string("target triple = \"x86_64-apple-macosx10.15\"\n") +
                             "target datalayout = \"e-m:o-i64:64-n8:16:32:64-S128\"\n" + kAnswer, "retarget");
  ASSERT_TRUE(m);
  EngineBuilder b(std::move(m));
  b.set_mtriple("x86_64-unknown-linux-gnu");
  std::unique_ptr<MCJIT> jit = value_or_fail(b.create());
  ASSERT_TRUE(jit);
  auto* answer = fn<int()>(*jit, "answer");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer(), 42);
}

// ---------------------------------------------------------------------------
// Debugger registration

TEST(McjitGdb, ObjectsRegisteredWhileAliveWithLoadAddresses) {
  size_t before = gdb::registered_count();
  {
    llvm::LLVMContext ctx;
    std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, kAnswer, "answer"));
    ASSERT_TRUE(jit);
    EXPECT_EQ(gdb::registered_count(), before) << "nothing is registered before code exists";
    auto* answer = fn<int()>(*jit, "answer");
    ASSERT_TRUE(answer);
    EXPECT_EQ(gdb::registered_count(), before + 1);
    const gdb::JitCodeEntry* e = __jit_debug_descriptor.first_entry;
    ASSERT_TRUE(e);
    EXPECT_EQ(__jit_debug_descriptor.version, 1u);
    ASSERT_GT(e->symfile_size, 64u);
    EXPECT_EQ(std::memcmp(e->symfile_addr, "\x7f" "ELF", 4), 0);
    // Some section header of the symfile must carry the address of the code.
    const u8* f = reinterpret_cast<const u8*>(e->symfile_addr);
    u64 shoff, addr = u64(uintptr_t(answer));
    std::memcpy(&shoff, f + 0x28, 8);
    u16 shentsize, shnum;
    std::memcpy(&shentsize, f + 0x3a, 2);
    std::memcpy(&shnum, f + 0x3c, 2);
    bool found = false;
    for (u16 i = 0; i < shnum; i++) {
      u64 sh_addr, sh_size;
      std::memcpy(&sh_addr, f + shoff + u64(i) * shentsize + 0x10, 8);
      std::memcpy(&sh_size, f + shoff + u64(i) * shentsize + 0x20, 8);
      found |= sh_addr != 0 && addr >= sh_addr && addr < sh_addr + sh_size;
    }
    EXPECT_TRUE(found) << "no section header of the debug object covers the function's address";
  }
  EXPECT_EQ(gdb::registered_count(), before) << "the entry must go when the engine frees the code";
}

TEST(McjitGdb, RegistrationCanBeTurnedOff) {
  size_t before = gdb::registered_count();
  llvm::LLVMContext ctx;
  EngineBuilder b(parse_ir(ctx, kAnswer, "answer"));
  b.set_gdb_registration(false);
  std::unique_ptr<MCJIT> jit = value_or_fail(b.create());
  ASSERT_TRUE(jit);
  ASSERT_TRUE(fn<int()>(*jit, "answer"));
  EXPECT_EQ(gdb::registered_count(), before);
}

// ---------------------------------------------------------------------------
// Code generation options

TEST(McjitOptions, EveryOptLevelAndCodeModelRuns) {
  const llvm::CodeGenOptLevel levels[] = {llvm::CodeGenOptLevel::None, llvm::CodeGenOptLevel::Less,
                                          llvm::CodeGenOptLevel::Default, llvm::CodeGenOptLevel::Aggressive};
  struct Model {
    llvm::CodeModel::Model code;
    std::optional<llvm::Reloc::Model> reloc;
  };
  // Large + static is the JIT default; the small and medium models need PIC
  // here, because JIT memory is not in the low 2 GiB their absolute forms need.
  const Model models[] = {{llvm::CodeModel::Large, std::nullopt},
                          {llvm::CodeModel::Small, llvm::Reloc::PIC_},
                          {llvm::CodeModel::Medium, llvm::Reloc::PIC_}};
  for (auto level : levels)
    for (const Model& model : models) {
      llvm::LLVMContext ctx;
      EngineBuilder b(parse_ir(ctx, kCounterModule, "counter"));
      b.set_opt_level(level).set_code_model(model.code).set_mcpu("generic");
      if (model.reloc) b.set_relocation_model(*model.reloc);
      std::unique_ptr<MCJIT> jit = value_or_fail(b.create());
      ASSERT_TRUE(jit);
      EXPECT_EQ(jit->target_machine().getCodeModel(), model.code);
      auto* f = fn<int(int)>(*jit, "weighted");
      ASSERT_TRUE(f) << "opt " << int(level) << " model " << int(model.code);
      EXPECT_EQ(f(2), 7 * 2 + 5);
    }
}

TEST(McjitOptions, SmallStaticCodeOutOfReachIsAnErrorNotACrash) {
  llvm::LLVMContext ctx;
  EngineBuilder b(parse_ir(ctx, kCounterModule, "counter"));
  b.set_code_model(llvm::CodeModel::Small).set_relocation_model(llvm::Reloc::Static);
  std::unique_ptr<MCJIT> jit = value_or_fail(b.create());
  ASSERT_TRUE(jit);
  Expected<u64> a = jit->get_function_address("weighted");
  if (a) GTEST_SKIP() << "JIT memory happened to land in the low 2 GiB: nothing to check";
  EXPECT_EQ(a.error().kind(), ErrorKind::Overflow);
  EXPECT_NE(a.error().message().find("R_X86_64_32"), std::string::npos) << a.error().message();
}

// ---------------------------------------------------------------------------
// Builder variants and object formats

TEST(McjitBuilder, CreateWithAGivenTargetMachine) {
  TargetRequest request;
  request.cpu = "generic";
  request.opt_level = llvm::CodeGenOptLevel::Less;
  Expected<std::unique_ptr<llvm::TargetMachine>> tm = create_target_machine(request);
  ASSERT_TRUE(tm) << tm.error().message();
  llvm::TargetMachine* raw = tm->get();
  llvm::LLVMContext ctx;
  EngineBuilder b(parse_ir(ctx, kCounterModule, "counter"));
  std::unique_ptr<MCJIT> jit = value_or_fail(b.create(std::move(*tm)));
  ASSERT_TRUE(jit);
  EXPECT_EQ(&jit->target_machine(), raw);
  EXPECT_EQ(jit->target_machine().getTargetCPU(), "generic");
  auto* f = fn<int(int)>(*jit, "weighted");
  ASSERT_TRUE(f);
  EXPECT_EQ(f(1), 12);
  EngineBuilder none(parse_ir(ctx, kAnswer, "answer"));
  EXPECT_FALSE(none.create(nullptr));
}

// Captures what the engine generated.
class CapturingCache final : public ObjectCache {
 public:
  std::optional<std::vector<u8>> get_object(const llvm::Module&, const CacheKey&) override { return std::nullopt; }
  void notify_object_compiled(const llvm::Module&, const CacheKey&, std::span<const u8> o) override {
    object.assign(o.begin(), o.end());
  }
  std::vector<u8> object;
};

TEST(McjitBuilder, AppleTriplesGetMachOLinuxTriplesGetElf) {
  struct Case {
    const char* triple;
    std::vector<u8> magic;
  };
  const Case cases[] = {{"x86_64-unknown-linux-gnu", {0x7f, 'E', 'L', 'F'}},
                        {"x86_64-apple-macosx10.15", {0xcf, 0xfa, 0xed, 0xfe}}};
  for (const Case& c : cases) {
    llvm::LLVMContext ctx;
    auto cache = std::make_shared<CapturingCache>();
    EngineBuilder b(parse_ir(ctx, kAnswer, "answer"));
    b.set_mtriple(c.triple).set_object_cache(cache);
    std::unique_ptr<MCJIT> jit = value_or_fail(b.create());
    ASSERT_TRUE(jit);
    Expected<u64> a = jit->get_function_address("answer");
    ASSERT_GE(cache->object.size(), 4u) << c.triple;
    EXPECT_TRUE(std::equal(c.magic.begin(), c.magic.end(), cache->object.begin())) << c.triple;
    // ELF runs here. A MachO object runs once the loader has a MachO
    // format; until then it is a clear error, not a crash.
    if (c.magic[0] == 0x7f) {
      ASSERT_TRUE(a) << a.error().message();
      EXPECT_EQ(reinterpret_cast<int (*)()>(uintptr_t(*a))(), 42);
    } else if (!a) {
      EXPECT_EQ(a.error().kind(), ErrorKind::Unsupported) << a.error().message();
    }
  }
}

TEST(McjitSymbols, PointerToFunctionForDefinitionsAndDeclarations) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, R"(
declare i32 @host_value()
define i32 @plus_host(i32 %x) {
  %h = call i32 @host_value()
  %r = add i32 %h, %x
  ret i32 %r
}
)", "ptr"));
  ASSERT_TRUE(jit);
  llvm::Function* def = jit->find_function_named("plus_host");
  ASSERT_TRUE(def);
  EXPECT_FALSE(jit->find_function_named("host_value")) << "a declaration is not a definition";
  void* p = value_or_fail(jit->get_pointer_to_function(def));
  ASSERT_TRUE(p);
  EXPECT_EQ(reinterpret_cast<int (*)(int)>(p)(1), 4243);
  llvm::Function* decl = def->getParent()->getFunction("host_value");
  ASSERT_TRUE(decl);
  EXPECT_EQ(value_or_fail(jit->get_pointer_to_function(decl)), reinterpret_cast<void*>(&host_value));
}

TEST(McjitRuntime, ThreadLocalVariables) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = make_engine(parse_ir(ctx, R"(
@counter = thread_local global i32 5
@zeroed = thread_local global i32 0
define i32 @bump() {
  %v = load i32, ptr @counter
  %n = add i32 %v, 1
  store i32 %n, ptr @counter
  %z = load i32, ptr @zeroed
  %z1 = add i32 %z, 100
  store i32 %z1, ptr @zeroed
  %r = add i32 %n, %z1
  ret i32 %r
}
)", "tls"));
  ASSERT_TRUE(jit);
  auto* bump = fn<int()>(*jit, "bump");
  ASSERT_TRUE(bump);
  EXPECT_EQ(bump(), 6 + 100);
  EXPECT_EQ(bump(), 7 + 200);
}

}  // namespace
