// LoongArch64 code loaded by the engine and run: small freestanding C
// programs compiled by clang-19 for loongarch64-linux-gnu (every code model,
// PIC and not, -O0 and -O2, TLS local exec and the forms the loader rewrites
// to it), laid out and relocated for target addresses, then run under
// qemu-loongarch64-static by a freestanding runner (Debian has no LoongArch
// C library). The exit status is compared with what the same C returns when
// compiled for and run on the host.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

class Resolver final : public SymbolResolver {
 public:
  std::map<std::string, u64, std::less<>> map;
  std::optional<u64> lookup(std::string_view name) override {
    auto it = map.find(name);
    if (it == map.end()) return std::nullopt;
    return it->second;
  }
};

// The runner (no C library; raw Linux syscalls, the generic numbers: read
// 63, mmap 222, exit 93): it reads records {address, size, bytes} from stdin,
// maps each at its address (64 KiB granules: the sections are 64 KiB apart,
// and LoongArch kernels may use 16 KiB pages), copies the bytes, then reads
// {entry, tp}, sets $tp (variant I, TCB 0: tp points at the TLS block),
// synchronizes the instruction stream and calls the entry, exiting with the
// low byte of its result. 200/201 are the runner's own failures; a signal
// (SIGILL, SIGSEGV) shows as 128 + its number.
const char* kRunner = R"(
typedef unsigned long long u64;
static long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long a0 __asm__("$a0") = a, a1 __asm__("$a1") = b, a2 __asm__("$a2") = c, a3 __asm__("$a3") = d,
                a4 __asm__("$a4") = e, a5 __asm__("$a5") = f, a7 __asm__("$a7") = n;
  __asm__ volatile("syscall 0" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
                   : "$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7", "$t8", "memory");
  return a0;
}
static unsigned char buf[1 << 22];
static void die(int code) { sys6(93, code, 0, 0, 0, 0, 0); for (;;) {} }
int run(void) {
  u64 n = 0;
  for (;;) {
    long r = sys6(63, 0, (long)(buf + n), (long)(sizeof buf - n), 0, 0, 0);
    if (r < 0) die(200);
    if (r == 0) break;
    n += r;
  }
  u64 at = 0;
  for (;;) {
    u64 addr = *(u64*)(buf + at), size = *(u64*)(buf + at + 8);
    at += 16;
    if (!addr) break;
    u64 page = addr & ~0xffffull, len = ((addr + size + 0xffff) & ~0xffffull) - page;
    if (sys6(222, (long)page, (long)len, 7, 0x32, -1, 0) != (long)page) die(201);
    for (u64 i = 0; i < size; i++) ((unsigned char*)addr)[i] = buf[at + i];
    at += (size + 7) & ~7ULL;
  }
  u64 entry = *(u64*)(buf + at), tp = *(u64*)(buf + at + 8);
  __asm__ volatile("ibar 0" ::: "memory");
  __asm__ volatile("move $tp, %0" :: "r"(tp));
  die(((int (*)(void))entry)() & 0xff);
  return 0;
}
__asm__(".text\n.globl _start\n_start:\n  bl run\n");
)";

