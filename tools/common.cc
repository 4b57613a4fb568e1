#include "tools/common.h"

#include "engine/loader/core/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace jitload::tools {

Expected<std::vector<u8>> read_file(const std::string& path) { return jitload::read_file(path); }
Expected<std::vector<u8>> read_object(const std::string& path) { return jitload::read_object_file(path); }

std::string not_for_this_host(std::span<const u8> b) {
#if defined(__x86_64__)
  constexpr unsigned kHostElf = 62, kHostMachO = 0x01000007;  // EM_X86_64, CPU_TYPE_X86_64
  constexpr bool kHostBig = false;
#elif defined(__aarch64__)
  constexpr unsigned kHostElf = 183, kHostMachO = 0x0100000c;  // EM_AARCH64, CPU_TYPE_ARM64
  constexpr bool kHostBig = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
#else
  constexpr unsigned kHostElf = 0, kHostMachO = 0;
  constexpr bool kHostBig = false;
#endif
  auto elf_name = [](unsigned m) -> const char* {
    switch (m) {
      case 3: return "i386";
      case 8: return "MIPS";
      case 20: return "PowerPC";
      case 21: return "PowerPC64";
      case 22: return "SystemZ";
      case 40: return "ARM";
      case 62: return "x86-64";
      case 183: return "AArch64";
      case 243: return "RISC-V";
      case 258: return "LoongArch";
      default: return "another machine";
    }
  };
  if (b.size() >= 20 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') {
    const bool big = b[5] == 2;
    const unsigned m = big ? unsigned(b[18]) << 8 | b[19] : unsigned(b[19]) << 8 | b[18];
    if (m != kHostElf || big != kHostBig || b[4] != 2)
      return format("an ELF object for %s (e_machine %u, %s-endian, ELFCLASS%u)", elf_name(m), m, big ? "big" : "little",
                    b[4] == 1 ? 32 : b[4] == 2 ? 64 : unsigned(b[4]));
    return "";
  }
  if (b.size() >= 8 && ((b[0] == 0xcf || b[0] == 0xce) && b[1] == 0xfa && b[2] == 0xed && b[3] == 0xfe)) {
    const unsigned cpu = unsigned(b[4]) | unsigned(b[5]) << 8 | unsigned(b[6]) << 16 | unsigned(b[7]) << 24;
    if (cpu != kHostMachO || b[0] != 0xcf) return format("a Mach-O object for CPU type 0x%x", cpu);
    return "";
  }
  if (b.size() >= 4 && b[0] == 0xfe && b[1] == 0xed && b[2] == 0xfa) return "a big-endian Mach-O object";
  return "";
}

int read_failure_status(const Error& e) { return e.kind() == ErrorKind::Unsupported ? kExitFailed : kExitUnreadable; }

std::optional<u64> parse_u64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  u64 v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
    if (d >= base) return std::nullopt;
    if (v > (~u64(0) - u64(d)) / u64(base)) return std::nullopt;
    v = v * u64(base) + u64(d);
  }
  return v;
}

std::optional<std::pair<std::string, u64>> parse_assignment(std::string_view s) {
  size_t eq = s.rfind('=');
  if (eq == std::string_view::npos || eq == 0) return std::nullopt;
  auto v = parse_u64(s.substr(eq + 1));
  if (!v) return std::nullopt;
  return std::pair{std::string(s.substr(0, eq)), *v};
}

std::optional<std::string> option_value(int argc, char** argv, int& i, std::string_view name) {
  std::string_view a = argv[i];
  if (a == name) {
    if (i + 1 >= argc) return std::nullopt;
    return std::string(argv[++i]);
  }
  if (a.size() > name.size() && a.starts_with(name) && a[name.size()] == '=')
    return std::string(a.substr(name.size() + 1));
  return std::nullopt;
}

bool missing_value(int argc, int i, std::string_view arg, std::initializer_list<std::string_view> names) {
  if (i + 1 < argc) return false;
  for (std::string_view n : names)
    if (arg == n) return true;
  return false;
}

u64 fnv1a(const u8* p, size_t n) {
  u64 h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

}  // namespace jitload::tools
