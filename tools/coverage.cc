// jitload coverage: which relocation types the project's inputs exercise.
//
// For every (format, machine, type) it lists the conformance tests
// (conformance/tests/**.s), LLVM 19's RuntimeDyld suite checks and campaign
// objects (corpora seeds and regressions) whose objects contain a
// relocation of that type. Nothing is guessed from names: every .s file is
// assembled with clang-19 for each triple its RUN lines name, their
// yaml2obj RUN lines (and those of .yaml tests) are run, and every
// object's relocation sections (SHT_REL, SHT_RELA; ELF32/ELF64, either byte
// order, read through a bounds-checked walker) and Mach-O relocation tables
// (64- and 32-bit, keyed by r_type) are counted entry by entry.
// Output: a text table (or --tsv), and with --svg FILE a heatmap.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <tuple>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "conformance/elf/elf-view.h"
#include "conformance/report/macho-walk.h"
#include "tools/commands.h"
#include "tools/common.h"

extern char** environ;

namespace jitload::tools {

namespace {

namespace fs = std::filesystem;

// ---- Relocation names, one table per machine (a new machine: one case) ----

const char* x86_64_name(u32 t) {
  static const char* const k[] = {
      "R_X86_64_NONE", "R_X86_64_64", "R_X86_64_PC32", "R_X86_64_GOT32", "R_X86_64_PLT32", "R_X86_64_COPY",
      "R_X86_64_GLOB_DAT", "R_X86_64_JUMP_SLOT", "R_X86_64_RELATIVE", "R_X86_64_GOTPCREL", "R_X86_64_32",
      "R_X86_64_32S", "R_X86_64_16", "R_X86_64_PC16", "R_X86_64_8", "R_X86_64_PC8", "R_X86_64_DTPMOD64",
      "R_X86_64_DTPOFF64", "R_X86_64_TPOFF64", "R_X86_64_TLSGD", "R_X86_64_TLSLD", "R_X86_64_DTPOFF32",
      "R_X86_64_GOTTPOFF", "R_X86_64_TPOFF32", "R_X86_64_PC64", "R_X86_64_GOTOFF64", "R_X86_64_GOTPC32",
      "R_X86_64_GOT64", "R_X86_64_GOTPCREL64", "R_X86_64_GOTPC64", "R_X86_64_GOTPLT64", "R_X86_64_PLTOFF64",
      "R_X86_64_SIZE32", "R_X86_64_SIZE64", "R_X86_64_GOTPC32_TLSDESC", "R_X86_64_TLSDESC_CALL",
      "R_X86_64_TLSDESC", "R_X86_64_IRELATIVE", "R_X86_64_RELATIVE64", nullptr, nullptr, "R_X86_64_GOTPCRELX",
      "R_X86_64_REX_GOTPCRELX"};
  return t < sizeof k / sizeof *k ? k[t] : nullptr;
}

const char* aarch64_name(u32 t) {
  switch (t) {
    case 0: return "R_AARCH64_NONE";
    case 257: return "R_AARCH64_ABS64";
    case 258: return "R_AARCH64_ABS32";
    case 259: return "R_AARCH64_ABS16";
    case 260: return "R_AARCH64_PREL64";
    case 261: return "R_AARCH64_PREL32";
    case 262: return "R_AARCH64_PREL16";
    case 263: return "R_AARCH64_MOVW_UABS_G0";
    case 264: return "R_AARCH64_MOVW_UABS_G0_NC";
    case 265: return "R_AARCH64_MOVW_UABS_G1";
    case 266: return "R_AARCH64_MOVW_UABS_G1_NC";
    case 267: return "R_AARCH64_MOVW_UABS_G2";
    case 268: return "R_AARCH64_MOVW_UABS_G2_NC";
    case 269: return "R_AARCH64_MOVW_UABS_G3";
    case 270: return "R_AARCH64_MOVW_SABS_G0";
    case 271: return "R_AARCH64_MOVW_SABS_G1";
    case 272: return "R_AARCH64_MOVW_SABS_G2";
    case 273: return "R_AARCH64_LD_PREL_LO19";
    case 274: return "R_AARCH64_ADR_PREL_LO21";
    case 275: return "R_AARCH64_ADR_PREL_PG_HI21";
    case 276: return "R_AARCH64_ADR_PREL_PG_HI21_NC";
    case 277: return "R_AARCH64_ADD_ABS_LO12_NC";
    case 278: return "R_AARCH64_LDST8_ABS_LO12_NC";
    case 279: return "R_AARCH64_TSTBR14";
    case 280: return "R_AARCH64_CONDBR19";
    case 282: return "R_AARCH64_JUMP26";
    case 283: return "R_AARCH64_CALL26";
    case 284: return "R_AARCH64_LDST16_ABS_LO12_NC";
    case 285: return "R_AARCH64_LDST32_ABS_LO12_NC";
    case 286: return "R_AARCH64_LDST64_ABS_LO12_NC";
    case 287: return "R_AARCH64_MOVW_PREL_G0";
    case 288: return "R_AARCH64_MOVW_PREL_G0_NC";
    case 289: return "R_AARCH64_MOVW_PREL_G1";
    case 290: return "R_AARCH64_MOVW_PREL_G1_NC";
    case 291: return "R_AARCH64_MOVW_PREL_G2";
    case 292: return "R_AARCH64_MOVW_PREL_G2_NC";
    case 293: return "R_AARCH64_MOVW_PREL_G3";
    case 299: return "R_AARCH64_LDST128_ABS_LO12_NC";
    case 307: return "R_AARCH64_GOTREL64";
    case 308: return "R_AARCH64_GOTREL32";
    case 309: return "R_AARCH64_GOT_LD_PREL19";
    case 310: return "R_AARCH64_LD64_GOTOFF_LO15";
    case 311: return "R_AARCH64_ADR_GOT_PAGE";
    case 312: return "R_AARCH64_LD64_GOT_LO12_NC";
    case 313: return "R_AARCH64_LD64_GOTPAGE_LO15";
    case 314: return "R_AARCH64_PLT32";
    case 315: return "R_AARCH64_GOTPCREL32";
    case 1024: return "R_AARCH64_COPY";
    case 1025: return "R_AARCH64_GLOB_DAT";
    case 1026: return "R_AARCH64_JUMP_SLOT";
    case 1027: return "R_AARCH64_RELATIVE";
    case 1032: return "R_AARCH64_IRELATIVE";
    case 512: return "R_AARCH64_TLSGD_ADR_PREL21";
    case 513: return "R_AARCH64_TLSGD_ADR_PAGE21";
    case 514: return "R_AARCH64_TLSGD_ADD_LO12_NC";
    case 539: return "R_AARCH64_TLSIE_MOVW_GOTTPREL_G1";
    case 540: return "R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC";
    case 541: return "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21";
    case 542: return "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC";
    case 543: return "R_AARCH64_TLSIE_LD_GOTTPREL_PREL19";
    case 544: return "R_AARCH64_TLSLE_MOVW_TPREL_G2";
    case 545: return "R_AARCH64_TLSLE_MOVW_TPREL_G1";
    case 546: return "R_AARCH64_TLSLE_MOVW_TPREL_G1_NC";
    case 547: return "R_AARCH64_TLSLE_MOVW_TPREL_G0";
    case 548: return "R_AARCH64_TLSLE_MOVW_TPREL_G0_NC";
    case 549: return "R_AARCH64_TLSLE_ADD_TPREL_HI12";
    case 550: return "R_AARCH64_TLSLE_ADD_TPREL_LO12";
    case 551: return "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC";
    case 552: return "R_AARCH64_TLSLE_LDST8_TPREL_LO12";
    case 553: return "R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC";
    case 554: return "R_AARCH64_TLSLE_LDST16_TPREL_LO12";
    case 555: return "R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC";
    case 556: return "R_AARCH64_TLSLE_LDST32_TPREL_LO12";
    case 557: return "R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC";
    case 558: return "R_AARCH64_TLSLE_LDST64_TPREL_LO12";
    case 559: return "R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC";
    case 560: return "R_AARCH64_TLSDESC_LD_PREL19";
    case 561: return "R_AARCH64_TLSDESC_ADR_PREL21";
    case 562: return "R_AARCH64_TLSDESC_ADR_PAGE21";
    case 563: return "R_AARCH64_TLSDESC_LD64_LO12";
    case 564: return "R_AARCH64_TLSDESC_ADD_LO12";
    case 565: return "R_AARCH64_TLSDESC_OFF_G1";
    case 566: return "R_AARCH64_TLSDESC_OFF_G0_NC";
    case 567: return "R_AARCH64_TLSDESC_LDR";
    case 568: return "R_AARCH64_TLSDESC_ADD";
    case 569: return "R_AARCH64_TLSDESC_CALL";
    case 570: return "R_AARCH64_TLSLE_LDST128_TPREL_LO12";
    case 571: return "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC";
    default: return nullptr;
  }
}

const char* loongarch_name(u32 t) {
  switch (t) {
    case 0: return "R_LARCH_NONE";
    case 1: return "R_LARCH_32";
    case 2: return "R_LARCH_64";
    case 3: return "R_LARCH_RELATIVE";
    case 4: return "R_LARCH_COPY";
    case 5: return "R_LARCH_JUMP_SLOT";
    case 6: return "R_LARCH_TLS_DTPMOD32";
    case 7: return "R_LARCH_TLS_DTPMOD64";
    case 8: return "R_LARCH_TLS_DTPREL32";
    case 9: return "R_LARCH_TLS_DTPREL64";
    case 10: return "R_LARCH_TLS_TPREL32";
    case 11: return "R_LARCH_TLS_TPREL64";
    case 12: return "R_LARCH_IRELATIVE";
    case 13: return "R_LARCH_TLS_DESC32";
    case 14: return "R_LARCH_TLS_DESC64";
    case 20: return "R_LARCH_MARK_LA";
    case 21: return "R_LARCH_MARK_PCREL";
    case 22: return "R_LARCH_SOP_PUSH_PCREL";
    case 23: return "R_LARCH_SOP_PUSH_ABSOLUTE";
    case 24: return "R_LARCH_SOP_PUSH_DUP";
    case 25: return "R_LARCH_SOP_PUSH_GPREL";
    case 26: return "R_LARCH_SOP_PUSH_TLS_TPREL";
    case 27: return "R_LARCH_SOP_PUSH_TLS_GOT";
    case 28: return "R_LARCH_SOP_PUSH_TLS_GD";
    case 29: return "R_LARCH_SOP_PUSH_PLT_PCREL";
    case 30: return "R_LARCH_SOP_ASSERT";
    case 31: return "R_LARCH_SOP_NOT";
    case 32: return "R_LARCH_SOP_SUB";
    case 33: return "R_LARCH_SOP_SL";
    case 34: return "R_LARCH_SOP_SR";
    case 35: return "R_LARCH_SOP_ADD";
    case 36: return "R_LARCH_SOP_AND";
    case 37: return "R_LARCH_SOP_IF_ELSE";
    case 38: return "R_LARCH_SOP_POP_32_S_10_5";
    case 39: return "R_LARCH_SOP_POP_32_U_10_12";
    case 40: return "R_LARCH_SOP_POP_32_S_10_12";
    case 41: return "R_LARCH_SOP_POP_32_S_10_16";
    case 42: return "R_LARCH_SOP_POP_32_S_10_16_S2";
    case 43: return "R_LARCH_SOP_POP_32_S_5_20";
    case 44: return "R_LARCH_SOP_POP_32_S_0_5_10_16_S2";
    case 45: return "R_LARCH_SOP_POP_32_S_0_10_10_16_S2";
    case 46: return "R_LARCH_SOP_POP_32_U";
    case 47: return "R_LARCH_ADD8";
    case 48: return "R_LARCH_ADD16";
    case 49: return "R_LARCH_ADD24";
    case 50: return "R_LARCH_ADD32";
    case 51: return "R_LARCH_ADD64";
    case 52: return "R_LARCH_SUB8";
    case 53: return "R_LARCH_SUB16";
    case 54: return "R_LARCH_SUB24";
    case 55: return "R_LARCH_SUB32";
    case 56: return "R_LARCH_SUB64";
    case 57: return "R_LARCH_GNU_VTINHERIT";
    case 58: return "R_LARCH_GNU_VTENTRY";
    case 64: return "R_LARCH_B16";
    case 65: return "R_LARCH_B21";
    case 66: return "R_LARCH_B26";
    case 67: return "R_LARCH_ABS_HI20";
    case 68: return "R_LARCH_ABS_LO12";
    case 69: return "R_LARCH_ABS64_LO20";
    case 70: return "R_LARCH_ABS64_HI12";
    case 71: return "R_LARCH_PCALA_HI20";
    case 72: return "R_LARCH_PCALA_LO12";
    case 73: return "R_LARCH_PCALA64_LO20";
    case 74: return "R_LARCH_PCALA64_HI12";
    case 75: return "R_LARCH_GOT_PC_HI20";
    case 76: return "R_LARCH_GOT_PC_LO12";
    case 77: return "R_LARCH_GOT64_PC_LO20";
    case 78: return "R_LARCH_GOT64_PC_HI12";
    case 79: return "R_LARCH_GOT_HI20";
    case 80: return "R_LARCH_GOT_LO12";
    case 81: return "R_LARCH_GOT64_LO20";
    case 82: return "R_LARCH_GOT64_HI12";
    case 83: return "R_LARCH_TLS_LE_HI20";
    case 84: return "R_LARCH_TLS_LE_LO12";
    case 85: return "R_LARCH_TLS_LE64_LO20";
    case 86: return "R_LARCH_TLS_LE64_HI12";
    case 87: return "R_LARCH_TLS_IE_PC_HI20";
    case 88: return "R_LARCH_TLS_IE_PC_LO12";
    case 89: return "R_LARCH_TLS_IE64_PC_LO20";
    case 90: return "R_LARCH_TLS_IE64_PC_HI12";
    case 91: return "R_LARCH_TLS_IE_HI20";
    case 92: return "R_LARCH_TLS_IE_LO12";
    case 93: return "R_LARCH_TLS_IE64_LO20";
    case 94: return "R_LARCH_TLS_IE64_HI12";
    case 95: return "R_LARCH_TLS_LD_PC_HI20";
    case 96: return "R_LARCH_TLS_LD_HI20";
    case 97: return "R_LARCH_TLS_GD_PC_HI20";
    case 98: return "R_LARCH_TLS_GD_HI20";
    case 99: return "R_LARCH_32_PCREL";
    case 100: return "R_LARCH_RELAX";
    case 101: return "R_LARCH_DELETE";
    case 102: return "R_LARCH_ALIGN";
    case 103: return "R_LARCH_PCREL20_S2";
    case 104: return "R_LARCH_CFA";
    case 105: return "R_LARCH_ADD6";
    case 106: return "R_LARCH_SUB6";
    case 107: return "R_LARCH_ADD_ULEB128";
    case 108: return "R_LARCH_SUB_ULEB128";
    case 109: return "R_LARCH_64_PCREL";
    case 110: return "R_LARCH_CALL36";
    case 111: return "R_LARCH_TLS_DESC_PC_HI20";
    case 112: return "R_LARCH_TLS_DESC_PC_LO12";
    case 113: return "R_LARCH_TLS_DESC64_PC_LO20";
    case 114: return "R_LARCH_TLS_DESC64_PC_HI12";
    case 115: return "R_LARCH_TLS_DESC_HI20";
    case 116: return "R_LARCH_TLS_DESC_LO12";
    case 117: return "R_LARCH_TLS_DESC64_LO20";
    case 118: return "R_LARCH_TLS_DESC64_HI12";
    case 119: return "R_LARCH_TLS_DESC_LD";
    case 120: return "R_LARCH_TLS_DESC_CALL";
    case 121: return "R_LARCH_TLS_LE_HI20_R";
    case 122: return "R_LARCH_TLS_LE_ADD_R";
    case 123: return "R_LARCH_TLS_LE_LO12_R";
    case 124: return "R_LARCH_TLS_LD_PCREL20_S2";
    case 125: return "R_LARCH_TLS_GD_PCREL20_S2";
    case 126: return "R_LARCH_TLS_DESC_PCREL20_S2";
    default: return nullptr;
  }
}

// RISC-V (both classes): the psABI's table, 0-65 (42 reserved).
const char* riscv_name(u32 t) {
  switch (t) {
    case 0: return "R_RISCV_NONE";
    case 1: return "R_RISCV_32";
    case 2: return "R_RISCV_64";
    case 3: return "R_RISCV_RELATIVE";
    case 4: return "R_RISCV_COPY";
    case 5: return "R_RISCV_JUMP_SLOT";
    case 6: return "R_RISCV_TLS_DTPMOD32";
    case 7: return "R_RISCV_TLS_DTPMOD64";
    case 8: return "R_RISCV_TLS_DTPREL32";
    case 9: return "R_RISCV_TLS_DTPREL64";
    case 10: return "R_RISCV_TLS_TPREL32";
    case 11: return "R_RISCV_TLS_TPREL64";
    case 12: return "R_RISCV_TLSDESC";
    case 16: return "R_RISCV_BRANCH";
    case 17: return "R_RISCV_JAL";
    case 18: return "R_RISCV_CALL";
    case 19: return "R_RISCV_CALL_PLT";
    case 20: return "R_RISCV_GOT_HI20";
    case 21: return "R_RISCV_TLS_GOT_HI20";
    case 22: return "R_RISCV_TLS_GD_HI20";
    case 23: return "R_RISCV_PCREL_HI20";
    case 24: return "R_RISCV_PCREL_LO12_I";
    case 25: return "R_RISCV_PCREL_LO12_S";
    case 26: return "R_RISCV_HI20";
    case 27: return "R_RISCV_LO12_I";
    case 28: return "R_RISCV_LO12_S";
    case 29: return "R_RISCV_TPREL_HI20";
    case 30: return "R_RISCV_TPREL_LO12_I";
    case 31: return "R_RISCV_TPREL_LO12_S";
    case 32: return "R_RISCV_TPREL_ADD";
    case 33: return "R_RISCV_ADD8";
    case 34: return "R_RISCV_ADD16";
    case 35: return "R_RISCV_ADD32";
    case 36: return "R_RISCV_ADD64";
    case 37: return "R_RISCV_SUB8";
    case 38: return "R_RISCV_SUB16";
    case 39: return "R_RISCV_SUB32";
    case 40: return "R_RISCV_SUB64";
    case 41: return "R_RISCV_GOT32_PCREL";
    case 43: return "R_RISCV_ALIGN";
    case 44: return "R_RISCV_RVC_BRANCH";
    case 45: return "R_RISCV_RVC_JUMP";
    case 46: return "R_RISCV_RVC_LUI";
    case 47: return "R_RISCV_GPREL_I";
    case 48: return "R_RISCV_GPREL_S";
    case 49: return "R_RISCV_TPREL_I";
    case 50: return "R_RISCV_TPREL_S";
    case 51: return "R_RISCV_RELAX";
    case 52: return "R_RISCV_SUB6";
    case 53: return "R_RISCV_SET6";
    case 54: return "R_RISCV_SET8";
    case 55: return "R_RISCV_SET16";
    case 56: return "R_RISCV_SET32";
    case 57: return "R_RISCV_32_PCREL";
    case 58: return "R_RISCV_IRELATIVE";
    case 59: return "R_RISCV_PLT32";
    case 60: return "R_RISCV_SET_ULEB128";
    case 61: return "R_RISCV_SUB_ULEB128";
    case 62: return "R_RISCV_TLSDESC_HI20";
    case 63: return "R_RISCV_TLSDESC_LOAD_LO12";
    case 64: return "R_RISCV_TLSDESC_ADD_LO12";
    case 65: return "R_RISCV_TLSDESC_CALL";
    default: return nullptr;
  }
}

struct MachineNames {
  u16 machine;
  const char* name;
  const char* (*type_name)(u32);
};
// One line per machine.
constexpr MachineNames kMachines[] = {
    {62, "x86-64", x86_64_name},
    {183, "aarch64", aarch64_name},
    {243, "riscv", riscv_name},
    {258, "loongarch64", loongarch_name},
    {40, "arm", nullptr},
    {8, "mips", nullptr},
    {21, "ppc64", nullptr},
    {22, "s390x", nullptr},
    {247, "bpf", nullptr},
    {3, "i386", nullptr},
};

// Mach-O: r_type per CPU type (<mach-o/x86_64/reloc.h> and its
// neighbours; the names llvm-readobj-19 prints).
const char* macho_x86_64_name(u32 t) {
  static const char* const k[] = {"X86_64_RELOC_UNSIGNED",   "X86_64_RELOC_SIGNED",   "X86_64_RELOC_BRANCH",
                                  "X86_64_RELOC_GOT_LOAD",   "X86_64_RELOC_GOT",      "X86_64_RELOC_SUBTRACTOR",
                                  "X86_64_RELOC_SIGNED_1",   "X86_64_RELOC_SIGNED_2", "X86_64_RELOC_SIGNED_4",
                                  "X86_64_RELOC_TLV"};
  return t < sizeof k / sizeof *k ? k[t] : nullptr;
}
const char* macho_arm64_name(u32 t) {
  static const char* const k[] = {"ARM64_RELOC_UNSIGNED",
                                  "ARM64_RELOC_SUBTRACTOR",
                                  "ARM64_RELOC_BRANCH26",
                                  "ARM64_RELOC_PAGE21",
                                  "ARM64_RELOC_PAGEOFF12",
                                  "ARM64_RELOC_GOT_LOAD_PAGE21",
                                  "ARM64_RELOC_GOT_LOAD_PAGEOFF12",
                                  "ARM64_RELOC_POINTER_TO_GOT",
                                  "ARM64_RELOC_TLVP_LOAD_PAGE21",
                                  "ARM64_RELOC_TLVP_LOAD_PAGEOFF12",
                                  "ARM64_RELOC_ADDEND",
                                  "ARM64_RELOC_AUTHENTICATED_POINTER"};
  return t < sizeof k / sizeof *k ? k[t] : nullptr;
}
const char* macho_i386_name(u32 t) {
  static const char* const k[] = {"GENERIC_RELOC_VANILLA",        "GENERIC_RELOC_PAIR", "GENERIC_RELOC_SECTDIFF",
                                  "GENERIC_RELOC_PB_LA_PTR",      "GENERIC_RELOC_LOCAL_SECTDIFF",
                                  "GENERIC_RELOC_TLV"};
  return t < sizeof k / sizeof *k ? k[t] : nullptr;
}
const char* macho_arm_name(u32 t) {
  static const char* const k[] = {"ARM_RELOC_VANILLA",      "ARM_RELOC_PAIR",         "ARM_RELOC_SECTDIFF",
                                  "ARM_RELOC_LOCAL_SECTDIFF", "ARM_RELOC_PB_LA_PTR",  "ARM_RELOC_BR24",
                                  "ARM_THUMB_RELOC_BR22",   "ARM_THUMB_32BIT_BRANCH", "ARM_RELOC_HALF",
                                  "ARM_RELOC_HALF_SECTDIFF"};
  return t < sizeof k / sizeof *k ? k[t] : nullptr;
}
struct MachoMachineNames {
  u32 cputype;
  const char* name;
  const char* (*type_name)(u32);
};
// One line per Mach-O CPU type.
constexpr MachoMachineNames kMachoMachines[] = {
    {0x01000007, "x86-64", macho_x86_64_name},
    {0x0100000c, "arm64", macho_arm64_name},
    {0x7, "i386", macho_i386_name},
    {0xc, "arm", macho_arm_name},
};

bool is_macho_format(const std::string& format) { return format.starts_with("MachO"); }

std::string machine_name(const std::string& format, u32 m) {
  if (is_macho_format(format)) {
    for (const MachoMachineNames& n : kMachoMachines)
      if (n.cputype == m) return n.name;
    return "cputype " + std::to_string(m);
  }
  for (const MachineNames& n : kMachines)
    if (n.machine == m) return n.name;
  return "machine " + std::to_string(m);
}

std::string type_name(const std::string& format, u32 m, u32 t) {
  if (is_macho_format(format)) {
    for (const MachoMachineNames& n : kMachoMachines)
      if (n.cputype == m)
        if (const char* s = n.type_name(t)) return s;
    return "type " + std::to_string(t);
  }
  for (const MachineNames& n : kMachines)
    if (n.machine == m && n.type_name)
      if (const char* s = n.type_name(t)) return s;
  return "type " + std::to_string(t);
}

// ---- Bounds-checked relocation walker (ELF32/ELF64, LE/BE as data) ----

struct Key {
  std::string format;  // "ELF64-LE", "MachO64-LE"
  u32 machine;         // e_machine, or the Mach-O cputype
  u32 type;
  bool operator<(const Key& o) const {
    return std::tie(format, machine, type) < std::tie(o.format, o.machine, o.type);
  }
};

// Mach-O (MH_MAGIC_64 or MH_MAGIC, little-endian): every relocation_info
// of every section of every LC_SEGMENT_64 / LC_SEGMENT, keyed by r_type
// (a scattered entry's r_type is in its first word). Walked here, bounds
// checked, apart from both loaders: load commands inside sizeofcmds and
// the file, each section's table inside the file; a malformed header is
// the reason (what and where) instead.
std::string count_macho_relocations(const std::vector<u8>& d, std::map<Key, u64>& out) {
  const size_t n = d.size();
  auto u32at = [&](u64 at) { return u32(d[at]) | u32(d[at + 1]) << 8 | u32(d[at + 2]) << 16 | u32(d[at + 3]) << 24; };
  conformance::MachOFile file{};
  std::string table_error;
  std::string why = conformance::walk_macho_sections(
      d,
      [&](const conformance::MachOSectionHeader& h) {
        if (h.reloff > n || h.nreloc > (n - h.reloff) / 8) {
          table_error = "section header at file offset " + std::to_string(h.header_offset) + ": " +
                        std::to_string(h.nreloc) + " relocation entries at file offset " + std::to_string(h.reloff) +
                        " past the end of the file";
          return false;
        }
        const std::string format = file.is64 ? "MachO64-LE" : "MachO32-LE";
        for (u64 e = 0; e < h.nreloc; e++) {
          const u32 w0 = u32at(h.reloff + 8 * e), w1 = u32at(h.reloff + 8 * e + 4);
          const u32 type = (w0 & 0x80000000u) ? (w0 >> 24) & 15 : w1 >> 28;  // scattered: r_type in word 0
          out[Key{format, file.cputype, type}]++;
        }
        return true;
      },
      &file);
  return why.empty() ? table_error : why;
}

// Counts every relocation entry of every SHT_REL/SHT_RELA section (Mach-O:
// count_macho_relocations); on a malformed header returns the reason (what
// and where) instead.
std::string count_relocations(const std::vector<u8>& d, std::map<Key, u64>& out) {
  const size_t n = d.size();
  if (n >= 4 && (!std::memcmp(d.data(), "\xcf\xfa\xed\xfe", 4) || !std::memcmp(d.data(), "\xce\xfa\xed\xfe", 4)))
    return count_macho_relocations(d, out);
  if (n < 4 || std::memcmp(d.data(), "\x7f" "ELF", 4)) return "not an ELF or Mach-O object (COFF is not counted yet)";
  // The shared view checks the header and the section table (class and
  // byte order are its data, not code paths here).
  std::string why;
  auto v = elfview::View::open(std::span<const u8>(d.data(), d.size()), &why);
  if (!v) return why;
  const std::string format = std::string(v->is64() ? "ELF64" : "ELF32") + (v->little_endian() ? "-LE" : "-BE");
  for (u64 i = 0; i < v->section_count(); i++) {
    auto s = v->section(i);
    if (!s || (s->type != 4 && s->type != 9)) continue;  // SHT_RELA, SHT_REL
    if (!v->has(s->offset, s->size))
      return "relocation section #" + std::to_string(i) + " (file offset " + std::to_string(s->offset) + ", size " +
             std::to_string(s->size) + ") past the end of the file";
    for (const elfview::Relocation& r : v->relocations(*s)) out[Key{format, v->machine(), r.type}]++;
  }
  return "";
}

// ---- Inputs ---------------------------------------------------------------

enum Source { kConformance, kLlvmSuite, kCampaign, kSources };
const char* const kSourceNames[kSources] = {"conformance", "llvm-suite", "campaign"};

struct Cell {
  u64 relocations = 0;
  std::set<std::string> inputs;
};

struct Tally {
  std::map<Key, Cell[kSources]> cells;
  u64 inputs[kSources] = {};
  std::vector<std::string> skipped;  // "file: reason"
};

void add_object(Tally& t, Source s, const std::string& label, const std::vector<u8>& bytes) {
  std::map<Key, u64> counts;
  std::string err = count_relocations(bytes, counts);
  if (!err.empty()) {
    t.skipped.push_back(std::string(kSourceNames[s]) + " " + label + ": " + err);
    return;
  }
  t.inputs[s]++;
  for (auto& [k, c] : counts) {
    Cell& cell = t.cells[k][s];
    cell.relocations += c;
    cell.inputs.insert(label);
  }
}

// The target triples a test's RUN lines assemble for (-triple=T, -triple T,
// --target=T, -mtriple=T), in order of first appearance.
std::vector<std::string> run_triples(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find("RUN:") == std::string::npos) continue;
    for (const char* opt : {"-triple=", "-triple ", "--target=", "-mtriple="}) {
      for (size_t p = line.find(opt); p != std::string::npos; p = line.find(opt, p + 1)) {
        size_t b = p + std::strlen(opt), e = b;
        while (e < line.size() && !std::isspace(u8(line[e])) && line[e] != '\\') e++;
        std::string t = line.substr(b, e - b);
        if (!t.empty() && t.find('%') == std::string::npos && std::find(out.begin(), out.end(), t) == out.end())
          out.push_back(t);
      }
    }
  }
  return out;
}

