// The C++ runtime hooks through the library: C++ objects compiled with
// clang++-19 at test time, loaded on the host, their destructors recorded
// through a callback into this binary.
#include "engine/loader/core/cxx-runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace {

std::mutex g_events_mutex;
std::vector<int> g_events;

std::vector<int> take_events() {
  std::lock_guard<std::mutex> lock(g_events_mutex);
  return std::exchange(g_events, {});
}

}  // namespace

// Called by the loaded code.
extern "C" __attribute__((visibility("default"), used)) void cxx_runtime_test_record(int e) {
  std::lock_guard<std::mutex> lock(g_events_mutex);
  g_events.push_back(e);
}

namespace jitload {
namespace {

// A static object per id, created in call order: its destructor is
// registered with __cxa_atexit when make() first reaches it.
const char* kStatics = R"(
extern "C" void cxx_runtime_test_record(int);
struct T { int id; explicit T(int i) : id(i) { cxx_runtime_test_record(i); } ~T() { cxx_runtime_test_record(-id); } };
extern "C" void make(int base) {
  static T first(base + 1);
  static T second(base + 2);
}
static T global_object(1000);
extern "C" void* handle_of_a() { extern char __dso_handle; return &__dso_handle; }
)";

const char* kOther = R"(
extern "C" void cxx_runtime_test_record(int);
struct U { int id; ~U() { cxx_runtime_test_record(-id); } };
extern "C" void make_other(int base) { static U u{base + 3}; }
extern "C" void* handle_of_b() { extern char __dso_handle; return &__dso_handle; }
)";

struct Host {
  SectionMemoryManager memory;
  std::unique_ptr<RuntimeDyld> dyld = std::make_unique<RuntimeDyld>(memory);
  Host() { dyld->enable_cxx_runtime(); }
  template <typename F>
  F* fn(const char* name) {
    auto s = dyld->get_symbol(name);
    return s ? reinterpret_cast<F*>(uintptr_t(s->address)) : nullptr;
  }
};

std::vector<u8> compile_cxx(const char* source, const char* flags = "-O1") {
  std::string diag;
  std::vector<u8> obj = testing::compile(source, flags, true, &diag);
  EXPECT_FALSE(obj.empty()) << diag;
  return obj;
}

TEST(CxxRuntime, EachObjectHasItsOwnHandleInsideItsMemory) {
  Host h;
  ASSERT_TRUE(h.dyld->load_object(compile_cxx(kStatics), "a.o"));
  ASSERT_TRUE(h.dyld->load_object(compile_cxx(kOther), "b.o"));
  Error e = h.dyld->finalize();
  ASSERT_FALSE(e) << e.message();
  void* a = h.fn<void*()>("handle_of_a")();
  void* b = h.fn<void*()>("handle_of_b")();
  EXPECT_NE(a, b);
  const LoadedSection* sa = h.dyld->section_at_target(u64(uintptr_t(a)), 1);
  const LoadedSection* sb = h.dyld->section_at_target(u64(uintptr_t(b)), 1);
  ASSERT_TRUE(sa && sb);
  EXPECT_EQ(sa->object, 0u);
  EXPECT_EQ(sb->object, 1u);
  EXPECT_EQ(h.dyld->cxx_runtime()->dso_handle(0), u64(uintptr_t(a)));

  // A second dyld loading the same object gets another handle.
  Host h2;
  ASSERT_TRUE(h2.dyld->load_object(compile_cxx(kStatics), "a.o"));
  ASSERT_FALSE(h2.dyld->finalize());
  EXPECT_NE(h2.fn<void*()>("handle_of_a")(), a);
}

TEST(CxxRuntime, OffByDefaultDsoHandleIsAnOrdinaryExternal) {
  SectionMemoryManager memory;
  RuntimeDyld dyld(memory);
  ASSERT_TRUE(dyld.load_object(compile_cxx(kStatics), "a.o"));
  EXPECT_EQ(dyld.cxx_runtime(), nullptr);
  Error e = dyld.resolve_relocations();
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("'__dso_handle'"), std::string::npos) << e.message();
}

