// ELF AArch64 (little- and big-endian), following the ELF for the Arm
// 64-bit Architecture psABI (aaelf64, §5.7 "Relocation", and its TLS
// sections on the local-exec, initial-exec and TLS-descriptor models).
//
// What is unusual here, next to x86-64: most fields are bit fields inside a
// 32-bit instruction (immediates of ADR/ADRP, ADD, LDR/STR, B/BL, B.cond,
// TBZ, MOVZ/MOVK/MOVN), so a relocation keeps the instruction's other bits
// and writes only its immediate. Instructions are little-endian even in a
// big-endian (aarch64_be) object, where data words (ABS64, PREL32, GOT
// slots, the veneer's address word) are big-endian: one file serves both
// byte orders through `apply<BigEndian>`. Many types are "page" forms:
// ADRP reaches Page(S+A) - Page(P) within ±4 GiB and the low 12 bits come
// from a second relocation (ADD/LDST *_LO12_NC), scaled by the access size.
// An ADRP out of reach is an error naming the relocation (LLVM 19 asserts
// there, #71963). B/BL reach ±128 MiB; a call to a symbol bound by name
// goes through a veneer (ldr x16, #8; br x16; .quad S) when S is farther.
// MOVW_SABS/PREL/TPREL Gn turn MOVZ into MOVN for a negative value. TLS in
// the static model: local-exec fields take S's offset from the thread
// pointer; initial-exec reads it from a GOT slot; TLS descriptor and
// traditional general-dynamic sequences are rewritten to local-exec
// (movz/movk, and mrs tpidr_el0 + add for the traditional call), as a
// static linker does; local dynamic takes the module's block to start at
// the thread pointer (DTPREL = TPREL, _TLS_MODULE_BASE_ at TP offset 0,
// the traditional call becomes mrs tpidr_el0). That is also how AArch64
// code runs with real TLS (jitload-runner-aarch64 under qemu): the
// static reserve sits at positive offsets from tpidr_el0
// (core/tls-runtime.h). IFUNC symbols get a stub and a trampoline that
// calls the resolver once (below).
//
// Letters, as in the psABI: S symbol, A addend, P place, G GOT slot,
// GOT the GOT's address, L veneer; Page(x) = x & ~0xfff. G and L are
// addresses here.
#include "engine/loader/core/apply-runs.h"
#include "engine/loader/core/encode.h"
#include "engine/loader/elf/arch.h"
#include "engine/loader/elf/elf.h"

