// The reference loader: obviously correct, slow, independent.
//
// It answers the same question as the production loader (engine/loader) —
// "what do the bytes of each section look like once this object is loaded
// under this scenario?" — from its own reading of the object and its own
// transcription of the psABI. It shares nothing with engine/: not the
// reader, not the encoders, not the constants (a ctest greps for that). A
// wrong constant on either side then shows up as a disagreement instead of
// being agreed on twice.
//
// Rules it follows (and documents, because the differential harness
// depends on the engine following the same ones):
//
//   Placement. Explicit addresses come from Scenario::section_addresses
//   (by section name, or "#N" for section header index N). Every other
//   SHF_ALLOC, non-SHF_TLS section is placed in section header index order
//   at a cursor that starts at `base`: address = align_up(cursor, align),
//   cursor = address + size + section_sep. Then the common block
//   ("<common symbols>"), then the GOT ("<got>", aligned to 8), then the
//   stubs ("<stubs>", aligned to 16), then "<ifunc stubs>", each after the
//   cursor in the same way (each may be mapped explicitly by those names).
//
//   Common symbols: in symbol table order, each at align_up(offset,
//   st_value); the block is aligned to the largest st_value.
//
//   Thread-local sections (SHF_TLS) are not placed in the address space:
//   they form one static TLS block, in section header index order, each at
//   align_up(offset, align); the block size is rounded up to the largest
//   alignment, and the thread pointer points at the block's end (x86-64
//   TLS variant II), or Scenario::tls_end_offset bytes past it. A TLS
//   section's "address" is its offset from the thread pointer (negative
//   by default), which is what TPOFF relocations encode.
//
//   With Scenario::process_all_sections, non-SHF_ALLOC sections with
//   contents load too, unplaced: at address 0 unless mapped explicitly.
//
//   External symbols: a non-local definition of the same name in the
//   object itself (the global one, else the first weak one; gABI "Symbol
//   Table"), whose thread-locality must match the reference's (else a TLS
//   attribute mismatch, refused); otherwise Scenario::externals by name; otherwise
//   extern_default when set; otherwise, when default_externals is set,
//   extern_base + 16 * (FNV-1a-64(name) mod 2^20); otherwise unresolved
//   (an error, except weak ones, which are 0).
//
//   GOT: one 8-byte slot per symbol (a second kind of slot per symbol for
//   GOTTPOFF, holding its thread-pointer offset), in order of first use.
//   Stubs: one 16-byte stub per external symbol called through PLT32 (or
//   PLTOFF64): ff 25 00 00 00 00 (jmp *0(%rip)), the 8-byte target, and two
//   int3. A PLT32 uses its stub only when the direct displacement does not
//   fit; the effective target is the same either way.
//
//   IFUNC (STT_GNU_IFUNC) symbols defined in the object: each has a
//   16-byte stub in "<ifunc stubs>" (placed after "<stubs>"), and the
//   symbol's value, for every relocation and in the symbol table, is that
//   stub. The reference runs no resolver: its stub jumps to the resolver
//   and stands for "the function the resolver picks". The stub is laid out
//   as those in "<stubs>" (jmp through its own 8-byte slot): a host that
//   runs the code calls the resolver and stores its answer in the slot
//   before running anything else.
//
//   TLS: general- and local-dynamic code sequences are rewritten to local
//   exec, and the two initial-exec forms of the psABI TLS supplement §5.5
//   too (there is no dynamic linker and no __tls_get_addr). Hence DTPOFF
//   equals TPOFF and DTPMOD64 is 1: one static TLS module. A rewrite is
//   done only for the compiler's exact sequence: the call must be to
//   __tls_get_addr, and a TLSGD or rewritten GOTTPOFF must have addend -4.
//
// Unknown or ambiguous cases are hard errors.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace jitload::reference {

