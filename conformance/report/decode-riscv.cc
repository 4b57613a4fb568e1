// Decoding RISC-V relocated fields (RV64 and RV32, little-endian; the
// RISC-V ELF psABI, "Relocations"), each read backwards from the field to
// what the loader aimed at:
// - data forms (32, 64, 32_PCREL, PLT32, GOT32_PCREL) give an address (a
//   PLT32 landing in a stub followed through it; GOT32_PCREL through its
//   slot);
// - branches and jumps (BRANCH: B-type, JAL: J-type, RVC_BRANCH: CB,
//   RVC_JUMP: CJ) and calls (CALL, CALL_PLT: auipc + jalr) give an address,
//   a call that lands in a loader's stub followed through the stub;
// - a PC-relative pair is decoded whole: the high part (PCREL_HI20,
//   GOT_HI20, TLS_GOT_HI20 on an auipc) with the low part whose label
//   names its place, the low part with the high part its label names
//   (PCREL_LO12_I/S), so that each gives the address reached (through the
//   GOT slot for GOT_HI20, the TP offset in the slot for TLS_GOT_HI20),
//   whatever each loader's GOT placement; a high part no low names gives
//   its bits ("piece");
// - absolute and TP-relative halves (HI20, LO12_I/S, TPREL_HI20/LO12_I/S)
//   give their bits ("piece");
// - label arithmetic (ADD/SUB/SET, ULEB128) gives the field's value
//   ("piece");
// - the TLS forms a loader rewrites (TLS_GD_HI20 and its low, the call to
//   __tls_get_addr after it, the TLSDESC forms) are compared byte for byte
//   ("exact"); RELAX, ALIGN and TPREL_ADD have no field.
// XLEN is the report's pointer size: addresses wrap modulo 2^32 on RV32.
#include "conformance/report/arch.h"
#include "conformance/report/decode.h"

#include <algorithm>
#include <vector>

