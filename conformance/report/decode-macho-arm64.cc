// Decoding Mach-O arm64 relocated fields (<mach-o/arm64/reloc.h>), read
// backwards from the field. A report's Mach-O type is r_type in bits 0-3
// and r_length in bits 4-5 (both loaders record it so). Instructions and
// data are little-endian.
// - UNSIGNED gives an address; after a SUBTRACTOR, a difference both
//   loaders must write exactly; SUBTRACTOR and ADDEND have no field.
// - BRANCH26 gives an address, followed through a loader's veneer.
// - PAGE21 gives the page; PAGEOFF12 its low 12 bits (unscaled from the
//   instruction's access size). Mach-O lists them in no fixed order (the
//   assembler writes the table backwards, an ADDEND between), so each is
//   combined with a partner of the other half for the same symbol and
//   addend anywhere in the section's table: every ADRP of a symbol reaches
//   the same page. The GOT forms combine likewise and read the slot.
// - POINTER_TO_GOT reads the slot (G, or G - P).
#include "conformance/report/decode.h"

namespace jitload::conformance {

namespace {

// Transcribed here on purpose (conformance/ owns its decoders).
enum : u32 {
  kUnsigned = 0, kSubtractor = 1, kBranch26 = 2, kPage21 = 3, kPageoff12 = 4, kGotLoadPage21 = 5,
  kGotLoadPageoff12 = 6, kPointerToGot = 7, kAddend = 10,
};

u64 sext(u64 v, unsigned bits) {
  u64 sign = u64(1) << (bits - 1);
  v &= (u64(1) << bits) - 1;
  return (v ^ sign) - sign;
}
u64 page(u64 a) { return a & ~u64(0xfff); }
bool is_adrp(u32 insn) { return (insn & 0x9f000000) == 0x90000000; }
u64 adrp_delta(u32 insn) { return sext((u64((insn >> 5) & 0x7ffff) << 2) | ((insn >> 29) & 3), 21) << 12; }
// ADD's immediate, or a load/store's unsigned offset times its access size.
u64 lo12_of(u32 insn) {
  u64 imm = (insn >> 10) & 0xfff;
  if ((insn & 0x3b000000) != 0x39000000) return imm;
  unsigned size = insn >> 30;
  if (size == 0 && (insn & 0x04800000) == 0x04800000) size = 4;
  return imm << size;
}

// ldr x16, #8; br x16; .quad target — the veneer both loaders write.
bool follow_veneer(const MemoryMap& m, u64 at, u64& target) {
  const ReportSection* s = m.section_at(at, 16, "stubs");
  u32 i0 = 0, i1 = 0;
  if (!s || std::string_view(s->kind) != "stubs" || !MemoryMap::read_insn(*s, at - s->address, i0) ||
      !MemoryMap::read_insn(*s, at - s->address + 4, i1))
    return false;
  if (i0 != 0x58000050 || i1 != 0xd61f0200) return false;
  return m.read(at + 8, 8, target, "stubs");
}

}  // namespace

DecodedField decode_field_macho_arm64(const MemoryMap& m, const ReportRelocation& rel,
                                      const ReportRelocation* previous) {
  const LoadReport& r = m.report();
  DecodedField d;
  const ReportSection* sec = r.file_section(rel.object, rel.section_index);
  if (!sec) {
    d.error = "the report has no section " + std::to_string(rel.section_index);
    return d;
  }
  const u32 type = rel.type & 0xf, length = (rel.type >> 4) & 3;
  if (type == kSubtractor || type == kAddend) {
    d.ok = d.none = true;
    return d;
  }
  if (type == kUnsigned && previous && previous->object == rel.object &&
      previous->section_index == rel.section_index && previous->offset == rel.offset &&
      (previous->type & 0xf) == kSubtractor) {
    d.ok = d.exact = true;
    return d;
  }
  const unsigned width = (type == kUnsigned || type == kPointerToGot) && length == 3 ? 8 : 4;
  if (type > kPointerToGot) {
    d.error = "Mach-O arm64 type " + std::to_string(type) + " has no decoder";
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
  const u32 insn = u32(V);
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
  // The other half of a page pair: an entry of `want` type on the same
  // symbol and addend in this section; its page (ADRP) or low bits.
  // (The report's entries naming the symbol, in its order, through
  // MemoryMap's index: a walk of all of them per field was quadratic.)
  auto partner = [&](u32 want, u64& out) {
    for (u32 k : m.relocations_naming(rel.object, rel.symbol)) {
      const ReportRelocation& o = r.relocations[k];
      if (o.object != rel.object || o.section_index != rel.section_index || (o.type & 0xf) != want ||
          o.symbol != rel.symbol || o.addend != rel.addend)
        continue;
      u32 i = 0;
      if (!MemoryMap::read_insn(*sec, o.offset, i)) continue;
      if (want == kPage21 || want == kGotLoadPage21) {
        if (!is_adrp(i)) continue;
        out = page(sec->address + o.offset) + adrp_delta(i);
      } else {
        out = lo12_of(i) & 0xfff;
      }
      return true;
    }
    return false;
  };
  switch (type) {
    case kUnsigned:  // S + A
      d.effective = V;
      break;
    case kPointerToGot:  // G (64-bit), G - P (32-bit)
      if (!got_slot(length == 3 ? V : sext(V, 32) + P)) return d;
      break;
    case kBranch26: {  // S + A - P, or through a veneer
      const u64 L = P + (sext(insn & 0x3ffffff, 26) << 2);
      u64 target = 0;
      if (follow_veneer(m, L, target)) {
        d.through_stub = true;
        d.effective = target + A;
      } else {
        d.effective = L;
      }
      break;
    }
    case kPage21: case kGotLoadPage21: {
      if (!is_adrp(insn)) {
        d.error = "not an ADRP instruction";
        return d;
      }
      const u64 pg = page(P) + adrp_delta(insn);
      u64 lo = 0;
      if (!partner(type == kPage21 ? kPageoff12 : kGotLoadPageoff12, lo)) {
        d.kind = "page";
        d.effective = pg;
        break;
      }
      if (type == kGotLoadPage21) {
        if (!got_slot(pg + lo)) return d;
      } else {
        d.effective = pg + lo;
      }
      break;
    }
    case kPageoff12: case kGotLoadPageoff12: {
      const u64 lo = lo12_of(insn) & 0xfff;
      u64 pg = 0;
      if (!partner(type == kPageoff12 ? kPage21 : kGotLoadPage21, pg)) {
        d.kind = "piece";
        d.effective = lo;
        break;
      }
      if (type == kGotLoadPageoff12) {
        if (!got_slot(pg + lo)) return d;
      } else {
        d.effective = pg + lo;
      }
      break;
    }
  }
  d.ok = true;
  return d;
}

}  // namespace jitload::conformance
