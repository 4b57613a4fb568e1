// Constructor and destructor tables of objects, through the engine: the
// older .ctors/.dtors layout (clang -fno-use-init-array) with priorities.
#include "engine/mcjit/runtime.h"

#include <gtest/gtest.h>
#include <llvm/IR/LLVMContext.h>

#include "engine/mcjit/mcjit.h"
#include "engine/mcjit/testing/support.h"

using namespace jitload;


namespace {

std::vector<int> events;
extern "C" __attribute__((visibility("default"), used)) void runtime_test_record(int e) { events.push_back(e); }

const char* kCtorsC = R"(
void runtime_test_record(int);
__attribute__((constructor(200))) static void c200(void) { runtime_test_record(200); }
__attribute__((constructor(150))) static void c150(void) { runtime_test_record(150); }
__attribute__((constructor)) static void c_default(void) { runtime_test_record(65535); }
__attribute__((destructor(150))) static void d150(void) { runtime_test_record(-150); }
__attribute__((destructor(200))) static void d200(void) { runtime_test_record(-200); }
__attribute__((destructor)) static void d_default(void) { runtime_test_record(-65535); }
int ctors_anchor(void) { return 1; }
)";

void run_tables(const std::string& flags, const char* tag) {
  std::string obj = jitload::mcjit_testing::compile_object(kCtorsC, tag, "-O1 " + flags);
  ASSERT_FALSE(obj.empty());
  llvm::LLVMContext ctx;
  auto m = jitload::mcjit_testing::parse_ir(ctx, "define i32 @nothing() {\n  ret i32 0\n}\n", "empty");
  EngineBuilder b(std::move(m));
  Expected<std::unique_ptr<MCJIT>> jit = b.create();
  ASSERT_TRUE(jit) << jit.error().message();
  Error e = (*jit)->add_object_file(obj);
  ASSERT_FALSE(e) << e.message();
  events.clear();
  e = (*jit)->run_static_constructors_destructors(false);
  ASSERT_FALSE(e) << e.message();
  // Lower priority numbers first; the default (65535) last.
  EXPECT_EQ(events, (std::vector<int>{150, 200, 65535})) << flags;
  events.clear();
  e = (*jit)->run_static_constructors_destructors(true);
  ASSERT_FALSE(e) << e.message();
  // Destructors: the reverse.
  EXPECT_EQ(events, (std::vector<int>{-65535, -200, -150})) << flags;
}

TEST(RuntimeTables, InitArrayWithPriorities) { run_tables("", "initarray"); }

TEST(RuntimeTables, LegacyCtorsDtorsWithPriorities) {
  std::string obj = jitload::mcjit_testing::compile_object(kCtorsC, "probe", "-O1 -fno-use-init-array");
  std::string out;
  jitload::mcjit_testing::run("llvm-readelf-19 -S " + obj, &out);
  if (out.find(".ctors") == std::string::npos) GTEST_SKIP() << "clang did not emit .ctors";
  run_tables("-fno-use-init-array", "ctors");
}

TEST(RuntimeTables, SortOrder) {
  std::vector<InitFiniEntry> e = {{65535, 0, 0, 1}, {101, 1, 0, 2}, {101, 0, 1, 3}, {101, 0, 0, 4}};
  sort_constructors(e);
  std::vector<u64> order;
  for (auto& x : e) order.push_back(x.function);
  EXPECT_EQ(order, (std::vector<u64>{4, 3, 2, 1}));
  sort_destructors(e);
  order.clear();
  for (auto& x : e) order.push_back(x.function);
  EXPECT_EQ(order, (std::vector<u64>{1, 2, 3, 4}));
}

}  // namespace

// ---------------------------------------------------------------------------
// The C++ runtime hooks in MCJIT: each module's object has its own
// __dso_handle, and each engine runs its own destructors, newest first.

namespace {

const char* kModuleA = R"(
extern "C" void runtime_test_record(int);
struct T { int id; ~T() { runtime_test_record(-id); } };
extern "C" void make_a(int base) { static T t{base + 1}; }
extern "C" void* handle_a() { extern char __dso_handle; return &__dso_handle; }
)";
const char* kModuleB = R"(
extern "C" void runtime_test_record(int);
struct U { int id; ~U() { runtime_test_record(-id); } };
extern "C" void make_b(int base) { static U u{base + 2}; }
extern "C" void* handle_b() { extern char __dso_handle; return &__dso_handle; }
)";

std::unique_ptr<MCJIT> two_module_engine(llvm::LLVMContext& ctx) {
  std::string dir = jitload::mcjit_testing::fresh_dir("cxx-runtime");
  jitload::mcjit_testing::write_file(dir + "/a.cc", std::string(kModuleA));
  jitload::mcjit_testing::write_file(dir + "/b.cc", std::string(kModuleB));
  std::string diag;
  auto a = jitload::mcjit_testing::compile_to_ir(ctx, dir + "/a.cc", "-O1", &diag);
  auto b = jitload::mcjit_testing::compile_to_ir(ctx, dir + "/b.cc", "-O1", &diag);
  EXPECT_TRUE(a && b) << diag;
  if (!a || !b) return nullptr;
  Expected<std::unique_ptr<MCJIT>> jit = EngineBuilder(std::move(a)).create();
  EXPECT_TRUE(jit) << jit.error().message();
  if (!jit) return nullptr;
  Error e = (*jit)->add_module(std::move(b));
  EXPECT_FALSE(e) << e.message();
  return std::move(*jit);
}

template <typename F>
F* function(MCJIT& jit, const char* name) {
  Expected<u64> a = jit.get_function_address(name);
  EXPECT_TRUE(a) << a.error().message();
  return a ? reinterpret_cast<F*>(uintptr_t(*a)) : nullptr;
}

TEST(McjitCxxRuntime, EachModuleHasItsOwnHandleAndEachEngineItsDestructors) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> one = two_module_engine(ctx), two = two_module_engine(ctx);
  ASSERT_TRUE(one && two);
  void* handles[] = {function<void*()>(*one, "handle_a")(), function<void*()>(*one, "handle_b")(),
                     function<void*()>(*two, "handle_a")(), function<void*()>(*two, "handle_b")()};
  for (int i = 0; i < 4; i++)
    for (int j = i + 1; j < 4; j++) EXPECT_NE(handles[i], handles[j]) << i << " " << j;
  events.clear();
  function<void(int)>(*one, "make_a")(10);
  function<void(int)>(*one, "make_b")(10);
  function<void(int)>(*two, "make_b")(20);
  function<void(int)>(*two, "make_a")(20);
  EXPECT_TRUE(events.empty());
  two.reset();
  EXPECT_EQ(events, (std::vector<int>{-21, -22}));
  events.clear();
  one.reset();
  EXPECT_EQ(events, (std::vector<int>{-12, -11}));
}

}  // namespace
