// Dynamic TLS on the host (TlsStrategy::Dynamic, core/tls-runtime.h):
// threads that existed before the load, threads created after it, blocks
// far above the static reserve, the error for initial/local-exec code whose
// block cannot be static, and the static-rewrite strategy left as it was.
// Objects are compiled at test time with clang-19.
#include <gtest/gtest.h>

#include <link.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/core/tls-runtime.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

// Two initialised variables (one in each of .tdata's and .tbss's worlds),
// and `pad` bytes of .tbss to choose the block's size.
std::string source(unsigned pad) {
  return "__thread long first = 0x1234;\n"
         "static __thread int second = 77;\n"
         "__thread char pad[" + std::to_string(pad) + "];\n"
         "long get_first(void) { return first; }\n"
         "int get_second(void) { return second; }\n"
         "long *addr_first(void) { return &first; }\n"
         "int *addr_second(void) { return &second; }\n"
         "char last_pad(void) { return pad[sizeof pad - 1]; }\n"
         "void bump(void) { first++; second++; pad[sizeof pad - 1] = 5; }\n";
}

struct Loaded {
  SectionMemoryManager memory;
  RuntimeDyld dyld{memory};
  long (*get_first)() = nullptr;
  int (*get_second)() = nullptr;
  long* (*addr_first)() = nullptr;
  int* (*addr_second)() = nullptr;
  char (*last_pad)() = nullptr;
  void (*bump)() = nullptr;

  std::string load(const std::vector<u8>& obj) {
    auto info = dyld.load_object(obj, "tls.o");
    if (!info) return info.error().message();
    if (Error err = dyld.finalize()) return err.message();
    auto fn = [&](const char* name) { return dyld.get_symbol(name) ? dyld.get_symbol(name)->address : 0; };
    get_first = reinterpret_cast<long (*)()>(fn("get_first"));
    get_second = reinterpret_cast<int (*)()>(fn("get_second"));
    addr_first = reinterpret_cast<long* (*)()>(fn("addr_first"));
    addr_second = reinterpret_cast<int* (*)()>(fn("addr_second"));
    last_pad = reinterpret_cast<char (*)()>(fn("last_pad"));
    bump = reinterpret_cast<void (*)()>(fn("bump"));
    return get_first && get_second && addr_first && addr_second && last_pad && bump ? "" : "missing symbol";
  }
};

// What one thread sees, before and after its own writes.
struct Seen {
  long first = 0;
  int second = 0;
  char last = 1;
  long* first_at = nullptr;
  int* second_at = nullptr;
  long first_after_bump = 0;
  char last_after_bump = 0;
};

Seen look(Loaded& l) {
  Seen s;
  s.first = l.get_first();
  s.second = l.get_second();
  s.last = l.last_pad();
  s.first_at = l.addr_first();
  s.second_at = l.addr_second();
  l.bump();
  s.first_after_bump = l.get_first();
  s.last_after_bump = l.last_pad();
  return s;
}

void expect_initial(const Seen& s, const char* who) {
  EXPECT_EQ(s.first, 0x1234) << who;
  EXPECT_EQ(s.second, 77) << who;
  EXPECT_EQ(s.last, 0) << who;
  EXPECT_EQ(s.first_after_bump, 0x1235) << who;
  EXPECT_EQ(s.last_after_bump, 5) << who;
}

class PreexistingThread : public ::testing::TestWithParam<std::tuple<const char*, unsigned>> {};

// A thread started before the object is loaded, first touching its TLS
// after the load: general/local-dynamic code gives it the initial image on
// first access, both for a block in the static reserve (small) and for one
// allocated per thread (1 MiB and 16 MiB, far above the 64 KiB reserve).
TEST_P(PreexistingThread, SeesTheInitialImageOnFirstAccess) {
  auto [flags, pad] = GetParam();
  std::string diag;
  auto obj = testing::compile(source(pad), std::string("-O1 ") + flags, false, &diag);
  ASSERT_FALSE(obj.empty()) << diag;

  std::mutex mu;
  std::condition_variable cv;
  Loaded* loaded = nullptr;
  bool done = false;
  Seen early;
  std::thread before([&] {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return loaded != nullptr; });
    early = look(*loaded);
    done = true;
    cv.notify_all();
  });

  Loaded l;
  ASSERT_EQ(l.load(obj), "");
  Seen main_seen = look(l);
  {
    std::lock_guard<std::mutex> lock(mu);
    loaded = &l;
  }
  cv.notify_all();
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
  }
  before.join();
  Seen later;
  std::thread after([&] { later = look(l); });
  after.join();

  expect_initial(main_seen, "loading thread");
  expect_initial(early, "thread started before the load");
  expect_initial(later, "thread started after the load");
  // Each thread has its own block (the two others ran one after the other,
  // so the C library may give the second the first's memory).
  EXPECT_NE(early.first_at, main_seen.first_at);
  EXPECT_NE(later.first_at, main_seen.first_at);
  EXPECT_NE(early.second_at, main_seen.second_at);
  EXPECT_NE(later.second_at, main_seen.second_at);
  // The loading thread's values moved on by its own bump only.
  EXPECT_EQ(l.get_first(), 0x1235);
  EXPECT_EQ(*l.addr_first(), 0x1235);
}