namespace jitload::conformance {

namespace {

// Relocation types, transcribed here on purpose (conformance/ owns its own
// decoder; a shared table would hide a wrong constant).
enum : u32 {
  kNone = 0, k32 = 1, k64 = 2, kDtpmod32 = 6, kDtpmod64 = 7, kDtprel32 = 8, kDtprel64 = 9, kTprel32 = 10,
  kTprel64 = 11, kBranch = 16, kJal = 17, kCall = 18, kCallPlt = 19, kGotHi20 = 20, kTlsGotHi20 = 21,
  kTlsGdHi20 = 22, kPcrelHi20 = 23, kPcrelLo12I = 24, kPcrelLo12S = 25, kHi20 = 26, kLo12I = 27, kLo12S = 28,
  kTprelHi20 = 29, kTprelLo12I = 30, kTprelLo12S = 31, kTprelAdd = 32, kAdd8 = 33, kAdd64 = 36, kSub8 = 37,
  kSub64 = 40, kGot32Pcrel = 41, kAlign = 43, kRvcBranch = 44, kRvcJump = 45, kRelax = 51, kSub6 = 52,
  kSet6 = 53, kSet32 = 56, k32Pcrel = 57, kPlt32 = 59, kSetUleb128 = 60, kSubUleb128 = 61, kTlsdescHi20 = 62,
  kTlsdescCall = 65,
};

u64 sext(u64 v, unsigned bits) {
  if (bits >= 64) return v;
  u64 sign = u64(1) << (bits - 1);
  v &= (u64(1) << bits) - 1;
  return (v ^ sign) - sign;
}

bool is_auipc(u32 i) { return (i & 0x7f) == 0x17; }
bool is_jalr(u32 i) { return (i & 0x707f) == 0x67; }
// U-type: imm[31:12] as a sign-extended value; I-type and S-type: imm[11:0].
u64 u_imm(u32 i) { return sext(i & 0xfffff000u, 32); }
u64 i_imm(u32 i) { return sext(i >> 20, 12); }
u64 s_imm(u32 i) { return sext(((i >> 25) << 5) | ((i >> 7) & 0x1f), 12); }
u64 b_imm(u32 i) {
  return sext((((i >> 31) & 1) << 12) | (((i >> 7) & 1) << 11) | (((i >> 25) & 0x3f) << 5) | (((i >> 8) & 0xf) << 1),
              13);
}
u64 j_imm(u32 i) {
  return sext((((i >> 31) & 1) << 20) | (((i >> 12) & 0xff) << 12) | (((i >> 20) & 1) << 11) |
                  (((i >> 21) & 0x3ff) << 1),
              21);
}
u64 cb_imm(u32 i) {
  return sext((((i >> 12) & 1) << 8) | (((i >> 10) & 3) << 3) | (((i >> 5) & 3) << 6) | (((i >> 3) & 3) << 1) |
                  (((i >> 2) & 1) << 5),
              9);
}
u64 cj_imm(u32 i) {
  return sext((((i >> 12) & 1) << 11) | (((i >> 11) & 1) << 4) | (((i >> 9) & 3) << 8) | (((i >> 8) & 1) << 10) |
                  (((i >> 7) & 1) << 6) | (((i >> 6) & 1) << 7) | (((i >> 3) & 7) << 1) | (((i >> 2) & 1) << 5),
              12);
}

bool is_defined(const MemoryMap& m, const ReportRelocation& rel) {
  return rel.symbol_is_section || rel.symbol.empty() || m.defines(rel.symbol, rel.object);
}

bool read_insn_at(const MemoryMap& m, u64 at, u32& out, const char* prefer = nullptr) {
  const ReportSection* s = m.section_at(at, 4, prefer);
  return s && MemoryMap::read_insn(*s, at - s->address, out);
}

// A loader's stub: up to six instructions that put a target into a
// register (auipc, l{w,d} from it, addi, lui) and end in jr (jalr x0). Any
// other instruction: not a stub.
bool follow_stub(const MemoryMap& m, u64 at, u64& target, unsigned word) {
  u64 x[32] = {};
  for (int step = 0; step < 6; step++, at += 4) {
    u32 i = 0;
    if (!read_insn_at(m, at, i, "stubs")) return false;
    unsigned rd = (i >> 7) & 31, rs1 = (i >> 15) & 31, f3 = (i >> 12) & 7;
    if (is_jalr(i) && rd == 0) {
      target = x[rs1] + i_imm(i);
      if (word == 4) target &= 0xffffffffu;
      return true;
    }
    u64 v = 0;
    if (is_auipc(i)) v = at + u_imm(i);
    else if ((i & 0x7f) == 0x37) v = u_imm(i);  // lui
    else if ((i & 0x707f) == 0x13) v = x[rs1] + i_imm(i);  // addi
    else if ((i & 0x7f) == 0x03 && (f3 == 3 || f3 == 2 || f3 == 6)) {  // ld, lw, lwu
      if (!m.read(x[rs1] + i_imm(i), f3 == 3 ? 8 : 4, v)) return false;
    } else if (i == 0x13) continue;  // nop
    else return false;
    if (word == 4) v &= 0xffffffffu;
    if (rd) x[rd] = v;
  }
  return false;
}

// A label's address in the report: the one symbol of that name in the
// relocation's member. A report names a relocation's symbol, not its
// index: no such symbol, or two (a corrupted object), and the label is
// unknown.
bool label_address(const MemoryMap& m, u32 object, const std::string& name, u64& out) {
  std::span<const u32> named = m.symbols_named(object, name);
  if (!named.empty()) out = m.report().symbols[named.back()].address;
  return named.size() == 1 && !name.empty();
}

}  // namespace

bool ifunc_resolver_riscv(const MemoryMap& m, u64 stub, u64& resolver) {
  const ReportArch* a = m.arch();
  return follow_stub(m, stub, resolver, a ? a->pointer_size : 8);
}

DecodedField decode_field_riscv(const MemoryMap& m, const ReportRelocation& rel, const ReportRelocation* previous) {
  (void)previous;
  const LoadReport& r = m.report();
  DecodedField d;
  const ReportSection* sec = r.file_section(rel.object, rel.section_index);
  if (!sec) {
    d.error = "the report has no section " + std::to_string(rel.section_index);
    return d;
  }
  const unsigned word = m.arch() ? m.arch()->pointer_size : 8;
  const u64 mask = word == 4 ? 0xffffffffull : ~u64(0);
  const u32 t = rel.type;
  if (t == kNone || t == kRelax || t == kAlign || t == kTprelAdd) {
    d.ok = d.none = true;
    return d;
  }
  if (t == kTlsGdHi20 || (t >= kTlsdescHi20 && t <= kTlsdescCall)) {
    d.ok = d.exact = true;  // relaxed: each loader's own sequence
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
    if (!m.read_in(*sec, rel.offset, width, v)) {  // little-endian: the report's order
      d.error = "field outside its section";
      return false;
    }
    insn = u32(v);
    d.raw = v;
    return true;
  };
  auto got_slot = [&](u64 slot) {
    d.through_got = d.symbol_only = true;
    if (!m.read(slot & mask, word, d.effective, "got")) {
      d.error = "GOT slot " + hex(slot & mask) + " is not in the report's memory";
      return false;
    }
    return true;
  };
  // A branch or call that lands at L: followed through a stub of the
  // loader's own (for an undefined target, or a defined one too far).
  auto reach = [&](u64 L) {
    L &= mask;
    u64 target = 0;
    const ReportSection* s = m.section_at(L, 4, "stubs");
    if (!m.ifunc_at(L) && s && s->kind == "stubs" && follow_stub(m, L, target, word)) {
      d.through_stub = true;
      d.effective = is_defined(m, rel) ? target : (target + A) & mask;
    } else {
      d.effective = L;
    }
  };
  // The high part of a pair at `at`, with low immediate `lo`: what the pair
  // reaches, per the high part's type (read from the report's relocations).
  auto pair = [&](u64 at, u64 lo) {
    u32 hi = 0;
    if (!read_insn_at(m, at, hi)) {
      d.error = "the high part at " + hex(at) + " is not in the report's memory";
      return false;
    }
    u32 hi_type = 0;
    for (u32 k : m.relocations_at(rel.object, at)) {  // the first in the report's order
      const u32 ht = r.relocations[k].type;
      if (ht == kPcrelHi20 || ht == kGotHi20 || ht == kTlsGotHi20 || ht == kTlsGdHi20) {
        hi_type = ht;
        break;
      }
    }
    if (hi_type == kTlsGdHi20 || !is_auipc(hi)) {  // relaxed general dynamic: each loader's own
      d.exact = true;
      return true;
    }
    u64 value = (at + u_imm(hi) + lo) & mask;
    if (hi_type == kGotHi20) return got_slot(value);
    if (hi_type == kTlsGotHi20) {
      if (!got_slot(value)) return false;
      d.kind = "tls";
      return true;
    }
    d.effective = value;
    return true;
  };
  switch (t) {
    case k32: case k64: case kDtprel32: case kDtprel64: case kTprel32: case kTprel64: case kDtpmod32:
    case kDtpmod64: {
      unsigned w = (t == k64 || t == kDtprel64 || t == kTprel64 || t == kDtpmod64) ? 8 : 4;
      if (!data(w)) return d;
      d.effective = d.raw;
      if (t == kDtpmod32 || t == kDtpmod64) d.kind = "module";
      else if (t != k32 && t != k64) {
        d.kind = "tls";
        // DTPREL is biased by TLS_DTV_OFFSET (psABI "Constants"): the TP offset is 0x800 more.
        if (t == kDtprel32 || t == kDtprel64) d.effective = sext(d.raw, w * 8) + 0x800;
      }
      break;
    }
    case k32Pcrel: case kPlt32:
      if (!data(4)) return d;
      if (t == kPlt32) {  // L + A - P: L the target or a stub
        reach(sext(d.raw, 32) + P - A);
        if (!d.through_stub) d.effective = (d.effective + A) & mask;
      } else {
        d.effective = (sext(d.raw, 32) + P) & mask;
      }
      break;
    case kGot32Pcrel:
      if (!data(4) || !got_slot(sext(d.raw, 32) + P - A)) return d;
      break;
    case kBranch:
      if (!code(4)) return d;
      reach(P + b_imm(insn));
      break;
    case kJal:
      if (!code(4)) return d;
      reach(P + j_imm(insn));
      break;
    case kRvcBranch:
      if (!code(2)) return d;
      reach(P + cb_imm(insn));
      break;
    case kRvcJump:
      if (!code(2)) return d;
      reach(P + cj_imm(insn));
      break;
    case kCall: case kCallPlt: {
      if (!code(8)) return d;
      u32 jalr = u32(d.raw >> 32);
      if (!is_auipc(insn) || !is_jalr(jalr)) {  // a call to __tls_get_addr relaxed away
        d.ok = d.exact = true;
        return d;
      }
      reach(P + u_imm(insn) + i_imm(jalr));
      break;
    }
    case kPcrelHi20: case kGotHi20: case kTlsGotHi20: {
      if (!code(4)) return d;
      // The low part whose label is this auipc: the labels here (symbols of
      // this section at P), then the first low (in the report's order)
      // naming one of them. Through MemoryMap's indexes: log n per high part.
      std::vector<const std::string*> labels;
      for (u32 k : m.symbols_at(rel.object, rel.section_index, P)) {
        const ReportSymbol& y = r.symbols[k];
        u64 unique_at = 0;
        if (label_address(m, rel.object, y.name, unique_at)) labels.push_back(&y.name);
      }
      std::vector<u32> lows;
      for (const std::string* name : labels) {
        for (u32 k : m.relocations_naming(rel.object, *name))
          if (r.relocations[k].type == kPcrelLo12I || r.relocations[k].type == kPcrelLo12S) lows.push_back(k);
      }
      std::sort(lows.begin(), lows.end());
      lows.erase(std::unique(lows.begin(), lows.end()), lows.end());
      bool found = false;
      for (u32 k : lows) {
        const ReportRelocation& lo = r.relocations[k];
        const ReportSection* ls = r.file_section(lo.object, lo.section_index);
        u64 li = 0;
        if (!ls || !m.read_in(*ls, lo.offset, 4, li)) continue;
        if (!pair(P, lo.type == kPcrelLo12I ? i_imm(u32(li)) : s_imm(u32(li)))) return d;
        found = true;
        break;
      }
      if (!found) {
        d.kind = "piece";
        d.effective = insn & 0xfffff000u;
      }
      break;
    }
    case kPcrelLo12I: case kPcrelLo12S: {
      if (!code(4)) return d;
      u64 at = 0;
      if (!label_address(m, rel.object, rel.symbol, at)) {  // no label to pair with: its bits
        d.kind = "piece";
        d.effective = (t == kPcrelLo12I ? i_imm(insn) : s_imm(insn)) & 0xfff;
        break;
      }
      if (!pair(at, t == kPcrelLo12I ? i_imm(insn) : s_imm(insn))) return d;
      if (d.exact) {
        d.ok = true;
        return d;
      }
      break;
    }
    case kHi20: case kTprelHi20:
      if (!code(4)) return d;
      d.kind = "piece";
      d.effective = insn & 0xfffff000u;
      break;
    case kLo12I: case kTprelLo12I:
      if (!code(4)) return d;
      d.kind = "piece";
      d.effective = i_imm(insn) & 0xfff;
      break;
    case kLo12S: case kTprelLo12S:
      if (!code(4)) return d;
      d.kind = "piece";
      d.effective = s_imm(insn) & 0xfff;
      break;
    case kSetUleb128: {
      // The ULEB128 in place, as long as it is.
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
    case kSubUleb128:  // written with its SET_ULEB128
      d.ok = d.none = true;
      return d;
    default:
      if ((t >= kAdd8 && t <= kSub64) || (t >= kSub6 && t <= kSet32)) {
        unsigned w = 1;
        if (t == kAdd64 || t == kSub64) w = 8;
        else if (t == kAdd8 + 2 || t == kSub8 + 2 || t == kSet32) w = 4;
        else if (t == kAdd8 + 1 || t == kSub8 + 1 || t == kSet32 - 1) w = 2;
        if (!data(w)) return d;
        d.kind = "piece";
        d.effective = (t == kSub6 || t == kSet6) ? d.raw & 0x3f : d.raw;
        break;
      }
      d.error = "type " + std::to_string(t) + " has no decoder";
      return d;
  }
  d.ok = true;
  return d;
}

}  // namespace jitload::conformance
