// Decoding Mach-O x86-64 relocated fields (<mach-o/x86_64/reloc.h>), read
// backwards from the field's value V at place P. A report's Mach-O type is
// r_type in bits 0-3 and r_length in bits 4-5 (both loaders record it so).
// Every pc-relative form is relative to the field's end, P + 4.
#include "conformance/report/decode.h"

namespace jitload::conformance {

namespace {

// Transcribed here on purpose (conformance/ owns its decoders).
enum : u32 {
  kUnsigned = 0, kSigned = 1, kBranch = 2, kGotLoad = 3, kGot = 4, kSubtractor = 5, kSigned1 = 6, kSigned2 = 7,
  kSigned4 = 8,
};

u64 sext32(u64 v) { return u64(i64(std::int32_t(u32(v)))); }

bool follow_stub(const MemoryMap& m, u64 at, u64& target) {
  u64 opcode = 0, disp = 0;
  if (!m.read(at, 2, opcode, "stubs") || opcode != 0x25ff) return false;  // jmp *disp32(%rip)
  if (!m.read(at + 2, 4, disp, "stubs")) return false;
  return m.read(at + 6 + sext32(disp), 8, target, "stubs");
}

}  // namespace

DecodedField decode_field_macho_x86_64(const MemoryMap& m, const ReportRelocation& rel,
                                       const ReportRelocation* previous) {
  const LoadReport& r = m.report();
  DecodedField d;
  const ReportSection* sec = r.file_section(rel.object, rel.section_index);
  if (!sec) {
    d.error = "the report has no section " + std::to_string(rel.section_index);
    return d;
  }
  const u32 type = rel.type & 0xf, length = (rel.type >> 4) & 3;
  // A SUBTRACTOR has no field of its own; the UNSIGNED after it holds a
  // difference of two addresses, which both loaders must write exactly.
  if (type == kSubtractor) {
    d.ok = d.none = true;
    return d;
  }
  if (type == kUnsigned && previous && previous->object == rel.object &&
      previous->section_index == rel.section_index && previous->offset == rel.offset &&
      (previous->type & 0xf) == kSubtractor) {
    d.ok = d.exact = true;
    return d;
  }
  unsigned width = 0;
  switch (type) {
    case kUnsigned: width = length == 3 ? 8 : 4; break;
    case kSigned: case kSigned1: case kSigned2: case kSigned4: case kBranch: case kGotLoad: case kGot: width = 4; break;
    default:
      d.error = "Mach-O x86-64 type " + std::to_string(type) + " has no decoder";
      return d;
  }
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
    case kUnsigned:  // S + A
      d.effective = V;
      break;
    case kSigned: case kSigned1: case kSigned2: case kSigned4:  // S + A - (P + 4)
      d.effective = sext32(V) + P + 4;
      break;
    case kBranch: {  // S + A - (P + 4), or L + A - (P + 4) through a stub
      const u64 L = sext32(V) + P + 4 - A;
      u64 target = 0;
      const bool defined = rel.symbol_is_section || rel.symbol.empty() || m.defines(rel.symbol, rel.object);
      if (!defined && follow_stub(m, L, target)) {
        d.through_stub = true;
        d.effective = target + A;
      } else {
        d.effective = L + A;
      }
      break;
    }
    case kGotLoad: case kGot: {  // G + A - (P + 4): the slot holds S
      const u64 slot = sext32(V) + P + 4 - A;
      d.through_got = true;
      d.symbol_only = true;
      // jitload's loaders keep their slots in a GOT area; LLVM's
      // RuntimeDyldMachO appends them to the referring section's stubs.
      const ReportSection* in = m.section_at(slot, 8, "got");
      if (in && in->kind != "got")
        if (const ReportSection* s = m.section_at(slot, 8, "stubs"); s && s->kind == "stubs") in = s;
      if (!in || !m.read_in(*in, slot - in->address, 8, d.effective)) {
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
