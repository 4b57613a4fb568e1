// LoongArch64 for the reference loader: one table, one row per relocation
// type, each citing the psABI section it comes from; then apply(), one
// switch on the formula for X and one on the encoding. See loongarch.h
// and reference.h, "LoongArch".
#include "reference/elf/loongarch.h"

#include <cstdio>

#include "reference/reader.h"

namespace jitload::reference::loongarch {

using elf::failure;
using elf::misaligned;
using elf::read_insn;
using elf::wrong_insn;
using elf::write_insn;

namespace {

const char* const kTable = "LoongArch psABI, Relocations, the relocation table";
const char* const kAbs = "LoongArch psABI, Code Models: lu12i.w/ori/lu32i.d/lu52i.d (%abs_hi20 ... %abs64_hi12)";
const char* const kPc = "LoongArch psABI, Code Models: pcalau12i + si12, extreme adds lu32i.d/lu52i.d (%pc_hi20 ...)";
const char* const kGot = "LoongArch psABI, Relocations, GOT forms (one slot per symbol: reference.h)";
const char* const kBranch = "LoongArch psABI, Relocations, B16/B21/B26 (B26 through a stub when far: reference.h)";
const char* const kCallSrc = "LoongArch psABI, Relocations, CALL36: pcaddu18i + jirl (stub when far: reference.h)";
const char* const kLE = "LoongArch psABI, Thread Local Storage, Local Exec";
const char* const kIE = "LoongArch psABI, Thread Local Storage, Initial Exec (a GOT slot holding the TP offset)";
const char* const kGD = "LoongArch psABI, Thread Local Storage, General/Local Dynamic, rewritten to local exec (reference.h)";
const char* const kDesc = "LoongArch psABI, Thread Local Storage, TLS descriptors, rewritten to local exec (reference.h)";
const char* const kLabel = "LoongArch psABI, Relocations, ADD/SUB label arithmetic";
const char* const kUleb = "LoongArch psABI, Relocations, ADD_ULEB128/SUB_ULEB128";
const char* const kMark = "LoongArch psABI, Relocations, markers (RELAX, ALIGN, MARK_*): kept, not relaxed (reference.h)";
const char* const kDyn = "LoongArch psABI, Relocations, dynamic TLS words (one static module: reference.h)";

using F = Formula;
using E = Enc;

// type, name, formula, encoding, tls, composes, wide partner, source
const Row kRows[] = {
    {0, "R_LARCH_NONE", F::None, E::None, false, false, 0, kTable},
    {1, "R_LARCH_32", F::S_A, E::Data32, false, false, 0, kTable},
    {2, "R_LARCH_64", F::S_A, E::Data64, false, false, 0, kTable},
    {6, "R_LARCH_TLS_DTPMOD32", F::DTPMOD, E::Data32, true, false, 0, kDyn},
    {7, "R_LARCH_TLS_DTPMOD64", F::DTPMOD, E::Data64, true, false, 0, kDyn},
    {8, "R_LARCH_TLS_DTPREL32", F::DTPREL, E::Data32, true, false, 0, kDyn},
    {9, "R_LARCH_TLS_DTPREL64", F::DTPREL, E::Data64, true, false, 0, kDyn},
    {10, "R_LARCH_TLS_TPREL32", F::TPREL, E::Data32, true, false, 0, kDyn},
    {11, "R_LARCH_TLS_TPREL64", F::TPREL, E::Data64, true, false, 0, kDyn},
    {20, "R_LARCH_MARK_LA", F::None, E::None, false, false, 0, kMark},
    {21, "R_LARCH_MARK_PCREL", F::None, E::None, false, false, 0, kMark},
    {47, "R_LARCH_ADD8", F::Add, E::Data8, false, true, 0, kLabel},
    {48, "R_LARCH_ADD16", F::Add, E::Data16, false, true, 0, kLabel},
    {49, "R_LARCH_ADD24", F::Add, E::Data24, false, true, 0, kLabel},
    {50, "R_LARCH_ADD32", F::Add, E::Data32, false, true, 0, kLabel},
    {51, "R_LARCH_ADD64", F::Add, E::Data64, false, true, 0, kLabel},
    {52, "R_LARCH_SUB8", F::Sub, E::Data8, false, true, 0, kLabel},
    {53, "R_LARCH_SUB16", F::Sub, E::Data16, false, true, 0, kLabel},
    {54, "R_LARCH_SUB24", F::Sub, E::Data24, false, true, 0, kLabel},
    {55, "R_LARCH_SUB32", F::Sub, E::Data32, false, true, 0, kLabel},
    {56, "R_LARCH_SUB64", F::Sub, E::Data64, false, true, 0, kLabel},
    {64, "R_LARCH_B16", F::S_A_P, E::B16, false, false, 0, kBranch},
    {65, "R_LARCH_B21", F::S_A_P, E::B21, false, false, 0, kBranch},
    {66, "R_LARCH_B26", F::Call, E::B26, false, false, 0, kBranch},
    {67, "R_LARCH_ABS_HI20", F::S_A, E::AbsHi20, false, false, 69, kAbs},
    {68, "R_LARCH_ABS_LO12", F::S_A, E::Lo12, false, false, 0, kAbs},
    {69, "R_LARCH_ABS64_LO20", F::S_A, E::AbsLo20, false, false, 0, kAbs},
    {70, "R_LARCH_ABS64_HI12", F::S_A, E::AbsHi12, false, false, 0, kAbs},
    {71, "R_LARCH_PCALA_HI20", F::S_A, E::PageHi20, false, false, 73, kPc},
    {72, "R_LARCH_PCALA_LO12", F::S_A, E::Lo12, false, false, 0, kPc},
    {73, "R_LARCH_PCALA64_LO20", F::S_A, E::PageLo20, false, false, 0, kPc},
    {74, "R_LARCH_PCALA64_HI12", F::S_A, E::PageHi12, false, false, 0, kPc},
    {75, "R_LARCH_GOT_PC_HI20", F::Got, E::PageHi20, false, false, 77, kGot},
    {76, "R_LARCH_GOT_PC_LO12", F::Got, E::Lo12, false, false, 0, kGot},
    {77, "R_LARCH_GOT64_PC_LO20", F::Got, E::PageLo20, false, false, 0, kGot},
    {78, "R_LARCH_GOT64_PC_HI12", F::Got, E::PageHi12, false, false, 0, kGot},
    {79, "R_LARCH_GOT_HI20", F::Got, E::AbsHi20, false, false, 81, kGot},
    {80, "R_LARCH_GOT_LO12", F::Got, E::Lo12, false, false, 0, kGot},
    {81, "R_LARCH_GOT64_LO20", F::Got, E::AbsLo20, false, false, 0, kGot},
    {82, "R_LARCH_GOT64_HI12", F::Got, E::AbsHi12, false, false, 0, kGot},
    {83, "R_LARCH_TLS_LE_HI20", F::TPREL, E::AbsHi20, true, false, 85, kLE},
    {84, "R_LARCH_TLS_LE_LO12", F::TPREL, E::Lo12, true, false, 0, kLE},
    {85, "R_LARCH_TLS_LE64_LO20", F::TPREL, E::AbsLo20, true, false, 0, kLE},
    {86, "R_LARCH_TLS_LE64_HI12", F::TPREL, E::AbsHi12, true, false, 0, kLE},
    {87, "R_LARCH_TLS_IE_PC_HI20", F::TpGot, E::PageHi20, true, false, 89, kIE},
    {88, "R_LARCH_TLS_IE_PC_LO12", F::TpGot, E::Lo12, true, false, 0, kIE},
    {89, "R_LARCH_TLS_IE64_PC_LO20", F::TpGot, E::PageLo20, true, false, 0, kIE},
    {90, "R_LARCH_TLS_IE64_PC_HI12", F::TpGot, E::PageHi12, true, false, 0, kIE},
    {91, "R_LARCH_TLS_IE_HI20", F::TpGot, E::AbsHi20, true, false, 93, kIE},
    {92, "R_LARCH_TLS_IE_LO12", F::TpGot, E::Lo12, true, false, 0, kIE},
    {93, "R_LARCH_TLS_IE64_LO20", F::TpGot, E::AbsLo20, true, false, 0, kIE},
    {94, "R_LARCH_TLS_IE64_HI12", F::TpGot, E::AbsHi12, true, false, 0, kIE},
    {95, "R_LARCH_TLS_LD_PC_HI20", F::GdHi, E::Rewrite, true, false, 0, kGD},
    {97, "R_LARCH_TLS_GD_PC_HI20", F::GdHi, E::Rewrite, true, false, 0, kGD},
    {99, "R_LARCH_32_PCREL", F::S_A_P, E::Data32, false, false, 0, kTable},
    {100, "R_LARCH_RELAX", F::None, E::None, false, false, 0, kMark},
    {102, "R_LARCH_ALIGN", F::None, E::None, false, false, 0, kMark},
    {103, "R_LARCH_PCREL20_S2", F::S_A_P, E::Pcaddi, false, false, 0, kTable},
    {105, "R_LARCH_ADD6", F::Add, E::Data6, false, true, 0, kLabel},
    {106, "R_LARCH_SUB6", F::Sub, E::Data6, false, true, 0, kLabel},
    {107, "R_LARCH_ADD_ULEB128", F::AddUleb, E::Uleb, false, false, 0, kUleb},
    {108, "R_LARCH_SUB_ULEB128", F::SubUleb, E::Uleb, false, false, 0, kUleb},
    {109, "R_LARCH_64_PCREL", F::S_A_P, E::Data64, false, false, 0, kTable},
    {110, "R_LARCH_CALL36", F::Call, E::Call36, false, false, 0, kCallSrc},
    {111, "R_LARCH_TLS_DESC_PC_HI20", F::DescNop, E::Rewrite, true, false, 0, kDesc},
    {112, "R_LARCH_TLS_DESC_PC_LO12", F::DescNop, E::Rewrite, true, false, 0, kDesc},
    {119, "R_LARCH_TLS_DESC_LD", F::DescLd, E::Rewrite, true, false, 0, kDesc},
    {120, "R_LARCH_TLS_DESC_CALL", F::DescCall, E::Rewrite, true, false, 0, kDesc},
    {121, "R_LARCH_TLS_LE_HI20_R", F::TPREL, E::HiR20, true, false, 0, kLE},
    {122, "R_LARCH_TLS_LE_ADD_R", F::None, E::None, true, false, 0, kLE},
    {123, "R_LARCH_TLS_LE_LO12_R", F::TPREL, E::Lo12, true, false, 0, kLE},
};

// Types with a name but no row: refused, named in the message.
struct Name {
  uint32_t type;
  const char* name;
};
const Name kOtherNames[] = {
    {3, "R_LARCH_RELATIVE"}, {4, "R_LARCH_COPY"}, {5, "R_LARCH_JUMP_SLOT"}, {12, "R_LARCH_IRELATIVE"},
    {13, "R_LARCH_TLS_DESC32"}, {14, "R_LARCH_TLS_DESC64"}, {22, "R_LARCH_SOP_PUSH_PCREL"},
    {23, "R_LARCH_SOP_PUSH_ABSOLUTE"}, {24, "R_LARCH_SOP_PUSH_DUP"}, {25, "R_LARCH_SOP_PUSH_GPREL"},
    {26, "R_LARCH_SOP_PUSH_TLS_TPREL"}, {27, "R_LARCH_SOP_PUSH_TLS_GOT"}, {28, "R_LARCH_SOP_PUSH_TLS_GD"},
    {29, "R_LARCH_SOP_PUSH_PLT_PCREL"}, {30, "R_LARCH_SOP_ASSERT"}, {31, "R_LARCH_SOP_NOT"},
    {32, "R_LARCH_SOP_SUB"}, {33, "R_LARCH_SOP_SL"}, {34, "R_LARCH_SOP_SR"}, {35, "R_LARCH_SOP_ADD"},
    {36, "R_LARCH_SOP_AND"}, {37, "R_LARCH_SOP_IF_ELSE"}, {38, "R_LARCH_SOP_POP_32_S_10_5"},
    {39, "R_LARCH_SOP_POP_32_U_10_12"}, {40, "R_LARCH_SOP_POP_32_S_10_12"}, {41, "R_LARCH_SOP_POP_32_S_10_16"},
    {42, "R_LARCH_SOP_POP_32_S_10_16_S2"}, {43, "R_LARCH_SOP_POP_32_S_5_20"},
    {44, "R_LARCH_SOP_POP_32_S_0_5_10_16_S2"}, {45, "R_LARCH_SOP_POP_32_S_0_10_10_16_S2"},
    {46, "R_LARCH_SOP_POP_32_U"}, {57, "R_LARCH_GNU_VTINHERIT"}, {58, "R_LARCH_GNU_VTENTRY"},
    {96, "R_LARCH_TLS_LD_HI20"}, {98, "R_LARCH_TLS_GD_HI20"}, {101, "R_LARCH_DELETE"}, {104, "R_LARCH_CFA"},
    {113, "R_LARCH_TLS_DESC64_PC_LO20"}, {114, "R_LARCH_TLS_DESC64_PC_HI12"}, {115, "R_LARCH_TLS_DESC_HI20"},
    {116, "R_LARCH_TLS_DESC_LO12"}, {117, "R_LARCH_TLS_DESC64_LO20"}, {118, "R_LARCH_TLS_DESC64_HI12"},
    {124, "R_LARCH_TLS_LD_PCREL20_S2"}, {125, "R_LARCH_TLS_GD_PCREL20_S2"}, {126, "R_LARCH_TLS_DESC_PCREL20_S2"},
};

// Instruction words and opcode masks (LoongArch Reference Manual, vol. 1,
// "Instruction Formats": 2RI12 / 1RI20 / 2RI16 / I26).
constexpr uint32_t kNop = 0x03400000;             // andi $zero, $zero, 0
constexpr uint32_t kLu12iW = 0x14000000;          // lu12i.w rd, si20
constexpr uint32_t kOri = 0x03800000;             // ori rd, rj, ui12
constexpr uint32_t kAddDA0A0Tp = 0x00108884;      // add.d $a0, $a0, $tp
constexpr uint32_t kRet = 0x4c000020;             // jirl $zero, $ra, 0
constexpr uint32_t kA0 = 4;
bool is_pcalau12i(uint32_t i) { return (i >> 25) == 0x0d; }
bool is_pcaddu18i(uint32_t i) { return (i >> 25) == 0x0f; }
bool is_addi_d(uint32_t i) { return (i >> 22) == 0x00b; }
bool is_ld_d(uint32_t i) { return (i >> 22) == 0x0a3; }
bool is_jirl(uint32_t i) { return (i >> 26) == 0x13; }
bool is_bl(uint32_t i) { return (i >> 26) == 0x15; }

uint64_t sext(uint64_t v, unsigned bits) {
  uint64_t m = uint64_t(1) << (bits - 1);
  v &= (bits == 64) ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
  return (v ^ m) - m;
}
bool fits_signed(uint64_t X, unsigned bits) { return sext(X, bits) == X; }

Outcome out_of_range(uint64_t X, int64_t lo, int64_t hi) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "[%lld, %lld]", (long long)lo, (long long)hi);
  return elf::out_of_range(X, buf);
}
// Immediate fields: 20 bits at [24:5], 12 bits at [21:10], 16 at [25:10].
uint32_t put20(uint32_t insn, uint64_t v) { return (insn & ~(0xfffffu << 5)) | uint32_t((v & 0xfffff) << 5); }
uint32_t put12(uint32_t insn, uint64_t v) { return (insn & ~(0xfffu << 10)) | uint32_t((v & 0xfff) << 10); }
uint32_t put16(uint32_t insn, uint64_t v) { return (insn & ~(0xffffu << 10)) | uint32_t((v & 0xffff) << 10); }

}  // namespace

