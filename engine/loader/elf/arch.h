// An ELF architecture: the generic RelocationArch plus ELF's relocation
// *scan* — which GOT slots and stubs a relocation needs, whether its field
// lies inside its section, and any code rewrite (TLS relaxation). One file
// per architecture defines one of these; elf/architectures.cc lists them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/loader/core/arch.h"
#include "engine/loader/core/dyld-impl.h"
#include "engine/loader/core/reader.h"

namespace jitload::elf {

// One RELA entry as decoded, with what the loader knows of its symbol.
struct ElfRelocation {
  u64 offset = 0;
  u32 type = 0;
  u32 symbol = 0;
  i64 addend = 0;
  u64 file_offset = 0;     // of the entry in the object
  // What the loader knows of the symbol, one bit each (kSym*), set by one
  // store per relocation.
  u8 symbol_bits = 0;
  enum : u8 {
    kSymUndefined = 1,  // undefined in this object
    kSymTls = 2,        // thread-local: STT_TLS, or defined in an SHF_TLS section
    // S is bound by name when relocations are resolved: the symbol is
    // undefined, or a definition another object may preempt (weak, common,
    // GNU_UNIQUE: rule L5), so it may lie in another object, out of reach.
    kSymByName = 4,
  };
  bool undefined() const { return symbol_bits & kSymUndefined; }
  bool tls() const { return symbol_bits & kSymTls; }
  bool by_name() const { return symbol_bits & kSymByName; }
};

class ElfScan {
 public:
  std::string_view object_name;
  const LoadedSection* sections = nullptr;  // the dyld's, for the patched section's name in messages
  u32 section_id = 0;
  std::span<const u8> bytes;     // the patched section's file bytes (empty for NOBITS)
  u64 section_size = 0;
  bool skip_next = false;               // set: the next entry is absorbed by this one
  std::vector<Patch>* patches = nullptr;
  const RelocationArch* arch = nullptr;
  u64 field_width = 0;                  // set by check_field: bytes the relocation writes
  // TlsStrategy::Dynamic: keep TLS code as it is (no rewrite to local exec).
  bool dynamic_tls = false;
  // Set (Dynamic): the first initial-exec/local-exec reference to one of the
  // object's own thread-local variables, "'x' is accessed with local-exec code (R_X86_64_TPOFF32)".
  std::string static_tls_reason;
  // Set (Dynamic): some entry is kRelDynamicTls.
  bool saw_dynamic_tls = false;
  // The object's first loader section id: entries' Section targets count from it.
  u32 first_section = 0;
  // The architecture's own state between entries of one table (cleared by
  // the loader at each table's start): RISC-V's ADD/SUB/SET runs at one field.
  u64 arch_state = 0;
  // Likewise, for the whole table (cleared at each table's start): RISC-V's
  // highest run field so far, to notice entries on one field that are not
  // adjacent in the table.
  u64 arch_table_state = 0;
  // Set by the scan: this table has entries that ElfArch::pair must finish
  // once the whole table is scanned (RISC-V's %pcrel_lo, which names the
  // instruction of its %pcrel_hi, possibly anywhere in the table).
  bool pending_pairs = false;

  // "foo.o:(.text+0x10): relocation R_X86_64_PC32 at file offset 0x2a0: <what>"
  Error error(ErrorKind kind, const ElfRelocation& r, std::string what) const;
  // The field [offset, offset+width) must lie inside the section.
  Error check_field(const ElfRelocation& r, u64 offset, u64 width) {
    field_width = width;
    if (in_bounds(offset, width, section_size)) [[likely]]
      return Error::success();
    return field_error(r, offset, width);
  }
  Error field_error(const ElfRelocation& r, u64 offset, u64 width) const;

  // The following entry of the same table, decoded on demand (TLS
  // sequences look at the call after them); nullptr at the table's end.
  const ElfRelocation* next() {
    if (!next_decoded_) {
      next_decoded_ = true;
      has_next_ = decode_next_ && decode_next_(decode_ctx_, next_);
    }
    return has_next_ ? &next_ : nullptr;
  }
  // A symbol's name (a section symbol's is its section's), for messages.
  std::string_view name(u32 symbol) const { return name_of_(decode_ctx_, symbol); }
  // A symbol's own st_name (a section symbol's is not its section's): what
  // a call must name to be a call to __tls_get_addr.
  std::string_view own_name(u32 symbol) const { return own_name_of_(decode_ctx_, symbol); }

