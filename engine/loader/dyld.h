// RuntimeDyld: the production dynamic loader. The seed's flow, in order:
//
//   load_object(bytes)        sniff the format, copy sections into memory
//                             from the MemoryManager, build the symbol table,
//                             record (never apply) relocations
//   map_section_address(...)  optional, any number of times
//   resolve_relocations()     resolve externals, apply every relocation
//                             against target addresses; idempotent
//   register_eh_frames()      hand .eh_frame to the memory manager
//   finalize()                all of the above that is still due, then
//                             MemoryManager::finalize_memory (W^X, icache)
//
// Several objects may be loaded into one RuntimeDyld: they form one program
// with one symbol table, linked as a static link by ld would (the README's
// linkage table, rules L1-L9): one definition per name (strong beats
// common beats weak, in any load order; commons merge), and every
// reference to a non-local name binds to it, from inside the defining
// object too, before the external resolver is asked.
//
// Threads: one RuntimeDyld is used by one thread at a time while it loads,
// resolves and finalizes; lookups (get_symbol, get_symbol_local_address and
// the introspection getters) on a finalized RuntimeDyld may run from many
// threads at once. Different RuntimeDyld instances share nothing that needs
// the caller's locking.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/loader/core/base.h"
#include "engine/loader/core/memory-manager.h"