TEST(CxxRuntime, DestroyingTheDyldRunsItsDestructorsNewestFirst) {
  take_events();
  auto h = std::make_unique<Host>();
  ASSERT_TRUE(h->dyld->load_object(compile_cxx(kStatics), "a.o"));
  ASSERT_TRUE(h->dyld->load_object(compile_cxx(kOther), "b.o"));
  ASSERT_FALSE(h->dyld->finalize());
  ASSERT_FALSE(run_static_constructors(*h->dyld));
  h->fn<void(int)>("make")(10);
  h->fn<void(int)>("make_other")(10);
  EXPECT_EQ(take_events(), (std::vector<int>{1000, 11, 12}));
  EXPECT_EQ(h->dyld->cxx_runtime()->pending(), 4u);
  h->dyld.reset();  // the memory manager outlives it: the code is still there
  EXPECT_EQ(take_events(), (std::vector<int>{-13, -12, -11, -1000}));
}

TEST(CxxRuntime, ASecondDyldsDestructorsAreItsOwn) {
  take_events();
  Host one, two;
  for (Host* h : {&one, &two}) {
    ASSERT_TRUE(h->dyld->load_object(compile_cxx(kStatics), "a.o"));
    ASSERT_FALSE(h->dyld->finalize());
  }
  one.fn<void(int)>("make")(10);
  two.fn<void(int)>("make")(20);
  one.fn<void(int)>("make")(30);  // already made: nothing
  EXPECT_EQ(take_events(), (std::vector<int>{11, 12, 21, 22}));
  EXPECT_EQ(two.dyld->cxx_runtime()->run_exit_handlers(), 2u);
  EXPECT_EQ(take_events(), (std::vector<int>{-22, -21}));
  two.dyld.reset();
  EXPECT_TRUE(take_events().empty()) << "destructors run once";
  one.dyld.reset();
  EXPECT_EQ(take_events(), (std::vector<int>{-12, -11}));
}

