// Loading a relocatable Mach-O object (MH_OBJECT, 64-bit): validate once,
// then trust. The stages, each opening with the checks it makes:
//   header         mach_header_64: magic, CPU type (the registry), file type
//   commands       every load command: LC_SEGMENT_64 (its sections),
//                  LC_SYMTAB, LC_DYSYMTAB validated and used; LC_BUILD_VERSION,
//                  LC_VERSION_MIN_*, LC_DATA_IN_CODE, LC_LINKER_OPTIMIZATION_HINT,
//                  LC_LINKER_OPTION validated and skipped, each for the reason
//                  its case gives; any other command refused
//   sections       what loads and as what kind
//   symbols        nlist_64 entries onto the linkage model of ELF (rules L1-L9)
//   relocations    decode, bind and scan every entry (the architecture's scan)
//   eh frames      FDE address fields the assembler resolved itself
//   layout         GOT and stub fills, memory: reserve, allocate, copy
//   publish        symbols into the dyld's tables
//
// The symbol model: an N_EXT symbol defined in a section or N_ABS is a
// global definition (strong), or weak with N_WEAK_DEF; N_EXT|N_PEXT
// (private extern) is global too — a static link ignores visibility when
// choosing (L5); an N_EXT N_UNDF symbol with a non-zero n_value is common
// (n_value its size, GET_COMM_ALIGN(n_desc) its alignment); N_EXT N_UNDF
// with value 0 is an undefined reference, weak with N_WEAK_REF; anything
// without N_EXT is local. Stabs (N_STAB) are debug records: skipped.
// A name is kept as the file spells it ("_main"); only when it is resolved
// against the client's resolver or the host is its leading underscore
// dropped (ObjectState::global_prefix).
#include <algorithm>
#include <tuple>
#include <vector>

#include "engine/loader/core/commons.h"
#include "engine/loader/core/format.h"
#include "engine/loader/core/reader.h"
#include "engine/loader/core/tls-loader.h"
#include "engine/loader/macho/macho.h"

namespace jitload::macho {

std::span<const MachoArch* const> macho_architectures() {
  static const MachoArch* const all[] = {&kX86_64, &kArm64, &kI386, &kArm};
  return all;
}

Error MachoScan::error(ErrorKind kind, const MachoRelocation& r, const std::string& what) const {
  std::string_view tn = arch->type_name(r.type);
  return Error(kind,
               format("%.*s:(%.*s+0x%x): relocation %.*s at file offset 0x%llx %s", int(object_name.size()),
                      object_name.data(), int(section_name.size()), section_name.data(), r.address, int(tn.size()),
                      tn.data(), (unsigned long long)r.file_offset, what.c_str()),
               r.file_offset);
}

Error MachoScan::subtractor_pair(const MachoRelocation& r, u32 index, u32 unsigned_type) const {
  const std::string_view un = arch->type_name(unsigned_type);
  if (index + 1 >= relocations.size())
    return error(ErrorKind::Malformed, r, format("is the last entry: an %.*s must follow it", int(un.size()), un.data()));
  const MachoRelocation& next = relocations[index + 1];
  if (next.type != unsigned_type || next.address != r.address || next.length != r.length) {
    const std::string_view tn = arch->type_name(next.type);
    return error(ErrorKind::Malformed, r,
                 format("is followed by %.*s at 0x%x (r_length %u): its pair must be an %.*s on the same field",
                        int(tn.size()), tn.data(), next.address, next.length, int(un.size()), un.data()));
  }
  return Error::success();
}

Error MachoScan::check_field(const MachoRelocation& r, u64 width) const {
  if (in_bounds(r.address, width, section_size)) return Error::success();
  return error(ErrorKind::Malformed, r,
               format("patches %llu bytes at offset 0x%x, outside its section (0x%llx bytes)", (unsigned long long)width,
                      r.address, (unsigned long long)section_size));
}

i64 MachoScan::read_field(const MachoRelocation& r, u64 width) const {
  if (bytes.empty() || !in_bounds(r.address, width, bytes.size())) return 0;
  const u8* p = bytes.data() + r.address;
  switch (width) {
    case 1: return i8(p[0]);
    case 2: return i16(load_le<u16>(p));
    case 4: return i32(load_le<u32>(p));
    default: return i64(load_le<u64>(p));
  }
}

namespace {

constexpr u64 kMaxAlign = u64(1) << 20;
constexpr u64 kMaxTotalAlloc = (u64(1) << 32) - 1;

Error malformed(std::string_view obj, u64 off, const std::string& what) {
  return Error(ErrorKind::Malformed, format("%.*s: %s", int(obj.size()), obj.data(), what.c_str()), off);
}
Error unsupported(std::string_view obj, u64 off, const std::string& what) {
  return Error(ErrorKind::Unsupported, format("%.*s: %s", int(obj.size()), obj.data(), what.c_str()), off);
}

u64 align_up(u64 v, u64 a) { return a <= 1 ? v : (v + a - 1) & ~(a - 1); }

// A 16-byte name field: NUL-padded, not always NUL-terminated.
std::string_view fixed_name(const u8* p) {
  const void* nul = std::memchr(p, 0, 16);
  return std::string_view(reinterpret_cast<const char*>(p), nul ? static_cast<const u8*>(nul) - p : 16);
}

struct Section {
  std::string_view sectname, segname;
  u64 addr = 0, size = 0;
  u32 offset = 0, align = 0, reloff = 0, nreloc = 0, flags = 0;
  u32 reserved1 = 0;      // symbol pointer sections: the first slot's index in the indirect symbol table
  u64 header_offset = 0;  // of its section_64 in the file
  u32 id = kNone;         // loader section id, or kNone when not loaded
  bool zerofill() const {
    u32 t = flags & SECTION_TYPE;
    return t == S_ZEROFILL || t == S_GB_ZEROFILL || t == S_THREAD_LOCAL_ZEROFILL;
  }
};

struct Symbol {
  std::string_view name;
  u8 type = 0, sect = 0;
  u16 desc = 0;
  u64 value = 0;
  u64 file_offset = 0;
  bool ext() const { return type & N_EXT; }
  u8 kind() const { return type & N_TYPE; }
  bool stab() const { return type & N_STAB; }
  bool common() const { return !stab() && kind() == N_UNDF && ext() && value != 0; }
  bool undefined() const { return !stab() && kind() == N_UNDF && !common(); }
  bool defined() const { return !stab() && (kind() == N_SECT || kind() == N_ABS); }
};

// Reservation of memory per pool, as the ELF loader makes it.
struct Reservation {
  u64 code = 0, ro = 0, rw = 0;
  u32 code_align = 1, ro_align = 1, rw_align = 1;
  void add(const LoadedSection& s) {
    u64 sz = align_up(std::max<u64>(s.size, 1) + (s.is_eh_frame ? 4 : 0), s.align) + s.align;
    switch (s.kind) {
      case SectionKind::Code: case SectionKind::Stubs: code += sz; code_align = std::max(code_align, s.align); break;
      case SectionKind::ReadOnly: ro += sz; ro_align = std::max(ro_align, s.align); break;
      default: rw += sz; rw_align = std::max(rw_align, s.align); break;
    }
  }
};

class MachoLoad {
 public:
  MachoLoad(LoadState& st, std::span<const u8> bytes)
      : obj(st.object), dyld(st.dyld), oname(st.object.name), bytes(bytes), file(bytes) {}

  Error run() {
    TRY(header());
    TRY(commands());
    TRY(load_sections());
    TRY(symbols());
    TRY(compact_unwind());
    TRY(relocations());
    TRY(symbol_pointers());
    TRY(eh_frames());
    TRY(layout());
    return publish();
  }

 private:
  Error header();
  Error commands();
  Error load_sections();
  Error symbols();
  Error compact_unwind();
  Error relocations();
  Error symbol_pointers();
  Error eh_frames();
  Error layout();
  Error publish();
  u32 add_own_section(std::string_view name, SectionKind kind, u64 size, u32 align);
  // 1 for a Thumb function (N_ARM_THUMB_DEF) of an architecture that has them.
  u32 thumb(const Symbol& y) const { return arch->thumb_symbols && y.kind() == N_SECT && (y.desc & N_ARM_THUMB_DEF) ? 1 : 0; }
  bool preemptible(const Symbol& y) const {
    return y.ext() && (y.common() || (y.defined() && (y.desc & N_WEAK_DEF)));
  }
  // 32-bit objects (MH_MAGIC): mach_header, LC_SEGMENT/section, nlist.
  bool is32 = false;
  u32 hdr_size = kHeader64Size;
  u32 u16at(u64 off) const { return load_le<u16>(bytes.data() + off); }
  u32 u32at(u64 off) const { return load_le<u32>(bytes.data() + off); }
  u64 u64at(u64 off) const { return load_le<u64>(bytes.data() + off); }

