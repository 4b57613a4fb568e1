// Walking and validating an .eh_frame section before it is handed to the
// host unwinder.
//
// Why validate at all: the unwinder trusts what it is given. libgcc parses
// every registered record (at registration on GCC >= 13, at the first throw
// before that) and calls abort() on a pointer encoding it does not know, and
// it walks records by their length fields with no bound but the zero
// terminator. A hostile object must not be able to take the host down that
// way, so the memory manager registers only sections this walker accepts.
//
// What is checked, once, for every record up to the end of the section or
// the first zero length word (the terminator, where unwinders stop too):
//   - the length word and the whole record lie inside the section;
//     64-bit records (length 0xffffffff) are rejected: libgcc cannot walk them;
//   - a CIE: version 1 or 3; a NUL-terminated augmentation string that is
//     empty or starts with 'z' and holds only R P L S B G, with R never after
//     S or G (libgcc's FDE-encoding scan stops at letters it does not know);
//     code/data alignment and return-address column LEB128s inside the
//     record; the 'z' augmentation data inside the record and covering every
//     letter's operands; pointer encodings libgcc can decode without abort():
//     R (the FDE pointer encoding) fixed-size absptr/pcrel only, P and L
//     absptr/pcrel/(indirect), P never omitted;
//   - an FDE: its CIE pointer lands exactly on an earlier, valid CIE of the
//     same section; pc_begin, pc_range and (with 'z') the augmentation data
//     fit in the record.
// Call frame instructions are not interpreted: a bad instruction stops one
// unwind (std::terminate for that throw), it cannot make the unwinder read
// outside the record.
#pragma once

#include <span>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload {

struct EhFrameLayout {
  std::vector<u64> fdes;  // offset of each FDE (its length word) in the section
  u32 cie_count = 0;
  u64 end = 0;            // where the walk stopped: a zero length word, or the section end
  bool terminated = false;  // the walk stopped at a zero length word inside the section
};

// Walks `bytes` (an .eh_frame section, without relying on anything after it).
// Errors are Malformed or Unsupported and name ".eh_frame+0xOFF".
Expected<EhFrameLayout> parse_eh_frame(std::span<const u8> bytes);

}  // namespace jitload
