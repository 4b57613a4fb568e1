// Test support (header-only): C and C++ programs compiled at test time
// with clang-19 under the flag sets the conformance tests sweep — with and
// without -fPIC, -ffunction-sections, -mcmodel=large, every TLS model,
// unwind tables — and the helpers to compile and read them.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace jitload::conformance::testing {

// Globals, strings, function pointers, statics, libc calls, a jump table,
// constructors/destructors, common symbols (with -fcommon), a weak
// undefined function, thread-locals (global, static, extern).
inline const char* const kProgramC = R"(
#include <stdio.h>
#include <string.h>
extern int ext_var;
extern void weak_fn(void) __attribute__((weak));
static int counter;
int table[16] = {1, 2, 3, 4};
const char *greeting = "hello, world";
__thread int tls_global = 5;
static __thread int tls_static;
extern __thread int tls_extern;
int common_a;
long common_b[4];
static int helper(int x) { return x * 3 + counter++; }
int (*fp)(int) = helper;
__attribute__((constructor)) static void init(void) { counter = 1; }
__attribute__((destructor)) static void fini(void) { counter = 0; }
int *tls_address(void) { return &tls_global; }
int dispatch(int x) {
  switch (x) {
    case 0: return table[1];
    case 1: return helper(x);
    case 2: return tls_static++;
    case 3: return tls_global;
    case 4: return (int)strlen(greeting);
    case 5: return ext_var;
    case 6: return tls_extern;
    case 7: return *tls_address();
    default: return x;
  }
}
int main(int argc, char **argv) {
  char buf[64];
  strcpy(buf, greeting);
  if (weak_fn) weak_fn();
  tls_global += argc;
  printf("%s %d %d\n", buf, fp(argc), dispatch(argc) + common_a + (int)common_b[argc & 3]);
  return 0;
}
)";

// Exceptions: .gcc_except_table, personality (a hidden weak DW.ref in a
// COMDAT group), typeinfo of a host type, landing pads.
inline const char* const kProgramCxx = R"(
#include <stdexcept>
struct Local { int v; };
static int depth;
int thrower(int x) {
  if (x > 2) throw std::runtime_error("too big");
  if (x < 0) throw Local{x};
  return x + depth;
}
int catcher(int x) {
  try {
    depth++;
    return thrower(x);
  } catch (const std::exception &) {
    return -1;
  } catch (Local l) {
    return l.v;
  }
}
)";

// IFUNC, in assembly (C compilers fold such references away at -O1):
// the symbol's value is a resolver; calls, address-taken uses, GOT slots
// and pointers in data must all reach one stub per symbol.
inline const char* const kProgramIfunc = R"(
    .text
impl:
    leal 1(%rdi), %eax
    ret
resolve:
    leaq impl(%rip), %rax
    ret
    .globl compute
    .type compute, @gnu_indirect_function
    .set compute, resolve
    .type local_compute, @gnu_indirect_function
    .set local_compute, resolve
    .globl use
use:
    call compute
    call local_compute@PLT
    leaq compute(%rip), %rax
    movq compute@GOTPCREL(%rip), %rax
    ret
    .data
ptr: .quad compute
local_ptr: .quad local_compute
)";

struct Variant {
  const char* language;  // "c", "c++" or "assembler"
  const char* flags;
};

inline const std::vector<Variant>& variants() {
  static const std::vector<Variant> v = {
      {"c", "-O0 -fno-pic"},
      {"c", "-O2 -fno-pic"},
      {"c", "-O0 -fPIC"},
      {"c", "-O2 -fPIC"},
      {"c", "-O2 -fPIC -ffunction-sections -fdata-sections"},
      {"c", "-O1 -fno-pic -ffunction-sections -fdata-sections"},
      {"c", "-O1 -fno-pic -mcmodel=large"},
      {"c", "-O1 -fPIC -mcmodel=large"},
      {"c", "-O2 -fno-pic -mcmodel=medium"},
      {"c", "-O2 -fPIC -fcommon"},
      {"c", "-O0 -fno-pic -fcommon"},
      {"c", "-O2 -fno-pic -ftls-model=initial-exec"},
      {"c", "-O2 -fPIC -ftls-model=initial-exec"},
      {"c", "-O2 -fPIC -ftls-model=local-dynamic"},
      {"c", "-O2 -fPIC -ftls-model=global-dynamic"},
      {"c", "-O2 -fno-pic -ftls-model=local-exec"},
      {"c", "-O0 -fPIC -fasynchronous-unwind-tables"},
      {"c", "-O2 -fno-pic -fno-asynchronous-unwind-tables -fno-unwind-tables"},
      {"c", "-O2 -fPIC -fno-plt"},
      {"c++", "-O1 -fPIC"},
      {"c++", "-O0 -fno-pic -ffunction-sections"},
  };
  return v;
}

inline std::string temp_dir() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

inline std::vector<unsigned char> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<unsigned char>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// Compile `source` with clang-19; empty on failure (the caller asserts).
inline std::vector<unsigned char> compile(const std::string& source, const Variant& v, std::string* path_out = nullptr) {
  static int counter = 0;
  std::string stem = temp_dir() + "/jitload-conf-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  std::string lang = v.language;
  std::string src = stem + (lang == "c" ? ".c" : lang == "c++" ? ".cc" : ".s");
  {
    std::ofstream s(src);
    s << source;
  }
  std::string cmd = std::string(JITLOAD_CLANG) + " -x " + v.language + " -c " + v.flags + " " + src + " -o " + stem +
                    ".o 2>&1";
  int rc = std::system(cmd.c_str());
  std::remove(src.c_str());
  if (rc != 0) return {};
  std::vector<unsigned char> bytes = read_bytes(stem + ".o");
  if (path_out) *path_out = stem + ".o";
  else std::remove((stem + ".o").c_str());
  return bytes;
}

inline const char* source_for(const Variant& v) {
  return std::string(v.language) == "c" ? kProgramC : kProgramCxx;
}

}  // namespace jitload::conformance::testing