const Row* find_row(uint32_t type) {
  for (const Row& r : kRows)
    if (r.type == type) return &r;
  return nullptr;
}

std::string type_name(uint32_t type) {
  for (const Row& r : kRows)
    if (r.type == type) return r.name;
  for (const Name& n : kOtherNames)
    if (n.type == type) return n.name;
  char buf[40];
  std::snprintf(buf, sizeof buf, "<unknown type 0x%x>", type);
  return buf;
}

unsigned field_size(const Row& row) {
  switch (row.enc) {
    case E::None: case E::Uleb: return 0;
    case E::Data6: case E::Data8: return 1;
    case E::Data16: return 2;
    case E::Data24: return 3;
    case E::Data64: case E::Call36: return 8;
    default: return 4;
  }
}

std::vector<uint8_t> stub_bytes(unsigned) {
  const uint32_t words[4] = {
      0x1c000014u,  // pcaddu12i $t8, 0
      0x28c04294u,  // ld.d $t8, $t8, 16
      0x4c000280u,  // jirl $zero, $t8, 0
      kNop,
  };
  std::vector<uint8_t> out(kStubSize, 0);
  for (unsigned i = 0; i < 4; i++) store_le(out, i * 4, words[i], 4);
  return out;
}

uint64_t page_hi20(uint64_t X, uint64_t pc) { return (((X + 0x800) >> 12) - (pc >> 12)) & 0xfffff; }

