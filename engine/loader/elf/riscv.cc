// ELF RISC-V, RV64 (ELFCLASS64) and RV32 (ELFCLASS32), little-endian, RELA
// only, following the RISC-V ELF psABI (riscv-elf.adoc, "Relocations",
// "Thread Local Storage", "Code Relaxation").
//
// What is unusual here:
// - %pcrel_lo pairs with its %pcrel_hi by *place*: a PCREL_LO12_I/S (and a
//   TLSDESC_LOAD/ADD_LO12 or TLSDESC_CALL) names a label on the AUIPC that
//   carries the PCREL_HI20 / GOT_HI20 / TLS_GOT_HI20 / TLS_GD_HI20 /
//   TLSDESC_HI20, and its value is the low 12 bits of *that* relocation's
//   value (computed at the AUIPC's place). The label's AUIPC may be anywhere
//   in the table (a loop's head after its body), so pairing waits for the
//   whole table (ElfArch::pair, `pair` below) and rewrites each low part to
//   compute the same value itself: the HI's target and addend, plus the
//   distance between the two places (value = X + A - P at the AUIPC's P =
//   X + (A + (P_lo - P_hi)) - P_lo), through the same GOT slot for GOT forms.
// - ADD/SUB/SET/SUB6/SET6/SET_ULEB128/SUB_ULEB128 come in runs at one field
//   (label differences in .eh_frame and DWARF under linker relaxation). They
//   modify the field in place, which would not survive a second resolve
//   (after a remap). So the first of a run writes from the file's original
//   field, folded into its addend at scan time, and the rest modify what
//   the first wrote: every resolve gives the same bytes.
// - RELAX and ALIGN are honoured without relaxing: no instruction is
//   shortened or deleted, so every place keeps its offset; the NOPs an
//   ALIGN covers stay in place and are valid code (they execute as NOPs).
//   The bytes after such padding keep the object's offsets, so the
//   alignment the padding asked for holds only as far as the assembler's
//   worst-case padding gives it; code runs the same either way.
// - CALL/CALL_PLT (AUIPC+JALR) reach ±2 GiB; a call to a symbol bound by
//   name goes through a stub (auipc t3, 0; l[dw] t3, 16(t3); jr t3; nop;
//   .quad/.word S) when S is farther. JAL (±1 MiB), BRANCH (±4 KiB),
//   RVC_JUMP (±2 KiB) and RVC_BRANCH (±256 B) out of reach are errors
//   naming the relocation, as are HI20/PCREL_HI20 values beyond ±2 GiB.
//   PLT32 never uses a stub (a 32-bit data distance, reference.h).
// - TLS, static model, variant I with a TCB of 0 bytes (TP points at the
//   block: the psABI's "tp points to the start of the TLS block"). Local
//   exec (TPREL_HI20/LO12_I/LO12_S, TPREL_ADD a marker) takes S's TP
//   offset; initial exec (TLS_GOT_HI20) reads it from a GOT slot; general
//   dynamic (TLS_GD_HI20 + its %pcrel_lo + a call to __tls_get_addr) and TLS
//   descriptors (TLSDESC_HI20/LOAD_LO12/ADD_LO12/CALL) are rewritten to
//   local exec, instruction by instruction, as a static linker does:
//     GD:   auipc a0, %tls_gd_pcrel_hi(x)  ->  lui a0, %tprel_hi(x)
//           addi a0, a0, %pcrel_lo(.L)     ->  addi a0, a0, %tprel_lo(x)
//           call __tls_get_addr            ->  add a0, a0, tp; nop
//           tail __tls_get_addr            ->  add a0, a0, tp; ret
//     DESC: auipc a0, %tlsdesc_hi(x)        ->  nop
//           l[dw] a1, %tlsdesc_load_lo(.L)  ->  nop
//           addi a0, a0, %tlsdesc_add_lo(.L) -> lui a0, %tprel_hi(x)  (nop)
//           jalr t0, 0(a1), %tlsdesc_call(.L) -> addi a0, a0, %tprel_lo(x)
//                                               (addi a0, zero, x)
//   (in parentheses the short form ld.lld-19 picks when x's TP offset fits
//   12 bits; reference.h "RISC-V" decides both loaders use it)
//   (a0 then holds the variable's address (GD) or its TP offset (DESC), as
//   the call would have returned).
// - RV32 in a 64-bit process: S, P and G must lie below 4 GiB (or be a
//   sign-extended negative 32-bit value: the 32-bit machine's space), else
//   the relocation fails (Overflow) naming it; the arithmetic on them (S +
//   A, PC-relative differences) wraps modulo 2^32 as the machine does.
//
// Letters, as in the psABI: S symbol, A addend, P place, G the symbol's
// GOT slot, L the stub. G and L are addresses here.
#include <algorithm>
#include <array>
#include <iterator>
#include <unordered_map>
#include <vector>

#include "engine/loader/core/apply-runs.h"
#include "engine/loader/core/encode.h"
#include "engine/loader/elf/arch.h"
#include "engine/loader/elf/elf.h"

