// Mach-O constants and record layouts, transcribed from Apple's public
// headers <mach-o/loader.h>, <mach-o/nlist.h>, <mach-o/reloc.h> and
// <mach-o/x86_64/reloc.h> (cctools / xnu EXTERNAL_HEADERS). Only what the
// loader reads; records are decoded field by field through bounds-checked
// reads, never by casting file bytes to structs.
#pragma once

#include <functional>
#include <span>

#include "engine/loader/core/arch.h"
#include "engine/loader/core/base.h"
#include "engine/loader/core/dyld-impl.h"

namespace jitload::macho {

// mach_header_64 (32 bytes): magic, cputype, cpusubtype, filetype, ncmds,
// sizeofcmds, flags, reserved.
constexpr u32 MH_MAGIC_64 = 0xfeedfacf;
constexpr u32 kHeader64Size = 32;
constexpr u32 MH_OBJECT = 0x1;
constexpr u32 CPU_ARCH_ABI64 = 0x01000000;
constexpr u32 CPU_TYPE_X86 = 7;
constexpr u32 CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
constexpr u32 CPU_TYPE_ARM = 12;
constexpr u32 CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
// mach_header (28 bytes): mach_header_64 without `reserved`.
constexpr u32 MH_MAGIC = 0xfeedface;
constexpr u32 kHeader32Size = 28;

// Load commands (load_command: cmd, cmdsize).
constexpr u32 LC_SEGMENT = 0x1;
constexpr u32 LC_SYMTAB = 0x2;
constexpr u32 LC_DYSYMTAB = 0xb;
constexpr u32 LC_SEGMENT_64 = 0x19;
constexpr u32 LC_VERSION_MIN_MACOSX = 0x24;
constexpr u32 LC_VERSION_MIN_IPHONEOS = 0x25;
constexpr u32 LC_DATA_IN_CODE = 0x29;
constexpr u32 LC_LINKER_OPTION = 0x2d;
constexpr u32 LC_LINKER_OPTIMIZATION_HINT = 0x2e;
constexpr u32 LC_VERSION_MIN_TVOS = 0x2f;
constexpr u32 LC_VERSION_MIN_WATCHOS = 0x30;
constexpr u32 LC_BUILD_VERSION = 0x32;

constexpr u32 kSegmentCommand64Size = 72;  // segment_command_64
constexpr u32 kSection64Size = 80;         // section_64
constexpr u32 kSegmentCommand32Size = 56;  // segment_command: 32-bit vmaddr..filesize
constexpr u32 kSection32Size = 68;         // section: 32-bit addr and size, no reserved3
constexpr u32 kSymtabCommandSize = 24;     // symtab_command
constexpr u32 kDysymtabCommandSize = 80;   // dysymtab_command
constexpr u32 kLinkeditDataCommandSize = 16;  // linkedit_data_command
constexpr u32 kBuildVersionCommandSize = 24;  // build_version_command, then ntools build_tool_version (8 bytes each)
constexpr u32 kVersionMinCommandSize = 16;    // version_min_command

// section_64.flags: the low byte is the type, the rest attributes.
constexpr u32 SECTION_TYPE = 0x000000ff;
constexpr u32 S_REGULAR = 0x0;
constexpr u32 S_ZEROFILL = 0x1;
constexpr u32 S_CSTRING_LITERALS = 0x2;
constexpr u32 S_4BYTE_LITERALS = 0x3;
constexpr u32 S_8BYTE_LITERALS = 0x4;
constexpr u32 S_LITERAL_POINTERS = 0x5;
constexpr u32 S_NON_LAZY_SYMBOL_POINTERS = 0x6;
constexpr u32 S_LAZY_SYMBOL_POINTERS = 0x7;
constexpr u32 S_SYMBOL_STUBS = 0x8;
constexpr u32 S_MOD_INIT_FUNC_POINTERS = 0x9;
constexpr u32 S_MOD_TERM_FUNC_POINTERS = 0xa;
constexpr u32 S_COALESCED = 0xb;
constexpr u32 S_GB_ZEROFILL = 0xc;
constexpr u32 S_INTERPOSING = 0xd;
constexpr u32 S_16BYTE_LITERALS = 0xe;
constexpr u32 S_DTRACE_DOF = 0xf;
constexpr u32 S_LAZY_DYLIB_SYMBOL_POINTERS = 0x10;
constexpr u32 S_THREAD_LOCAL_REGULAR = 0x11;
constexpr u32 S_THREAD_LOCAL_ZEROFILL = 0x12;
constexpr u32 S_THREAD_LOCAL_VARIABLES = 0x13;
constexpr u32 S_THREAD_LOCAL_VARIABLE_POINTERS = 0x14;
constexpr u32 S_THREAD_LOCAL_INIT_FUNCTION_POINTERS = 0x15;
constexpr u32 S_INIT_FUNC_OFFSETS = 0x16;
constexpr u32 S_ATTR_PURE_INSTRUCTIONS = 0x80000000;
constexpr u32 S_ATTR_DEBUG = 0x02000000;
constexpr u32 S_ATTR_SOME_INSTRUCTIONS = 0x00000400;

// nlist_64 (16 bytes): n_strx u32, n_type u8, n_sect u8, n_desc u16, n_value u64.
constexpr u32 kNlist64Size = 16;
constexpr u32 kNlist32Size = 12;  // nlist: n_value is 32 bits
constexpr u8 N_STAB = 0xe0;
constexpr u8 N_PEXT = 0x10;
constexpr u8 N_TYPE = 0x0e;
constexpr u8 N_EXT = 0x01;
constexpr u8 N_UNDF = 0x0;
constexpr u8 N_ABS = 0x2;
constexpr u8 N_SECT = 0xe;
constexpr u8 N_PBUD = 0xc;
constexpr u8 N_INDR = 0xa;
constexpr u8 NO_SECT = 0;
constexpr u8 MAX_SECT = 255;
constexpr u16 N_WEAK_REF = 0x0040;
constexpr u16 N_WEAK_DEF = 0x0080;
constexpr u16 N_ARM_THUMB_DEF = 0x0008;  // a Thumb function: its address keeps the low bit set
// GET_COMM_ALIGN(n_desc): a common symbol's alignment, as a power of two.
inline u32 get_comm_align(u16 n_desc) { return (n_desc >> 8) & 0x0f; }

// relocation_info (8 bytes): r_address i32, then r_symbolnum:24,
// r_pcrel:1, r_length:2, r_extern:1, r_type:4 (from the low bit up).
constexpr u32 kRelocationInfoSize = 8;
constexpr u32 R_SCATTERED = 0x80000000;  // in r_address: a scattered_relocation_info
constexpr u32 R_ABS = 0;                 // r_symbolnum of a non-extern relocation: absolute

// One relocation_info as decoded.
struct MachoRelocation {
  u32 address = 0;      // r_address: offset in the section
  u32 symbolnum = 0;    // symbol index (extern) or section ordinal (non-extern)
  bool pcrel = false;
  u8 length = 0;        // log2 of the field's size
  bool external = false;
  u8 type = 0;
  u64 file_offset = 0;  // of the entry in the object
  // A scattered_relocation_info (32-bit objects only): r_address:24,
  // r_type:4, r_length:2, r_pcrel:1, R_SCATTERED, then r_value, an address
  // of the object file that names the target (symbolnum and external are 0).
  bool scattered = false;
  u32 value = 0;
};

// What the loader knows of a relocation's target (filled by the loader
// before an architecture's scan sees the entry).
struct MachoTarget {
  bool by_name = false;    // bound by name at resolve: undefined, or a preemptible definition (L5)
  bool undefined = false;
  u64 section_address = 0; // non-extern: the object-file address of the section it names
  bool absolute = false;   // non-extern R_ABS
  // The loader bound nothing: a PAIR entry (MachoArch::pair_type), which
  // the scan binds itself (a scattered PAIR's r_value, through
  // MachoScan::section_of) or which carries no target (r_address holds
  // the other half of a value).
  bool unbound = false;
  // The entry names a global symbol (N_EXT, not N_PEXT: undefined, common
  // or defined); its index, else kNone.
  u32 global = ~u32(0);
};

// A scan's view of one section's relocations.
class MachoScan {
 public:
  std::string_view object_name;
  std::string_view section_name;
  u64 section_address = 0;        // the patched section's address in the object file
  u64 section_size = 0;
  std::span<const u8> bytes;      // the patched section's file bytes (empty for zerofill)
  std::span<const MachoRelocation> relocations;  // the section's, in file order
  const RelocationArch* arch = nullptr;
  // Set by a SUBTRACTOR's scan for the UNSIGNED entry after it: what its
  // addend carries of the subtrahend's (non-extern) section.
  bool after_subtractor = false;
  i64 subtrahend_adjust = 0;
  // TlsStrategy::Dynamic on a host with the TLV thunk: thread-local
  // variables are served (else TLV is refused).
  bool dynamic_tls = false;
  // The patched section holds TLV descriptors (S_THREAD_LOCAL_VARIABLES).
  bool tlv_descriptors = false;
  // Set by the scan: some entry is kRelDynamicTls.
  bool saw_dynamic_tls = false;
  // Thread-local variables served with the static TLS block (arm64 host,
  // TlsStrategy::StaticRewrite; see MachoArch::static_tlv_thunk).
  bool static_tlv = false;
  // arm64: an ARM64_RELOC_ADDEND's value, for the entry after it.
  bool pending_addend = false;
  i64 addend = 0;
  // Set by the scan, per entry: the entry writes no field of its own (the
  // second half of a pair), so it takes no part in the overlap check.
  bool owns_no_field = false;
  // Set by the scan, per entry with kRelStub: which of the architecture's
  // stub kinds the entry needs (ARM: 0 an ARM stub, 1 a Thumb stub, by the
  // caller's instruction set). One stub per (symbol, kind).
  u8 stub_kind = 0;
  // Set by the scan with kRelStub: the symbol whose stub the entry uses
  // (a non-extern branch to a global's address: that global).
  u32 stub_symbol = ~u32(0);
  // The global symbol (N_EXT, not N_PEXT) defined at an object-file
  // address in a loaded section, else ~0u.
  std::function<u32(u64 file_address)> global_at;
  // 32-bit objects: which loaded section holds an object-file address (a
  // scattered entry's r_value): [addr, addr + size), else the one it ends.
  // Fills the entry's target (section, offset from its start) and the
  // section's file address; false when no loaded section holds it.
  std::function<bool(u32 address, RelocationEntry& e, u64& section_address)> section_of;

