// AArch64 for the reference loader: one table, one row per relocation type,
// each citing the aaelf64 table it comes from; then apply(), one switch on
// the formula and one on the encoding. See aarch64.h and reference.h.
#include "reference/elf/aarch64.h"

#include <cstdio>

#include "reference/reader.h"

namespace jitload::reference::aarch64 {

using elf::failure;
using elf::misaligned;
using elf::read_insn;
using elf::wrong_insn;
using elf::write_insn;

namespace {

const char* const kData = "aaelf64 §5.7.5 Static Data relocations";
const char* const kMovU = "aaelf64 §5.7.6 Group relocations, unsigned (MOVZ/MOVK)";
const char* const kMovS = "aaelf64 §5.7.6 Group relocations, signed (MOVN/MOVZ)";
const char* const kPcRel = "aaelf64 §5.7.7 PC-relative addresses";
const char* const kAbsLo = "aaelf64 §5.7.7 ADD/LD/ST low 12 bits of an absolute address";
const char* const kBranch = "aaelf64 §5.7.8 Control-flow instructions";
const char* const kGot = "aaelf64 §5.7.10 GOT-relative instructions";
const char* const kGotData = "aaelf64 §5.7.5 / §5.7.10 (PLT32, GOTPCREL32)";
const char* const kIE = "aaelf64 §5.7.12 Initial Exec";
const char* const kLE = "aaelf64 §5.7.13 Local Exec";
const char* const kDesc = "aaelf64 §5.7.14 TLS descriptors, relaxed to local exec (reference.h)";
const char* const kGd = "aaelf64 §5.7.11 General Dynamic, relaxed to local exec (reference.h)";
const char* const kTpData = "aaelf64 §5.7.15 Dynamic TLS relocations (R_AARCH64_TLS_TPREL)";
const char* const kLd = "aaelf64 §5.7.12 Local Dynamic, DTPREL = TPREL in the static model (reference.h)";

using F = Formula;
using E = Enc;
using C = Check;

// type, name, formula, encoding, shift, check, bits, align, tls, source
const Row kRows[] = {
    {0, "R_AARCH64_NONE", F::None, E::None, 0, C::None, 0, 1, false, kData},
    // aaelf64 §5.7.2: code 256 is the withdrawn alias of R_AARCH64_NONE and
    // is to be treated as it (no relocation), not refused.
    {256, "R_AARCH64_NONE", F::None, E::None, 0, C::None, 0, 1, false, kData},
    {257, "R_AARCH64_ABS64", F::S_A, E::Data64, 0, C::None, 0, 1, false, kData},
    {258, "R_AARCH64_ABS32", F::S_A, E::Data32, 0, C::Data, 32, 1, false, kData},
    {259, "R_AARCH64_ABS16", F::S_A, E::Data16, 0, C::Data, 16, 1, false, kData},
    {260, "R_AARCH64_PREL64", F::S_A_P, E::Data64, 0, C::None, 0, 1, false, kData},
    {261, "R_AARCH64_PREL32", F::S_A_P, E::Data32, 0, C::Data, 32, 1, false, kData},
    {262, "R_AARCH64_PREL16", F::S_A_P, E::Data16, 0, C::Data, 16, 1, false, kData},
    {263, "R_AARCH64_MOVW_UABS_G0", F::S_A, E::MovwU, 0, C::Unsigned, 16, 1, false, kMovU},
    {264, "R_AARCH64_MOVW_UABS_G0_NC", F::S_A, E::MovwU, 0, C::None, 0, 1, false, kMovU},
    {265, "R_AARCH64_MOVW_UABS_G1", F::S_A, E::MovwU, 16, C::Unsigned, 32, 1, false, kMovU},
    {266, "R_AARCH64_MOVW_UABS_G1_NC", F::S_A, E::MovwU, 16, C::None, 0, 1, false, kMovU},
    {267, "R_AARCH64_MOVW_UABS_G2", F::S_A, E::MovwU, 32, C::Unsigned, 48, 1, false, kMovU},
    {268, "R_AARCH64_MOVW_UABS_G2_NC", F::S_A, E::MovwU, 32, C::None, 0, 1, false, kMovU},
    {269, "R_AARCH64_MOVW_UABS_G3", F::S_A, E::MovwU, 48, C::None, 0, 1, false, kMovU},
    {270, "R_AARCH64_MOVW_SABS_G0", F::S_A, E::MovwS, 0, C::Signed, 16, 1, false, kMovS},
    {271, "R_AARCH64_MOVW_SABS_G1", F::S_A, E::MovwS, 16, C::Signed, 32, 1, false, kMovS},
    {272, "R_AARCH64_MOVW_SABS_G2", F::S_A, E::MovwS, 32, C::Signed, 48, 1, false, kMovS},
    {273, "R_AARCH64_LD_PREL_LO19", F::S_A_P, E::Imm19, 0, C::Signed, 20, 4, false, kPcRel},
    {274, "R_AARCH64_ADR_PREL_LO21", F::S_A_P, E::Adr, 0, C::Signed, 20, 1, false, kPcRel},
    {275, "R_AARCH64_ADR_PREL_PG_HI21", F::Page_S_A_P, E::Adrp, 0, C::Signed, 32, 1, false, kPcRel},
    {276, "R_AARCH64_ADR_PREL_PG_HI21_NC", F::Page_S_A_P, E::Adrp, 0, C::None, 0, 1, false, kPcRel},
    {277, "R_AARCH64_ADD_ABS_LO12_NC", F::S_A, E::Add12, 0, C::None, 0, 1, false, kAbsLo},
    {278, "R_AARCH64_LDST8_ABS_LO12_NC", F::S_A, E::Ldst, 0, C::None, 0, 1, false, kAbsLo},
    {279, "R_AARCH64_TSTBR14", F::S_A_P, E::Imm14, 0, C::Signed, 15, 4, false, kBranch},
    {280, "R_AARCH64_CONDBR19", F::S_A_P, E::Imm19, 0, C::Signed, 20, 4, false, kBranch},
    {282, "R_AARCH64_JUMP26", F::Call, E::Imm26, 0, C::Signed, 27, 4, false, kBranch},
    {283, "R_AARCH64_CALL26", F::Call, E::Imm26, 0, C::Signed, 27, 4, false, kBranch},
    {284, "R_AARCH64_LDST16_ABS_LO12_NC", F::S_A, E::Ldst, 1, C::None, 0, 1, false, kAbsLo},
    {285, "R_AARCH64_LDST32_ABS_LO12_NC", F::S_A, E::Ldst, 2, C::None, 0, 1, false, kAbsLo},
    {286, "R_AARCH64_LDST64_ABS_LO12_NC", F::S_A, E::Ldst, 3, C::None, 0, 1, false, kAbsLo},
    {287, "R_AARCH64_MOVW_PREL_G0", F::S_A_P, E::MovwS, 0, C::Signed, 16, 1, false, kMovS},
    {288, "R_AARCH64_MOVW_PREL_G0_NC", F::S_A_P, E::MovwS, 0, C::None, 0, 1, false, kMovS},
    {289, "R_AARCH64_MOVW_PREL_G1", F::S_A_P, E::MovwS, 16, C::Signed, 32, 1, false, kMovS},
    {290, "R_AARCH64_MOVW_PREL_G1_NC", F::S_A_P, E::MovwS, 16, C::None, 0, 1, false, kMovS},
    {291, "R_AARCH64_MOVW_PREL_G2", F::S_A_P, E::MovwS, 32, C::Signed, 48, 1, false, kMovS},
    {292, "R_AARCH64_MOVW_PREL_G2_NC", F::S_A_P, E::MovwS, 32, C::None, 0, 1, false, kMovS},
    {293, "R_AARCH64_MOVW_PREL_G3", F::S_A_P, E::MovwS, 48, C::None, 0, 1, false, kMovS},
    {299, "R_AARCH64_LDST128_ABS_LO12_NC", F::S_A, E::Ldst, 4, C::None, 0, 1, false, kAbsLo},
    {309, "R_AARCH64_GOT_LD_PREL19", F::G_P, E::Imm19, 0, C::Signed, 20, 4, false, kGot},
    {311, "R_AARCH64_ADR_GOT_PAGE", F::Page_G_P, E::Adrp, 0, C::Signed, 32, 1, false, kGot},
    {312, "R_AARCH64_LD64_GOT_LO12_NC", F::G, E::Ldst, 3, C::None, 0, 1, false, kGot},
    {313, "R_AARCH64_LD64_GOTPAGE_LO15", F::G_PageGOT, E::Lo15, 0, C::Unsigned, 15, 8, false, kGot},
    {314, "R_AARCH64_PLT32", F::S_A_P, E::Data32, 0, C::SignedData, 32, 1, false, kGotData},
    {315, "R_AARCH64_GOTPCREL32", F::G_P, E::Data32, 0, C::SignedData, 32, 1, false, kGotData},
    {513, "R_AARCH64_TLSGD_ADR_PAGE21", F::TlsGdPage, E::Rewrite, 0, C::Unsigned, 24, 1, true, kGd},
    {514, "R_AARCH64_TLSGD_ADD_LO12_NC", F::TlsGdAdd, E::Rewrite, 0, C::Unsigned, 24, 1, true, kGd},
    {518, "R_AARCH64_TLSLD_ADR_PAGE21", F::TlsLdPage, E::Rewrite, 0, C::None, 0, 1, true, kLd},
    {519, "R_AARCH64_TLSLD_ADD_LO12_NC", F::TlsLdAdd, E::Rewrite, 0, C::None, 0, 1, true, kLd},
    {523, "R_AARCH64_TLSLD_MOVW_DTPREL_G2", F::TPREL, E::MovwS, 32, C::Signed, 48, 1, true, kLd},
    {524, "R_AARCH64_TLSLD_MOVW_DTPREL_G1", F::TPREL, E::MovwS, 16, C::Signed, 32, 1, true, kLd},
    {525, "R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC", F::TPREL, E::MovwS, 16, C::None, 0, 1, true, kLd},
    {526, "R_AARCH64_TLSLD_MOVW_DTPREL_G0", F::TPREL, E::MovwS, 0, C::Signed, 16, 1, true, kLd},
    {527, "R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC", F::TPREL, E::MovwS, 0, C::None, 0, 1, true, kLd},
    {528, "R_AARCH64_TLSLD_ADD_DTPREL_HI12", F::TPREL, E::Add12, 12, C::Unsigned, 24, 1, true, kLd},
    {529, "R_AARCH64_TLSLD_ADD_DTPREL_LO12", F::TPREL, E::Add12, 0, C::Unsigned, 12, 1, true, kLd},
    {530, "R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC", F::TPREL, E::Add12, 0, C::None, 0, 1, true, kLd},
    {531, "R_AARCH64_TLSLD_LDST8_DTPREL_LO12", F::TPREL, E::Ldst, 0, C::Unsigned, 12, 1, true, kLd},
    {532, "R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC", F::TPREL, E::Ldst, 0, C::None, 0, 1, true, kLd},
    {533, "R_AARCH64_TLSLD_LDST16_DTPREL_LO12", F::TPREL, E::Ldst, 1, C::Unsigned, 12, 1, true, kLd},
    {534, "R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC", F::TPREL, E::Ldst, 1, C::None, 0, 1, true, kLd},
    {535, "R_AARCH64_TLSLD_LDST32_DTPREL_LO12", F::TPREL, E::Ldst, 2, C::Unsigned, 12, 1, true, kLd},
    {536, "R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC", F::TPREL, E::Ldst, 2, C::None, 0, 1, true, kLd},
    {537, "R_AARCH64_TLSLD_LDST64_DTPREL_LO12", F::TPREL, E::Ldst, 3, C::Unsigned, 12, 1, true, kLd},
    {538, "R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC", F::TPREL, E::Ldst, 3, C::None, 0, 1, true, kLd},
    {541, "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21", F::Page_GTP_P, E::Adrp, 0, C::Signed, 32, 1, true, kIE},
    {542, "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC", F::GTP, E::Ldst, 3, C::None, 0, 1, true, kIE},
    {543, "R_AARCH64_TLSIE_LD_GOTTPREL_PREL19", F::GTP_P, E::Imm19, 0, C::Signed, 20, 4, true, kIE},
    {544, "R_AARCH64_TLSLE_MOVW_TPREL_G2", F::TPREL, E::MovwS, 32, C::Signed, 48, 1, true, kLE},
    {545, "R_AARCH64_TLSLE_MOVW_TPREL_G1", F::TPREL, E::MovwS, 16, C::Signed, 32, 1, true, kLE},
    {546, "R_AARCH64_TLSLE_MOVW_TPREL_G1_NC", F::TPREL, E::MovwS, 16, C::None, 0, 1, true, kLE},
    {547, "R_AARCH64_TLSLE_MOVW_TPREL_G0", F::TPREL, E::MovwS, 0, C::Signed, 16, 1, true, kLE},
    {548, "R_AARCH64_TLSLE_MOVW_TPREL_G0_NC", F::TPREL, E::MovwS, 0, C::None, 0, 1, true, kLE},
    {549, "R_AARCH64_TLSLE_ADD_TPREL_HI12", F::TPREL, E::Add12, 12, C::Unsigned, 24, 1, true, kLE},
    {550, "R_AARCH64_TLSLE_ADD_TPREL_LO12", F::TPREL, E::Add12, 0, C::Unsigned, 12, 1, true, kLE},
    {551, "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC", F::TPREL, E::Add12, 0, C::None, 0, 1, true, kLE},
    {552, "R_AARCH64_TLSLE_LDST8_TPREL_LO12", F::TPREL, E::Ldst, 0, C::Unsigned, 12, 1, true, kLE},
    {553, "R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC", F::TPREL, E::Ldst, 0, C::None, 0, 1, true, kLE},
    {554, "R_AARCH64_TLSLE_LDST16_TPREL_LO12", F::TPREL, E::Ldst, 1, C::Unsigned, 12, 1, true, kLE},
    {555, "R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC", F::TPREL, E::Ldst, 1, C::None, 0, 1, true, kLE},
    {556, "R_AARCH64_TLSLE_LDST32_TPREL_LO12", F::TPREL, E::Ldst, 2, C::Unsigned, 12, 1, true, kLE},
    {557, "R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC", F::TPREL, E::Ldst, 2, C::None, 0, 1, true, kLE},
    {558, "R_AARCH64_TLSLE_LDST64_TPREL_LO12", F::TPREL, E::Ldst, 3, C::Unsigned, 12, 1, true, kLE},
    {559, "R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC", F::TPREL, E::Ldst, 3, C::None, 0, 1, true, kLE},
    {562, "R_AARCH64_TLSDESC_ADR_PAGE21", F::TlsDescPage, E::Rewrite, 0, C::Unsigned, 32, 1, true, kDesc},
    {563, "R_AARCH64_TLSDESC_LD64_LO12", F::TlsDescLd, E::Rewrite, 0, C::Unsigned, 32, 1, true, kDesc},
    {564, "R_AARCH64_TLSDESC_ADD_LO12", F::TlsDescNop, E::Rewrite, 0, C::None, 0, 1, true, kDesc},
    {569, "R_AARCH64_TLSDESC_CALL", F::TlsDescNop, E::Rewrite, 0, C::None, 0, 1, true, kDesc},
    {570, "R_AARCH64_TLSLE_LDST128_TPREL_LO12", F::TPREL, E::Ldst, 4, C::Unsigned, 12, 1, true, kLE},
    {571, "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC", F::TPREL, E::Ldst, 4, C::None, 0, 1, true, kLE},
    {572, "R_AARCH64_TLSLD_LDST128_DTPREL_LO12", F::TPREL, E::Ldst, 4, C::Unsigned, 12, 1, true, kLd},
    {573, "R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC", F::TPREL, E::Ldst, 4, C::None, 0, 1, true, kLd},
    // A dynamic type in a relocatable object: TPREL(S + A) as a 64-bit
    // word (what a static link would write for the executable's TLS).
    {1030, "R_AARCH64_TLS_TPREL", F::TPREL, E::Data64, 0, C::None, 0, 1, true, kTpData},
};

// Types the psABI names that the reference does not implement.
struct Name {
  uint32_t type;
  const char* name;
};
const Name kOtherNames[] = {
    {300, "R_AARCH64_MOVW_GOTOFF_G0"}, {301, "R_AARCH64_MOVW_GOTOFF_G0_NC"},
    {302, "R_AARCH64_MOVW_GOTOFF_G1"}, {303, "R_AARCH64_MOVW_GOTOFF_G1_NC"},
    {304, "R_AARCH64_MOVW_GOTOFF_G2"}, {305, "R_AARCH64_MOVW_GOTOFF_G2_NC"},
    {306, "R_AARCH64_MOVW_GOTOFF_G3"}, {307, "R_AARCH64_GOTREL64"},
    {308, "R_AARCH64_GOTREL32"},
    {310, "R_AARCH64_LD64_GOTOFF_LO15"}, {512, "R_AARCH64_TLSGD_ADR_PREL21"},
    {515, "R_AARCH64_TLSGD_MOVW_G1"},  {516, "R_AARCH64_TLSGD_MOVW_G0_NC"},
    {517, "R_AARCH64_TLSLD_ADR_PREL21"}, {520, "R_AARCH64_TLSLD_MOVW_G1"},
    {521, "R_AARCH64_TLSLD_MOVW_G0_NC"}, {522, "R_AARCH64_TLSLD_LD_PREL19"}, {539, "R_AARCH64_TLSIE_MOVW_GOTTPREL_G1"},
    {540, "R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC"}, {560, "R_AARCH64_TLSDESC_LD_PREL19"},
    {561, "R_AARCH64_TLSDESC_ADR_PREL21"}, {565, "R_AARCH64_TLSDESC_OFF_G1"},
    {566, "R_AARCH64_TLSDESC_OFF_G0_NC"}, {567, "R_AARCH64_TLSDESC_LDR"},
    {568, "R_AARCH64_TLSDESC_ADD"},    {1024, "R_AARCH64_COPY"},
    {1025, "R_AARCH64_GLOB_DAT"},      {1026, "R_AARCH64_JUMP_SLOT"},
    {1027, "R_AARCH64_RELATIVE"},      {1028, "R_AARCH64_TLS_DTPMOD"},
    {1029, "R_AARCH64_TLS_DTPREL"},
    {1031, "R_AARCH64_TLSDESC"},       {1032, "R_AARCH64_IRELATIVE"},
};

uint64_t page(uint64_t x) { return x & ~uint64_t(0xfff); }

// Instruction words (A64 encodings, Arm ARM C4/C6), used by the TLS rewrites.
constexpr uint32_t kNop = 0xd503201f;            // nop
constexpr uint32_t kMovzX0Lsl16 = 0xd2a00000;    // movz x0, #0, lsl #16
constexpr uint32_t kMovkX0 = 0xf2800000;         // movk x0, #0
constexpr uint32_t kMrsX0Tpidr = 0xd53bd040;     // mrs x0, tpidr_el0
constexpr uint32_t kAddX0X0Lsl12 = 0x91400000;   // add x0, x0, #0, lsl #12
constexpr uint32_t kAddX0X0 = 0x91000000;        // add x0, x0, #0

bool is_adrp_x0(uint32_t i) { return (i & 0x9f00001f) == 0x90000000; }
bool is_ldr64_from_x0(uint32_t i) { return (i & 0xffc003e0) == 0xf9400000; }
bool is_add_x0_x0(uint32_t i) { return (i & 0xffc003ff) == 0x91000000; }
bool is_blr(uint32_t i) { return (i & 0xfffffc1f) == 0xd63f0000; }
bool is_bl(uint32_t i) { return (i & 0xfc000000) == 0x94000000; }

}  // namespace

bool is_local_dynamic_call(uint32_t adrp, uint32_t add, uint32_t bl) {
  return is_adrp_x0(adrp) && is_add_x0_x0(add) && is_bl(bl);
}

namespace {


std::string range_text(const Row& row) {
  char buf[96];
  long long b = (long long)row.bits;
  switch (row.check) {
    case C::Signed: std::snprintf(buf, sizeof buf, "[-2^%lld, 2^%lld)", b, b); break;
    case C::Unsigned: std::snprintf(buf, sizeof buf, "[0, 2^%lld)", b); break;
    case C::Data: std::snprintf(buf, sizeof buf, "[-2^%lld, 2^%lld)", b - 1, b); break;
    case C::SignedData: std::snprintf(buf, sizeof buf, "[-2^%lld, 2^%lld)", b - 1, b - 1); break;
    case C::None: return "";
  }
  return buf;
}

// Does X fit the row's check?
bool fits(const Row& row, uint64_t X) {
  int64_t s = int64_t(X);
  switch (row.check) {
    case C::None: return true;
    case C::Signed: return s >= -(int64_t(1) << row.bits) && s < (int64_t(1) << row.bits);
    case C::Unsigned: return s >= 0 && X < (uint64_t(1) << row.bits);
    case C::Data: return s >= -(int64_t(1) << (row.bits - 1)) && (s < 0 || X < (uint64_t(1) << row.bits));
    case C::SignedData: return s >= -(int64_t(1) << (row.bits - 1)) && s < (int64_t(1) << (row.bits - 1));
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

unsigned field_size(const Row& row) {
  switch (row.enc) {
    case E::None: return 0;
    case E::Data16: return 2;
    case E::Data64: return 8;
    case E::Rewrite: return row.formula == F::TlsGdAdd ? 8 : 4;
    default: return 4;
  }
}

std::vector<uint8_t> stub_bytes() {
  return {
      0x50, 0x00, 0x00, 0x58,  // ldr x16, #8
      0x00, 0x02, 0x1f, 0xd6,  // br x16
      0, 0, 0, 0, 0, 0, 0, 0,  // .xword target (the object's byte order)
  };
}

uint32_t put_adr_imm(uint32_t insn, uint64_t imm) {
  return (insn & ~uint32_t(0x60ffffe0)) | uint32_t((imm & 3) << 29) | uint32_t(((imm >> 2) & 0x7ffff) << 5);
}
uint32_t put_imm12(uint32_t insn, uint64_t imm) { return (insn & ~uint32_t(0xfff << 10)) | uint32_t((imm & 0xfff) << 10); }
uint32_t put_imm16(uint32_t insn, uint64_t imm) { return (insn & ~uint32_t(0xffff << 5)) | uint32_t((imm & 0xffff) << 5); }
uint32_t put_imm19(uint32_t insn, uint64_t imm) { return (insn & ~uint32_t(0x7ffff << 5)) | uint32_t((imm & 0x7ffff) << 5); }
uint32_t put_imm14(uint32_t insn, uint64_t imm) { return (insn & ~uint32_t(0x3fff << 5)) | uint32_t((imm & 0x3fff) << 5); }
uint32_t put_imm26(uint32_t insn, uint64_t imm) { return (insn & ~uint32_t(0x3ffffff)) | uint32_t(imm & 0x3ffffff); }

Outcome apply(const Fixup& f, std::span<uint8_t> b, uint64_t off) {
  const Row& row = *f.row;
  const uint64_t S = f.S, A = f.A, P = f.P;
  Outcome o;
  uint64_t X = 0;
  switch (row.formula) {
    case F::None:
      o.status = "none";
      return o;
    case F::S_A: X = S + A; o.effective = S + A; break;
    case F::S_A_P: X = S + A - P; o.effective = S + A; break;
    case F::Page_S_A_P: X = page(S + A) - page(P); o.effective = S + A; break;
    case F::Call:
      X = S + A - P;
      o.effective = S + A;
      // Through the stub only for reach, and only when A == 0 (reference.h):
      // aaelf64 §5.7.8 has a veneer reach S + A, and the stub (one per
      // symbol) reaches S, so for A != 0 it would land elsewhere.
      if (!fits(row, X) && A == 0 && f.has_stub) {
        X = f.L - P;
        o.via = "stub";
      }
      break;
    case F::G_P: X = f.slot - P; o.effective = S; o.via = "got"; break;
    case F::Page_G_P: X = page(f.slot) - page(P); o.effective = S; o.via = "got"; break;
    case F::G: X = f.slot; o.effective = S; o.via = "got"; break;
    case F::G_PageGOT: X = f.slot - page(f.GOT); o.effective = S; o.via = "got"; break;
    case F::TPREL: X = S + A; o.effective = S + A; o.via = "tls"; break;
    case F::Page_GTP_P: X = page(f.slot) - page(P); o.effective = S + A; o.via = "tls"; break;
    case F::GTP: X = f.slot; o.effective = S + A; o.via = "tls"; break;
    case F::GTP_P: X = f.slot - P; o.effective = S + A; o.via = "tls"; break;
    case F::TlsLdPage: case F::TlsLdAdd:  // the sequence's address is TP itself: no value
      X = 0;
      o.effective = S + A;
      o.via = "tls";
      o.status = "relaxed";
      break;
    case F::TlsDescPage: case F::TlsDescLd: case F::TlsDescNop: case F::TlsGdPage: case F::TlsGdAdd:
      X = S + A;
      o.effective = S + A;
      o.via = "tls";
      o.status = "relaxed";
      break;
  }
  if (!fits(row, X)) return out_of_range(row, X);
  if (row.align > 1 && X % row.align) return misaligned(X, row.align);
  o.value = X;
  switch (row.enc) {
    case E::None: return o;
    case E::Data16: store_ordered(b, off, X, 2, f.big_endian); return o;
    case E::Data32: store_ordered(b, off, X, 4, f.big_endian); return o;
    case E::Data64: store_ordered(b, off, X, 8, f.big_endian); return o;
    default: break;
  }
  uint32_t insn = read_insn(b, off);
  switch (row.enc) {
    case E::MovwU:
      insn = put_imm16(insn, X >> row.shift);
      break;
    case E::MovwS:
      if ((insn & 0x60000000) == 0x60000000) {  // MOVK: only the immediate
        insn = put_imm16(insn, X >> row.shift);
      } else if (int64_t(X) < 0) {  // MOVN of ~X
        insn = put_imm16(insn & ~uint32_t(0x60000000), ~X >> row.shift);
      } else {  // MOVZ
        insn = put_imm16((insn & ~uint32_t(0x60000000)) | 0x40000000, X >> row.shift);
      }
      break;
    case E::Adr: insn = put_adr_imm(insn, X); break;
    case E::Adrp: insn = put_adr_imm(insn, uint64_t(int64_t(X) >> 12)); break;
    case E::Add12: insn = put_imm12(insn, X >> row.shift); break;
    case E::Ldst: {
      uint64_t lo = X & 0xfff;
      if (lo % (uint64_t(1) << row.shift)) return misaligned(lo, 1u << row.shift);
      insn = put_imm12(insn, lo >> row.shift);
      break;
    }
    case E::Lo15: insn = put_imm12(insn, X >> 3); break;
    case E::Imm19: insn = put_imm19(insn, X >> 2); break;
    case E::Imm14: insn = put_imm14(insn, X >> 2); break;
    case E::Imm26: insn = put_imm26(insn, X >> 2); break;
    case E::Rewrite:
      switch (row.formula) {
        case F::TlsDescPage:
          if (!is_adrp_x0(insn)) return wrong_insn(insn, "adrp x0");
          insn = put_imm16(kMovzX0Lsl16, X >> 16);
          break;
        case F::TlsDescLd:
          if (!is_ldr64_from_x0(insn)) return wrong_insn(insn, "ldr xN, [x0, #imm]");
          insn = put_imm16(kMovkX0, X);
          break;
        case F::TlsDescNop:
          if (row.type == 564 && !is_add_x0_x0(insn)) return wrong_insn(insn, "add x0, x0, #imm");
          if (row.type == 569 && !is_blr(insn)) return wrong_insn(insn, "blr xN");
          insn = kNop;
          break;
        case F::TlsGdPage:
          if (!is_adrp_x0(insn)) return wrong_insn(insn, "adrp x0");
          insn = kMrsX0Tpidr;
          break;
        case F::TlsGdAdd: {
          uint32_t call = read_insn(b, off + 4);
          if (!is_add_x0_x0(insn)) return wrong_insn(insn, "add x0, x0, #imm");
          if (!is_bl(call)) return wrong_insn(call, "bl __tls_get_addr");
          write_insn(b, off + 4, put_imm12(kAddX0X0, X));
          insn = put_imm12(kAddX0X0Lsl12, X >> 12);
          break;
        }
        case F::TlsLdPage:  // its scan checked the three instructions
          write_insn(b, off + 4, kNop);
          write_insn(b, off + 8, kNop);
          insn = kMrsX0Tpidr;
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

}  // namespace jitload::reference::aarch64
