// The reference's x86-64 relocation table and TLS code sequences,
// transcribed from the System V AMD64 psABI (x86-64-ABI 1.0, §4.4.1
// "Relocation Types", Table 4.10) and Drepper's "ELF Handling For
// Thread-Local Storage" (§4.3 "x86-64 Specific", §5.5 "x86-64 Linker
// Optimizations"). Nothing here is shared with engine/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jitload::reference::x86_64 {

constexpr uint16_t kMachine = 62;  // EM_X86_64, gABI "Machine" table

// The calculation column of Table 4.10, in the psABI's letters.
enum class Formula {
  None,       // R_X86_64_NONE: nothing is written
  S_A,        // S + A
  S_A_P,      // S + A - P
  L_A_P,      // L + A - P (stub or symbol)
  G_GOT_A_P,  // G + GOT + A - P (G: slot offset in the GOT)
  G_A,        // G + A
  GOT_A_P,    // GOT + A - P
  S_A_GOT,    // S + A - GOT
  L_GOT_A,    // L - GOT + A
  Z_A,        // Z + A
  TpOff,      // S + A with S the thread-pointer offset (TPOFF*, DTPOFF*)
  DtpMod,     // the TLS module id: 1
  GotTpOff,   // G + GOT + A - P, slot holding S's thread-pointer offset
  TlsGd,      // a general-dynamic sequence, rewritten (see TlsSequence)
  TlsLd,      // a local-dynamic sequence, rewritten
};

// How a value must fit its field (psABI §4.4.1: "The linker must verify
// that the generated value ... zero-extends / sign-extends"). For the
// word8/word16 types the psABI is silent; like lld, either reading is
// accepted.
enum class Fit { Any, Signed, Unsigned, SignedOrUnsigned };

struct Row {
  uint32_t type;
  const char* name;
  unsigned width;  // bytes of the field: 0, 1, 2, 4, 8
  Formula formula;
  Fit fit;
  const char* source;
};

// The supported rows; nullptr for an unknown type or one the reference
// does not implement (COPY, GLOB_DAT, TLSDESC, ... — never in ET_REL input
// a JIT loads, or outside the engine's set too).
const Row* find_row(uint32_t type);

// The psABI name of any type Table 4.10 lists, "<unknown type 0x..>" else.
std::string type_name(uint32_t type);

// A TLS code sequence the linker may rewrite (TLS supplement §5.5). The
// bytes around the relocated field, the fields not compared (1 = skip), the
// offset of the TLSGD/TLSLD/GOTTPOFF field in it, the replacement, and
// where the replacement wants the TPOFF32 value (or -1).
struct TlsSequence {
  const char* what;
  std::vector<uint8_t> expect;
  std::vector<uint8_t> skip;
  uint64_t field_at;
  std::vector<uint8_t> replace;
  int64_t tpoff_at;
  // The __tls_get_addr call's relocation: its offset in the sequence and
  // the relocation types that may express it; -1 when there is no call.
  int64_t call_at;
  std::vector<uint32_t> call_types;
};

const std::vector<TlsSequence>& general_dynamic_sequences();
const std::vector<TlsSequence>& local_dynamic_sequences();
const std::vector<TlsSequence>& initial_exec_sequences();

// The call stub: jmp *0(%rip), the 8-byte target, padding.
constexpr unsigned kStubSize = 16;
constexpr unsigned kStubTargetAt = 6;
std::vector<uint8_t> stub_bytes();

constexpr unsigned kGotEntrySize = 8;

}  // namespace jitload::reference::x86_64
