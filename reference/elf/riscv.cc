// RISC-V for the reference loader: one table, one row per relocation type,
// each citing the psABI section it comes from; then value() (one switch on
// the formula) and apply() (one switch on the encoding). See riscv.h and
// reference.h, "RISC-V".
#include "reference/elf/riscv.h"

#include <cstdio>

#include "reference/reader.h"

namespace jitload::reference::riscv {

using elf::failure;
using elf::misaligned;
using elf::read_insn;
using elf::wrong_insn;
using elf::write_insn;

namespace {

const char* const kTable = "RISC-V psABI, Relocations, table \"Relocation types\"";
const char* const kAbs = "RISC-V psABI, Relocations, \"Absolute Addresses\" (HI20 + LO12_I/LO12_S)";
const char* const kPcRel = "RISC-V psABI, Relocations, \"PC-Relative Symbol Addresses\"";
const char* const kCallSrc = "RISC-V psABI, Relocations, \"Procedure Calls\" (stub beyond ±2 GiB: reference.h)";
const char* const kJump = "RISC-V psABI, Relocations, \"PC-Relative Jumps and Branches\"";
const char* const kGot = "RISC-V psABI, Relocations, \"Global Offset Table\" (one slot per symbol: reference.h)";
const char* const kLE = "RISC-V psABI, Thread Local Storage, \"Local Exec\"";
const char* const kIE = "RISC-V psABI, Thread Local Storage, \"Initial Exec\"";
const char* const kGD = "RISC-V psABI, Thread Local Storage, \"Global Dynamic\", relaxed to local exec (reference.h)";
const char* const kDesc = "RISC-V psABI, \"TLS Descriptors -> Local Exec Relaxation\", long form (reference.h)";
const char* const kLabel = "RISC-V psABI, Relocations, table \"Relocation types\" (ADD/SUB/SET label arithmetic)";
const char* const kUleb = "RISC-V psABI, Relocations, table \"Relocation types\" and its ULEB128 note";
const char* const kMark = "RISC-V psABI, \"Relocation for Alignment\" / RELAX: kept, not relaxed (reference.h)";
const char* const kDyn = "RISC-V psABI, table \"Relocation types\" (dynamic TLS types; TLS_DTV_OFFSET 0x800)";

using F = Formula;
using E = Enc;
using C = Check;

// type, name, formula, encoding, check, bits, align, tls, label, composes, source
const Row kRows[] = {
    {0, "R_RISCV_NONE", F::None, E::None, C::None, 0, 1, false, false, false, kTable},
    {1, "R_RISCV_32", F::S_A, E::Data32, C::Data, 32, 1, false, false, false, kTable},
    {2, "R_RISCV_64", F::S_A, E::Data64, C::None, 0, 1, false, false, false, kTable},
    {6, "R_RISCV_TLS_DTPMOD32", F::DTPMOD, E::Data32, C::None, 0, 1, true, false, false, kDyn},
    {7, "R_RISCV_TLS_DTPMOD64", F::DTPMOD, E::Data64, C::None, 0, 1, true, false, false, kDyn},
    {8, "R_RISCV_TLS_DTPREL32", F::DTPREL, E::Data32, C::Data, 32, 1, true, false, false, kDyn},
    {9, "R_RISCV_TLS_DTPREL64", F::DTPREL, E::Data64, C::None, 0, 1, true, false, false, kDyn},
    {10, "R_RISCV_TLS_TPREL32", F::TPREL, E::Data32, C::Data, 32, 1, true, false, false, kDyn},
    {11, "R_RISCV_TLS_TPREL64", F::TPREL, E::Data64, C::None, 0, 1, true, false, false, kDyn},
    {16, "R_RISCV_BRANCH", F::S_A_P, E::B, C::Signed, 12, 2, false, false, false, kJump},
    {17, "R_RISCV_JAL", F::S_A_P, E::J, C::Signed, 20, 2, false, false, false, kJump},
    {18, "R_RISCV_CALL", F::Call, E::UI, C::Hi20, 0, 1, false, false, false, kCallSrc},
    {19, "R_RISCV_CALL_PLT", F::Call, E::UI, C::Hi20, 0, 1, false, false, false, kCallSrc},
    {20, "R_RISCV_GOT_HI20", F::G_P, E::U, C::Hi20, 0, 1, false, false, false, kGot},
    {21, "R_RISCV_TLS_GOT_HI20", F::GTP_P, E::U, C::Hi20, 0, 1, true, false, false, kIE},
    {22, "R_RISCV_TLS_GD_HI20", F::TlsGd, E::Rewrite, C::Hi20, 0, 1, true, false, false, kGD},
    {23, "R_RISCV_PCREL_HI20", F::S_A_P, E::U, C::Hi20, 0, 1, false, false, false, kPcRel},
    {24, "R_RISCV_PCREL_LO12_I", F::PairLo, E::I, C::None, 0, 1, false, true, false, kPcRel},
    {25, "R_RISCV_PCREL_LO12_S", F::PairLo, E::S, C::None, 0, 1, false, true, false, kPcRel},
    {26, "R_RISCV_HI20", F::S_A, E::U, C::Hi20, 0, 1, false, false, false, kAbs},
    {27, "R_RISCV_LO12_I", F::S_A, E::I, C::None, 0, 1, false, false, false, kAbs},
    {28, "R_RISCV_LO12_S", F::S_A, E::S, C::None, 0, 1, false, false, false, kAbs},
    {29, "R_RISCV_TPREL_HI20", F::TPREL, E::U, C::Hi20, 0, 1, true, false, false, kLE},
    {30, "R_RISCV_TPREL_LO12_I", F::TPREL, E::I, C::None, 0, 1, true, false, false, kLE},
    {31, "R_RISCV_TPREL_LO12_S", F::TPREL, E::S, C::None, 0, 1, true, false, false, kLE},
    {32, "R_RISCV_TPREL_ADD", F::None, E::None, C::None, 0, 1, true, false, false, kLE},
    {33, "R_RISCV_ADD8", F::Add, E::Data8, C::None, 0, 1, false, false, true, kLabel},
    {34, "R_RISCV_ADD16", F::Add, E::Data16, C::None, 0, 1, false, false, true, kLabel},
    {35, "R_RISCV_ADD32", F::Add, E::Data32, C::None, 0, 1, false, false, true, kLabel},
    {36, "R_RISCV_ADD64", F::Add, E::Data64, C::None, 0, 1, false, false, true, kLabel},
    {37, "R_RISCV_SUB8", F::Sub, E::Data8, C::None, 0, 1, false, false, true, kLabel},
    {38, "R_RISCV_SUB16", F::Sub, E::Data16, C::None, 0, 1, false, false, true, kLabel},
    {39, "R_RISCV_SUB32", F::Sub, E::Data32, C::None, 0, 1, false, false, true, kLabel},
    {40, "R_RISCV_SUB64", F::Sub, E::Data64, C::None, 0, 1, false, false, true, kLabel},
    {41, "R_RISCV_GOT32_PCREL", F::G_A_P, E::Data32, C::SignedData, 32, 1, false, false, false, kGot},
    {43, "R_RISCV_ALIGN", F::None, E::None, C::None, 0, 1, false, false, false, kMark},
    {44, "R_RISCV_RVC_BRANCH", F::S_A_P, E::CB, C::Signed, 8, 2, false, false, false, kJump},
    {45, "R_RISCV_RVC_JUMP", F::S_A_P, E::CJ, C::Signed, 11, 2, false, false, false, kJump},
    {51, "R_RISCV_RELAX", F::None, E::None, C::None, 0, 1, false, false, false, kMark},
    {52, "R_RISCV_SUB6", F::Sub, E::Word6, C::None, 0, 1, false, false, true, kLabel},
    {53, "R_RISCV_SET6", F::Set, E::Word6, C::None, 0, 1, false, false, true, kLabel},
    {54, "R_RISCV_SET8", F::Set, E::Data8, C::None, 0, 1, false, false, true, kLabel},
    {55, "R_RISCV_SET16", F::Set, E::Data16, C::None, 0, 1, false, false, true, kLabel},
    {56, "R_RISCV_SET32", F::Set, E::Data32, C::None, 0, 1, false, false, true, kLabel},
    {57, "R_RISCV_32_PCREL", F::S_A_P, E::Data32, C::SignedData, 32, 1, false, false, false, kTable},
    {59, "R_RISCV_PLT32", F::S_A_P, E::Data32, C::SignedData, 32, 1, false, false, false, kTable},
    {60, "R_RISCV_SET_ULEB128", F::SetUleb, E::Uleb, C::None, 0, 1, false, false, false, kUleb},
    {61, "R_RISCV_SUB_ULEB128", F::SubUleb, E::Uleb, C::None, 0, 1, false, false, false, kUleb},
    {62, "R_RISCV_TLSDESC_HI20", F::TlsDescHi, E::Rewrite, C::Hi20, 0, 1, true, false, false, kDesc},
    {63, "R_RISCV_TLSDESC_LOAD_LO12", F::TlsDescLoad, E::Rewrite, C::None, 0, 1, false, true, false, kDesc},
    {64, "R_RISCV_TLSDESC_ADD_LO12", F::TlsDescAdd, E::Rewrite, C::None, 0, 1, false, true, false, kDesc},
    {65, "R_RISCV_TLSDESC_CALL", F::TlsDescCall, E::Rewrite, C::None, 0, 1, false, true, false, kDesc},
};

// Types the psABI names that the reference does not implement (dynamic
// relocations, never in a relocatable object a JIT loads; VENDOR).
struct Name {
  uint32_t type;
  const char* name;
};
const Name kOtherNames[] = {
    {3, "R_RISCV_RELATIVE"}, {4, "R_RISCV_COPY"},       {5, "R_RISCV_JUMP_SLOT"},
    {12, "R_RISCV_TLSDESC"}, {58, "R_RISCV_IRELATIVE"}, {191, "R_RISCV_VENDOR"},
};

// Instruction words (RISC-V unprivileged ISA, RV32I base opcodes), used by
// the stubs and the TLS rewrites.
constexpr uint32_t kNop = 0x00000013;          // addi x0, x0, 0
constexpr uint32_t kLuiA0 = 0x00000537;        // lui a0, 0
constexpr uint32_t kAddiA0A0 = 0x00050513;     // addi a0, a0, 0
constexpr uint32_t kAddiA0Zero = 0x00000513;   // addi a0, zero, 0
constexpr uint32_t kAddA0A0Tp = 0x00450533;    // add a0, a0, tp
constexpr uint32_t kRet = 0x00008067;          // jalr x0, 0(ra)
constexpr uint32_t kOpcodeMask = 0x7f;
constexpr uint32_t kAuipc = 0x17, kLui = 0x37, kLoad = 0x03, kOpImm = 0x13, kJalr = 0x67;

bool is_auipc(uint32_t i) { return (i & kOpcodeMask) == kAuipc; }
bool is_load(uint32_t i) { return (i & kOpcodeMask) == kLoad; }
bool is_addi(uint32_t i) { return (i & 0x707f) == kOpImm; }  // funct3 0
bool is_jalr(uint32_t i) { return (i & 0x707f) == kJalr; }

uint64_t sext32(uint64_t x) { return uint64_t(int64_t(int32_t(uint32_t(x)))); }
bool fits_i12(uint64_t x) { return int64_t(x) >= -2048 && int64_t(x) < 2048; }

std::string range_text(const Row& row) {
  char buf[96];
  long long b = (long long)row.bits;
  switch (row.check) {
    case C::Signed: std::snprintf(buf, sizeof buf, "[-2^%lld, 2^%lld)", b, b); break;
    case C::Hi20: return "[-2^31 - 0x800, 2^31 - 0x800) (auipc/lui + 12-bit low part)";
    case C::Data: return "[-2^31, 2^32)";
    case C::SignedData: return "[-2^31, 2^31)";
    case C::None: return "";
  }
  return buf;
}

bool fits(const Row& row, uint64_t X, unsigned xlen) {
  int64_t s = int64_t(X);
  switch (row.check) {
    case C::None: return true;
    case C::Signed: return s >= -(int64_t(1) << row.bits) && s < (int64_t(1) << row.bits);
    case C::Hi20: {
      if (xlen == 32) return true;  // modulo 2^32 every value has a hi/lo pair
      int64_t t = int64_t(X + 0x800);  // unsigned addition: no signed overflow for any X
      return t >= -(int64_t(1) << 31) && t < (int64_t(1) << 31);
    }
    case C::Data: return s >= -(int64_t(1) << 31) && (s < 0 || X < (uint64_t(1) << 32));
    case C::SignedData: return s >= -(int64_t(1) << 31) && s < (int64_t(1) << 31);
  }
  return false;
}

Outcome out_of_range(const Row& row, uint64_t X) { return elf::out_of_range(X, range_text(row)); }


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

unsigned field_size(const Row& row, unsigned xlen) {
  (void)xlen;
  switch (row.enc) {
    case E::None: case E::Uleb: return 0;
    case E::Word6: case E::Data8: return 1;
    case E::Data16: case E::CB: case E::CJ: return 2;
    case E::Data64: case E::UI: return 8;
    default: return 4;
  }
}

bool is_pcrel_high(uint32_t type) { return type == 23 || type == 20 || type == 21 || type == kTlsGdHi20; }

std::vector<uint8_t> stub_bytes(unsigned word) {
  // auipc t3, 0; l{d,w} t3, 16(t3); jalr x0, 0(t3); nop; the target.
  uint32_t load = word == 8 ? 0x010e3e03u /* ld t3, 16(t3) */ : 0x010e2e03u /* lw t3, 16(t3) */;
  const uint32_t words[4] = {0x00000e17u /* auipc t3, 0 */, load, 0x000e0067u /* jr t3 */, kNop};
  std::vector<uint8_t> out(kStubSize, 0);
  for (unsigned i = 0; i < 4; i++) store_le(out, i * 4, words[i], 4);
  return out;
}

uint64_t hi20(uint64_t X) { return ((X + 0x800) >> 12) & 0xfffff; }
uint64_t lo12(uint64_t X) { return X & 0xfff; }

uint32_t put_u(uint32_t insn, uint64_t hi) { return (insn & 0xfffu) | uint32_t((hi & 0xfffff) << 12); }
uint32_t put_i(uint32_t insn, uint64_t imm) { return (insn & 0x000fffffu) | uint32_t((imm & 0xfff) << 20); }
uint32_t put_s(uint32_t insn, uint64_t imm) {
  return (insn & ~0xfe000f80u) | uint32_t(((imm >> 5) & 0x7f) << 25) | uint32_t((imm & 0x1f) << 7);
}
uint32_t put_b(uint32_t insn, uint64_t imm) {
  return (insn & ~0xfe000f80u) | uint32_t(((imm >> 12) & 1) << 31) | uint32_t(((imm >> 5) & 0x3f) << 25) |
         uint32_t(((imm >> 1) & 0xf) << 8) | uint32_t(((imm >> 11) & 1) << 7);
}
uint32_t put_j(uint32_t insn, uint64_t imm) {
  return (insn & 0xfffu) | uint32_t(((imm >> 20) & 1) << 31) | uint32_t(((imm >> 1) & 0x3ff) << 21) |
         uint32_t(((imm >> 11) & 1) << 20) | uint32_t(((imm >> 12) & 0xff) << 12);
}
uint16_t put_cb(uint16_t insn, uint64_t imm) {
  uint32_t v = (insn & ~0x1c7cu) | uint32_t(((imm >> 8) & 1) << 12) | uint32_t(((imm >> 3) & 3) << 10) |
               uint32_t(((imm >> 6) & 3) << 5) | uint32_t(((imm >> 1) & 3) << 3) | uint32_t(((imm >> 5) & 1) << 2);
  return uint16_t(v);
}
uint16_t put_cj(uint16_t insn, uint64_t imm) {
  uint32_t v = (insn & ~0x1ffcu) | uint32_t(((imm >> 11) & 1) << 12) | uint32_t(((imm >> 4) & 1) << 11) |
               uint32_t(((imm >> 8) & 3) << 9) | uint32_t(((imm >> 10) & 1) << 8) | uint32_t(((imm >> 6) & 1) << 7) |
               uint32_t(((imm >> 7) & 1) << 6) | uint32_t(((imm >> 1) & 7) << 3) | uint32_t(((imm >> 5) & 1) << 2);
  return uint16_t(v);
}

// RV32: a value the 32-bit machine cannot hold (neither below 2^32 nor a
// sign-extended negative 32-bit number).
bool beyond_rv32(uint64_t v) { return (v >> 32) && int64_t(v) != int64_t(int32_t(uint32_t(v))); }

Outcome value(const Fixup& f) {
  const Row& row = *f.row;
  const uint64_t S = f.S, A = f.A, P = f.P;
  Outcome o;
  uint64_t X = 0;
  // RV32 (reference.h): S, P and the GOT slot must be addresses (or TP
  // offsets) the machine can have; only the arithmetic on them wraps. A
  // 64-bit data field keeps its 64-bit value, so it is not checked.
  if (f.xlen == 32 && row.formula != F::None && row.enc != E::Data64) {
    const uint64_t set = row.formula == F::SubUleb ? f.set_S_A : 0;
    for (uint64_t v : {S, P, f.slot, set})
      if (beyond_rv32(v)) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "address 0x%llx lies beyond RV32's 4 GiB address space", (unsigned long long)v);
        return failure(ErrorKind::Overflow, buf);
      }
  }
  switch (row.formula) {
    case F::None:
      o.status = "none";
      return o;
    case F::S_A: X = S + A; o.effective = S + A; break;
    case F::S_A_P: X = S + A - P; o.effective = S + A; break;
    case F::Call:
      X = S + A - P;
      o.effective = S + A;
      if (f.xlen == 64 && !fits(row, X, f.xlen) && A == 0 && f.has_stub) {
        X = f.L - P;  // the stub is per symbol and reaches S (reference.h)
        o.via = "stub";
      }
      break;
    case F::G_P: X = f.slot - P; o.effective = S; o.via = "got"; break;
    case F::G_A_P: X = f.slot + A - P; o.effective = S; o.via = "got"; break;
    case F::PairLo:
      X = f.pair_value;
      o.effective = f.pair_effective;
      o.via = f.pair_via;
      break;
    case F::TPREL: X = S + A; o.effective = S + A; o.via = "tls"; break;
    case F::GTP_P: X = f.slot - P; o.effective = S + A; o.via = "tls"; break;
    case F::TlsGd: case F::TlsDescHi:
      X = S + A;
      o.effective = S + A;
      o.via = "tls";
      o.status = "relaxed";
      break;
    case F::TlsGdCall:
      break;  // not a row's formula: apply() handles the call
    case F::TlsDescLoad: case F::TlsDescAdd: case F::TlsDescCall:
      X = f.pair_value;
      o.effective = f.pair_effective;
      o.via = "tls";
      o.status = "relaxed";
      break;
    case F::DTPREL: X = S + A - 0x800; o.effective = S + A; o.via = "tls"; break;
    case F::DTPMOD: X = 1; o.effective = 1; o.via = "module"; break;
    case F::Add: case F::Sub: case F::Set: X = S + A; o.effective = S + A; break;
    // The psABI's rows: SET_ULEB128 writes S + A (wrapped into the bytes in
    // place: alone it is half of a difference), SUB_ULEB128 V - S - A with V
    // its SET's S + A (not the wrapped bytes), checked.
    case F::SetUleb: X = S + A; o.effective = S + A; break;
    case F::SubUleb:
      X = f.set_S_A - (S + A);
      if (f.xlen == 32) X &= 0xffffffffu;  // an address difference modulo 2^32
      o.effective = S + A;
      break;
  }
  // RV32: every address computation is modulo 2^32 (a 64-bit field keeps
  // the 64-bit value; a ULEB128 is unsigned, wrapped above).
  if (f.xlen == 32 && row.enc != E::Data64 && row.enc != E::Uleb) X = sext32(X);
  if (!fits(row, X, f.xlen)) return out_of_range(row, X);
  if (row.align > 1 && X % row.align) return misaligned(X, row.align);
  o.value = X;
  return o;
}