// The order a native program gives: constructors, then at the end this
// thread's thread_local destructors, the atexit list newest first (static
// objects, function-local statics and atexit handlers interleaved by when
// they registered), and .fini_array last.
TEST(CxxRuntime, StaticDestructorsRunAsANativeProgramsEnd) {
  take_events();
  Host h;
  ASSERT_TRUE(h.dyld->load_object(compile_cxx(R"(
    #include <cstdlib>
    extern "C" void cxx_runtime_test_record(int);
    struct T { int id; explicit T(int i) : id(i) { cxx_runtime_test_record(i); } ~T() { cxx_runtime_test_record(-id); } };
    static T global_object(1);
    thread_local T per_thread(2);
    __attribute__((destructor)) static void fini() { cxx_runtime_test_record(-99); }
    static void handler() { cxx_runtime_test_record(-50); }
    extern "C" int run() {
      static T local(3);
      std::atexit(handler);
      return per_thread.id;
    }
  )"), "prog.o"));
  ASSERT_FALSE(h.dyld->finalize());
  ASSERT_FALSE(run_static_constructors(*h.dyld));
  EXPECT_EQ(h.fn<int()>("run")(), 2);
  EXPECT_EQ(take_events(), (std::vector<int>{1, 3, 2}));
  ASSERT_FALSE(run_static_destructors(*h.dyld));
  EXPECT_EQ(take_events(), (std::vector<int>{-2, -50, -3, -1, -99}));
  ASSERT_FALSE(run_static_destructors(*h.dyld));
  EXPECT_TRUE(take_events().empty()) << "once";
}

const char* kThreadLocal = R"(
extern "C" void cxx_runtime_test_record(int);
struct T { int id; explicit T(int i) : id(i) {} ~T() { cxx_runtime_test_record(-id); } };
thread_local T a(1);
thread_local T b(2);
extern "C" int touch() { return a.id + b.id; }
)";

TEST(CxxRuntime, ThreadLocalDestructorsRunAtThatThreadsExit) {
  take_events();
  Host h;
  ASSERT_TRUE(h.dyld->load_object(compile_cxx(kThreadLocal), "tls.o"));
  ASSERT_FALSE(h.dyld->finalize());
  auto* touch = h.fn<int()>("touch");
  std::thread t([&] { EXPECT_EQ(touch(), 3); });
  t.join();
  EXPECT_EQ(take_events(), (std::vector<int>{-2, -1}));
  EXPECT_EQ(h.dyld->cxx_runtime()->pending(), 0u);
}

TEST(CxxRuntime, AThreadOutlivingTheDyldNeverCallsItsUnmappedCode) {
  take_events();
  std::mutex m;
  std::condition_variable cv;
  int stage = 0;
  auto memory = std::make_unique<SectionMemoryManager>();
  auto dyld = std::make_unique<RuntimeDyld>(*memory);
  dyld->enable_cxx_runtime();
  ASSERT_TRUE(dyld->load_object(compile_cxx(kThreadLocal), "tls.o"));
  ASSERT_FALSE(dyld->finalize());
  auto* touch = reinterpret_cast<int (*)()>(uintptr_t(dyld->get_symbol("touch")->address));
  std::thread t([&] {
    touch();
    std::unique_lock<std::mutex> lock(m);
    stage = 1;
    cv.notify_all();
    cv.wait(lock, [&] { return stage == 2; });
  });
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return stage == 1; });
  }
  EXPECT_EQ(touch(), 3);  // this thread's too
  EXPECT_EQ(dyld->cxx_runtime()->pending(), 4u);
  dyld.reset();   // runs this thread's; drops the other thread's
  memory.reset(); // the code is gone
  EXPECT_EQ(take_events(), (std::vector<int>{-2, -1}));
  {
    std::lock_guard<std::mutex> lock(m);
    stage = 2;
  }
  cv.notify_all();
  t.join();  // its thread-exit list still holds our records: they call nothing
  EXPECT_TRUE(take_events().empty());
}

