#include "reference/elf/outcome.h"

#include <cstdio>

#include "reference/reader.h"

namespace jitload::reference::elf {

Outcome failure(ErrorKind kind, const std::string& why) {
  Outcome o;
  o.ok = false;
  o.kind = kind;
  o.why = why;
  return o;
}

Outcome out_of_range(uint64_t X, const std::string& range) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "out of range: %lld is not in ", (long long)int64_t(X));
  return failure(ErrorKind::Overflow, buf + range);
}

Outcome misaligned(uint64_t X, unsigned align) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "misaligned: 0x%llx is not a multiple of %u", (unsigned long long)X, align);
  return failure(ErrorKind::Overflow, buf);
}

Outcome wrong_insn(uint32_t insn, const char* want) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "is on instruction 0x%08x, not %s: no rewrite to local exec is defined for it", insn,
                want);
  return failure(ErrorKind::Unsupported, buf);
}

uint32_t read_insn(std::span<const uint8_t> b, uint64_t off) { return uint32_t(load_le(b, off, 4)); }
void write_insn(std::span<uint8_t> b, uint64_t off, uint32_t insn) { store_le(b, off, insn, 4); }

unsigned uleb_length(std::span<const uint8_t> b, uint64_t off) {
  for (unsigned n = 0; n < 10; n++) {
    if (off + n >= b.size()) return 0;
    if (!(b[off + n] & 0x80)) return n + 1;
  }
  return 0;
}

uint64_t uleb_value(std::span<const uint8_t> b, uint64_t off, unsigned length) {
  uint64_t v = 0;
  for (unsigned i = 0; i < length; i++) v |= uint64_t(b[off + i] & 0x7f) << (7 * i);
  return v;
}

}  // namespace jitload::reference::elf