  ObjectState& obj;
  RuntimeDyld::Impl& dyld;
  std::string_view oname;
  std::span<const u8> bytes;
  Reader file;
  const MachoArch* arch = nullptr;
  u32 ncmds = 0, sizeofcmds = 0;
  std::vector<Section> sects;  // by ordinal - 1
  bool have_symtab = false;
  u32 symoff = 0, nsyms = 0, stroff = 0, strsize = 0;
  u32 indirect_off = 0, indirect_count = 0;  // LC_DYSYMTAB's indirect symbol table
  u64 symtab_cmd = 0;
  std::vector<Symbol> syms;
  std::vector<u64> common_offset;
  u32 common_section = kNone;
  u32 first = 0;
  u64 total = 0;
  Reservation reservation;
  bool needs_got = false;
  std::vector<std::pair<u32, u64>> reloc_fields;  // (loader section id, offset) of every file relocation field, for eh_frames
  // Relocations (not a PAIR) in a symbol pointer section that do not start
  // at a slot boundary: (loader section id, r_address, file offset of the entry).
  std::vector<std::tuple<u32, u32, u64>> unaligned_in_pointers;
  std::vector<u32> got_of_sym, stub_of_sym, ext_of_sym;
  // The object's external entry for symbol `sym` (bound by name when
  // relocations are resolved: undefined, or a preemptible definition, L5),
  // made on its first use.
  u32 external_of(u32 sym) {
    u32& x = ext_of_sym[sym];
    if (x == kNone) {
      const Symbol& y = syms[sym];
      x = u32(obj.externals.size());
      ExternalSymbol& ext = obj.externals.emplace_back();
      ext.name = y.name;
      ext.weak = y.undefined() ? (y.desc & N_WEAK_REF) != 0 : (y.desc & N_WEAK_DEF) != 0;
      ext.defined_here = !y.undefined();
    }
    return x;
  }
  // Thread-local variables are served (TlsStrategy::Dynamic, a TLV thunk
  // on this host): __thread_data/__thread_bss are the object's TLS module.
  bool dynamic_tls = false;
  bool has_tls = false;
  // Or served with the static TLS block, through this thunk (0: not).
  u64 static_tlv_thunk = 0;
  // TLV descriptors' key words: the loader's own entries, added at layout.
  struct KeyWord {
    u32 section;
    u32 offset;
    RelocationEntry like;  // the offset word's entry (its target)
  };
  std::vector<KeyWord> tlv_keys;
};

u32 MachoLoad::add_own_section(std::string_view name, SectionKind kind, u64 size, u32 align) {
  LoadedSection ls;
  ls.name = name;
  ls.kind = kind;
  ls.size = size;
  ls.align = align;
  ls.object = u32(dyld.objects.size() - 1);
  dyld.sections.push_back(ls);
  reservation.add(ls);
  return u32(dyld.sections.size() - 1);
}

// Header. Checks: the 32-byte mach_header_64 (28-byte mach_header) fits;
// the magic is MH_MAGIC_64 or MH_MAGIC (little-endian: the registry's CPUs
// are); the CPU type is in the registry with that word size; the file type
// is MH_OBJECT; the load commands
// (sizeofcmds bytes) lie inside the file.
Error MachoLoad::header() {
  is32 = bytes.size() >= 4 && u32at(0) == MH_MAGIC;
  hdr_size = is32 ? kHeader32Size : kHeader64Size;
  if (bytes.size() < hdr_size)
    return malformed(oname, 0, format("file of %zu bytes is too small for a %s", bytes.size(),
                                      is32 ? "mach_header" : "mach_header_64"));
  u32 cputype = u32at(4), filetype = u32at(12);
  ncmds = u32at(16);
  sizeofcmds = u32at(20);
  // A 32-bit CPU type in a 64-bit header (or the reverse) is not supported.
  for (const MachoArch* a : macho_architectures())
    if (a->cputype == cputype && a->is32 == is32) arch = a;
  if (!arch) return unsupported(oname, 4, format("Mach-O CPU type 0x%x is not supported", cputype));
  obj.arch = arch->reloc;
  obj.global_prefix = '_';
  dynamic_tls = dyld.memory.tls_strategy() == TlsStrategy::Dynamic && tlv_thunk_address() != 0 &&
                arch->tlv_offset_type != kNone;
  static_tlv_thunk = !dynamic_tls && dyld.memory.tls_strategy() == TlsStrategy::StaticRewrite &&
                             dyld.memory.code_runs_here() && arch->static_tlv_thunk
                         ? arch->static_tlv_thunk()
                         : 0;
  if (filetype != MH_OBJECT)
    return unsupported(oname, 12, format("Mach-O file type %u is not a relocatable object (MH_OBJECT)", filetype));
  if (!file.contains(hdr_size, sizeofcmds))
    return malformed(oname, 20, format("load commands (0x%x bytes) run past the end of the file", sizeofcmds));
  if (ncmds > sizeofcmds / 8)
    return malformed(oname, 16, format("%u load commands cannot fit in sizeofcmds 0x%x", ncmds, sizeofcmds));
  return Error::success();
}

// Commands. Checks, per command: cmdsize at least 8, a multiple of 8, and
// inside sizeofcmds; then per kind, its own size and every file range it
// names inside the file:
//   LC_SEGMENT (32-bit objects; 56 + 68 * nsects, and addr + size below
//     2^32) as LC_SEGMENT_64; a segment command of the other word size is
//     refused as unknown.
//   LC_SEGMENT_64: cmdsize = 72 + 80 * nsects; per section: the segment
//     name it repeats, alignment at most 2^20 (for what loads), addr + size
//     not wrapping, contents inside the file (not for zerofill), the
//     relocation entries inside the file; at most 255 sections in all.
//   LC_SYMTAB (at most one): the nlist_64 array and the string table
//     inside the file.
//   LC_DYSYMTAB: its local/external/undefined ranges inside the symbol
//     table, the indirect symbol table inside the file (read by nothing
//     here: an object has no stubs or pointers of dyld's to fill).
//   LC_BUILD_VERSION: cmdsize = 24 + 8 * ntools. Skipped: the platform and
//     tool versions do not change what the bytes mean.
//   LC_VERSION_MIN_*: cmdsize 16. Skipped, as LC_BUILD_VERSION.
//   LC_DATA_IN_CODE: its table inside the file. Skipped: it marks data in
//     code for disassemblers, nothing a loader relocates.
//   LC_LINKER_OPTIMIZATION_HINT: its table inside the file. Skipped: the
//     hints let a static linker rewrite instruction sequences; not using
//     them leaves the code as compiled, which is correct.
//   LC_LINKER_OPTION: skipped: auto-linking options (-lfoo) for a static
//     linker; a JIT resolves names against the host instead.
Error MachoLoad::commands() {
  u64 at = hdr_size;
  const u64 end = hdr_size + u64(sizeofcmds);
  for (u32 i = 0; i < ncmds; i++) {
    if (end - at < 8) return malformed(oname, at, format("load command %u runs past sizeofcmds", i));
    u32 cmd = u32at(at), cmdsize = u32at(at + 4);
    // (a multiple of 8 in a 64-bit object, of 4 in a 32-bit one)
    if (cmdsize < 8 || cmdsize % (is32 ? 4 : 8) || cmdsize > end - at)
      return malformed(oname, at + 4, format("load command %u (0x%x): cmdsize %u is not a multiple of %u inside sizeofcmds",
                                             i, cmd, cmdsize, is32 ? 4 : 8));
    auto linkedit = [&](const char* what) -> Error {
      if (cmdsize != kLinkeditDataCommandSize)
        return malformed(oname, at + 4, format("%s: cmdsize %u, expected 16", what, cmdsize));
      u32 off = u32at(at + 8), size = u32at(at + 12);
      if (!file.contains(off, size))
        return malformed(oname, at + 8, format("%s: data (0x%x bytes at 0x%x) lies outside the file", what, size, off));
      return Error::success();
    };
    // LC_SEGMENT (32-bit objects only): the same checks with the 56-byte
    // segment_command and 68-byte sections (32-bit addr and size).
    const bool seg32 = cmd == LC_SEGMENT && is32;
    switch (seg32 ? LC_SEGMENT_64 : cmd == LC_SEGMENT_64 && is32 ? LC_SEGMENT : cmd) {
      case LC_SEGMENT_64: {
        const char* lc = seg32 ? "LC_SEGMENT" : "LC_SEGMENT_64";
        const u32 cmd_size = seg32 ? kSegmentCommand32Size : kSegmentCommand64Size;
        const u32 sect_size = seg32 ? kSection32Size : kSection64Size;
        if (cmdsize < cmd_size) return malformed(oname, at + 4, format("%s is shorter than %u bytes", lc, cmd_size));
        u32 nsects = u32at(at + (seg32 ? 48 : 64));
        if (u64(cmdsize) != cmd_size + u64(nsects) * sect_size)
          return malformed(oname, at + 4, format("%s: cmdsize %u does not hold its %u sections", lc, cmdsize, nsects));
        std::string_view segname = fixed_name(bytes.data() + at + 8);
        sects.reserve(sects.size() + std::min<u32>(nsects, MAX_SECT + 1));  // one allocation, not growth steps
        for (u32 k = 0; k < nsects; k++) {
          u64 h = at + cmd_size + u64(k) * sect_size;
          const u32 w = seg32 ? 4 : 8;  // addr and size; the fields after them move up by 8
          Section s;
          s.header_offset = h;
          s.sectname = fixed_name(bytes.data() + h);
          s.segname = fixed_name(bytes.data() + h + 16);
          s.addr = seg32 ? u32at(h + 32) : u64at(h + 32);
          s.size = seg32 ? u32at(h + 32 + w) : u64at(h + 32 + w);
          const u64 f = h + 32 + 2 * w;  // offset, align, reloff, nreloc, flags
          s.offset = u32at(f);
          s.align = u32at(f + 4);
          s.reloff = u32at(f + 8);
          s.nreloc = u32at(f + 12);
          s.flags = u32at(f + 16);
          s.reserved1 = u32at(f + 20);
          const std::string name(s.sectname);
          if (s.segname != segname && !segname.empty())
            return malformed(oname, h + 16, format("section %s: segment name '%.*s' is not its %s's ('%.*s')",
                                                   name.c_str(), int(s.segname.size()), s.segname.data(), lc,
                                                   int(segname.size()), segname.data()));
          if (s.addr + s.size < s.addr || (seg32 && s.addr + s.size > 0xffffffff))
            return malformed(oname, h + 32, format("section %s: address 0x%llx + size 0x%llx wraps around", name.c_str(),
                                                   (unsigned long long)s.addr, (unsigned long long)s.size));
          if (!s.zerofill() && !file.contains(s.offset, s.size))
            return malformed(oname, f, format("section %s: contents (0x%llx bytes at 0x%x) lie outside the file",
                                                   name.c_str(), (unsigned long long)s.size, s.offset));
          if (!file.contains(s.reloff, u64(s.nreloc) * kRelocationInfoSize))
            return malformed(oname, f + 8, format("section %s: %u relocation entries at 0x%x lie outside the file",
                                                   name.c_str(), s.nreloc, s.reloff));
          if (s.align > 63 || (u64(1) << s.align) > kMaxAlign)
            return unsupported(oname, f + 4, format("section %s: alignment 2^%u is above the limit of 1 MiB", name.c_str(), s.align));
          sects.push_back(s);
          if (sects.size() > MAX_SECT)
            return malformed(oname, h, "more than 255 sections: a symbol's n_sect cannot name them");
        }
        break;
      }
      case LC_SYMTAB:
        if (have_symtab) return malformed(oname, at, "more than one LC_SYMTAB");
        if (cmdsize != kSymtabCommandSize) return malformed(oname, at + 4, format("LC_SYMTAB: cmdsize %u, expected 24", cmdsize));
        have_symtab = true;
        symtab_cmd = at;
        symoff = u32at(at + 8);
        nsyms = u32at(at + 12);
        stroff = u32at(at + 16);
        strsize = u32at(at + 20);
        if (!file.contains(symoff, u64(nsyms) * (is32 ? kNlist32Size : kNlist64Size)))
          return malformed(oname, at + 8, format("LC_SYMTAB: %u symbols at 0x%x lie outside the file", nsyms, symoff));
        if (!file.contains(stroff, strsize))
          return malformed(oname, at + 16, format("LC_SYMTAB: string table (0x%x bytes at 0x%x) lies outside the file",
                                                  strsize, stroff));
        break;
      case LC_DYSYMTAB: {
        if (cmdsize != kDysymtabCommandSize)
          return malformed(oname, at + 4, format("LC_DYSYMTAB: cmdsize %u, expected 80", cmdsize));
        // (checked against LC_SYMTAB below, which may come after it)
        u32 indirectoff = u32at(at + 56), nindirect = u32at(at + 60);
        indirect_off = indirectoff;
        indirect_count = nindirect;
        if (!file.contains(indirectoff, u64(nindirect) * 4))
          return malformed(oname, at + 56, "LC_DYSYMTAB: the indirect symbol table lies outside the file");
        break;
      }
      case LC_BUILD_VERSION: {
        if (cmdsize < kBuildVersionCommandSize) return malformed(oname, at + 4, "LC_BUILD_VERSION is shorter than 24 bytes");
        u32 ntools = u32at(at + 20);
        if (u64(cmdsize) != kBuildVersionCommandSize + u64(ntools) * 8)
          return malformed(oname, at + 4, format("LC_BUILD_VERSION: cmdsize %u does not hold its %u tools", cmdsize, ntools));
        break;  // skipped: versions do not change what the bytes mean
      }
      case LC_VERSION_MIN_MACOSX: case LC_VERSION_MIN_IPHONEOS: case LC_VERSION_MIN_TVOS: case LC_VERSION_MIN_WATCHOS:
        if (cmdsize != kVersionMinCommandSize)
          return malformed(oname, at + 4, format("LC_VERSION_MIN_*: cmdsize %u, expected 16", cmdsize));
        break;  // skipped, as LC_BUILD_VERSION
      case LC_DATA_IN_CODE:
        TRY(linkedit("LC_DATA_IN_CODE"));
        break;  // skipped: marks data in code for disassemblers
      case LC_LINKER_OPTIMIZATION_HINT:
        TRY(linkedit("LC_LINKER_OPTIMIZATION_HINT"));
        break;  // skipped: optional rewrites for a static linker
      case LC_LINKER_OPTION:
        if (cmdsize < 12) return malformed(oname, at + 4, "LC_LINKER_OPTION is shorter than 12 bytes");
        break;  // skipped: auto-link options for a static linker
      default:
        return unsupported(oname, at, format("load command %u has type 0x%x, which a Mach-O object loader does not know", i, cmd));
    }
    at += cmdsize;
  }
  // LC_DYSYMTAB's symbol ranges, now that LC_SYMTAB is known.
  for (u64 c = hdr_size, i = 0; i < ncmds; i++) {
    u32 cmd = u32at(c), cmdsize = u32at(c + 4);
    if (cmd == LC_DYSYMTAB)
      for (u32 r = 0; r < 3; r++) {
        u32 first_sym = u32at(c + 8 + 8 * r), count = u32at(c + 12 + 8 * r);
        if (u64(first_sym) + count > nsyms)
          return malformed(oname, c + 8 + 8 * r, format("LC_DYSYMTAB: symbols [%u, %llu) lie outside the symbol table (%u symbols)",
                                                        first_sym, (unsigned long long)first_sym + count, nsyms));
      }
    c += cmdsize;
  }
  return Error::success();
}

// Compact unwind: __LD,__compact_unwind (S_ATTR_DEBUG), the table ld turns
// into __unwind_info. Validated in every object, whether or not the section
// loads, and recorded per object (RuntimeDyld::compact_unwind). Nothing is
// written: the section is not in target memory unless every section is
// processed, and then its relocations are applied as any section's are.
// An entry is {function pointer, length u32, encoding u32, personality
// pointer, LSDA pointer}; pointers are 8 bytes (x86-64, arm64: 32-byte
// entries) or 4 (i386, ARM: 20-byte entries). Checks:
//  1. the section is not zerofill and its size is a whole number of entries;
//  2. each of its relocations is UNSIGNED / VANILLA (r_type 0), not
//     scattered, not pc-relative, pointer-sized, at an entry's function,
//     personality or LSDA field, one per field; it names a symbol that is
//     in range and no stab, or a section ordinal in range (not R_ABS);
//  3. every entry's function field is relocated, to a defined symbol in a
//     loaded section or to a loaded section (non-extern: the field holds
//     the object-file address), and [start, start + length) lies inside
//     that section;
//  4. a personality or LSDA field that is non-zero is relocated; it names a
//     loaded section (the address lies inside it) or a symbol (a
//     definition in a loaded section, or a name bound at resolve).
Error MachoLoad::compact_unwind() {
  obj.compact_unwind.clear();
  const u32 ptr = is32 ? 4 : 8, esize = 3 * ptr + 8;  // 20 or 32 bytes
  for (const Section& s : sects) {
    if (s.segname != "__LD" || s.sectname != "__compact_unwind") continue;
    const std::string where = format("section __LD,__compact_unwind (header at file offset 0x%llx)", (unsigned long long)s.header_offset);
    if (s.zerofill()) return malformed(oname, s.header_offset, where + ": is zerofill");
    if (s.size % esize)
      return malformed(oname, s.header_offset + (is32 ? 36 : 40),
                       format("%s: size 0x%llx is not a whole number of %u-byte entries", where.c_str(), (unsigned long long)s.size, esize));
    const u64 count = s.size / esize;
    // The relocation at each pointer field (3 per entry), by file index; kNone: none.
    std::vector<u32> at_field(count * 3, kNone);
    for (u32 j = 0; j < s.nreloc; j++) {
      const u64 at = s.reloff + u64(j) * kRelocationInfoSize;
      const u32 w0 = u32at(at), w1 = u32at(at + 4);
      auto bad = [&](const std::string& what) {
        return malformed(oname, at, format("%s: relocation %u at file offset 0x%llx %s", where.c_str(), j, (unsigned long long)at,
                                           what.c_str()));
      };
      if (w0 & R_SCATTERED) return bad("is scattered (a pointer field takes a plain UNSIGNED/VANILLA one)");
      const u32 type = w1 >> 28, length = (w1 >> 25) & 3;
      if (type != 0) return bad(format("has r_type %u, not UNSIGNED/VANILLA (0)", type));
      if ((w1 >> 24) & 1) return bad("is pc-relative");
      if ((u32(1) << length) != ptr) return bad(format("is %u bytes wide, not a %u-byte pointer", 1u << length, ptr));
      const u64 entry = w0 / esize, field = w0 % esize;
      const int k = field == 0 ? 0 : field == ptr + 8 ? 1 : field == 2 * ptr + 8 ? 2 : -1;
      if (w0 >= s.size || k < 0)
        return bad(format("is at offset 0x%x, not an entry's function, personality or LSDA field", w0));
      if (at_field[entry * 3 + k] != kNone) return bad(format("relocates the field at offset 0x%x a second time", w0));
      at_field[entry * 3 + k] = j;
    }
    for (u64 i = 0; i < count; i++) {
      const u64 eoff = s.offset + i * esize;
      auto bad = [&](const std::string& what) {
        return malformed(oname, eoff, format("%s: entry %llu at file offset 0x%llx: %s", where.c_str(), (unsigned long long)i,
                                             (unsigned long long)eoff, what.c_str()));
      };
      auto pointer = [&](u32 field) { return is32 ? u64(u32at(eoff + field)) : u64at(eoff + field); };
      ObjectState::UnwindRecord& u = obj.compact_unwind.emplace_back();
      u.length = u32at(eoff + ptr);
      u.encoding = u32at(eoff + ptr + 4);
      u.file_offset = eoff;
      // Resolve the pointer field k (0 function, 1 personality, 2 LSDA).
      auto resolve = [&](int k, ObjectState::UnwindRef& ref, const char* what) -> Error {
        const u32 field = k == 0 ? 0 : k * ptr + 8;
        const u64 value = pointer(field);
        const u32 j = at_field[i * 3 + k];
        if (j == kNone) {
          if (value == 0 && k != 0) return Error::success();
          return bad(format("its %s field (0x%llx) has no relocation", what, (unsigned long long)value));
        }
        const u32 w1 = u32at(s.reloff + u64(j) * kRelocationInfoSize + 4), num = w1 & 0xffffff;
        const Section* ts = nullptr;
        u64 address = value;  // an object-file address in the target section
        if ((w1 >> 27) & 1) {  // extern
          if (num >= nsyms) return bad(format("its %s relocation names symbol %u, out of range (%u symbols)", what, num, nsyms));
          const Symbol& y = syms[num];
          if (y.stab()) return bad(format("its %s relocation names symbol %u, a debug (stab) entry", what, num));
          if (y.kind() == N_SECT) {
            ts = &sects[y.sect - 1];
            address = y.value + value;
          } else if (k != 0 && (y.undefined() || y.common())) {
            ref.symbol = y.name;
            ref.offset = value;
            return Error::success();
          } else {
            return bad(format("its %s relocation names '%.*s', which is not defined in a section", what, int(y.name.size()),
                              y.name.data()));
          }
        } else {
          if (num == R_ABS || num > sects.size())
            return bad(format("its %s relocation names section ordinal %u, not one of the %zu sections", what, num, sects.size()));
          ts = &sects[num - 1];
        }
        if (ts->id == kNone)
          return bad(format("its %s lies in section %.*s, which is not loaded", what, int(ts->sectname.size()), ts->sectname.data()));
        if (address < ts->addr || address - ts->addr >= std::max<u64>(ts->size, 1))
          return bad(format("its %s address 0x%llx lies outside section %.*s [0x%llx, 0x%llx)", what, (unsigned long long)address,
                            int(ts->sectname.size()), ts->sectname.data(), (unsigned long long)ts->addr,
                            (unsigned long long)(ts->addr + ts->size)));
        ref.section = ts->id;
        ref.offset = address - ts->addr;
        if (k == 0 && ref.offset + u.length > ts->size)
          return bad(format("the function [0x%llx, 0x%llx) runs past the end of section %.*s (0x%llx bytes)", (unsigned long long)address,
                            (unsigned long long)(address + u.length), int(ts->sectname.size()), ts->sectname.data(),
                            (unsigned long long)ts->size));
        return Error::success();
      };
      TRY(resolve(0, u.function, "function"));
      TRY(resolve(1, u.personality, "personality"));
      TRY(resolve(2, u.lsda, "LSDA"));
    }
  }
  return Error::success();
}

// Sections. Checks: none beyond the commands' (sizes within the loader's
// limit per object). Debug sections (S_ATTR_DEBUG: __DWARF, and
// __LD,__compact_unwind) load only when every section is processed, and
// then at address 0, as non-SHF_ALLOC sections do in ELF.
Error MachoLoad::load_sections() {
  obj.section_names.clear();
  dyld.sections.reserve(dyld.sections.size() + sects.size() + 4);
  first = u32(dyld.sections.size());
  obj.first_section = first;
  for (Section& s : sects) {
    const bool debug = s.flags & S_ATTR_DEBUG;
    if (debug && !dyld.process_all_sections) continue;
    if (s.size > kMaxTotalAlloc || (total += s.size + (u64(1) << s.align)) > kMaxTotalAlloc)
      return Error(ErrorKind::Memory, format("%s: section '%.*s' (0x%llx bytes) exceeds the loader's limit of 4 GiB per object",
                                             obj.name.c_str(), int(s.sectname.size()), s.sectname.data(),
                                             (unsigned long long)s.size), s.header_offset + 40);
    s.id = u32(dyld.sections.size());
    LoadedSection& ls = dyld.sections.emplace_back();
    ls.name = s.sectname;  // points into the caller's bytes only while loading: rebased below
    ls.size = s.size;
    ls.align = u32(u64(1) << s.align);
    ls.object = u32(dyld.objects.size() - 1);
    ls.file_index = u32(&s - sects.data()) + 1;  // the section's ordinal
    ls.file_offset = s.zerofill() ? kNoOffset : s.offset;
    const bool code = s.flags & (S_ATTR_PURE_INSTRUCTIONS | S_ATTR_SOME_INSTRUCTIONS);
    const u32 type = s.flags & SECTION_TYPE;
    // Served thread-local variables: the initial values form the object's
    // TLS module. (Elsewhere they load as plain data, and TLV is refused.)
    const bool tls = (dynamic_tls || static_tlv_thunk) && (type == S_THREAD_LOCAL_REGULAR || type == S_THREAD_LOCAL_ZEROFILL);
    has_tls |= tls;
    ls.kind = tls ? (type == S_THREAD_LOCAL_ZEROFILL ? SectionKind::TlsBss : SectionKind::Tls)
              : code ? SectionKind::Code
              : s.zerofill() ? SectionKind::Bss
              : (s.segname == "__TEXT" || debug) ? SectionKind::ReadOnly
                                               : SectionKind::Data;
    ls.is_eh_frame = s.sectname == "__eh_frame";
    ls.allocatable = !debug;
    reservation.add(ls);
  }
  // Names live in the object's arena (the bytes need not outlive the load).
  for (const Section& s : sects) obj.section_names.append(s.sectname).push_back('\0');
  const char* p = obj.section_names.data();
  for (const Section& s : sects) {
    if (s.id != kNone) dyld.sections[s.id].name = std::string_view(p, s.sectname.size());
    p += s.sectname.size() + 1;
  }
  return Error::success();
}

// Symbols. Checks: every name inside the string table and NUL-terminated
// there; N_SECT symbols name a section (1..nsects) and lie inside it
// (n_value in [addr, addr + size]); no local undefined symbol; common
// alignment at most 2^20; N_INDR and N_PBUD are refused (an object has
// neither from a compiler).
Error MachoLoad::symbols() {
  if (!have_symtab) return Error::success();
  obj.symbol_names.assign(reinterpret_cast<const char*>(bytes.data() + stroff), strsize);
  obj.symbol_names.push_back('\0');
  syms.resize(nsyms);
  for (u32 i = 0; i < nsyms; i++) {
    const u64 at = symoff + u64(i) * (is32 ? kNlist32Size : kNlist64Size);
    Symbol& y = syms[i];
    y.file_offset = at;
    u32 strx = u32at(at);
    y.type = bytes[at + 4];
    y.sect = bytes[at + 5];
    y.desc = u16(u16at(at + 6));
    y.value = is32 ? u32at(at + 8) : u64at(at + 8);
    if (strx >= strsize && !(strx == 0 && strsize == 0))
      return malformed(oname, at, format("symbol %u: name offset 0x%x is outside the string table (0x%x bytes)", i, strx, strsize));
    if (strsize && !std::memchr(obj.symbol_names.data() + strx, 0, strsize - strx))
      return malformed(oname, at, format("symbol %u: name is not NUL-terminated inside the string table", i));
    y.name = strsize ? std::string_view(obj.symbol_names.data() + strx) : std::string_view();
    if (y.stab()) continue;
    const std::string name(y.name);
    switch (y.kind()) {
      case N_SECT: {
        if (y.sect == NO_SECT || y.sect > sects.size())
          return malformed(oname, at + 5, format("symbol %u '%s': section ordinal %u is out of range (%zu sections)", i,
                                                 name.c_str(), y.sect, sects.size()));
        const Section& s = sects[y.sect - 1];
        if (y.value < s.addr || y.value - s.addr > s.size)
          return malformed(oname, at + 8, format("symbol %u '%s': value 0x%llx lies outside section %.*s [0x%llx, 0x%llx]", i,
                                                 name.c_str(), (unsigned long long)y.value, int(s.sectname.size()),
                                                 s.sectname.data(), (unsigned long long)s.addr,
                                                 (unsigned long long)(s.addr + s.size)));
        break;
      }
      case N_UNDF:
        if (!y.ext()) return malformed(oname, at + 4, format("symbol %u '%s' is local but undefined", i, name.c_str()));
        if (y.common() && get_comm_align(y.desc) > 20)
          return malformed(oname, at + 6, format("common symbol '%s' asks for alignment 2^%u, above 1 MiB", name.c_str(),
                                                 get_comm_align(y.desc)));
        break;
      case N_ABS:
        break;
      default:
        return unsupported(oname, at + 4, format("symbol %u '%s' has type 0x%x (N_INDR or N_PBUD), which an object loader does not take",
                                                 i, name.c_str(), y.type));
    }
  }
  // Commons: a section of the loader's own, in symbol order; commons of one
  // name are one block (core/commons.h).
  std::vector<CommonBlock> blocks = common_blocks(nsyms, [&](size_t i) {
    const Symbol& y = syms[i];
    return CommonSymbol{y.common(), y.name, y.value, u64(1) << get_comm_align(y.desc)};
  });
  if (!blocks.empty()) {
    common_offset.assign(nsyms, 0);
    CommonSection section;
    if (!lay_out_common_blocks(blocks, common_offset, total, kMaxTotalAlloc, section))
      return Error(ErrorKind::Memory, format("%s: common symbols exceed the loader's limit of 4 GiB per object", obj.name.c_str()));
    common_section = add_own_section("<common symbols>", SectionKind::Common, section.size, u32(section.align));
  }
  // Every common definition binds by name (rule L4's alignment check).
  ext_of_sym.assign(nsyms, kNone);
  for (u32 i = 0; i < nsyms; i++) {
    const Symbol& y = syms[i];
    if (!y.common()) continue;
    ext_of_sym[i] = u32(obj.externals.size());
    ExternalSymbol& x = obj.externals.emplace_back();
    x.name = y.name;
    x.defined_here = true;
    x.common_align = u32(u64(1) << get_comm_align(y.desc));
  }
  return Error::success();
}

// Relocations. Checks, per entry: not scattered (x86-64 has none); the
// field inside its section (the architecture's scan, with the type's
// r_pcrel, r_length and pairing); an extern entry's symbol index below
// nsyms and naming no stab; a non-extern entry's section ordinal 1..nsects
// (or R_ABS), and that section loaded. Per section: no two fields overlap.
Error MachoLoad::relocations() {
  obj.relocs.clear();
  u64 nrel = 0;
  for (const Section& s : sects)
    if (s.id != kNone) nrel += s.nreloc;
  obj.relocs.reserve(nrel + 2 * u64(nsyms) + 64);
  const bool keep = dyld.keep_outcomes;
  // One allocation each, not growth steps (every fuzz input with relocations).
  reloc_fields.reserve(reloc_fields.size() + nrel);
  if (keep) obj.records.reserve(obj.records.size() + nrel);
  u32 reloc_index = 0;
  got_of_sym.assign(std::max<u32>(nsyms, 1), kNone);
  stub_of_sym.assign(2 * u64(std::max<u32>(nsyms, 1)), kNone);  // per (symbol, stub kind 0/1)
  if (ext_of_sym.empty()) ext_of_sym.assign(std::max<u32>(nsyms, 1), kNone);
  std::vector<MachoRelocation> table;
  MachoScan scan;
  scan.object_name = oname;
  scan.arch = arch->reloc;
  // Global definitions by file address, sorted once (ARM's branches ask).
  std::vector<std::pair<u64, u32>> globals_by_address;
  bool globals_sorted = false;
  scan.global_at = [&](u64 a) -> u32 {
    if (!globals_sorted) {
      for (u32 i = 0; i < nsyms; i++) {
        const Symbol& g = syms[i];
        if (g.ext() && !(g.type & N_PEXT) && !g.stab() && g.kind() == N_SECT && g.sect >= 1 && g.sect <= sects.size() &&
            sects[g.sect - 1].id != kNone)
          globals_by_address.push_back({g.value, i});
      }
      std::sort(globals_by_address.begin(), globals_by_address.end());
      globals_sorted = true;
    }
    auto it = std::lower_bound(globals_by_address.begin(), globals_by_address.end(), std::pair<u64, u32>{a, 0});
    return it != globals_by_address.end() && it->first == a ? it->second : kNone;
  };
  for (const Section& s : sects) {
    if (s.id == kNone || s.nreloc == 0) continue;
    table.resize(s.nreloc);
    for (u32 j = 0; j < s.nreloc; j++) {
      u64 at = s.reloff + u64(j) * kRelocationInfoSize;
      u32 word0 = u32at(at), word1 = u32at(at + 4);
      MachoRelocation& r = table[j];
      r = MachoRelocation{};  // (the table is reused from section to section)
      r.file_offset = at;
      if ((word0 & R_SCATTERED) && is32) {  // scattered_relocation_info
        r.scattered = true;
        r.address = word0 & 0xffffff;
        r.type = u8((word0 >> 24) & 0xf);
        r.length = u8((word0 >> 28) & 3);
        r.pcrel = (word0 >> 30) & 1;
        r.value = word1;
        continue;
      }
      if (word0 & R_SCATTERED)
        return unsupported(oname, at, format("section %.*s: relocation at file offset 0x%llx is scattered, which a 64-bit object never uses",
                                             int(s.sectname.size()), s.sectname.data(), (unsigned long long)at));
      r.address = word0;
      r.symbolnum = word1 & 0xffffff;
      r.pcrel = (word1 >> 24) & 1;
      r.length = u8((word1 >> 25) & 3);
      r.external = (word1 >> 27) & 1;
      r.type = u8(word1 >> 28);
    }
    scan.section_name = dyld.sections[s.id].name;
    scan.section_address = s.addr;
    scan.section_size = s.size;
    scan.bytes = s.zerofill() ? std::span<const u8>() : bytes.subspan(s.offset, s.size);
    scan.relocations = table;
    scan.after_subtractor = false;
    scan.dynamic_tls = dynamic_tls;
    scan.static_tlv = static_tlv_thunk != 0;
    scan.tlv_descriptors = (s.flags & SECTION_TYPE) == S_THREAD_LOCAL_VARIABLES;
    scan.section_of = [&](u32 address, RelocationEntry& e, u64& section_address) {
      // [addr, addr + size) first; else a section the address ends.
      for (int pass = 0; pass < 2; pass++)
        for (const Section& ts : sects)
          if (ts.id != kNone && address >= ts.addr &&
              (pass == 0 ? address - ts.addr < ts.size : address - ts.addr == ts.size)) {
            e.target_kind = TargetKind::Section;
            e.target = ts.id - first;
            e.sym_offset = u32(address - ts.addr);
            section_address = ts.addr;
            return true;
          }
      return false;
    };
    const u32 run_first = u32(obj.relocs.size());
    std::vector<bool> pair_head(s.nreloc, false);
    for (u32 j = 0; j < s.nreloc; j++) {
      const MachoRelocation& r = table[j];
      const bool pair = arch->pair_type != kNone && r.type == arch->pair_type;
      if (!pair && r.address > s.size)
        return scan.error(ErrorKind::Malformed, r, format("is at offset 0x%x, past the end of its section (0x%llx bytes)",
                                                          r.address, (unsigned long long)s.size));
      RelocationEntry& e = obj.relocs.emplace_back();
      e.offset = r.address;
      reloc_index++;
      MachoTarget t;
      const Symbol* y = nullptr;
      scan.owns_no_field = false;
      scan.stub_kind = 0;
      scan.stub_symbol = kNone;
      if (r.type == arch->value_only_type) {  // names nothing (arm64's ADDEND)
        t.absolute = true;
        e.target_kind = TargetKind::Absolute;
        e.target = 0;
      } else if (pair) {
        // The scan binds it (or not): its r_address is no offset.
        t.unbound = true;
        e.target_kind = TargetKind::Absolute;
        e.target = 0;
      } else if (r.scattered) {
        // The target is the loaded section holding r_value, an address of
        // the object file; the scan measures the addend from that section.
        if (!scan.section_of(r.value, e, t.section_address))
          return scan.error(ErrorKind::Malformed, r, format("is scattered with r_value 0x%x, in no loaded section", r.value));
        e.sym_offset = 0;
      } else if (r.external) {
        if (r.symbolnum >= nsyms)
          return scan.error(ErrorKind::Malformed, r, format("names symbol %u, out of range (%u symbols)", r.symbolnum, nsyms));
        y = &syms[r.symbolnum];
        if (y->stab()) return scan.error(ErrorKind::Malformed, r, format("names symbol %u, a debug (stab) entry", r.symbolnum));
        t.undefined = y->undefined();
        t.by_name = y->undefined() || preemptible(*y);
        if (y->ext() && !(y->type & N_PEXT)) t.global = r.symbolnum;
        if ((dynamic_tls || static_tlv_thunk) && y->undefined() && y->name == "__tlv_bootstrap") {
          // A TLV descriptor's thunk word: jitload's thunk.
          t.by_name = false;
          e.target_kind = TargetKind::Absolute;
          e.target = u32(obj.absolutes.size());
          obj.absolutes.push_back(dynamic_tls ? tlv_thunk_address() : static_tlv_thunk);
        } else if (t.by_name) {
          const u32 x = external_of(r.symbolnum);
          e.target_kind = TargetKind::External;
          e.target = x;
        } else if (y->kind() == N_ABS) {
          e.target_kind = TargetKind::Absolute;
          e.target = y->value ? u32(obj.absolutes.size()) : 0;
          if (y->value) obj.absolutes.push_back(y->value);
        } else {
          const Section& ts = sects[y->sect - 1];
          if (ts.id == kNone)
            return scan.error(ErrorKind::Unsupported, r, format("refers to '%.*s' in section %.*s, which is not loaded (debug)",
                                                                int(y->name.size()), y->name.data(), int(ts.sectname.size()),
                                                                ts.sectname.data()));
          e.target_kind = TargetKind::Section;
          e.target = ts.id - first;
          e.sym_offset = u32(y->value - ts.addr) + thumb(*y);  // (a Thumb function's address is odd)
        }
      } else if (r.symbolnum == R_ABS) {
        t.absolute = true;
        e.target_kind = TargetKind::Absolute;
        e.target = 0;
      } else {
        if (r.symbolnum > sects.size())
          return scan.error(ErrorKind::Malformed, r, format("names section ordinal %u, out of range (%zu sections)", r.symbolnum,
                                                            sects.size()));
        const Section& ts = sects[r.symbolnum - 1];
        if (ts.id == kNone)
          return scan.error(ErrorKind::Unsupported, r, format("refers to section %.*s, which is not loaded (debug)",
                                                              int(ts.sectname.size()), ts.sectname.data()));
        t.section_address = ts.addr;
        e.target_kind = TargetKind::Section;
        e.target = ts.id - first;
      }
      TRY(arch->scan(scan, j, t, e));
      // The first half of a pair (the next entry owns the field: x86-64's
      // SUBTRACTOR, arm64's ADDEND), or an entry the scan says writes no
      // field (a 32-bit PAIR).
      pair_head[j] = scan.after_subtractor || scan.pending_addend || scan.owns_no_field;
      if (e.type == arch->tlv_offset_type) tlv_keys.push_back({s.id, r.address - 8, e});
      reloc_fields.push_back({s.id, r.address});
      if (const u32 st = s.flags & SECTION_TYPE;
          !pair && (st == S_NON_LAZY_SYMBOL_POINTERS || st == S_LAZY_SYMBOL_POINTERS) && r.address % (is32 ? 4 : 8))
        unaligned_in_pointers.push_back({s.id, r.address, r.file_offset});
      if (e.flags & kRelNeedsGot) needs_got = true;
      // One GOT slot per symbol, one stub per (symbol, stub kind); the
      // first use makes it.
      if (e.flags & kRelGot) {
        u32& g = got_of_sym[r.symbolnum];
        if (g == kNone) {
          g = u32(obj.got_slots.size());
          obj.got_slots.push_back(SlotTarget{e.target_kind, e.target, e.sym_offset, r.symbolnum});
        }
        e.slot = g;
      }
      if (e.flags & kRelStub) {
        const u32 sym = scan.stub_symbol != kNone ? scan.stub_symbol : r.symbolnum;
        u32& st = stub_of_sym[2 * u64(sym) + (scan.stub_kind & 1)];
        if (st == kNone) {
          st = u32(obj.stubs.size());
          SlotTarget to{e.target_kind, e.target, e.sym_offset, sym};
          if (sym != r.symbolnum || !r.external) {  // the global at a non-extern branch's target: its definition
            const Symbol& g = syms[sym];
            to = SlotTarget{TargetKind::Section, sects[g.sect - 1].id - first, u32(g.value - sects[g.sect - 1].addr) + thumb(g), sym};
            // ...bound by its name when it is preemptible (rule L5), as an
            // extern reference to it is: the one definition the set chose.
            if (preemptible(g)) {
              to = SlotTarget{TargetKind::External, external_of(sym), 0, sym};
            }
          }
          obj.stubs.push_back(to);
          obj.stubs.back().stub_kind = scan.stub_kind & 1;
        }
        e.slot = st;
      }
      if (keep) {
        RelocationRecord rec;
        rec.section = s.id;
        rec.offset = r.address;
        // A report's Mach-O type is r_type with r_length in bits 4-5: the
        // field's width is part of what an entry means (and r_pcrel in bit 6
        // for 32-bit objects).
        rec.type = u32(r.type) | u32(r.length) << 4;
        if (is32 && r.pcrel) rec.type |= 0x40;  // (32-bit: a VANILLA entry may be either, so r_pcrel in bit 6)
        rec.type_name = arch->reloc->type_name(r.type);
        if (y) rec.symbol_name = y->name;
        // (A scattered PAIR whose r_value lies in no section names nothing:
        // after an ARM HALF its r_value is never read.)
        else if ((r.scattered || pair) && e.target_kind == TargetKind::Section) rec.symbol_section = first + e.target;
        else if (!t.absolute && !pair) rec.symbol_section = sects[r.symbolnum - 1].id;
        rec.addend = e.addend;
        rec.file_offset = r.file_offset;
        obj.records.push_back(rec);
      }
    }
    if (scan.after_subtractor)
      return scan.error(ErrorKind::Malformed, table.back(), "ends the table: an X86_64_RELOC_UNSIGNED must follow it");
    // Two fields writing the same byte would make the bytes depend on the
    // order of application: refused, as in ELF. The first entry of a pair
    // (the scan says which: a SUBTRACTOR) owns no field of its own.
    {
      struct Field {
        u64 from, to;
        u32 entry;
      };
      std::vector<Field> fields;
      for (u32 j = 0; j < s.nreloc; j++)
        if (!pair_head[j])
          fields.push_back({table[j].address,
                            table[j].address + (arch->field_width ? arch->field_width(table[j]) : u64(1) << table[j].length), j});
      // Assemblers write a Mach-O table in descending address order: when
      // the starts are strictly monotonic the sorted order is unique and a
      // reversal (or nothing) gives it, without the sort's n log n.
      bool up = true, down = true;
      for (size_t k = 1; k < fields.size() && (up || down); k++) {
        up = up && fields[k - 1].from < fields[k].from;
        down = down && fields[k - 1].from > fields[k].from;
      }
      if (down) std::reverse(fields.begin(), fields.end());
      else if (!up)
        std::sort(fields.begin(), fields.end(),
                  [](const Field& a, const Field& b) { return a.from != b.from ? a.from < b.from : a.entry < b.entry; });
      for (size_t k = 1; k < fields.size(); k++)
        if (fields[k].from < fields[k - 1].to) {
          const Field& later = fields[k].entry > fields[k - 1].entry ? fields[k] : fields[k - 1];
          const Field& other = &later == &fields[k] ? fields[k - 1] : fields[k];
          return scan.error(ErrorKind::Malformed, table[later.entry],
                            format("has a field that overlaps that of the entry at file offset 0x%llx (offset 0x%llx)",
                                   (unsigned long long)table[other.entry].file_offset, (unsigned long long)other.from));
        }
    }
    if (obj.relocs.size() > run_first) obj.runs.push_back({s.id, run_first, u32(obj.relocs.size())});
  }
  obj.file_relocation_count = reloc_index;
  obj.dynamic_tls_entries = scan.saw_dynamic_tls;
  return Error::success();
}

// Symbol pointers. A section of non-lazy (or lazy) symbol pointers
// (__nl_symbol_ptr, __IMPORT,__pointers: clang's `L_x$non_lazy_ptr` for
// data it reaches indirectly on i386 and ARM) has no relocation for its
// slots: slot k holds the address of the symbol the indirect symbol table
// names at reserved1 + k, as a static linker fills it.
// INDIRECT_SYMBOL_LOCAL / INDIRECT_SYMBOL_ABS slots keep what the object
// holds (a local address carries its own relocation). Each filled slot is
// a loader entry of the pointer-sized absolute type, whose failure (its
// symbol undefined, or a common refused by rule L4) fails the resolve. Checks: the section's
// size a multiple of the pointer size; its slots inside the indirect
// symbol table; each relocation of the section (but a PAIR) starting at a
// slot; each index naming a symbol that is not a stab.
Error MachoLoad::symbol_pointers() {
  constexpr u32 INDIRECT_SYMBOL_LOCAL = 0x80000000, INDIRECT_SYMBOL_ABS = 0x40000000;
  const u32 ptr = is32 ? 4 : 8;
  for (const Section& s : sects) {
    const u32 type = s.flags & SECTION_TYPE;
    if (s.id == kNone || (type != S_NON_LAZY_SYMBOL_POINTERS && type != S_LAZY_SYMBOL_POINTERS)) continue;
    const std::string name(s.sectname);
    if (s.size % ptr)
      return malformed(oname, s.header_offset, format("symbol pointer section %s: size 0x%llx is not a multiple of %u",
                                                      name.c_str(), (unsigned long long)s.size, ptr));
    const u64 slots = s.size / ptr;
    if (u64(s.reserved1) + slots > indirect_count)
      return malformed(oname, s.header_offset, format("symbol pointer section %s: slots [%u, %llu) lie outside the indirect "
                                                      "symbol table (%u entries)", name.c_str(), s.reserved1,
                                                      (unsigned long long)(s.reserved1 + slots), indirect_count));
    // A relocation inside a slot would share bytes with the slot's fill
    // (which one wins would depend on order): each field starts at a slot.
    for (auto [id, address, at] : unaligned_in_pointers)
      if (id == s.id)
        return malformed(oname, at, format("symbol pointer section %s: relocation at offset 0x%x does not start at a slot "
                                           "(slots are %u bytes)", name.c_str(), address, ptr));
    for (u64 k = 0; k < slots; k++) {
      const u64 at = indirect_off + 4 * (u64(s.reserved1) + k);
      const u32 idx = u32at(at);
      if (idx & (INDIRECT_SYMBOL_LOCAL | INDIRECT_SYMBOL_ABS)) continue;
      if (idx >= nsyms || syms[idx].stab())
        return malformed(oname, at, format("symbol pointer section %s: slot %llu names symbol %u, not a symbol (%u symbols)",
                                           name.c_str(), (unsigned long long)k, idx, nsyms));
      if (std::find(reloc_fields.begin(), reloc_fields.end(), std::pair<u32, u64>{s.id, k * ptr}) != reloc_fields.end())
        continue;  // a relocation of its own fills it
      const Symbol& y = syms[idx];
      const u32 n = u32(obj.relocs.size());
      RelocationEntry e;
      e.offset = u32(k * ptr);
      e.type = u16(arch->reloc->abs64_type);
      // Not kRelSynthetic: no file relocation uses the slot, so a failure
      // to bind its symbol (undefined; a common refused by L4) is its own
      // error, not one a GOT fill leaves to the relocations reading it.
      e.flags = 0;
      if (y.undefined() || preemptible(y)) {
        const u32 x = external_of(idx);
        e.target_kind = TargetKind::External;
        e.target = x;
      } else if (y.kind() == N_ABS) {
        e.target_kind = TargetKind::Absolute;
        e.target = u32(obj.absolutes.size());
        obj.absolutes.push_back(y.value);
      } else {
        const Section& ts = sects[y.sect - 1];
        if (ts.id == kNone)
          return unsupported(oname, at, format("symbol pointer section %s: slot %llu names '%.*s', in a section not loaded",
                                               name.c_str(), (unsigned long long)k, int(y.name.size()), y.name.data()));
        e.target_kind = TargetKind::Section;
        e.target = ts.id - first;
        e.sym_offset = u32(y.value - ts.addr) + thumb(y);
      }
      obj.relocs.push_back(e);
      if (obj.runs.empty() || obj.runs.back().section != s.id || obj.runs.back().end != n) obj.runs.push_back({s.id, n, n});
      obj.runs.back().end = n + 1;
    }
  }
  return Error::success();
}

// EH frames. In a Mach-O object the assembler resolves an FDE's pc_begin
// (and its LSDA pointer) itself when the function lies in the same object
// — a pc-relative distance between two sections, with no relocation — so
// moving the sections apart would break it. Each such field becomes a
// synthetic relocation keeping it pointed at the same offset of the
// section its value reached in the file (LLVM's RuntimeDyld rewrites the
// same fields at registration, assuming __text and __gcc_except_tab).
// Walk: each record is a 4-byte length (0 ends; 0xffffffff, the 64-bit
// form, is refused), a 4-byte CIE pointer (0: a CIE, skipped); an FDE then
// has its 8-byte pc_begin, 8-byte range, and when its augmentation data is
// not empty, an 8-byte LSDA pointer first in it. Checks: records inside
// the section; a field a file relocation covers is left to it; a value
// that reaches no section of this object is an error naming the record.
Error MachoLoad::eh_frames() {
  for (const Section& s : sects) {
    if (s.id == kNone || s.sectname != "__eh_frame" || s.zerofill()) continue;
    std::span<const u8> eh = bytes.subspan(s.offset, s.size);
    std::vector<u64> covered;
    for (auto [id, off] : reloc_fields)
      if (id == s.id) covered.push_back(off);
    auto fix = [&](u64 field, u64 record) -> Error {
      if (std::find(covered.begin(), covered.end(), field) != covered.end()) return Error::success();
      // (32-bit objects: 4-byte fields, sign-extended, addresses mod 2^32)
      u64 reached = is32 ? u32(u32(s.addr + field) + load_le<u32>(eh.data() + field))
                         : s.addr + field + load_le<u64>(eh.data() + field);
      // The section holding the address, [addr, addr + size); else one it
      // ends (an address at one section's end is the next one's start).
      const Section* holder = nullptr;
      for (const Section& t : sects)
        if (t.id != kNone && reached >= t.addr && reached - t.addr < t.size) {
          holder = &t;
          break;
        }
      for (const Section& t : sects)
        if (!holder && t.id != kNone && reached >= t.addr && reached - t.addr == t.size) holder = &t;
      if (holder) {
        const Section& t = *holder;
        u32 k = u32(obj.relocs.size());
        RelocationEntry& e = obj.relocs.emplace_back();
        e.offset = u32(field);
        e.type = u16(arch->eh_pcrel64_type);
        e.target_kind = TargetKind::Section;
        e.target = t.id - first;
        e.addend = i64(reached - t.addr);
        e.flags = kRelSynthetic;
        if (obj.runs.empty() || obj.runs.back().section != s.id || obj.runs.back().end != k) obj.runs.push_back({s.id, k, k});
        obj.runs.back().end = k + 1;
        return Error::success();
      }
      return malformed(oname, s.offset + record,
                       format("__eh_frame record at offset 0x%llx: its address field at 0x%llx reaches 0x%llx, in no section of the object",
                              (unsigned long long)record, (unsigned long long)field, (unsigned long long)reached));
    };
    u64 at = 0;
    while (at < eh.size()) {
      if (eh.size() - at < 4) return malformed(oname, s.offset + at, "__eh_frame ends inside a record's length");
      u32 length = load_le<u32>(eh.data() + at);
      if (length == 0) break;
      if (length == 0xffffffff) return unsupported(oname, s.offset + at, "__eh_frame record in the 64-bit DWARF format");
      if (length > eh.size() - at - 4 || length < 4)
        return malformed(oname, s.offset + at, format("__eh_frame record at offset 0x%llx (length 0x%x) runs past the section",
                                                      (unsigned long long)at, length));
      u32 cie_pointer = load_le<u32>(eh.data() + at + 4);
      if (cie_pointer != 0) {
        const u32 w = is32 ? 4 : 8;  // pc_begin, range and LSDA pointer
        if (length < 4 + 2 * w + 1)
          return malformed(oname, s.offset + at, format("__eh_frame FDE at offset 0x%llx is too short", (unsigned long long)at));
        TRY(fix(at + 8, at));
        u8 aug = eh[at + 8 + 2 * w];
        if (aug >= w && length >= 4 + 2 * w + 1 + w) TRY(fix(at + 9 + 2 * w, at));
      }
      at += 4 + u64(length);
    }
  }
  return Error::success();
}

// Layout: GOT and stub fills (synthetic relocations), memory. Checks: the
// memory manager's refusals become errors naming the section.
Error MachoLoad::layout() {
  const RelocationArch& ra = *arch->reloc;
  auto synthetic = [&](u32 section, u64 offset, const SlotTarget& t) {
    const u32 k = u32(obj.relocs.size());
    RelocationEntry& e = obj.relocs.emplace_back();
    e.offset = u32(offset);
    e.type = u16(ra.abs64_type);
    e.target = t.target;
    e.target_kind = t.kind;
    e.sym_offset = u32(t.sym_offset);
    e.flags = kRelSynthetic;
    if (obj.runs.empty() || obj.runs.back().section != section || obj.runs.back().end != k) obj.runs.push_back({section, k, k});
    obj.runs.back().end = k + 1;
  };
  if (needs_got || !obj.got_slots.empty()) {
    obj.got_section = add_own_section("<got>", SectionKind::Got, u64(obj.got_slots.size()) * ra.got_entry_size, ra.got_entry_size);
    for (size_t k = 0; k < obj.got_slots.size(); k++) synthetic(obj.got_section, k * ra.got_entry_size, obj.got_slots[k]);
  }
  if (!obj.stubs.empty()) {
    obj.stub_section = add_own_section("<stubs>", SectionKind::Stubs, u64(obj.stubs.size()) * ra.stub_size, ra.stub_align);
    for (size_t k = 0; k < obj.stubs.size(); k++)
      synthetic(obj.stub_section, k * ra.stub_size + ra.stub_address_offset, obj.stubs[k]);
  }
  // TLV descriptors' key words: the module key of the variable's section.
  for (const KeyWord& w : tlv_keys) {
    synthetic(w.section, w.offset, SlotTarget{w.like.target_kind, w.like.target, w.like.sym_offset, 0});
    obj.relocs.back().type = u16(arch->tlv_key_type);
    obj.relocs.back().flags |= kRelDynamicTls;
  }
  obj.section_count = u32(dyld.sections.size()) - first;

  MemoryManager& mm = dyld.memory;
  if (mm.needs_to_reserve_allocation_space())
    TRY(mm.reserve_allocation_space(reservation.code, reservation.code_align, reservation.ro, reservation.ro_align,
                                    reservation.rw, reservation.rw_align));
  // Served thread-local variables: __thread_data and __thread_bss are one
  // TLS module (core/tls-loader.h), reached through __tls_get_addr only.
  if (has_tls && dynamic_tls) TRY(place_tls_module(dyld, obj, first, ""));
  for (u32 id = first; id < dyld.sections.size(); id++) {
    LoadedSection& s = dyld.sections[id];
    u64 alloc = std::max<u64>(s.size, 1) + (s.is_eh_frame ? 4 : 0);
    const bool tls = s.kind == SectionKind::Tls || s.kind == SectionKind::TlsBss;
    if (tls && static_tlv_thunk) {  // a piece of the static block; its target the offset from the thread pointer
      auto piece = mm.allocate_tls_section(alloc, s.align, id, s.name, arch->tls_abi);
      if (!piece) {
        Error err = piece.take_error();
        return Error(err.kind(), format("%s: %s", obj.name.c_str(), err.message().c_str()), s.file_offset);
      }
      s.local = piece->init_image;
      s.tp_offset = piece->tp_offset;
      s.target = u64(piece->tp_offset);
    }
    u8* mem = tls ? s.local  // placed in the module above, its target the module's key + offset
              : s.kind == SectionKind::Code || s.kind == SectionKind::Stubs
                  ? mm.allocate_code_section(alloc, s.align, id, s.name)
                  : mm.allocate_data_section(alloc, s.align, id, s.name, s.kind == SectionKind::ReadOnly);
    if (!mem)
      return Error(ErrorKind::Memory, format("%s: the memory manager could not allocate 0x%llx bytes for section '%.*s'",
                                             obj.name.c_str(), (unsigned long long)alloc, int(s.name.size()), s.name.data()));
    s.local = mem;
    if (!tls) s.target = s.allocatable ? u64(reinterpret_cast<uintptr_t>(mem)) : 0;
    if (s.file_offset != kNoOffset && s.size) std::memcpy(mem, &bytes[s.file_offset], s.size);
    else std::memset(mem, 0, s.size);
    if (s.is_eh_frame) {
      std::memset(mem + s.size, 0, 4);
      obj.eh_frame_sections.push_back(id);
    }
    if (s.kind == SectionKind::Stubs)
      for (u64 k = 0; k < obj.stubs.size(); k++) {
        if (arch->write_stub_kind) arch->write_stub_kind(mem + k * ra.stub_size, obj.stubs[k].stub_kind);
        else ra.write_stub(mem + k * ra.stub_size);
      }
  }
  return Error::success();
}

// Publication. Checks: a second strong definition of a name is an error
// naming both objects (L2); otherwise one definition is chosen (L2-L4).
Error MachoLoad::publish() {
  const u32 objidx = u32(dyld.objects.size() - 1);
  const size_t first_symbol = dyld.symbols.size();
  for (u32 i = 0; i < syms.size(); i++) {
    const Symbol& y = syms[i];
    if (y.stab() || y.name.empty() || y.undefined()) continue;
    LoadedSymbol ls;
    ls.name = y.name;
    ls.object = objidx;
    ls.flags.binding = !y.ext() ? SymbolBinding::Local
                       : (y.desc & N_WEAK_DEF) && !y.common() ? SymbolBinding::Weak
                                                              : SymbolBinding::Global;
    if (y.common()) {
      ls.flags.type = SymbolType::Common;
      ls.section = common_section;
      ls.offset = common_offset[i];
      ls.size = y.value;
      ls.align = u32(u64(1) << get_comm_align(y.desc));
    } else if (y.kind() == N_ABS) {
      ls.flags.absolute = true;
      ls.offset = y.value;
    } else {
      const Section& s = sects[y.sect - 1];
      if (s.id == kNone) continue;  // in a debug section not loaded
      ls.section = s.id;
      ls.offset = y.value - s.addr + thumb(y);  // (a Thumb function's address is odd)
      ls.flags.type = dyld.sections[s.id].kind == SectionKind::Code ? SymbolType::Function : SymbolType::Object;
    }
    const u32 idx = u32(dyld.symbols.size());
    dyld.symbols.push_back(ls);
    if (ls.flags.binding == SymbolBinding::Local) continue;
    auto [slot, inserted] = dyld.globals.insert(dyld.symbols.back().name, idx);
    if (inserted) continue;
    if (Error err = dyld.choose_definition(slot, idx)) {
      Error located(err.kind(), err.message(), y.file_offset);
      dyld.symbols.resize(first_symbol);
      dyld.rebuild_symbol_maps();
      return located;
    }
  }
  return Error::success();
}

}  // namespace

static Error load(LoadState& st, std::span<const u8> bytes) { return MachoLoad(st, bytes).run(); }

static bool matches(std::span<const u8> bytes) {
  return bytes.size() >= 4 && (load_le<u32>(bytes.data()) == MH_MAGIC_64 || load_le<u32>(bytes.data()) == MH_MAGIC);
}

extern const ObjectFormat kMachoFormat;
const ObjectFormat kMachoFormat = {"MachO", matches, load};

}  // namespace jitload::macho
