#include "engine/loader/core/base.h"

#include <cstdarg>
#include <cstdio>

namespace jitload {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Overflow: return "overflow";
    case ErrorKind::Unresolved: return "unresolved";
    case ErrorKind::Memory: return "memory";
    case ErrorKind::Argument: return "argument";
    case ErrorKind::Io: return "io";
  }
  return "unknown";
}

std::string format(const char* fmt, ...) {
  // One formatting pass into a stack buffer for the usual short message (a
  // loader refusing a fuzz input formats one per input), the second pass
  // only for a longer one.
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::string out;
  if (n > 0 && size_t(n) < sizeof buf) {
    out.assign(buf, size_t(n));
  } else if (n > 0) {
    out.resize(size_t(n));
    std::vsnprintf(out.data(), size_t(n) + 1, fmt, ap2);
  }
  va_end(ap2);
  return out;
}

void Error::release() {
  delete info_;
  info_ = nullptr;
}

std::string hex(u64 value) { return format("0x%llx", (unsigned long long)value); }

}  // namespace jitload
