// LoadScenario and LoadReport: the one vocabulary the three loaders (the
// engine, the reference, LLVM's RuntimeDyld) answer in, its JSON form, and
// the comparison of two reports.
//
// ---- LoadScenario -----------------------------------------------------
// triple; placement: explicit addresses by section name ("#N" for section
// header index N; "<common symbols>", "<got>", "<stubs>" for the loader's
// own areas), else llvm-rtdyld's rule: a cursor starting at `base`, every
// allocatable non-TLS section in section header index order at
// align_up(cursor, align), cursor = address + size + section_sep; then the
// common block, the GOT (aligned 8), the stubs (aligned 16), then any other
// area of the loader's own (IFUNC stubs, ...) the same way. An IFUNC
// symbol's address is its loader's stub for it (all references reach it).
// TLS sections form one static block in index order, thread pointer at its
// end (variant II): a TLS section's address is its (negative) offset from
// the thread pointer. External symbols: the object's own non-local
// definition of the name if any (thread-locality must match), else by name, else (default_externals)
// extern_default when set (every unnamed external at that one address),
// else (default_externals) extern_base + 16 * (FNV-1a-64(name) mod 2^20),
// else unresolved (weak: 0).
//
// ---- JSON schema "jitload-load-report/1" --------------------------------
// Addresses, offsets and values are strings "0x..." (64-bit safe); sizes,
// indexes and addends are JSON integers (addends signed).
// {
//   "schema": "jitload-load-report/1",
//   "loader": "engine" | "reference" | "llvm",
//   "object": "<name>",
//   "triple": "x86_64-unknown-linux-gnu",
//   "outcome": { "status": "loaded" }
//            | { "status": "rejected", "kind": "malformed|unsupported|overflow|
//                unresolved|memory|argument|io|crashed|timeout|llvm",
//                "file_offset": "0x..." | null, "message": "..." },
//   "got": "0x..." | null,                  // the GOT's target address
//   "sections": [ {
//       "name": ".text", "index": 1,        // section header index; -1: the loader's own
//       "kind": "code|rodata|data|bss|tls|tbss|common|got|stubs",
//       "address": "0x...",                 // TLS: the thread-pointer offset
//       "size": 123, "align": 16,
//       "bytes": "hex..."                   // final bytes; trailing zero bytes
//   } ],                                    //   omitted (size says how many)
//   "symbols": [ {
//       "name": "main", "section": ".text", "section_index": 1,  // -1 absolute
//       "address": "0x...", "size": 42,
//       "binding": "local|global|weak", "type": "notype|object|func|tls|common|ifunc"
//   } ],
//   "relocations": [ {
//       "section": ".text", "section_index": 1, "offset": "0x1a",
//       "type": 2, "type_name": "R_X86_64_PC32",
//       "symbol": "foo", "symbol_is_section": false, "addend": -4,
//       "status": "applied|relaxed|consumed|none|error",
//       "value": "0x...",      // what the loader says it wrote into the field
//       "effective": "0x...",  // what the loader says the field reaches
//       "via": "direct|got|stub|tls|size|module",
//       "error": "..."         // only with status "error"
//   } ]
// }
// Relocations are listed in file order (relocation sections in header
// order, entries in table order), only those patching loaded sections.
//
// ---- A set of objects (`jitload diff --link`) ----------------------------
// Several objects loaded into one symbol table (one RuntimeDyld, one
// program) give one report with, in addition:
//   "objects": ["a.o", "b.o"],              // the members, in load order
//   "gots": ["0x..." | null, ...],          // each member's GOT
//   every section, symbol and relocation carries "object": K (its member),
//   "bindings": [ {"name": "x", "target": "b.o:.data+0x0", "references": 3} ]
// "object" is the members' names joined by '+'. Section indexes are per
// member (K, index). A binding says where the references to one non-local
// name lead, decoded from the final bytes like every relocated field
// (compute_bindings in compare.h): "M:SECTION+OFF" inside a member's
// section, "M:<common symbols>+OFF" (relative to the common symbol of that
// name it hits, "common NAME+OFF"), "tls M:SECTION+OFF", "external ADDR"
// outside the set, "0" for an unresolved weak reference; several targets,
// joined by " | ", when the references to one name disagree (one
// definition per name is broken).
//
// Placement of a set (the reference's rule, reference/reference.h): the
// cursor starts at `base` and runs through the members in load order; for
// each member, its file sections (the one-object rule), then its common
// block (only when it has common symbols), its GOT (aligned 8), its stubs
// (16) and its IFUNC stubs (16) — those three always, even when empty.
// Other areas of a loader's own come after the last member. Explicit
// addresses: "@K:KEY" maps KEY (a section name, "#N", an area) in member K
// only and beats a plain KEY, which maps it in every member; an explicitly
// mapped section does not move the cursor. (`jitload diff --link` maps
// every member's areas explicitly, so that file sections sit where the
// scenario says whatever size each loader gives its own areas.)
// Thread-local sections of all members form one static TLS block, member
// after member, each member's in section header order, the thread pointer
// at its end. An external reference first binds to the set's definition of
// the name (the linkage rules of the README), then to the
// scenario's externals as for one object.
//
// ---- Comparison -------------------------------------------------------
// Accept/reject must agree (kinds and messages need not: a different kind
// is a note). When both loaded: every file section the same name, address,
// size; the same relocations; each relocated field, decoded from the final
// bytes (never from the loader's own claims), reaches the same effective
// target — following stubs and GOT slots, so their placement may differ;
// every byte outside relocated fields equal; the same symbols at the same
// addresses. A rejection for a resource limit (kind "memory") on either
// side makes the comparison abstain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace jitload::conformance {

