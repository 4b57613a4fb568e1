#include "engine/loader/testing/support.h"

#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/dyld.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

Error map_sections_apart(RuntimeDyld& dyld, u64 base) {
  const auto secs = dyld.sections();
  for (u32 id = 0; id < secs.size(); id++) {
    if (secs[id].kind == SectionKind::Tls || secs[id].kind == SectionKind::TlsBss) continue;
    if (Error e = dyld.map_section_address(id, base + 0x10000ull * id)) return e;
  }
  return Error::success();
}

std::vector<u8> runner_image(const RuntimeDyld& dyld, u64 tls_block, u64 entry,
                             const std::vector<std::pair<u64, std::vector<u8>>>& extra) {
  std::vector<u8> image, block;
  auto put64 = [&](u64 v) {
    for (int i = 0; i < 8; i++) image.push_back(u8(v >> (8 * i)));
  };
  auto record = [&](u64 addr, const u8* bytes, u64 size) {
    put64(addr);
    put64(size);
    image.insert(image.end(), bytes, bytes + size);
    image.resize((image.size() + 7) & ~size_t(7));
  };
  for (const LoadedSection& s : dyld.sections()) {
    if (s.kind == SectionKind::Tls || s.kind == SectionKind::TlsBss) {
      block.resize(std::max<u64>(block.size(), s.target + s.size));
      if (s.kind == SectionKind::Tls) std::copy(s.local, s.local + s.size, block.begin() + s.target);
      continue;
    }
    if (s.allocatable && s.size) record(s.target, s.local, s.size);
  }
  if (!block.empty()) record(tls_block, block.data(), block.size());
  for (const auto& [addr, bytes] : extra) record(addr, bytes.data(), bytes.size());
  put64(0);
  put64(0);
  put64(entry);
  put64(tls_block);
  return image;
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