INSTANTIATE_TEST_SUITE_P(Models, PreexistingThread,
                         ::testing::Combine(// -fPIC: 'first' general dynamic, 'second' local dynamic.
                                         ::testing::Values("-fPIC", "-fPIC -ftls-model=local-dynamic",
                                                           "-fPIC -mcmodel=large"),
                                            ::testing::Values(16u, 1u << 20, 16u << 20)));

// Initial-exec and local-exec code reach the static reserve only: a block
// that cannot be there is refused at load, naming the variable, its model
// and the model to compile with.
TEST(DynamicTls, StaticModelTooLargeForTheReserveIsAClearError) {
  for (const char* flags : {"-O1 -ftls-model=local-exec", "-O1 -ftls-model=initial-exec -fPIC"}) {
    std::string diag;
    auto obj = testing::compile(source(1u << 17), flags, false, &diag);
    ASSERT_FALSE(obj.empty()) << diag;
    Loaded l;
    std::string err = l.load(obj);
    EXPECT_NE(err.find("tls.o: its thread-local block"), std::string::npos) << err;
    EXPECT_NE(err.find("does not fit the static TLS reserve"), std::string::npos) << err;
    EXPECT_NE(err.find("compile it with -ftls-model=global-dynamic (or -fPIC)"), std::string::npos) << err;
    const bool ie = std::string(flags).find("initial-exec") != std::string::npos;
    EXPECT_NE(err.find(ie ? "is accessed with initial-exec code (R_X86_64_GOTTPOFF)"
                          : "is accessed with local-exec code (R_X86_64_TPOFF32)"),
              std::string::npos)
        << err;
    EXPECT_TRUE(err.find("'first'") != std::string::npos || err.find("'pad'") != std::string::npos ||
                err.find("'second'") != std::string::npos)
        << err;
  }
}

// Initial-exec code in one object reaching a variable another object
// defines in a per-thread block: an error at resolve naming the variable.
TEST(DynamicTls, InitialExecReferenceToADynamicBlockIsAClearError) {
  std::string diag;
  auto def = testing::compile("__thread char big[1 << 20] = {1};\n"
                              "char *big_at(void) { return big; }\n",
                              "-O1 -fPIC", false, &diag);
  ASSERT_FALSE(def.empty()) << diag;
  auto use = testing::compile("extern __thread char big[1 << 20];\n"
                              "char first(void) { return big[0]; }\n",
                              "-O1 -ftls-model=initial-exec", false, &diag);
  ASSERT_FALSE(use.empty()) << diag;
  SectionMemoryManager memory;
  RuntimeDyld dyld(memory);
  ASSERT_TRUE(dyld.load_object(def, "def.o"));
  ASSERT_TRUE(dyld.load_object(use, "use.o"));
  Error err = dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("initial-exec or local-exec access"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("-ftls-model=global-dynamic"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("references 'big'"), std::string::npos) << err.message();
}

// Releasing the memory manager releases its modules: the keys are dead and
// the static reserve is whole again (another 60 KiB block fits).
TEST(DynamicTls, ModulesAreReleasedWithTheirManager) {
  std::string diag;
  auto obj = testing::compile(source(60u << 10), "-O1 -ftls-model=local-exec", false, &diag);
  ASSERT_FALSE(obj.empty()) << diag;
  u64 key = 0;
  for (int round = 0; round < 3; round++) {
    Loaded l;
    ASSERT_EQ(l.load(obj), "") << "round " << round;
    Seen s = look(l);
    expect_initial(s, "loading thread");
    for (const LoadedSection& sec : l.dyld.sections())
      if (sec.kind == SectionKind::Tls) key = tls::module_key(sec.target);
    EXPECT_TRUE(tls::is_live(key));
    EXPECT_TRUE(tls::static_tp_offset(key).has_value());
  }
  EXPECT_FALSE(tls::is_live(key));
}

// A module id that is not jitload's goes to the C library's
// __tls_get_addr: the test binary's own thread-local variable, named by its
// glibc module id and offset (from dl_iterate_phdr), in two threads.
thread_local long host_variable = 99;
TEST(DynamicTls, ForeignModuleIdsAreForwardedToTheCLibrary) {
  struct Found {
    uintptr_t want;
    u64 module = 0, offset = 0;
  };
  auto find = [] {
    Found f{reinterpret_cast<uintptr_t>(&host_variable)};
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* p) {
          auto* f = static_cast<Found*>(p);
          for (int i = 0; i < info->dlpi_phnum; i++) {
            if (info->dlpi_phdr[i].p_type != PT_TLS || !info->dlpi_tls_data) continue;
            auto data = reinterpret_cast<uintptr_t>(info->dlpi_tls_data);
            if (f->want >= data && f->want - data < info->dlpi_phdr[i].p_memsz) {
              f->module = info->dlpi_tls_modid;
              f->offset = f->want - data;
              return 1;
            }
          }
          return 0;
        },
        &f);
    return f;
  };
  EXPECT_EQ(tls::get_addr_entry(), u64(reinterpret_cast<uintptr_t>(&jitload_tls_get_addr)));
  auto get_addr = &jitload_tls_get_addr;
  Found here = find();
  ASSERT_NE(here.module, 0u);
  EXPECT_FALSE(tls::is_key_address(here.module));
  JitloadTlsIndex index{here.module, here.offset};
  EXPECT_EQ(get_addr(&index), &host_variable);
  void* there = nullptr;
  void* expected = nullptr;
  std::thread([&] {
    there = get_addr(&index);
    expected = &host_variable;
  }).join();
  EXPECT_EQ(there, expected);
  EXPECT_NE(there, static_cast<void*>(&host_variable));
}

}  // namespace
}  // namespace jitload

