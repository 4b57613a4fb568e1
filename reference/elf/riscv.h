// The reference's RISC-V relocation table (RV64 and RV32, ELF RELA,
// little-endian), transcribed from the RISC-V ELF psABI (riscv-elf.adoc,
// "Relocations": the table "Relocation types", "Calculation Symbols",
// "Field Symbols", "Constants"; "Thread Local Storage"; "TLS Descriptors ->
// Local Exec Relaxation"). What is unusual: immediates are split over
// instruction fields (U, I, S, B, J and the compressed CB, CJ forms); a
// PC-relative address is a pair — an auipc carrying the high 20 bits and
// any number of I/S instructions carrying the low 12 — and the low half's
// relocation names the *auipc* (a label), not the target; label
// arithmetic comes as ADD/SUB/SET pairs read-modify-writing one field; a
// ULEB128 field has the length the assembler gave it. Everything is
// computed modulo 2^XLEN (32 for ELFCLASS32). The choices the psABI leaves
// to the linker (GOT, stubs, TLS without a dynamic linker, no relaxation)
// are written down in reference.h, "RISC-V". Nothing here is shared with
// engine/.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "reference/elf/outcome.h"
#include "reference/reference.h"

namespace jitload::reference::riscv {

constexpr uint16_t kMachine = 243;  // EM_RISCV, gABI "Machine" table

// The calculation column of the psABI's table, in its letters.
enum class Formula {
  None,        // NONE, RELAX, ALIGN, TPREL_ADD: nothing is written
  S_A,         // S + A
  S_A_P,       // S + A - P
  Call,        // S + A - P, through a stub (L - P) when beyond ±2 GiB (reference.h)
  G_P,         // G + GOT - P (GOT_HI20; A must be 0)
  G_A_P,       // G + GOT + A - P (GOT32_PCREL)
  PairLo,      // PCREL_LO12_I/S: the value of the high part its label names
  TPREL,       // S + A, S the thread-pointer offset (TPREL_*, TLS_TPREL32/64)
  GTP_P,       // the TP-offset GOT slot - P (TLS_GOT_HI20, initial exec)
  TlsGd,       // TLS_GD_HI20 relaxed to local exec: auipc -> lui of TPREL (reference.h)
  TlsGdCall,   // the call to __tls_get_addr after a relaxed TLS_GD_HI20: add a0, a0, tp; nop
  TlsDescHi,   // TLSDESC_HI20, relaxed to local exec: nop
  TlsDescLoad, // TLSDESC_LOAD_LO12: nop
  TlsDescAdd,  // TLSDESC_ADD_LO12: lui a0, %hi(TPREL); nop when TPREL fits 12 bits
  TlsDescCall, // TLSDESC_CALL: addi a0, a0, %lo(TPREL); addi a0, zero, TPREL when it fits 12 bits
  DTPREL,      // S + A - TLS_DTV_OFFSET (0x800)
  DTPMOD,      // TLSMODULE: 1 (one static TLS module)
  Add,         // V + S + A
  Sub,         // V - S - A
  Set,         // S + A (SET6/8/16/32)
  SetUleb,     // SET_ULEB128 with its SUB_ULEB128: (S1 + A1) - (S2 + A2)
  SubUleb,     // consumed by the SET_ULEB128 before it
};

// Where the value goes (psABI "Field Symbols").
enum class Enc {
  None,
  Word6,                           // the low 6 bits of a byte, the top 2 kept
  Data8, Data16, Data32, Data64,   // little-endian words
  Uleb,                            // a ULEB128 of the length the file gives
  U,                               // U-type: imm[31:12] = (X + 0x800) >> 12
  I,                               // I-type: imm[11:0] = X & 0xfff
  S,                               // S-type: imm[11:5], imm[4:0] = X & 0xfff
  B,                               // B-type: imm[12:1]
  J,                               // J-type: imm[20:1]
  CB,                              // compressed branch: imm[8:1]
  CJ,                              // compressed jump: imm[11:1]
  UI,                              // auipc + jalr (CALL, CALL_PLT): U and I
  Rewrite,                         // a TLS relaxation writes whole instructions
};

// How X must fit (an error when it does not): none; signed [-2^bits,
// 2^bits); Hi20: X + 0x800 in [-2^31, 2^31) (RV64 only: on RV32 every X
// reaches); data [-2^31, 2^32); signed data [-2^31, 2^31).
enum class Check { None, Signed, Hi20, Data, SignedData };

struct Row {
  uint32_t type;
  const char* name;
  Formula formula;
  Enc enc;
  Check check;
  unsigned bits;   // Signed: the range's exponent
  unsigned align;  // X must be a multiple of this (1: no check)
  bool tls;        // wants a thread-local symbol
  bool label;      // the symbol is a label naming the high part (PCREL_LO12_*, TLSDESC_* but HI20)
  bool composes;   // read-modify-write of its field: may share it with others that compose (ADD/SUB/SET)
  const char* source;
};

const Row* find_row(uint32_t type);
std::string type_name(uint32_t type);
// The field's size in bytes for a fixed-size field (0 for none; Uleb is
// measured from the section).
unsigned field_size(const Row& row, unsigned xlen);
// Is `type` a high part a PCREL_LO12_I/S may name (PCREL_HI20, GOT_HI20,
// TLS_GOT_HI20, TLS_GD_HI20)? TLSDESC_HI20 for the TLSDESC lows.
bool is_pcrel_high(uint32_t type);
constexpr uint32_t kTlsDescHi20 = 62;
constexpr uint32_t kSetUleb128 = 60;
constexpr uint32_t kSubUleb128 = 61;
constexpr uint32_t kTlsGdHi20 = 22;
constexpr uint32_t kCall = 18;
constexpr uint32_t kCallPlt = 19;
constexpr uint32_t kPcrelLo12I = 24;
constexpr uint32_t kAlign = 43;
// The length of the ULEB128 starting at `off` (1-10 bytes), or 0 when it
// runs past the section or beyond 10 bytes.
using elf::uleb_length;

// The stub (reference.h, "RISC-V"): auipc t3, 0; l{d,w} t3, 16(t3); jr t3;
// nop; the target word (8 bytes on RV64; 4 and 4 zero bytes on RV32).
constexpr unsigned kStubSize = 24;
constexpr unsigned kStubTargetAt = 16;
std::vector<uint8_t> stub_bytes(unsigned word);

// Everything the apply step needs, computed by the caller (load.cc).
struct Fixup {
  const Row* row = nullptr;
  uint64_t S = 0, A = 0, P = 0;
  uint64_t slot = 0;       // the symbol's GOT slot (G forms) or TP-offset slot (GTP_P)
  bool has_stub = false;
  uint64_t L = 0;          // the stub, when has_stub
  unsigned xlen = 64;
  // Label forms: the high part's value X and what it reached.
  uint64_t pair_value = 0, pair_effective = 0;
  const char* pair_via = "direct";
  // SUB_ULEB128: its SET_ULEB128's S + A (the V its formula subtracts from).
  uint64_t set_S_A = 0;
  // A CALL/CALL_PLT to __tls_get_addr in an object whose TLS_GD_HI20
  // sequences are relaxed (reference.h): rewritten, not a call.
  bool tls_gd_call = false;
};

using Outcome = elf::Outcome;

// X for `f` (formula, XLEN wrap, check), without writing: what a label
// form asks of its high part.
Outcome value(const Fixup& f);
// value(), then write it into `section` at `offset` (already checked to
// hold the field). On failure nothing is written.
Outcome apply(const Fixup& f, std::span<uint8_t> section, uint64_t offset);

// Pure encoders, unit-tested alone: `insn` with its immediate set to `imm`.
uint32_t put_u(uint32_t insn, uint64_t hi20);
uint32_t put_i(uint32_t insn, uint64_t imm12);
uint32_t put_s(uint32_t insn, uint64_t imm12);
uint32_t put_b(uint32_t insn, uint64_t imm13);
uint32_t put_j(uint32_t insn, uint64_t imm21);
uint16_t put_cb(uint16_t insn, uint64_t imm9);
uint16_t put_cj(uint16_t insn, uint64_t imm12);
// The high 20 bits and low 12 bits of a PC-relative or absolute pair:
// hi = (X + 0x800) >> 12, lo = X - (hi << 12) (psABI "Absolute Addresses").
uint64_t hi20(uint64_t X);
uint64_t lo12(uint64_t X);

}  // namespace jitload::reference::riscv
