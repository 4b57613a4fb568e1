// Host execution: C and C++ programs compiled at test time with clang-19,
// loaded with the SectionMemoryManager, resolved against this process,
// finalized and run. Also W^X after finalize and exceptions thrown from
// loaded code caught by the host.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

std::string read_program(const std::string& name) {
  std::ifstream f(std::string(JITLOAD_SOURCE_DIR) + "/corpora/programs/" + name);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Protection of the page holding p, from /proc/self/maps ("r-xp" etc.).
std::string protection_of(const void* p) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  auto a = reinterpret_cast<uintptr_t>(p);
  while (std::getline(maps, line)) {
    unsigned long lo, hi;
    char perms[8];
    if (std::sscanf(line.c_str(), "%lx-%lx %7s", &lo, &hi, perms) == 3 && a >= lo && a < hi) return perms;
  }
  return "?";
}

struct Host {
  SectionMemoryManager memory;
  RuntimeDyld dyld{memory};
};

int run_main(const std::vector<u8>& obj, std::string* diag = nullptr) {
  Host h;
  auto info = h.dyld.load_object(obj, "prog.o");
  if (!info) {
    if (diag) *diag = info.error().message();
    return -1000;
  }
  if (Error err = h.dyld.finalize()) {
    if (diag) *diag = err.message();
    return -1001;
  }
  for (const LoadedSection& s : h.dyld.sections())
    if (s.name.starts_with(".init_array"))
      for (size_t k = 0; k < s.size / 8; k++) reinterpret_cast<void (**)()>(s.local)[k]();
  auto main_sym = h.dyld.get_symbol("main");
  if (!main_sym) return -1002;
  char arg0[] = "prog";
  char* argv[] = {arg0, nullptr};
  return reinterpret_cast<int (*)(int, char**)>(main_sym->address)(1, argv);
}

class Programs : public ::testing::TestWithParam<std::tuple<const char*, const char*>> {};

