// The reference's AArch64 relocation table, transcribed from "ELF for the
// Arm 64-bit Architecture (AArch64)" (aaelf64), §5.7 "Relocation": Tables
// "Static Data relocations", "Group relocations to create a 16-, 32-, 48-,
// or 64-bit unsigned data value or address inline", "... signed ...",
// "Relocations to generate 19, 21 and 33 bit PC-relative addresses",
// "Relocations for control-flow instructions", "GOT-relative instruction
// relocations", and §5.7.12-§5.7.14 (thread-local storage). What is
// unusual: instructions are little-endian words even in big-endian
// objects; immediates are split over instruction fields; a branch reaches
// ±128 MiB; a page-relative ADRP ±4 GiB. The choices the psABI leaves to
// the linker (GOT, stubs, TLS relaxation) are written down in reference.h,
// "AArch64". Nothing here is shared with engine/.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "reference/elf/outcome.h"
#include "reference/reference.h"

namespace jitload::reference::aarch64 {

constexpr uint16_t kMachine = 183;  // EM_AARCH64, gABI "Machine" table

// The value column of the psABI tables, in its letters.
enum class Formula {
  None,           // R_AARCH64_NONE
  S_A,            // S + A
  S_A_P,          // S + A - P
  Page_S_A_P,     // Page(S + A) - Page(P)
  Call,           // S + A - P, through a stub (L + A - P) when beyond ±128 MiB
  G_P,            // G(GDAT(S + A)) - P
  Page_G_P,       // Page(G(GDAT(S + A))) - Page(P)
  G,              // G(GDAT(S + A))
  G_PageGOT,      // G(GDAT(S + A)) - Page(GOT)
  TPREL,          // TPREL(S + A): the thread-pointer offset
  Page_GTP_P,     // Page(G(GTPREL(S + A))) - Page(P)
  GTP,            // G(GTPREL(S + A))
  GTP_P,          // G(GTPREL(S + A)) - P
  TlsDescPage,    // relaxed to local exec (reference.h): movz x0, #TPREL >> 16, lsl 16
  TlsDescLd,      // movk x0, #TPREL & 0xffff
  TlsDescNop,     // nop (TLSDESC_ADD_LO12, TLSDESC_CALL)
  TlsGdPage,      // mrs x0, tpidr_el0
  TlsGdAdd,       // add x0, x0, #hi12, lsl 12; and the following bl: add x0, x0, #lo12
  TlsLdPage,      // the local-dynamic call sequence: mrs x0, tpidr_el0; nop; nop
  TlsLdAdd,       // consumed by its TLSLD_ADR_PAGE21 (never applied on its own)
};

// Where the value goes.
enum class Enc {
  None,
  Data16, Data32, Data64,  // in the object's byte order
  MovwU,    // MOVZ/MOVK imm16 = X >> shift, opcode kept
  MovwS,    // MOVN/MOVZ chosen by X's sign (MOVK kept), imm16 = X >> shift (or ~X)
  Adr,      // ADR immlo:immhi = X (21 bits)
  Adrp,     // ADRP immlo:immhi = X >> 12 (21 bits)
  Add12,    // ADD imm12 = (X >> shift) & 0xfff
  Ldst,     // LD/ST imm12 = (X & 0xfff) >> shift, X & 0xfff a multiple of 1 << shift
  Lo15,     // LDR imm12 = X >> 3 (X < 2^15, multiple of 8)
  Imm19,    // LDR literal / B.cond imm19 = X >> 2
  Imm14,    // TBZ/TBNZ imm14 = X >> 2
  Imm26,    // B/BL imm26 = X >> 2
  Rewrite,  // a TLS relaxation writes whole instructions
};

// How X must fit (an error when it does not): none; [-2^bits, 2^bits);
// [0, 2^bits); data: [-2^(bits-1), 2^bits); signed data [-2^(bits-1), 2^(bits-1)).
enum class Check { None, Signed, Unsigned, Data, SignedData };

struct Row {
  uint32_t type;
  const char* name;
  Formula formula;
  Enc enc;
  unsigned shift;  // MovwU/MovwS/Add12: the group's lowest bit; Ldst: log2 of the access size
  Check check;
  unsigned bits;
  unsigned align;  // X must be a multiple of this (1: no check)
  bool tls;        // wants a thread-local symbol
  const char* source;
};

const Row* find_row(uint32_t type);
// The traditional local-dynamic call sequence, as the three little-endian
// instruction words at the TLSLD_ADR_PAGE21: adrp x0; add x0, x0, #imm;
// bl (to __tls_get_addr, which its relocation names).
bool is_local_dynamic_call(uint32_t adrp, uint32_t add, uint32_t bl);
std::string type_name(uint32_t type);
// The field's size in the section: 0 (NONE), 2, 4, 8; 8 for TLSGD_ADD_LO12_NC (the add and the bl).
unsigned field_size(const Row& row);

// The stub: ldr x16, #8; br x16; .xword target (reference.h).
constexpr unsigned kStubSize = 16;
constexpr unsigned kStubTargetAt = 8;
std::vector<uint8_t> stub_bytes();
constexpr unsigned kGotEntrySize = 8;

// Everything the apply step needs, computed by the caller (load.cc).
struct Fixup {
  const Row* row = nullptr;
  uint64_t S = 0, A = 0, P = 0;
  uint64_t GOT = 0;    // the object's GOT
  uint64_t slot = 0;   // the symbol's GOT slot (G forms) or TP-offset slot (GTP forms)
  bool has_stub = false;
  uint64_t L = 0;      // the stub, when has_stub
  bool big_endian = false;
};

using Outcome = elf::Outcome;

// Compute X and write it into `section` at `offset` (already checked to
// hold field_size bytes). On failure nothing is written.
Outcome apply(const Fixup& f, std::span<uint8_t> section, uint64_t offset);

// Pure encoders, unit-tested alone: `insn` with the field set to `imm`.
uint32_t put_adr_imm(uint32_t insn, uint64_t imm21);
uint32_t put_imm12(uint32_t insn, uint64_t imm12);
uint32_t put_imm16(uint32_t insn, uint64_t imm16);
uint32_t put_imm19(uint32_t insn, uint64_t imm19);
uint32_t put_imm14(uint32_t insn, uint64_t imm14);
uint32_t put_imm26(uint32_t insn, uint64_t imm26);

}  // namespace jitload::reference::aarch64