namespace jitload::elf {
namespace {

enum : u32 {
  R_RISCV_NONE = 0,
  R_RISCV_TLS_DTPMOD32 = 6,
  R_RISCV_TLS_DTPMOD64 = 7,
  R_RISCV_TLS_DTPREL32 = 8,
  R_RISCV_TLS_DTPREL64 = 9,
  R_RISCV_32 = 1,
  R_RISCV_64 = 2,
  R_RISCV_TLS_TPREL32 = 10,
  R_RISCV_TLS_TPREL64 = 11,
  R_RISCV_BRANCH = 16,
  R_RISCV_JAL = 17,
  R_RISCV_CALL = 18,
  R_RISCV_CALL_PLT = 19,
  R_RISCV_GOT_HI20 = 20,
  R_RISCV_TLS_GOT_HI20 = 21,
  R_RISCV_TLS_GD_HI20 = 22,
  R_RISCV_PCREL_HI20 = 23,
  R_RISCV_PCREL_LO12_I = 24,
  R_RISCV_PCREL_LO12_S = 25,
  R_RISCV_HI20 = 26,
  R_RISCV_LO12_I = 27,
  R_RISCV_LO12_S = 28,
  R_RISCV_TPREL_HI20 = 29,
  R_RISCV_TPREL_LO12_I = 30,
  R_RISCV_TPREL_LO12_S = 31,
  R_RISCV_TPREL_ADD = 32,
  R_RISCV_ADD8 = 33,
  R_RISCV_ADD16 = 34,
  R_RISCV_ADD32 = 35,
  R_RISCV_ADD64 = 36,
  R_RISCV_SUB8 = 37,
  R_RISCV_SUB16 = 38,
  R_RISCV_SUB32 = 39,
  R_RISCV_SUB64 = 40,
  R_RISCV_GOT32_PCREL = 41,
  R_RISCV_ALIGN = 43,
  R_RISCV_RVC_BRANCH = 44,
  R_RISCV_RVC_JUMP = 45,
  R_RISCV_RELAX = 51,
  R_RISCV_SUB6 = 52,
  R_RISCV_SET6 = 53,
  R_RISCV_SET8 = 54,
  R_RISCV_SET16 = 55,
  R_RISCV_SET32 = 56,
  R_RISCV_32_PCREL = 57,
  R_RISCV_PLT32 = 59,
  R_RISCV_SET_ULEB128 = 60,
  R_RISCV_SUB_ULEB128 = 61,
  R_RISCV_TLSDESC_HI20 = 62,
  R_RISCV_TLSDESC_LOAD_LO12 = 63,
  R_RISCV_TLSDESC_ADD_LO12 = 64,
  R_RISCV_TLSDESC_CALL = 65,
};

// The loader's own forms of a file type (RelocationEntry::type is 16 bits;
// the psABI's numbers stay below 256). Each is named as its file type.
// Bit 15 marks them (a file's type above 255 is refused by the scan, so
// none reaches apply); bits 8-10 the form; bits 11-14 a ULEB128's length
// in bytes, fixed at scan time from the file's bytes, so that apply never
// measures a number whose continuation bits another relocation could change.
constexpr u32 kInternal = 0x8000;
constexpr u32 kFirst = kInternal | 0x100;   // ADD/SUB/SUB6/SUB_ULEB128 first at its field: from the file's field, folded into A
constexpr u32 kFollow = kInternal | 0x200;  // ADD/SUB/SET… after another at the same field: modifies what that one wrote
constexpr u32 kViaGot = kInternal | 0x300;  // PCREL_LO12_I/S paired with a GOT_HI20 / TLS_GOT_HI20: G + A - P
constexpr u32 kLe = kInternal | 0x400;      // TLS_GD_HI20 rewritten to LUI (applied as TPREL_HI20)
constexpr u32 kLenShift = 11, kLenMask = 0xfu << kLenShift;
u32 form_of(u32 type) { return (type >> 8) & 7; }
u32 uleb_len_of(u32 type) { return (type & kLenMask) >> kLenShift; }
// In a run entry that is not ULEB128 (no length there): another entry of
// the run comes after it at the same field, so it opens (a first) or keeps
// (a follower) the run's mark (apply_run).
constexpr u32 kChain = 0xfu << kLenShift;
// ElfScan::arch_table_state's top bit: the table has run entries on one
// field that are not adjacent (scan), for `pair` to regroup; the rest is the
// highest run field's offset + 1 so far.
constexpr u64 kRegroup = u64(1) << 63;
constexpr u32 kGdHi = kLe | R_RISCV_TLS_GD_HI20;
constexpr u32 kDescHi = kLe | R_RISCV_TLSDESC_HI20;  // rewritten to NOP: only its pairing remains

struct Named {
  u32 type;
  const char* name;
  u8 width;  // bytes written; 0: none (a marker); ~0 below: not applied here
};
constexpr u8 kNo = 0xff;
constexpr Named kNames[] = {
    {0, "R_RISCV_NONE", 0}, {1, "R_RISCV_32", 4}, {2, "R_RISCV_64", 8},
    {3, "R_RISCV_RELATIVE", kNo}, {4, "R_RISCV_COPY", kNo}, {5, "R_RISCV_JUMP_SLOT", kNo},
    {6, "R_RISCV_TLS_DTPMOD32", 4}, {7, "R_RISCV_TLS_DTPMOD64", 8}, {8, "R_RISCV_TLS_DTPREL32", 4},
    {9, "R_RISCV_TLS_DTPREL64", 8}, {10, "R_RISCV_TLS_TPREL32", 4}, {11, "R_RISCV_TLS_TPREL64", 8},
    {12, "R_RISCV_TLSDESC", kNo},
    {16, "R_RISCV_BRANCH", 4}, {17, "R_RISCV_JAL", 4}, {18, "R_RISCV_CALL", 8}, {19, "R_RISCV_CALL_PLT", 8},
    {20, "R_RISCV_GOT_HI20", 4}, {21, "R_RISCV_TLS_GOT_HI20", 4}, {22, "R_RISCV_TLS_GD_HI20", 4},
    {23, "R_RISCV_PCREL_HI20", 4}, {24, "R_RISCV_PCREL_LO12_I", 4}, {25, "R_RISCV_PCREL_LO12_S", 4},
    {26, "R_RISCV_HI20", 4}, {27, "R_RISCV_LO12_I", 4}, {28, "R_RISCV_LO12_S", 4},
    {29, "R_RISCV_TPREL_HI20", 4}, {30, "R_RISCV_TPREL_LO12_I", 4}, {31, "R_RISCV_TPREL_LO12_S", 4},
    {32, "R_RISCV_TPREL_ADD", 0},
    {33, "R_RISCV_ADD8", 1}, {34, "R_RISCV_ADD16", 2}, {35, "R_RISCV_ADD32", 4}, {36, "R_RISCV_ADD64", 8},
    {37, "R_RISCV_SUB8", 1}, {38, "R_RISCV_SUB16", 2}, {39, "R_RISCV_SUB32", 4}, {40, "R_RISCV_SUB64", 8},
    {41, "R_RISCV_GOT32_PCREL", 4}, {43, "R_RISCV_ALIGN", 0},
    {44, "R_RISCV_RVC_BRANCH", 2}, {45, "R_RISCV_RVC_JUMP", 2}, {46, "R_RISCV_RVC_LUI", kNo},
    {47, "R_RISCV_GPREL_I", kNo}, {48, "R_RISCV_GPREL_S", kNo}, {49, "R_RISCV_TPREL_I", kNo},
    {50, "R_RISCV_TPREL_S", kNo}, {51, "R_RISCV_RELAX", 0},
    {52, "R_RISCV_SUB6", 1}, {53, "R_RISCV_SET6", 1}, {54, "R_RISCV_SET8", 1}, {55, "R_RISCV_SET16", 2},
    {56, "R_RISCV_SET32", 4}, {57, "R_RISCV_32_PCREL", 4}, {58, "R_RISCV_IRELATIVE", kNo},
    {59, "R_RISCV_PLT32", 4},
    // ULEB128: at least one byte; the scan checks the whole number's bytes.
    {60, "R_RISCV_SET_ULEB128", 1}, {61, "R_RISCV_SUB_ULEB128", 1},
    {62, "R_RISCV_TLSDESC_HI20", 4}, {63, "R_RISCV_TLSDESC_LOAD_LO12", 4},
    {64, "R_RISCV_TLSDESC_ADD_LO12", 4}, {65, "R_RISCV_TLSDESC_CALL", 4},
};

// Each type's row by number: the scan and apply ask for every entry's (a
// walk of kNames per entry, as LoongArch's was, costs more than the rest
// of its scan).
constexpr std::array<u8, 66> kRowOf = [] {
  std::array<u8, 66> at{};
  for (u8& a : at) a = 0xff;
  for (size_t i = 0; i < std::size(kNames); i++) at[kNames[i].type] = u8(i);
  return at;
}();
const Named* find(u32 type) { return type < kRowOf.size() && kRowOf[type] != 0xff ? &kNames[kRowOf[type]] : nullptr; }
std::string_view type_name(u32 type) {
  const Named* n = type & kInternal ? find(type & 0xff) : type <= 0xff ? find(type) : nullptr;
  return n ? std::string_view(n->name) : unknown_type_name(type);
}
// Bytes a type writes: 0 for none, ~0u for a type this loader does not apply.
u32 field_width(u32 type) {
  if (type & kInternal) {
    if (form_of(type) == form_of(kFollow)) return 0;  // the run's first owns the field
    if (uleb_len_of(type) && uleb_len_of(type) != uleb_len_of(kChain)) return uleb_len_of(type);
  }
  const Named* n = type & kInternal ? find(type & 0xff) : type <= 0xff ? find(type) : nullptr;
  return !n || n->width == kNo ? ~0u : n->width;
}

bool is_run_type(u32 t) {
  return (t >= R_RISCV_ADD8 && t <= R_RISCV_SUB64) || (t >= R_RISCV_SUB6 && t <= R_RISCV_SET32) ||
         t == R_RISCV_SET_ULEB128 || t == R_RISCV_SUB_ULEB128;
}
bool is_set(u32 t) { return (t >= R_RISCV_SET6 && t <= R_RISCV_SET32) || t == R_RISCV_SET_ULEB128; }
bool is_tls_type(u32 t) {
  return (t >= R_RISCV_TLS_DTPMOD32 && t <= R_RISCV_TLS_TPREL64) || (t >= R_RISCV_TLS_GOT_HI20 && t <= R_RISCV_TLS_GD_HI20) ||
         (t >= R_RISCV_TPREL_HI20 && t <= R_RISCV_TPREL_LO12_S) || t == R_RISCV_TLSDESC_HI20;
}
// Types whose symbol is the label of a HI20's instruction, not a variable.
bool names_label(u32 t) {
  return t == R_RISCV_PCREL_LO12_I || t == R_RISCV_PCREL_LO12_S || t == R_RISCV_TLSDESC_LOAD_LO12 ||
         t == R_RISCV_TLSDESC_ADD_LO12 || t == R_RISCV_TLSDESC_CALL;
}

// The call stub: auipc t3, 0; l[dw] t3, 16(t3); jr t3; nop; then the
// target word at 16 (t3, x28, a temporary the PLT also uses).
constexpr u8 kStub64[24] = {
    0x17, 0x0e, 0x00, 0x00,  // auipc t3, 0
    0x03, 0x3e, 0x0e, 0x01,  // ld t3, 16(t3)
    0x67, 0x00, 0x0e, 0x00,  // jr t3
    0x13, 0x00, 0x00, 0x00,  // nop
    0, 0, 0, 0, 0, 0, 0, 0,  // .quad target
};
constexpr u8 kStub32[24] = {
    0x17, 0x0e, 0x00, 0x00,  // auipc t3, 0
    0x03, 0x2e, 0x0e, 0x01,  // lw t3, 16(t3)
    0x67, 0x00, 0x0e, 0x00,  // jr t3
    0x13, 0x00, 0x00, 0x00,  // nop
    0, 0, 0, 0, 0, 0, 0, 0,  // .word target, padding
};
void write_stub64(u8* where) { std::memcpy(where, kStub64, sizeof kStub64); }
void write_stub32(u8* where) { std::memcpy(where, kStub32, sizeof kStub32); }

// Rewrites to local exec (little-endian instruction words).
constexpr u8 kAddA0A0TpNop[8] = {0x33, 0x05, 0x45, 0x00,        // add a0, a0, tp
                                 0x13, 0x00, 0x00, 0x00};       // nop
constexpr u8 kAddA0A0TpRet[8] = {0x33, 0x05, 0x45, 0x00,        // add a0, a0, tp
                                 0x67, 0x80, 0x00, 0x00};       // ret (a tail call returns its value)

u32 insn_at(const ElfScan& scan, u64 offset) { return load_le<u32>(&scan.bytes[offset]); }
u32 opcode(u32 i) { return i & 0x7f; }
u32 rd_of(u32 i) { return (i >> 7) & 0x1f; }
bool is_auipc(u32 i) { return opcode(i) == 0x17; }
bool is_load(u32 i) { return opcode(i) == 0x03; }
bool is_addi(u32 i) { return opcode(i) == 0x13 && ((i >> 12) & 7) == 0; }
bool is_jalr(u32 i) { return opcode(i) == 0x67 && ((i >> 12) & 7) == 0; }

// The little-endian ULEB128 at p (at most `room` bytes): its length, 0 if it
// does not end inside them or is longer than a 64-bit value needs.
u32 uleb_length(const u8* p, u64 room) {
  for (u32 n = 0; n < room && n < 10; n++)
    if (!(p[n] & 0x80)) return n + 1;
  return 0;
}

// The field an ADD/SUB/SUB6 first finds in the file (folded into its addend).
u64 file_field(const ElfScan& scan, u64 offset, u32 t) {
  const u8* p = &scan.bytes[offset];
  switch (t) {
    case R_RISCV_ADD8: case R_RISCV_SUB8: return p[0];
    case R_RISCV_SUB6: return p[0] & 0x3f;
    case R_RISCV_ADD16: case R_RISCV_SUB16: return load_le<u16>(p);
    case R_RISCV_ADD32: case R_RISCV_SUB32: return load_le<u32>(p);
    case R_RISCV_ADD64: case R_RISCV_SUB64: return load_le<u64>(p);
  }
  return 0;
}

std::string tls_phrase(ElfScan& scan, const ElfRelocation& r, bool tls) {
  std::string_view n = scan.name(r.symbol);
  return format("refers to '%.*s', which is %sthread-local", int(n.size()), n.data(), tls ? "" : "not ");
}

// Checks, in order: the type is one this loader applies; its field (the
// whole ULEB128 for the ULEB types, the padding for ALIGN) lies inside the
// section; a TLS type refers to a thread-local symbol and an address type
// does not; TLS code only in the static model; GOT forms have addend 0
// (one slot per symbol); a TLS rewrite needs the section's bytes and the
// instruction its relocation names (else that entry fails when applied).
Error scan(ElfScan& scan, const ElfRelocation& r, RelocationEntry& e) {
  const u32 t = r.type;
  if (t > 0xff) {  // RISC-V defines types 0-255 (ELF32's r_info has 8 bits for them)
    ElfRelocation unnamed = r;
    unnamed.type = t & ~kInternal;  // never one of the loader's own forms' names
    return scan.error(ErrorKind::Unsupported, unnamed, "has a type the RISC-V loader does not support");
  }
  const u32 width = field_width(t);
  // The previous entry, when it was of a run: its offset + 1 (low 56 bits)
  // and its field's width (top 8).
  const u64 run_at = scan.arch_state & ((u64(1) << 56) - 1), run_width = scan.arch_state >> 56;
  scan.arch_state = 0;
  if (width == ~0u) return scan.error(ErrorKind::Unsupported, r, "has a type the RISC-V loader does not support");
  if (t == R_RISCV_NONE || t == R_RISCV_RELAX) return Error::success();
  if (t == R_RISCV_ALIGN) {
    // The NOPs stay (no relaxation): they must lie inside the section.
    if (r.addend < 0) return scan.error(ErrorKind::Malformed, r, "has a negative padding size");
    TRY(scan.check_field(r, r.offset, u64(r.addend)));
    scan.field_width = 0;
    return Error::success();
  }
  TRY(scan.check_field(r, r.offset, width));
  // TPREL_ADD only marks the add of tp for a relaxing linker: nothing is
  // written and its symbol is not used (reference.h "RISC-V").
  if (t == R_RISCV_TPREL_ADD) return Error::success();
  if (r.symbol && !names_label(t)) {
    if (is_tls_type(t) && !r.tls()) return scan.error(ErrorKind::Unsupported, r, tls_phrase(scan, r, false));
    // Debug information (loaded with process-all-sections) locates a
    // thread-local variable with a plain 32/64 word (clang-19 writes no
    // DTPREL there): its offset in the TLS block, which here (one static
    // block at TP, TCB 0) is S, its TP offset — the offset ld.lld-19 writes.
    const bool debug_word = (t == R_RISCV_32 || t == R_RISCV_64) && !scan.sections[scan.section_id].allocatable;
    if (!is_tls_type(t) && r.tls() && !debug_word) e.flags |= kRelBadTls;
  }
  if (is_tls_type(t) && scan.dynamic_tls)
    return scan.error(ErrorKind::Unsupported, r,
                      "is RISC-V TLS code, which is loaded in the static model only (it cannot run in this process)");
  if (is_run_type(t)) {
    u64 len = width;
    if (t == R_RISCV_SET_ULEB128 || t == R_RISCV_SUB_ULEB128) {
      if (scan.bytes.empty()) return scan.error(ErrorKind::Malformed, r, "patches a section without contents");
      len = uleb_length(&scan.bytes[r.offset], scan.bytes.size() - r.offset);
      if (!len) return scan.error(ErrorKind::Malformed, r, "patches a ULEB128 that does not end inside its section");
      TRY(scan.check_field(r, r.offset, len));
    }
    const bool is_uleb = t == R_RISCV_SET_ULEB128 || t == R_RISCV_SUB_ULEB128;
    const u32 uleb = is_uleb ? u32(len) << kLenShift : 0;  // ULEB128: its length in the type
    scan.arch_state = (r.offset + 1) | (len << 56);
    // SET_ULEB128 holds one end of a difference: its SUB_ULEB128 must follow.
    if (t == R_RISCV_SET_ULEB128) {
      const ElfRelocation* sub = scan.next();
      if (!sub || sub->type != R_RISCV_SUB_ULEB128 || sub->offset != r.offset)
        return scan.error(ErrorKind::Malformed, r, "is not followed by its SUB_ULEB128 at the same place");
    }
    // A SUB_ULEB128 subtracts from its SET_ULEB128's S + A: alone it has no V.
    if (t == R_RISCV_SUB_ULEB128 && run_at != r.offset + 1)
      return scan.error(ErrorKind::Malformed, r, "does not follow its SET_ULEB128 at the same place");
    // Another entry of the run comes next on exactly this field: this one
    // passes its mark on (apply_run); a first with one opens the run.
    u32 chain = 0;
    if (!is_uleb) {
      const ElfRelocation* nx = scan.next();
      if (nx && nx->offset == r.offset && is_run_type(nx->type) && nx->type != R_RISCV_SET_ULEB128 &&
          nx->type != R_RISCV_SUB_ULEB128 && field_width(nx->type) == len)
        chain = kChain;
    }
    if (run_at == r.offset + 1 && run_width == len) {
      // After another on exactly this field: modifies what that one wrote.
      // (Another width at the same place is not a run but an overlap, which
      // the loader's check refuses: reference.h "RISC-V".)
      e.type = u16(kFollow | uleb | chain | t);
      scan.field_width = 0;
      return Error::success();
    }
    // A first here, but an earlier entry of this table may be on this very
    // field with others between them: they compose too (reference.h
    // "RISC-V"), which only the whole table shows — `pair` regroups them.
    // Tables in offset order (compilers') never get here.
    if (!is_uleb) {
      const u64 high = scan.arch_table_state & ~kRegroup;
      if (r.offset + 1 <= high) scan.arch_table_state |= kRegroup, scan.pending_pairs = true;
      else scan.arch_table_state = (scan.arch_table_state & kRegroup) | (r.offset + 1);
    }
    if (is_set(t)) {
      if (uleb || chain) e.type = u16(kInternal | uleb | chain | t);
      return Error::success();
    }
    // First at its field: the file's field folded into A, so that every
    // resolve writes the same bytes (see the top of this file).
    if (scan.bytes.empty()) return scan.error(ErrorKind::Malformed, r, "patches a section without contents");
    const u64 orig = file_field(scan, r.offset, t);
    const bool add = t >= R_RISCV_ADD8 && t <= R_RISCV_ADD64;
    e.addend = add ? i64(u64(r.addend) + orig) : i64(u64(r.addend) - orig);  // ADD: orig + S + A; SUB: orig - (S + A)
    e.type = u16(kFirst | uleb | chain | t);
    return Error::success();
  }
  auto patch = [&](u64 at, const u8* bytes, u32 n) { scan.patches->push_back(Patch{scan.section_id, at, bytes, n}); };
  switch (t) {
    case R_RISCV_CALL: case R_RISCV_CALL_PLT:
      // General dynamic's call, rewritten with its sequence (the top of this file).
      if (!scan.dynamic_tls && r.undefined() && scan.own_name(r.symbol) == "__tls_get_addr") {
        if (scan.bytes.empty()) return scan.error(ErrorKind::Malformed, r, "patches a section without contents");
        // A call (jalr ra) continues after it: nop; a tail call (jalr x0)
        // returns what __tls_get_addr would have: ret. Anything else has
        // no local-exec form (reference.h "RISC-V").
        const u32 auipc = insn_at(scan, r.offset), jalr = insn_at(scan, r.offset + 4);
        if (!is_auipc(auipc) || !is_jalr(jalr) || (rd_of(jalr) != 1 && rd_of(jalr) != 0))
          return scan.error(ErrorKind::Unsupported, r,
                            format("is on 0x%08x 0x%08x, not the auipc; jalr ra (or x0) of a call to __tls_get_addr",
                                   auipc, jalr));
        patch(r.offset, rd_of(jalr) == 1 ? kAddA0A0TpNop : kAddA0A0TpRet, 8);
        e.flags |= kRelConsumed;
        return Error::success();
      }
      if (r.by_name()) e.flags |= kRelStub;
      return Error::success();
    case R_RISCV_PLT32:
      // S + A - P, never through a stub (reference.h "RISC-V"): the psABI
      // defines it for data (relative vtables), where a 32-bit distance to
      // the symbol itself is what the program compares and adds.
      return Error::success();
    case R_RISCV_GOT_HI20: case R_RISCV_GOT32_PCREL: case R_RISCV_TLS_GOT_HI20:
      // One slot per symbol (the psABI's G is per symbol): an addend has no
      // slot. GOT32_PCREL adds its A to the slot's address (G + GOT + A - P,
      // as ld.lld computes it): any addend (reference.h "RISC-V").
      if (r.addend != 0 && t != R_RISCV_GOT32_PCREL)
        return scan.error(ErrorKind::Unsupported, r,
                          "has addend " + std::to_string(r.addend) + ", not 0: the GOT has one slot per symbol");
      e.flags |= (t == R_RISCV_TLS_GOT_HI20 ? kRelGotTpoff : kRelGot) | kRelNeedsGot;
      if (t != R_RISCV_GOT32_PCREL) scan.pending_pairs = true;  // its %pcrel_lo follow
      return Error::success();
    case R_RISCV_PCREL_HI20:
      return Error::success();
    case R_RISCV_PCREL_LO12_I: case R_RISCV_PCREL_LO12_S:
      scan.pending_pairs = true;
      return Error::success();
    case R_RISCV_TLS_GD_HI20: case R_RISCV_TLSDESC_HI20: case R_RISCV_TLSDESC_LOAD_LO12:
    case R_RISCV_TLSDESC_ADD_LO12: case R_RISCV_TLSDESC_CALL: {
      if (scan.bytes.empty()) return scan.error(ErrorKind::Malformed, r, "patches a section without contents");
      scan.pending_pairs = true;
      const u32 insn = insn_at(scan, r.offset);
      switch (t) {
        // Each instruction is rewritten when its entry is applied (whole
        // words, from the TP offset), not here: an entry that fails (its
        // TP offset out of reach) leaves its instruction as it was, as the
        // reference does (reference.h "RISC-V", and the team's policy).
        case R_RISCV_TLS_GD_HI20:
          if (!is_auipc(insn)) return e.flags |= kRelBadInsn, Error::success();
          e.type = u16(kGdHi);
          return Error::success();
        case R_RISCV_TLSDESC_HI20:
          if (!is_auipc(insn)) return e.flags |= kRelBadInsn, Error::success();
          e.type = u16(kDescHi);
          return Error::success();
        case R_RISCV_TLSDESC_LOAD_LO12:
          if (!is_load(insn)) return e.flags |= kRelBadInsn, Error::success();
          return Error::success();
        case R_RISCV_TLSDESC_ADD_LO12:
          if (!is_addi(insn)) return e.flags |= kRelBadInsn, Error::success();
          return Error::success();
        default:  // TLSDESC_CALL: jalr t0, 0(a1)
          if (!is_jalr(insn)) return e.flags |= kRelBadInsn, Error::success();
          return Error::success();
      }
    }
  }
  return Error::success();
}

// Entries on one field that are not adjacent in the table (others between
// them) compose in table order as adjacent ones do (reference.h "RISC-V"; ld
// and lld apply each as a read-modify-write of the field). The scan, which
// sees an entry and the next, made the later one a first; with the whole
// table each becomes a follower of the one before it on its field, which
// passes its mark on. ULEB128 pairs must be adjacent (the scan checks); an
// entry of another width at the same place stays a first, so the loader's
// overlap check refuses it.
void regroup_runs(ElfScan& scan, std::span<RelocationEntry> entries) {
  std::unordered_map<u32, u32> last;  // field offset -> the latest run entry there
  for (u32 k = 0; k < entries.size(); k++) {
    RelocationEntry& e = entries[k];
    const u32 t = e.type & 0xff;
    if ((e.flags & kRelConsumed) || !is_run_type(t) || t == R_RISCV_SET_ULEB128 || t == R_RISCV_SUB_ULEB128) continue;
    auto [it, fresh] = last.try_emplace(e.offset, k);
    if (fresh) continue;
    RelocationEntry& prev = entries[it->second];
    it->second = k;
    if (find(prev.type & 0xff)->width != find(t)->width) continue;
    if (form_of(e.type) == form_of(kFollow)) continue;  // already follows prev, adjacent to it
    prev.type = u16((prev.type & ~kLenMask) | kInternal | kChain);
    if (form_of(e.type) == form_of(kFirst)) {
      // The scan folded the file's field into A; a follower reads the field.
      const u64 orig = file_field(scan, e.offset, t);
      const bool add = t >= R_RISCV_ADD8 && t <= R_RISCV_ADD64;
      e.addend = add ? i64(u64(e.addend) - orig) : i64(u64(e.addend) + orig);
    }
    e.type = u16(kFollow | (e.type & kLenMask) | t);
  }
}

// Pairs each low part with the HI20 on the instruction its label names (the
// top of this file). Checks: the label lies in the low part's own section
// and names a place where a PCREL_HI20, GOT_HI20, TLS_GOT_HI20,
// TLS_GD_HI20 or TLSDESC_HI20 is, of a kind the low part can pair with.
Error pair(ElfScan& scan, std::span<RelocationEntry> entries, u64 table_offset, u64 entry_size) {
  if (scan.arch_table_state & kRegroup) regroup_runs(scan, entries);
  std::vector<std::pair<u32, u32>> his;  // (offset, entry)
  for (u32 k = 0; k < entries.size(); k++) {
    const u32 t = entries[k].type;
    if (t == R_RISCV_PCREL_HI20 || t == R_RISCV_GOT_HI20 || t == R_RISCV_TLS_GOT_HI20 || t == kGdHi || t == kDescHi)
      his.push_back({entries[k].offset, k});
  }
  std::sort(his.begin(), his.end());
  const u32 own = scan.section_id - scan.first_section;
  for (u32 k = 0; k < entries.size(); k++) {
    RelocationEntry& e = entries[k];
    const u32 t = e.type;
    // A low on the wrong instruction is still paired first: a label that
    // names no high part is the structural error, reported before the
    // instruction (reference.h "RISC-V").
    if (!names_label(t) || (e.flags & kRelConsumed)) continue;
    ElfRelocation r;
    r.offset = e.offset;
    r.type = t;
    r.file_offset = table_offset + u64(k) * entry_size;
    if (e.target_kind != TargetKind::Section || e.target != own)
      return scan.error(ErrorKind::Malformed, r,
                        "names a label outside its own section: its HI20's instruction must be in the same section");
    // The psABI's low parts name the label itself: their addend is 0
    // (reference.h "RISC-V"; ld.lld-19 ignores one, with a warning).
    if (e.addend != 0)
      return scan.error(ErrorKind::Malformed, r,
                        format("has addend %lld, not 0: a low part names its high part's label",
                               (long long)e.addend));
    const u64 at = u64(e.sym_offset);
    auto it = std::lower_bound(his.begin(), his.end(), std::pair<u32, u32>{u32(at), 0});
    if (it == his.end() || it->first != at || at > ~u32(0))
      return scan.error(ErrorKind::Malformed, r,
                        format("names the instruction at 0x%llx, which carries no PCREL_HI20, GOT_HI20, TLS_GOT_HI20, "
                               "TLS_GD_HI20 or TLSDESC_HI20", (unsigned long long)at));
    const RelocationEntry& h = entries[it->second];
    const i64 delta = i64(e.offset) - i64(h.offset);
    auto mismatch = [&]() {
      return scan.error(ErrorKind::Unsupported, r,
                        format("pairs with the %.*s at 0x%x, which it cannot complete",
                               int(type_name(h.type).size()), type_name(h.type).data(), h.offset));
    };
    const bool lo = t == R_RISCV_PCREL_LO12_I || t == R_RISCV_PCREL_LO12_S;
    e.target_kind = h.target_kind;
    e.target = h.target;
    e.sym_offset = h.sym_offset;
    e.flags |= h.flags & (kRelBadTls | kRelBadInsn);
    switch (h.type) {
      case R_RISCV_PCREL_HI20:
        if (!lo) return mismatch();
        e.addend = i64(u64(h.addend) + u64(delta));  // X + A - P at the AUIPC's place (modulo 2^64, as applied)
        break;
      case R_RISCV_GOT_HI20: case R_RISCV_TLS_GOT_HI20:
        if (!lo) return mismatch();
        e.type = u16(kViaGot | t);
        e.flags |= h.flags & (kRelGot | kRelGotTpoff);
        e.slot = h.slot;
        e.addend = i64(u64(h.addend) + u64(delta));
        break;
      case kGdHi:  // addi a0, a0, %pcrel_lo -> %tprel_lo of the variable
        if (t != R_RISCV_PCREL_LO12_I) return mismatch();
        // Only an ADDI keeps its meaning (register + the TP offset's low part).
        if (!is_addi(insn_at(scan, e.offset))) e.flags |= kRelBadInsn;
        e.type = u16(kLe | R_RISCV_PCREL_LO12_I);  // applied as TPREL_LO12_I, named as in the file
        e.addend = h.addend;
        break;
      case kDescHi:
        // Each becomes its local-exec word when applied (apply).
        if (lo) return mismatch();
        e.type = u16(kLe | t);
        e.addend = h.addend;
        break;
    }
  }
  return Error::success();
}

// ---- encoders (instructions: little-endian words) --------------------------

[[gnu::cold]] Error misaligned(i64 v) {
  return Error(ErrorKind::Unsupported, format("value 0x%llx is odd: branch targets are 2-byte aligned", (unsigned long long)v));
}
[[gnu::cold]] Error beyond_rv32(u64 v) {
  return Error(ErrorKind::Overflow,
               format("address 0x%llx lies beyond RV32's 4 GiB address space", (unsigned long long)v));
}
// Bits [lo, lo+n) of a 16-bit parcel (RVC) set to v.
inline void put_bits16(u8* loc, unsigned lo, unsigned n, u64 v) {
  u16 mask = u16(((1u << n) - 1) << lo);
  u16 w = load_le<u16>(loc);
  store_le<u16>(loc, u16((w & ~mask) | (u16(v << lo) & mask)));
}
inline void put_u20(u8* loc, u64 hi) { put_bits(loc, 12, 20, hi); }
inline void put_i12(u8* loc, u64 lo) { put_bits(loc, 20, 12, lo); }
inline void put_s12(u8* loc, u64 lo) {
  put_bits(loc, 7, 5, lo);
  put_bits(loc, 25, 7, lo >> 5);
}
// The HI20 of v (v + 0x800, so that the sign-extended low 12 bits add back
// to v), checked: LUI/AUIPC reach [-2^31 - 0x800, 2^31 - 0x800).
template <bool RV64>
inline Error put_hi20(u8* loc, i64 v) {
  const u64 rounded = u64(v) + 0x800;  // modulo 2^64: a v near the top wraps and is out of range
  if (RV64 && !fits_signed(i64(rounded), 32)) return out_of_range(v, INT32_MIN - i64(0x800), INT32_MAX - i64(0x800));
  put_u20(loc, rounded >> 12);
  return Error::success();
}
// A TP offset a lui/addi pair reaches (RV64; RV32 wraps): what the TLS
// rewrites' other words check, so that they fail with their high part.
template <bool RV64>
inline Error tprel_reach(u64 v) {
  if (RV64 && !fits_signed(i64(v + 0x800), 32)) return out_of_range(i64(v), INT32_MIN - i64(0x800), INT32_MAX - i64(0x800));
  return Error::success();
}
// RV32: an address (or TP offset) the 32-bit machine can have: below 4
// GiB or a sign-extended negative 32-bit number. S, P and G are checked
// (apply), the arithmetic on them wraps modulo 2^32 (reference.h "RISC-V").
template <bool RV64>
inline Error check_rv32(u64 v) {
  if (!RV64 && !fits_signed(i64(v), 32) && (v >> 32)) return beyond_rv32(v);
  return Error::success();
}
// target - P as the machine computes it: RV64 in 64 bits; RV32 modulo 2^32.
template <bool RV64>
inline Error pcrel(u64 target, u64 P, i64& d) {
  d = RV64 ? i64(target - P) : i64(i32(u32(target - P)));
  return Error::success();
}
inline Error put_branch(u8* loc, i64 d) {  // B-type, ±4 KiB
  if (!fits_signed(d, 13)) return out_of_range(d, -4096, 4095);
  if (d & 1) return misaligned(d);
  u64 v = u64(d);
  put_bits(loc, 31, 1, v >> 12);
  put_bits(loc, 25, 6, v >> 5);
  put_bits(loc, 8, 4, v >> 1);
  put_bits(loc, 7, 1, v >> 11);
  return Error::success();
}
inline Error put_jal(u8* loc, i64 d) {  // J-type, ±1 MiB
  if (!fits_signed(d, 21)) return out_of_range(d, -(i64(1) << 20), (i64(1) << 20) - 1);
  if (d & 1) return misaligned(d);
  u64 v = u64(d);
  put_bits(loc, 31, 1, v >> 20);
  put_bits(loc, 21, 10, v >> 1);
  put_bits(loc, 20, 1, v >> 11);
  put_bits(loc, 12, 8, v >> 12);
  return Error::success();
}
inline Error put_rvc_branch(u8* loc, i64 d) {  // CB: c.beqz/c.bnez, ±256 B
  if (!fits_signed(d, 9)) return out_of_range(d, -256, 255);
  if (d & 1) return misaligned(d);
  u64 v = u64(d);
  put_bits16(loc, 12, 1, v >> 8);
  put_bits16(loc, 10, 2, v >> 3);
  put_bits16(loc, 5, 2, v >> 6);
  put_bits16(loc, 3, 2, v >> 1);
  put_bits16(loc, 2, 1, v >> 5);
  return Error::success();
}
inline Error put_rvc_jump(u8* loc, i64 d) {  // CJ: c.j/c.jal, ±2 KiB
  if (!fits_signed(d, 12)) return out_of_range(d, -2048, 2047);
  if (d & 1) return misaligned(d);
  u64 v = u64(d);
  put_bits16(loc, 12, 1, v >> 11);
  put_bits16(loc, 11, 1, v >> 4);
  put_bits16(loc, 9, 2, v >> 8);
  put_bits16(loc, 8, 1, v >> 10);
  put_bits16(loc, 7, 1, v >> 6);
  put_bits16(loc, 6, 1, v >> 7);
  put_bits16(loc, 3, 3, v >> 1);
  put_bits16(loc, 2, 1, v >> 5);
  return Error::success();
}
// A ULEB128 in the bytes the field already has (its length kept), modulo
// its room: SET_ULEB128's half of a difference, finished by its SUB.
inline void put_uleb_wrapped(u8* loc, u64 v, u32 n) {
  for (u32 i = 0; i < n; i++) loc[i] = u8((v >> (7 * i)) & 0x7f) | (i + 1 < n ? 0x80 : 0);
}
// A ULEB128 in the bytes the field already has (its length kept), checked.
inline Error put_uleb(u8* loc, u64 v, u32 n) {
  if (n < 10 && (v >> (7 * n))) return out_of_range_unsigned(v, (u64(1) << (7 * n)) - 1);
  for (u32 i = 0; i < n; i++) loc[i] = u8((v >> (7 * i)) & 0x7f) | (i + 1 < n ? 0x80 : 0);
  return Error::success();
}
// Writes the low `bytes` bytes of v.
inline void put_low(u8* loc, u64 v, u32 bytes) {
  switch (bytes) {
    case 1: loc[0] = u8(v); break;
    case 2: store_le<u16>(loc, u16(v)); break;
    case 4: store_le<u32>(loc, u32(v)); break;
    default: store_le<u64>(loc, v); break;
  }
}
inline u64 get_low(const u8* loc, u32 bytes) {
  switch (bytes) {
    case 1: return loc[0];
    case 2: return load_le<u16>(loc);
    case 4: return load_le<u32>(loc);
    default: return load_le<u64>(loc);
  }
}

// The label-difference runs at one field (scan, pair): the first writes
// from the file's field (folded into A), each follower modifies what the
// entry before it wrote. A follower whose run was not opened in this pass
// (its first failed) fails too, so that no resolve modifies a field twice.
// Runs may interleave (entries on one field need not be adjacent), so each
// open run has its mark, kept for one object's pass (apply_all).
struct RunMark {
  const u8* loc;  // the field
  u64 uleb_set;   // SET_ULEB128's full value, for its SUB_ULEB128
};
thread_local std::vector<RunMark> run_marks;

[[gnu::cold]] Error first_not_applied() {
  return Error(ErrorKind::Unsupported, "is not applied: the relocation before it at this field was not");
}

[[gnu::noinline]] Error apply_run_forms(Fixup& f, u32 t, u32 uleb_len, bool rv32, u64& uleb_set) {
  const u64 S = f.S, A = u64(f.A);
  switch (t) {
    case R_RISCV_SET6: case kInternal | R_RISCV_SET6: case kFollow | R_RISCV_SET6:
      f.loc[0] = u8((f.loc[0] & 0xc0) | ((S + A) & 0x3f));
      return Error::success();
    case R_RISCV_SET8: case kInternal | R_RISCV_SET8: case kFollow | R_RISCV_SET8:
      put_low(f.loc, S + A, 1);
      return Error::success();
    case R_RISCV_SET16: case kInternal | R_RISCV_SET16: case kFollow | R_RISCV_SET16:
      put_low(f.loc, S + A, 2);
      return Error::success();
    case R_RISCV_SET32: case kInternal | R_RISCV_SET32: case kFollow | R_RISCV_SET32:
      put_low(f.loc, S + A, 4);
      return Error::success();
    case kInternal | R_RISCV_SET_ULEB128: case kFollow | R_RISCV_SET_ULEB128:
      uleb_set = S + A;
      put_uleb_wrapped(f.loc, S + A, uleb_len);
      return Error::success();
    case kFirst | R_RISCV_ADD8: case kFirst | R_RISCV_ADD16: case kFirst | R_RISCV_ADD32: case kFirst | R_RISCV_ADD64:
      put_low(f.loc, S + A, 1u << (t - (kFirst | R_RISCV_ADD8)));  // A holds the file's field
      return Error::success();
    case kFirst | R_RISCV_SUB8: case kFirst | R_RISCV_SUB16: case kFirst | R_RISCV_SUB32: case kFirst | R_RISCV_SUB64:
      f.value = -(S + A);
      put_low(f.loc, f.value, 1u << (t - (kFirst | R_RISCV_SUB8)));
      return Error::success();
    case kFollow | R_RISCV_ADD8: case kFollow | R_RISCV_ADD16: case kFollow | R_RISCV_ADD32: case kFollow | R_RISCV_ADD64: {
      const u32 n = 1u << (t - (kFollow | R_RISCV_ADD8));
      f.value = get_low(f.loc, n) + S + A;
      put_low(f.loc, f.value, n);
      return Error::success();
    }
    case kFollow | R_RISCV_SUB8: case kFollow | R_RISCV_SUB16: case kFollow | R_RISCV_SUB32: case kFollow | R_RISCV_SUB64: {
      const u32 n = 1u << (t - (kFollow | R_RISCV_SUB8));
      f.value = get_low(f.loc, n) - (S + A);
      put_low(f.loc, f.value, n);
      return Error::success();
    }
    case kFirst | R_RISCV_SUB6:
      f.value = -(S + A);
      f.loc[0] = u8((f.loc[0] & 0xc0) | (f.value & 0x3f));
      return Error::success();
    case kFollow | R_RISCV_SUB6:
      f.value = f.loc[0] - (S + A);
      f.loc[0] = u8((f.loc[0] & 0xc0) | (f.value & 0x3f));
      return Error::success();
    case kFollow | R_RISCV_SUB_ULEB128:
      // After its SET: the difference, checked against the field's room.
      f.value = uleb_set - (S + A);
      if (rv32) f.value = u32(f.value);  // an address difference modulo 2^32 (reference.h)
      return put_uleb(f.loc, f.value, uleb_len);
  }
  return Error(ErrorKind::Unsupported, "has a type the RISC-V loader cannot apply");
}
// A run opens with its first (when another entry of it follows: kChain, or a
// SET_ULEB128) and closes with its last; a follower finds the mark its run
// left in this pass, or fails (apply is not called for an entry that fails
// before it, kRelFails, so a first that failed leaves no mark). An error
// closes the run: the entries after it fail too.
Error apply_run(Fixup& f, u32 t, u32 uleb_len, bool rv32) {
  const bool follower = form_of(t) == form_of(kFollow);
  const bool chain = uleb_len == uleb_len_of(kChain);
  const bool opens = chain || (t & 0xff) == R_RISCV_SET_ULEB128;
  if (chain) uleb_len = 0;
  size_t m = run_marks.size();  // the field's mark, searched from the latest (runs are mostly pairs)
  for (size_t i = run_marks.size(); i > 0; i--)
    if (run_marks[i - 1].loc == f.loc) {
      m = i - 1;
      break;
    }
  const bool marked = m < run_marks.size();
  if (follower && !marked) return first_not_applied();
  u64 uleb_set = marked ? run_marks[m].uleb_set : 0;
  Error err = apply_run_forms(f, t, uleb_len, rv32, uleb_set);
  if (!err && opens) {
    if (marked) run_marks[m].uleb_set = uleb_set;
    else run_marks.push_back({f.loc, uleb_set});
  } else if (marked) {
    run_marks[m] = run_marks.back();
    run_marks.pop_back();
  }
  return err;
}

template <bool RV64>
[[gnu::always_inline]] inline Error apply(Fixup& f) {
  using Via = RelocationOutcome::Via;
  const u64 S = f.S, A = u64(f.A), P = f.P, G = f.G, L = f.L;
  const u32 t = f.type & ~kLenMask;
  const u32 uleb_len = uleb_len_of(f.type);  // ULEB128 forms: the field's bytes (scan)
  f.effective = S + A;
  f.value = S + A;
  i64 d = 0;
  // RV32: S and P must be addresses the machine can have (a 64-bit data
  // field keeps any value; the markers have no S).
  if (!RV64) {
    const u32 base = t & 0xff;
    if (base != R_RISCV_64 && base != R_RISCV_TLS_TPREL64 && base != R_RISCV_ADD64 && base != R_RISCV_SUB64 &&
        base != R_RISCV_TLS_DTPMOD64 && base != R_RISCV_TLS_DTPREL64 &&
        base != R_RISCV_NONE && base != R_RISCV_RELAX && base != R_RISCV_ALIGN && base != R_RISCV_TPREL_ADD) {
      TRY(check_rv32<RV64>(S));
      TRY(check_rv32<RV64>(P));
    }
  }
  if ((t & kInternal) && (form_of(t) == form_of(kFirst) || form_of(t) == form_of(kFollow) || uleb_len))
    return apply_run(f, t, uleb_len, !RV64);
  switch (t) {
    case R_RISCV_NONE: case R_RISCV_RELAX: case R_RISCV_ALIGN: case R_RISCV_TPREL_ADD:
      f.via = Via::None;
      return Error::success();
    // ---- data ----
    case R_RISCV_32: case R_RISCV_TLS_TPREL32:
      // RV32: the machine's word, modulo 2^32 (reference.h "RISC-V").
      if (!RV64) return put_low(f.loc, S + A, 4), Error::success();  // S checked above
      return put_int_or_uint(f.loc, i64(S + A), 32);
    case R_RISCV_64: case R_RISCV_TLS_TPREL64:
      put_64(f.loc, S + A);
      return Error::success();
    // The static model's one module (reference.h "RISC-V"): its index is 1,
    // and a DTV offset is the TP offset less TLS_DTV_OFFSET (0x800).
    case R_RISCV_TLS_DTPMOD32:
      f.value = f.effective = 1;
      put_low(f.loc, 1, 4);
      return Error::success();
    case R_RISCV_TLS_DTPMOD64:
      f.value = f.effective = 1;
      put_64(f.loc, 1);
      return Error::success();
    case R_RISCV_TLS_DTPREL32:
      f.value = S + A - 0x800;
      if (!RV64) return put_low(f.loc, f.value, 4), Error::success();
      return put_int_or_uint(f.loc, i64(f.value), 32);
    case R_RISCV_TLS_DTPREL64:
      f.value = S + A - 0x800;
      put_64(f.loc, f.value);
      return Error::success();
    case R_RISCV_32_PCREL:
      TRY(pcrel<RV64>(S + A, P, d));
      f.value = u64(d);
      return put_s32(f.loc, d);
    case R_RISCV_PLT32:
      TRY(pcrel<RV64>(S + A, P, d));
      f.value = u64(d);
      return put_s32(f.loc, d);
    case R_RISCV_GOT32_PCREL:
      f.via = Via::Got;
      TRY(check_rv32<RV64>(G));
      TRY(pcrel<RV64>(G + A, P, d));
      f.value = u64(d);
      return put_s32(f.loc, d);
    // ---- label differences: runs at one field (scan) ----
    case R_RISCV_SET6: case R_RISCV_SET8: case R_RISCV_SET16: case R_RISCV_SET32:  // alone on its field
      return apply_run(f, t, uleb_len, !RV64);
    // ---- absolute: LUI + I/S immediates ----
    case R_RISCV_HI20:
            return put_hi20<RV64>(f.loc, RV64 ? i64(S + A) : i64(i32(u32(S + A))));
    case R_RISCV_LO12_I:
            put_i12(f.loc, S + A);
      return Error::success();
    case R_RISCV_LO12_S:
            put_s12(f.loc, S + A);
      return Error::success();
    // ---- TLS local exec (S: the TP offset); GD's LUI; DESC's LUI/ADDI ----
    case R_RISCV_TPREL_HI20:
      return put_hi20<RV64>(f.loc, i64(S + A));
    case kGdHi: {  // auipc rd -> lui rd, %hi(TPREL), rd kept (built aside: a failure leaves the auipc)
      u8 lui[4];
      store_le<u32>(lui, (load_le<u32>(f.loc) & 0xf80u) | 0x37u);
      TRY(put_hi20<RV64>(lui, i64(S + A)));
      std::memcpy(f.loc, lui, 4);
      return Error::success();
    }
    // DESC's auipc and load become nops, once the TP offset is known to fit.
    case kDescHi: case kLe | R_RISCV_TLSDESC_LOAD_LO12:
      TRY(tprel_reach<RV64>(S + A));
      store_le<u32>(f.loc, 0x00000013u);
      return Error::success();
    // DESC, as ld.lld-19 relaxes it (reference.h "RISC-V"): when TPREL fits
    // 12 bits, the addi becomes a nop and the jalr "addi a0, zero, TPREL";
    // otherwise "lui a0, %hi" and "addi a0, a0, %lo". Whole words, so that
    // a second resolve (after a remap) may pick the other form.
    case kLe | R_RISCV_TLSDESC_ADD_LO12:
      if (fits_signed(i64(S + A), 12)) return store_le<u32>(f.loc, 0x00000013u), Error::success();
      {
        u8 lui[4];  // lui a0, %hi: built aside, so that an overflow leaves the field as it was
        store_le<u32>(lui, 0x00000537u);
        TRY(put_hi20<RV64>(lui, i64(S + A)));
        std::memcpy(f.loc, lui, 4);
        return Error::success();
      }
    case kLe | R_RISCV_TLSDESC_CALL:
      TRY(tprel_reach<RV64>(S + A));
      store_le<u32>(f.loc, fits_signed(i64(S + A), 12) ? 0x00000513u : 0x00050513u);  // addi a0, zero|a0, 0
      put_i12(f.loc, S + A);
      return Error::success();
    case kLe | R_RISCV_PCREL_LO12_I:  // GD's addi: fails with its high part
      TRY(tprel_reach<RV64>(S + A));
      put_i12(f.loc, S + A);
      return Error::success();
    case R_RISCV_TPREL_LO12_I:
      put_i12(f.loc, S + A);
      return Error::success();
    case R_RISCV_TPREL_LO12_S:
      put_s12(f.loc, S + A);
      return Error::success();
    // ---- PC-relative AUIPC + low parts ----
    case R_RISCV_PCREL_HI20:
      TRY(pcrel<RV64>(S + A, P, d));
      f.value = u64(d);
      return put_hi20<RV64>(f.loc, d);
    case R_RISCV_GOT_HI20: case R_RISCV_TLS_GOT_HI20:
      f.via = Via::Got;
      TRY(check_rv32<RV64>(G));
      TRY(pcrel<RV64>(G + A, P, d));
      f.value = u64(d);
      return put_hi20<RV64>(f.loc, d);
    case R_RISCV_PCREL_LO12_I: case R_RISCV_PCREL_LO12_S:  // A: the HI's, plus the distance (pair)
      TRY(pcrel<RV64>(S + A, P, d));
      f.value = u64(d) & 0xfff;
      t == R_RISCV_PCREL_LO12_I ? put_i12(f.loc, u64(d)) : put_s12(f.loc, u64(d));
      return Error::success();
    case kViaGot | R_RISCV_PCREL_LO12_I: case kViaGot | R_RISCV_PCREL_LO12_S:
      f.via = Via::Got;
      TRY(check_rv32<RV64>(G));
      TRY(pcrel<RV64>(G + A, P, d));
      f.value = u64(d) & 0xfff;
      t == (kViaGot | R_RISCV_PCREL_LO12_I) ? put_i12(f.loc, u64(d)) : put_s12(f.loc, u64(d));
      return Error::success();
    // ---- branches and calls ----
    case R_RISCV_CALL: case R_RISCV_CALL_PLT: {
      TRY(pcrel<RV64>(S + A, P, d));
      // The stub jumps to S; a call to S + A (A != 0) cannot use it.
      if (RV64 && !fits_signed(i64(u64(d) + 0x800), 32) && L && A == 0) {
        f.via = Via::Stub;
        d = i64(L - P);
      }
      f.value = u64(d);
      TRY(put_hi20<RV64>(f.loc, d));
      put_i12(f.loc + 4, u64(d));  // the JALR
      return Error::success();
    }
    case R_RISCV_JAL:
      TRY(pcrel<RV64>(S + A, P, d));
      f.value = u64(d);
      return put_jal(f.loc, d);
    case R_RISCV_BRANCH:
      TRY(pcrel<RV64>(S + A, P, d));
      f.value = u64(d);
      return put_branch(f.loc, d);
    case R_RISCV_RVC_BRANCH:
      TRY(pcrel<RV64>(S + A, P, d));
      f.value = u64(d);
      return put_rvc_branch(f.loc, d);
    case R_RISCV_RVC_JUMP:
      TRY(pcrel<RV64>(S + A, P, d));
      f.value = u64(d);
      return put_rvc_jump(f.loc, d);
  }
  return Error(ErrorKind::Unsupported, "has a type the RISC-V loader cannot apply");
}

// One object's pass: the runs' marks live for it alone (apply_run).
template <bool RV64>
void apply_all(ApplyContext& c) {
  run_marks.clear();
  apply_runs<apply<RV64>>(c);
  run_marks.clear();
}

const RelocationArch kReloc64 = {
    .name = "riscv64",
    .got_entry_size = 8,
    .stub_size = sizeof(kStub64),
    .stub_align = 8,
    .stub_address_offset = 16,
    .abs64_type = R_RISCV_64,
    .tpoff64_type = R_RISCV_TLS_TPREL64,
    .write_stub = write_stub64,
    .type_name = type_name,
    .apply_runs = apply_all<true>,
    .pc32_type = R_RISCV_32_PCREL,
};
const RelocationArch kReloc32 = {
    .name = "riscv32",
    .got_entry_size = 4,
    .stub_size = sizeof(kStub32),
    .stub_align = 8,
    .stub_address_offset = 16,
    .abs64_type = R_RISCV_32,  // the GOT's and stubs' words are 32 bits
    .tpoff64_type = R_RISCV_TLS_TPREL32,
    .write_stub = write_stub32,
    .type_name = type_name,
    .apply_runs = apply_all<false>,
    .pc32_type = R_RISCV_32_PCREL,
};

}  // namespace

// TLS variant I with no TCB before the block: the psABI's TP points at the
// first thread-local byte (TLS offsets are from TP, positive).
const ElfArch kRiscV64 = {
    .machine = EM_RISCV,
    .elf_class = ELFCLASS64,
    .little_endian = true,
    .reloc = &kReloc64,
    .scan = scan,
    .field_width = field_width,
    .tls_abi = {.variant_one = true, .tcb_size = 0},
    .pair = pair,
    .names_place = names_label,
};
const ElfArch kRiscV32 = {
    .machine = EM_RISCV,
    .elf_class = ELFCLASS32,
    .little_endian = true,
    .reloc = &kReloc32,
    .scan = scan,
    .field_width = field_width,
    .tls_abi = {.variant_one = true, .tcb_size = 0},
    .pair = pair,
    .names_place = names_label,
};

}  // namespace jitload::elf
