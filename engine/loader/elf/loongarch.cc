// ELF LoongArch64 (ELFCLASS64, little-endian, RELA only), following the
// LoongArch ELF psABI (la-abi-specs, "ELF for the LoongArch Architecture":
// "Relocations", "Thread Local Storage", "Code Models").
//
// What is unusual here:
// - Addresses are built from 12/20-bit pieces, and a low part names the
//   *symbol*, not its high part (unlike RISC-V): pcalau12i carries
//   %pc_hi20, the instruction after it %pc_lo12 of the same symbol. The
//   page rule: pcalau12i adds to P's 4 KiB page (P & ~0xfff) a signed
//   20-bit page count; the low 12 bits go into a *sign-extending* si12
//   (addi.d, ld.d, st.w, ...), so when bit 11 of the target is set the low
//   part subtracts 0x1000 and the high part must add one page more: the
//   high part is the page distance of X + 0x800, not of X.
// - The extreme code model (-mcmodel=extreme) adds a 64-bit tail:
//   pcalau12i; addi.d t, zero, %pc_lo12; lu32i.d t, %pc64_lo20; lu52i.d t,
//   t, %pc64_hi12; add.d. The LO20/HI12 parts sit 8 and 12 bytes after
//   their pcalau12i and compute with *its* place (P - 8, P - 12). Their
//   value corrects for both sign extensions: the si12's (a low part >=
//   0x800 borrows 2^32 from the upper word, as it lent a page to the HI20)
//   and pcalau12i's own (a page distance with bit 31 set extends as
//   negative: 2^32 more in the upper word). A high part whose table also
//   has its family's LO20 at its place + 8 is such a sequence (kWide): it
//   takes any 64-bit distance, wrapping into the tail; any other high part
//   must reach within ±2 GiB (else an overflow error naming it). The same
//   holds for the absolute families (lu12i.w; ori; lu32i.d; lu52i.d),
//   where ori zero-extends and no correction is needed.
// - B16/B21/B26/CALL36/PCREL20_S2 are PC-relative counts of 4-byte words
//   (±128 KiB, ±4 MiB, ±128 MiB, ±128 GiB, ±2 MiB), split over fields.
//   B26 and CALL36 to a symbol bound by name go through a stub when out of
//   reach: pcaddu12i t8, 0; ld.d t8, t8, 16; jr t8; nop; .dword S.
// - ADD/SUB 6/8/16/24/32/64 and ADD_ULEB128/SUB_ULEB128 come in runs at
//   one field (label differences); as in riscv.cc, the first of a run
//   writes from the file's original field (folded into its addend at
//   scan), the rest modify what it wrote, so a second resolve writes the
//   same bytes. ADD_ULEB128 must be followed by its SUB_ULEB128 at the same
//   field; the pair's result must fit the ULEB128's length in place.
// - RELAX, ALIGN, MARK_LA, MARK_PCREL are markers: nothing is relaxed, the
//   NOPs an ALIGN covers stay and run as NOPs.
// - TLS, static model, variant I with a TCB of 0 bytes (tp points at the
//   block). LE writes S + A (the TP offset); IE reads it from a GOT slot;
//   general and local dynamic (LoongArch's local dynamic names the
//   variable itself, as general dynamic does) and TLS descriptors are
//   rewritten to local exec, instruction by instruction:
//     GD/LD: pcalau12i rd, %gd_pc_hi20(x)   -> lu12i.w rd, %le_hi20(x)
//            addi.d rd, rj, %got_pc_lo12(x) -> ori rd, rj, %le_lo12(x)
//            bl __tls_get_addr               -> add.d a0, a0, tp
//            (call36: pcaddu18i; jirl ra     -> add.d a0, a0, tp; nop
//             a tail call36, jirl zero       -> add.d a0, a0, tp; ret)
//     DESC:  pcalau12i a0, %desc_pc_hi20(x) -> nop
//            addi.d a0, a0, %desc_pc_lo12(x) -> nop
//            ld.d ra, a0, %desc_ld(x)        -> lu12i.w a0, %le_hi20(x)
//            jirl ra, ra, %desc_call(x)      -> ori a0, a0, %le_lo12(x)
//   The TP offset must fit 32 signed bits (lu12i.w sign-extends), else
//   every entry of the sequence fails and leaves its instruction as it
//   was. The extreme model's GD/LD/DESC forms (64_PC_LO20/HI12 on a
//   thread-local symbol) and the absolute GD/LD/DESC forms have no such
//   rewrite: the object is refused, naming the relocation.
//
// Letters, as in the psABI: S symbol, A addend, P place, G the symbol's
// GOT slot, L the stub. G and L are addresses here.
#include <algorithm>
#include <array>
#include <iterator>
#include <vector>

#include "engine/loader/core/apply-runs.h"
#include "engine/loader/core/encode.h"
#include "engine/loader/elf/arch.h"
#include "engine/loader/elf/elf.h"