// pcalau12i gives (pc & ~0xfff) + sext32(hi20 << 12); the 64-bit tail t
// (lu32i.d/lu52i.d over a sign-extended si12) must make up the rest: its
// low 32 bits are those of sext(X[11:0]), its high 32 whatever X needs.
uint64_t page_upper32(uint64_t X, uint64_t pc) {
  uint64_t base = (pc & ~uint64_t(0xfff)) + sext(page_hi20(X, pc) << 12, 32);
  return (X - base) >> 32;
}

uint64_t page_reach(uint64_t X, uint64_t pc) {
  return (pc & ~uint64_t(0xfff)) + sext(page_hi20(X, pc) << 12, 32) + sext(X & 0xfff, 12);
}

Outcome apply(const Fixup& f, std::span<uint8_t> b, uint64_t off) {
  const Row& row = *f.row;
  Outcome o;
  if (f.tls_call) {
    // bl __tls_get_addr -> add.d $a0, $a0, $tp; call36 (pcaddu18i; jirl
    // ra) -> add.d; nop; a tail call36 (jirl zero) -> add.d; ret.
    uint32_t i = read_insn(b, off);
    if (row.enc == E::B26) {
      if (!is_bl(i)) return wrong_insn(i, "bl (the call to __tls_get_addr)");
      write_insn(b, off, kAddDA0A0Tp);
    } else {
      uint32_t j = read_insn(b, off + 4);
      if (!is_pcaddu18i(i)) return wrong_insn(i, "pcaddu18i (the call to __tls_get_addr)");
      if (!is_jirl(j) || ((j & 31) != 1 && (j & 31) != 0)) return wrong_insn(j, "jirl $ra or jirl $zero");
      write_insn(b, off, kAddDA0A0Tp);
      write_insn(b, off + 4, (j & 31) == 1 ? kNop : kRet);
    }
    o.status = "relaxed";
    o.via = "tls";
    return o;
  }
  const uint64_t S = f.S, A = f.A, P = f.P;
  uint64_t X = 0;
  switch (row.formula) {
    case F::None:
      o.status = "none";
      return o;
    case F::S_A: X = S + A; o.effective = X; break;
    case F::S_A_P: X = S + A - P; o.effective = S + A; break;
    case F::Call: {
      X = S + A - P;
      o.effective = S + A;
      bool reach = row.enc == E::B26 ? fits_signed(X, 28) : fits_signed(X + 0x20000, 38);
      if (!reach && A == 0 && f.has_stub) {
        X = f.L - P;  // the stub is per symbol and reaches S (reference.h)
        o.via = "stub";
      }
      break;
    }
    case F::Got: X = f.slot; o.effective = S; o.via = "got"; break;
    case F::TpGot: X = f.slot; o.effective = S + A; o.via = "tls"; break;
    case F::TPREL: case F::DTPREL: X = S + A; o.effective = X; o.via = "tls"; break;
    case F::DTPMOD: X = 1; o.effective = 1; o.via = "module"; break;
    case F::Add: case F::Sub: X = S + A; o.effective = X; break;
    case F::AddUleb: X = f.uleb_base; o.effective = S + A; break;
    case F::SubUleb: X = f.uleb_base - (S + A); o.effective = S + A; break;
    case F::GdHi: case F::GdLo: case F::DescNop: case F::DescLd: case F::DescCall:
      X = S + A;
      o.effective = X;
      o.via = "tls";
      o.status = "relaxed";
      // lu12i.w + ori build a sign-extended 32-bit TP offset.
      if (!fits_signed(X, 32)) return out_of_range(X, INT32_MIN, INT32_MAX);
      break;
  }
  o.value = X;
  switch (row.enc) {
    case E::None: return o;
    case E::Data6: case E::Data8: case E::Data16: case E::Data24: case E::Data32: case E::Data64: {
      unsigned width = field_size(row);
      if (row.formula == F::S_A && width == 4 && !(fits_signed(X, 32) || X >> 32 == 0))
        return out_of_range(X, INT32_MIN, UINT32_MAX);
      if (row.formula == F::S_A_P && width == 4 && !fits_signed(X, 32)) return out_of_range(X, INT32_MIN, INT32_MAX);
      if ((row.formula == F::TPREL || row.formula == F::DTPREL) && width == 4 && !(fits_signed(X, 32) || X >> 32 == 0))
        return out_of_range(X, INT32_MIN, UINT32_MAX);
      uint64_t V = load_le(b, off, width);
      uint64_t out = X;
      if (row.formula == F::Add) out = V + X;
      if (row.formula == F::Sub) out = V - X;
      if (row.enc == E::Data6) out = (V & 0xc0) | (out & 0x3f);
      store_le(b, off, width == 8 ? out : out & ((uint64_t(1) << (8 * width)) - 1), width);
      if (row.composes) o.value = out;
      return o;
    }
    case E::Uleb: {
      unsigned n = uleb_length(b, off);  // checked by the scan
      if (row.formula == F::SubUleb && n < 10 && X >> (n * 7)) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "out of range: %llu does not fit the %u-byte ULEB128 in place",
                      (unsigned long long)X, n);
        return failure(ErrorKind::Overflow, buf);
      }
      for (unsigned i = 0; i < n; i++) b[off + i] = uint8_t((X >> (7 * i)) & 0x7f) | (i + 1 < n ? 0x80 : 0);
      return o;
    }
    case E::Call36: {
      if (!fits_signed(X + 0x20000, 38))
        return out_of_range(X, -(int64_t(1) << 37) - 0x20000, (int64_t(1) << 37) - 0x20000 - 1);
      if (X & 3) return misaligned(X, 4);
      write_insn(b, off, put20(read_insn(b, off), (X + 0x20000) >> 18));
      write_insn(b, off + 4, put16(read_insn(b, off + 4), X >> 2));
      return o;
    }
    default: break;
  }
  uint32_t insn = read_insn(b, off);
  switch (row.enc) {
    case E::AbsHi20:
      if (!f.wide && !fits_signed(X, 32)) return out_of_range(X, INT32_MIN, INT32_MAX);
      insn = put20(insn, X >> 12);
      o.value = (X >> 12) & 0xfffff;
      break;
    case E::HiR20:
      if (!fits_signed(X + 0x800, 32)) return out_of_range(X, int64_t(INT32_MIN) - 0x800, int64_t(INT32_MAX) - 0x800);
      insn = put20(insn, (X + 0x800) >> 12);
      o.value = ((X + 0x800) >> 12) & 0xfffff;
      break;
    case E::Lo12: insn = put12(insn, X); o.value = X & 0xfff; break;
    case E::AbsLo20: insn = put20(insn, X >> 32); o.value = (X >> 32) & 0xfffff; break;
    case E::AbsHi12: insn = put12(insn, X >> 52); o.value = X >> 52; break;
    case E::PageHi20:
      // Without the extreme tail the pair pcalau12i + si12 must reach X.
      if (!f.wide && page_reach(X, P) != X) {
        int64_t d = int64_t(((X + 0x800) & ~uint64_t(0xfff)) - (P & ~uint64_t(0xfff)));
        return out_of_range(uint64_t(d), INT32_MIN, INT32_MAX - 0xfff);
      }
      o.value = page_hi20(X, P);
      insn = put20(insn, o.value);
      break;
    case E::PageLo20:
      o.value = page_upper32(X, P - 8) & 0xfffff;
      insn = put20(insn, o.value);
      break;
    case E::PageHi12:
      o.value = page_upper32(X, P - 12) >> 20;
      insn = put12(insn, o.value);
      break;
    case E::B16: case E::B21: case E::B26: case E::Pcaddi: {
      unsigned bits = row.enc == E::B16 ? 18 : row.enc == E::B21 ? 23 : row.enc == E::B26 ? 28 : 22;
      if (!fits_signed(X, bits))
        return out_of_range(X, -(int64_t(1) << (bits - 1)), (int64_t(1) << (bits - 1)) - 1);
      if (X & 3) return misaligned(X, 4);
      uint64_t w = X >> 2;
      if (row.enc == E::Pcaddi) {
        insn = put20(insn, w);
        break;
      }
      insn = put16(insn, w);
      if (row.enc == E::B21) insn = (insn & ~0x1fu) | uint32_t((w >> 16) & 0x1f);
      if (row.enc == E::B26) insn = (insn & ~0x3ffu) | uint32_t((w >> 16) & 0x3ff);
      break;
    }
    case E::Rewrite:
      switch (row.formula) {
        case F::GdHi:  // pcalau12i rd -> lu12i.w rd, %le_hi20
          if (!is_pcalau12i(insn)) return wrong_insn(insn, "pcalau12i");
          insn = put20(kLu12iW | (insn & 31), X >> 12);
          break;
        case F::GdLo:  // addi.d rd, rj, 0 -> ori rd, rj, %le_lo12
          if (!is_addi_d(insn)) return wrong_insn(insn, "addi.d");
          insn = put12(kOri | (insn & 0x3ff), X);
          break;
        case F::DescNop:
          if (row.type == 111 ? !is_pcalau12i(insn) : !is_addi_d(insn))
            return wrong_insn(insn, row.type == 111 ? "pcalau12i" : "addi.d");
          insn = kNop;
          break;
        case F::DescLd:
          if (!is_ld_d(insn)) return wrong_insn(insn, "ld.d");
          insn = put20(kLu12iW | kA0, X >> 12);
          break;
        case F::DescCall:
          if (!is_jirl(insn)) return wrong_insn(insn, "jirl");
          insn = put12(kOri | kA0 << 5 | kA0, X);
          break;
        default:
          return failure(ErrorKind::Unsupported, "has no rewrite");
      }
      o.value = X;
      break;
    default:
      break;
  }
  write_insn(b, off, insn);
  return o;
}

}  // namespace jitload::reference::loongarch