using u8 = uint8_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i64 = int64_t;

struct LoadScenario {
  std::string triple = "x86_64-unknown-linux-gnu";
  u64 base = 0x10000000;
  u64 section_sep = 0x1000;
  std::vector<std::pair<std::string, u64>> section_addresses;
  std::vector<std::pair<std::string, u64>> externals;
  std::optional<u64> extern_default;
  bool default_externals = true;
  u64 extern_base = 0x40000000;
};

// Scenario options shared by the commands: --map-section S=ADDR,
// --extern SYM=ADDR, --base ADDR, --section-sep N, --extern-default ADDR,
// --extern-base ADDR, --no-default-externs (each also as --opt=value).
// Returns how many arguments argv[i...] it consumed: 0 when argv[i] is not
// a scenario option, -1 with `error` set when it is one but malformed.
int parse_scenario_option(int argc, char** argv, int i, LoadScenario& s, std::string& error);
extern const char* const kScenarioOptionsHelp;

// The address of an external symbol under the scenario, if it has one.
std::optional<u64> scenario_extern(const LoadScenario& s, const std::string& name);
u64 default_extern_address(const std::string& name, u64 extern_base);

// Parse "NAME=ADDR" (addresses in C syntax: 0x..., decimal); false on error.
bool parse_assignment(const std::string& text, std::string& name, u64& value);
bool parse_u64(const std::string& text, u64& value);

// JSON form of a scenario (for the oracle's command line and saved divergences).
std::string scenario_to_json(const LoadScenario& s);
bool scenario_from_json(const std::string& text, LoadScenario& s, std::string& error);
// The scenario as `jitload diff` options, to replay a saved divergence.
std::string scenario_to_options(const LoadScenario& s);

struct ReportSection {
  std::string name;
  i64 index = -1;  // section header index; -1 for the loader's own areas
  std::string kind;
  u64 address = 0;
  u64 size = 0;
  u64 align = 1;
  std::vector<u8> bytes;  // may be shorter than size: the rest is zeros
  u32 object = 0;         // member of a set
  u8 byte_at(u64 offset) const { return offset < bytes.size() ? bytes[offset] : 0; }
  bool is_tls() const { return kind == "tls" || kind == "tbss"; }
};

struct ReportSymbol {
  std::string name;
  std::string section;
  i64 section_index = -1;
  u64 address = 0;
  u64 size = 0;
  std::string binding;
  std::string type;
  u32 object = 0;  // member of a set
};

struct ReportRelocation {
  std::string section;
  i64 section_index = -1;
  u64 offset = 0;
  u32 type = 0;
  std::string type_name;
  std::string symbol;
  bool symbol_is_section = false;
  i64 addend = 0;
  std::string status;
  u64 value = 0;
  u64 effective = 0;
  std::string via;
  std::string error;
  u32 object = 0;  // member of a set
};

// Where the references to one non-local name of a set lead (see above).
struct ReportBinding {
  std::string name;
  std::string target;
  u64 references = 0;
};

// A Mach-O __compact_unwind entry as a loader recorded it (engine:
// RuntimeDyld::compact_unwind; reference: Result::compact_unwind).
struct ReportUnwind {
  u32 object = 0;
  std::string section;  // the function's
  u64 offset = 0, function = 0;
  u32 length = 0, encoding = 0;
  u64 personality = 0, lsda = 0;
  std::string personality_symbol, lsda_symbol;
};

struct LoadReport {
  std::string loader;
  std::string object;
  std::string triple = "x86_64-unknown-linux-gnu";
  bool loaded = false;
  std::string error_kind;
  std::optional<u64> error_offset;
  std::string error_message;
  std::optional<u64> got_address;
  std::vector<ReportSection> sections;
  std::vector<ReportSymbol> symbols;
  std::vector<ReportRelocation> relocations;
  // A set of objects (empty for one object): members, their GOTs, bindings.
  std::vector<std::string> objects;
  std::vector<std::optional<u64>> gots;
  std::vector<ReportBinding> bindings;
  // Mach-O compact unwind entries; compared only when both reports record
  // them (the LLVM oracle does not).
  bool records_unwind = false;
  std::vector<ReportUnwind> compact_unwind;

  bool is_set() const { return !objects.empty(); }
  const ReportSection* file_section(i64 index) const { return file_section(0, index); }
  const ReportSection* file_section(u32 object, i64 index) const;
  // The GOT of a member (of the object, for one object).
  std::optional<u64> got_of(u32 object) const;
  // "a.o:" for a member of a set, "" for one object: prefixes section names in diffs.
  std::string member_prefix(u32 object) const;
  static LoadReport rejected(std::string loader, std::string object, std::string kind, std::string message,
                             std::optional<u64> offset = std::nullopt);
};

std::string report_to_json(const LoadReport& r);
bool report_from_json(const std::string& text, LoadReport& r, std::string& error);
// A one-line summary: "loaded: 5 sections, 12 relocations" / "rejected (overflow): ...".
std::string outcome_line(const LoadReport& r);

std::string hex(u64 v);
std::string signed_hex(i64 v);

}  // namespace jitload::conformance