// Each program defines `int entry(void)` and may call ext_fn, which returns
// 42 (on the target: two instructions 12 GiB from the code, so a B26 call
// needs the loader's stub; on the host: a C function).
struct Program {
  const char* name;
  const char* source;
};
const Program kPrograms[] = {
    {"table-switch-tls", R"(
    extern int ext_fn(int);
    __thread int tv = 5; static __thread int tz; __thread char tb[64];
    static int table[8] = {3, 1, 4, 1, 5, 9, 2, 6};
    static int sw(int x) { switch (x) { case 0: return 7; case 1: return 2; case 2: return 8; case 3: return 1; case 4: return 4; default: return 3; } }
    int entry(void) {
      tz += 2; tb[9] = 4;
      int s = 0;
      for (int i = 0; i < 8; i++) s += table[i] * sw(i);
      return s + ext_fn(3) + tv + tz + tb[9];
    }
  )"},
    {"calls-globals-pointers", R"(
    extern int ext_fn(int);
    int counter = 10;
    static int arr[4] = {1, 2, 3, 4};
    int* ptrs[3] = {&counter, &arr[1], &arr[3]};
    static int add(int a, int b) { return a + b; }
    __attribute__((noinline)) int mul(int a, int b) { return a * b; }
    int (*ops[2])(int, int) = {add, mul};
    const char* msg = "jitload";
    long long big = 0x123456789abcLL;
    int entry(void) {
      int s = 0;
      for (int i = 0; i < 3; i++) s += *ptrs[i];
      s = ops[1](s, 3) + ops[0](s, ext_fn(1));
      counter++;
      s += counter;
      for (const char* p = msg; *p; p++) s += *p;
      return s + (int)(big >> 36) + mul(arr[2], 5);
    }
  )"},
    {"recursion-tls-models", R"(
    extern int ext_fn(int);
    __attribute__((tls_model("local-exec"))) __thread int le = 7;
    __thread int rewritten = 11;
    static __thread long local_counter;
    struct pair { int a, b; };
    static struct pair pairs[5] = {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
    __attribute__((noinline)) int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
    static int classify(int c) {
      switch (c) { case 'a': return 1; case 'e': return 5; case 'i': return 9; case 'o': return 15; case 'u': return 21; case 'y': return 25; default: return 0; }
    }
    int entry(void) {
      int s = fib(10);
      for (int i = 0; i < 5; i++) { s += pairs[i].a * pairs[i].b; local_counter += i; }
      for (const char* p = "loongarch"; *p; p++) s += classify(*p);
      le += 3; rewritten *= 2;
      return s + le + rewritten + (int)local_counter + ext_fn(0);
    }
  )"},
};

// What the same C returns on the host (its own TLS, ext_fn a C function).
int host_result(const Program& p, const std::string& dir, std::string* out) {
  const std::string base = dir + "/host-" + p.name;
  std::ofstream(base + ".c") << p.source << "\nint ext_fn(int x) { (void)x; return 42; }\n"
                             << "int main(void) { return entry() & 0xff; }\n";
  if (testing::run(std::string(JITLOAD_CLANG) + " -O0 " + base + ".c -o " + base, out) != 0) return -1;
  return testing::run(base, out);
}

TEST(LoongArch, CompiledCRunsUnderQemu) {
  const std::string qemu = "qemu-loongarch64-static";
  if (testing::run("command -v " + qemu + " > /dev/null") != 0)
    GTEST_SKIP() << qemu << " is not installed (qemu-user-static, ci/setup): loaded code cannot be run here "
                 << "(the conformance files still check the same relocations byte by byte)";
  if (testing::run("command -v ld.lld-19 > /dev/null") != 0)
    GTEST_SKIP() << "ld.lld-19 is not installed (lld-19, ci/setup): it links the freestanding runner, without which "
                 << "loaded code cannot be run here";
  // clang-19 turns LSX (128-bit SIMD) on by default for loongarch64; qemu
  // 7.2 (Debian 12's) does not implement it, and vectorized loops would stop
  // at SIGILL: every program here, the runner included, is built without it.
  const std::string target = "--target=loongarch64-linux-gnu -mno-lsx";
  const std::string dir = testing::temp_dir();
  std::ofstream(dir + "/la-runner.c") << kRunner;
  std::string out;
  ASSERT_EQ(testing::run(std::string(JITLOAD_CLANG) + " " + target + " -O2 -ffreestanding -nostdlib -static "
                         "-fno-pic --ld-path=/usr/bin/ld.lld-19 " + dir + "/la-runner.c -o " + dir + "/la-runner", &out), 0)
      << out;
  const u64 far = 0x300000000ull, tls_block = 0x2f000000;
  const char* kFlags[] = {"-O0 -fno-pic -mcmodel=normal",
                          "-O2 -fno-pic -mcmodel=normal",
                          "-O2 -fPIC -mcmodel=normal",
                          // clang-19's driver ignores -mrelax for LoongArch; the
                          // feature itself gives ALIGN (the NOPs it covers run).
                          "-O2 -fPIC -mcmodel=normal -Xclang -target-feature -Xclang +relax",
                          "-O0 -fPIC -mcmodel=medium",
                          "-O2 -fno-pic -mcmodel=medium",
                          "-O2 -fPIC -mcmodel=medium -mtls-dialect=desc",
                          "-O0 -fno-pic -mcmodel=extreme",
                          "-O2 -fno-pic -mcmodel=extreme",
                          "-O2 -fPIC -mcmodel=extreme -ftls-model=initial-exec"};
  int runs = 0;
  for (const Program& p : kPrograms) {
    const int want = host_result(p, dir, &out);
    ASSERT_GE(want, 0) << p.name << ": the host build failed: " << out;
    for (std::string flags : kFlags) {
      const std::string what = std::string(p.name) + " " + flags;
      std::string diag;
      std::vector<u8> obj = testing::compile(p.source, target + " -ffreestanding " + flags, false, &diag);
      ASSERT_FALSE(obj.empty()) << what << ": " << diag;
      PlainMemoryManager memory;
      Resolver resolver;
      resolver.map["ext_fn"] = far;
      RuntimeDyld dyld{memory, &resolver};
      dyld.enable_outcomes(true);
      auto info = dyld.load_object(obj, "c.o");
      ASSERT_TRUE(info) << what << ": " << info.error().message();
      ASSERT_FALSE(testing::map_sections_apart(dyld, 0x20000000)) << what;
      ASSERT_LT(0x20000000 + 0x10000ull * dyld.sections().size(), tls_block) << what;
      Error err = dyld.resolve_relocations();
      ASSERT_FALSE(err) << what << ": " << err.message();
      // The normal model's calls are B26 (±128 MiB): ext_fn, 12 GiB away,
      // is reached through a stub; medium's and extreme's reach it directly.
      bool via_stub = false;
      for (const RelocationOutcome& o : dyld.outcomes(0)) via_stub |= o.via == RelocationOutcome::Via::Stub;
      EXPECT_EQ(via_stub, flags.find("=normal") != std::string::npos) << what;
      const std::vector<u8> image = testing::runner_image(
          dyld, tls_block, dyld.get_symbol("entry")->address,
          {{far, {0x04, 0xa8, 0x80, 0x02, 0x20, 0x00, 0x00, 0x4c}}});  // ext_fn: addi.w $a0, $zero, 42; ret
      std::ofstream(dir + "/la-image.bin", std::ios::binary)
          .write(reinterpret_cast<const char*>(image.data()), image.size());
      const int status = testing::run(qemu + " " + dir + "/la-runner < " + dir + "/la-image.bin");
      EXPECT_EQ(status, want) << what;
      runs++;
    }
  }
  EXPECT_EQ(runs, int(std::size(kPrograms) * std::size(kFlags)));
}

}  // namespace
}  // namespace jitload