  // Set by the loader for each entry.
  bool (*decode_next_)(void* ctx, ElfRelocation& out) = nullptr;
  std::string_view (*name_of_)(void* ctx, u32 symbol) = nullptr;
  std::string_view (*own_name_of_)(void* ctx, u32 symbol) = nullptr;
  void* decode_ctx_ = nullptr;
  bool next_decoded_ = false;
  bool has_next_ = false;
  ElfRelocation next_;
};

// A relocation type whose scan, for a symbol bound to one of the object's
// own sections and not thread-local, with its field inside the section, is
// its table row and nothing more: flags set, the field's width, no
// relaxation, no patch, no look at other entries or at the architecture's
// state between entries. The loader handles runs of such entries in a
// tight loop of its own rather than calling ElfArch::scan once per entry
// (the call and the general path's bookkeeping were most of the
// relocation stage's instructions), and calls scan for every other entry,
// so errors and their messages stay the scan's.
// ElfArchitectures.PlainTypesAreWhatScanDoes checks each row against scan.
//
// A GOT type (flags kRelGot | kRelNeedsGot, nothing else of the GOT's) is
// plain in the same sense; the loader's loop takes it only for a symbol
// that already has its GOT slot (slots are made by the general path, in
// the order of their first use).
struct ElfPlainType {
  u8 width = 0;   // bytes the field has (1..8); 0: not plain
  u16 flags = 0;  // kRel* that scan sets for it: none, or kRelGot | kRelNeedsGot (no stub, TLS or SIZE ones)
};

struct ElfArch {
  u16 machine;
  u8 elf_class;  // ELFCLASS32 / ELFCLASS64
  bool little_endian;
  const RelocationArch* reloc;
  // Validate one relocation and fill e.flags (kRelGot, kRelStub, …); may
  // rewrite e (type, offset, addend) for relaxations.
  Error (*scan)(ElfScan& scan, const ElfRelocation& r, RelocationEntry& e);
  // Bytes a (supported) type writes; 0 for none.
  u32 (*field_width)(u32 type);
  // The processor-specific section type (SHT_LOPROC..) holding unwind
  // tables that loads like PROGBITS (SHT_X86_64_UNWIND); 0: none.
  u32 unwind_section_type = 0;
  // SHT_REL support: the implicit addend a type's field holds (the field,
  // field_width(type) bytes, lies inside its section); false for a type
  // whose field defines none. nullptr: SHT_REL is refused.
  bool (*implicit_addend)(u32 type, const u8* field, i64& addend) = nullptr;
  // Where the static TLS block sits relative to the thread pointer.
  TlsAbi tls_abi{};
  // Called after a table whose scan set ElfScan::pending_pairs: `entries`
  // are the table's, one per file entry in order (the k-th at file offset
  // table_offset + k * entry_size, for messages); it may rewrite them (type,
  // target, addend, flags, slot) and add patches. nullptr: never needed.
  Error (*pair)(ElfScan& scan, std::span<RelocationEntry> entries, u64 table_offset, u64 entry_size) = nullptr;
  // Types whose symbol names a place of this object (RISC-V's %pcrel_lo
  // names the instruction of its high part), never a preemptible name: a
  // weak or common label binds to its own definition here, not by name.
  // nullptr: none.
  bool (*names_place)(u32 type) = nullptr;
  // Per type number below plain_type_count (ElfPlainType); nullptr: every
  // entry goes through scan.
  const ElfPlainType* plain_types = nullptr;
  u32 plain_type_count = 0;
};

std::span<const ElfArch* const> elf_architectures();

// Defined by each architecture file.
extern const ElfArch kX86_64;
extern const ElfArch kAArch64;     // little-endian
extern const ElfArch kAArch64Be;   // big-endian data, little-endian instructions
extern const ElfArch kRiscV64;     // RV64, ELFCLASS64, little-endian
extern const ElfArch kRiscV32;     // RV32, ELFCLASS32, little-endian
extern const ElfArch kLoongArch64; // LoongArch64, ELFCLASS64, little-endian

}  // namespace jitload::elf