enum class ErrorKind {
  Malformed,    // the bytes contradict the format
  Unsupported,  // well-formed, but not something the reference implements
  Overflow,     // a relocated value does not fit its field
  Unresolved,   // an external symbol without an address
  Argument,     // the scenario is impossible (e.g. an ambiguous section name)
  Limit,        // beyond the reference's size limits (reported as "memory")
};
const char* error_kind_name(ErrorKind kind);

constexpr uint64_t kNoOffset = ~uint64_t(0);

struct RefError {
  ErrorKind kind = ErrorKind::Malformed;
  uint64_t file_offset = kNoOffset;
  std::string message;
};

struct Scenario {
  uint64_t base = 0x10000000;
  uint64_t section_sep = 0x1000;
  // "name" or "#index" -> address; "<common symbols>", "<got>", "<stubs>" too.
  std::vector<std::pair<std::string, uint64_t>> section_addresses;
  std::vector<std::pair<std::string, uint64_t>> externals;
  bool has_extern_default = false;
  uint64_t extern_default = 0;
  bool default_externals = true;
  uint64_t extern_base = 0x40000000;
  // llvm-rtdyld's "process all sections": sections that are not SHF_ALLOC
  // but have contents (SHT_PROGBITS, SHT_NOTE, SHT_X86_64_UNWIND: debug
  // info, say) load too, with their relocations applied. They are not part
  // of the image: the placement cursor skips them and each is at address 0
  // unless section_addresses maps it.
  bool process_all_sections = false;
  // Where the static TLS block ends, as an offset from the thread pointer
  // (0: the block ends at the thread pointer, x86-64 TLS variant II). A
  // host that runs the code puts the block in a reserve of its own TLS.
  int64_t tls_end_offset = 0;
};

struct Section {
  std::string name;
  uint32_t index = 0;     // section header index; 0 for synthesized sections
  std::string kind;       // code rodata data bss tls tbss common got stubs
  uint64_t address = 0;   // for TLS sections: the thread-pointer offset
  uint64_t size = 0;
  uint64_t align = 1;
  bool tls = false;
  bool allocatable = true;  // false: loaded only by Scenario::process_all_sections
  int64_t tp_offset = 0;  // TLS sections only
  std::vector<uint8_t> bytes;
};

struct Symbol {
  std::string name;
  uint32_t index = 0;          // in the symbol table
  std::string section;         // "" for absolute symbols
  uint32_t section_index = 0;  // header index; 0 absolute; 0xfff2 common
  uint64_t address = 0;        // TLS: thread-pointer offset
  uint64_t size = 0;
  std::string binding;         // local global weak
  std::string type;            // notype object func tls common ifunc
};

struct Relocation {
  uint32_t section_index = 0;  // the patched section
  std::string section;
  uint64_t offset = 0;
  uint32_t type = 0;
  std::string type_name;
  uint32_t symbol_index = 0;
  std::string symbol;          // the symbol's name, or its section's for STT_SECTION
  bool symbol_is_section = false;
  int64_t addend = 0;
  uint64_t file_offset = 0;    // of the RELA entry
  // What happened: "applied", "relaxed" (TLS sequence rewritten),
  // "consumed" (the __tls_get_addr call absorbed by a relaxation), "none"
  // (R_X86_64_NONE), "error".
  std::string status;
  uint64_t value = 0;          // written into the field (for relaxed: the TPOFF written)
  uint64_t effective = 0;      // address reached, through stub/GOT; TP offset for TLS
  std::string via;             // direct got stub tls size module
  std::string error;
};

struct Result {
  bool loaded = false;
  RefError error;              // when !loaded
  std::string triple;
  uint64_t got_address = 0;
  std::vector<Section> sections;
  std::vector<Symbol> symbols;
  std::vector<Relocation> relocations;
};

// Load `bytes` (named `name` in messages) under `scenario`.
Result load(std::span<const uint8_t> bytes, const std::string& name, const Scenario& scenario);

// The default address of an unnamed external symbol (see above).
uint64_t default_extern_address(const std::string& name, uint64_t extern_base);

}  // namespace jitload::reference
