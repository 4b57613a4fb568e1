#include "engine/loader/testing/support.h"

#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/dyld.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#ifndef JITLOAD_CLANG
#define JITLOAD_CLANG "clang-19"
#endif
#ifndef JITLOAD_CLANGXX
#define JITLOAD_CLANGXX "clang++-19"
#endif

namespace jitload::testing {

std::string temp_dir() {
  static std::string dir = [] {
    char tmpl[] = "/tmp/jitload-test-XXXXXX";
    char* d = mkdtemp(tmpl);
    return std::string(d ? d : "/tmp");
  }();
  return dir;
}

int run(const std::string& cmd, std::string* out) {
  std::string full = cmd + " 2>&1";
  FILE* p = popen(full.c_str(), "r");
  if (!p) return -1;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  int status = pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static std::vector<u8> slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<u8>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

static int counter = 0;

std::vector<u8> assemble(const std::string& source, std::string* diag, const std::string& triple) {
  std::string base = temp_dir() + "/a" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  std::ofstream(base + ".s") << source << "\n";
  std::string out;
  if (run("llvm-mc-19 -triple=" + triple + " -filetype=obj -o " + base + ".o " + base + ".s", &out) != 0) {
    if (diag) *diag = out;
    return {};
  }
  return slurp(base + ".o");
}

std::vector<u8> compile(const std::string& source, const std::string& flags, bool cxx, std::string* diag) {
  std::string base = temp_dir() + "/c" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  std::string src = base + (cxx ? ".cc" : ".c");
  std::ofstream(src) << source << "\n";
  std::string out;
  std::string cc = cxx ? JITLOAD_CLANGXX : JITLOAD_CLANG;
  if (run(cc + " -c " + flags + " -o " + base + ".o " + src, &out) != 0) {
    if (diag) *diag = out;
    return {};
  }
  return slurp(base + ".o");
}

namespace {

void tally(MutantOutcome& m, const std::vector<u8>& bytes, bool resolve) {
  PlainMemoryManager mm;
  RuntimeDyld dyld(mm);
  auto r = dyld.load_object(bytes, "mutant.o");
  if (!r) {
    (r.error().message().empty() ? m.unexplained : m.refused)++;
    return;
  }
  m.loaded++;
  if (resolve) (void)dyld.resolve_relocations();
}

}  // namespace

MutantOutcome load_mutants(const std::vector<u8>& base, u64 seed, int count, const std::function<bool(u64)>& spared) {
  MutantOutcome m;
  if (base.empty()) return m;
  u64 state = seed;
  auto next = [&] {  // xorshift64
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int k = 0; k < count; k++) {
    std::vector<u8> o = base;
    for (u64 n = 1 + next() % 4; n; n--) {
      u64 at = next() % o.size();
      while (spared && spared(at)) at = next() % o.size();
      o[at] ^= u8(1 + next() % 255);
    }
    tally(m, o, true);
  }
  return m;
}

MutantOutcome load_byte_variants(const std::vector<u8>& base, u64 end,
                                 const std::function<std::vector<u8>(u8)>& values) {
  MutantOutcome m;
  for (u64 i = 0; i < end && i < base.size(); i++)
    for (u8 v : values(base[i])) {
      std::vector<u8> o = base;
      o[i] = v;
      tally(m, o, false);
    }
  return m;
}

}  // namespace jitload::testing