TEST_P(Programs, RunAndReturnZero) {
  auto [name, flags] = GetParam();
  std::string diag;
  bool cxx = std::string(name).ends_with(".cc");
  auto obj = testing::compile(read_program(name), flags, cxx, &diag);
  ASSERT_FALSE(obj.empty()) << diag;
  testing::run("true");  // flush nothing; keep stdout ordering simple
  int rc = run_main(obj, &diag);
  EXPECT_EQ(rc, 0) << name << " " << flags << ": " << diag;
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, Programs,
    ::testing::Combine(::testing::Values("hello.c", "globals.c", "ctors.c", "tls.c", "math.c", "throw.cc"),
                       ::testing::Values("-O0", "-O2", "-O2 -fPIC", "-O1 -mcmodel=large",
                                         "-O2 -ffunction-sections -fdata-sections",
                                         "-O2 -fno-asynchronous-unwind-tables")),
    [](const auto& info) {
      std::string s = std::string(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
      for (char& c : s) if (!isalnum(u8(c))) c = '_';
      return s;
    });

TEST(HostExecution, WriteXorExecuteAfterFinalize) {
  auto obj = testing::compile("int value = 3; const int ro = 4; int get(void) { return value + ro; }", "-O2");
  ASSERT_FALSE(obj.empty());
  Host h;
  ASSERT_TRUE(h.dyld.load_object(obj, "wx.o"));
  ASSERT_FALSE(h.dyld.finalize());
  const void* code = h.dyld.get_symbol_local_address("get");
  const void* data = h.dyld.get_symbol_local_address("value");
  const void* ro = h.dyld.get_symbol_local_address("ro");
  EXPECT_EQ(protection_of(code).substr(0, 3), "r-x");
  EXPECT_EQ(protection_of(data).substr(0, 3), "rw-");
  EXPECT_EQ(protection_of(ro).substr(0, 3), "r--");
  EXPECT_EQ(reinterpret_cast<int (*)()>(h.dyld.get_symbol("get")->address)(), 7);
}

TEST(HostExecution, ExceptionFromLoadedCodeIsCaughtByHost) {
  auto obj = testing::compile(R"(
    #include <stdexcept>
    extern "C" void fail(int n) { if (n > 2) throw std::out_of_range("too far"); }
  )", "-O2", true);
  ASSERT_FALSE(obj.empty());
  Host h;
  ASSERT_TRUE(h.dyld.load_object(obj, "throw.o"));
  ASSERT_FALSE(h.dyld.finalize());
  auto fail = reinterpret_cast<void (*)(int)>(h.dyld.get_symbol("fail")->address);
  fail(1);
  std::string what;
  try {
    fail(5);
  } catch (const std::out_of_range& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "too far");
}

TEST(HostExecution, TwoObjectsResolveEachOther) {
  auto a = testing::compile("int b_value(void); int a_value(void) { return 40 + b_value(); }", "-O2");
  auto b = testing::compile("int b_value(void) { return 2; }", "-O2");
  Host h;
  ASSERT_TRUE(h.dyld.load_object(a, "a.o"));
  ASSERT_TRUE(h.dyld.load_object(b, "b.o"));
  ASSERT_FALSE(h.dyld.finalize());
  EXPECT_EQ(reinterpret_cast<int (*)()>(h.dyld.get_symbol("a_value")->address)(), 42);
}

TEST(HostExecution, DuplicateStrongDefinitionIsAnErrorAndRollsBack) {
  auto a = testing::compile("int f(void) { return 1; }", "-O2");
  Host h;
  ASSERT_TRUE(h.dyld.load_object(a, "a.o"));
  size_t sections = h.dyld.sections().size();
  auto again = h.dyld.load_object(a, "a2.o");
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message().find("duplicate definition of symbol 'f' (first defined in a.o)"), std::string::npos)
      << again.error().message();
  EXPECT_EQ(h.dyld.sections().size(), sections);
  EXPECT_EQ(h.dyld.object_count(), 1u);
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

TEST(HostExecution, ObjectLoadedAfterFinalizeLeavesFinalizedOnesAlone) {
  // The first object's code is read+exec after finalize; resolving again for
  // the second must not write into it (it would fault).
  auto a = testing::compile("int a_value(void) { return 40; }", "-O2");
  auto b = testing::compile("int a_value(void); int b_value(void) { return a_value() + 2; }", "-O2");
  Host h;
  ASSERT_TRUE(h.dyld.load_object(a, "a.o"));
  ASSERT_FALSE(h.dyld.finalize());
  ASSERT_TRUE(h.dyld.load_object(b, "b.o"));
  ASSERT_FALSE(h.dyld.finalize());
  EXPECT_EQ(reinterpret_cast<int (*)()>(h.dyld.get_symbol("b_value")->address)(), 42);
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

// An IFUNC whose resolver clobbers every argument register, integer and
// vector, and counts its calls: the first call through the trampoline must
// still see its arguments, later calls must not resolve again, and the
// symbol's address must be the same from every object.
TEST(HostExecution, IfuncResolvesOnceAndPreservesArguments) {
  auto ifunc = testing::assemble(R"(
    .text
    .globl resolver_calls
    .data
resolver_calls: .long 0
    .text
impl:                          # double impl(double a, double b, long c) = a * b + c
    mulsd %xmm1, %xmm0
    cvtsi2sd %rdi, %xmm1
    addsd %xmm1, %xmm0
    ret
resolve:
    incl resolver_calls(%rip)
    xorps %xmm0, %xmm0
    xorps %xmm1, %xmm1
    xorps %xmm7, %xmm7
    movq $-1, %rdi
    movq $-1, %rsi
    movq $-1, %rdx
    movq $-1, %rcx
    movq $-1, %r8
    movq $-1, %r9
    leaq impl(%rip), %rax
    ret
    .globl compute
    .type compute, @gnu_indirect_function
    .set compute, resolve
)");
  ASSERT_FALSE(ifunc.empty());
  auto caller = testing::compile(R"(
    double compute(double, double, long);
    double call_compute(double a, double b, long c) { return compute(a, b, c); }
    void* address_of_compute(void) { return (void*)compute; }
  )", "-O2 -fPIC");
  ASSERT_FALSE(caller.empty());
  Host h;
  ASSERT_TRUE(h.dyld.load_object(ifunc, "ifunc.o"));
  ASSERT_TRUE(h.dyld.load_object(caller, "caller.o"));
  ASSERT_FALSE(h.dyld.finalize());
  auto call = reinterpret_cast<double (*)(double, double, long)>(h.dyld.get_symbol("call_compute")->address);
  auto address = reinterpret_cast<void* (*)()>(h.dyld.get_symbol("address_of_compute")->address);
  auto* calls = static_cast<int*>(h.dyld.get_symbol_local_address("resolver_calls"));
  EXPECT_EQ(*calls, 0) << "resolution is lazy: nothing runs at load or finalize";
  EXPECT_EQ(call(1.5, 2.0, 7), 10.0);
  EXPECT_EQ(call(2.5, 2.0, 1), 6.0);
  EXPECT_EQ(*calls, 1);
  EXPECT_EQ(reinterpret_cast<u64>(address()), h.dyld.get_symbol("compute")->address);
  EXPECT_EQ(h.dyld.get_symbol("compute")->flags.type, SymbolType::IFunc);
}

}  // namespace
}  // namespace jitload