TEST(CxxRuntime, ExceptionThroughAFrameWithARegisteredDestructor) {
  take_events();
  auto h = std::make_unique<Host>();
  ASSERT_TRUE(h->dyld->load_object(compile_cxx(R"(
    #include <stdexcept>
    extern "C" void cxx_runtime_test_record(int);
    struct T { int id; ~T() { cxx_runtime_test_record(-id); } };
    extern "C" void thrower(int n) {
      static T registered{7};
      T frame{n};
      if (n > 2) throw std::out_of_range("too far");
    }
    extern "C" int catcher(void (*host)(int), int n) {
      static T registered{8};
      try { host(n); } catch (const std::invalid_argument&) { return -1; }
      return n;
    }
  )", "-O2"), "throw.o"));
  ASSERT_FALSE(h->dyld->finalize());
  auto* thrower = h->fn<void(int)>("thrower");
  std::string what;
  try {
    thrower(5);  // JIT -> host
  } catch (const std::out_of_range& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "too far");
  EXPECT_EQ(take_events(), (std::vector<int>{-5}));  // the frame's object, unwound
  // Host -> JIT: thrown by this binary, caught by JIT code.
  auto* catcher = h->fn<int(void (*)(int), int)>("catcher");
  EXPECT_EQ(catcher([](int n) { if (n) throw std::invalid_argument("host"); }, 1), -1);
  EXPECT_EQ(catcher([](int) {}, 0), 0);
  h->dyld.reset();
  EXPECT_EQ(take_events(), (std::vector<int>{-8, -7}));
}

// Engines in different threads are independent: each loads, registers and
// runs its own destructors while the other does the same (the hooks read
// only what each dyld registered, under their lock — run under TSan too).
TEST(CxxRuntime, DyldsInDifferentThreadsKeepTheirOwn) {
  std::vector<u8> obj = compile_cxx(kStatics);
  ASSERT_FALSE(obj.empty());
  std::atomic<int> good{0};
  auto work = [&](int base) {
    for (int round = 0; round < 4; round++) {
      Host h;
      if (!h.dyld->load_object(obj, "a.o") || h.dyld->finalize()) return;
      h.fn<void(int)>("make")(base + round * 10);
      if (h.dyld->cxx_runtime()->pending() == 2 && h.dyld->cxx_runtime()->run_exit_handlers() == 2) good++;
    }
  };
  std::thread a(work, 100), b(work, 200);
  a.join();
  b.join();
  EXPECT_EQ(good.load(), 8);
  std::vector<int> events = take_events();
  EXPECT_EQ(events.size(), 32u);  // 2 constructions + 2 destructions, 8 times
  long sum = 0;
  for (int e : events) sum += e;
  EXPECT_EQ(sum, 0) << "every object constructed was destroyed once";
}

// An object that defines __dso_handle itself (as crtbegin.o does) keeps its
// definition, and its registrations still belong to the dyld.
TEST(CxxRuntime, AHandleTheObjectsDefineThemselvesIsTheDyldsToo) {
  take_events();
  auto h = std::make_unique<Host>();
  ASSERT_TRUE(h->dyld->load_object(compile_cxx(R"(
    extern "C" __attribute__((visibility("hidden"))) void* __dso_handle = &__dso_handle;
    extern "C" void cxx_runtime_test_record(int);
    struct T { int id; ~T() { cxx_runtime_test_record(-id); } };
    extern "C" void make_own(int n) { static T t{n}; }
    extern "C" void* own_handle() { return &__dso_handle; }
  )"), "own.o"));
  ASSERT_FALSE(h->dyld->finalize());
  void* own = h->fn<void*()>("own_handle")();
  EXPECT_EQ(own, h->dyld->get_symbol_local_address("__dso_handle"));
  EXPECT_NE(u64(uintptr_t(own)), h->dyld->cxx_runtime()->dso_handle(0));
  h->fn<void(int)>("make_own")(9);
  EXPECT_EQ(h->dyld->cxx_runtime()->pending(), 1u);
  h->dyld.reset();
  EXPECT_EQ(take_events(), (std::vector<int>{-9}));
}

extern "C" void __cxa_finalize(void* dso);

// Registrations against a handle that is no JIT object's go to the C library.
TEST(CxxRuntime, OtherHandlesPassThroughToTheCLibrary) {
  take_events();
  Host h;
  ASSERT_TRUE(h.dyld->load_object(compile_cxx(R"(
    extern "C" int __cxa_atexit(void (*)(void*), void*, void*);
    extern "C" int __cxa_thread_atexit(void (*)(void*), void*, void*);
    extern "C" int pass_atexit(void (*f)(void*), void* arg, void* dso) { return __cxa_atexit(f, arg, dso); }
    extern "C" int pass_thread(void (*f)(void*), void* arg, void* dso) { return __cxa_thread_atexit(f, arg, dso); }
  )"), "pass.o"));
  ASSERT_FALSE(h.dyld->finalize());
  static char fake_dso;  // a handle the C library has never seen
  auto record = [](void* arg) { cxx_runtime_test_record(int(reinterpret_cast<intptr_t>(arg))); };
  EXPECT_EQ(h.fn<int(void (*)(void*), void*, void*)>("pass_atexit")(record, reinterpret_cast<void*>(77), &fake_dso), 0);
  auto* pass_thread = h.fn<int(void (*)(void*), void*, void*)>("pass_thread");
  std::thread t([&] { EXPECT_EQ(pass_thread(record, reinterpret_cast<void*>(78), &fake_dso), 0); });
  t.join();
  EXPECT_EQ(take_events(), (std::vector<int>{78}));  // the C library ran it at the thread's exit
  EXPECT_EQ(h.dyld->cxx_runtime()->pending(), 0u);
  __cxa_finalize(&fake_dso);  // what the C library holds for that handle
  EXPECT_EQ(take_events(), (std::vector<int>{77}));
}

}  // namespace
}  // namespace jitload
