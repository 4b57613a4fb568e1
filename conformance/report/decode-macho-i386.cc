// Decoding Mach-O i386 relocated fields (<mach-o/reloc.h>, the generic
// types), read backwards from the field's value V at place P. A report's
// 32-bit Mach-O type is r_type in bits 0-3, r_length in bits 4-5 and
// r_pcrel in bit 6 (both loaders record it so): a VANILLA entry may be
// either. A pc-relative field is relative to its own end, P + 2^r_length.
#include "conformance/report/decode.h"

namespace jitload::conformance {

namespace {

// Transcribed here on purpose (conformance/ owns its decoders).
enum : u32 { kVanilla = 0, kPair = 1, kSectdiff = 2, kPbLaPtr = 3, kLocalSectdiff = 4, kTlv = 5 };

}  // namespace

DecodedField decode_field_macho_i386(const MemoryMap& m, const ReportRelocation& rel, const ReportRelocation*) {
  const LoadReport& r = m.report();
  DecodedField d;
  const ReportSection* sec = r.file_section(rel.object, rel.section_index);
  if (!sec) {
    d.error = "the report has no section " + std::to_string(rel.section_index);
    return d;
  }
  const u32 type = rel.type & 0xf, length = (rel.type >> 4) & 3;
  const bool pcrel = rel.type & 0x40;
  // A PAIR has no field of its own; a SECTDIFF's field is a difference of
  // two addresses, which both loaders must write exactly.
  if (type == kPair) {
    d.ok = d.none = true;
    return d;
  }
  if (type == kSectdiff || type == kLocalSectdiff) {
    d.ok = d.exact = true;
    return d;
  }
  if (type > kTlv || length > 2) {
    d.error = "Mach-O i386 type " + std::to_string(type) + " has no decoder";
    return d;
  }
  const unsigned width = 1u << length;
  const u64 field = rel.offset;
  if (field > sec->size || width > sec->size - field) {
    d.error = "field outside its section";
    return d;
  }
  d.field_offset = field;
  d.width = width;
  for (unsigned i = 0; i < width; i++) d.raw |= u64(sec->byte_at(field + i)) << (8 * i);
  const u64 V = d.raw, P = sec->address + field, A = u64(rel.addend);
  d.kind = "addr";
  switch (type) {
    case kVanilla: case kPbLaPtr:
      if (!pcrel) {
        d.effective = V;
      } else {
        // The field's end plus the displacement, in a 32-bit space (a 4-byte
        // field wraps); a shorter one is signed.
        const u64 sign = u64(1) << (8 * width - 1);
        d.effective = width == 4 ? u64(u32(P + width + V)) : P + width + ((V ^ sign) - sign);
      }
      break;
    case kTlv: {  // G + A: the slot holds the descriptor's address
      const u64 slot = u64(u32(V - A));
      d.through_got = true;
      d.symbol_only = true;
      if (!m.read(slot, 4, d.effective, "got")) {
        d.error = "GOT slot " + hex(slot) + " is not in the report's memory";
        return d;
      }
      break;
    }
  }
  d.ok = true;
  return d;
}

}  // namespace jitload::conformance