// The yaml2obj commands of a test's RUN lines, as argument lists without
// `-o FILE` (%s: the test, %S: its directory, %p: likewise). A line whose
// arguments use other substitutions (%t...) is left out.
std::vector<std::vector<std::string>> run_yaml2obj(const std::string& text, const fs::path& test) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    size_t run = line.find("RUN:"), y = line.find("yaml2obj ");
    if (run == std::string::npos || y == std::string::npos || y < run) continue;
    std::istringstream words(line.substr(y + 9));
    std::vector<std::string> args;
    bool ok = true;
    for (std::string w; words >> w;) {
      if (w == "|" || w == "&&" || w == ">" || w == "2>&1") break;
      if (w == "-o") {
        words >> w;  // its value
        continue;
      }
      for (auto [from, to] : {std::pair<std::string, std::string>{"%s", test.string()},
                              {"%S", test.parent_path().string()}, {"%p", test.parent_path().string()}})
        for (size_t p; (p = w.find(from)) != std::string::npos;) w.replace(p, from.size(), to);
      if (w.find('%') != std::string::npos) ok = false;
      args.push_back(w);
    }
    if (ok && !args.empty()) out.push_back(args);
  }
  return out;
}

int spawn_quiet(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Assembles each .s under `dir` for each triple its RUN lines name, runs
// the yaml2obj commands of each .s and .yaml test's RUN lines (malformed
// cases, LLVM's YAML tests), and counts the resulting objects' relocations.
void add_assembly_tree(Tally& t, Source s, const fs::path& dir, const std::string& clang, const std::string& yaml2obj,
                       const fs::path& tmp) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file() && (it->path().extension() == ".s" || it->path().extension() == ".yaml") &&
        it->path().parent_path().filename() != "Inputs")
      files.push_back(it->path());
  std::sort(files.begin(), files.end());
  int serial = 0;
  for (const fs::path& f : files) {
    auto text = read_file(f.string());
    if (!text) continue;
    std::string label = fs::relative(f, dir, ec).string();
    const std::string body(text->begin(), text->end());
    std::vector<std::vector<std::string>> yamls = run_yaml2obj(body, f);
    for (size_t k = 0; k < yamls.size(); k++) {
      std::string obj = (tmp / ("y" + std::to_string(serial++) + ".o")).string();
      std::vector<std::string> cmd{yaml2obj};
      cmd.insert(cmd.end(), yamls[k].begin(), yamls[k].end());
      cmd.insert(cmd.end(), {"-o", obj});
      if (spawn_quiet(cmd) != 0) {
        t.skipped.push_back(std::string(kSourceNames[s]) + " " + label + ": yaml2obj RUN line " + std::to_string(k + 1) +
                            " failed");
        continue;
      }
      if (auto bytes = read_file(obj)) add_object(t, s, label + " [yaml " + std::to_string(k + 1) + "]", *bytes);
      fs::remove(obj, ec);
    }
    if (f.extension() == ".yaml") continue;
    std::vector<std::string> triples = run_triples(body);
    if (triples.empty()) {
      t.skipped.push_back(std::string(kSourceNames[s]) + " " + label + ": no triple in its RUN lines");
      continue;
    }
    for (const std::string& triple : triples) {
      std::string obj = (tmp / ("a" + std::to_string(serial++) + ".o")).string();
      if (spawn_quiet({clang, "-c", "-x", "assembler", "--target=" + triple, "-o", obj, f.string()}) != 0) {
        t.skipped.push_back(std::string(kSourceNames[s]) + " " + label + ": clang-19 cannot assemble it for " +
                            triple);
        continue;
      }
      auto bytes = read_file(obj);
      if (bytes) add_object(t, s, label + (triples.size() > 1 ? " [" + triple + "]" : ""), *bytes);
      fs::remove(obj, ec);
    }
  }
}

