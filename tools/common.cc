#include "tools/common.h"

#include "engine/loader/core/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace jitload::tools {

Expected<std::vector<u8>> read_file(const std::string& path) { return jitload::read_file(path); }
Expected<std::vector<u8>> read_object(const std::string& path) { return jitload::read_object_file(path); }

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
