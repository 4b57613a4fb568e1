// The reference's LoongArch64 relocation table (ELF64 RELA,
// little-endian), transcribed from the LoongArch ELF psABI (la-abi-specs
// "ELF for the LoongArch Architecture": "Relocations" and its table,
// "Code Models", "Thread Local Storage"). What is unusual: addresses are
// assembled from pieces — 20 bits into bits [24:5] of lu12i.w / lu32i.d /
// pcalau12i, 12 bits into bits [21:10] of ori / addi.d / ld.d / lu52i.d —
// and a PC-relative address is "the page of the target minus the page of
// the pcalau12i", its low 12 bits carried by an instruction that
// sign-extends them; branches count 4-byte words split over two fields.
// The choices the psABI leaves to the linker (GOT, stubs, TLS without a
// dynamic linker, no relaxation) are written down in reference.h,
// "LoongArch". Nothing here is shared with engine/.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "reference/elf/outcome.h"
#include "reference/reference.h"

namespace jitload::reference::loongarch {

constexpr uint16_t kMachine = 258;  // EM_LOONGARCH, gABI "Machine" table

// What X is, in the psABI's letters.
enum class Formula {
  None,      // NONE, RELAX, ALIGN, MARK_LA, MARK_PCREL, TLS_LE_ADD_R: nothing is written
  S_A,       // S + A
  S_A_P,     // S + A - P
  Call,      // S + A - P, through a stub (L - P) when out of reach (reference.h)
  Got,       // the address of S's GOT slot (A must be 0)
  TpGot,     // the address of S's TP-offset GOT slot (A must be 0)
  TPREL,     // S + A, S the thread-pointer offset
  DTPREL,    // S + A, the offset in the one static module (TLS_DTV_OFFSET 0)
  DTPMOD,    // 1 (one static TLS module)
  Add,       // V + S + A
  Sub,       // V - S - A
  AddUleb,   // ADD_ULEB128 with its SUB_ULEB128: V + S1 + A1 (wrapped), the pair's value at the SUB
  SubUleb,   // V + S1 + A1 - S2 - A2, checked
  GdHi,      // TLS_GD/LD_PC_HI20 rewritten: pcalau12i rd -> lu12i.w rd, %le_hi20(TPREL)
  GdLo,      // GOT_PC_LO12 on a thread-local symbol (GD/LD's low): addi.d -> ori rd, rj, %le_lo12
  DescNop,   // TLS_DESC_PC_HI20 (pcalau12i) / TLS_DESC_PC_LO12 (addi.d) -> nop
  DescLd,    // TLS_DESC_LD: ld.d -> lu12i.w $a0, %le_hi20(TPREL)
  DescCall,  // TLS_DESC_CALL: jirl -> ori $a0, $a0, %le_lo12(TPREL)
};

// Where X goes and how it must fit.
enum class Enc {
  None,
  Data6,             // the low 6 bits of a byte, its top 2 kept
  Data8, Data16, Data24, Data32, Data64,
  Uleb,              // a ULEB128 of the length the file gives
  AbsHi20,           // lu12i.w: X[31:12] into [24:5]; X must be the sign extension of X[31:0] (unless wide)
  HiR20,             // lu12i.w before addi.d: (X + 0x800)[31:12]; X + 0x800 in [-2^31, 2^31)
  Lo12,              // X[11:0] into [21:10]
  AbsLo20,           // lu32i.d: X[51:32] into [24:5]
  AbsHi12,           // lu52i.d: X[63:52] into [21:10]
  PageHi20,          // pcalau12i at P: the page count (below); the pair must reach X (unless wide)
  PageLo20,          // lu32i.d of the extreme sequence, its pcalau12i at P - 8
  PageHi12,          // lu52i.d of the extreme sequence, its pcalau12i at P - 12
  B16,               // X/4 into [25:10]; X in [-2^17, 2^17), a multiple of 4
  B21,               // X/4: [15:0] into [25:10], [20:16] into [4:0]; X in [-2^22, 2^22)
  B26,               // X/4: [15:0] into [25:10], [25:16] into [9:0]; X in [-2^27, 2^27)
  Call36,            // pcaddu18i + jirl: (X + 0x20000)[37:18], then X[17:2]; X + 0x20000 in [-2^37, 2^37)
  Pcaddi,            // X/4 into [24:5]; X in [-2^21, 2^21), a multiple of 4
  Rewrite,           // a TLS rewrite: whole instructions
};

struct Row {
  uint32_t type;
  const char* name;
  Formula formula;
  Enc enc;
  bool tls;       // wants a thread-local symbol
  bool composes;  // read-modify-write of its field (ADD/SUB): may share it with others that compose
  uint32_t wide;  // a high part: the LO20 type whose presence 8 bytes on makes it an extreme-model sequence
  const char* source;
};

const Row* find_row(uint32_t type);
std::string type_name(uint32_t type);
unsigned field_size(const Row& row);  // bytes; 0 for none (Uleb measured from the section)
using elf::uleb_length;
using elf::uleb_value;
constexpr uint32_t kAddUleb128 = 107;
constexpr uint32_t kSubUleb128 = 108;
constexpr uint32_t kB26 = 66;
constexpr uint32_t kCall36 = 110;
constexpr uint32_t kGotPcLo12 = 76;
constexpr uint32_t kGot64PcLo20 = 77;
constexpr uint32_t kGot64PcHi12 = 78;

// The stub (reference.h, "LoongArch"): pcaddu12i $t8, 0; ld.d $t8, $t8,
// 16; jirl $zero, $t8, 0; nop; the 8-byte target.
constexpr unsigned kStubSize = 24;
constexpr unsigned kStubTargetAt = 16;
std::vector<uint8_t> stub_bytes(unsigned word);

struct Fixup {
  const Row* row = nullptr;
  uint64_t S = 0, A = 0, P = 0;
  uint64_t slot = 0;      // Got / TpGot: the slot's address
  bool has_stub = false;
  uint64_t L = 0;
  bool wide = false;      // a high part of an extreme-model sequence
  uint64_t uleb_base = 0; // SubUleb: V + S1 + A1 of its ADD_ULEB128
  bool tls_call = false;  // a call to __tls_get_addr rewritten (reference.h)
};

using Outcome = elf::Outcome;

// Compute and write into `section` at `offset` (already checked to hold
// the field). On failure nothing is written.
Outcome apply(const Fixup& f, std::span<uint8_t> section, uint64_t offset);

// Pure pieces, unit-tested alone. The page count a pcalau12i at `pc`
// must carry so that, with X's low 12 bits sign-extended after it, X is
// reached: ((X + 0x800) >> 12) - (pc >> 12), 20 bits. And the upper 32
// bits the extreme sequence's lu32i.d/lu52i.d must supply.
uint64_t page_hi20(uint64_t X, uint64_t pc);
uint64_t page_upper32(uint64_t X, uint64_t pc);
// What pcalau12i + a sign-extending si12 reach with those pieces.
uint64_t page_reach(uint64_t X, uint64_t pc);

}  // namespace jitload::reference::loongarch