namespace jitload {

constexpr u32 kNone = ~u32(0);

enum class SectionKind : u8 {
  Code,          // executable
  ReadOnly,      // read-only data
  Data,          // writable data
  Bss,           // zero-initialised writable data
  Tls,           // thread-local (initialised image)
  TlsBss,        // thread-local, zero-initialised
  Common,        // the section given to common symbols
  Got,           // the loader's GOT for this object
  Stubs,         // the loader's call stubs for this object
};
const char* section_kind_name(SectionKind kind);

// A section in loader memory. For synthesized sections (common, GOT, stubs)
// file_index is kNone.
struct LoadedSection {
  std::string_view name;  // "<common symbols>", "<got>", "<stubs>" for synthesized ones
  u8* local = nullptr;    // host memory the loader writes (nullptr when size is 0)
  u64 target = 0;         // address the section runs at
  u64 size = 0;
  u64 file_offset = kNoOffset;
  i64 tp_offset = 0;      // TLS sections: offset from the thread pointer
  u32 align = 1;
  u32 object = 0;         // index of the loaded object it belongs to
  u32 file_index = kNone; // section header index in the object
  SectionKind kind = SectionKind::Data;
  bool is_eh_frame = false;
  // False for sections loaded only because process_all_sections is on
  // (debug info and other non-SHF_ALLOC contents): they stay at target
  // address 0, so section-relative references (DWARF) come out as offsets.
  bool allocatable = true;
};
static_assert(sizeof(LoadedSection) <= 72, "kept small: objects with thousands of sections hold one per section");

enum class SymbolBinding : u8 { Local, Global, Weak };
enum class SymbolType : u8 { NoType, Function, Object, Section, File, Tls, Common, IFunc };

struct SymbolFlags {
  SymbolBinding binding = SymbolBinding::Global;
  SymbolType type = SymbolType::NoType;
  bool absolute = false;
  bool unique = false;  // STB_GNU_UNIQUE (binding Global): a second one is no duplicate, the first stays
  bool callable() const { return type == SymbolType::Function || type == SymbolType::IFunc; }
};

// A symbol's address in the target's address space and its flags.
struct JitSymbol {
  u64 address = 0;
  SymbolFlags flags;
};

// One symbol defined by a loaded object.
struct LoadedSymbol {
  std::string_view name;
  u32 section = kNone;    // loader section id; kNone for absolute symbols
  u32 align = 0;          // common symbols: the alignment they asked for (st_value); 0 otherwise
  u64 offset = 0;         // within the section, or the absolute value
  u64 size = 0;
  SymbolFlags flags;
  u32 object = 0;
};

// Where a relocation's symbol lives.
enum class TargetKind : u8 { Section, External, Absolute };

// One recorded relocation — the hot structure: 32 bytes, no pointers, no
// strings, since a large object has tens of thousands and loading is mostly
// writing them and reading them back. Entries come in runs by the section
// they patch (the object's RelocationRun list), so the section is not
// repeated in each; a relocation from the file is reported under its
// position in the object's array.
struct RelocationEntry {
  i64 addend = 0;
  u32 offset = 0;        // of the field, within the patched section (sections are below 4 GiB)
  u32 sym_offset = 0;    // S's offset within its section (Section targets; 0 otherwise)
  u32 target = 0;        // object-relative section id / external index / absolute-value index, by target_kind
  u32 slot = kNone;      // GOT slot or stub index chosen by the scan
  u16 type = 0;          // psABI relocation type (every type a loader applies fits in 16 bits)
  u16 flags = 0;         // kRel* (core/arch.h): what the scan decided
  TargetKind target_kind = TargetKind::Section;
};
static_assert(sizeof(RelocationEntry) == 32);

// What happened when one relocation was applied: the report's raw material.
struct RelocationOutcome {
  u64 place = 0;          // P: target address of the field
  u64 symbol = 0;         // S
  i64 addend = 0;         // A
  u64 value = 0;          // what was encoded into the field
  u64 effective = 0;      // the address the field reaches, through GOT/stub
  enum class Via : u8 { Direct, Got, Stub, None } via = Via::Direct;
  bool applied = false;
  std::string error;      // empty on success
};

// A name an object's relocations bind by name at resolve_relocations: an
// undefined symbol, or one the object defines but which another object may
// preempt (a weak, common or GNU_UNIQUE definition: rule L5), so that every
// reference reaches the one definition the set chose.
struct ExternalSymbol {
  std::string_view name;
  u64 address = 0;
  bool resolved = false;
  bool weak = false;
  bool tls = false;  // referred to as thread-local (its address is a TP offset)
  bool defined_here = false;  // this object has a (preemptible) definition of the name
  u32 common_align = 0;       // this object's definition is common, with this alignment (rule L4's check)
};

// A relocation as the object file stated it, for reports and tools.
struct RelocationRecord {
  u32 section = 0;        // patched loader section
  u64 offset = 0;
  u32 type = 0;
  std::string_view type_name;
  std::string_view symbol_name;  // empty for section symbols: use symbol_section
  u32 symbol_section = kNone;    // the loader section of a section symbol
  i64 addend = 0;
  u64 file_offset = 0;           // of the relocation entry in the object
};

// One entry of a Mach-O object's __LD,__compact_unwind section, as the
// loader validated and recorded it (the section itself is never loaded
// into target memory unless every section is processed). Addresses are
// target addresses at the time of the query: a function start is its
// section's current target address plus the offset; a personality or
// LSDA bound by name is the name's resolved address (0 until resolved).
struct CompactUnwindEntry {
  u32 section = kNone;  // loader section id of the function
  u64 offset = 0;       // of the function's start in that section
  u64 function = 0;     // target address of the function's start
  u32 length = 0;       // bytes of the function the entry covers
  u32 encoding = 0;     // the compact unwind encoding, as written
  u64 personality = 0;  // 0: none
  std::string_view personality_symbol;  // set when bound by name
  u64 lsda = 0;         // 0: none
  std::string_view lsda_symbol;
  u64 file_offset = 0;  // of the entry in the object
};

class LoadedObject;  // defined by the loader internals
class CxxRuntime;    // engine/loader/core/cxx-runtime.h


// What load_object returns: a handle on the object's sections.
class LoadedObjectInfo {
 public:
  LoadedObjectInfo(const class RuntimeDyld* dyld, u32 object) : dyld_(dyld), object_(object) {}
  u32 object_index() const { return object_; }
  // Target address of the named section of this object, if it was loaded.
  std::optional<u64> section_load_address(std::string_view name) const;
  std::optional<u32> section_id(std::string_view name) const;
  // Mach-O: this object's __compact_unwind entries (RuntimeDyld::compact_unwind).
  std::vector<CompactUnwindEntry> compact_unwind() const;

 private:
  const class RuntimeDyld* dyld_;
  u32 object_;
};

class RuntimeDyld {
 public:
  // The resolver may be null: then MemoryManager::find_symbol answers.
  RuntimeDyld(MemoryManager& memory, SymbolResolver* resolver = nullptr);
  ~RuntimeDyld();
  RuntimeDyld(const RuntimeDyld&) = delete;
  RuntimeDyld& operator=(const RuntimeDyld&) = delete;

