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
//   Sets. load_set() loads several objects as one program: one symbol
//   table, one placement cursor, one TLS block; load() is load_set() of
//   one object. The reference is a pure function of all its inputs at
//   once, so it works in two passes: read every object and choose each
//   name's one definition (Linkage, below), then place, scan and relocate.
//
//   Rejected objects. Objects are taken in input order, as a loader
//   taking them one by one would: object k joins the objects accepted so
//   far and the program is laid out again. If that fails — k is
//   malformed or unsupported, maps a section name ambiguously, defines
//   strongly a name an accepted object defines strongly (L2), or brings a
//   common that does not fit its storage's alignment (L4) — k is
//   rejected: loaded = false, placed = false, its error (a linkage
//   conflict is of kind Malformed and names both objects), and it
//   contributes nothing. The others are placed and bound exactly as if it
//   were not in the input, which is what a RuntimeDyld in which that one
//   load_object failed holds. So of two conflicting objects the later one
//   is rejected, and an object that conflicts only with a rejected one
//   loads.
//
//   Placement. The cursor starts at `base` and runs through the objects in
//   input order. For each object in turn: every SHF_ALLOC, non-SHF_TLS
//   section in section header index order at address = align_up(cursor,
//   align), cursor = address + size + section_sep; then its common block
//   ("<common symbols>"), its GOT ("<got>", aligned to 8), its stubs
//   ("<stubs>", aligned to 16), its "<ifunc stubs>" (aligned to 16), each
//   after the cursor in the same way; then the next object continues from
//   that cursor. The common block is placed only when the object has
//   common symbols; the GOT, the stubs and the IFUNC stubs are placed
//   always, even when empty (address = align_up(cursor, 8 or 16), cursor
//   = address + size + section_sep, size 0 included). So when an object
//   has no commons, GOT slots, stubs or IFUNCs, the next object's first
//   section starts four section_seps (plus alignment) after the end of
//   its last section: that section's own, then the empty GOT's, stubs'
//   and IFUNC stubs'.
//   Every loader has areas of its own sizes (GOT slots, stubs) and places
//   only those it has, so without explicit addresses for them a later
//   object's sections would sit at a different address in each loader: a
//   harness comparing loaders on a set maps every object's areas
//   explicitly ("@K:<got>", ...; `jitload diff --link` does), and then
//   file sections depend only on section headers (and common blocks).
//   Explicit addresses come from Scenario::section_addresses: a key is a
//   section name, "#N" (section header index N), or one of the area names
//   above; the key "@K:KEY" (K the object's position in the input,
//   decimal from 0) maps KEY in object K only, a key without "@K:" maps
//   KEY in every object. For one object, "@K:KEY" beats a plain KEY. An
//   explicitly mapped section does not move the cursor. A section name
//   mapped (plainly or for one object) must name one loaded section of
//   that object, else that object is rejected (Argument); "@K:" with K
//   not an input position rejects every object (Argument).
//
//   Common symbols: each object's block holds every SHN_COMMON symbol of
//   that object, in symbol table order, each at align_up(offset,
//   st_value); the block is aligned to the largest st_value. A common
//   that does not give its name's storage (L4) keeps its slot, unused.
//
//   Thread-local sections (SHF_TLS) are not placed in the address space:
//   the whole set has one static TLS block, objects in input order and
//   each object's TLS sections in section header index order, each at
//   align_up(offset, align); the block size is rounded up to the largest
//   alignment, and the thread pointer points at the block's end (x86-64
//   TLS variant II), or Scenario::tls_end_offset bytes past it. A TLS
//   section's "address" is its offset from the thread pointer (negative
//   by default), which is what TPOFF relocations encode.
//
//   With Scenario::process_all_sections, non-SHF_ALLOC sections with
//   contents load too, unplaced: at address 0 unless mapped explicitly.
//
//   Linkage (the team's rules L1-L9, README "Linkage"). A *definition* is
//   a non-local, named symbol with an address: in a loaded section, in
//   SHN_ABS or in SHN_COMMON. gABI "Symbol Table" is the source unless
//   said otherwise.
//   L1  strong = STB_GLOBAL or STB_GNU_UNIQUE defined in a section or
//       SHN_ABS; weak = STB_WEAK defined; common = st_shndx SHN_COMMON,
//       whose st_value is an alignment, not an address (gABI "Symbol
//       Binding", "Special Section Indexes", "Symbol Values").
//   L2  one definition per name: strong beats common beats weak, in any
//       input order. gABI "Symbol Binding": the link editor refuses two
//       STB_GLOBAL definitions of a name, honours a global definition
//       over weak ones and a common one over weak ones; it does not say
//       how a global and a common definition combine — ld and lld take
//       the global one. Two strong definitions are an error naming both
//       objects (the later object is rejected; inside one object, the
//       object is malformed) — except two STB_GNU_UNIQUE ones, where the
//       first stays (the team's rule). STB_GNU_UNIQUE is a GNU extension
//       the gABI does not list; ld and lld refuse two such definitions
//       outside COMDAT groups (measured), and inside groups they keep the
//       first group — which neither JIT loader discards, hence "the first
//       stays".
//   L3  among weak definitions the first in input order wins (the gABI
//       is silent on which; ld and lld keep the first).
//   L4  commons merge: the largest st_size (the first in input order on
//       a tie) gives the storage. If another common of that name asks for
//       a stricter alignment (st_value) than the storage's address has, an
//       error naming both, and the later of the two objects is rejected.
//       A strong definition beats every common; a common beats a weak
//       definition (gABI, above). The gABI leaves the merging of commons
//       to the link editor (ld and lld: largest size, strictest
//       alignment, which a JIT that has already placed the storage can
//       only check); the native link by clang-19 is the truth.
//   L5  every reference to a non-local name, from any object including
//       the one holding a losing weak or common definition, binds to that
//       one definition (a default-visibility definition is preemptible).
//       Visibility (st_other) plays no part in the choice: a static link
//       chooses by binding only (gABI "Symbol Visibility" constrains
//       dynamic linking); a strong hidden/protected definition wins in its
//       own object anyway. Local symbols and STT_SECTION symbols always
//       bind inside their object.
//   L6  an undefined reference binds to the set's definition; else to
//       Scenario::externals by name; else extern_default when set; else,
//       when default_externals is set, extern_base + 16 * (FNV-1a-64(name)
//       mod 2^20); else a weak undefined reference is 0 and a strong one
//       is an "undefined symbol" error on its relocation.
//   L7  archives: the reference loads what it is given; choosing members
//       (only for a strong undefined name, weak references never pull one
//       in) is the caller's (ld's rule; the gABI has no archives).
//   L8  rebinding after a later load does not arise: the set is loaded
//       at once, and every reference binds to the final choice — the
//       state an engine reaches once the last object is loaded and every
//       object resolved again.
//   L9  the definition and the reference must agree on thread-locality
//       (STT_TLS, or a definition in an SHF_TLS section), else the
//       relocation fails with "TLS attribute mismatch".
//   _GLOBAL_OFFSET_TABLE_ (undefined) is the referring object's own GOT
//   (psABI §5.2). A SIZE relocation takes the st_size of the definition
//   its symbol binds to; a name only the scenario provides has no size
//   (an error).
//
//   GOT: one 8-byte slot per symbol (a second kind of slot per symbol for
//   GOTTPOFF, holding its thread-pointer offset), in order of first use,
//   per object.
//   Stubs: per object, one 16-byte stub per symbol called through PLT32
//   (or PLTOFF64) that is undefined in that object or whose definition
//   there is not the one the set chose (bound to another object):
//   ff 25 00 00 00 00 (jmp *0(%rip)), the 8-byte target, and two int3. A
//   PLT32 uses its stub only when the direct displacement does not fit;
//   the effective target is the same either way. PLTOFF64 (L - GOT + A)
//   always has one.
//
//   IFUNC (STT_GNU_IFUNC) symbols defined in an object: each has a
//   16-byte stub in that object's "<ifunc stubs>", and the symbol's value,
//   for every relocation and in the symbol table, is that stub. The
//   reference runs no resolver: its stub jumps to the resolver and stands
//   for "the function the resolver picks". The stub is laid out as those
//   in "<stubs>" (jmp through its own 8-byte slot): a host that runs the
//   code calls the resolver and stores its answer in the slot before
//   running anything else.
//
//   TLS: general- and local-dynamic code sequences are rewritten to local
//   exec, and the two initial-exec forms of the psABI TLS supplement §5.5
//   too (there is no dynamic linker and no __tls_get_addr). Hence DTPOFF
//   equals TPOFF and DTPMOD64 is 1: one static TLS module. A rewrite is
//   done only for the compiler's exact sequence: the call must be to
//   __tls_get_addr, and a TLSGD or rewritten GOTTPOFF must have addend -4.
//
//   Relocation errors (one policy for both loaders). An object that is
//   placed applies every relocation that can be applied. Each one that
//   cannot (undefined symbol, overflow, TLS mismatch, ...) leaves its
//   field untouched and has status "error" and its message. The object's
//   Result then has loaded = false (placed stays true: it is part of the
//   program, its definitions bind the others' references), relocation_
//   errors = how many failed, and error = the first of them (its kind,
//   file offset and message), the message followed by " [the first of N
//   relocations that failed]" when N > 1.
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
  // "name" or "#index" -> address; "<common symbols>", "<got>", "<stubs>",
  // "<ifunc stubs>" too; "@K:" before any of them: object K of a set only.
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
  // False for a non-local definition that is not its name's one
  // definition in the set (a losing weak or common, a second GNU_UNIQUE):
  // `address` is still this entry's own, but references bind elsewhere.
  bool chosen = true;
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
  bool loaded = false;         // placed, and every relocation applied
  bool placed = false;         // part of the program (see "Rejected objects")
  RefError error;              // when !loaded
  uint64_t relocation_errors = 0;  // relocations with status "error"
  std::string triple;
  uint64_t got_address = 0;
  std::vector<Section> sections;
  std::vector<Symbol> symbols;
  std::vector<Relocation> relocations;
};

// Load `bytes` (named `name` in messages) under `scenario`: load_set of
// that one object.
Result load(std::span<const uint8_t> bytes, const std::string& name, const Scenario& scenario);

struct Input {
  std::string name;  // in messages
  std::span<const uint8_t> bytes;
};

// Load several objects as one program under one scenario (see the rules
// above: Sets, Rejected objects, Placement, Linkage): one Result per
// object, in input order.
std::vector<Result> load_set(std::span<const Input> objects, const Scenario& scenario);

// The default address of an unnamed external symbol (see above).
uint64_t default_extern_address(const std::string& name, uint64_t extern_base);

}  // namespace jitload::reference
