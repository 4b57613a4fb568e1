// Decoding LoongArch64 relocated fields (little-endian; the LoongArch ELF
// psABI, "Relocations"), each read backwards from the field to what the
// loader aimed at:
// - data forms (32, 64, 32_PCREL, 64_PCREL, the TLS words) give an address
//   or TP offset;
// - branches and calls (B16, B21, B26, PCREL20_S2, CALL36: pcaddu18i +
//   jirl) give an address, one that lands in a loader's stub followed
//   through it;
// - a PC-relative page sequence is decoded whole: the high part (pcalau12i
//   with PCALA_HI20 / GOT_PC_HI20 / TLS_IE_PC_HI20) with the nearest low
//   part of its family after it naming the same symbol and addend, plus
//   the extreme model's LO20/HI12 at +8/+12 when the object has them;
//   each part of the sequence gives the address the whole reaches
//   (through the GOT slot for GOT_PC, the TP offset in it for TLS_IE_PC),
//   whatever each loader's GOT placement; a part without its partner
//   gives its bits ("piece");
// - the absolute families (ABS, GOT, TLS_IE, TLS_LE: lu12i.w; ori;
//   lu32i.d; lu52i.d) likewise, the GOT ones through their slot;
// - label arithmetic (ADD/SUB, ULEB128) gives the field's value ("piece");
// - the TLS forms a loader rewrites (GD/LD/DESC, GD's GOT_PC_LO12 and the
//   call to __tls_get_addr) are compared byte for byte ("exact"); the
//   markers have no field.
#include "conformance/report/arch.h"
#include "conformance/report/decode.h"

