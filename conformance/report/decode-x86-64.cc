// Decoding x86-64 relocated fields (System V AMD64 psABI §4.4.1, Table
// 4.10; TLS supplement §5.5 for the rewritten sequences). Each formula is
// read backwards: from the field's value V and its place P, recover what
// the loader aimed at — S + A for direct forms, the stub's jump target for
// calls through a stub, the slot's contents for GOT forms.
#include "conformance/report/decode.h"

namespace jitload::conformance {

namespace {

// Relocation types, transcribed here on purpose (conformance/ owns its own
// decoder; a shared table would hide a wrong constant).
enum : u32 {
  kNone = 0, k64 = 1, kPc32 = 2, kPlt32 = 4, kGotpcrel = 9, k32 = 10, k32S = 11, k16 = 12, kPc16 = 13,
  k8 = 14, kPc8 = 15, kDtpmod64 = 16, kDtpoff64 = 17, kTpoff64 = 18, kTlsgd = 19, kTlsld = 20,
  kDtpoff32 = 21, kGottpoff = 22, kTpoff32 = 23, kPc64 = 24, kGotoff64 = 25, kGotpc32 = 26,
  kGot64 = 27, kGotpcrel64 = 28, kGotpc64 = 29, kPltoff64 = 31, kSize32 = 32, kSize64 = 33,
  kGotpcrelx = 41, kRexGotpcrelx = 42,
};

u64 sext(u64 v, unsigned width) {
  if (width >= 8) return v;
  unsigned bits = width * 8;
  u64 sign = u64(1) << (bits - 1);
  v &= (u64(1) << bits) - 1;
  return (v ^ sign) - sign;
}

bool is_defined(const MemoryMap& m, const ReportRelocation& rel) {
  // (In a set: defined in the relocation's own member; a call to another
  // member's function may go through a stub like any external call.)
  return rel.symbol_is_section || rel.symbol.empty() || m.defines(rel.symbol, rel.object);
}

// A stub is `jmp *disp32(%rip)` (ff 25): follow it to the 8-byte target.
bool follow_stub(const MemoryMap& m, u64 at, u64& target) {
  u64 opcode = 0, disp = 0;
  if (!m.read(at, 2, opcode, "stubs") || opcode != 0x25ff) return false;
  if (!m.read(at + 2, 4, disp, "stubs")) return false;
  u64 slot = at + 6 + sext(disp, 4);
  return m.read(slot, 8, target, "stubs") || m.read(slot, 8, target, "got");
}

}  // namespace

bool ifunc_resolver_x86_64(const MemoryMap& m, u64 at, u64& resolver) {
  u64 head = 0, disp = 0;
  // jmp *disp32(%rip) through an 8-byte slot holding the resolver (the
  // reference's IFUNC stub, which stands for the resolver's pick).
  if (follow_stub(m, at, resolver)) return true;
  // lea disp32(%rip), %r11; jmp *(%r11): the engine's, through a slot pair
  // {current target, resolver} (engine/loader/core/arch.h).
  if (!m.read(at, 3, head) || head != 0x1d8d4c || !m.read(at + 3, 4, disp)) return false;
  u64 tail = 0;
  if (!m.read(at + 7, 3, tail) || tail != 0x23ff41) return false;
  return m.read(at + 7 + sext(disp, 4) + 8, 8, resolver);
}

DecodedField decode_field_x86_64(const MemoryMap& m, const ReportRelocation& rel, const ReportRelocation* previous) {
  const LoadReport& r = m.report();
  DecodedField d;
  const ReportSection* sec = r.file_section(rel.object, rel.section_index);
  const std::optional<u64> got = r.got_of(rel.object);
  if (!sec) {
    d.error = "the report has no section " + std::to_string(rel.section_index);
    return d;
  }
  // The call to __tls_get_addr after a TLSGD/TLSLD is part of the rewrite.
  if (previous && previous->section_index == rel.section_index && previous->object == rel.object &&
      (previous->type == kTlsgd || previous->type == kTlsld)) {
    d.ok = d.exact = true;
    return d;
  }
  unsigned width = 0;
  switch (rel.type) {
    case kNone:
      d.ok = d.none = true;
      return d;
    case kTlsgd: case kTlsld:
      d.ok = d.exact = true;
      return d;
    case k8: case kPc8: width = 1; break;
    case k16: case kPc16: width = 2; break;
    case kPc32: case kPlt32: case kGotpcrel: case k32: case k32S: case kDtpoff32: case kGottpoff:
    case kTpoff32: case kGotpc32: case kSize32: case kGotpcrelx: case kRexGotpcrelx:
      width = 4;
      break;
    case k64: case kDtpmod64: case kDtpoff64: case kTpoff64: case kPc64: case kGotoff64: case kGot64:
    case kGotpcrel64: case kGotpc64: case kPltoff64: case kSize64:
      width = 8;
      break;
    default:
      d.error = "type " + std::to_string(rel.type) + " has no decoder";
      return d;
  }
  const u64 A = u64(rel.addend);
  u64 field = rel.offset;
  // A GOTTPOFF whose sequence was rewritten to local exec (TLS supplement
  // §5.5): the thread-pointer offset sits in the new instruction.
  if (rel.type == kGottpoff && field >= 3 && field - 3 + 7 <= sec->size) {
    auto b = [&](u64 at) { return sec->byte_at(at); };
    if (b(field - 3) == 0x48 && b(field - 2) == 0x8d && b(field - 1) == 0x80) {
      // add form → lea x@tpoff(%rax), %rax
      d.kind = "tls";
      d.field_offset = field;
      d.width = 4;
      for (unsigned i = 0; i < 4; i++) d.raw |= u64(b(field + i)) << (8 * i);
      d.effective = sext(d.raw, 4);
      d.symbol_only = true;
      d.ok = true;
      return d;
    }
    if (field + 8 <= sec->size && b(field - 3) == 0x66 && b(field - 2) == 0x90 && b(field - 1) == 0x64 &&
        b(field) == 0x48 && b(field + 1) == 0x8b && b(field + 2) == 0x04 && b(field + 3) == 0x25) {
      // load form → mov %fs:x@tpoff, %rax
      d.kind = "tls";
      d.field_offset = field + 4;
      d.width = 4;
      for (unsigned i = 0; i < 4; i++) d.raw |= u64(b(field + 4 + i)) << (8 * i);
      d.effective = sext(d.raw, 4);
      d.symbol_only = true;
      d.ok = true;
      return d;
    }
  }
  if (field > sec->size || width > sec->size - field) {
    d.error = "field outside its section";
    return d;
  }
  d.field_offset = field;
  d.width = width;
  for (unsigned i = 0; i < width; i++) d.raw |= u64(sec->byte_at(field + i)) << (8 * i);
  const u64 V = d.raw;
  const u64 P = sec->address + field;
  d.kind = "addr";
  auto got_slot = [&](u64 slot) {
    d.through_got = true;
    d.symbol_only = true;
    if (!m.read(slot, 8, d.effective, "got")) {
      d.error = "GOT slot " + hex(slot) + " is not in the report's memory";
      return false;
    }
    return true;
  };
  switch (rel.type) {
    case k64: case k32: case k16: case k8:     // S + A
      d.effective = V;
      break;
    case k32S:                                 // S + A, sign-extended
      d.effective = sext(V, 4);
      break;
    case kPc64: case kPc32: case kPc16: case kPc8:  // S + A - P
      d.effective = sext(V, width) + P;
      break;
    case kPlt32: {                             // L + A - P
      u64 L = sext(V, 4) + P - A;
      u64 target = 0;
      // (An IFUNC's own stub stands for the function the resolver picks:
      // never followed, though the reference lays it out as a call stub.
      // A set's call to another member's IFUNC reaches it directly.)
      if (!is_defined(m, rel) && !m.ifunc_at(L) && follow_stub(m, L, target)) {
        d.through_stub = true;
        d.effective = target + A;
      } else {
        d.effective = L + A;
      }
      break;
    }
    case kGotpcrel: case kGotpcrelx: case kRexGotpcrelx: case kGotpcrel64:  // G + GOT + A - P
      if (!got_slot(sext(V, width) + P - A)) return d;
      break;
    case kGottpoff:                            // G + GOT + A - P, slot holds the TP offset
      d.kind = "tls";
      if (!got_slot(sext(V, 4) + P - A)) return d;
      break;
    case kGot64:                               // G + A
      if (!got) {
        d.error = "GOT64 without a GOT";
        return d;
      }
      if (!got_slot(*got + V - A)) return d;
      break;
    case kGotoff64:                            // S + A - GOT
      if (!got) {
        d.error = "GOTOFF64 without a GOT";
        return d;
      }
      d.effective = V + *got;
      break;
    case kGotpc32: case kGotpc64:              // GOT + A - P
      if (!got) {
        d.error = "GOTPC without a GOT";
        return d;
      }
      d.kind = "got-base";
      d.effective = sext(V, width) + P - *got;
      break;
    case kPltoff64: {                          // L - GOT + A
      if (!got) {
        d.error = "PLTOFF64 without a GOT";
        return d;
      }
      u64 L = V - A + *got;
      u64 target = 0;
      if (!m.ifunc_at(L) && follow_stub(m, L, target)) {
        d.through_stub = true;
        d.effective = target + A;
      } else {
        d.effective = L + A;
      }
      break;
    }
    case kSize32: case kSize64:                // Z + A
      d.kind = "size";
      d.effective = V;
      break;
    case kTpoff32: case kDtpoff32:             // S + A as a TP offset
      d.kind = "tls";
      d.effective = sext(V, 4);
      break;
    case kTpoff64: case kDtpoff64:
      d.kind = "tls";
      d.effective = V;
      break;
    case kDtpmod64:
      d.kind = "module";
      d.effective = V;
      break;
  }
  d.ok = true;
  return d;
}

}  // namespace jitload::conformance