  // "foo.o:(__text+0x10): relocation X86_64_RELOC_BRANCH at file offset 0x2a0 <what>"
  Error error(ErrorKind kind, const MachoRelocation& r, const std::string& what) const;
  // A SUBTRACTOR (entry `index`, r) is the first half of a pair: the entry
  // after it must be the CPU's UNSIGNED (`unsigned_type`) on the same field.
  Error subtractor_pair(const MachoRelocation& r, u32 index, u32 unsigned_type) const;
  // The field [address, address + width) must lie inside the section.
  Error check_field(const MachoRelocation& r, u64 width) const;
  // The field's contents as a signed value (the implicit addend); zero in a zerofill section.
  i64 read_field(const MachoRelocation& r, u64 width) const;
};

struct MachoArch {
  u32 cputype;
  const char* triple_arch;  // "x86_64"
  const RelocationArch* reloc;
  // Validate relocation `index` of scan.relocations and fill e (type,
  // addend, flags); e's target was set by the loader from `t`.
  Error (*scan)(MachoScan& scan, u32 index, const MachoTarget& t, RelocationEntry& e);
  // The entry type of the loader's pc-relative 64-bit fix-up of an FDE's
  // address fields (see loader.cc, "EH frames").
  u32 eh_pcrel64_type;
  // A TLV descriptor's words (dynamic TLS): the entry type the scan gives
  // the offset word's relocation, and the type of the loader's own entry
  // for the key word before it (both kRelDynamicTls); kNone: no TLV.
  u32 tlv_offset_type = kNone;
  u32 tlv_key_type = kNone;
  // An entry of this r_type names no symbol or section: its r_symbolnum
  // is a value (arm64's ADDEND). The loader binds it to nothing, and it
  // owns no field (the entry after it does). kNone: no such type.
  u32 value_only_type = kNone;
  // Where the code runs here with the static TLS block (an arm64 host: the
  // aarch64 runner's memory manager is TlsStrategy::StaticRewrite), the
  // thunk a TLV descriptor calls that returns the thread pointer plus the
  // descriptor's offset word; nullptr or 0: none on this host. Its TLS
  // sections are then pieces of the static block (abi), so a variable's
  // address in relocations is its offset from the thread pointer.
  u64 (*static_tlv_thunk)() = nullptr;
  TlsAbi tls_abi{};
  // 32-bit architectures: the r_type of PAIR, whose r_address is not an
  // offset and whose target the scan binds (kNone: no pairs of that kind).
  u32 pair_type = kNone;
  bool is32 = false;  // mach_header, LC_SEGMENT, nlist (MH_MAGIC)
  // The bytes an entry patches, when not 2^r_length (ARM: HALF's r_length
  // encodes the half and the instruction set; nullptr: 2^r_length).
  u32 (*field_width)(const MachoRelocation& r) = nullptr;
  // N_ARM_THUMB_DEF in n_desc marks a Thumb function, whose address keeps
  // its low bit set (ARM).
  bool thumb_symbols = false;
  // Writes stub kind `kind` (MachoScan::stub_kind) at `where`, instead of
  // reloc->write_stub (nullptr: one kind).
  void (*write_stub_kind)(u8* where, u8 kind) = nullptr;
};

// The thunk TLV descriptors call (tlv-thunk-x86-64.cc); 0 where there is none.
u64 tlv_thunk_address();

std::span<const MachoArch* const> macho_architectures();
extern const MachoArch kX86_64;
extern const MachoArch kArm64;
extern const MachoArch kI386;
extern const MachoArch kArm;

}  // namespace jitload::macho