namespace jitload::elf {
namespace {

enum : u32 {
  R_LARCH_NONE = 0,
  R_LARCH_32 = 1,
  R_LARCH_64 = 2,
  R_LARCH_TLS_DTPMOD32 = 6,
  R_LARCH_TLS_DTPMOD64 = 7,
  R_LARCH_TLS_DTPREL32 = 8,
  R_LARCH_TLS_DTPREL64 = 9,
  R_LARCH_TLS_TPREL32 = 10,
  R_LARCH_TLS_TPREL64 = 11,
  R_LARCH_MARK_LA = 20,
  R_LARCH_MARK_PCREL = 21,
  R_LARCH_ADD8 = 47,
  R_LARCH_ADD16 = 48,
  R_LARCH_ADD24 = 49,
  R_LARCH_ADD32 = 50,
  R_LARCH_ADD64 = 51,
  R_LARCH_SUB8 = 52,
  R_LARCH_SUB16 = 53,
  R_LARCH_SUB24 = 54,
  R_LARCH_SUB32 = 55,
  R_LARCH_SUB64 = 56,
  R_LARCH_B16 = 64,
  R_LARCH_B21 = 65,
  R_LARCH_B26 = 66,
  R_LARCH_ABS_HI20 = 67,
  R_LARCH_ABS_LO12 = 68,
  R_LARCH_ABS64_LO20 = 69,
  R_LARCH_ABS64_HI12 = 70,
  R_LARCH_PCALA_HI20 = 71,
  R_LARCH_PCALA_LO12 = 72,
  R_LARCH_PCALA64_LO20 = 73,
  R_LARCH_PCALA64_HI12 = 74,
  R_LARCH_GOT_PC_HI20 = 75,
  R_LARCH_GOT_PC_LO12 = 76,
  R_LARCH_GOT64_PC_LO20 = 77,
  R_LARCH_GOT64_PC_HI12 = 78,
  R_LARCH_GOT_HI20 = 79,
  R_LARCH_GOT_LO12 = 80,
  R_LARCH_GOT64_LO20 = 81,
  R_LARCH_GOT64_HI12 = 82,
  R_LARCH_TLS_LE_HI20 = 83,
  R_LARCH_TLS_LE_LO12 = 84,
  R_LARCH_TLS_LE64_LO20 = 85,
  R_LARCH_TLS_LE64_HI12 = 86,
  R_LARCH_TLS_IE_PC_HI20 = 87,
  R_LARCH_TLS_IE_PC_LO12 = 88,
  R_LARCH_TLS_IE64_PC_LO20 = 89,
  R_LARCH_TLS_IE64_PC_HI12 = 90,
  R_LARCH_TLS_IE_HI20 = 91,
  R_LARCH_TLS_IE_LO12 = 92,
  R_LARCH_TLS_IE64_LO20 = 93,
  R_LARCH_TLS_IE64_HI12 = 94,
  R_LARCH_TLS_LD_PC_HI20 = 95,
  R_LARCH_TLS_LD_HI20 = 96,
  R_LARCH_TLS_GD_PC_HI20 = 97,
  R_LARCH_TLS_GD_HI20 = 98,
  R_LARCH_32_PCREL = 99,
  R_LARCH_RELAX = 100,
  R_LARCH_ALIGN = 102,
  R_LARCH_PCREL20_S2 = 103,
  R_LARCH_ADD6 = 105,
  R_LARCH_SUB6 = 106,
  R_LARCH_ADD_ULEB128 = 107,
  R_LARCH_SUB_ULEB128 = 108,
  R_LARCH_64_PCREL = 109,
  R_LARCH_CALL36 = 110,
  R_LARCH_TLS_DESC_PC_HI20 = 111,
  R_LARCH_TLS_DESC_PC_LO12 = 112,
  R_LARCH_TLS_DESC64_PC_LO20 = 113,
  R_LARCH_TLS_DESC64_PC_HI12 = 114,
  R_LARCH_TLS_DESC_HI20 = 115,
  R_LARCH_TLS_DESC_LO12 = 116,
  R_LARCH_TLS_DESC64_LO20 = 117,
  R_LARCH_TLS_DESC64_HI12 = 118,
  R_LARCH_TLS_DESC_LD = 119,
  R_LARCH_TLS_DESC_CALL = 120,
  R_LARCH_TLS_LE_HI20_R = 121,
  R_LARCH_TLS_LE_ADD_R = 122,
  R_LARCH_TLS_LE_LO12_R = 123,
};

// The loader's own forms of a file type (RelocationEntry::type is 16 bits;
// the psABI's numbers stay below 256): bit 15 marks them, bits 8-10 the
// form, bits 11-14 a ULEB128's length in bytes (fixed at scan time).
constexpr u32 kInternal = 0x8000;
constexpr u32 kFirst = kInternal | 0x100;   // ADD/SUB first at its field: from the file's field, folded into A
constexpr u32 kFollow = kInternal | 0x200;  // ADD/SUB after another at the same field: modifies what it wrote
constexpr u32 kWide = kInternal | 0x300;    // a HI20 whose LO20 is 8 bytes on (extreme model): no ±2 GiB check
constexpr u32 kLe = kInternal | 0x400;      // a GD/LD/DESC instruction rewritten to local exec
constexpr u32 kLenShift = 11, kLenMask = 0xfu << kLenShift;
constexpr u32 kChain = 0xfu << kLenShift;   // a non-ULEB follower with another follower after it
u32 form_of(u32 type) { return (type >> 8) & 7; }
u32 uleb_len_of(u32 type) { return (type & kLenMask) >> kLenShift; }

struct Named {
  u32 type;
  const char* name;
  u8 width;  // bytes written; 0: none (a marker); kNo: not applied here
};
constexpr u8 kNo = 0xff;
constexpr Named kNames[] = {
    {0, "R_LARCH_NONE", 0}, {1, "R_LARCH_32", 4}, {2, "R_LARCH_64", 8},
    {3, "R_LARCH_RELATIVE", kNo}, {4, "R_LARCH_COPY", kNo}, {5, "R_LARCH_JUMP_SLOT", kNo},
    {6, "R_LARCH_TLS_DTPMOD32", 4}, {7, "R_LARCH_TLS_DTPMOD64", 8}, {8, "R_LARCH_TLS_DTPREL32", 4},
    {9, "R_LARCH_TLS_DTPREL64", 8}, {10, "R_LARCH_TLS_TPREL32", 4}, {11, "R_LARCH_TLS_TPREL64", 8},
    {12, "R_LARCH_IRELATIVE", kNo}, {13, "R_LARCH_TLS_DESC32", kNo}, {14, "R_LARCH_TLS_DESC64", kNo},
    {20, "R_LARCH_MARK_LA", 0}, {21, "R_LARCH_MARK_PCREL", 0},
    {22, "R_LARCH_SOP_PUSH_PCREL", kNo}, {23, "R_LARCH_SOP_PUSH_ABSOLUTE", kNo}, {24, "R_LARCH_SOP_PUSH_DUP", kNo},
    {25, "R_LARCH_SOP_PUSH_GPREL", kNo}, {26, "R_LARCH_SOP_PUSH_TLS_TPREL", kNo},
    {27, "R_LARCH_SOP_PUSH_TLS_GOT", kNo}, {28, "R_LARCH_SOP_PUSH_TLS_GD", kNo},
    {29, "R_LARCH_SOP_PUSH_PLT_PCREL", kNo}, {30, "R_LARCH_SOP_ASSERT", kNo}, {31, "R_LARCH_SOP_NOT", kNo},
    {32, "R_LARCH_SOP_SUB", kNo}, {33, "R_LARCH_SOP_SL", kNo}, {34, "R_LARCH_SOP_SR", kNo},
    {35, "R_LARCH_SOP_ADD", kNo}, {36, "R_LARCH_SOP_AND", kNo}, {37, "R_LARCH_SOP_IF_ELSE", kNo},
    {38, "R_LARCH_SOP_POP_32_S_10_5", kNo}, {39, "R_LARCH_SOP_POP_32_U_10_12", kNo},
    {40, "R_LARCH_SOP_POP_32_S_10_12", kNo}, {41, "R_LARCH_SOP_POP_32_S_10_16", kNo},
    {42, "R_LARCH_SOP_POP_32_S_10_16_S2", kNo}, {43, "R_LARCH_SOP_POP_32_S_5_20", kNo},
    {44, "R_LARCH_SOP_POP_32_S_0_5_10_16_S2", kNo}, {45, "R_LARCH_SOP_POP_32_S_0_10_10_16_S2", kNo},
    {46, "R_LARCH_SOP_POP_32_U", kNo},
    {47, "R_LARCH_ADD8", 1}, {48, "R_LARCH_ADD16", 2}, {49, "R_LARCH_ADD24", 3}, {50, "R_LARCH_ADD32", 4},
    {51, "R_LARCH_ADD64", 8}, {52, "R_LARCH_SUB8", 1}, {53, "R_LARCH_SUB16", 2}, {54, "R_LARCH_SUB24", 3},
    {55, "R_LARCH_SUB32", 4}, {56, "R_LARCH_SUB64", 8},
    {57, "R_LARCH_GNU_VTINHERIT", kNo}, {58, "R_LARCH_GNU_VTENTRY", kNo},
    {64, "R_LARCH_B16", 4}, {65, "R_LARCH_B21", 4}, {66, "R_LARCH_B26", 4},
    {67, "R_LARCH_ABS_HI20", 4}, {68, "R_LARCH_ABS_LO12", 4}, {69, "R_LARCH_ABS64_LO20", 4},
    {70, "R_LARCH_ABS64_HI12", 4}, {71, "R_LARCH_PCALA_HI20", 4}, {72, "R_LARCH_PCALA_LO12", 4},
    {73, "R_LARCH_PCALA64_LO20", 4}, {74, "R_LARCH_PCALA64_HI12", 4}, {75, "R_LARCH_GOT_PC_HI20", 4},
    {76, "R_LARCH_GOT_PC_LO12", 4}, {77, "R_LARCH_GOT64_PC_LO20", 4}, {78, "R_LARCH_GOT64_PC_HI12", 4},
    {79, "R_LARCH_GOT_HI20", 4}, {80, "R_LARCH_GOT_LO12", 4}, {81, "R_LARCH_GOT64_LO20", 4},
    {82, "R_LARCH_GOT64_HI12", 4}, {83, "R_LARCH_TLS_LE_HI20", 4}, {84, "R_LARCH_TLS_LE_LO12", 4},
    {85, "R_LARCH_TLS_LE64_LO20", 4}, {86, "R_LARCH_TLS_LE64_HI12", 4}, {87, "R_LARCH_TLS_IE_PC_HI20", 4},
    {88, "R_LARCH_TLS_IE_PC_LO12", 4}, {89, "R_LARCH_TLS_IE64_PC_LO20", 4}, {90, "R_LARCH_TLS_IE64_PC_HI12", 4},
    {91, "R_LARCH_TLS_IE_HI20", 4}, {92, "R_LARCH_TLS_IE_LO12", 4}, {93, "R_LARCH_TLS_IE64_LO20", 4},
    {94, "R_LARCH_TLS_IE64_HI12", 4}, {95, "R_LARCH_TLS_LD_PC_HI20", 4}, {96, "R_LARCH_TLS_LD_HI20", kNo},
    {97, "R_LARCH_TLS_GD_PC_HI20", 4}, {98, "R_LARCH_TLS_GD_HI20", kNo}, {99, "R_LARCH_32_PCREL", 4},
    {100, "R_LARCH_RELAX", 0}, {101, "R_LARCH_DELETE", kNo}, {102, "R_LARCH_ALIGN", 0},
    {103, "R_LARCH_PCREL20_S2", 4}, {104, "R_LARCH_CFA", kNo}, {105, "R_LARCH_ADD6", 1},
    {106, "R_LARCH_SUB6", 1},
    // ULEB128: at least one byte; the scan checks the whole number's bytes.
    {107, "R_LARCH_ADD_ULEB128", 1}, {108, "R_LARCH_SUB_ULEB128", 1},
    {109, "R_LARCH_64_PCREL", 8}, {110, "R_LARCH_CALL36", 8},
    {111, "R_LARCH_TLS_DESC_PC_HI20", 4}, {112, "R_LARCH_TLS_DESC_PC_LO12", 4},
    {113, "R_LARCH_TLS_DESC64_PC_LO20", kNo}, {114, "R_LARCH_TLS_DESC64_PC_HI12", kNo},
    {115, "R_LARCH_TLS_DESC_HI20", kNo}, {116, "R_LARCH_TLS_DESC_LO12", kNo},
    {117, "R_LARCH_TLS_DESC64_LO20", kNo}, {118, "R_LARCH_TLS_DESC64_HI12", kNo},
    {119, "R_LARCH_TLS_DESC_LD", 4}, {120, "R_LARCH_TLS_DESC_CALL", 4},
    {121, "R_LARCH_TLS_LE_HI20_R", 4}, {122, "R_LARCH_TLS_LE_ADD_R", 0}, {123, "R_LARCH_TLS_LE_LO12_R", 4},
    {124, "R_LARCH_TLS_LD_PCREL20_S2", kNo}, {125, "R_LARCH_TLS_GD_PCREL20_S2", kNo},
    {126, "R_LARCH_TLS_DESC_PCREL20_S2", kNo},
};

// Each type's row by number: the scan asks for every entry's, and a walk of
// kNames was over half of the scan's time (perf, la64-large).
constexpr std::array<u8, 128> kRowOf = [] {
  std::array<u8, 128> at{};
  for (u8& a : at) a = 0xff;
  for (size_t i = 0; i < std::size(kNames); i++) at[kNames[i].type] = u8(i);
  return at;
}();
static_assert(std::size(kNames) < 0xff);
const Named* find(u32 type) { return type < kRowOf.size() && kRowOf[type] != 0xff ? &kNames[kRowOf[type]] : nullptr; }
const Named* find_any(u32 type) { return type & kInternal ? find(type & 0xff) : type <= 0xff ? find(type) : nullptr; }
std::string_view type_name(u32 type) {
  const Named* n = find_any(type);
  return n ? std::string_view(n->name) : unknown_type_name(type);
}
// Bytes a type writes: 0 for none, ~0u for a type this loader does not apply.
u32 field_width(u32 type) {
  if (type & kInternal) {
    if (form_of(type) == form_of(kFollow)) return 0;  // the run's first owns the field
    if (uleb_len_of(type) && uleb_len_of(type) != uleb_len_of(kChain)) return uleb_len_of(type);
  }
  const Named* n = find_any(type);
  return !n || n->width == kNo ? ~0u : n->width;
}

bool is_add(u32 t) { return (t >= R_LARCH_ADD8 && t <= R_LARCH_ADD64) || t == R_LARCH_ADD6 || t == R_LARCH_ADD_ULEB128; }
bool is_run_type(u32 t) {
  return (t >= R_LARCH_ADD8 && t <= R_LARCH_SUB64) || (t >= R_LARCH_ADD6 && t <= R_LARCH_SUB_ULEB128);
}
bool is_uleb(u32 t) { return t == R_LARCH_ADD_ULEB128 || t == R_LARCH_SUB_ULEB128; }
bool is_tls_type(u32 t) {
  return (t >= R_LARCH_TLS_DTPMOD32 && t <= R_LARCH_TLS_TPREL64) || (t >= R_LARCH_TLS_LE_HI20 && t <= R_LARCH_TLS_GD_HI20) ||
         (t >= R_LARCH_TLS_DESC_PC_HI20 && t <= R_LARCH_TLS_LE_LO12_R);
}
// The high part of each family, and its LO20 (8 bytes on, in the extreme model).
u32 wide_partner(u32 t) {
  switch (t) {
    case R_LARCH_ABS_HI20: return R_LARCH_ABS64_LO20;
    case R_LARCH_PCALA_HI20: return R_LARCH_PCALA64_LO20;
    case R_LARCH_GOT_PC_HI20: return R_LARCH_GOT64_PC_LO20;
    case R_LARCH_GOT_HI20: return R_LARCH_GOT64_LO20;
    case R_LARCH_TLS_LE_HI20: return R_LARCH_TLS_LE64_LO20;
    case R_LARCH_TLS_IE_PC_HI20: return R_LARCH_TLS_IE64_PC_LO20;
    case R_LARCH_TLS_IE_HI20: return R_LARCH_TLS_IE64_LO20;
  }
  return 0;
}

// The LO20 types wide_partner names: the second word of an extreme-model
// tail.
bool is_wide_lo20(u32 t) {
  switch (t) {
    case R_LARCH_ABS64_LO20: case R_LARCH_PCALA64_LO20: case R_LARCH_GOT64_PC_LO20: case R_LARCH_GOT64_LO20:
    case R_LARCH_TLS_LE64_LO20: case R_LARCH_TLS_IE64_PC_LO20: case R_LARCH_TLS_IE64_LO20:
      return true;
  }
  return false;
}
// ElfScan::arch_table_state: what the table has shown so far (pair).
constexpr u64 kSawHigh = 1, kSawLo20 = 2;

// The call stub: pcaddu12i t8, 0; ld.d t8, t8, 16; jr t8; nop; then the
// target word at 16 (t8, r20: a temporary no argument uses).
constexpr u8 kStub[24] = {
    0x14, 0x00, 0x00, 0x1c,  // pcaddu12i $t8, 0
    0x94, 0x42, 0xc0, 0x28,  // ld.d $t8, $t8, 16
    0x80, 0x02, 0x00, 0x4c,  // jirl $zero, $t8, 0
    0x00, 0x00, 0x40, 0x03,  // nop (andi $zero, $zero, 0)
    0, 0, 0, 0, 0, 0, 0, 0,  // .dword target
};
void write_stub(u8* where) { std::memcpy(where, kStub, sizeof kStub); }

// Rewrites of a call to __tls_get_addr (little-endian instruction words).
constexpr u8 kAddA0Tp[4] = {0x84, 0x88, 0x10, 0x00};            // add.d $a0, $a0, $tp
constexpr u8 kAddA0TpNop[8] = {0x84, 0x88, 0x10, 0x00,          // add.d $a0, $a0, $tp
                               0x00, 0x00, 0x40, 0x03};         // nop
constexpr u8 kAddA0TpRet[8] = {0x84, 0x88, 0x10, 0x00,          // add.d $a0, $a0, $tp
                               0x20, 0x00, 0x00, 0x4c};         // ret (jirl $zero, $ra, 0)
constexpr u32 kNop = 0x03400000;

u32 insn_at(const ElfScan& scan, u64 offset) { return load_le<u32>(&scan.bytes[offset]); }
bool is_pcalau12i(u32 i) { return (i & 0xfe000000u) == 0x1a000000u; }
bool is_pcaddu18i(u32 i) { return (i & 0xfe000000u) == 0x1e000000u; }
bool is_addi_d(u32 i) { return (i & 0xffc00000u) == 0x02c00000u; }
bool is_ld_d(u32 i) { return (i & 0xffc00000u) == 0x28c00000u; }
bool is_jirl(u32 i) { return (i & 0xfc000000u) == 0x4c000000u; }
bool is_bl(u32 i) { return (i & 0xfc000000u) == 0x54000000u; }
u32 rd_of(u32 i) { return i & 0x1f; }

// The little-endian ULEB128 at p (at most `room` bytes): its length, 0 if it
// does not end inside them or is longer than a 64-bit value needs.
u32 uleb_length(const u8* p, u64 room) {
  for (u32 n = 0; n < room && n < 10; n++)
    if (!(p[n] & 0x80)) return n + 1;
  return 0;
}

std::string tls_phrase(ElfScan& scan, const ElfRelocation& r, bool tls) {
  std::string_view n = scan.name(r.symbol);
  return format("refers to '%.*s', which is %sthread-local", int(n.size()), n.data(), tls ? "" : "not ");
}

// Checks, in order: the type is one this loader applies; its field (the
// whole ULEB128 for the ULEB types) lies inside the section; a TLS type
// refers to a thread-local symbol and an address type does not (the GOT
// PC forms on a thread-local symbol are general dynamic's low parts); TLS
// code only in the static model; GOT forms have addend 0 (one slot per
// symbol); an ADD_ULEB128 is followed by its SUB_ULEB128 at the same field
// and a SUB_ULEB128 follows one; a TLS rewrite has the section's bytes and
// the instruction its relocation names (else that entry fails when applied).
Error scan(ElfScan& scan, const ElfRelocation& r, RelocationEntry& e) {
  const u32 t = r.type;
  if (t > 0xff) {  // the loader's own forms never come from a file
    ElfRelocation unnamed = r;
    unnamed.type = t & ~kInternal;
    return scan.error(ErrorKind::Unsupported, unnamed, "has a type the LoongArch loader does not support");
  }
  const u32 width = field_width(t);
  const u64 run_at = scan.arch_state & ((u64(1) << 56) - 1), run_width = scan.arch_state >> 56;
  scan.arch_state = 0;
  if (width == ~0u) return scan.error(ErrorKind::Unsupported, r, "has a type the LoongArch loader does not support");
  if (t == R_LARCH_NONE || t == R_LARCH_RELAX || t == R_LARCH_ALIGN || t == R_LARCH_MARK_LA ||
      t == R_LARCH_MARK_PCREL || t == R_LARCH_TLS_LE_ADD_R)
    return Error::success();  // markers: nothing is written (ALIGN's NOPs stay)
  TRY(scan.check_field(r, r.offset, width));
  const bool gd_low = r.symbol && r.tls() &&
                      (t == R_LARCH_GOT_PC_LO12 || t == R_LARCH_GOT64_PC_LO20 || t == R_LARCH_GOT64_PC_HI12);
  if (r.symbol && !gd_low) {
    if (is_tls_type(t) && !r.tls()) return scan.error(ErrorKind::Unsupported, r, tls_phrase(scan, r, false));
    // Debug information (loaded with process-all-sections) may locate a
    // thread-local variable with a plain 32/64 word: its TP offset.
    const bool debug_word = (t == R_LARCH_32 || t == R_LARCH_64) && !scan.sections[scan.section_id].allocatable;
    if (!is_tls_type(t) && r.tls() && !debug_word) e.flags |= kRelBadTls;
  }
  if ((is_tls_type(t) || gd_low) && scan.dynamic_tls)
    return scan.error(ErrorKind::Unsupported, r,
                      "is LoongArch TLS code, which is loaded in the static model only (it cannot run in this process)");
  if (is_run_type(t)) {
    u64 len = width;
    if (is_uleb(t)) {
      if (scan.bytes.empty()) return scan.error(ErrorKind::Malformed, r, "patches a section without contents");
      len = uleb_length(&scan.bytes[r.offset], scan.bytes.size() - r.offset);
      if (!len) return scan.error(ErrorKind::Malformed, r, "patches a ULEB128 that does not end inside its section");
      TRY(scan.check_field(r, r.offset, len));
      if (t == R_LARCH_ADD_ULEB128) {
        const ElfRelocation* sub = scan.next();
        if (!sub || sub->type != R_LARCH_SUB_ULEB128 || sub->offset != r.offset)
          return scan.error(ErrorKind::Malformed, r, "is not followed by its SUB_ULEB128 at the same place");
      } else if (run_at != r.offset + 1 || run_width != len) {
        return scan.error(ErrorKind::Malformed, r, "does not follow its ADD_ULEB128 at the same place");
      }
    }
    const u32 uleb = is_uleb(t) ? u32(len) << kLenShift : 0;
    scan.arch_state = (r.offset + 1) | (len << 56);
    if (run_at == r.offset + 1 && run_width == len) {
      u32 chain = 0;
      if (!uleb) {
        const ElfRelocation* nx = scan.next();
        if (nx && nx->offset == r.offset && is_run_type(nx->type) && !is_uleb(nx->type) && field_width(nx->type) == len)
          chain = kChain;
      }
      e.type = u16(kFollow | uleb | chain | t);
      scan.field_width = 0;
      return Error::success();
    }
    if (scan.bytes.empty()) return scan.error(ErrorKind::Malformed, r, "patches a section without contents");
    const u8* p = &scan.bytes[r.offset];
    u64 orig = 0;
    if (uleb) {
      for (u32 i = 0; i < len; i++) orig |= u64(p[i] & 0x7f) << (7 * i);
    } else if (t == R_LARCH_ADD6 || t == R_LARCH_SUB6) {
      orig = p[0] & 0x3f;
    } else {
      for (u32 i = 0; i < len; i++) orig |= u64(p[i]) << (8 * i);
    }
    e.addend = is_add(t) ? i64(u64(r.addend) + orig) : i64(u64(r.addend) - orig);  // ADD: V + S + A; SUB: V - (S + A)
    e.type = u16(kFirst | uleb | t);
    return Error::success();
  }
  auto patch = [&](u64 at, const u8* bytes, u32 n) { scan.patches->push_back(Patch{scan.section_id, at, bytes, n}); };
  auto need_bytes = [&]() -> Error {
    if (scan.bytes.empty()) return scan.error(ErrorKind::Malformed, r, "patches a section without contents");
    return Error::success();
  };
  // Whether a high part is the extreme model's (the top of this file) is
  // decided once the whole table is seen (pair), and only for a table that
  // has both a high part and a LO20 that can widen one: the normal and
  // medium code models have no LO20, and their loads skip pair entirely.
  if (wide_partner(t)) scan.arch_table_state |= kSawHigh;
  else if (is_wide_lo20(t)) scan.arch_table_state |= kSawLo20;
  if (scan.arch_table_state == (kSawHigh | kSawLo20)) scan.pending_pairs = true;
  switch (t) {
    case R_LARCH_B26: case R_LARCH_CALL36:
      // General dynamic's call, rewritten with its sequence (the top of this file).
      if (!scan.dynamic_tls && r.undefined() && scan.own_name(r.symbol) == "__tls_get_addr") {
        TRY(need_bytes());
        const u32 i = insn_at(scan, r.offset);
        if (t == R_LARCH_B26) {
          if (!is_bl(i))
            return scan.error(ErrorKind::Unsupported, r,
                              format("is on 0x%08x, not the bl of a call to __tls_get_addr", i));
          patch(r.offset, kAddA0Tp, 4);
        } else {
          const u32 j = insn_at(scan, r.offset + 4);
          if (!is_pcaddu18i(i) || !is_jirl(j) || (rd_of(j) != 1 && rd_of(j) != 0))
            return scan.error(ErrorKind::Unsupported, r,
                              format("is on 0x%08x 0x%08x, not the pcaddu18i; jirl ra (or zero) of a call to "
                                     "__tls_get_addr", i, j));
          patch(r.offset, rd_of(j) == 1 ? kAddA0TpNop : kAddA0TpRet, 8);
        }
        e.flags |= kRelConsumed;
        return Error::success();
      }
      if (r.by_name()) e.flags |= kRelStub;
      return Error::success();
    case R_LARCH_GOT_PC_LO12: case R_LARCH_GOT64_PC_LO20: case R_LARCH_GOT64_PC_HI12:
      if (gd_low) {
        if (t != R_LARCH_GOT_PC_LO12)
          return scan.error(ErrorKind::Unsupported, r,
                            "is general- or local-dynamic TLS code of the extreme code model, which has no "
                            "local-exec rewrite here (compile with -mcmodel=normal or medium, or -ftls-model=initial-exec)");
        TRY(need_bytes());
        if (!is_addi_d(insn_at(scan, r.offset))) e.flags |= kRelBadInsn;
        e.type = u16(kLe | t);
        return Error::success();
      }
      [[fallthrough]];
    case R_LARCH_GOT_PC_HI20: case R_LARCH_GOT_HI20: case R_LARCH_GOT_LO12: case R_LARCH_GOT64_LO20:
    case R_LARCH_GOT64_HI12: case R_LARCH_TLS_IE_PC_HI20: case R_LARCH_TLS_IE_PC_LO12:
    case R_LARCH_TLS_IE64_PC_LO20: case R_LARCH_TLS_IE64_PC_HI12: case R_LARCH_TLS_IE_HI20: case R_LARCH_TLS_IE_LO12:
    case R_LARCH_TLS_IE64_LO20: case R_LARCH_TLS_IE64_HI12: {
      // One slot per symbol (the psABI's G is per symbol): an addend has no slot.
      if (r.addend != 0)
        return scan.error(ErrorKind::Unsupported, r,
                          "has addend " + std::to_string(r.addend) + ", not 0: the GOT has one slot per symbol");
      const bool ie = t >= R_LARCH_TLS_IE_PC_HI20 && t <= R_LARCH_TLS_IE64_HI12;
      e.flags |= (ie ? kRelGotTpoff : kRelGot) | kRelNeedsGot;
      return Error::success();
    }
    case R_LARCH_TLS_GD_PC_HI20: case R_LARCH_TLS_LD_PC_HI20:
      TRY(need_bytes());
      if (!is_pcalau12i(insn_at(scan, r.offset))) e.flags |= kRelBadInsn;
      e.type = u16(kLe | t);
      return Error::success();
    case R_LARCH_TLS_DESC_PC_HI20: case R_LARCH_TLS_DESC_PC_LO12: case R_LARCH_TLS_DESC_LD:
    case R_LARCH_TLS_DESC_CALL: {
      TRY(need_bytes());
      const u32 i = insn_at(scan, r.offset);
      const bool ok = t == R_LARCH_TLS_DESC_PC_HI20 ? is_pcalau12i(i)
                    : t == R_LARCH_TLS_DESC_PC_LO12 ? is_addi_d(i)
                    : t == R_LARCH_TLS_DESC_LD      ? is_ld_d(i)
                                                    : is_jirl(i);
      if (!ok) e.flags |= kRelBadInsn;
      e.type = u16(kLe | t);
      return Error::success();
    }
  }
  return Error::success();
}

// Marks each high part whose table has its family's LO20 8 bytes on as the
// extreme model's (kWide): its page distance may be any 64-bit value.
Error pair(ElfScan&, std::span<RelocationEntry> entries, u64, u64) {
  std::vector<std::pair<u32, u32>> lo20s;  // (offset, type): the LO20s only, all any high part can want
  for (const RelocationEntry& e : entries)
    if (!(e.type & kInternal) && is_wide_lo20(e.type)) lo20s.push_back({e.offset, e.type});
  std::sort(lo20s.begin(), lo20s.end());
  for (RelocationEntry& e : entries) {
    const u32 want = (e.type & kInternal) ? 0 : wide_partner(e.type);
    if (!want || e.offset > ~u32(0) - 8) continue;
    auto it = std::lower_bound(lo20s.begin(), lo20s.end(), std::pair<u32, u32>{e.offset + 8, 0});
    for (; it != lo20s.end() && it->first == e.offset + 8; ++it)
      if (it->second == want) {
        e.type = u16(kWide | e.type);
        break;
      }
  }
  return Error::success();
}

// ---- encoders (instructions: little-endian words) --------------------------

[[gnu::cold]] Error misaligned(i64 v) {
  return Error(ErrorKind::Unsupported,
               format("value 0x%llx is not a multiple of 4: branch targets are 4-byte aligned", (unsigned long long)v));
}
inline void put_si12(u8* loc, u64 v) { put_bits(loc, 10, 12, v); }  // [21:10]
inline void put_si20(u8* loc, u64 v) { put_bits(loc, 5, 20, v); }   // [24:5]
// A PC-relative word count split as B16 ([25:10]), B21 ([25:10] then
// [4:0]) or B26 ([25:10] then [9:0]): d must be a multiple of 4 and fit
// `bits` signed bits.
inline Error put_branch(u8* loc, i64 d, unsigned bits) {
  if (!fits_signed(d, bits)) return out_of_range(d, -(i64(1) << (bits - 1)), (i64(1) << (bits - 1)) - 1);
  if (d & 3) return misaligned(d);
  const u64 w = u64(d) >> 2;
  put_bits(loc, 10, 16, w);
  if (bits == 23) put_bits(loc, 0, 5, w >> 16);
  if (bits == 28) put_bits(loc, 0, 10, w >> 16);
  return Error::success();
}
// pcaddu18i + jirl: hi20 = (d + 0x20000) >> 18, the jirl's si16 the rest
// in words; reach: d + 0x20000 fits 38 signed bits.
inline Error put_call36(u8* loc, i64 d) {
  const u64 rounded = u64(d) + 0x20000;  // modulo 2^64: a d near the top wraps and is out of range
  if (!fits_signed(i64(rounded), 38))
    return out_of_range(d, -(i64(1) << 37) - 0x20000, (i64(1) << 37) - 0x20000 - 1);
  if (d & 3) return misaligned(d);
  put_si20(loc, rounded >> 18);
  put_bits(loc + 4, 10, 16, u64(d) >> 2);
  return Error::success();
}
// The page distance a pcalau12i at `pc` carries for target X, as the
// 64-bit value whose bits [31:12], [51:32], [63:52] its HI20, LO20 and
// HI12 take (the top of this file: both sign-extension corrections).
inline u64 page_delta(u64 X, u64 pc) {
  u64 r = (X & ~u64(0xfff)) - (pc & ~u64(0xfff));
  if (X & 0x800) r += 0x1000 - (u64(1) << 32);  // the si12 low part is negative
  if (r & 0x80000000u) r += u64(1) << 32;       // pcalau12i sign-extends bit 31
  return r;
}
// A HI20 outside the extreme model: its page distance (of X + 0x800) must
// fit pcalau12i's signed 32 bits.
inline Error pc_hi20_reach(u64 X, u64 P) {
  const i64 d = i64(((X + 0x800) & ~u64(0xfff)) - (P & ~u64(0xfff)));
  if (!fits_signed(d, 32)) return out_of_range(d, INT32_MIN, INT32_MAX - 0xfff);
  return Error::success();
}
// An absolute lu12i.w outside the extreme model: X must be the sign
// extension of its low 32 bits.
inline Error abs_hi20_reach(u64 X) {
  if (!fits_signed(i64(X), 32)) return out_of_range(i64(X), INT32_MIN, INT32_MAX);
  return Error::success();
}
// A TP offset the local-exec rewrite (lu12i.w; ori) reaches.
inline Error le_reach(u64 X) { return abs_hi20_reach(X); }

// Writes the low `bytes` bytes of v (1, 2, 3, 4 or 8).
inline void put_low(u8* loc, u64 v, u32 bytes) {
  for (u32 i = 0; i < bytes; i++) loc[i] = u8(v >> (8 * i));
}
inline u64 get_low(const u8* loc, u32 bytes) {
  u64 v = 0;
  for (u32 i = 0; i < bytes; i++) v |= u64(loc[i]) << (8 * i);
  return v;
}
inline void put_uleb_wrapped(u8* loc, u64 v, u32 n) {
  for (u32 i = 0; i < n; i++) loc[i] = u8((v >> (7 * i)) & 0x7f) | (i + 1 < n ? 0x80 : 0);
}
inline Error put_uleb(u8* loc, u64 v, u32 n) {
  if (n < 10 && (v >> (7 * n))) return out_of_range_unsigned(v, (u64(1) << (7 * n)) - 1);
  put_uleb_wrapped(loc, v, n);
  return Error::success();
}

// The label-difference runs at one field (scan): the first writes from
// the file's field (folded into A), its followers modify what it wrote. A
// follower whose first was not applied in this pass fails too.
struct RunState {
  const u8* loc = nullptr;
  u64 uleb_sum = 0;  // ADD_ULEB128's full V + S + A, for its SUB_ULEB128
};
thread_local RunState run_state;

[[gnu::cold]] Error first_not_applied() {
  return Error(ErrorKind::Unsupported, "is not applied: the relocation before it at this field was not");
}

u32 data_width(u32 base) {
  switch (base) {
    case R_LARCH_ADD8: case R_LARCH_SUB8: return 1;
    case R_LARCH_ADD16: case R_LARCH_SUB16: return 2;
    case R_LARCH_ADD24: case R_LARCH_SUB24: return 3;
    case R_LARCH_ADD32: case R_LARCH_SUB32: return 4;
    default: return 8;
  }
}

[[gnu::noinline]] Error apply_run(Fixup& f, u32 t) {
  const bool follower = form_of(t) == form_of(kFollow);
  const u32 uleb_len = uleb_len_of(t);
  const bool chain = follower && uleb_len == uleb_len_of(kChain);
  if (follower && run_state.loc != f.loc) return first_not_applied();
  const u32 base = t & 0xff;
  const u64 SA = f.S + u64(f.A);
  Error err = Error::success();
  if (is_uleb(base)) {
    if (!follower) {  // ADD_ULEB128 first: V + S + A, half a difference (never an error)
      run_state.uleb_sum = SA;
      f.value = SA;
      put_uleb_wrapped(f.loc, SA, uleb_len);
    } else {  // SUB_ULEB128 after it: the difference, checked against the field's room
      f.value = base == R_LARCH_SUB_ULEB128 ? run_state.uleb_sum - SA : run_state.uleb_sum + SA;
      run_state.uleb_sum = f.value;
      err = put_uleb(f.loc, f.value, uleb_len);
    }
  } else if (base == R_LARCH_ADD6 || base == R_LARCH_SUB6) {
    // First: A holds the file's 6 bits (scan); follower: reads them back.
    const u64 v = follower ? f.loc[0] & 0x3f : 0;
    f.value = base == R_LARCH_ADD6 ? v + SA : v - SA;
    f.loc[0] = u8((f.loc[0] & 0xc0) | (f.value & 0x3f));
  } else {
    const u32 n = data_width(base);
    const bool add = base <= R_LARCH_ADD64;
    if (!follower) f.value = add ? SA : -SA;  // A holds the file's field (scan)
    else f.value = add ? get_low(f.loc, n) + SA : get_low(f.loc, n) - SA;
    put_low(f.loc, f.value, n);
  }
  run_state.loc = err || (follower && !chain) ? nullptr : f.loc;
  return err;
}

[[gnu::always_inline]] inline Error apply(Fixup& f) {
  using Via = RelocationOutcome::Via;
  const u64 S = f.S, A = u64(f.A), P = f.P, G = f.G, L = f.L;
  const u32 t = f.type;
  f.effective = S + A;
  f.value = S + A;
  if ((t & kInternal) && (form_of(t) == form_of(kFirst) || form_of(t) == form_of(kFollow))) return apply_run(f, t);
  const u64 X = S + A;
  switch (t) {
    case R_LARCH_NONE: case R_LARCH_RELAX: case R_LARCH_ALIGN: case R_LARCH_MARK_LA: case R_LARCH_MARK_PCREL:
    case R_LARCH_TLS_LE_ADD_R:
      f.via = Via::None;
      return Error::success();
    // ---- data ----
    case R_LARCH_32: case R_LARCH_TLS_TPREL32: case R_LARCH_TLS_DTPREL32:
      return put_int_or_uint(f.loc, i64(X), 32);
    case R_LARCH_64: case R_LARCH_TLS_TPREL64: case R_LARCH_TLS_DTPREL64:
      put_64(f.loc, X);
      return Error::success();
    // The static model's one module (its index 1); DTPREL is the offset in
    // it, which with the block at tp is the TP offset (TLS_DTV_OFFSET 0).
    case R_LARCH_TLS_DTPMOD32:
      f.value = f.effective = 1;
      store_le<u32>(f.loc, 1);
      return Error::success();
    case R_LARCH_TLS_DTPMOD64:
      f.value = f.effective = 1;
      put_64(f.loc, 1);
      return Error::success();
    case R_LARCH_32_PCREL:
      f.value = X - P;
      return put_s32(f.loc, i64(X - P));
    case R_LARCH_64_PCREL:
      f.value = X - P;
      put_64(f.loc, X - P);
      return Error::success();
    // ---- branches and calls ----
    case R_LARCH_B16:
      f.value = X - P;
      return put_branch(f.loc, i64(X - P), 18);
    case R_LARCH_B21:
      f.value = X - P;
      return put_branch(f.loc, i64(X - P), 23);
    case R_LARCH_B26: {
      i64 d = i64(X - P);
      // The stub jumps to S; a call to S + A (A != 0) cannot use it.
      if (!fits_signed(d, 28) && L && A == 0) {
        f.via = Via::Stub;
        d = i64(L - P);
      }
      f.value = u64(d);
      return put_branch(f.loc, d, 28);
    }
    case R_LARCH_CALL36: {
      i64 d = i64(X - P);
      if (!fits_signed(i64(u64(d) + 0x20000), 38) && L && A == 0) {
        f.via = Via::Stub;
        d = i64(L - P);
      }
      f.value = u64(d);
      return put_call36(f.loc, d);
    }
    case R_LARCH_PCREL20_S2: {
      const i64 d = i64(X - P);
      f.value = u64(d);
      if (!fits_signed(d, 22)) return out_of_range(d, -(i64(1) << 21), (i64(1) << 21) - 1);
      if (d & 3) return misaligned(d);
      put_si20(f.loc, u64(d) >> 2);
      return Error::success();
    }
    // ---- absolute pieces: lu12i.w; ori; lu32i.d; lu52i.d ----
    case R_LARCH_ABS_HI20: case R_LARCH_TLS_LE_HI20:
      TRY(abs_hi20_reach(X));
      [[fallthrough]];
    case kWide | R_LARCH_ABS_HI20: case kWide | R_LARCH_TLS_LE_HI20:
      f.value = (X >> 12) & 0xfffff;
      put_si20(f.loc, X >> 12);
      return Error::success();
    case R_LARCH_ABS_LO12: case R_LARCH_TLS_LE_LO12: case R_LARCH_PCALA_LO12: case R_LARCH_TLS_LE_LO12_R:
      f.value = X & 0xfff;
      put_si12(f.loc, X);
      return Error::success();
    case R_LARCH_ABS64_LO20: case R_LARCH_TLS_LE64_LO20:
      f.value = (X >> 32) & 0xfffff;
      put_si20(f.loc, X >> 32);
      return Error::success();
    case R_LARCH_ABS64_HI12: case R_LARCH_TLS_LE64_HI12:
      f.value = X >> 52;
      put_si12(f.loc, X >> 52);
      return Error::success();
    case R_LARCH_TLS_LE_HI20_R:  // lu12i.w then a sign-extending addi.d: X + 0x800
      if (!fits_signed(i64(X + 0x800), 32)) return out_of_range(i64(X), INT32_MIN - i64(0x800), INT32_MAX - i64(0x800));
      f.value = ((X + 0x800) >> 12) & 0xfffff;
      put_si20(f.loc, (X + 0x800) >> 12);
      return Error::success();
    // ---- absolute GOT slots (G; IE: the slot holding the TP offset) ----
    case R_LARCH_GOT_HI20: case R_LARCH_TLS_IE_HI20:
      TRY(abs_hi20_reach(G));
      [[fallthrough]];
    case kWide | R_LARCH_GOT_HI20: case kWide | R_LARCH_TLS_IE_HI20:
      f.via = Via::Got;
      f.value = (G >> 12) & 0xfffff;
      put_si20(f.loc, G >> 12);
      return Error::success();
    case R_LARCH_GOT_LO12: case R_LARCH_TLS_IE_LO12:
      f.via = Via::Got;
      f.value = G & 0xfff;
      put_si12(f.loc, G);
      return Error::success();
    case R_LARCH_GOT64_LO20: case R_LARCH_TLS_IE64_LO20:
      f.via = Via::Got;
      f.value = (G >> 32) & 0xfffff;
      put_si20(f.loc, G >> 32);
      return Error::success();
    case R_LARCH_GOT64_HI12: case R_LARCH_TLS_IE64_HI12:
      f.via = Via::Got;
      f.value = G >> 52;
      put_si12(f.loc, G >> 52);
      return Error::success();
    // ---- PC-relative pages: pcalau12i; si12; lu32i.d; lu52i.d ----
    case R_LARCH_PCALA_HI20:
      TRY(pc_hi20_reach(X, P));
      [[fallthrough]];
    case kWide | R_LARCH_PCALA_HI20:
      f.value = (page_delta(X, P) >> 12) & 0xfffff;
      put_si20(f.loc, page_delta(X, P) >> 12);
      return Error::success();
    case R_LARCH_PCALA64_LO20:
      f.value = (page_delta(X, P - 8) >> 32) & 0xfffff;
      put_si20(f.loc, page_delta(X, P - 8) >> 32);
      return Error::success();
    case R_LARCH_PCALA64_HI12:
      f.value = page_delta(X, P - 12) >> 52;
      put_si12(f.loc, page_delta(X, P - 12) >> 52);
      return Error::success();
    case R_LARCH_GOT_PC_HI20: case R_LARCH_TLS_IE_PC_HI20:
      TRY(pc_hi20_reach(G, P));
      [[fallthrough]];
    case kWide | R_LARCH_GOT_PC_HI20: case kWide | R_LARCH_TLS_IE_PC_HI20:
      f.via = Via::Got;
      f.value = (page_delta(G, P) >> 12) & 0xfffff;
      put_si20(f.loc, page_delta(G, P) >> 12);
      return Error::success();
    case R_LARCH_GOT_PC_LO12: case R_LARCH_TLS_IE_PC_LO12:
      f.via = Via::Got;
      f.value = G & 0xfff;
      put_si12(f.loc, G);
      return Error::success();
    case R_LARCH_GOT64_PC_LO20: case R_LARCH_TLS_IE64_PC_LO20:
      f.via = Via::Got;
      f.value = (page_delta(G, P - 8) >> 32) & 0xfffff;
      put_si20(f.loc, page_delta(G, P - 8) >> 32);
      return Error::success();
    case R_LARCH_GOT64_PC_HI12: case R_LARCH_TLS_IE64_PC_HI12:
      f.via = Via::Got;
      f.value = page_delta(G, P - 12) >> 52;
      put_si12(f.loc, page_delta(G, P - 12) >> 52);
      return Error::success();
    // ---- TLS rewritten to local exec (X: the TP offset); whole words,
    // built aside, so that a failure leaves the instruction as it was ----
    case kLe | R_LARCH_TLS_GD_PC_HI20: case kLe | R_LARCH_TLS_LD_PC_HI20: {  // pcalau12i rd -> lu12i.w rd
      TRY(le_reach(X));
      u8 w[4];
      store_le<u32>(w, 0x14000000u | rd_of(load_le<u32>(f.loc)));
      put_si20(w, X >> 12);
      std::memcpy(f.loc, w, 4);
      return Error::success();
    }
    case kLe | R_LARCH_GOT_PC_LO12: {  // addi.d rd, rj, 0 -> ori rd, rj, %le_lo12
      TRY(le_reach(X));
      u8 w[4];
      store_le<u32>(w, 0x03800000u | (load_le<u32>(f.loc) & 0x3ffu));
      put_si12(w, X);
      std::memcpy(f.loc, w, 4);
      return Error::success();
    }
    case kLe | R_LARCH_TLS_DESC_PC_HI20: case kLe | R_LARCH_TLS_DESC_PC_LO12:
      TRY(le_reach(X));
      store_le<u32>(f.loc, kNop);
      return Error::success();
    case kLe | R_LARCH_TLS_DESC_LD: {  // -> lu12i.w $a0, %le_hi20
      TRY(le_reach(X));
      u8 w[4];
      store_le<u32>(w, 0x14000004u);
      put_si20(w, X >> 12);
      std::memcpy(f.loc, w, 4);
      return Error::success();
    }
    case kLe | R_LARCH_TLS_DESC_CALL: {  // -> ori $a0, $a0, %le_lo12
      TRY(le_reach(X));
      u8 w[4];
      store_le<u32>(w, 0x03800084u);
      put_si12(w, X);
      std::memcpy(f.loc, w, 4);
      return Error::success();
    }
  }
  return Error(ErrorKind::Unsupported, "has a type the LoongArch loader cannot apply");
}

const RelocationArch kReloc = {
    .name = "loongarch64",
    .got_entry_size = 8,
    .stub_size = sizeof(kStub),
    .stub_align = 8,
    .stub_address_offset = 16,
    .abs64_type = R_LARCH_64,
    .tpoff64_type = R_LARCH_TLS_TPREL64,
    .write_stub = write_stub,
    .type_name = type_name,
    .apply_runs = apply_runs<apply>,
    .pc32_type = R_LARCH_32_PCREL,
};

}  // namespace

// TLS variant I with no TCB before the block: tp points at the first
// thread-local byte (glibc's LoongArch port: TLS_TCB_SIZE 0, the thread
// descriptor before tp).
const ElfArch kLoongArch64 = {
    .machine = EM_LOONGARCH,
    .elf_class = ELFCLASS64,
    .little_endian = true,
    .reloc = &kReloc,
    .scan = scan,
    .field_width = field_width,
    .tls_abi = {.variant_one = true, .tcb_size = 0},
    .pair = pair,
};

}  // namespace jitload::elf
