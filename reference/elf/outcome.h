// What applying one relocation came to, and the pieces every
// architecture's table builds it from (aarch64.cc, riscv.cc,
// loongarch.cc): the failure messages, the 4-byte little-endian
// instruction words all three machines use, and the ULEB128 fields of
// RISC-V's SET/SUB_ULEB128 and LoongArch's ADD/SUB_ULEB128.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "reference/reference.h"

namespace jitload::reference::elf {

struct Outcome {
  bool ok = true;
  ErrorKind kind = ErrorKind::Overflow;
  std::string why;            // when !ok: the message tail
  std::string status = "applied";
  std::string via = "direct";
  uint64_t value = 0;         // X as encoded (LoongArch: what the field's immediate holds)
  uint64_t effective = 0;
};

Outcome failure(ErrorKind kind, const std::string& why);
// "out of range: X is not in <range>", an Overflow.
Outcome out_of_range(uint64_t X, const std::string& range);
// "misaligned: X is not a multiple of <align>", an Overflow.
Outcome misaligned(uint64_t X, unsigned align);
// A TLS rewrite found another instruction than the sequence's: Unsupported.
Outcome wrong_insn(uint32_t insn, const char* want);

// Instructions are little-endian words on every machine here (AArch64
// big-endian included: only its data is big-endian).
uint32_t read_insn(std::span<const uint8_t> b, uint64_t off);
void write_insn(std::span<uint8_t> b, uint64_t off, uint32_t insn);

// The length of the ULEB128 at `off`, 0 when it does not end within 10
// bytes inside `b`; its value (the caller checked the length).
unsigned uleb_length(std::span<const uint8_t> b, uint64_t off);
uint64_t uleb_value(std::span<const uint8_t> b, uint64_t off, unsigned length);

}  // namespace jitload::reference::elf