  // Parse, validate, allocate, copy, scan relocations. `name` appears in
  // error messages. The bytes need not outlive the call.
  Expected<LoadedObjectInfo> load_object(std::span<const u8> bytes, std::string_view name = "<memory>");

  // Record that the section whose memory starts at `local` will run at
  // `target`. Takes effect at the next resolve_relocations.
  Error map_section_address(const void* local, u64 target);
  Error map_section_address(u32 section_id, u64 target);

  // Resolve external symbols, then apply every relocation of every loaded
  // object whose relocations are due — not yet applied, or applied before a
  // map_section_address (or enable_outcomes) since, or bound to a name a
  // later load_object defined anew (rule L8) — against current target
  // addresses; objects already applied are left as they are (as LLVM's
  // RuntimeDyld drops relocations once resolved), so finalize after
  // resolve_relocations does not apply them again. Applying twice would
  // yield the same bytes. Finalized objects are never touched again.
  //
  // After an error, the policy: every relocation that can be applied is;
  // each one that cannot (undefined symbol, overflow, unsupported form,
  // TLS attribute mismatch) leaves its field untouched and gets its own
  // error in its outcome (when outcomes are recorded); the returned error
  // names how many failed and the first ones; the object stays due, so a
  // later resolve_relocations (after a remap, or once the symbol exists)
  // tries again. Nothing outside the loader's memory is touched.
  Error resolve_relocations();

  // The definition the set chose for a global name (rules L2-L4), else the
  // first local symbol of that name in any object.
  std::optional<JitSymbol> get_symbol(std::string_view name) const;
  void* get_symbol_local_address(std::string_view name) const;
  u64 get_section_load_address(u32 section_id) const;

  void register_eh_frames();
  void deregister_eh_frames();

  // resolve_relocations (if due), register_eh_frames (if due), finalize_memory.
  Error finalize();

  // C++ runtime hooks, for code that runs in this process (`jitload exec`,
  // `rtdyld -execute`, MCJIT): each object gets its own __dso_handle, and
  // __cxa_atexit, __cxa_thread_atexit and atexit registrations of this
  // dyld's code are kept and run newest first before the code goes away
  // (engine/loader/core/cxx-runtime.h says how). Off by default: where code
  // does not run here, those names are ordinary externals. Enable before
  // resolve_relocations. The memory manager must then outlive the
  // RuntimeDyld: its destructor may still run the loaded code.
  void enable_cxx_runtime();
  CxxRuntime* cxx_runtime();  // nullptr unless enabled

  // Introspection, for reports, checkers and the command line.
  std::span<const LoadedSection> sections() const;
  std::span<const LoadedSymbol> symbols() const;           // all objects, locals included
  u32 object_count() const;
  std::string_view object_name(u32 object) const;
  std::span<const ExternalSymbol> externals(u32 object) const;
  std::vector<RelocationRecord> relocations(u32 object) const;
  // Mach-O: the object's __compact_unwind entries (validated at load), in
  // file order; empty for other formats and objects without the section.
  std::vector<CompactUnwindEntry> compact_unwind(u32 object) const;
  // Outcomes of the last resolve_relocations, indexed like relocations(object).
  // Recorded only after enable_outcomes(true) (the hot path records nothing).
  void enable_outcomes(bool on);
  // Also load sections that are not SHF_ALLOC (debug info), as
  // llvm-rtdyld does; they are read-only data at target address 0. Off by
  // default; affects objects loaded afterwards.
  void set_process_all_sections(bool on);
  std::span<const RelocationOutcome> outcomes(u32 object) const;
  // GOT slot / stub addresses, for rtdyld-check's got_addr and stub_addr.
  std::optional<u64> got_entry_address(u32 object, std::string_view symbol) const;
  std::optional<u64> stub_address(u32 object, std::string_view symbol) const;
  // The section holding a target address, if any (for memory reads).
  const LoadedSection* section_at_target(u64 target, u64 len) const;
  const LoadedSection* section_at_local(const void* local) const;

  // Name of a relocation type of the given object's architecture.
  std::string_view relocation_type_name(u32 object, u32 type) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace jitload