void add_object_tree(Tally& t, const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".o") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    auto bytes = read_file(f.string());
    if (!bytes) continue;
    add_object(t, kCampaign, dir.filename().string() + "/" + f.filename().string(), *bytes);
  }
}

// ---- Output -----------------------------------------------------------------

std::string xml(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else o += c;
  }
  return o;
}

// Rows: (format, machine, type); columns: the three sources; colour: the
// number of inputs (log scale); text: inputs / relocations.
void write_svg(const Tally& t, FILE* out) {
  const int row_h = 16, label_w = 330, col_w = 120, top = 54;
  u64 max_inputs = 1;
  for (auto& [k, cells] : t.cells)
    for (int s = 0; s < kSources; s++) max_inputs = std::max<u64>(max_inputs, cells[s].inputs.size());
  const int rows = int(t.cells.size());
  const int width = label_w + kSources * col_w + 10, height = top + rows * row_h + 30;
  std::fprintf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"monospace\" "
               "font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
               width, height);
  std::fprintf(out, "<text x=\"4\" y=\"16\" font-size=\"13\">jitload coverage: inputs (relocations) per type</text>\n");
  for (int s = 0; s < kSources; s++)
    std::fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s (%llu)</text>\n", label_w + s * col_w + col_w / 2,
                 top - 8, kSourceNames[s], (unsigned long long)t.inputs[s]);
  int r = 0;
  for (auto& [k, cells] : t.cells) {
    int y = top + r * row_h;
    std::fprintf(out, "<text x=\"4\" y=\"%d\">%s %s %s</text>\n", y + 12, k.format.c_str(),
                 xml(machine_name(k.format, k.machine)).c_str(), xml(type_name(k.format, k.machine, k.type)).c_str());
    for (int s = 0; s < kSources; s++) {
      const Cell& c = cells[s];
      double f = c.inputs.empty() ? 0 : std::log(1.0 + c.inputs.size()) / std::log(1.0 + max_inputs);
      // Light to dark blue; grey when that source never exercised the type.
      int red = c.inputs.empty() ? 238 : int(222 - 214 * f), g = c.inputs.empty() ? 238 : int(235 - 187 * f),
          b = c.inputs.empty() ? 238 : int(247 - 140 * f);
      std::fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,%d)\" stroke=\"white\"/>\n",
                   label_w + s * col_w, y, col_w, row_h, red, g, b);
      if (!c.inputs.empty())
        std::fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%zu (%llu)</text>\n",
                     label_w + s * col_w + col_w / 2, y + 12, f > 0.6 ? "white" : "black", c.inputs.size(),
                     (unsigned long long)c.relocations);
    }
    r++;
  }
  std::fprintf(out, "<text x=\"4\" y=\"%d\">%d types; grey: not exercised by that source</text>\n</svg>\n",
               top + rows * row_h + 20, rows);
}