namespace jitload::conformance {

namespace {

// Relocation types, transcribed here on purpose (conformance/ owns its own
// decoder; a shared table would hide a wrong constant).
enum : u32 {
  kNone = 0, k32 = 1, k64 = 2, kDtpmod32 = 6, kDtpmod64 = 7, kDtprel32 = 8, kDtprel64 = 9, kTprel32 = 10,
  kTprel64 = 11, kMarkLa = 20, kMarkPcrel = 21, kAdd8 = 47, kAdd16 = 48, kAdd24 = 49, kAdd32 = 50, kAdd64 = 51,
  kSub8 = 52, kSub16 = 53, kSub24 = 54, kSub32 = 55, kSub64 = 56, kB16 = 64, kB21 = 65, kB26 = 66,
  kAbsHi20 = 67, kAbsLo12 = 68, kAbs64Lo20 = 69, kAbs64Hi12 = 70, kPcalaHi20 = 71, kPcalaLo12 = 72,
  kPcala64Lo20 = 73, kPcala64Hi12 = 74, kGotPcHi20 = 75, kGotPcLo12 = 76, kGot64PcLo20 = 77, kGot64PcHi12 = 78,
  kGotHi20 = 79, kGotLo12 = 80, kGot64Lo20 = 81, kGot64Hi12 = 82, kLeHi20 = 83, kLeLo12 = 84, kLe64Lo20 = 85,
  kLe64Hi12 = 86, kIePcHi20 = 87, kIePcLo12 = 88, kIe64PcLo20 = 89, kIe64PcHi12 = 90, kIeHi20 = 91,
  kIeLo12 = 92, kIe64Lo20 = 93, kIe64Hi12 = 94, kLdPcHi20 = 95, kGdPcHi20 = 97, k32Pcrel = 99, kRelax = 100,
  kAlign = 102, kPcrel20S2 = 103, kAdd6 = 105, kSub6 = 106, kAddUleb128 = 107, kSubUleb128 = 108,
  k64Pcrel = 109, kCall36 = 110, kDescPcHi20 = 111, kDescPcLo12 = 112, kDescLd = 119, kDescCall = 120,
  kLeHi20R = 121, kLeAddR = 122, kLeLo12R = 123,
};

u64 sext(u64 v, unsigned bits) {
  if (bits >= 64) return v;
  u64 sign = u64(1) << (bits - 1);
  v &= (u64(1) << bits) - 1;
  return (v ^ sign) - sign;
}
// Immediates: si20 at [24:5], si12/ui12 at [21:10], offs16 at [25:10].
u64 imm20(u32 i) { return (i >> 5) & 0xfffff; }
u64 imm12(u32 i) { return (i >> 10) & 0xfff; }
u64 imm16(u32 i) { return (i >> 10) & 0xffff; }
bool is_pcaddu18i(u32 i) { return (i >> 25) == 0x0f; }
bool is_pcaddu12i(u32 i) { return (i >> 25) == 0x0e; }
bool is_jirl(u32 i) { return (i >> 26) == 0x13; }
bool is_b_or_bl(u32 i) { return (i >> 26) == 0x14 || (i >> 26) == 0x15; }

bool is_defined(const MemoryMap& m, const ReportRelocation& rel) {
  return rel.symbol_is_section || rel.symbol.empty() || m.defines(rel.symbol, rel.object);
}
bool read_insn_at(const MemoryMap& m, u64 at, u32& out, const char* prefer = nullptr) {
  const ReportSection* s = m.section_at(at, 4, prefer);
  return s && MemoryMap::read_insn(*s, at - s->address, out);
}

// A loader's stub: up to six instructions that put a target into a
// register (pcaddu12i or pcalau12i, ld.d, lu12i.w, ori, addi.d) and end in
// jirl $zero.
bool follow_stub(const MemoryMap& m, u64 at, u64& target) {
  u64 x[32] = {};
  for (int step = 0; step < 6; step++, at += 4) {
    u32 i = 0;
    if (!read_insn_at(m, at, i, "stubs")) return false;
    unsigned rd = i & 31, rj = (i >> 5) & 31;
    if (is_jirl(i) && rd == 0) {
      target = x[rj] + (sext(imm16(i), 16) << 2);
      return true;
    }
    u64 v = 0;
    if (is_pcaddu12i(i)) v = at + (sext(imm20(i), 20) << 12);
    else if ((i >> 25) == 0x0d) v = (at & ~u64(0xfff)) + (sext(imm20(i), 20) << 12);  // pcalau12i (JITLink's stubs)
    else if ((i >> 25) == 0x0a) v = sext(imm20(i), 20) << 12;      // lu12i.w
    else if ((i >> 22) == 0x00e) v = x[rj] | imm12(i);              // ori
    else if ((i >> 22) == 0x00b) v = x[rj] + sext(imm12(i), 12);   // addi.d
    else if ((i >> 22) == 0x0a3) {                                  // ld.d
      if (!m.read(x[rj] + sext(imm12(i), 12), 8, v)) return false;
    } else if (i == 0x03400000) continue;  // nop
    else return false;
    if (rd) x[rd] = v;
  }
  return false;
}

struct Family {
  u32 hi, lo, lo20, hi12;
  bool pc;   // pcalau12i-based (else lu12i.w/ori)
  int via;   // 0 direct, 1 GOT slot, 2 TP offset in a GOT slot
};
constexpr Family kFamilies[] = {
    {kPcalaHi20, kPcalaLo12, kPcala64Lo20, kPcala64Hi12, true, 0},
    {kGotPcHi20, kGotPcLo12, kGot64PcLo20, kGot64PcHi12, true, 1},
    {kIePcHi20, kIePcLo12, kIe64PcLo20, kIe64PcHi12, true, 2},
    {kAbsHi20, kAbsLo12, kAbs64Lo20, kAbs64Hi12, false, 0},
    {kGotHi20, kGotLo12, kGot64Lo20, kGot64Hi12, false, 1},
    {kIeHi20, kIeLo12, kIe64Lo20, kIe64Hi12, false, 2},
    {kLeHi20, kLeLo12, kLe64Lo20, kLe64Hi12, false, 3},
};
const Family* family_of(u32 t) {
  for (const Family& f : kFamilies)
    if (t == f.hi || t == f.lo || t == f.lo20 || t == f.hi12) return &f;
  return nullptr;
}

}  // namespace

bool ifunc_resolver_loongarch(const MemoryMap& m, u64 stub, u64& resolver) { return follow_stub(m, stub, resolver); }

DecodedField decode_field_loongarch(const MemoryMap& m, const ReportRelocation& rel, const ReportRelocation* previous) {
  (void)previous;
  const LoadReport& r = m.report();
  DecodedField d;
  const ReportSection* sec = r.file_section(rel.object, rel.section_index);
  if (!sec) {
    d.error = "the report has no section " + std::to_string(rel.section_index);
    return d;
  }
  const u32 t = rel.type;
  if (t == kNone || t == kRelax || t == kAlign || t == kMarkLa || t == kMarkPcrel || t == kLeAddR ||
      t == kSubUleb128) {
    d.ok = d.none = true;
    return d;
  }
  if (t == kGdPcHi20 || t == kLdPcHi20 || t == kDescPcHi20 || t == kDescPcLo12 || t == kDescLd || t == kDescCall) {
    d.ok = d.exact = true;  // rewritten: each loader's own sequence
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
  auto code = [&](unsigned width) {
    d.width = width;
    u64 v = 0;
    if (!m.read_in(*sec, rel.offset, width, v)) {
      d.error = "field outside its section";
      return false;
    }
    insn = u32(v);
    d.raw = v;
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
  auto reach = [&](u64 L) {
    u64 target = 0;
    const ReportSection* s = m.section_at(L, 4, "stubs");
    if (!m.ifunc_at(L) && s && s->kind == "stubs" && follow_stub(m, L, target)) {
      d.through_stub = true;
      d.effective = is_defined(m, rel) ? target : target + A;
    } else {
      d.effective = L;
    }
  };
  // The instruction of relocation `type` of this member's section at place
  // `at`, when the report lists one there with the same symbol and addend.
  auto part_at = [&](u64 at, u32 type, u32& out) {
    u64 found = 0;
    return m.partner_of(rel, type, at, false, true, found) && read_insn_at(m, at, out);
  };
  // The nearest low part after `hi_at` (its family's `lo` type, same symbol
  // and addend), or the nearest high part before `lo_at` (MemoryMap's
  // index: a walk of the report here made a comparison quadratic).
  auto nearest = [&](u64 from, u32 type, bool after, u64& at_out, u32& out) {
    u64 best = 0;
    if (!m.partner_of(rel, type, from, after, false, best) || !read_insn_at(m, best, out)) return false;
    at_out = best;
    return true;
  };
  switch (t) {
    case k32: case k64: case kDtprel32: case kDtprel64: case kTprel32: case kTprel64: case kDtpmod32:
    case kDtpmod64: {
      unsigned w = (t == k64 || t == kDtprel64 || t == kTprel64 || t == kDtpmod64) ? 8 : 4;
      if (!data(w)) return d;
      d.effective = d.raw;
      if (t == kDtpmod32 || t == kDtpmod64) d.kind = "module";
      else if (t != k32 && t != k64) d.kind = "tls";
      break;
    }
    case k32Pcrel:
      if (!data(4)) return d;
      d.effective = sext(d.raw, 32) + P;
      break;
    case k64Pcrel:
      if (!data(8)) return d;
      d.effective = d.raw + P;
      break;
    case kB16:
      if (!code(4)) return d;
      reach(P + (sext(imm16(insn), 16) << 2));
      break;
    case kB21:
      if (!code(4)) return d;
      reach(P + (sext(imm16(insn) | u64(insn & 0x1f) << 16, 21) << 2));
      break;
    case kB26:
      if (!code(4)) return d;
      if (!is_b_or_bl(insn)) {  // a call to __tls_get_addr rewritten away
        d.ok = d.exact = true;
        return d;
      }
      reach(P + (sext(imm16(insn) | u64(insn & 0x3ff) << 16, 26) << 2));
      break;
    case kPcrel20S2:
      if (!code(4)) return d;
      reach(P + (sext(imm20(insn), 20) << 2));
      break;
    case kCall36: {
      if (!code(8)) return d;
      u32 jirl = u32(d.raw >> 32);
      if (!is_pcaddu18i(insn) || !is_jirl(jirl)) {  // a call to __tls_get_addr rewritten away
        d.ok = d.exact = true;
        return d;
      }
      reach(P + (sext(imm20(insn), 20) << 18) + (sext(imm16(jirl), 16) << 2));
      break;
    }
    case kLeHi20R:
      if (!code(4)) return d;
      d.kind = "piece";
      d.effective = imm20(insn);
      break;
    case kLeLo12R:
      if (!code(4)) return d;
      d.kind = "piece";
      d.effective = imm12(insn);
      break;
    case kAddUleb128: {
      u64 v = 0;
      unsigned n = 0;
      for (; n < 10; n++) {
        u64 b = 0;
        if (!m.read_in(*sec, rel.offset + n, 1, b)) {
          d.error = "ULEB128 runs outside its section";
          return d;
        }
        v |= (b & 0x7f) << (7 * n);
        if (!(b & 0x80)) break;
      }
      d.width = n + 1;
      d.raw = v;
      d.kind = "piece";
      d.effective = v;
      break;
    }
    default: {
      if ((t >= kAdd8 && t <= kSub64) || t == kAdd6 || t == kSub6) {
        unsigned w = 1;
        if (t == kAdd64 || t == kSub64) w = 8;
        else if (t == kAdd32 || t == kSub32) w = 4;
        else if (t == kAdd24 || t == kSub24) w = 3;
        else if (t == kAdd16 || t == kSub16) w = 2;
        if (!data(w)) return d;
        d.kind = "piece";
        d.effective = (t == kAdd6 || t == kSub6) ? d.raw & 0x3f : d.raw;
        break;
      }
      const Family* fam = family_of(t);
      if (!fam) {
        d.error = "type " + std::to_string(t) + " has no decoder";
        return d;
      }
      if (!code(4)) return d;
      // GOT_PC_LO12 of a thread-local symbol: general dynamic's low part, rewritten.
      if (t == kGotPcLo12 && (insn >> 22) == 0x00e) {
        d.ok = d.exact = true;
        return d;
      }
      // Find the sequence's parts: the high part's place, its low part, and
      // (extreme) the LO20/HI12 at +8/+12.
      u64 hi_at = 0, lo_at = 0;
      u32 hi = 0, lo = 0, lo20 = 0, hi12 = 0;
      bool have = false;
      if (t == fam->hi) {
        hi_at = P;
        hi = insn;
        have = nearest(P, fam->lo, true, lo_at, lo);
      } else if (t == fam->lo) {
        lo_at = P;
        lo = insn;
        have = nearest(P, fam->hi, false, hi_at, hi);
      } else {
        hi_at = P - (t == fam->lo20 ? 8 : 12);
        have = part_at(hi_at, fam->hi, hi) && nearest(hi_at, fam->lo, true, lo_at, lo);
      }
      bool wide = have && part_at(hi_at + 8, fam->lo20, lo20) && part_at(hi_at + 12, fam->hi12, hi12);
      if (!have) {
        d.kind = "piece";
        d.effective = t == fam->hi || t == fam->lo20 ? imm20(insn) : imm12(insn);
        break;
      }
      u64 value = 0;
      if (fam->pc) {
        value = (hi_at & ~u64(0xfff)) + sext(imm20(hi) << 12, 32);
        value += wide ? (imm20(lo20) << 32 | imm12(hi12) << 52 | (sext(imm12(lo), 12) & 0xffffffffu))
                      : sext(imm12(lo), 12);
      } else {
        value = sext(imm20(hi) << 12, 32) | imm12(lo);
        if (wide) value = (value & 0xffffffffu) | imm20(lo20) << 32 | imm12(hi12) << 52;
      }
      if (fam->via == 1 || fam->via == 2) {
        if (!got_slot(value)) return d;
        if (fam->via == 2) d.kind = "tls";
      } else {
        d.effective = value;
        if (fam->via == 3) d.kind = "tls";
      }
      break;
    }
  }
  d.ok = true;
  return d;
}

}  // namespace jitload::conformance
