// Decoding AArch64 relocated fields (ELF for the Arm 64-bit Architecture,
// "aaelf64", §5.7 relocation types), little- and big-endian: data fields
// are in the object's byte order (MemoryMap::read_in), instructions are
// little-endian on both (MemoryMap::read_insn). Each formula is read
// backwards from the field to what the loader aimed at:
// - whole-value data forms (ABS/PREL 16/32/64, PLT32, GOTPCREL32) give an
//   address (a PLT32 to an undefined symbol followed through its stub;
//   GOTPCREL32 through its slot);
// - branch and PC-relative forms (CALL26, JUMP26, CONDBR19, TSTBR14,
//   LD_PREL_LO19, ADR_PREL_LO21) give an address; a call that lands in a
//   loader's stub is followed through the stub (a veneer);
// - ADRP forms give a page ("page"); a :lo12: form right after the ADRP
//   of the same symbol combines with it into the address (through the GOT
//   slot for the GOT forms); alone it gives its bits ("piece"), as do the
//   MOVW forms and the TLS local-exec forms;
// - TLS sequences a loader may rewrite (TLSGD, TLSDESC, and IE forms no
//   longer an ADRP/LDR) are compared byte for byte ("exact").
#include "conformance/report/decode.h"

namespace jitload::conformance {

namespace {

// Relocation types, transcribed here on purpose (conformance/ owns its own
// decoder; a shared table would hide a wrong constant).
enum : u32 {
  kNone = 0, kNone2 = 256, kAbs64 = 257, kAbs32 = 258, kAbs16 = 259, kPrel64 = 260, kPrel32 = 261,
  kPrel16 = 262, kMovwUabsG0 = 263, kMovwUabsG3 = 269, kMovwSabsG0 = 270, kMovwSabsG2 = 272,
  kLdPrelLo19 = 273, kAdrPrelLo21 = 274, kAdrPrelPgHi21 = 275, kAdrPrelPgHi21Nc = 276,
  kAddAbsLo12Nc = 277, kLdst8AbsLo12Nc = 278, kTstbr14 = 279, kCondbr19 = 280, kJump26 = 282,
  kCall26 = 283, kLdst16AbsLo12Nc = 284, kLdst32AbsLo12Nc = 285, kLdst64AbsLo12Nc = 286,
  kMovwPrelG0 = 287, kMovwPrelG3 = 293, kLdst128AbsLo12Nc = 299, kGotLdPrel19 = 309, kAdrGotPage = 311,
  kLd64GotLo12Nc = 312, kLd64GotpageLo15 = 313, kPlt32 = 314, kGotpcrel32 = 315,
  kTlsgdFirst = 512, kTlsgdLast = 516, kTlsieAdrGottprelPage21 = 541, kTlsieLd64GottprelLo12Nc = 542,
  kTlsleMovwTprelG2 = 544, kTlsleLdst64TprelLo12Nc = 559, kTlsdescFirst = 560, kTlsdescLast = 569,
  kTlsleLdst128TprelLo12 = 570, kTlsleLdst128TprelLo12Nc = 571,
};

u64 sext(u64 v, unsigned bits) {
  if (bits >= 64) return v;
  u64 sign = u64(1) << (bits - 1);
  v &= (u64(1) << bits) - 1;
  return (v ^ sign) - sign;
}

u64 page(u64 a) { return a & ~u64(0xfff); }

bool is_defined(const MemoryMap& m, const ReportRelocation& rel) {
  return rel.symbol_is_section || rel.symbol.empty() || m.defines(rel.symbol);
}

// ADRP's page delta (immhi:immlo << 12) and ADR's byte delta.
u64 adr_imm(u32 insn) { return sext((u64((insn >> 5) & 0x7ffff) << 2) | ((insn >> 29) & 3), 21); }
bool is_adrp(u32 insn) { return (insn & 0x9f000000) == 0x90000000; }
bool is_adr(u32 insn) { return (insn & 0x9f000000) == 0x10000000; }
// The 12-bit unsigned immediate of ADD (imm) and LDR/STR (unsigned offset),
// scaled for loads and stores by their access size.
u64 lo12_of(u32 insn, bool is_add) {
  u64 imm = (insn >> 10) & 0xfff;
  if (is_add) return imm;
  unsigned size = insn >> 30;
  if ((insn & 0x3b000000) == 0x39000000 && size == 0 && (insn & 0x04800000) == 0x04800000) size = 4;  // 128-bit SIMD
  return imm << size;
}

// A loader's stub or veneer, interpreted: up to six instructions that put
// a target into x16/x17 (MOVZ/MOVK, ADRP, ADD imm, LDR literal, LDR
// unsigned offset) and end in BR. Any other instruction: not a stub.
bool follow_stub(const MemoryMap& m, u64 at, u64& target) {
  u64 x[32] = {};
  for (int step = 0; step < 6; step++, at += 4) {
    const ReportSection* s = m.section_at(at, 4, "stubs");
    u32 i = 0;
    if (!s || !MemoryMap::read_insn(*s, at - s->address, i)) return false;
    unsigned rd = i & 31, rn = (i >> 5) & 31;
    if ((i & 0xfffffc1f) == 0xd61f0000) {  // br xn
      target = x[rn];
      return true;
    }
    if ((i & 0xff800000) == 0xd2800000) x[rd] = u64((i >> 5) & 0xffff) << (16 * ((i >> 21) & 3));  // movz
    else if ((i & 0xff800000) == 0xf2800000) {  // movk
      unsigned sh = 16 * ((i >> 21) & 3);
      x[rd] = (x[rd] & ~(u64(0xffff) << sh)) | (u64((i >> 5) & 0xffff) << sh);
    } else if (is_adrp(i)) x[rd] = page(at) + (adr_imm(i) << 12);
    else if ((i & 0xff800000) == 0x91000000) x[rd] = x[rn] + (u64((i >> 10) & 0xfff) << ((i >> 22) & 1 ? 12 : 0));
    else if ((i & 0xff000000) == 0x58000000) {  // ldr xt, literal
      if (!m.read(at + (sext((i >> 5) & 0x7ffff, 19) << 2), 8, x[rd])) return false;
    } else if ((i & 0xffc00000) == 0xf9400000) {  // ldr xt, [xn, #imm]
      if (!m.read(x[rn] + lo12_of(i, false), 8, x[rd])) return false;
    } else if (i == 0xd503201f) {  // nop
    } else {
      return false;
    }
  }
  return false;
}

}  // namespace

bool ifunc_resolver_aarch64(const MemoryMap& m, u64 stub, u64& resolver) {
  // A stub that loads its target from a slot holding the resolver (the
  // reference's form); an engine stub through a {target, resolver} slot
  // pair is recognised the same way when its first slot still holds the
  // resolver.
  return follow_stub(m, stub, resolver);
}

DecodedField decode_field_aarch64(const MemoryMap& m, const ReportRelocation& rel, const ReportRelocation* previous) {
  const LoadReport& r = m.report();
  DecodedField d;
  const ReportSection* sec = r.file_section(rel.section_index);
  if (!sec) {
    d.error = "the report has no section " + std::to_string(rel.section_index);
    return d;
  }
  const u32 t = rel.type;
  if (t == kNone || t == kNone2) {
    d.ok = d.none = true;
    return d;
  }
  if ((t >= kTlsgdFirst && t <= kTlsgdLast) || (t >= kTlsdescFirst && t <= kTlsdescLast)) {
    d.ok = d.exact = true;  // relaxed or served: each loader's own sequence
    return d;
  }
  const u64 A = u64(rel.addend);
  const u64 P = sec->address + rel.offset;
  d.field_offset = rel.offset;
  d.kind = "addr";
  auto data = [&](unsigned width) {
    d.width = width;
    if (!m.read_in(*sec, rel.offset, width, d.raw)) {
      d.error = "field outside its section";
      return false;
    }
    return true;
  };
  u32 insn = 0;
  auto code = [&]() {
    d.width = 4;
    if (!MemoryMap::read_insn(*sec, rel.offset, insn)) {
      d.error = "field outside its section";
      return false;
    }
    d.raw = insn;
    return true;
  };
  auto got_slot = [&](u64 slot) {
    d.through_got = d.symbol_only = true;
    if (!m.read(slot, 8, d.effective, "got")) {
      d.error = "GOT slot " + hex(slot) + " is not in the report's memory";
      return false;
    }
    return true;
  };
  // The ADRP this :lo12: form completes: the relocation just before it, of
  // the given type, for the same symbol and addend.
  auto paired_page = [&](u32 adrp_type, u64& pg) {
    if (!previous || previous->type != adrp_type || previous->section_index != rel.section_index ||
        previous->symbol != rel.symbol || previous->addend != rel.addend)
      return false;
    u32 a = 0;
    if (!MemoryMap::read_insn(*sec, previous->offset, a) || !is_adrp(a)) return false;
    pg = page(sec->address + previous->offset) + (adr_imm(a) << 12);
    return true;
  };
  auto branch = [&](u64 delta) {
    u64 L = P + delta;
    u64 target = 0;
    if (!is_defined(m, rel) && !m.ifunc_at(L) && m.section_at(L, 4, "stubs") &&
        m.section_at(L, 4, "stubs")->kind == "stubs" && follow_stub(m, L, target)) {
      d.through_stub = true;
      d.effective = target + A;
    } else {
      // A veneer for a defined target too far away.
      const ReportSection* s = m.section_at(L, 4, "stubs");
      if (s && s->kind == "stubs" && follow_stub(m, L, target)) {
        d.through_stub = true;
        d.effective = target;
      } else {
        d.effective = L;
      }
    }
  };
  switch (t) {
    case kAbs64: case kAbs32: case kAbs16: {
      unsigned w = t == kAbs64 ? 8 : t == kAbs32 ? 4 : 2;
      if (!data(w)) return d;
      d.effective = d.raw;
      break;
    }
    case kPrel64: case kPrel32: case kPrel16: {
      unsigned w = t == kPrel64 ? 8 : t == kPrel32 ? 4 : 2;
      if (!data(w)) return d;
      d.effective = sext(d.raw, w * 8) + P;
      break;
    }
    case kPlt32: {
      if (!data(4)) return d;
      u64 L = sext(d.raw, 32) + P - A, target = 0;
      if (!is_defined(m, rel) && !m.ifunc_at(L) && follow_stub(m, L, target)) {
        d.through_stub = true;
        d.effective = target + A;
      } else {
        d.effective = L + A;
      }
      break;
    }
    case kGotpcrel32:
      if (!data(4) || !got_slot(sext(d.raw, 32) + P - A)) return d;
      break;
    case kCall26: case kJump26:
      if (!code()) return d;
      branch(sext(insn & 0x3ffffff, 26) << 2);
      break;
    case kCondbr19: case kLdPrelLo19:
      if (!code()) return d;
      if (t == kCondbr19) branch(sext((insn >> 5) & 0x7ffff, 19) << 2);
      else d.effective = P + (sext((insn >> 5) & 0x7ffff, 19) << 2);
      break;
    case kGotLdPrel19:  // LDR (literal) of the symbol's GOT slot: G(GDAT(S + A)) - P
      if (!code()) return d;
      if (!got_slot(P + (sext((insn >> 5) & 0x7ffff, 19) << 2))) return d;
      break;
    case kTstbr14:
      if (!code()) return d;
      branch(sext((insn >> 5) & 0x3fff, 14) << 2);
      break;
    case kAdrPrelLo21:
      if (!code()) return d;
      if (!is_adr(insn)) {
        d.error = "not an ADR instruction";
        return d;
      }
      d.effective = P + adr_imm(insn);
      break;
    case kAdrPrelPgHi21: case kAdrPrelPgHi21Nc: case kAdrGotPage: case kTlsieAdrGottprelPage21:
      if (!code()) return d;
      if (!is_adrp(insn)) {
        if (t == kTlsieAdrGottprelPage21) {  // initial exec relaxed to local exec
          d.ok = d.exact = true;
          return d;
        }
        d.error = "not an ADRP instruction";
        return d;
      }
      d.kind = "page";
      d.effective = page(P) + (adr_imm(insn) << 12);
      break;
    case kAddAbsLo12Nc: case kLdst8AbsLo12Nc: case kLdst16AbsLo12Nc: case kLdst32AbsLo12Nc:
    case kLdst64AbsLo12Nc: case kLdst128AbsLo12Nc: {
      if (!code()) return d;
      u64 lo = lo12_of(insn, t == kAddAbsLo12Nc) & 0xfff, pg = 0;
      if (paired_page(kAdrPrelPgHi21, pg) || paired_page(kAdrPrelPgHi21Nc, pg)) {
        d.effective = pg + lo;
      } else {
        d.kind = "piece";
        d.effective = lo;
        d.piece_mask = 0xfff;
      }
      break;
    }
    case kLd64GotLo12Nc: case kTlsieLd64GottprelLo12Nc: {
      if (!code()) return d;
      if ((insn & 0xffc00000) != 0xf9400000) {
        if (t == kTlsieLd64GottprelLo12Nc) {
          d.ok = d.exact = true;
          return d;
        }
        d.error = "not a 64-bit LDR";
        return d;
      }
      u64 lo = lo12_of(insn, false), pg = 0;
      if (paired_page(t == kLd64GotLo12Nc ? kAdrGotPage : kTlsieAdrGottprelPage21, pg)) {
        if (t == kTlsieLd64GottprelLo12Nc) d.kind = "tls";
        if (!got_slot(pg + lo)) return d;
      } else {
        d.kind = "piece";
        d.effective = lo;
      }
      break;
    }
    case kLd64GotpageLo15:
      if (!code()) return d;
      d.kind = "piece";
      d.effective = lo12_of(insn, false);
      break;
    default:
      if ((t >= kMovwUabsG0 && t <= kMovwSabsG2) || (t >= kMovwPrelG0 && t <= kMovwPrelG3) ||
          (t >= kTlsleMovwTprelG2 && t <= kTlsleLdst64TprelLo12Nc) || t == kTlsleLdst128TprelLo12 ||
          t == kTlsleLdst128TprelLo12Nc || t == 539 || t == 540) {
        if (!code()) return d;
        // The bits the instruction carries: MOVZ/MOVK/MOVN's 16 (at their
        // shift; MOVN's inverted), ADD's or a load/store's 12.
        d.kind = "piece";
        if ((insn & 0x1f800000) == 0x12800000) {  // move wide
          unsigned sh = 16 * ((insn >> 21) & 3);
          u64 v = u64((insn >> 5) & 0xffff) << sh;
          d.effective = ((insn >> 29) & 3) == 0 ? ~v : v;  // MOVN
          // An absolute MOVZ/MOVK's bits are the address's own.
          if (((insn >> 29) & 3) != 0 && t >= kMovwUabsG0 && t <= kMovwSabsG2) d.piece_mask = u64(0xffff) << sh;
        } else if ((insn & 0x1f000000) == 0x11000000) {  // add imm
          d.effective = u64((insn >> 10) & 0xfff) << ((insn >> 22) & 1 ? 12 : 0);
        } else {
          d.effective = lo12_of(insn, false);
        }
        break;
      }
      d.error = "type " + std::to_string(t) + " has no decoder";
      return d;
  }
  d.ok = true;
  return d;
}

}  // namespace jitload::conformance