void usage(FILE* f) {
  std::fprintf(f,
               "usage: jitload coverage [options]\n\n"
               "Per (format, machine, relocation type): the conformance tests, LLVM suite checks and\n"
               "campaign objects whose objects contain it (assembled with clang-19 for each triple\n"
               "their RUN lines name; relocation entries counted, not names).\n\n"
               "options:\n"
               "  --conformance DIR   .s tests (default: SOURCE/conformance/tests)\n"
               "  --llvm-suite DIR    LLVM 19's RuntimeDyld tests (default: ci/llvm-conformance's cache\n"
               "                      under /var/cache/jitload, when present; 'none' to leave out)\n"
               "  --objects DIR       campaign objects, *.o (repeatable; default: SOURCE/corpora/*/seeds\n"
               "                      and */regressions)\n"
               "  --clang PATH        the assembler (default clang-19)\n"
               "  --yaml2obj PATH     for the yaml2obj RUN lines (malformed cases; default yaml2obj-19)\n"
               "  --svg FILE          also draw the matrix as an SVG heatmap\n"
               "  --tsv               one tab-separated line per type: format machine type name\n"
               "                      conformance-inputs llvm-inputs campaign-inputs (then the input lists)\n"
               "  --skipped           list the inputs that could not be assembled or read\n");
}

}  // namespace