// Exported by the test binary (ENABLE_EXPORTS): loaded code reaches it.
extern "C" __attribute__((visibility("default"))) thread_local long jitload_test_host_tls = 555;

namespace jitload {
namespace {

// A thread-local variable of the host, reached from loaded general-dynamic
// code through the C library's module id: each thread its own; initial-exec
// code cannot reach it (a clear error).
TEST(DynamicTls, HostThreadLocalVariableFromGeneralDynamicCode) {
  const char* src =
      "extern __thread long jitload_test_host_tls;\n"
      "long *host_at(void) { return &jitload_test_host_tls; }\n"
      "long host_value(void) { return jitload_test_host_tls; }\n";
  std::string diag;
  auto obj = testing::compile(src, "-O1 -fPIC", false, &diag);
  ASSERT_FALSE(obj.empty()) << diag;
  SectionMemoryManager memory;
  RuntimeDyld dyld(memory);
  ASSERT_TRUE(dyld.load_object(obj, "host.o"));
  ASSERT_FALSE(dyld.finalize());
  auto host_at = reinterpret_cast<long* (*)()>(dyld.get_symbol("host_at")->address);
  auto host_value = reinterpret_cast<long (*)()>(dyld.get_symbol("host_value")->address);
  EXPECT_EQ(host_at(), &jitload_test_host_tls);
  EXPECT_EQ(host_value(), 555);
  long* there = nullptr;
  long* expected = nullptr;
  long value = 0;
  std::thread([&] {
    jitload_test_host_tls = 7;
    there = host_at();
    expected = &jitload_test_host_tls;
    value = host_value();
  }).join();
  EXPECT_EQ(there, expected);
  EXPECT_EQ(value, 7);
  EXPECT_EQ(host_value(), 555);

  auto ie = testing::compile(src, "-O1 -ftls-model=initial-exec", false, &diag);
  ASSERT_FALSE(ie.empty()) << diag;
  SectionMemoryManager memory2;
  RuntimeDyld dyld2(memory2);
  ASSERT_TRUE(dyld2.load_object(ie, "host-ie.o"));
  Error err = dyld2.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("reached by general-dynamic code only"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("jitload_test_host_tls"), std::string::npos) << err.message();
}

// The static-rewrite strategy (what simulated targets use) is unchanged:
// general dynamic is rewritten to local exec, no __tls_get_addr is bound.
TEST(DynamicTls, StaticRewriteStrategyRewritesToLocalExec) {
  std::string diag;
  auto obj = testing::compile(source(16), "-O1 -fPIC", false, &diag);
  ASSERT_FALSE(obj.empty()) << diag;
  SectionMemoryManager memory(UnwinderAbi::Auto, TlsStrategy::StaticRewrite);
  RuntimeDyld dyld(memory);
  ASSERT_TRUE(dyld.load_object(obj, "tls.o"));
  ASSERT_FALSE(dyld.finalize());
  for (const ExternalSymbol& x : dyld.externals(0)) EXPECT_NE(x.name, "__tls_get_addr");
  auto get_first = reinterpret_cast<long (*)()>(dyld.get_symbol("get_first")->address);
  EXPECT_EQ(get_first(), 0x1234);
  long new_thread = 0;
  std::thread([&] { new_thread = get_first(); }).join();
  EXPECT_EQ(new_thread, 0x1234) << "threads created after finalize start from the published image";
}

}  // namespace
}  // namespace jitload