Outcome apply(const Fixup& f, std::span<uint8_t> b, uint64_t off) {
  const Row& row = *f.row;
  if (f.tls_gd_call) {
    // call __tls_get_addr (auipc; jalr ra) -> add a0, a0, tp; nop. A tail
    // call (jalr x0) returns what __tls_get_addr would: add a0, a0, tp; ret.
    uint32_t auipc = read_insn(b, off), jalr = read_insn(b, off + 4);
    if (!is_auipc(auipc)) return wrong_insn(auipc, "auipc (the call to __tls_get_addr)");
    unsigned link = (jalr >> 7) & 31;
    if (!is_jalr(jalr) || (link != 1 && link != 0))
      return wrong_insn(jalr, "jalr ra or jalr x0 (the call to __tls_get_addr)");
    write_insn(b, off, kAddA0A0Tp);
    write_insn(b, off + 4, link == 1 ? kNop : kRet);
    Outcome o;
    o.status = "relaxed";
    o.via = "tls";
    return o;
  }
  Outcome o = value(f);
  if (!o.ok || row.formula == F::None) return o;
  const uint64_t X = o.value;
  switch (row.enc) {
    case E::None: return o;
    case E::Data8: case E::Data16: case E::Data32: case E::Data64: case E::Word6: {
      unsigned width = row.enc == E::Word6 ? 1 : field_size(row, f.xlen);
      uint64_t mask = width == 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * width)) - 1;
      uint64_t V = load_le(b, off, width);
      uint64_t out = X;
      if (row.formula == F::Add) out = V + X;
      if (row.formula == F::Sub) out = V - X;
      if (row.enc == E::Word6) out = (V & 0xc0) | (out & 0x3f);
      out &= mask;
      store_le(b, off, out, width);
      if (row.composes) o.value = out;  // what the field holds now
      return o;
    }
    case E::Uleb: {
      unsigned n = uleb_length(b, off);  // checked by the scan
      if (row.formula == F::SubUleb && n < 10 && n * 7 < 64 && X >> (n * 7)) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "out of range: %llu does not fit the %u-byte ULEB128 in place",
                      (unsigned long long)X, n);
        return failure(ErrorKind::Overflow, buf);
      }
      for (unsigned i = 0; i < n; i++) {
        uint8_t byte = uint8_t((X >> (7 * i)) & 0x7f);
        if (i + 1 < n) byte |= 0x80;  // the assembler's length stays (psABI note)
        b[off + i] = byte;
      }
      return o;
    }
    case E::CB: store_le(b, off, put_cb(uint16_t(load_le(b, off, 2)), X), 2); return o;
    case E::CJ: store_le(b, off, put_cj(uint16_t(load_le(b, off, 2)), X), 2); return o;
    case E::UI:
      write_insn(b, off, put_u(read_insn(b, off), hi20(X)));
      write_insn(b, off + 4, put_i(read_insn(b, off + 4), lo12(X)));
      return o;
    default: break;
  }
  uint32_t insn = read_insn(b, off);
  switch (row.enc) {
    case E::U: insn = put_u(insn, hi20(X)); break;
    case E::I: insn = put_i(insn, lo12(X)); break;
    case E::S: insn = put_s(insn, lo12(X)); break;
    case E::B: insn = put_b(insn, X); break;
    case E::J: insn = put_j(insn, X); break;
    case E::Rewrite:
      switch (row.formula) {
        case F::TlsGd:  // auipc rd -> lui rd, %hi(TPREL); its PCREL_LO12_I adds %lo(TPREL)
          if (!is_auipc(insn)) return wrong_insn(insn, "auipc");
          insn = put_u((insn & ~kOpcodeMask) | kLui, hi20(X));
          break;
        case F::TlsDescHi:
          if (!is_auipc(insn)) return wrong_insn(insn, "auipc");
          insn = kNop;
          break;
        case F::TlsDescLoad:
          if (!is_load(insn)) return wrong_insn(insn, "a load (l{w,d})");
          insn = kNop;
          break;
        // The psABI's two forms, chosen as the native link (ld.lld-19)
        // does: the short one when TPREL fits a 12-bit immediate.
        case F::TlsDescAdd:
          if (!is_addi(insn)) return wrong_insn(insn, "addi");
          insn = fits_i12(X) ? kNop : put_u(kLuiA0, hi20(X));
          break;
        case F::TlsDescCall:
          if (!is_jalr(insn)) return wrong_insn(insn, "jalr");
          insn = put_i(fits_i12(X) ? kAddiA0Zero : kAddiA0A0, lo12(X));
          break;
        default:
          return failure(ErrorKind::Unsupported, "has no rewrite");
      }
      break;
    default:
      break;
  }
  write_insn(b, off, insn);
  return o;
}

}  // namespace jitload::reference::riscv