int cmd_coverage(int argc, char** argv) {
  std::string conformance, llvm_suite, svg, clang = JITLOAD_CLANG, yaml2obj = "yaml2obj-19";
  std::vector<std::string> objects;
  bool tsv = false, show_skipped = false;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") return usage(stdout), kExitOk;
    if (missing_value(argc, i, a, {"--conformance", "--llvm-suite", "--objects", "--clang", "--yaml2obj", "--svg"})) {
      std::fprintf(stderr, "jitload coverage: %s needs a value\n", a.c_str());
      return kExitUsage;
    }
    if (auto v = option_value(argc, argv, i, "--conformance")) conformance = *v;
    else if (auto v = option_value(argc, argv, i, "--llvm-suite")) llvm_suite = *v;
    else if (auto v = option_value(argc, argv, i, "--objects")) objects.push_back(*v);
    else if (auto v = option_value(argc, argv, i, "--clang")) clang = *v;
    else if (auto v = option_value(argc, argv, i, "--yaml2obj")) yaml2obj = *v;
    else if (auto v = option_value(argc, argv, i, "--svg")) svg = *v;
    else if (a == "--tsv") tsv = true;
    else if (a == "--skipped") show_skipped = true;
    else {
      std::fprintf(stderr, "jitload coverage: unknown argument '%s'\n", a.c_str());
      usage(stderr);
      return kExitUsage;
    }
  }
  const fs::path source = JITLOAD_SOURCE_DIR;
  std::error_code ec;
  if (conformance.empty()) conformance = (source / "conformance" / "tests").string();
  if (llvm_suite.empty()) {
    for (auto it = fs::directory_iterator("/var/cache/jitload", ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
      if (it->path().filename().string().starts_with("llvm-toolchain-19-") &&
          fs::exists(it->path() / "RuntimeDyld" / ".complete", ec))
        llvm_suite = (it->path() / "RuntimeDyld").string();
  }
  if (objects.empty())
    for (auto it = fs::directory_iterator(source / "corpora", ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
      for (const char* sub : {"seeds", "regressions"})
        if (fs::is_directory(it->path() / sub, ec)) objects.push_back((it->path() / sub).string());
  std::sort(objects.begin(), objects.end());

  char tmpl[] = "/tmp/jitload-coverage.XXXXXX";
  if (!mkdtemp(tmpl)) return std::fprintf(stderr, "jitload coverage: cannot create a temporary directory\n"), kExitFailed;
  const fs::path tmp = tmpl;

  Tally t;
  bool have[kSources] = {false, false, false};
  if (fs::is_directory(conformance, ec)) have[kConformance] = true, add_assembly_tree(t, kConformance, conformance, clang, yaml2obj, tmp);
  else std::fprintf(stderr, "jitload coverage: no conformance tests at %s\n", conformance.c_str());
  if (!llvm_suite.empty() && llvm_suite != "none") {
    if (fs::is_directory(llvm_suite, ec)) have[kLlvmSuite] = true, add_assembly_tree(t, kLlvmSuite, llvm_suite, clang, yaml2obj, tmp);
    else std::fprintf(stderr, "jitload coverage: no LLVM suite at %s\n", llvm_suite.c_str());
  }
  for (const std::string& d : objects)
    if (fs::is_directory(d, ec)) have[kCampaign] = true, add_object_tree(t, d);
  fs::remove_all(tmp, ec);

  if (tsv) {
    for (auto& [k, cells] : t.cells) {
      std::printf("%s\t%s\t%u\t%s", k.format.c_str(), machine_name(k.format, k.machine).c_str(), k.type,
                  type_name(k.format, k.machine, k.type).c_str());
      for (int s = 0; s < kSources; s++) std::printf("\t%zu", cells[s].inputs.size());
      for (int s = 0; s < kSources; s++) {
        std::string list;
        for (const std::string& in : cells[s].inputs) list += (list.empty() ? "" : ",") + in;
        std::printf("\t%s", list.c_str());
      }
      std::printf("\n");
    }
  } else {
    std::printf("relocation coverage: %llu conformance objects, %llu LLVM suite objects%s, %llu campaign objects\n",
                (unsigned long long)t.inputs[kConformance], (unsigned long long)t.inputs[kLlvmSuite],
                have[kLlvmSuite] ? "" : " (suite not present: run ci/llvm-conformance once)",
                (unsigned long long)t.inputs[kCampaign]);
    for (auto& [k, cells] : t.cells) {
      std::printf("%s %s %s (%u):", k.format.c_str(), machine_name(k.format, k.machine).c_str(),
                  type_name(k.format, k.machine, k.type).c_str(), k.type);
      for (int s = 0; s < kSources; s++) {
        std::printf(" %s %zu", kSourceNames[s], cells[s].inputs.size());
        if (!cells[s].inputs.empty()) {
          std::printf(" [");
          size_t shown = 0;
          for (const std::string& in : cells[s].inputs) {
            if (shown == 4) {
              std::printf(", +%zu", cells[s].inputs.size() - 4);
              break;
            }
            std::printf("%s%s", shown++ ? ", " : "", in.c_str());
          }
          std::printf("]");
        }
        std::printf(s + 1 < kSources ? ";" : "\n");
      }
    }
    std::printf("%zu types; %zu inputs skipped%s\n", t.cells.size(), t.skipped.size(),
                t.skipped.empty() || show_skipped ? "" : " (--skipped lists them)");
  }
  if (show_skipped)
    for (const std::string& s : t.skipped) std::fprintf(stderr, "skipped: %s\n", s.c_str());
  if (!svg.empty()) {
    FILE* f = std::fopen(svg.c_str(), "w");
    if (!f) return std::fprintf(stderr, "jitload coverage: cannot write %s\n", svg.c_str()), kExitUnreadable;
    write_svg(t, f);
    if (std::fclose(f) != 0) return std::fprintf(stderr, "jitload coverage: cannot write %s\n", svg.c_str()), kExitFailed;
  }
  return kExitOk;
}

}  // namespace jitload::tools