namespace jitload::elf {
namespace {

enum : u32 {
  R_AARCH64_NONE = 0,
  R_AARCH64_ABS64 = 257,
  R_AARCH64_ABS32 = 258,
  R_AARCH64_ABS16 = 259,
  R_AARCH64_PREL64 = 260,
  R_AARCH64_PREL32 = 261,
  R_AARCH64_PREL16 = 262,
  R_AARCH64_MOVW_UABS_G0 = 263,
  R_AARCH64_MOVW_UABS_G0_NC = 264,
  R_AARCH64_MOVW_UABS_G1 = 265,
  R_AARCH64_MOVW_UABS_G1_NC = 266,
  R_AARCH64_MOVW_UABS_G2 = 267,
  R_AARCH64_MOVW_UABS_G2_NC = 268,
  R_AARCH64_MOVW_UABS_G3 = 269,
  R_AARCH64_MOVW_SABS_G0 = 270,
  R_AARCH64_MOVW_SABS_G1 = 271,
  R_AARCH64_MOVW_SABS_G2 = 272,
  R_AARCH64_LD_PREL_LO19 = 273,
  R_AARCH64_ADR_PREL_LO21 = 274,
  R_AARCH64_ADR_PREL_PG_HI21 = 275,
  R_AARCH64_ADR_PREL_PG_HI21_NC = 276,
  R_AARCH64_ADD_ABS_LO12_NC = 277,
  R_AARCH64_LDST8_ABS_LO12_NC = 278,
  R_AARCH64_TSTBR14 = 279,
  R_AARCH64_CONDBR19 = 280,
  R_AARCH64_JUMP26 = 282,
  R_AARCH64_CALL26 = 283,
  R_AARCH64_LDST16_ABS_LO12_NC = 284,
  R_AARCH64_LDST32_ABS_LO12_NC = 285,
  R_AARCH64_LDST64_ABS_LO12_NC = 286,
  R_AARCH64_MOVW_PREL_G0 = 287,
  R_AARCH64_MOVW_PREL_G0_NC = 288,
  R_AARCH64_MOVW_PREL_G1 = 289,
  R_AARCH64_MOVW_PREL_G1_NC = 290,
  R_AARCH64_MOVW_PREL_G2 = 291,
  R_AARCH64_MOVW_PREL_G2_NC = 292,
  R_AARCH64_MOVW_PREL_G3 = 293,
  R_AARCH64_LDST128_ABS_LO12_NC = 299,
  R_AARCH64_ADR_GOT_PAGE = 311,
  R_AARCH64_GOT_LD_PREL19 = 309,
  R_AARCH64_LD64_GOT_LO12_NC = 312,
  R_AARCH64_LD64_GOTPAGE_LO15 = 313,
  R_AARCH64_PLT32 = 314,
  R_AARCH64_GOTPCREL32 = 315,
  R_AARCH64_TLSGD_ADR_PAGE21 = 513,
  R_AARCH64_TLSGD_ADD_LO12_NC = 514,
  R_AARCH64_TLSLD_ADR_PAGE21 = 518,
  R_AARCH64_TLSLD_ADD_LO12_NC = 519,
  R_AARCH64_TLSLD_MOVW_DTPREL_G2 = 523,
  R_AARCH64_TLSLD_MOVW_DTPREL_G1 = 524,
  R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC = 525,
  R_AARCH64_TLSLD_MOVW_DTPREL_G0 = 526,
  R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC = 527,
  R_AARCH64_TLSLD_ADD_DTPREL_HI12 = 528,
  R_AARCH64_TLSLD_ADD_DTPREL_LO12 = 529,
  R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC = 530,
  R_AARCH64_TLSLD_LDST8_DTPREL_LO12 = 531,
  R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC = 532,
  R_AARCH64_TLSLD_LDST16_DTPREL_LO12 = 533,
  R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC = 534,
  R_AARCH64_TLSLD_LDST32_DTPREL_LO12 = 535,
  R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC = 536,
  R_AARCH64_TLSLD_LDST64_DTPREL_LO12 = 537,
  R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC = 538,
  R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21 = 541,
  R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC = 542,
  R_AARCH64_TLSIE_LD_GOTTPREL_PREL19 = 543,
  R_AARCH64_TLSLE_MOVW_TPREL_G2 = 544,
  R_AARCH64_TLSLE_MOVW_TPREL_G1 = 545,
  R_AARCH64_TLSLE_MOVW_TPREL_G1_NC = 546,
  R_AARCH64_TLSLE_MOVW_TPREL_G0 = 547,
  R_AARCH64_TLSLE_MOVW_TPREL_G0_NC = 548,
  R_AARCH64_TLSLE_ADD_TPREL_HI12 = 549,
  R_AARCH64_TLSLE_ADD_TPREL_LO12 = 550,
  R_AARCH64_TLSLE_ADD_TPREL_LO12_NC = 551,
  R_AARCH64_TLSLE_LDST8_TPREL_LO12 = 552,
  R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC = 553,
  R_AARCH64_TLSLE_LDST16_TPREL_LO12 = 554,
  R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC = 555,
  R_AARCH64_TLSLE_LDST32_TPREL_LO12 = 556,
  R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC = 557,
  R_AARCH64_TLSLE_LDST64_TPREL_LO12 = 558,
  R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC = 559,
  R_AARCH64_TLSDESC_ADR_PAGE21 = 562,
  R_AARCH64_TLSDESC_LD64_LO12 = 563,
  R_AARCH64_TLSDESC_ADD_LO12 = 564,
  R_AARCH64_TLSDESC_CALL = 569,
  R_AARCH64_TLSLE_LDST128_TPREL_LO12 = 570,
  R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC = 571,
  R_AARCH64_TLSLD_LDST128_DTPREL_LO12 = 572,
  R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC = 573,
  R_AARCH64_TLS_TPREL64 = 1030,
};

// psABI names, including the types this loader refuses (so messages name
// them); width 0: not applied here.
struct Named {
  u32 type;
  const char* name;
  u8 width;
};
constexpr Named kNames[] = {
    {0, "R_AARCH64_NONE", 0}, {256, "R_AARCH64_NONE", 0},
    {257, "R_AARCH64_ABS64", 8}, {258, "R_AARCH64_ABS32", 4}, {259, "R_AARCH64_ABS16", 2},
    {260, "R_AARCH64_PREL64", 8}, {261, "R_AARCH64_PREL32", 4}, {262, "R_AARCH64_PREL16", 2},
    {263, "R_AARCH64_MOVW_UABS_G0", 4}, {264, "R_AARCH64_MOVW_UABS_G0_NC", 4},
    {265, "R_AARCH64_MOVW_UABS_G1", 4}, {266, "R_AARCH64_MOVW_UABS_G1_NC", 4},
    {267, "R_AARCH64_MOVW_UABS_G2", 4}, {268, "R_AARCH64_MOVW_UABS_G2_NC", 4},
    {269, "R_AARCH64_MOVW_UABS_G3", 4}, {270, "R_AARCH64_MOVW_SABS_G0", 4},
    {271, "R_AARCH64_MOVW_SABS_G1", 4}, {272, "R_AARCH64_MOVW_SABS_G2", 4},
    {273, "R_AARCH64_LD_PREL_LO19", 4}, {274, "R_AARCH64_ADR_PREL_LO21", 4},
    {275, "R_AARCH64_ADR_PREL_PG_HI21", 4}, {276, "R_AARCH64_ADR_PREL_PG_HI21_NC", 4},
    {277, "R_AARCH64_ADD_ABS_LO12_NC", 4}, {278, "R_AARCH64_LDST8_ABS_LO12_NC", 4},
    {279, "R_AARCH64_TSTBR14", 4}, {280, "R_AARCH64_CONDBR19", 4}, {282, "R_AARCH64_JUMP26", 4},
    {283, "R_AARCH64_CALL26", 4}, {284, "R_AARCH64_LDST16_ABS_LO12_NC", 4},
    {285, "R_AARCH64_LDST32_ABS_LO12_NC", 4}, {286, "R_AARCH64_LDST64_ABS_LO12_NC", 4},
    {287, "R_AARCH64_MOVW_PREL_G0", 4}, {288, "R_AARCH64_MOVW_PREL_G0_NC", 4},
    {289, "R_AARCH64_MOVW_PREL_G1", 4}, {290, "R_AARCH64_MOVW_PREL_G1_NC", 4},
    {291, "R_AARCH64_MOVW_PREL_G2", 4}, {292, "R_AARCH64_MOVW_PREL_G2_NC", 4},
    {293, "R_AARCH64_MOVW_PREL_G3", 4}, {299, "R_AARCH64_LDST128_ABS_LO12_NC", 4},
    {300, "R_AARCH64_MOVW_GOTOFF_G0", 0}, {307, "R_AARCH64_GOTREL64", 0}, {308, "R_AARCH64_GOTREL32", 0},
    {309, "R_AARCH64_GOT_LD_PREL19", 4}, {310, "R_AARCH64_LD64_GOTOFF_LO15", 0},
    {311, "R_AARCH64_ADR_GOT_PAGE", 4}, {312, "R_AARCH64_LD64_GOT_LO12_NC", 4},
    {313, "R_AARCH64_LD64_GOTPAGE_LO15", 4}, {314, "R_AARCH64_PLT32", 4}, {315, "R_AARCH64_GOTPCREL32", 4},
    {512, "R_AARCH64_TLSGD_ADR_PREL21", 0}, {513, "R_AARCH64_TLSGD_ADR_PAGE21", 4},
    {514, "R_AARCH64_TLSGD_ADD_LO12_NC", 4}, {517, "R_AARCH64_TLSLD_ADR_PREL21", 0},
    {518, "R_AARCH64_TLSLD_ADR_PAGE21", 4}, {519, "R_AARCH64_TLSLD_ADD_LO12_NC", 4},
    {520, "R_AARCH64_TLSLD_MOVW_G1", 0}, {521, "R_AARCH64_TLSLD_MOVW_G0_NC", 0},
    {522, "R_AARCH64_TLSLD_LD_PREL19", 0}, {523, "R_AARCH64_TLSLD_MOVW_DTPREL_G2", 4},
    {524, "R_AARCH64_TLSLD_MOVW_DTPREL_G1", 4}, {525, "R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC", 4},
    {526, "R_AARCH64_TLSLD_MOVW_DTPREL_G0", 4}, {527, "R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC", 4},
    {528, "R_AARCH64_TLSLD_ADD_DTPREL_HI12", 4}, {529, "R_AARCH64_TLSLD_ADD_DTPREL_LO12", 4},
    {530, "R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC", 4}, {531, "R_AARCH64_TLSLD_LDST8_DTPREL_LO12", 4},
    {532, "R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC", 4}, {533, "R_AARCH64_TLSLD_LDST16_DTPREL_LO12", 4},
    {534, "R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC", 4}, {535, "R_AARCH64_TLSLD_LDST32_DTPREL_LO12", 4},
    {536, "R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC", 4}, {537, "R_AARCH64_TLSLD_LDST64_DTPREL_LO12", 4},
    {538, "R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC", 4},
    {539, "R_AARCH64_TLSIE_MOVW_GOTTPREL_G1", 0}, {540, "R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC", 0},
    {541, "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21", 4}, {542, "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC", 4},
    {543, "R_AARCH64_TLSIE_LD_GOTTPREL_PREL19", 4},
    {544, "R_AARCH64_TLSLE_MOVW_TPREL_G2", 4}, {545, "R_AARCH64_TLSLE_MOVW_TPREL_G1", 4},
    {546, "R_AARCH64_TLSLE_MOVW_TPREL_G1_NC", 4}, {547, "R_AARCH64_TLSLE_MOVW_TPREL_G0", 4},
    {548, "R_AARCH64_TLSLE_MOVW_TPREL_G0_NC", 4}, {549, "R_AARCH64_TLSLE_ADD_TPREL_HI12", 4},
    {550, "R_AARCH64_TLSLE_ADD_TPREL_LO12", 4}, {551, "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC", 4},
    {552, "R_AARCH64_TLSLE_LDST8_TPREL_LO12", 4}, {553, "R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC", 4},
    {554, "R_AARCH64_TLSLE_LDST16_TPREL_LO12", 4}, {555, "R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC", 4},
    {556, "R_AARCH64_TLSLE_LDST32_TPREL_LO12", 4}, {557, "R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC", 4},
    {558, "R_AARCH64_TLSLE_LDST64_TPREL_LO12", 4}, {559, "R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC", 4},
    {560, "R_AARCH64_TLSDESC_LD_PREL19", 0}, {561, "R_AARCH64_TLSDESC_ADR_PREL21", 0},
    {562, "R_AARCH64_TLSDESC_ADR_PAGE21", 4}, {563, "R_AARCH64_TLSDESC_LD64_LO12", 4},
    {564, "R_AARCH64_TLSDESC_ADD_LO12", 4}, {565, "R_AARCH64_TLSDESC_OFF_G1", 0},
    {566, "R_AARCH64_TLSDESC_OFF_G0_NC", 0}, {567, "R_AARCH64_TLSDESC_LDR", 0},
    {568, "R_AARCH64_TLSDESC_ADD", 0}, {569, "R_AARCH64_TLSDESC_CALL", 4},
    {570, "R_AARCH64_TLSLE_LDST128_TPREL_LO12", 4}, {571, "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC", 4},
    {572, "R_AARCH64_TLSLD_LDST128_DTPREL_LO12", 4}, {573, "R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC", 4},
    {1024, "R_AARCH64_COPY", 0}, {1025, "R_AARCH64_GLOB_DAT", 0}, {1026, "R_AARCH64_JUMP_SLOT", 0},
    {1027, "R_AARCH64_RELATIVE", 0}, {1028, "R_AARCH64_TLS_DTPMOD64", 0}, {1029, "R_AARCH64_TLS_DTPREL64", 0},
    {1030, "R_AARCH64_TLS_TPREL64", 8}, {1031, "R_AARCH64_TLSDESC", 0}, {1032, "R_AARCH64_IRELATIVE", 0},
};

const Named* find(u32 type) {
  for (const Named& n : kNames)
    if (n.type == type) return &n;
  return nullptr;
}
std::string_view type_name(u32 type) {
  const Named* n = find(type);
  return n ? std::string_view(n->name) : unknown_type_name(type);
}
bool is_none(u32 type) { return type == R_AARCH64_NONE || type == 256; }  // 256: the psABI's withdrawn alias
// Bytes a type writes: 0 for NONE, ~0u for a type this loader does not apply.
u32 field_width(u32 type) {
  if (is_none(type)) return 0;
  const Named* n = find(type);
  return n && n->width ? n->width : ~0u;
}

// The veneer: ldr x16, #8; br x16; .quad target (x16, IP0, is the register
// the psABI leaves to veneers). The address word is data: in the object's
// byte order, as the ldr reads it.
constexpr u8 kStub[16] = {
    0x50, 0x00, 0x00, 0x58,  // ldr x16, #8
    0x00, 0x02, 0x1f, 0xd6,  // br x16
    0, 0, 0, 0, 0, 0, 0, 0,  // .quad target
};
void write_stub(u8* where) { std::memcpy(where, kStub, sizeof kStub); }

// IFUNC (STT_GNU_IFUNC): each symbol's stub finds its slot pair {target,
// resolver} through a PC-relative data word (R_AARCH64_PREL64: any distance,
// in the object's byte order, as ldr reads it) and jumps through the first
// slot, with x16 holding the pair's address:
//   adr x16, #24; ldr x17, [x16]; add x16, x16, x17; ldr x17, [x16]; br x17;
//   brk #0; .xword slots - .
// The first slot starts as the shared trampoline, which keeps the argument
// registers (x0-x8 and q0-q7, the AAPCS64 ones), calls the resolver once,
// stores its answer in the slot and jumps to it.
constexpr u8 kIfuncTrampoline[104] = {
    0xfd, 0x7b, 0xb2, 0xa9,  // stp x29, x30, [sp, #-224]!
    0xfd, 0x03, 0x00, 0x91,  // mov x29, sp
    0xe0, 0x07, 0x01, 0xa9,  // stp x0, x1, [sp, #16]
    0xe2, 0x0f, 0x02, 0xa9,  // stp x2, x3, [sp, #32]
    0xe4, 0x17, 0x03, 0xa9,  // stp x4, x5, [sp, #48]
    0xe6, 0x1f, 0x04, 0xa9,  // stp x6, x7, [sp, #64]
    0xe8, 0x43, 0x05, 0xa9,  // stp x8, x16, [sp, #80]
    0xe0, 0x07, 0x03, 0xad,  // stp q0, q1, [sp, #96]
    0xe2, 0x0f, 0x04, 0xad,  // stp q2, q3, [sp, #128]
    0xe4, 0x17, 0x05, 0xad,  // stp q4, q5, [sp, #160]
    0xe6, 0x1f, 0x06, 0xad,  // stp q6, q7, [sp, #192]
    0x11, 0x06, 0x40, 0xf9,  // ldr x17, [x16, #8]   (the resolver)
    0x20, 0x02, 0x3f, 0xd6,  // blr x17
    0xf1, 0x03, 0x00, 0xaa,  // mov x17, x0
    0xe6, 0x1f, 0x46, 0xad,  // ldp q6, q7, [sp, #192]
    0xe4, 0x17, 0x45, 0xad,  // ldp q4, q5, [sp, #160]
    0xe2, 0x0f, 0x44, 0xad,  // ldp q2, q3, [sp, #128]
    0xe0, 0x07, 0x43, 0xad,  // ldp q0, q1, [sp, #96]
    0xe8, 0x43, 0x45, 0xa9,  // ldp x8, x16, [sp, #80]
    0xe6, 0x1f, 0x44, 0xa9,  // ldp x6, x7, [sp, #64]
    0xe4, 0x17, 0x43, 0xa9,  // ldp x4, x5, [sp, #48]
    0xe2, 0x0f, 0x42, 0xa9,  // ldp x2, x3, [sp, #32]
    0xe0, 0x07, 0x41, 0xa9,  // ldp x0, x1, [sp, #16]
    0xfd, 0x7b, 0xce, 0xa8,  // ldp x29, x30, [sp], #224
    0x11, 0x02, 0x00, 0xf9,  // str x17, [x16]      (the slot now holds the answer)
    0x20, 0x02, 0x1f, 0xd6,  // br x17
};
constexpr u8 kIfuncStub[32] = {
    0xd0, 0x00, 0x00, 0x10,  // adr x16, #24
    0x11, 0x02, 0x40, 0xf9,  // ldr x17, [x16]
    0x10, 0x02, 0x11, 0x8b,  // add x16, x16, x17
    0x11, 0x02, 0x40, 0xf9,  // ldr x17, [x16]
    0x20, 0x02, 0x1f, 0xd6,  // br x17
    0x00, 0x00, 0x20, 0xd4,  // brk #0
    0, 0, 0, 0, 0, 0, 0, 0,  // .xword slots - .
};
void write_ifunc_trampoline(u8* where) { std::memcpy(where, kIfuncTrampoline, sizeof kIfuncTrampoline); }
void write_ifunc_stub(u8* where) { std::memcpy(where, kIfuncStub, sizeof kIfuncStub); }

// Rewrites to local exec (instructions, little-endian words).
constexpr u8 kMovzX0Lsl16[4] = {0x00, 0x00, 0xa0, 0xd2};  // movz x0, #0, lsl #16
constexpr u8 kMovkX0[4] = {0x00, 0x00, 0x80, 0xf2};       // movk x0, #0
constexpr u8 kNop[4] = {0x1f, 0x20, 0x03, 0xd5};          // nop
constexpr u8 kGdLe[12] = {
    0x40, 0xd0, 0x3b, 0xd5,  // mrs x0, tpidr_el0
    0x00, 0x00, 0x40, 0x91,  // add x0, x0, #:tprel_hi12:, lsl #12
    0x00, 0x00, 0x00, 0x91,  // add x0, x0, #:tprel_lo12_nc:
};
constexpr u8 kLdLe[12] = {
    0x40, 0xd0, 0x3b, 0xd5,  // mrs x0, tpidr_el0   (the module's block starts at TP: DTPREL = TPREL)
    0x1f, 0x20, 0x03, 0xd5,  // nop
    0x1f, 0x20, 0x03, 0xd5,  // nop
};

bool is_tls_type(u32 t) { return t >= 512 && t < 1024; }
// The forms whose field takes S's offset (TPREL, or DTPREL, which is the
// same number here: see "Local dynamic" in scan) and need no rewrite.
bool is_tls_value(u32 t) {
  return (t >= 544 && t <= 559) || t == 570 || t == 571 || t == R_AARCH64_TLS_TPREL64 ||
         (t >= R_AARCH64_TLSLD_MOVW_DTPREL_G2 && t <= R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC) ||
         t == R_AARCH64_TLSLD_LDST128_DTPREL_LO12 || t == R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC;
}

std::string symbol_phrase(ElfScan& scan, const ElfRelocation& r) {
  std::string_view n = scan.name(r.symbol);
  return format("refers to '%.*s', which is not thread-local", int(n.size()), n.data());
}

// The TLS rewrites' instruction shapes (instructions are little-endian
// words in either byte order): adrp x0; ldr xN, [x0, #imm]; add x0, x0,
// #imm; blr xN.
u32 insn_at(const ElfScan& scan, u64 offset) { return get_word<u32>(&scan.bytes[offset], false); }
bool is_adrp_x0(u32 i) { return (i & 0x9f00001f) == 0x90000000; }
bool is_ldr64_from_x0(u32 i) { return (i & 0xffc003e0) == 0xf9400000; }
bool is_add_x0_x0(u32 i) { return (i & 0xffc003ff) == 0x91000000; }
bool is_blr(u32 i) { return (i & 0xfffffc1f) == 0xd63f0000; }
bool is_bl(u32 i) { return (i & 0xfc000000) == 0x94000000; }

// Checks, in order: the type is one this loader applies (the names table
// with a width); its 4- or 8-byte field lies inside the section; a TLS type
// refers to a thread-local symbol and an address type does not; TLS code is
// only rewritten in the static model (dynamic TLS is x86-64's; an AArch64
// host's SectionMemoryManager serves the static model); the rewrite
// of a TLS sequence needs the section's bytes and, for the traditional
// general-dynamic and local-dynamic calls, the ADD and the BL to
// __tls_get_addr right after it (local dynamic: the instructions too).
Error scan(ElfScan& scan, const ElfRelocation& r, RelocationEntry& e) {
  const u32 t = r.type;
  const u32 width = field_width(t);
  scan.field_width = width == ~0u ? 0 : width;
  if (width == ~0u) return scan.error(ErrorKind::Unsupported, r, "has a type the AArch64 loader does not support");
  if (is_none(t)) {
    e.type = R_AARCH64_NONE;
    return Error::success();
  }
  TRY(scan.check_field(r, r.offset, width));
  if (!is_tls_type(t) && t != R_AARCH64_TLS_TPREL64) {
    if (r.tls()) e.flags |= kRelBadTls;
  } else if (r.symbol && !r.tls()) {
    if (is_tls_value(t)) e.flags |= kRelBadTls;
    else return scan.error(ErrorKind::Unsupported, r, symbol_phrase(scan, r));
  }
  // The GOT keeps one slot per symbol, while aaelf64 (§5.7.10, §5.7.12)
  // names a slot per S + A (GDAT(S + A)): a GOT or GOTTPREL form with a
  // non-zero addend has no slot here and is refused rather than served
  // from S's slot (the reference's documented rule, reference.h "AArch64").
  const bool got_form = t == R_AARCH64_ADR_GOT_PAGE || t == R_AARCH64_LD64_GOT_LO12_NC ||
                        t == R_AARCH64_GOTPCREL32 || t == R_AARCH64_LD64_GOTPAGE_LO15 ||
                        t == R_AARCH64_GOT_LD_PREL19 ||
                        t == R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21 ||
                        t == R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC || t == R_AARCH64_TLSIE_LD_GOTTPREL_PREL19;
  if (got_form && r.addend != 0)
    return scan.error(ErrorKind::Unsupported, r,
                      "has addend " + std::to_string(r.addend) + ", not 0: the GOT has one slot per symbol");
  switch (t) {
    case R_AARCH64_CALL26: case R_AARCH64_JUMP26: case R_AARCH64_PLT32:
      if (r.by_name()) e.flags |= kRelStub;
      return Error::success();
    case R_AARCH64_ADR_GOT_PAGE: case R_AARCH64_LD64_GOT_LO12_NC: case R_AARCH64_GOTPCREL32:
    case R_AARCH64_GOT_LD_PREL19:
      e.flags |= kRelGot | kRelNeedsGot;
      return Error::success();
    case R_AARCH64_LD64_GOTPAGE_LO15:
      e.flags |= kRelGot | kRelNeedsGot;
      return Error::success();
    case R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21: case R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC:
    case R_AARCH64_TLSIE_LD_GOTTPREL_PREL19:
      if (scan.dynamic_tls) break;
      e.flags |= kRelGotTpoff | kRelNeedsGot;
      return Error::success();
    default:
      if (!is_tls_type(t)) return Error::success();
      if (scan.dynamic_tls) break;
  }
  if (scan.dynamic_tls)
    return scan.error(ErrorKind::Unsupported, r,
                      "is AArch64 TLS code, which is loaded in the static model only (it cannot run in this process)");
  if (is_tls_value(t)) return Error::success();
  if (scan.bytes.empty()) return scan.error(ErrorKind::Malformed, r, "patches a section without contents");
  auto patch = [&](u64 at, const u8* bytes, u32 n) {
    scan.patches->push_back(Patch{scan.section_id, at, bytes, n});
  };
  switch (t) {
    // TLS descriptor: adrp x0; ldr x1, [x0, #lo]; add x0, x0, #lo; blr x1
    // becomes movz x0, #:tprel_g1:; movk x0, #:tprel_g0_nc:; nop; nop
    // (x0 then holds the offset from the thread pointer, as the
    // descriptor's function would return).
    // Each instruction must be the sequence's (the reference's shapes,
    // reference.h "AArch64"); one that is not keeps its bytes and fails
    // when applied, as the reference's does, while the others are rewritten.
    // The relaxed ADR/LD entries keep their types: apply() writes the TP
    // offset, checked to [0, 2^32), into the movz/movk put here.
    case R_AARCH64_TLSDESC_ADR_PAGE21:
      if (!is_adrp_x0(insn_at(scan, r.offset))) return e.flags |= kRelBadInsn, Error::success();
      patch(r.offset, kMovzX0Lsl16, 4);
      e.flags |= kRelRelaxed;
      return Error::success();
    case R_AARCH64_TLSDESC_LD64_LO12:
      if (!is_ldr64_from_x0(insn_at(scan, r.offset))) return e.flags |= kRelBadInsn, Error::success();
      patch(r.offset, kMovkX0, 4);
      e.flags |= kRelRelaxed;
      return Error::success();
    case R_AARCH64_TLSDESC_ADD_LO12: case R_AARCH64_TLSDESC_CALL: {
      u32 insn = insn_at(scan, r.offset);
      if (t == R_AARCH64_TLSDESC_ADD_LO12 ? !is_add_x0_x0(insn) : !is_blr(insn))
        return e.flags |= kRelBadInsn, Error::success();
      patch(r.offset, kNop, 4);
      e.flags |= kRelConsumed;
      return Error::success();
    }
    // Traditional general dynamic: adrp x0; add x0, x0, #lo; bl __tls_get_addr
    // becomes mrs x0, tpidr_el0; add x0, x0, #hi12, lsl #12; add x0, x0, #lo12
    // (x0 then holds the variable's address, as __tls_get_addr returns).
    // The three words are rewritten together, by this entry: each must be
    // the sequence's instruction (adrp x0; add x0, x0; bl), else this entry
    // and its add keep their bytes and fail when applied (the reference
    // fails the one on the wrong instruction; the object is refused alike).
    // scan.arch_state tells the add which adrp came before it, and whether
    // it was rewritten: (offset of the add + 1) * 2 + rewritten (0: none).
    case R_AARCH64_TLSGD_ADR_PAGE21: {
      const ElfRelocation* add = scan.next();
      if (!add || add->type != R_AARCH64_TLSGD_ADD_LO12_NC || add->offset != r.offset + 4 ||
          !in_bounds(r.offset, 12, scan.bytes.size()))
        return scan.error(ErrorKind::Unsupported, r,
                          "is not followed by its TLSGD_ADD_LO12_NC and call: the general-dynamic sequence "
                          "adrp/add/bl __tls_get_addr is the only form rewritten");
      const bool sequence = is_adrp_x0(insn_at(scan, r.offset)) && is_add_x0_x0(insn_at(scan, r.offset + 4)) &&
                            is_bl(insn_at(scan, r.offset + 8));
      scan.arch_state = (r.offset + 5) * 2 + (sequence ? 1 : 0);
      if (!sequence) return e.flags |= kRelBadInsn, Error::success();
      patch(r.offset, kGdLe, 12);
      e.type = R_AARCH64_TLSLE_ADD_TPREL_HI12;
      e.offset += 4;
      e.flags |= kRelRelaxed;  // inside the rewritten sequence, which it owns
      return Error::success();
    }
    // A tail call (JUMP26, b) is no part of it: the rewrite falls through.
    case R_AARCH64_TLSGD_ADD_LO12_NC: {
      const ElfRelocation* call = scan.next();
      if (!call || call->type != R_AARCH64_CALL26 || call->offset != r.offset + 4 ||
          scan.own_name(call->symbol) != "__tls_get_addr")
        return scan.error(ErrorKind::Unsupported, r,
                          "is not followed by a call to __tls_get_addr: the general-dynamic sequence "
                          "adrp/add/bl __tls_get_addr is the only form rewritten");
      if (scan.arch_state >> 1 != r.offset + 1)
        return scan.error(ErrorKind::Unsupported, r,
                          "does not follow its TLSGD_ADR_PAGE21: the general-dynamic sequence "
                          "adrp/add/bl __tls_get_addr is the only form rewritten");
      scan.skip_next = true;
      if (!(scan.arch_state & 1)) return e.flags |= kRelBadInsn, Error::success();
      e.type = R_AARCH64_TLSLE_ADD_TPREL_LO12_NC;
      e.offset += 4;
      e.flags |= kRelRelaxed;
      return Error::success();
    }
    // Local dynamic. The static model has one TLS module, whose block is
    // taken to start at the thread pointer itself: a variable's DTPREL is
    // its TPREL (as on x86-64, reference.h: "DTPOFF equals TPOFF"), so the
    // DTPREL forms are value forms (above) and what gives the module's
    // base gives 0 from TP. clang-19 (with -mllvm
    // -aarch64-elf-ldtls-generation=1) asks for the base with a TLS
    // descriptor of _TLS_MODULE_BASE_, which is relaxed as any descriptor
    // (tls_special_symbol binds that name to TP offset 0). The traditional
    // sequence (GNU as: adrp x0, :tlsldm:v; add x0, x0, :tlsldm_lo12_nc:v;
    // bl __tls_get_addr) becomes mrs x0, tpidr_el0; nop; nop (x0 then
    // holds the block's address, as __tls_get_addr(module, 0) returns).
    case R_AARCH64_TLSLD_ADR_PAGE21: {
      const ElfRelocation* add = scan.next();
      if (!add || add->type != R_AARCH64_TLSLD_ADD_LO12_NC || add->offset != r.offset + 4 ||
          !in_bounds(r.offset, 12, scan.bytes.size()) || !is_adrp_x0(insn_at(scan, r.offset)) ||
          !is_add_x0_x0(insn_at(scan, r.offset + 4)) || !is_bl(insn_at(scan, r.offset + 8)))
        return scan.error(ErrorKind::Unsupported, r,
                          "is not followed by its TLSLD_ADD_LO12_NC and call: the local-dynamic sequence "
                          "adrp x0/add x0, x0/bl __tls_get_addr is the only form rewritten");
      patch(r.offset, kLdLe, 12);
      e.flags |= kRelRelaxed;  // owns the rewritten sequence; writes no value
      return Error::success();
    }
    case R_AARCH64_TLSLD_ADD_LO12_NC: {
      const ElfRelocation* call = scan.next();
      const bool after_adrp = !scan.patches->empty() && scan.patches->back().section == scan.section_id &&
                              scan.patches->back().offset + 4 == r.offset && scan.patches->back().bytes == kLdLe;
      if (!after_adrp || !call || (call->type != R_AARCH64_CALL26 && call->type != R_AARCH64_JUMP26) ||
          call->offset != r.offset + 4 || scan.own_name(call->symbol) != "__tls_get_addr")
        return scan.error(ErrorKind::Unsupported, r,
                          "is not between its TLSLD_ADR_PAGE21 and a call to __tls_get_addr: the local-dynamic "
                          "sequence adrp x0/add x0, x0/bl __tls_get_addr is the only form rewritten");
      scan.skip_next = true;
      e.flags |= kRelConsumed;
      return Error::success();
    }
  }
  return scan.error(ErrorKind::Unsupported, r, "has a TLS type the AArch64 loader does not support");
}

// SHT_REL (legacy armasm writes these): the addend is the field's value —
// the data word for ABS/PREL 16/32/64 (sign-extended), imm26 * 4 for
// CALL26/JUMP26; the other types' fields hold none here.
template <bool BE>
bool implicit_addend(u32 type, const u8* p, i64& a) {
  switch (type) {
    case R_AARCH64_ABS64: case R_AARCH64_PREL64: a = i64(get_word<u64>(p, BE)); return true;
    case R_AARCH64_ABS32: case R_AARCH64_PREL32: a = i32(get_word<u32>(p, BE)); return true;
    case R_AARCH64_ABS16: case R_AARCH64_PREL16: a = i16(get_word<u16>(p, BE)); return true;
    case R_AARCH64_CALL26: case R_AARCH64_JUMP26:
      a = i64(u64(load_le<u32>(p) & 0x3ffffff) << 38) >> 36;  // sign-extended imm26, times 4
      return true;
    default:
      return false;
  }
}

// ---- encoders (instructions: little-endian words) --------------------------

[[gnu::cold]] Error misaligned(u64 v, unsigned scale) {
  return Error(ErrorKind::Unsupported,
               format("value 0x%llx is not a multiple of %u, the field's unit", (unsigned long long)v, 1u << scale));
}
// ADR/ADRP: immlo in bits 29-30, immhi in bits 5-23.
inline void put_adr(u8* loc, u64 imm21) {
  put_bits(loc, 29, 2, imm21 & 3);
  put_bits(loc, 5, 19, imm21 >> 2);
}
// Page(S+A) - Page(P) >> 12 into an ADRP; checked: ±4 GiB, unless _NC.
inline Error put_page(u8* loc, u64 target, u64 P, bool check) {
  i64 d = i64((target & ~u64(0xfff)) - (P & ~u64(0xfff)));
  if (check && !fits_signed(d, 33)) return out_of_range(d, -(i64(1) << 32), (i64(1) << 32) - 1);
  put_adr(loc, u64(d) >> 12);
  return Error::success();
}
// A PC-relative branch or literal field of n bits counting words at bit lo.
inline Error put_branch(u8* loc, i64 d, unsigned lo, unsigned n) {
  if (!fits_signed(d, n + 2)) return out_of_range(d, -(i64(1) << (n + 1)), (i64(1) << (n + 1)) - 1);
  if (d & 3) return misaligned(u64(d), 2);
  put_bits(loc, lo, n, u64(d) >> 2);
  return Error::success();
}
// The 12-bit immediate of ADD or of a load/store scaled by its access size.
inline Error put_lo12(u8* loc, u64 v, unsigned scale) {
  u64 lo = v & 0xfff;
  if (lo & ((u64(1) << scale) - 1)) return misaligned(lo, scale);
  put_bits(loc, 10, 12, lo >> scale);
  return Error::success();
}
// MOVZ/MOVK: bits [16*g, 16*g+16) of v into imm16 (bits 5-20).
inline void put_movw(u8* loc, u64 v, unsigned g) { put_bits(loc, 5, 16, v >> (16 * g)); }
// Unsigned group g: checked that v < 2^(16(g+1)).
inline Error put_movw_u(u8* loc, u64 v, unsigned g) {
  if (g < 3 && v >> (16 * (g + 1))) return out_of_range_unsigned(v, (u64(1) << (16 * (g + 1))) - 1);
  put_movw(loc, v, g);
  return Error::success();
}
// Signed group g: MOVZ for v >= 0, MOVN of ~v for v < 0 (opc bit 30);
// checked that v fits 16(g+1)+1 signed bits (g < 3).
inline Error put_movw_s(u8* loc, i64 v, unsigned g, bool check) {
  if (check && g < 3 && !fits_signed(v, 16 * (g + 1) + 1)) {
    i64 lim = i64(1) << (16 * (g + 1));
    return out_of_range(v, -lim, lim - 1);
  }
  // A MOVK (opc, bits 29-30, = 11) keeps its opcode and takes only the
  // immediate: aaelf64 §5.7.6 selects MOVN/MOVZ for a MOV[NZ] only.
  if ((loc[3] & 0x60) == 0x60) {
    put_movw(loc, u64(v), g);
    return Error::success();
  }
  if (v < 0) {
    put_bits(loc, 30, 1, 0);  // MOVN
    put_movw(loc, ~u64(v), g);
  } else {
    put_bits(loc, 30, 1, 1);  // MOVZ
    put_movw(loc, u64(v), g);
  }
  return Error::success();
}
unsigned ldst_scale(u32 t) {
  switch (t) {
    case R_AARCH64_LDST16_ABS_LO12_NC: case R_AARCH64_TLSLE_LDST16_TPREL_LO12:
    case R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC: case R_AARCH64_TLSLD_LDST16_DTPREL_LO12:
    case R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC: return 1;
    case R_AARCH64_LDST32_ABS_LO12_NC: case R_AARCH64_TLSLE_LDST32_TPREL_LO12:
    case R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC: case R_AARCH64_TLSLD_LDST32_DTPREL_LO12:
    case R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC: return 2;
    case R_AARCH64_LDST64_ABS_LO12_NC: case R_AARCH64_TLSLE_LDST64_TPREL_LO12:
    case R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC: case R_AARCH64_TLSLD_LDST64_DTPREL_LO12:
    case R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC: return 3;
    case R_AARCH64_LDST128_ABS_LO12_NC: case R_AARCH64_TLSLE_LDST128_TPREL_LO12:
    case R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC: case R_AARCH64_TLSLD_LDST128_DTPREL_LO12:
    case R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC: return 4;
    default: return 0;
  }
}

template <bool BE>
[[gnu::always_inline]] inline Error apply(Fixup& f) {
  using Via = RelocationOutcome::Via;
  const u64 S = f.S, A = u64(f.A), P = f.P, G = f.G, L = f.L, GOT = f.GOT;
  const u32 t = f.type;
  f.effective = S + A;
  f.value = S + A;
  switch (t) {
    case R_AARCH64_NONE:
      f.via = Via::None;
      return Error::success();
    // ---- data (the object's byte order) ----
    case R_AARCH64_ABS64:          // S + A
    case R_AARCH64_TLS_TPREL64:    // S + A: S is the offset from the thread pointer
      put_64(f.loc, S + A, BE);
      return Error::success();
    case R_AARCH64_ABS32:          // S + A, signed or unsigned 32
      return put_int_or_uint(f.loc, i64(S + A), 32, BE);
    case R_AARCH64_ABS16:
      return put_int_or_uint(f.loc, i64(S + A), 16, BE);
    case R_AARCH64_PREL64:         // S + A - P
      f.value = S + A - P;
      put_64(f.loc, f.value, BE);
      return Error::success();
    case R_AARCH64_PREL32:         // S + A - P, -2^31 <= X < 2^32 (aaelf64 checks either reading)
      f.value = S + A - P;
      return put_int_or_uint(f.loc, i64(f.value), 32, BE);
    case R_AARCH64_PREL16:         // -2^15 <= X < 2^16
      f.value = S + A - P;
      return put_int_or_uint(f.loc, i64(f.value), 16, BE);
    case R_AARCH64_PLT32: {        // L + A - P, L = S within reach
      i64 d = i64(S + A - P);
      if (!fits_signed(d, 32) && L) {
        f.via = Via::Stub;
        d = i64(L + A - P);
      }
      f.value = u64(d);
      return put_s32(f.loc, d, BE);
    }
    case R_AARCH64_GOT_LD_PREL19:  // G - P (tiny code model: LDR literal of the slot), ±1 MiB, words
    case R_AARCH64_TLSIE_LD_GOTTPREL_PREL19:  // the same, to S's TP-offset slot
      f.via = Via::Got;
      f.value = G - P;
      return put_branch(f.loc, i64(f.value), 5, 19);
    case R_AARCH64_GOTPCREL32:     // G + A - P
      f.via = Via::Got;
      f.value = G + A - P;
      return put_s32(f.loc, i64(f.value), BE);
    // ---- MOVW ----
    case R_AARCH64_MOVW_UABS_G0: return put_movw_u(f.loc, S + A, 0);
    case R_AARCH64_MOVW_UABS_G1: return put_movw_u(f.loc, S + A, 1);
    case R_AARCH64_MOVW_UABS_G2: return put_movw_u(f.loc, S + A, 2);
    case R_AARCH64_MOVW_UABS_G3: return put_movw_u(f.loc, S + A, 3);
    case R_AARCH64_MOVW_UABS_G0_NC: put_movw(f.loc, S + A, 0); return Error::success();
    case R_AARCH64_MOVW_UABS_G1_NC: put_movw(f.loc, S + A, 1); return Error::success();
    case R_AARCH64_MOVW_UABS_G2_NC: put_movw(f.loc, S + A, 2); return Error::success();
    case R_AARCH64_MOVW_SABS_G0: return put_movw_s(f.loc, i64(S + A), 0, true);
    case R_AARCH64_MOVW_SABS_G1: return put_movw_s(f.loc, i64(S + A), 1, true);
    case R_AARCH64_MOVW_SABS_G2: return put_movw_s(f.loc, i64(S + A), 2, true);
    case R_AARCH64_MOVW_PREL_G0: case R_AARCH64_MOVW_PREL_G1: case R_AARCH64_MOVW_PREL_G2:
    case R_AARCH64_MOVW_PREL_G3: {
      f.value = S + A - P;
      return put_movw_s(f.loc, i64(f.value), (t - R_AARCH64_MOVW_PREL_G0) / 2, true);
    }
    // The signed _NC pieces: aaelf64 §5.7.6 names a MOVK for them (the
    // immediate only); on a MOVZ/MOVN, which it leaves open, they select
    // MOVN/MOVZ by X's sign as the checked forms do (as lld does; the
    // reference's rule, reference.h), unchecked.
    case R_AARCH64_MOVW_PREL_G0_NC: case R_AARCH64_MOVW_PREL_G1_NC: case R_AARCH64_MOVW_PREL_G2_NC:
      f.value = S + A - P;
      return put_movw_s(f.loc, i64(f.value), (t - R_AARCH64_MOVW_PREL_G0_NC) / 2, false);
    // TPREL, and DTPREL (the same number: scan, "Local dynamic").
    case R_AARCH64_TLSLE_MOVW_TPREL_G2: case R_AARCH64_TLSLD_MOVW_DTPREL_G2:
      return put_movw_s(f.loc, i64(S + A), 2, true);
    case R_AARCH64_TLSLE_MOVW_TPREL_G1: case R_AARCH64_TLSLD_MOVW_DTPREL_G1:
      return put_movw_s(f.loc, i64(S + A), 1, true);
    case R_AARCH64_TLSLE_MOVW_TPREL_G0: case R_AARCH64_TLSLD_MOVW_DTPREL_G0:
      return put_movw_s(f.loc, i64(S + A), 0, true);
    case R_AARCH64_TLSLE_MOVW_TPREL_G1_NC: case R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC:
      return put_movw_s(f.loc, i64(S + A), 1, false);
    case R_AARCH64_TLSLE_MOVW_TPREL_G0_NC: case R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC:
      return put_movw_s(f.loc, i64(S + A), 0, false);
    // The traditional local-dynamic sequence, rewritten by the scan to
    // mrs x0, tpidr_el0; nop; nop: no field left to write.
    case R_AARCH64_TLSLD_ADR_PAGE21:
      f.value = 0;
      return Error::success();
    // A TLSDESC sequence relaxed by the scan: movz x0, #(X >> 16), lsl 16;
    // movk x0, #(X & 0xffff), X the TP offset in [0, 2^32).
    case R_AARCH64_TLSDESC_ADR_PAGE21: case R_AARCH64_TLSDESC_LD64_LO12:
      if ((S + A) >> 32) return out_of_range_unsigned(S + A, 0xffffffff);
      put_movw(f.loc, S + A, t == R_AARCH64_TLSDESC_ADR_PAGE21 ? 1 : 0);
      return Error::success();
    // ---- ADR/ADRP ----
    case R_AARCH64_ADR_PREL_LO21: {
      i64 d = i64(S + A - P);
      f.value = u64(d);
      if (!fits_signed(d, 21)) return out_of_range(d, -(i64(1) << 20), (i64(1) << 20) - 1);
      put_adr(f.loc, u64(d));
      return Error::success();
    }
    case R_AARCH64_ADR_PREL_PG_HI21: case R_AARCH64_ADR_PREL_PG_HI21_NC:
      f.value = ((S + A) & ~u64(0xfff)) - (P & ~u64(0xfff));
      return put_page(f.loc, S + A, P, t == R_AARCH64_ADR_PREL_PG_HI21);
    case R_AARCH64_ADR_GOT_PAGE:              // Page(G) - Page(P)
    case R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21:
      f.via = Via::Got;
      f.value = (G & ~u64(0xfff)) - (P & ~u64(0xfff));
      return put_page(f.loc, G, P, true);
    // ---- low 12 bits ----
    case R_AARCH64_ADD_ABS_LO12_NC: case R_AARCH64_TLSLE_ADD_TPREL_LO12_NC:
    case R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC:
      f.value = (S + A) & 0xfff;
      return put_lo12(f.loc, S + A, 0);
    case R_AARCH64_TLSLE_ADD_TPREL_LO12: case R_AARCH64_TLSLD_ADD_DTPREL_LO12:
      if (S + A > 0xfff) return out_of_range_unsigned(S + A, 0xfff);
      return put_lo12(f.loc, S + A, 0);
    case R_AARCH64_TLSLE_ADD_TPREL_HI12: case R_AARCH64_TLSLD_ADD_DTPREL_HI12:
      if (S + A > 0xffffff) return out_of_range_unsigned(S + A, 0xffffff);
      f.value = (S + A) >> 12;
      put_bits(f.loc, 10, 12, (S + A) >> 12);
      return Error::success();
    case R_AARCH64_LDST8_ABS_LO12_NC: case R_AARCH64_LDST16_ABS_LO12_NC:
    case R_AARCH64_LDST32_ABS_LO12_NC: case R_AARCH64_LDST64_ABS_LO12_NC:
    case R_AARCH64_LDST128_ABS_LO12_NC:
    case R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC: case R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC:
    case R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC: case R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC:
    case R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC:
    case R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC: case R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC:
    case R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC: case R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC:
    case R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC:
      f.value = (S + A) & 0xfff;
      return put_lo12(f.loc, S + A, ldst_scale(t));
    case R_AARCH64_TLSLE_LDST8_TPREL_LO12: case R_AARCH64_TLSLE_LDST16_TPREL_LO12:
    case R_AARCH64_TLSLE_LDST32_TPREL_LO12: case R_AARCH64_TLSLE_LDST64_TPREL_LO12:
    case R_AARCH64_TLSLE_LDST128_TPREL_LO12:
    case R_AARCH64_TLSLD_LDST8_DTPREL_LO12: case R_AARCH64_TLSLD_LDST16_DTPREL_LO12:
    case R_AARCH64_TLSLD_LDST32_DTPREL_LO12: case R_AARCH64_TLSLD_LDST64_DTPREL_LO12:
    case R_AARCH64_TLSLD_LDST128_DTPREL_LO12:
      if (S + A > 0xfff) return out_of_range_unsigned(S + A, 0xfff);
      f.value = S + A;
      return put_lo12(f.loc, S + A, ldst_scale(t));
    case R_AARCH64_LD64_GOT_LO12_NC:          // G & 0xfff, scaled by 8
    case R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC:
      f.via = Via::Got;
      f.value = G & 0xfff;
      return put_lo12(f.loc, G, 3);
    case R_AARCH64_LD64_GOTPAGE_LO15: {       // G - Page(GOT), scaled by 8, 15 bits
      f.via = Via::Got;
      u64 v = G - (GOT & ~u64(0xfff));
      f.value = v;
      if (v >= (u64(1) << 15)) return out_of_range_unsigned(v, (u64(1) << 15) - 1);
      if (v & 7) return misaligned(v, 3);
      put_bits(f.loc, 10, 12, v >> 3);
      return Error::success();
    }
    // ---- branches and literals ----
    case R_AARCH64_CALL26: case R_AARCH64_JUMP26: {  // S + A - P, ±128 MiB; else the veneer
      i64 d = i64(S + A - P);
      if (!fits_signed(d, 28) && L) {
        // The veneer jumps to S; a call to S + A (A != 0: not what a
        // compiler emits for a call) cannot use it and stays out of range.
        if (A == 0) {
          f.via = Via::Stub;
          d = i64(L - P);
        }
      }
      f.value = u64(d);
      return put_branch(f.loc, d, 0, 26);
    }
    case R_AARCH64_CONDBR19: case R_AARCH64_LD_PREL_LO19:
      f.value = S + A - P;
      return put_branch(f.loc, i64(f.value), 5, 19);
    case R_AARCH64_TSTBR14:
      f.value = S + A - P;
      return put_branch(f.loc, i64(f.value), 5, 14);
  }
  return Error(ErrorKind::Unsupported, "has a type the AArch64 loader cannot apply");
}

#define JITLOAD_AARCH64_RELOC(NAME, BE)                  \
  {                                                       \
      .name = NAME,                                       \
      .got_entry_size = 8,                                \
      .stub_size = sizeof(kStub),                         \
      .stub_align = 16,                                   \
      .stub_address_offset = 8,                           \
      .abs64_type = R_AARCH64_ABS64,                      \
      .tpoff64_type = R_AARCH64_TLS_TPREL64,              \
      .write_stub = write_stub,                           \
      .type_name = type_name,                             \
      .apply_runs = apply_runs<apply<BE>>,                \
      .ifunc_trampoline_size = sizeof(kIfuncTrampoline),  \
      .write_ifunc_trampoline = write_ifunc_trampoline,   \
      .ifunc_stub_size = sizeof(kIfuncStub),              \
      .write_ifunc_stub = write_ifunc_stub,               \
      .ifunc_stub_field = 24,                             \
      .pc32_type = R_AARCH64_PREL64,                      \
      .planted_bug_type = R_AARCH64_PREL32,               \
  }
const RelocationArch kRelocLe = JITLOAD_AARCH64_RELOC("aarch64", false);
const RelocationArch kRelocBe = JITLOAD_AARCH64_RELOC("aarch64_be", true);
#undef JITLOAD_AARCH64_RELOC

}  // namespace

const ElfArch kAArch64 = {
    .machine = EM_AARCH64,
    .elf_class = ELFCLASS64,
    .little_endian = true,
    .reloc = &kRelocLe,
    .scan = scan,
    .field_width = field_width,
    .implicit_addend = implicit_addend<false>,
    .tls_abi = {.variant_one = true, .tcb_size = 16},  // aaelf64: TP points at a 16-byte TCB
};
const ElfArch kAArch64Be = {
    .machine = EM_AARCH64,
    .elf_class = ELFCLASS64,
    .little_endian = false,
    .reloc = &kRelocBe,
    .scan = scan,
    .field_width = field_width,
    .implicit_addend = implicit_addend<true>,
    .tls_abi = {.variant_one = true, .tcb_size = 16},
};

}  // namespace jitload::elf
