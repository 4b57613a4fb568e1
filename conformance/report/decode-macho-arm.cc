// Decoding Mach-O ARM/Thumb relocated fields (<mach-o/arm/reloc.h>), read
// backwards from the field at place P. A report's 32-bit Mach-O type is
// r_type in bits 0-3, r_length in bits 4-5 (for HALF: bit 0 the upper
// half, bit 1 Thumb) and r_pcrel in bit 6. Branches decode to the address
// they reach (a Thumb target with its low bit set: BL stays in Thumb, BLX
// switches); a stub of the caller's mode (ARM `ldr pc, [pc, #-4]`, Thumb
// `ldr.w pc, [pc, #0]`, then .long T) is followed to T. A half
// of a movw/movt pair is compared exactly (the other half is another
// field).
#include "conformance/report/decode.h"

namespace jitload::conformance {

namespace {

// Transcribed here on purpose (conformance/ owns its decoders).
enum : u32 {
  kVanilla = 0, kPair = 1, kSectdiff = 2, kLocalSectdiff = 3, kPbLaPtr = 4, kBr24 = 5, kThumbBr22 = 6, kHalf = 8,
  kHalfSectdiff = 9,
};

i64 sext(u64 v, unsigned bits) {
  const u64 sign = u64(1) << (bits - 1);
  return i64((v & ((sign << 1) - 1)) ^ sign) - i64(sign);
}

// A stub of the caller's mode: ARM `ldr pc, [pc, #-4]` (0xe51ff004), its
// target the word after it; Thumb `ldr.w pc, [pc, #0]` (0xf000f8df), whose
// load base is Align(at + 4, 4) as the CPU computes it (LLVM 19's
// RuntimeDyldMachOARM writes one per THUMB_RELOC_BR22, reached by BL, and
// one at an address 2 mod 4 loads another word than the one after it).
bool follow_stub(const MemoryMap& m, u64 at, bool thumb, u64& target) {
  u64 insn = 0;
  if (!m.read(at, 4, insn, "stubs") || insn != (thumb ? 0xf000f8df : 0xe51ff004)) return false;
  return m.read(thumb ? (at + 4) & ~u64(3) : at + 4, 4, target, "stubs");
}

}  // namespace

DecodedField decode_field_macho_arm(const MemoryMap& m, const ReportRelocation& rel, const ReportRelocation*) {
  const LoadReport& r = m.report();
  DecodedField d;
  const ReportSection* sec = r.file_section(rel.object, rel.section_index);
  if (!sec) {
    d.error = "the report has no section " + std::to_string(rel.section_index);
    return d;
  }
  const u32 type = rel.type & 0xf;
  if (type == kPair) {
    d.ok = d.none = true;
    return d;
  }
  if (type == kSectdiff || type == kLocalSectdiff || type == kHalf || type == kHalfSectdiff) {
    d.ok = d.exact = true;
    return d;
  }
  if (type != kVanilla && type != kPbLaPtr && type != kBr24 && type != kThumbBr22) {
    d.error = "Mach-O ARM type " + std::to_string(type) + " has no decoder";
    return d;
  }
  const u64 field = rel.offset;
  if (field > sec->size || 4 > sec->size - field) {
    d.error = "field outside its section";
    return d;
  }
  d.field_offset = field;
  d.width = 4;
  for (unsigned i = 0; i < 4; i++) d.raw |= u64(sec->byte_at(field + i)) << (8 * i);
  const u64 V = d.raw, P = sec->address + field;
  d.kind = "addr";
  u64 reached = 0;
  bool thumb = false;
  switch (type) {
    case kVanilla: case kPbLaPtr:
      d.effective = V;
      d.ok = true;
      return d;
    case kBr24: {
      const bool blx = (V >> 25) == 0x7d;
      i64 off = sext((V & 0xffffff) << 2, 26);
      if (blx) off |= i64((V >> 24) & 1) << 1;
      reached = P + 8 + u64(off);
      thumb = blx;
      break;
    }
    case kThumbBr22: {
      const u64 h1 = V & 0xffff, h2 = V >> 16;
      const u64 s = (h1 >> 10) & 1, i1 = !(((h2 >> 13) & 1) ^ s), i2 = !(((h2 >> 11) & 1) ^ s);
      const i64 off = sext(s << 24 | i1 << 23 | i2 << 22 | (h1 & 0x3ff) << 12 | (h2 & 0x7ff) << 1, 25);
      thumb = h2 & 0x1000;
      reached = (thumb ? P + 4 : (P + 4) & ~u64(3)) + u64(off);
      break;
    }
  }
  u64 target = 0;
  if (follow_stub(m, reached, thumb, target)) {
    d.through_stub = true;
    d.effective = target;
  } else {
    d.effective = reached | (thumb ? 1 : 0);
  }
  d.ok = true;
  return d;
}

}  // namespace jitload::conformance
