// RuntimeDyld's internal state, shared by the format loaders and dyld.cc.
// Not part of the API.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/loader/core/arch.h"
#include "engine/loader/core/cxx-runtime.h"
#include "engine/loader/core/memory-manager.h"
#include "engine/loader/core/symbol-map.h"
#include "engine/loader/dyld.h"

namespace jitload {

// A code rewrite decided by a scan (TLS relaxation), applied once the
// section's bytes are in memory.
struct Patch {
  u32 section;
  u64 offset;
  const u8* bytes;  // static storage
  u32 size;
  u32 entry = kNone;  // the relocation (its index in the object's entries) whose scan made it
};

// A GOT slot or stub: whom it points to.
struct SlotTarget {
  TargetKind kind;
  u32 target;        // section id or external index
  u64 sym_offset;
  u32 symbol;        // file symbol index
  u32 fill_type = kNone;  // a tls_index pair's slot: the type that fills it (else S or its TP offset)
  u8 stub_kind = 0;       // Mach-O ARM: which stub (MachoScan::stub_kind)
};

// Per loaded object.
struct ObjectState {
  std::string name;
  // Arenas every name of this object points into: section names, symbol names.
  std::string section_names, symbol_names;
  const RelocationArch* arch = nullptr;
  // A format whose C names carry a prefix (Mach-O: '_'): an external the
  // set does not define is asked of the client's resolver and the host
  // without it first, then as spelled (llvm-rtdyld's -dummy-extern names
  // are spelled as in the object). 0: none (ELF).
  char global_prefix = 0;

  u32 first_section = 0;          // loader section ids [first, first+count)
  u32 section_count = 0;
  u32 got_section = kNone;
  u32 stub_section = kNone;
  std::vector<u32> eh_frame_sections;
  bool eh_registered = false;
  // Set by finalize(): memory is no longer writable, relocations are done.
  bool finalized = false;
  // Every relocation applied at the current target addresses: nothing due
  // until a section is remapped.
  bool applied = false;

  std::vector<ExternalSymbol> externals;
  std::vector<SlotTarget> got_slots;
  std::vector<SlotTarget> stubs;

  // The seed's two structures — relocations listed by the section their
  // symbol lives in, and by external symbol — as one array in file order
  // where each entry names its list: (target_kind, target) is a section of
  // this object, an external symbol, or an absolute value. Resolving reads
  // S's base from a small table indexed by that pair, so applying is one
  // sequential pass with no sort, no copy and no string lookup.
  std::vector<RelocationEntry> relocs;
  // Consecutive entries that patch one section: [first, end) of relocs. The
  // file's entries come first, in file order (so entry k is the object's
  // relocation k), then the loader's own (GOT, stub and IFUNC fills).
  struct Run {
    u32 section;  // loader section id
    u32 first, end;
  };
  std::vector<Run> runs;
  // Values of Absolute targets (SHN_ABS symbols, sizes); [0] is 0, the
  // value of "no symbol".
  std::vector<u64> absolutes{0};
  // Sizes read by SIZE relocations of names bound by name (preemptible
  // definitions, undefined names): absolutes[first] is set, at each
  // resolve, to the size of the definition the set chose for
  // externals[second] (0, and the entry failing, when none).
  std::vector<std::pair<u32, u32>> preemptible_sizes;

  u32 file_relocation_count = 0;
  // Why each external failed at the last resolve (undefined, TLS attribute
  // mismatch, common alignment), indexed like externals; empty when none
  // did. Entries bound to a failed external carry kRelUnresolved.
  struct ExternalFailure {
    ErrorKind kind;
    std::string why;  // empty: resolved
  };
  std::vector<ExternalFailure> external_errors;
  // Mach-O __compact_unwind entries, validated at load (macho/loader.cc,
  // "Compact unwind"). A reference (function, personality, LSDA) is a loader
  // section id and offset, or a symbol name (bound at resolve), or none.
  struct UnwindRef {
    u32 section = kNone;
    u64 offset = 0;
    std::string_view symbol;  // in symbol_names
    bool present() const { return section != kNone || !symbol.empty(); }
  };
  struct UnwindRecord {
    UnwindRef function, personality, lsda;
    u32 length = 0, encoding = 0;
    u64 file_offset = 0;
  };
  std::vector<UnwindRecord> compact_unwind;
  // Some entries are kRelDynamicTls: apply_dynamic_tls_entries applies them.
  bool dynamic_tls_entries = false;
  std::vector<RelocationRecord> records;    // only when outcomes are on
  std::vector<RelocationOutcome> outcomes;  // indexed like records
};

struct RuntimeDyld::Impl {
  MemoryManager& memory;
  SymbolResolver* resolver;

  std::vector<LoadedSection> sections;
  std::vector<LoadedSymbol> symbols;
  // name -> index into symbols of the definition the set chose for it
  // (rules L2-L4: strong over common over weak; see choose_definition).
  SymbolMap globals;
  // name -> index into symbols (first local of that name), built on first
  // use (lookups of locals are rare; loading thousands of them is not),
  // under locals_lock, so that lookups may run from many threads at once.
  mutable std::mutex locals_lock;
  mutable SymbolMap locals;
  mutable size_t locals_indexed = 0;  // symbols [0, locals_indexed) are in `locals`
  // Returns the index, or kNone.
  u32 find_local(std::string_view name) const;
  std::vector<std::unique_ptr<ObjectState>> objects;
  bool keep_outcomes = false;
  // Every object's relocations are due again (a section moved, or outcomes
  // are wanted).
  void invalidate_applied() {
    for (auto& o : objects) o->applied = false;
  }
  bool process_all_sections = false;

  Impl(MemoryManager& m, SymbolResolver* r) : memory(m), resolver(r) {}

  // C++ runtime hooks (enable_cxx_runtime). Last, so it goes first: its
  // handlers may still run code that needs the sections.
  std::unique_ptr<CxxRuntime> cxx;
  std::optional<u64> cxx_lookup(std::string_view name, const ObjectState& from);

  // *tls (when given) learns whether a definition loaded here is thread-local.
  // `from`, the referring object, picks its own __dso_handle.
  std::optional<u64> resolve_external(std::string_view name, bool* tls = nullptr, const ObjectState* from = nullptr);
  // The part of resolve_external after the set's own definitions: the C++
  // runtime hooks, the client's resolver, the memory manager.
  std::optional<u64> resolve_outside(std::string_view name, const ObjectState* from);
  Error resolve_object(ObjectState& obj);
  void rebuild_symbol_maps();
  // Symbol `idx` defines a name whose current definition is *slot: keeps
  // one of the two in *slot (rules L2-L4), or returns the duplicate
  // definition error (two strong definitions, not both GNU_UNIQUE).
  Error choose_definition(u32* slot, u32 idx);
  // After object `loaded` was added: objects not finalized whose names it
  // now defines are due again (rule L8).
  void mark_rebound(u32 loaded);
};

// What a format's load() fills in. It creates the ObjectState, appends
// sections and symbols to the dyld, and records relocations.
class LoadState {
 public:
  LoadState(RuntimeDyld::Impl& dyld, ObjectState& object) : dyld(dyld), object(object) {}
  RuntimeDyld::Impl& dyld;
  ObjectState& object;
};

}  // namespace jitload
