// The reference loader for Mach-O x86-64 relocatable objects: plain loops,
// its own reading of Apple's headers (macho.h), no cleverness. The rules it
// follows are written in reference.h, "Mach-O"; this file says which rule
// each step is.
#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reference/macho/macho.h"

namespace jitload::reference::macho {
namespace {

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, f);
  vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}
unsigned long long ull(uint64_t v) { return (unsigned long long)v; }
uint64_t align_up(uint64_t v, uint64_t a) { return a <= 1 ? v : (v + a - 1) / a * a; }

// Little-endian reads; the caller has checked the range.
uint64_t rd(std::span<const uint8_t> b, uint64_t off, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = v << 8 | b[off + i];
  return v;
}
bool inside(uint64_t off, uint64_t len, uint64_t size) { return off <= size && len <= size - off; }
int64_t sign_extend(uint64_t v, int bytes) {
  if (bytes == 8) return int64_t(v);
  uint64_t sign = uint64_t(1) << (bytes * 8 - 1);
  return int64_t((v ^ sign) - sign);
}
std::string name16(std::span<const uint8_t> b, uint64_t off) {
  std::string s;
  for (int i = 0; i < 16 && b[off + i]; i++) s += char(b[off + i]);
  return s;
}

struct Sec {
  std::string name, segname;
  uint64_t addr = 0, size = 0;
  uint32_t offset = 0, align_log = 0, reloff = 0, nreloc = 0, flags = 0;
  uint32_t reserved1 = 0;  // symbol pointer sections: first slot's index in the indirect symbol table
  bool loads = false, debug = false;
  bool zerofill() const {
    uint32_t t = flags & kSectionTypeMask;
    return t == kSZerofill || t == kSGbZerofill || t == kSThreadLocalZerofill;
  }
  bool code() const { return flags & (kAttrPureInstructions | kAttrSomeInstructions); }
  // __thread_data / __thread_bss: the TLS module's image when TLV is served.
  bool thread_local_storage() const {
    uint32_t t = flags & kSectionTypeMask;
    return t == kSThreadLocalRegular || t == kSThreadLocalZerofill;
  }
  bool tls = false;      // served TLV: in the module, `address` its offset there
  uint64_t address = 0;  // placed
  std::vector<uint8_t> bytes;
};

struct Sym {
  std::string name;
  uint8_t type = 0, sect = 0;
  uint16_t desc = 0;
  uint64_t value = 0;
  uint64_t file_offset = 0;
  bool stab() const { return type & kNStab; }
  bool ext() const { return type & kNExt; }
  uint8_t kind() const { return type & kNTypeMask; }
  bool common() const { return !stab() && kind() == kNUndf && ext() && value != 0; }
  bool undefined() const { return !stab() && kind() == kNUndf && !common(); }
  bool defined() const { return !stab() && (kind() == kNSect || kind() == kNAbs); }
  // Strength of a definition (rule L2): strong 3, common 2, weak 1, none 0.
  int strength() const {
    if (!ext() || stab()) return 0;
    if (common()) return 2;
    if (!defined()) return 0;
    return (desc & kNWeakDef) ? 1 : 3;
  }
  // Bound by name (rule L5): undefined, or a definition another may preempt.
  bool by_name() const { return undefined() || strength() == 2 || strength() == 1; }
};

struct Rel {
  uint32_t address = 0, symbolnum = 0;
  bool pcrel = false, ext = false;
  uint32_t length = 0, type = 0;
  uint64_t file_offset = 0;
  bool scattered = false;  // 32-bit only: value is an object-file address naming the target
  uint32_t value = 0;
};

const char* type_name(uint32_t t) {
  static const char* const names[] = {"X86_64_RELOC_UNSIGNED", "X86_64_RELOC_SIGNED", "X86_64_RELOC_BRANCH",
                                      "X86_64_RELOC_GOT_LOAD", "X86_64_RELOC_GOT", "X86_64_RELOC_SUBTRACTOR",
                                      "X86_64_RELOC_SIGNED_1", "X86_64_RELOC_SIGNED_2", "X86_64_RELOC_SIGNED_4",
                                      "X86_64_RELOC_TLV"};
  return t < 10 ? names[t] : "unknown X86_64 relocation type";
}
const char* arm64_type_name(uint32_t t) {
  static const char* const names[] = {"ARM64_RELOC_UNSIGNED", "ARM64_RELOC_SUBTRACTOR", "ARM64_RELOC_BRANCH26",
                                      "ARM64_RELOC_PAGE21", "ARM64_RELOC_PAGEOFF12", "ARM64_RELOC_GOT_LOAD_PAGE21",
                                      "ARM64_RELOC_GOT_LOAD_PAGEOFF12", "ARM64_RELOC_POINTER_TO_GOT",
                                      "ARM64_RELOC_TLVP_LOAD_PAGE21", "ARM64_RELOC_TLVP_LOAD_PAGEOFF12",
                                      "ARM64_RELOC_ADDEND"};
  return t < 11 ? names[t] : "unknown ARM64 relocation type";
}
const char* arm_type_name(uint32_t t) {
  static const char* const names[] = {"ARM_RELOC_VANILLA", "ARM_RELOC_PAIR", "ARM_RELOC_SECTDIFF", "ARM_RELOC_LOCAL_SECTDIFF",
                                      "ARM_RELOC_PB_LA_PTR", "ARM_RELOC_BR24", "ARM_THUMB_RELOC_BR22",
                                      "ARM_THUMB_32BIT_BRANCH", "ARM_RELOC_HALF", "ARM_RELOC_HALF_SECTDIFF"};
  return t < 10 ? names[t] : "unknown ARM relocation type";
}
const char* i386_type_name(uint32_t t) {
  static const char* const names[] = {"GENERIC_RELOC_VANILLA", "GENERIC_RELOC_PAIR", "GENERIC_RELOC_SECTDIFF",
                                      "GENERIC_RELOC_PB_LA_PTR", "GENERIC_RELOC_LOCAL_SECTDIFF", "GENERIC_RELOC_TLV"};
  return t < 6 ? names[t] : "unknown i386 relocation type";
}

// The reference's TLV thunk (reference.h, "Mach-O TLV"), x86-64 machine
// code written from the ABI: entered with %rdi = a descriptor {thunk, key,
// offset}, it returns in %rax what `get_addr` (__tls_get_addr's contract)
// answers for the pair {key, offset}, every other register kept.
std::vector<uint8_t> tlv_thunk(uint64_t get_addr) {
  std::vector<uint8_t> c = {0x57, 0x56, 0x52, 0x51, 0x41, 0x50, 0x41, 0x51, 0x41, 0x52, 0x41, 0x53,  // push %rdi .. %r11
                            0x48, 0x81, 0xec, 0x08, 0x01, 0x00, 0x00};  // sub $264, %rsp: 16-byte aligned at the call
  // movdqu %xmmN, 16N(%rsp) (0x7f) / movdqu 16N(%rsp), %xmmN (0x6f), N = 0..15
  auto xmm = [&](uint8_t opcode) {
    for (uint8_t n = 0; n < 16; n++) {
      c.push_back(0xf3);
      if (n >= 8) c.push_back(0x44);  // REX.R
      for (uint8_t b : {uint8_t(0x0f), opcode, uint8_t(0x84 | (n & 7) << 3), uint8_t(0x24)}) c.push_back(b);
      for (int i = 0; i < 4; i++) c.push_back(uint8_t((16u * n) >> (8 * i)));
    }
  };
  xmm(0x7f);
  for (uint8_t b : {0x48, 0x8d, 0x7f, 0x08, 0x48, 0xb8}) c.push_back(b);  // lea 8(%rdi), %rdi; movabs $get_addr, %rax
  for (int i = 0; i < 8; i++) c.push_back(uint8_t(get_addr >> (8 * i)));
  for (uint8_t b : {0xff, 0xd0}) c.push_back(b);  // call *%rax
  xmm(0x6f);
  for (uint8_t b : {0x48, 0x81, 0xc4, 0x08, 0x01, 0x00, 0x00,                          // add $264, %rsp
                    0x41, 0x5b, 0x41, 0x5a, 0x41, 0x59, 0x41, 0x58, 0x59, 0x5a, 0x5e, 0x5f,  // pop %r11 .. %rdi
                    0xc3})
    c.push_back(b);
  return c;
}

struct Obj {
  std::string name;
  std::span<const uint8_t> b;  // the input's bytes, viewed (not copied: every Mach-O input the fuzzers run)
  size_t position = 0;
  bool process_all = false;  // Scenario::process_all_sections: debug sections load too
  bool arm64 = false;        // CPU_TYPE_ARM64 (else x86-64)
  RefError error;
  bool ok = false;
  std::vector<Sec> secs;                   // by ordinal - 1
  std::vector<Sym> syms;
  std::vector<std::vector<Rel>> rels;      // per section
  std::vector<uint64_t> common_offset;     // per symbol
  uint64_t common_size = 0, common_align = 1, common_address = 0;
  bool has_common = false;
  std::vector<uint32_t> got_syms, stub_syms;  // symbol indexes, in order of first use
  // ARM: the caller's mode of each stub (parallel to stub_syms): 1 a Thumb
  // stub, 0 an ARM one; one stub per (symbol, mode).
  std::vector<uint8_t> stub_thumb;
  // ARM: the symbol whose stub a branch uses (reference.h, "Mach-O ARM"),
  // or -1: direct.
  int64_t arm_stub_symbol(const Sec& s, const Rel& r) const;
  uint64_t indirect_off = 0, indirect_count = 0;  // LC_DYSYMTAB's indirect symbol table
  // Symbol pointer slots to fill: (section, offset, symbol index).
  struct PointerSlot {
    size_t sec;
    uint64_t offset;
    uint32_t sym;
  };
  std::vector<PointerSlot> pointer_slots;
  bool check_pointers();
  uint64_t got_address = 0, stubs_address = 0;
  // Mach-O TLV served (Scenario::tlv_get_addr; reference.h, "Mach-O TLV").
  bool served = false, has_tlv_vars = false;
  uint64_t tlv_thunk_address = 0;
  Result result;
  bool is32 = false;        // MH_MAGIC
  uint32_t cputype = 0;
  uint64_t slot_size() const { return is32 ? 4 : 8; }
  // Stubs: x86-64 `jmp *0(%rip); .quad; int3 x2` (16 bytes, 16-aligned);
  // ARM `ldr pc, [pc, #-4]; .long` (8 bytes, 4-aligned).
  uint64_t stub_size() const { return cputype == kCpuTypeArm ? 8 : 16; }
  const char* tname(uint32_t t) const {
    return cputype == kCpuTypeI386 ? i386_type_name(t)
           : cputype == kCpuTypeArm ? arm_type_name(t)
           : arm64                  ? arm64_type_name(t)
                                    : type_name(t);
  }
  // The loaded section holding a file address: [addr, addr + size), else
  // the one it ends; -1 when none.
  int holder(uint64_t a) const {
    for (int pass = 0; pass < 2; pass++)
      for (size_t i = 0; i < secs.size(); i++)
        if (secs[i].loads && a >= secs[i].addr && (pass ? a - secs[i].addr == secs[i].size : a - secs[i].addr < secs[i].size))
          return int(i);
    return -1;
  }

  bool fail(ErrorKind kind, uint64_t off, const std::string& what) {
    error.kind = kind;
    error.file_offset = off;
    error.message = name + ": " + what;
    return false;
  }
  bool read();
  bool read_relocations();
  // Mach-O compact unwind: one target of an entry's pointer field.
  struct UnwindTarget {
    int sec = -1;          // section index (ordinal - 1), or -1
    uint64_t offset = 0;   // in that section; or the addend of `symbol`
    std::string symbol;    // bound by name
  };
  struct UnwindEntry {
    UnwindTarget target[3];  // function, personality, LSDA
    uint32_t length = 0, encoding = 0;
    uint64_t file_offset = 0;
  };
  std::vector<UnwindEntry> unwind;
  bool read_compact_unwind();
  // Defined in a section that is not loaded (debug, unless every section is processed).
  bool unloaded(const Sym& y) const { return !y.stab() && y.kind() == kNSect && y.sect >= 1 && y.sect <= secs.size() && !secs[y.sect - 1].loads; }
  bool check_arm64(const Sec& s, const std::vector<Rel>& list, size_t j);
  bool check_i386(size_t si);
  bool check_arm(size_t si);
  // An entry's error: "<object>:(<section>+0x<address>): relocation <type>
  // at file offset 0x<offset> <why>".
  bool bad_entry(const Sec& s, const Rel& r, ErrorKind k, const std::string& why) {
    error.kind = k;
    error.file_offset = r.file_offset;
    error.message = fmt("%s:(%s+0x%x): relocation %s at file offset 0x%llx %s", name.c_str(), s.name.c_str(), r.address,
                        tname(r.type), ull(r.file_offset), why.c_str());
    return false;
  }
  // What an entry names: a scattered entry's r_value is held by a loaded
  // section; an extern one's r_symbolnum is a symbol, no stab, not defined
  // in a section left unloaded; a local one's is a loaded section's ordinal
  // (0: R_ABS).
  bool check_target(const Sec& s, const Rel& r) {
    if (r.scattered) {
      if (holder(r.value) < 0) return bad_entry(s, r, ErrorKind::Malformed, "scattered r_value in no loaded section");
    } else if (r.ext) {
      if (r.symbolnum >= syms.size()) return bad_entry(s, r, ErrorKind::Malformed, "symbol index out of range");
      const Sym& y = syms[r.symbolnum];
      if (y.stab()) return bad_entry(s, r, ErrorKind::Malformed, "names a stab");
      if (!y.by_name() && y.kind() == kNSect && !secs[y.sect - 1].loads)
        return bad_entry(s, r, ErrorKind::Unsupported, "symbol in a section not loaded");
    } else if (r.symbolnum != 0) {
      if (r.symbolnum > secs.size()) return bad_entry(s, r, ErrorKind::Malformed, "section ordinal out of range");
      if (!secs[r.symbolnum - 1].loads) return bad_entry(s, r, ErrorKind::Unsupported, "section not loaded");
    }
    return true;
  }
  // No two fields may share a byte. Fields in order of offset (then of
  // entry), of the entries `own` says have one, `width` bytes each: each
  // must start at or after the end of the one before it; the later entry of
  // the first pair that does not is the one reported.
  template <class Own, class Width>
  bool check_overlaps(const Sec& s, const std::vector<Rel>& list, Own own, Width width) {
    std::vector<std::pair<uint64_t, size_t>> fields;  // (offset, entry)
    for (size_t j = 0; j < list.size(); j++)
      if (own(list[j])) fields.push_back({list[j].address, j});
    std::sort(fields.begin(), fields.end());
    for (size_t k = 1; k < fields.size(); k++) {
      const Rel& a = list[fields[k - 1].second];
      const Rel& c = list[fields[k].second];
      if (c.address >= a.address + width(a)) continue;
      const Rel& later = fields[k].second > fields[k - 1].second ? c : a;
      const Rel& other = &later == &c ? a : c;
      return bad_entry(s, later, ErrorKind::Malformed,
                       fmt("has a field that overlaps that of the entry at file offset 0x%llx", ull(other.file_offset)));
    }
    return true;
  }
};

// Reading: the checks of the engine's header, commands, symbols and
// relocation scan, each written here from the headers (reference.h,
// "Mach-O").
bool Obj::read() {
  is32 = b.size() >= 4 && rd(b, 0, 4) == kMagic32;
  const uint64_t hsize = is32 ? 28 : 32;  // mach_header, mach_header_64
  if (b.size() < hsize) return fail(ErrorKind::Malformed, 0, "too small for a Mach-O header");
  if (!is32 && rd(b, 0, 4) != kMagic64) return fail(ErrorKind::Malformed, 0, "neither MH_MAGIC_64 nor MH_MAGIC");
  cputype = uint32_t(rd(b, 4, 4));
  arm64 = !is32 && cputype == kCpuTypeArm64;
  if (is32 ? cputype != kCpuTypeI386 && cputype != kCpuTypeArm : cputype != kCpuTypeX86_64 && !arm64)
    return fail(ErrorKind::Unsupported, 4, fmt("Mach-O CPU type 0x%llx is not supported", ull(rd(b, 4, 4))));
  if (rd(b, 12, 4) != kFiletypeObject) return fail(ErrorKind::Unsupported, 12, "not MH_OBJECT");
  uint64_t ncmds = rd(b, 16, 4), sizeofcmds = rd(b, 20, 4);
  if (!inside(hsize, sizeofcmds, b.size())) return fail(ErrorKind::Malformed, 20, "load commands run past the file");
  if (ncmds > sizeofcmds / 8) return fail(ErrorKind::Malformed, 16, "too many load commands for sizeofcmds");
  uint64_t at = hsize, end = hsize + sizeofcmds;
  bool have_symtab = false;
  uint64_t symoff = 0, nsyms = 0, stroff = 0, strsize = 0;
  std::vector<uint64_t> dysymtabs;
  for (uint64_t i = 0; i < ncmds; i++) {
    if (end - at < 8) return fail(ErrorKind::Malformed, at, "load command runs past sizeofcmds");
    uint64_t cmd = rd(b, at, 4), size = rd(b, at + 4, 4);
    if (size < 8 || size % (is32 ? 4 : 8) != 0 || size > end - at)  // 4-byte multiples in 32-bit objects
      return fail(ErrorKind::Malformed, at + 4, fmt("load command %llu: bad cmdsize %llu", ull(i), ull(size)));
    if ((cmd == kLcSegment64 && !is32) || (cmd == kLcSegment32 && is32)) {
      // segment_command_64 (72 bytes) + section_64 (80), or segment_command
      // (56) + section (68): the 32-bit forms have 4-byte addresses and sizes.
      const uint64_t chead = is32 ? 56 : 72, shead = is32 ? 68 : 80, word = is32 ? 4 : 8;
      if (size < chead) return fail(ErrorKind::Malformed, at + 4, "segment command too short");
      uint64_t nsects = rd(b, at + (is32 ? 48 : 64), 4);
      if (size != chead + nsects * shead) return fail(ErrorKind::Malformed, at + 4, "segment command cmdsize does not match nsects");
      std::string segname = name16(b, at + 8);
      secs.reserve(secs.size() + std::min<uint64_t>(nsects, 256));  // (at most 255 are accepted)
      for (uint64_t k = 0; k < nsects; k++) {
        uint64_t h = at + chead + k * shead;
        uint64_t tail = h + 32 + 2 * word;  // offset, align, reloff, nreloc, flags
        Sec s;
        s.name = name16(b, h);
        s.segname = name16(b, h + 16);
        s.addr = rd(b, h + 32, int(word));
        s.size = rd(b, h + 32 + word, int(word));
        s.offset = uint32_t(rd(b, tail, 4));
        s.align_log = uint32_t(rd(b, tail + 4, 4));
        s.reloff = uint32_t(rd(b, tail + 8, 4));
        s.nreloc = uint32_t(rd(b, tail + 12, 4));
        s.flags = uint32_t(rd(b, tail + 16, 4));
        s.reserved1 = uint32_t(rd(b, tail + 20, 4));
        if (!segname.empty() && s.segname != segname) return fail(ErrorKind::Malformed, h + 16, "section's segment name differs from its segment's");
        if (s.addr + s.size < s.addr || (is32 && s.addr + s.size > 0xffffffffull))
          return fail(ErrorKind::Malformed, h + 32, "section address + size wraps");
        if (!s.zerofill() && !inside(s.offset, s.size, b.size()))
          return fail(ErrorKind::Malformed, tail, "section " + s.name + ": contents outside the file");
        if (!inside(s.reloff, uint64_t(s.nreloc) * 8, b.size()))
          return fail(ErrorKind::Malformed, tail + 8, "section " + s.name + ": relocations outside the file");
        if (s.align_log > 20) return fail(ErrorKind::Unsupported, tail + 4, "section " + s.name + ": alignment above 1 MiB");
        s.debug = s.flags & kAttrDebug;
        secs.push_back(std::move(s));  // (moved: its name strings are not copied again)
        if (secs.size() > 255) return fail(ErrorKind::Malformed, h, "more than 255 sections");
      }
    } else if (cmd == kLcSymtab) {
      if (have_symtab) return fail(ErrorKind::Malformed, at, "two LC_SYMTAB");
      if (size != 24) return fail(ErrorKind::Malformed, at + 4, "LC_SYMTAB cmdsize is not 24");
      have_symtab = true;
      symoff = rd(b, at + 8, 4), nsyms = rd(b, at + 12, 4), stroff = rd(b, at + 16, 4), strsize = rd(b, at + 20, 4);
      if (!inside(symoff, nsyms * (is32 ? 12 : 16), b.size())) return fail(ErrorKind::Malformed, at + 8, "symbols outside the file");
      if (!inside(stroff, strsize, b.size())) return fail(ErrorKind::Malformed, at + 16, "string table outside the file");
    } else if (cmd == kLcDysymtab) {
      if (size != 80) return fail(ErrorKind::Malformed, at + 4, "LC_DYSYMTAB cmdsize is not 80");
      if (!inside(rd(b, at + 56, 4), rd(b, at + 60, 4) * 4, b.size()))
        return fail(ErrorKind::Malformed, at + 56, "indirect symbol table outside the file");
      dysymtabs.push_back(at);
      indirect_off = rd(b, at + 56, 4);
      indirect_count = rd(b, at + 60, 4);
    } else if (cmd == kLcBuildVersion) {
      if (size < 24 || size != 24 + rd(b, at + 20, 4) * 8) return fail(ErrorKind::Malformed, at + 4, "LC_BUILD_VERSION cmdsize");
    } else if (cmd == kLcVersionMinMacosx || cmd == kLcVersionMinIphoneos || cmd == kLcVersionMinTvos ||
               cmd == kLcVersionMinWatchos) {
      if (size != 16) return fail(ErrorKind::Malformed, at + 4, "LC_VERSION_MIN cmdsize is not 16");
    } else if (cmd == kLcDataInCode || cmd == kLcLinkerOptimizationHint) {
      if (size != 16) return fail(ErrorKind::Malformed, at + 4, "linkedit data command cmdsize is not 16");
      if (!inside(rd(b, at + 8, 4), rd(b, at + 12, 4), b.size())) return fail(ErrorKind::Malformed, at + 8, "linkedit data outside the file");
    } else if (cmd == kLcLinkerOption) {
      if (size < 12) return fail(ErrorKind::Malformed, at + 4, "LC_LINKER_OPTION too short");
    } else {
      return fail(ErrorKind::Unsupported, at, fmt("unknown load command 0x%llx", ull(cmd)));
    }
    at += size;
  }
  for (uint64_t d : dysymtabs)
    for (int r = 0; r < 3; r++)
      if (rd(b, d + 8 + 8 * r, 4) + rd(b, d + 12 + 8 * r, 4) > nsyms)
        return fail(ErrorKind::Malformed, d + 8 + 8 * r, "LC_DYSYMTAB range outside the symbol table");
  for (Sec& s : secs) s.loads = !s.debug || process_all;  // debug sections: only when every section loads
  // The reference's size limit (policy, as for ELF): the sections it loads
  // and, below, the common block, at most 256 MiB in all.
  const uint64_t kMaxTotal = uint64_t(1) << 28;
  uint64_t total = 0;
  for (const Sec& s : secs)
    if (s.loads && (s.size > kMaxTotal || (total += s.size) > kMaxTotal))
      return fail(ErrorKind::Limit, 0, "section " + s.name + ": the object needs more than the reference's 256 MiB");
  // Symbols. (Reserved: one allocation, not the growth steps', for every
  // object the fuzzers load; nsyms entries lie inside the file.)
  syms.reserve(nsyms);
  for (uint64_t i = 0; i < nsyms; i++) {
    uint64_t at2 = symoff + i * (is32 ? 12 : 16);
    Sym y;
    y.file_offset = at2;
    uint64_t strx = rd(b, at2, 4);
    y.type = b[at2 + 4];
    y.sect = b[at2 + 5];
    y.desc = uint16_t(rd(b, at2 + 6, 2));
    y.value = rd(b, at2 + 8, is32 ? 4 : 8);
    if (strsize) {
      if (strx >= strsize) return fail(ErrorKind::Malformed, at2, "symbol name outside the string table");
      uint64_t e = strx;
      while (e < strsize && b[stroff + e]) e++;
      if (e == strsize) return fail(ErrorKind::Malformed, at2, "symbol name not terminated");
      y.name.assign(reinterpret_cast<const char*>(&b[stroff + strx]), e - strx);
    } else if (strx != 0) {
      return fail(ErrorKind::Malformed, at2, "symbol name outside the string table");
    }
    if (!y.stab()) {
      if (y.kind() == kNSect) {
        if (y.sect == 0 || y.sect > secs.size()) return fail(ErrorKind::Malformed, at2 + 5, "symbol section ordinal out of range");
        const Sec& s = secs[y.sect - 1];
        if (y.value < s.addr || y.value - s.addr > s.size) return fail(ErrorKind::Malformed, at2 + 8, "symbol outside its section");
      } else if (y.kind() == kNUndf) {
        if (!y.ext()) return fail(ErrorKind::Malformed, at2 + 4, "local undefined symbol");
        if (y.common() && ((y.desc >> 8) & 0xf) > 20) return fail(ErrorKind::Malformed, at2 + 6, "common alignment above 1 MiB");
      } else if (y.kind() != kNAbs) {
        return fail(ErrorKind::Unsupported, at2 + 4, "N_INDR or N_PBUD symbol");
      }
    }
    syms.push_back(std::move(y));
  }
  // Two strong definitions of one name in one object: malformed (L2). A
  // symbol in a section that is not loaded (debug) has no address and is
  // no definition (as in the ELF reference), here and in the linkage below.
  std::map<std::string, bool> strong;
  for (const Sym& y : syms)
    if (y.strength() == 3 && !y.name.empty() && !unloaded(y)) {
      if (strong[y.name]) return fail(ErrorKind::Malformed, y.file_offset, "duplicate definition of symbol '" + y.name + "'");
      strong[y.name] = true;
    }
  // Commons: each object's block, in symbol order. The commons of one name
  // share one place, as ld64 and ld merge them: the largest size and the
  // strictest alignment of them, where the first one is (reference.h).
  common_offset.assign(syms.size(), 0);
  {
    std::map<std::string, size_t> first_of_name;
    std::vector<size_t> owner(syms.size());
    std::vector<std::pair<uint64_t, uint64_t>> block(syms.size());  // size, alignment: the first of a name's
    for (size_t i = 0; i < syms.size(); i++) {
      if (!syms[i].common()) continue;
      owner[i] = syms[i].name.empty() ? i : first_of_name.try_emplace(syms[i].name, i).first->second;
      auto& [size, align] = block[owner[i]];
      size = std::max(size, syms[i].value);
      align = std::max(align, uint64_t(1) << ((syms[i].desc >> 8) & 0xf));
    }
    for (size_t i = 0; i < syms.size(); i++) {
      if (!syms[i].common()) continue;
      has_common = true;
      if (owner[i] != i) {
        common_offset[i] = common_offset[owner[i]];
        continue;
      }
      auto [size, a] = block[i];
      common_size = align_up(common_size, a);
      common_offset[i] = common_size;
      if (size > kMaxTotal || (common_size += size) > kMaxTotal || (total += size) > kMaxTotal)
        return fail(ErrorKind::Limit, syms[i].file_offset, "common symbols: the object needs more than the reference's 256 MiB");
      if (a > common_align) common_align = a;
    }
  }
  if (!read_compact_unwind()) return false;
  if (!read_relocations()) return false;
  if (!check_pointers()) {
    ok = false;
    return false;
  }
  return true;
}

// Mach-O compact unwind (__LD,__compact_unwind, S_ATTR_DEBUG): checked in
// every object whether or not it loads, and its entries recorded (never
// written). An entry: function pointer, length (4), encoding (4),
// personality pointer, LSDA pointer; a pointer is the object's word (8 or
// 4 bytes), so an entry is 32 or 20 bytes. Rejected (Malformed): a zerofill
// section or one whose size is no whole number of entries; a relocation in
// it that is not a plain pointer-wide absolute one (r_type 0, not pc-rel,
// not scattered) on a function/personality/LSDA field, or a second one on
// one field; an entry whose function field has no relocation, or whose
// function is not defined in a loaded section, or starts outside it, or
// runs past its end; a non-zero personality or LSDA field with no
// relocation, or one whose target lies outside its loaded section.
bool Obj::read_compact_unwind() {
  const uint64_t word = is32 ? 4 : 8, entry = 8 + 3 * word;
  for (size_t si = 0; si < secs.size(); si++) {
    const Sec& s = secs[si];
    if (s.name != "__compact_unwind" || s.segname != "__LD") continue;
    const std::string sec = "section __LD,__compact_unwind";
    if (s.zerofill()) return fail(ErrorKind::Malformed, 0, sec + " is zerofill");
    if (s.size % entry != 0)
      return fail(ErrorKind::Malformed, 0, fmt("%s: size %llu is not a whole number of %llu-byte entries", sec.c_str(), ull(s.size), ull(entry)));
    const uint64_t n = s.size / entry;
    // relocation index per (entry, field): field 0 function, 1 personality, 2 LSDA
    std::map<std::pair<uint64_t, int>, uint64_t> reloc_of;
    for (uint64_t j = 0; j < s.nreloc; j++) {
      const uint64_t at = s.reloff + 8 * j;
      const uint64_t w0 = rd(b, at, 4), w1 = rd(b, at + 4, 4);
      const std::string head = fmt("%s: relocation %llu (file offset 0x%llx)", sec.c_str(), ull(j), ull(at));
      if (w0 & kRScattered) return fail(ErrorKind::Malformed, at, head + " is scattered");
      if ((w1 >> 28) != 0) return fail(ErrorKind::Malformed, at, head + fmt(" has type %llu, not an absolute pointer", ull(w1 >> 28)));
      if ((w1 >> 24) & 1) return fail(ErrorKind::Malformed, at, head + " is pc-relative");
      if ((uint64_t(1) << ((w1 >> 25) & 3)) != word) return fail(ErrorKind::Malformed, at, head + " is not pointer-wide");
      const uint64_t in = w0 % entry;
      int field = in == 0 ? 0 : in == word + 8 ? 1 : in == 2 * word + 8 ? 2 : -1;
      if (w0 >= s.size || field < 0) return fail(ErrorKind::Malformed, at, head + fmt(" is at 0x%llx, not a pointer field of an entry", ull(w0)));
      if (!reloc_of.emplace(std::make_pair(w0 / entry, field), at).second)
        return fail(ErrorKind::Malformed, at, head + " relocates a field already relocated");
    }
    static const char* const field_name[3] = {"function", "personality", "LSDA"};
    for (uint64_t i = 0; i < n; i++) {
      const uint64_t base = s.offset + i * entry;
      const std::string head = fmt("%s: entry %llu (file offset 0x%llx)", sec.c_str(), ull(i), ull(base));
      UnwindEntry u;
      u.length = uint32_t(rd(b, base + word, 4));
      u.encoding = uint32_t(rd(b, base + word + 4, 4));
      u.file_offset = base;
      for (int f = 0; f < 3; f++) {
        const uint64_t field_at = f == 0 ? 0 : word + 8 + (f - 1) * word;
        const uint64_t v = rd(b, base + field_at, int(word));
        auto it = reloc_of.find({i, f});
        if (it == reloc_of.end()) {
          if (f == 0 || v != 0) return fail(ErrorKind::Malformed, base, head + ": " + field_name[f] + " field not relocated");
          continue;
        }
        const uint64_t w1 = rd(b, it->second + 4, 4), num = w1 & 0xffffff;
        uint64_t addr = v;
        int ts = -1;
        if ((w1 >> 27) & 1) {
          if (num >= syms.size() || syms[num].stab())
            return fail(ErrorKind::Malformed, base, head + ": " + field_name[f] + " relocation names no usable symbol");
          const Sym& y = syms[num];
          if (y.kind() == kNSect) {
            ts = y.sect - 1;
            addr = y.value + v;
          } else if (f != 0 && y.kind() == kNUndf) {  // undefined or common: bound by name
            u.target[f].symbol = y.name;
            u.target[f].offset = v;
            continue;
          } else {
            return fail(ErrorKind::Malformed, base, head + ": " + field_name[f] + " names '" + y.name + "', not defined in a section");
          }
        } else {
          if (num == 0 || num > secs.size())
            return fail(ErrorKind::Malformed, base, head + ": " + field_name[f] + fmt(" relocation names section %llu, out of range", ull(num)));
          ts = int(num - 1);
        }
        const Sec& t = secs[ts];
        if (!t.loads) return fail(ErrorKind::Malformed, base, head + ": " + field_name[f] + " lies in " + t.name + ", which is not loaded");
        const uint64_t span = t.size ? t.size : 1;
        if (addr < t.addr || addr - t.addr >= span)
          return fail(ErrorKind::Malformed, base, head + ": " + field_name[f] + fmt(" address 0x%llx lies outside ", ull(addr)) + t.name);
        if (f == 0 && addr - t.addr + u.length > t.size)
          return fail(ErrorKind::Malformed, base, head + ": function runs past the end of " + t.name);
        u.target[f].sec = ts;
        u.target[f].offset = addr - t.addr;
      }
      unwind.push_back(u);
    }
  }
  return true;
}

// Relocation entries: decoded, and the checks that need no address.
bool Obj::read_relocations() {
  rels.assign(secs.size(), {});
  for (size_t si = 0; si < secs.size(); si++) {
    Sec& s = secs[si];
    if (!s.loads) continue;
    for (uint64_t j = 0; j < s.nreloc; j++) {
      uint64_t at = s.reloff + j * 8;
      uint64_t w0 = rd(b, at, 4), w1 = rd(b, at + 4, 4);
      Rel r;
      if ((w0 & kRScattered) && is32) {
        // scattered_relocation_info, from bit 0: r_address:24, r_type:4,
        // r_length:2, r_pcrel:1, R_SCATTERED; then r_value.
        r.scattered = true;
        r.address = uint32_t(w0 % (1u << 24));
        r.type = uint32_t((w0 >> 24) % 16);
        r.length = uint32_t((w0 >> 28) % 4);
        r.pcrel = (w0 >> 30) % 2 == 1;
        r.value = uint32_t(w1);
        r.file_offset = at;
        rels[si].push_back(r);
        continue;
      }
      if (w0 & kRScattered) return fail(ErrorKind::Unsupported, at, "scattered relocation in a 64-bit object");
      r.address = uint32_t(w0);
      r.symbolnum = uint32_t(w1 & 0xffffff);
      r.pcrel = (w1 >> 24) & 1;
      r.length = (w1 >> 25) & 3;
      r.ext = (w1 >> 27) & 1;
      r.type = uint32_t(w1 >> 28);
      r.file_offset = at;
      rels[si].push_back(r);
    }
    if (cputype == kCpuTypeI386) {
      if (!check_i386(si)) return false;
      continue;
    }
    if (cputype == kCpuTypeArm) {
      if (!check_arm(si)) return false;
      continue;
    }
    std::vector<Rel>& list = rels[si];
    for (size_t j = 0; j < list.size(); j++) {
      const Rel& r = list[j];
      auto bad = [&](ErrorKind k, const std::string& why) { return bad_entry(s, r, k, why); };
      if (r.address > s.size) return bad(ErrorKind::Malformed, "past the end of its section");
      if (arm64) {
        if (!check_arm64(s, list, j)) return false;
        continue;
      }
      if (!check_target(s, r)) return false;
      const bool after_sub = j > 0 && list[j - 1].type == kX86_64Subtractor;
      if (after_sub && r.type != kX86_64Unsigned) return bad(ErrorKind::Malformed, "follows a SUBTRACTOR but is not UNSIGNED");
      if (!r.ext && r.symbolnum == 0 && r.type != kX86_64Unsigned) return bad(ErrorKind::Unsupported, "R_ABS with a type other than UNSIGNED");
      // Per type: r_pcrel, r_length, the field inside the section.
      bool pcrel = true, len2 = true, len3 = false;
      switch (r.type) {
        case kX86_64Unsigned: case kX86_64Subtractor: pcrel = false; len3 = true; break;
        case kX86_64Signed: case kX86_64Signed1: case kX86_64Signed2: case kX86_64Signed4: case kX86_64Branch:
        case kX86_64GotLoad: case kX86_64Got: case kX86_64Tlv: break;
        default: return bad(ErrorKind::Unsupported, "unknown type");
      }
      if (r.pcrel != pcrel)
        return bad(ErrorKind::Malformed, pcrel ? "is not pc-relative (r_pcrel 0), as its type must be"
                                               : "is pc-relative (r_pcrel 1), which its type cannot be");
      if (!((len2 && r.length == 2) || (len3 && r.length == 3)))
        return bad(ErrorKind::Malformed, fmt("has r_length %u, which its type does not take", r.length));
      if (!inside(r.address, uint64_t(1) << r.length, s.size)) return bad(ErrorKind::Malformed, "field outside its section");
      if ((r.type == kX86_64GotLoad || r.type == kX86_64Got) && !r.ext) return bad(ErrorKind::Malformed, "GOT form not extern");
      if (r.type == kX86_64Tlv && !served)  // reference.h, "Mach-O TLV": served only where a host runs the code
        return bad(ErrorKind::Unsupported, "is a thread-local variable access: TLV is not supported yet on a simulated "
                                           "target (served under rtdyld -execute)");
      if (r.type == kX86_64Tlv && !r.ext) return bad(ErrorKind::Malformed, "TLV form not extern");
      if (r.type == kX86_64Subtractor) {
        if (r.symbolnum == 0 && !r.ext) return bad(ErrorKind::Unsupported, "subtracts R_ABS");
        if (j + 1 >= list.size() || list[j + 1].type != kX86_64Unsigned || list[j + 1].address != r.address ||
            list[j + 1].length != r.length)
          return bad(ErrorKind::Malformed, "is not followed by an X86_64_RELOC_UNSIGNED on the same field");
      }
      // GOT slots and stubs: one per symbol, in order of first use.
      auto add_once = [](std::vector<uint32_t>& v, uint32_t x) {
        for (uint32_t y : v)
          if (y == x) return;
        v.push_back(x);
      };
      if (r.type == kX86_64GotLoad || r.type == kX86_64Got || r.type == kX86_64Tlv) add_once(got_syms, r.symbolnum);
      if (r.type == kX86_64Branch && r.ext && syms[r.symbolnum].by_name()) add_once(stub_syms, r.symbolnum);
    }
    // A SUBTRACTOR shares its UNSIGNED's field; an ADDEND has none.
    auto own = [&](const Rel& r) {
      return arm64 ? r.type != kArm64Subtractor && r.type != kArm64Addend : r.type != kX86_64Subtractor;
    };
    if (!check_overlaps(s, list, own, [](const Rel& r) { return uint64_t(1) << r.length; })) return false;
  }
  ok = true;
  return true;
}

// arm64 entry checks (reference.h, "Mach-O arm64"), row by row from
// <mach-o/arm64/reloc.h>: binding, then per type r_pcrel, r_length,
// r_extern, the field inside the section and the instruction it patches;
// then the GOT slots and veneers it needs.
uint32_t insn_at(const Obj& o, const Sec& s, uint32_t address) {
  if (s.zerofill() || !inside(address, 4, s.size)) return 0;
  return uint32_t(rd(o.b, s.offset + address, 4));
}
bool arm64_adrp(uint32_t i) { return (i & 0x9f000000) == 0x90000000; }         // ADRP
bool arm64_branch(uint32_t i) { return (i & 0x7c000000) == 0x14000000; }       // B, BL
bool arm64_add_imm(uint32_t i) { return (i & 0x1f000000) == 0x11000000; }      // ADD/SUB (immediate)
bool arm64_ldst_uoff(uint32_t i) { return (i & 0x3b000000) == 0x39000000; }    // LDR/STR (unsigned offset)
// log2 of a load/store's access size: bits 31:30, or 4 for the 128-bit
// SIMD form (size 0, V set, opc bit 1 set).
int arm64_access_log2(uint32_t i) {
  if ((i >> 30) == 0 && (i & (1u << 26)) && (i & (1u << 23))) return 4;
  return int(i >> 30);
}

bool Obj::check_arm64(const Sec& s, const std::vector<Rel>& list, size_t j) {
  const Rel& r = list[j];
  auto bad = [&](ErrorKind k, const std::string& why) { return bad_entry(s, r, k, why); };
  const uint32_t t = r.type;
  // An ADDEND's r_symbolnum is its value, naming nothing.
  if (t != kArm64Addend && !check_target(s, r)) return false;
  const bool after_sub = j > 0 && list[j - 1].type == kArm64Subtractor;
  const bool after_addend = j > 0 && list[j - 1].type == kArm64Addend;
  if (after_sub && t != kArm64Unsigned) return bad(ErrorKind::Malformed, "follows a SUBTRACTOR but is not UNSIGNED");
  if (after_addend && t != kArm64Page21 && t != kArm64Pageoff12 && t != kArm64Branch26)
    return bad(ErrorKind::Malformed, "follows an ADDEND but is not PAGE21, PAGEOFF12 or BRANCH26");
  if (!r.ext && r.symbolnum == 0 && t != kArm64Unsigned && t != kArm64Addend)
    return bad(ErrorKind::Unsupported, "R_ABS with a type other than UNSIGNED");
  // The table: r_pcrel, the r_length values, extern required.
  int pcrel = 0;
  bool len2 = true, len3 = false, ext_only = false;
  switch (t) {
    case kArm64Unsigned: case kArm64Subtractor: len3 = true; break;
    case kArm64Branch26: case kArm64Page21: case kArm64GotLoadPage21: case kArm64TlvpLoadPage21: pcrel = 1; ext_only = true; break;
    case kArm64Pageoff12: case kArm64GotLoadPageoff12: case kArm64TlvpLoadPageoff12: ext_only = true; break;
    case kArm64PointerToGot: pcrel = r.pcrel; len2 = r.pcrel; len3 = !r.pcrel; ext_only = true; break;
    case kArm64Addend: break;
    default: return bad(ErrorKind::Unsupported, "unknown type");
  }
  if (t == kArm64Addend && (r.pcrel || r.length != 2 || r.ext))
    return bad(ErrorKind::Malformed, "an ADDEND takes r_pcrel 0, r_length 2, r_extern 0");
  if (int(r.pcrel) != pcrel)
    return bad(ErrorKind::Malformed, pcrel ? "is not pc-relative (r_pcrel 0), as its type must be"
                                           : "is pc-relative (r_pcrel 1), which its type cannot be");
  if (!((len2 && r.length == 2) || (len3 && r.length == 3)))
    return bad(ErrorKind::Malformed, fmt("has r_length %u, which its type does not take", r.length));
  if (!inside(r.address, uint64_t(1) << r.length, s.size)) return bad(ErrorKind::Malformed, "field outside its section");
  if (t == kArm64TlvpLoadPage21 || t == kArm64TlvpLoadPageoff12) return bad(ErrorKind::Unsupported, "TLVP is not supported yet");
  if (ext_only && !r.ext)
    return bad(t == kArm64Branch26 || t == kArm64Page21 || t == kArm64Pageoff12 ? ErrorKind::Unsupported : ErrorKind::Malformed,
               "is not extern: an instruction carries no offset into a section");
  const uint32_t insn = insn_at(*this, s, r.address);
  if (t == kArm64Branch26 && !arm64_branch(insn)) return bad(ErrorKind::Malformed, "is not on a B or BL");
  if ((t == kArm64Page21 || t == kArm64GotLoadPage21) && !arm64_adrp(insn)) return bad(ErrorKind::Malformed, "is not on an ADRP");
  if (t == kArm64Pageoff12 && !arm64_ldst_uoff(insn) && !arm64_add_imm(insn))
    return bad(ErrorKind::Malformed, "is not on an ADD immediate or a load/store with an unsigned offset");
  if (t == kArm64GotLoadPageoff12 && !arm64_ldst_uoff(insn)) return bad(ErrorKind::Malformed, "is not on a load with an unsigned offset");
  if (t == kArm64Subtractor &&
      (j + 1 >= list.size() || list[j + 1].type != kArm64Unsigned || list[j + 1].address != r.address ||
       list[j + 1].length != r.length))
    return bad(ErrorKind::Malformed, "is not followed by an ARM64_RELOC_UNSIGNED on the same field");
  if (t == kArm64Addend && (j + 1 >= list.size() || list[j + 1].address != r.address))
    return bad(ErrorKind::Malformed, "is not followed by an entry on its own field");
  auto add_once = [](std::vector<uint32_t>& v, uint32_t x) {
    for (uint32_t y : v)
      if (y == x) return;
    v.push_back(x);
  };
  if (t == kArm64GotLoadPage21 || t == kArm64GotLoadPageoff12 || t == kArm64PointerToGot) add_once(got_syms, r.symbolnum);
  if (t == kArm64Branch26 && syms[r.symbolnum].by_name()) add_once(stub_syms, r.symbolnum);
  return true;
}

// i386 relocation entries (<mach-o/reloc.h>, the generic types): the checks
// that need no address, in the order the rules in reference.h ("Mach-O
// i386") list them. A scattered entry names its target by r_value, an
// address of the file, held by some loaded section.
bool Obj::check_i386(size_t si) {
  const Sec& s = secs[si];
  std::vector<Rel>& list = rels[si];
  auto is_diff = [](const Rel& r) { return r.type == kGenericSectdiff || r.type == kGenericLocalSectdiff; };
  for (size_t j = 0; j < list.size(); j++) {
    const Rel& r = list[j];
    auto bad = [&](ErrorKind k, const std::string& why) { return bad_entry(s, r, k, why); };
    if (r.type == kGenericPair) {  // its r_address is no offset; the SECTDIFF before it checked it
      if (j == 0 || !is_diff(list[j - 1]) || !list[j - 1].scattered) return bad(ErrorKind::Malformed, "follows no SECTDIFF");
      continue;
    }
    if (r.address > s.size) return bad(ErrorKind::Malformed, "past the end of its section");
    if (!check_target(s, r)) return false;
    const bool r_abs = !r.scattered && !r.ext && r.symbolnum == 0;
    if (r_abs && r.type != kGenericVanilla) return bad(ErrorKind::Unsupported, "R_ABS with a type other than VANILLA");
    // Per type: may it be pc-relative, absolute; its r_lengths.
    bool pcrel_ok = false;
    uint32_t min_len = 2;
    switch (r.type) {
      case kGenericVanilla: pcrel_ok = true; min_len = 0; break;
      case kGenericSectdiff: case kGenericLocalSectdiff: min_len = 0; break;
      case kGenericTlv: pcrel_ok = true; break;  // pcrel: clang's PIC form (reference.h)
      case kGenericPbLaPtr: break;
      default: return bad(ErrorKind::Unsupported, "unknown type");
    }
    if (r.pcrel && !pcrel_ok) return bad(ErrorKind::Malformed, "is pc-relative (r_pcrel 1), which its type cannot be");
    if (r.length > 2 || r.length < min_len) return bad(ErrorKind::Malformed, fmt("has r_length %u, which its type does not take", r.length));
    if (!inside(r.address, uint64_t(1) << r.length, s.size)) return bad(ErrorKind::Malformed, "field outside its section");
    if (r.type == kGenericVanilla && r_abs && r.pcrel) return bad(ErrorKind::Unsupported, "pc-relative to R_ABS");
    if (is_diff(r)) {
      if (!r.scattered) return bad(ErrorKind::Malformed, "is not scattered");
      if (j + 1 >= list.size()) return bad(ErrorKind::Malformed, "is the last entry: a PAIR must follow it");
      const Rel& q = list[j + 1];
      if (q.type != kGenericPair || !q.scattered || q.length != r.length || q.pcrel)
        return bad(ErrorKind::Malformed, "is not followed by a scattered GENERIC_RELOC_PAIR of its r_length");
      if (holder(q.value) < 0) return bad_entry(s, q, ErrorKind::Malformed, "subtrahend in no loaded section");
    }
    if (r.type == kGenericPbLaPtr && !r.scattered) return bad(ErrorKind::Malformed, "PB_LA_PTR is not scattered");
    if (r.type == kGenericTlv) {
      if (r.scattered || !r.ext) return bad(ErrorKind::Malformed, "TLV is not extern");
      bool seen = false;  // one slot per symbol, in order of first use
      for (uint32_t g : got_syms) seen |= g == r.symbolnum;
      if (!seen) got_syms.push_back(r.symbolnum);
    }
  }
  // A PAIR has no field of its own.
  return check_overlaps(s, list, [](const Rel& r) { return r.type != kGenericPair; },
                        [](const Rel& r) { return uint64_t(1) << r.length; });
}

// An extern ARM branch's addend: the file address its field reaches (BR24:
// from P + 8, imm24 << 2 | H << 1 for BLX; BR22: from P + 4, Align(P + 4,
// 4) for BLX, S:I1:I2:imm10:imm11 << 1), as a signed 32-bit value.
int64_t arm_branch_addend(const Rel& r, uint32_t f, uint64_t section_addr) {
  const uint64_t P = section_addr + r.address;
  int64_t off;
  uint64_t base;
  if (r.type == kArmBr24) {
    off = int64_t(int32_t(f << 8)) >> 6;
    if ((f >> 25) == 0x7d) off |= int64_t((f >> 24) & 1) << 1;
    base = P + 8;
  } else {
    const uint32_t h1 = f & 0xffff, h2 = f >> 16;
    const uint32_t sb = (h1 >> 10) & 1, i1 = !(((h2 >> 13) & 1) ^ sb), i2 = !(((h2 >> 11) & 1) ^ sb);
    off = (int64_t(sb ? -1 : 0) << 24) | int64_t(i1) << 23 | int64_t(i2) << 22 | int64_t(h1 & 0x3ff) << 12 | int64_t(h2 & 0x7ff) << 1;
    base = (h2 & 0x1000) ? P + 4 : (P + 4) / 4 * 4;
  }
  return int64_t(int32_t(uint32_t(base + uint64_t(off))));
}

// A branch's stub symbol: extern to a global (N_EXT, not N_PEXT) or a name
// bound by name, addend 0: that symbol; non-extern to the address of a
// global defined in a loaded section: that global; else -1 (direct).
int64_t Obj::arm_stub_symbol(const Sec& s, const Rel& r) const {
  if ((r.type != kArmBr24 && r.type != kArmThumbBr22) || r.scattered) return -1;
  const uint32_t f = s.zerofill() ? 0 : uint32_t(rd(b, s.offset + r.address, 4));
  const int64_t a = arm_branch_addend(r, f, s.addr);
  if (r.ext) {
    const Sym& y = syms[r.symbolnum];
    return (y.by_name() || (y.ext() && !(y.type & kNPext))) && a == 0 ? int64_t(r.symbolnum) : -1;
  }
  if (r.symbolnum == 0) return -1;
  for (size_t i = 0; i < syms.size(); i++) {
    const Sym& y = syms[i];
    if (y.ext() && !(y.type & kNPext) && !y.stab() && y.kind() == kNSect && y.sect >= 1 && y.sect <= secs.size() &&
        secs[y.sect - 1].loads && y.value == uint64_t(uint32_t(a)))
      return int64_t(i);
  }
  return -1;
}

// ARM relocation entries (<mach-o/arm/reloc.h>): the checks that need no
// address (reference.h, "Mach-O ARM"), in the engine's order of concerns:
// the entry's place and target, then its type's r_pcrel, r_length, field
// and pairing.
bool Obj::check_arm(size_t si) {
  const Sec& s = secs[si];
  std::vector<Rel>& list = rels[si];
  auto width = [](const Rel& r) -> uint64_t {
    return r.type == kArmBr24 || r.type == kArmThumbBr22 || r.type == kArmHalf || r.type == kArmHalfSectdiff ? 4 : uint64_t(1) << r.length;
  };
  for (size_t j = 0; j < list.size(); j++) {
    const Rel& r = list[j];
    auto bad = [&](ErrorKind k, const std::string& why) { return bad_entry(s, r, k, why); };
    if (r.type == kArmPair) {
      const uint32_t h = j ? list[j - 1].type : 99;
      if (h != kArmHalf && h != kArmHalfSectdiff && h != kArmSectdiff && h != kArmLocalSectdiff)
        return bad(ErrorKind::Malformed, "follows no HALF, HALF_SECTDIFF or SECTDIFF");
      continue;
    }
    if (r.address > s.size) return bad(ErrorKind::Malformed, "past the end of its section");
    if (!check_target(s, r)) return false;
    const bool r_abs = !r.scattered && !r.ext && r.symbolnum == 0;
    if (r_abs && r.type != kArmVanilla && r.type != kArmHalf) return bad(ErrorKind::Unsupported, "R_ABS with a type other than VANILLA or HALF");
    bool pcrel = false, len_ok = r.length == 2;
    switch (r.type) {
      case kArmVanilla: case kArmSectdiff: case kArmLocalSectdiff: case kArmPbLaPtr: break;
      case kArmBr24: case kArmThumbBr22: pcrel = true; break;
      case kArmHalf: case kArmHalfSectdiff: len_ok = true; break;
      default: return bad(ErrorKind::Unsupported, "unknown or obsolete type");
    }
    if (r.pcrel != pcrel) return bad(ErrorKind::Malformed, pcrel ? "is not pc-relative (r_pcrel 0)" : "is pc-relative (r_pcrel 1), which its type cannot be");
    if (!len_ok) return bad(ErrorKind::Malformed, fmt("has r_length %u, which its type does not take", r.length));
    if (!inside(r.address, width(r), s.size)) return bad(ErrorKind::Malformed, "field outside its section");
    if (r.type == kArmThumbBr22) {
      const uint64_t f = s.zerofill() ? 0 : rd(b, s.offset + r.address, 4);
      // BL/BLX: hw2 11x1 / 11x0; B.W (T4): hw2 10x1.
      if ((f & 0xf800) != 0xf000 || (((f >> 16) & 0xc000) != 0xc000 && ((f >> 16) & 0xd000) != 0x9000))
        return bad(ErrorKind::Malformed, "not on a Thumb BL, BLX or B.W");
    }
    const bool diff = r.type == kArmSectdiff || r.type == kArmLocalSectdiff || r.type == kArmHalfSectdiff;
    if (diff && !r.scattered) return bad(ErrorKind::Malformed, "is not scattered");
    if (diff || r.type == kArmHalf) {
      if (j + 1 >= list.size()) return bad(ErrorKind::Malformed, "is the last entry: a PAIR must follow it");
      const Rel& q = list[j + 1];
      if (q.type != kArmPair || q.length != r.length || q.pcrel || (diff && !q.scattered))
        return bad(ErrorKind::Malformed, "is not followed by an ARM_RELOC_PAIR of its r_length");
      if (diff && holder(q.value) < 0) return bad_entry(s, q, ErrorKind::Malformed, "subtrahend in no loaded section");
    }
    if (r.type == kArmPbLaPtr && !r.scattered) return bad(ErrorKind::Malformed, "PB_LA_PTR is not scattered");
    if (const int64_t g = arm_stub_symbol(s, r); g >= 0) {
      // Through a stub of the caller's mode, one per (symbol, mode), in
      // order of first use.
      const uint32_t sym = uint32_t(g);
      const uint8_t mode = r.type == kArmThumbBr22;
      bool seen = false;
      for (size_t x = 0; x < stub_syms.size(); x++) seen |= stub_syms[x] == sym && stub_thumb[x] == mode;
      if (!seen) {
        stub_syms.push_back(sym);
        stub_thumb.push_back(mode);
      }
    }
  }
  return check_overlaps(s, list, [](const Rel& r) { return r.type != kArmPair; }, width);
}

// Symbol pointer sections (S_NON_LAZY_SYMBOL_POINTERS, S_LAZY_SYMBOL_POINTERS:
// reference.h, "Mach-O"): slot k is the address of the symbol the indirect
// symbol table names at reserved1 + k, unless INDIRECT_SYMBOL_LOCAL or
// _ABS (0x80000000, 0x40000000) mark it, or a relocation covers it; a
// relocation that starts inside a slot is malformed.
bool Obj::check_pointers() {
  const uint64_t w = is32 ? 4 : 8;
  for (size_t si = 0; si < secs.size(); si++) {
    const Sec& s = secs[si];
    const uint32_t t = s.flags & kSectionTypeMask;
    if (!s.loads || (t != 6 && t != 7)) continue;
    if (s.size % w) return fail(ErrorKind::Malformed, 0, "symbol pointer section " + s.name + ": size not a multiple of a pointer");
    if (s.reserved1 + s.size / w > indirect_count)
      return fail(ErrorKind::Malformed, 0, "symbol pointer section " + s.name + ": slots outside the indirect symbol table");
    // Every relocation (but a 32-bit PAIR, whose r_address is no offset)
    // starts at a slot: one inside a slot would share bytes with its fill.
    for (const Rel& r : rels[si])
      if (!(is32 && r.type == 1) && r.address % w)
        return fail(ErrorKind::Malformed, r.file_offset,
                    fmt("symbol pointer section %s: relocation at offset 0x%x does not start at a slot", s.name.c_str(), r.address));
    for (uint64_t k = 0; k < s.size / w; k++) {
      const uint64_t at = indirect_off + 4 * (s.reserved1 + k);
      const uint64_t idx = rd(b, at, 4);
      if (idx & 0xc0000000) continue;
      if (idx >= syms.size() || syms[idx].stab()) return fail(ErrorKind::Malformed, at, "symbol pointer slot names no symbol");
      bool covered = false;
      for (const Rel& r : rels[si]) covered |= r.address == k * w;
      if (covered) continue;
      const Sym& y = syms[idx];
      if (!y.by_name() && y.kind() == kNSect && !secs[y.sect - 1].loads)
        return fail(ErrorKind::Unsupported, at, "symbol pointer slot names a symbol in a section not loaded");
      pointer_slots.push_back({si, k * w, uint32_t(idx)});
    }
  }
  return true;
}

// Scenario keys (reference.h, "Placement"): "@K:key" first, then "key".
std::optional<uint64_t> mapped(const Scenario& sc, size_t k, const std::string& key) {
  std::string mine = "@" + std::to_string(k) + ":" + key;
  for (const auto& [n, a] : sc.section_addresses)
    if (n == mine) return a;
  for (const auto& [n, a] : sc.section_addresses)
    if (n == key) return a;
  return std::nullopt;
}

struct Program {
  std::vector<Obj*> objs;
  std::map<std::string, std::pair<size_t, uint32_t>> chosen;  // name -> (object, symbol)
  const Scenario* sc = nullptr;

  uint64_t own_address(const Obj& o, uint32_t i) const {
    const Sym& y = o.syms[i];
    if (y.common()) return o.common_address + o.common_offset[i];
    if (y.kind() == kNAbs) return y.value;
    const Sec& s = o.secs[y.sect - 1];
    // (ARM: a Thumb function's address has its low bit set)
    return s.address + (y.value - s.addr) + (o.cputype == kCpuTypeArm && (y.desc & kNArmThumbDef) ? 1 : 0);
  }
  // Rule L6 with the Mach-O prefix: the set, then outside it by the name
  // without its '_' first, then as spelled.
  std::optional<uint64_t> outside(const std::string& n) const {
    for (const auto& [name, a] : sc->externals)
      if (name == n) return a;
    if (sc->has_extern_default) return sc->extern_default;
    if (sc->default_externals) return default_extern_address(n, sc->extern_base);
    return std::nullopt;
  }
  std::optional<uint64_t> by_name(const std::string& n) const {
    auto it = chosen.find(n);
    if (it != chosen.end()) return own_address(*objs[it->second.first], it->second.second);
    if (n.size() > 1 && n[0] == '_')
      if (auto a = outside(n.substr(1))) return a;
    return outside(n);
  }
};

// One i386 section's relocations (reference.h, "Mach-O i386"). Every
// target is an address of the file moved with the section holding it:
// move(i) = new address - file address of section i. A pc-relative field
// was measured from its own end, P + W.
void relocate_i386(Obj& o, size_t si, const std::function<std::optional<uint64_t>(uint32_t, bool&)>& symbol_value) {
  Result& R = o.result;
  Sec& s = o.secs[si];
  const std::vector<Rel>& list = o.rels[si];
  auto move = [&](int i) { return o.secs[i].address - o.secs[i].addr; };
  // An offset from a section's file address, as 32-bit arithmetic has it.
  auto off32 = [](uint64_t v) { return int64_t(int32_t(uint32_t(v))); };
  for (size_t j = 0; j < list.size(); j++) {
    const Rel& r = list[j];
    Relocation out;
    out.section_index = uint32_t(si + 1);
    out.section = s.name;
    out.offset = r.address;
    out.type = r.type | r.length << 4 | (r.pcrel ? 0x40 : 0);  // reference.h, "Mach-O i386": r_pcrel in bit 6
    out.type_name = i386_type_name(r.type);
    out.file_offset = r.file_offset;
    const int target_sec = r.scattered ? o.holder(r.value) : (!r.ext && r.symbolnum && r.type != kGenericPair) ? int(r.symbolnum - 1) : -1;
    if (r.ext && !r.scattered && r.type != kGenericPair) out.symbol = o.syms[r.symbolnum].name;  // (a PAIR's r_symbolnum is no index)
    else if (target_sec >= 0) {
      out.symbol = o.secs[target_sec].name;
      out.symbol_is_section = true;
    }
    if (r.type == kGenericPair) {
      out.status = "none";
      out.via = "none";
      R.relocations.push_back(out);
      continue;
    }
    const uint64_t W = uint64_t(1) << r.length;
    const int64_t content = s.zerofill() ? 0 : sign_extend(rd(o.b, s.offset + r.address, int(W)), int(W));
    const uint64_t P = s.address + r.address, P_old = s.addr + r.address;
    auto error = [&](ErrorKind k, const std::string& why) {
      out.status = "error";
      out.error = fmt("%s:(%s+0x%x): relocation %s %s", o.name.c_str(), s.name.c_str(), r.address, i386_type_name(r.type), why.c_str());
      if (R.relocation_errors++ == 0) {
        R.error.kind = k;
        R.error.file_offset = r.file_offset;
        R.error.message = out.error;
      }
      R.loaded = false;
    };
    // The field's bounds: absolute [-2^(8W-1), 2^(8W)); pc-relative of 4
    // bytes, any 32-bit distance (-2^32, 2^32); shorter pc-relative ones
    // [-2^(8W-1), 2^(8W-1)).
    auto write = [&](uint64_t value, bool pcrel) {
      const int64_t v = int64_t(value), half = int64_t(1) << (8 * W - 1);
      const bool fits = pcrel ? (W == 4 ? v > -(int64_t(1) << 32) && v < (int64_t(1) << 32) : v >= -half && v < half)
                              : v >= -half && v < 2 * half;
      if (!fits) {
        error(ErrorKind::Overflow, fmt("out of range: %lld does not fit the %llu-byte field", (long long)v, ull(W)));
        return;
      }
      for (uint64_t i = 0; i < W; i++) s.bytes[r.address + i] = uint8_t(value >> (8 * i));
      out.status = "applied";
      out.value = value;
    };
    const bool r_abs = !r.scattered && !r.ext && r.symbolnum == 0;
    switch (r.type) {
      case kGenericVanilla: {
        const uint64_t end_old = r.pcrel ? P_old + W : 0, end_new = r.pcrel ? P + W : 0;
        uint64_t T;  // the target's new address
        if (r.ext && !r.scattered) {
          bool wz;
          auto a = symbol_value(r.symbolnum, wz);
          if (a && *a == ~uint64_t(0)) { out.status = "none"; out.via = "none"; break; }
          out.addend = r.pcrel ? off32(uint64_t(content) + end_old) : content;
          if (!a) { error(ErrorKind::Unresolved, "refers to undefined symbol '" + o.syms[r.symbolnum].name + "'"); break; }
          T = *a + uint64_t(out.addend);
        } else if (r_abs) {
          out.addend = content;
          T = uint64_t(content);
        } else {
          // The file's target address (the field's end + content when
          // pc-relative), its offset in the section, that section moved.
          const uint64_t file_target = uint64_t(content) + end_old;
          out.addend = off32(file_target - o.secs[target_sec].addr);
          T = o.secs[target_sec].address + uint64_t(out.addend);
        }
        out.via = "direct";
        out.effective = T;
        write(T - end_new, r.pcrel);
        break;
      }
      case kGenericSectdiff: case kGenericLocalSectdiff: {
        // The field: rA - rB + k. Each of rA, rB moves with its own section.
        const Rel& q = list[j + 1];
        const int hb = o.holder(q.value);
        const uint64_t A_new = r.value + move(target_sec), B_new = q.value + move(hb);
        const int64_t k = content - (int64_t(r.value) - int64_t(q.value));
        out.addend = content + int64_t(q.value) - int64_t(o.secs[target_sec].addr);
        out.via = "none";
        out.effective = 0;
        write(A_new - B_new + uint64_t(k), false);
        break;
      }
      case kGenericPbLaPtr: {  // dyld's reset of a prebound lazy pointer: r_value, moved
        out.addend = int64_t(r.value) - int64_t(o.secs[target_sec].addr);
        out.via = "direct";
        out.effective = r.value + move(target_sec);
        write(out.effective, false);
        break;
      }
      case kGenericTlv: {  // the address of a slot holding the descriptor's
        bool wz;
        auto a = symbol_value(r.symbolnum, wz);
        if (a && *a == ~uint64_t(0)) { out.status = "none"; out.via = "none"; break; }
        out.addend = content;
        if (!a) { error(ErrorKind::Unresolved, "refers to undefined symbol '" + o.syms[r.symbolnum].name + "'"); break; }
        uint64_t slot = 0;
        for (size_t g = 0; g < o.got_syms.size(); g++)
          if (o.got_syms[g] == r.symbolnum) slot = g;
        out.via = "got";
        out.effective = *a;
        // pc-relative: from the field's end, the contents already the
        // distance from that end to the code's pic base (reference.h).
        write(o.got_address + 4 * slot + uint64_t(content) - (r.pcrel ? P + 4 : 0), r.pcrel);
        break;
      }
    }
    R.relocations.push_back(out);
  }
}

// One ARM section's relocations (reference.h, "Mach-O ARM"): the generic
// forms as relocate_i386 writes them; branches decoded to the file's
// target, moved, re-encoded (interworking by the target's low bit when the
// entry names a symbol); movw/movt halves of the 32-bit word their PAIR
// completes.
void relocate_arm(Obj& o, size_t si, const std::function<std::optional<uint64_t>(uint32_t, bool&)>& symbol_value) {
  Result& R = o.result;
  Sec& s = o.secs[si];
  const std::vector<Rel>& list = o.rels[si];
  auto move = [&](int i) { return o.secs[i].address - o.secs[i].addr; };
  auto off32 = [](uint64_t v) { return int64_t(int32_t(uint32_t(v))); };
  auto fits = [](int64_t v, int bits) { return v >= -(int64_t(1) << (bits - 1)) && v < (int64_t(1) << (bits - 1)); };
  for (size_t j = 0; j < list.size(); j++) {
    const Rel& r = list[j];
    Relocation out;
    out.section_index = uint32_t(si + 1);
    out.section = s.name;
    out.offset = r.address;
    out.type = r.type | r.length << 4 | (r.pcrel ? 0x40 : 0);
    out.type_name = arm_type_name(r.type);
    out.file_offset = r.file_offset;
    const bool ext = r.ext && !r.scattered;
    const int target_sec = r.scattered ? o.holder(r.value) : (!r.ext && r.symbolnum && r.type != kArmPair) ? int(r.symbolnum - 1) : -1;
    if (ext && r.type != kArmPair) out.symbol = o.syms[r.symbolnum].name;  // (a PAIR's r_symbolnum is no index)
    else if (target_sec >= 0) {
      out.symbol = o.secs[target_sec].name;
      out.symbol_is_section = true;
    }
    if (r.type == kArmPair) {
      out.status = "none";
      out.via = "none";
      R.relocations.push_back(out);
      continue;
    }
    const uint64_t P = s.address + r.address, P_old = s.addr + r.address;
    const uint32_t field = s.zerofill() ? 0 : uint32_t(rd(o.b, s.offset + r.address, 4));
    auto error = [&](ErrorKind k, const std::string& why) {
      out.status = "error";
      out.error = fmt("%s:(%s+0x%x): relocation %s %s", o.name.c_str(), s.name.c_str(), r.address, arm_type_name(r.type), why.c_str());
      if (R.relocation_errors++ == 0) {
        R.error.kind = k;
        R.error.file_offset = r.file_offset;
        R.error.message = out.error;
      }
      R.loaded = false;
    };
    auto put32 = [&](uint32_t w) {
      for (int i = 0; i < 4; i++) s.bytes[r.address + i] = uint8_t(w >> (8 * i));
    };
    // S of the entry's symbol (nullopt: unresolved, or llvm-rtdyld's "leave unapplied").
    bool skip = false;
    auto S = [&]() -> std::optional<uint64_t> {
      bool wz;
      auto a = symbol_value(r.symbolnum, wz);
      if (a && *a == ~uint64_t(0)) skip = true;
      return a;
    };
    const bool r_abs = !r.scattered && !r.ext && r.symbolnum == 0;
    // T: the target's new address from its file address (and the addend
    // the engine reports for it).
    auto target = [&](uint64_t file_address, uint64_t& T) -> bool {
      if (ext) {
        out.addend = off32(file_address);
        auto a = S();
        if (skip) return false;
        if (!a) { error(ErrorKind::Unresolved, "refers to undefined symbol '" + o.syms[r.symbolnum].name + "'"); return false; }
        T = *a + uint64_t(out.addend);
      } else if (r_abs) {
        out.addend = int64_t(int32_t(uint32_t(file_address)));
        T = uint64_t(out.addend);
      } else {
        out.addend = off32(file_address - o.secs[target_sec].addr);
        T = o.secs[target_sec].address + uint64_t(out.addend);
      }
      return true;
    };
    auto half_of = [&](uint32_t f, bool thumb) -> uint32_t {
      if (!thumb) return ((f >> 16) & 0xf) << 12 | (f & 0xfff);
      const uint32_t h1 = f & 0xffff, h2 = f >> 16;
      return (h1 & 0xf) << 12 | ((h1 >> 10) & 1) << 11 | ((h2 >> 12) & 7) << 8 | (h2 & 0xff);
    };
    auto with_half = [&](uint32_t f, uint32_t v, bool thumb) -> uint32_t {
      if (!thumb) return (f & ~0x000f0fffu) | ((v >> 12) & 0xf) << 16 | (v & 0xfff);
      uint32_t h1 = f & 0xffff, h2 = f >> 16;
      h1 = (h1 & ~0x040fu) | ((v >> 12) & 0xf) | ((v >> 11) & 1) << 10;
      h2 = (h2 & ~0x70ffu) | ((v >> 8) & 7) << 12 | (v & 0xff);
      return h1 | h2 << 16;
    };
    out.via = "direct";
    // The stub of this entry's symbol for a caller of that mode, -1 if none
    // (scan: extern, bound by name, no addend).
    auto stub_of = [&](bool thumb_caller) -> int {
      const int64_t g = o.arm_stub_symbol(s, r);
      if (g < 0) return -1;
      for (size_t x = 0; x < o.stub_syms.size(); x++)
        if (o.stub_syms[x] == uint32_t(g) && o.stub_thumb[x] == uint8_t(thumb_caller)) return int(x);
      return -1;
    };
    switch (r.type) {
      case kArmVanilla: {
        uint64_t T;
        if (!target(uint64_t(int64_t(int32_t(field))), T)) { if (skip) { out.status = "none"; out.via = "none"; } break; }
        if (r_abs) out.addend = int32_t(field);
        out.effective = T;
        if (int64_t(T) < -(int64_t(1) << 31) || int64_t(T) >= (int64_t(1) << 32)) { error(ErrorKind::Overflow, "out of range of 32 bits"); break; }
        put32(uint32_t(T));
        out.status = "applied";
        out.value = T;
        break;
      }
      case kArmPbLaPtr: {
        out.addend = int64_t(r.value) - int64_t(o.secs[target_sec].addr);
        const uint64_t T = r.value + move(target_sec);
        out.effective = T;
        if (T >= (uint64_t(1) << 32)) { error(ErrorKind::Overflow, "out of range of 32 bits"); break; }
        put32(uint32_t(T));
        out.status = "applied";
        out.value = T;
        break;
      }
      case kArmSectdiff: case kArmLocalSectdiff: case kArmHalfSectdiff: {
        const Rel& q = list[j + 1];
        const bool half = r.type == kArmHalfSectdiff, hi = r.length & 1, thumb = r.length & 2;
        const uint32_t mine = half ? half_of(field, thumb) : 0, other = q.address & 0xffff;
        const int64_t whole = half ? int64_t(int32_t(hi ? mine << 16 | other : other << 16 | mine)) : int64_t(int32_t(field));
        out.addend = whole + int64_t(q.value) - int64_t(o.secs[target_sec].addr);
        out.via = "none";
        out.effective = 0;
        // A - B + k, k = whole - (rA - rB); each address moved with its section.
        const uint64_t V = (r.value + move(target_sec)) - (q.value + move(o.holder(q.value))) +
                           uint64_t(whole - (int64_t(r.value) - int64_t(q.value)));
        if (int64_t(V) < -(int64_t(1) << 31) || int64_t(V) >= (int64_t(1) << 32)) { error(ErrorKind::Overflow, "out of range of 32 bits"); break; }
        if (half) {
          out.value = hi ? (V >> 16) & 0xffff : V & 0xffff;
          put32(with_half(field, uint32_t(out.value), thumb));
        } else {
          out.value = V;
          put32(uint32_t(V));
        }
        out.status = "applied";
        break;
      }
      case kArmHalf: {
        const Rel& q = list[j + 1];
        const bool hi = r.length & 1, thumb = r.length & 2;
        const uint32_t mine = half_of(field, thumb), other = q.address & 0xffff;
        const uint32_t whole = hi ? mine << 16 | other : other << 16 | mine;
        uint64_t T;
        if (!target(whole, T)) { if (skip) { out.status = "none"; out.via = "none"; } break; }
        out.effective = T;
        if (int64_t(T) < -(int64_t(1) << 31) || int64_t(T) >= (int64_t(1) << 32)) { error(ErrorKind::Overflow, "out of range of 32 bits"); break; }
        out.value = hi ? (T >> 16) & 0xffff : T & 0xffff;
        put32(with_half(field, uint32_t(out.value), thumb));
        out.status = "applied";
        break;
      }
      case kArmBr24: {
        const bool blx = (field >> 25) == 0x7d;
        int64_t off = int64_t(int32_t(field << 8)) >> 6;  // imm24 << 2, signed
        if (blx) off |= int64_t((field >> 24) & 1) << 1;
        uint64_t T;
        if (!target(P_old + 8 + uint64_t(off), T)) { if (skip) { out.status = "none"; out.via = "none"; } break; }
        out.effective = T;
        const bool thumb = ext ? (T & 1) : blx;
        const bool link = blx || (field >> 24) == 0xeb;
        // A name bound by name, no addend: BL (or B) to its ARM stub, whose
        // `ldr pc` interworks; the target's mode does not matter here.
        const int stub = stub_of(false);
        if (ext && thumb && !link && stub < 0) { error(ErrorKind::Unsupported, "ARM B to a Thumb function"); break; }
        uint64_t dest = thumb ? T & ~uint64_t(1) : T;
        bool to_thumb = thumb;
        if (stub >= 0) {
          dest = o.stubs_address + 8 * uint64_t(stub);
          to_thumb = false;
          out.via = "stub";
        }
        const int64_t d = int64_t(dest - (P + 8));
        if (!fits(d, 26) || (d & (to_thumb ? 1 : 3))) { error(ErrorKind::Overflow, fmt("out of range: %lld", (long long)d)); break; }
        uint32_t insn = link && to_thumb ? 0xfa000000u | uint32_t((d >> 1) & 1) << 24
                        : link           ? 0xeb000000u
                                         : field & 0xff000000u;
        insn |= uint32_t(d >> 2) & 0xffffff;
        put32(insn);
        out.status = "applied";
        out.value = uint64_t(d);
        break;
      }
      case kArmThumbBr22: {
        const uint32_t h1 = field & 0xffff, h2 = field >> 16;
        const bool bl = h2 & 0x1000;  // BL or B.W: from P + 4
        const bool bw = (h2 & 0xd000) == 0x9000;  // B.W: no mode switch, its form kept
        const uint32_t sb = (h1 >> 10) & 1, i1 = !(((h2 >> 13) & 1) ^ sb), i2 = !(((h2 >> 11) & 1) ^ sb);
        const int64_t off = (int64_t(sb ? -1 : 0) << 24) | int64_t(i1) << 23 | int64_t(i2) << 22 | int64_t(h1 & 0x3ff) << 12 |
                            int64_t(h2 & 0x7ff) << 1;
        const uint64_t base_old = bl ? P_old + 4 : (P_old + 4) / 4 * 4;
        uint64_t T;
        if (!target(base_old + uint64_t(off), T)) { if (skip) { out.status = "none"; out.via = "none"; } break; }
        out.effective = T;
        bool to_thumb = ext ? (T & 1) : bl;
        uint64_t dest = to_thumb ? T & ~uint64_t(1) : T;
        auto base = [&](bool b) { return b ? P + 4 : (P + 4) / 4 * 4; };
        const int stub = stub_of(true);
        if (stub >= 0) {  // a name bound by name, no addend: BL to its Thumb stub
          dest = o.stubs_address + 8 * uint64_t(stub);
          to_thumb = true;
          out.via = "stub";
        }
        if (bw && !to_thumb) { error(ErrorKind::Unsupported, "Thumb B.W to an ARM function"); break; }
        const int64_t d = int64_t(dest - base(to_thumb));
        if (!fits(d, 25) || (d & (to_thumb ? 1 : 3))) { error(ErrorKind::Overflow, fmt("out of range: %lld", (long long)d)); break; }
        const uint32_t sn = d < 0, j1 = (((d >> 23) & 1) ^ 1) ^ sn, j2 = (((d >> 22) & 1) ^ 1) ^ sn;
        const uint32_t n1 = (h1 & 0xf800) | sn << 10 | uint32_t((d >> 12) & 0x3ff);
        const uint32_t n2 = (bw ? 0x9000u : to_thumb ? 0xd000u : 0xc000u) | j1 << 13 | j2 << 11 | uint32_t((d >> 1) & 0x7ff);
        put32(n1 | n2 << 16);
        out.status = "applied";
        out.value = uint64_t(d);
        break;
      }
    }
    R.relocations.push_back(out);
  }
}

// Binding, placement and relocation of one object (its Result).
void relocate(Program& p, Obj& o) {
  Result& R = o.result;
  R.loaded = true;
  R.placed = true;
  R.triple = o.arm64 ? "arm64-apple-macosx" : o.cputype == kCpuTypeI386 ? "i386-apple-macosx" : o.cputype == kCpuTypeArm ? "armv7-apple-ios" : "x86_64-apple-macosx";
  R.got_address = o.got_address;
  // L4: a common of this object whose name's storage (the chosen common,
  // its address) is less aligned than the common asks for. Its relocations
  // and GOT slot fail (Unsupported), as the engine refuses that binding.
  std::string l4_failed;  // the last such refusal's reason, for error() below
  auto misaligned_common = [&](const Sym& y, uint64_t address) {
    if (!y.common()) return false;
    auto it = p.chosen.find(y.name);
    if (it == p.chosen.end() || !p.objs[it->second.first]->syms[it->second.second].common()) return false;
    const uint64_t align = uint64_t(1) << ((y.desc >> 8) & 0xf);
    if (address % align == 0) return false;
    l4_failed = fmt("refers to common symbol '%s', which asks for alignment %llu here, but the storage chosen for it "
                    "(%s, at 0x%llx) is not that aligned",
                    y.name.c_str(), ull(align), p.objs[it->second.first]->name.c_str(), ull(address));
    return true;
  };
  // S of an extern relocation, or nullopt when nothing defines it (or L4 refuses it).
  auto symbol_value = [&](uint32_t i, bool& weak_zero) -> std::optional<uint64_t> {
    const Sym& y = o.syms[i];
    weak_zero = false;
    if (!y.by_name()) return p.own_address(o, i);
    if (o.served && o.has_tlv_vars && y.undefined() && y.name == "__tlv_bootstrap") return o.tlv_thunk_address;
    if (auto a = p.by_name(y.name)) return misaligned_common(y, *a) ? std::nullopt : a;
    if (y.undefined() && (y.desc & kNWeakRef)) {
      weak_zero = true;
      return 0;
    }
    return std::nullopt;
  };
  // GOT and stubs contents.
  Sec got, stubs;
  got.bytes.assign(o.got_syms.size() * o.slot_size(), 0);
  stubs.bytes.assign(o.stub_syms.size() * o.stub_size(), 0);
  auto put = [](std::vector<uint8_t>& v, uint64_t off, uint64_t x, int n) {
    for (int i = 0; i < n; i++) v[off + i] = uint8_t(x >> (8 * i));
  };
  for (size_t k = 0; k < o.got_syms.size(); k++) {
    bool wz;
    auto s = symbol_value(o.got_syms[k], wz);
    if (s && !(*s == ~uint64_t(0) && o.syms[o.got_syms[k]].by_name())) put(got.bytes, k * o.slot_size(), *s, int(o.slot_size()));
  }
  for (size_t k = 0; o.cputype == kCpuTypeArm && k < o.stub_syms.size(); k++) {
    static const uint8_t arm_stub[4] = {0x04, 0xf0, 0x1f, 0xe5};    // ldr pc, [pc, #-4]
    static const uint8_t thumb_stub[4] = {0xdf, 0xf8, 0x00, 0xf0};  // ldr.w pc, [pc, #0]
    for (int i = 0; i < 4; i++) stubs.bytes[k * 8 + i] = o.stub_thumb[k] ? thumb_stub[i] : arm_stub[i];
    bool wz;
    auto s = symbol_value(o.stub_syms[k], wz);
    if (s && *s != ~uint64_t(0)) put(stubs.bytes, k * 8 + 4, *s, 4);
  }
  for (size_t k = 0; o.cputype != kCpuTypeArm && k < o.stub_syms.size(); k++) {
    static const uint8_t stub[16] = {0xff, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xcc, 0xcc};  // jmp *0(%rip); .quad; int3 x2
    // arm64: ldr x16, #8 (0x58000050); br x16 (0xd61f0200); .quad target
    static const uint8_t veneer[16] = {0x50, 0, 0, 0x58, 0, 0x02, 0x1f, 0xd6, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 16; i++) stubs.bytes[k * 16 + i] = o.arm64 ? veneer[i] : stub[i];
    bool wz;
    auto s = symbol_value(o.stub_syms[k], wz);
    if (s && *s != ~uint64_t(0)) put(stubs.bytes, k * 16 + (o.arm64 ? 8 : 6), *s, 8);
  }
  auto slot_of = [](const std::vector<uint32_t>& v, uint32_t x) {
    for (size_t k = 0; k < v.size(); k++)
      if (v[k] == x) return uint64_t(k);
    return uint64_t(0);
  };
  for (size_t si = 0; si < o.secs.size(); si++) {
    Sec& s = o.secs[si];
    if (!s.loads) continue;
    if (o.cputype == kCpuTypeI386) {
      relocate_i386(o, si, symbol_value);
      continue;
    }
    if (o.cputype == kCpuTypeArm) {
      relocate_arm(o, si, symbol_value);
      continue;
    }
    std::vector<Rel>& list = o.rels[si];
    uint64_t sub_value = 0;
    bool sub_ok = false;
    int64_t pair_adjust = 0;
    int64_t arm64_addend = 0;  // an ADDEND's value, for the entry after it
    for (size_t j = 0; j < list.size(); j++) {
      const Rel& r = list[j];
      Relocation out;
      out.section_index = uint32_t(si + 1);
      out.section = s.name;
      out.offset = r.address;
      out.type = r.type | r.length << 4;  // reference.h, "Mach-O": r_length in bits 4-5
      out.type_name = o.tname(r.type);
      out.file_offset = r.file_offset;
      if (r.ext) out.symbol = o.syms[r.symbolnum].name;
      else if (r.symbolnum && !(o.arm64 && r.type == kArm64Addend)) {
        out.symbol = o.secs[r.symbolnum - 1].name;
        out.symbol_is_section = true;
      }
      const int width = 1 << r.length;
      const int64_t content = s.zerofill() ? 0 : sign_extend(rd(o.b, s.offset + r.address, width), width);
      const uint64_t P = s.address + r.address, P_old = s.addr + r.address;
      l4_failed.clear();
      auto error = [&](ErrorKind k, std::string why) {
        if (k == ErrorKind::Unresolved && !l4_failed.empty()) k = ErrorKind::Unsupported, why = l4_failed;
        out.status = "error";
        out.error = fmt("%s:(%s+0x%x): relocation %s %s", o.name.c_str(), s.name.c_str(), r.address, o.tname(r.type), why.c_str());
        if (R.relocation_errors++ == 0) {
          R.error.kind = k;
          R.error.file_offset = r.file_offset;
          R.error.message = out.error;
        }
        R.loaded = false;
      };
      // V: what a half of the relocation stands for — an extern symbol's
      // address, or a non-extern section's move (new address - file address).
      bool skip = false;
      auto V = [&](const Rel& x) -> std::optional<uint64_t> {
        if (!x.ext) return x.symbolnum ? o.secs[x.symbolnum - 1].address - o.secs[x.symbolnum - 1].addr : 0;
        bool wz;
        auto v = symbol_value(x.symbolnum, wz);
        // llvm-rtdyld's "leave unapplied" address, of a name bound outside
        // the object (an own absolute symbol at 2^64 - 1 is just a value).
        if (v && *v == ~uint64_t(0) && o.syms[x.symbolnum].by_name()) skip = true;
        return v;
      };
      auto write = [&](uint64_t value, bool check32, bool pcrel32) {
        int64_t sv = int64_t(value);
        if (width == 4 && pcrel32 && (sv < -(int64_t(1) << 31) || sv >= (int64_t(1) << 31))) {
          error(ErrorKind::Overflow, fmt("out of range: %lld does not fit a signed 32-bit field", (long long)sv));
          return;
        }
        if (width == 4 && check32 && (sv < -(int64_t(1) << 31) || sv > int64_t(0xffffffff))) {
          error(ErrorKind::Overflow, fmt("out of range: %lld does not fit 32 bits", (long long)sv));
          return;
        }
        put(s.bytes, r.address, value, width);
        out.status = "applied";
        out.value = value;
      };
      // (Spelled only when reported: it was two allocations per relocation.)
      auto unresolved = [&] { return "refers to undefined symbol '" + (r.ext ? o.syms[r.symbolnum].name : std::string()) + "'"; };
      auto none = [&] {  // an entry that writes nothing (ADDEND, SUBTRACTOR, a skipped or broken pair)
        out.status = "none";
        out.via = "none";
      };
      // V of this entry, for one that writes: none when llvm-rtdyld would
      // leave it unapplied, an error when its symbol is undefined.
      auto target = [&]() -> std::optional<uint64_t> {
        auto a = V(r);
        if (skip) { none(); return std::nullopt; }
        if (!a) { error(ErrorKind::Unresolved, unresolved()); return std::nullopt; }
        return a;
      };
      // SUBTRACTOR (x86-64 and arm64 alike): its addend is 0; it keeps the
      // subtrahend for the UNSIGNED after it, which carries the pair's addend.
      auto subtractor = [&] {
        pair_adjust = r.ext ? 0 : int64_t(o.secs[r.symbolnum - 1].addr);
        auto b = V(r);
        none();
        sub_ok = b.has_value() && !skip;
        sub_value = b.value_or(0);
        if (!b) error(ErrorKind::Unresolved, unresolved());
      };
      // UNSIGNED alone (S + A) or after a SUBTRACTOR of `sub_type` (S + A -
      // the subtrahend). A: the field's content, measured from the named
      // section's start when non-extern (plus, in a pair, a non-extern
      // subtrahend's file address). `allowed` may refuse the entry once its
      // addend is known (x86-64's served TLV offset words).
      auto unsigned_word = [&](uint32_t sub_type, auto allowed) {
        const bool paired = j > 0 && list[j - 1].type == sub_type;
        if (paired && !sub_ok) return none();
        // Modulo 2^64 (a file's contents and addresses may be anything).
        out.addend = int64_t(uint64_t(content) - (!r.ext && r.symbolnum ? o.secs[r.symbolnum - 1].addr : 0) +
                             (paired ? uint64_t(pair_adjust) : 0));
        if (!allowed(paired)) return;
        auto a = target();
        if (!a) return;
        // extern: S + content; non-extern: content (a file address) + the section's move.
        uint64_t X = *a + uint64_t(content) - (paired ? sub_value : 0);
        out.via = paired ? "none" : "direct";
        out.effective = paired ? 0 : X;
        write(X, true, false);
      };
      if (o.arm64) {
        // reference.h, "Mach-O arm64". A: an ADDEND's value just before
        // (instructions), the field (UNSIGNED), 0 (POINTER_TO_GOT).
        const int64_t A_insn = j > 0 && list[j - 1].type == kArm64Addend ? arm64_addend : 0;
        const uint32_t insn = insn_at(o, s, r.address);
        auto patch = [&](uint32_t mask, uint32_t bits, uint64_t value) {  // the instruction with `mask` replaced
          write(0, false, false);
          put(s.bytes, r.address, (insn & ~mask) | (bits & mask), 4);
          out.value = value;
        };
        auto page_delta = [&](uint64_t X) -> bool {  // ADRP: pages from P's to X's, ±2^20
          int64_t pages = int64_t(X >> 12) - int64_t(P >> 12);
          if (pages < -(int64_t(1) << 20) || pages >= (int64_t(1) << 20)) {
            error(ErrorKind::Overflow, fmt("out of range: page distance %lld is beyond +-4 GiB", (long long)pages));
            return false;
          }
          uint64_t imm = uint64_t(pages) & 0x1fffff;
          patch(0x60ffffe0, uint32_t((imm & 3) << 29 | (imm >> 2) << 5), uint64_t(pages) << 12);
          return true;
        };
        auto page_offset = [&](uint64_t X) -> bool {  // the low 12 bits, in units of the access
          uint64_t lo = X & 0xfff;
          int sh = arm64_ldst_uoff(insn) ? arm64_access_log2(insn) : 0;
          if (lo % (uint64_t(1) << sh) != 0) {
            error(ErrorKind::Overflow, fmt("target 0x%llx is not a multiple of the %d-byte access", ull(X), 1 << sh));
            return false;
          }
          patch(0x003ffc00, uint32_t((lo >> sh) << 10), lo);
          return true;
        };
        switch (r.type) {
          case kArm64Addend:
            arm64_addend = int64_t(r.symbolnum ^ 0x800000) - 0x800000;  // 24 bits, signed
            out.addend = arm64_addend;
            none();
            break;
          case kArm64Subtractor: subtractor(); break;
          case kArm64Unsigned: unsigned_word(kArm64Subtractor, [](bool) { return true; }); break;
          case kArm64Branch26: {  // S + A - P, a multiple of 4 in ±128 MiB; else L - P for a name, A = 0
            out.addend = A_insn;
            auto a = target();
            if (!a) break;
            uint64_t T = *a + uint64_t(A_insn);
            int64_t d = int64_t(T - P);
            out.via = "direct";
            out.effective = T;
            const int64_t lim = int64_t(1) << 27;
            if ((d < -lim || d >= lim) && o.syms[r.symbolnum].by_name() && A_insn == 0) {
              d = int64_t(o.stubs_address + 16 * slot_of(o.stub_syms, r.symbolnum) - P);
              out.via = "stub";
            }
            if (d % 4 != 0) { error(ErrorKind::Overflow, fmt("branch distance %lld is not a multiple of 4", (long long)d)); break; }
            if (d < -lim || d >= lim) { error(ErrorKind::Overflow, fmt("out of range: branch distance %lld is beyond +-128 MiB", (long long)d)); break; }
            patch(0x03ffffff, uint32_t(uint64_t(d) >> 2), uint64_t(d));
            break;
          }
          case kArm64Page21: case kArm64Pageoff12: {  // Page(S + A) - Page(P); (S + A) & 0xfff
            out.addend = A_insn;
            auto a = target();
            if (!a) break;
            uint64_t X = *a + uint64_t(A_insn);
            out.via = "direct";
            out.effective = X;
            if (r.type == kArm64Page21) page_delta(X);
            else page_offset(X);
            break;
          }
          case kArm64GotLoadPage21: case kArm64GotLoadPageoff12: case kArm64PointerToGot: {
            out.addend = 0;
            auto a = target();
            if (!a) break;
            uint64_t G = o.got_address + 8 * slot_of(o.got_syms, r.symbolnum);
            out.via = "got";
            out.effective = *a;
            if (r.type == kArm64GotLoadPage21) page_delta(G);
            else if (r.type == kArm64GotLoadPageoff12) page_offset(G);
            else if (r.length == 3) write(G, false, false);  // G
            else write(G - P, false, true);                    // G - P, signed 32 bits
            break;
          }
        }
        R.relocations.push_back(out);
        continue;
      }
      switch (r.type) {
        case kX86_64Subtractor: subtractor(); break;
        case kX86_64Unsigned:
          // Served TLV: a descriptor's offset word must reach a thread-local
          // section, whose "address" is its offset in the module: X is then
          // the initial value's offset (reference.h, "Mach-O TLV").
          unsigned_word(kX86_64Subtractor, [&](bool paired) {
            if (!o.served || (s.flags & kSectionTypeMask) != kSThreadLocalVariables || r.address % 24 != 16 ||
                r.length != 3 || paired)
              return true;
            const Sym* y = r.ext ? &o.syms[r.symbolnum] : nullptr;
            const bool tls = r.ext ? y->kind() == kNSect && o.secs[y->sect - 1].tls
                                   : r.symbolnum && o.secs[r.symbolnum - 1].tls;
            if (!tls) error(ErrorKind::Unsupported, "is a TLV descriptor's offset word whose target is not in a thread-local section");
            return tls;
          });
          break;
        case kX86_64Signed: case kX86_64Signed1: case kX86_64Signed2: case kX86_64Signed4: case kX86_64Branch: {
          // A: the content, or (non-extern) the file target's offset in its section.
          out.addend = r.ext ? content : int64_t(P_old + 4 + uint64_t(content) - o.secs[r.symbolnum - 1].addr);
          auto a = target();
          if (!a) break;
          // T: extern S + content; non-extern: the file's target (the
          // field's end + content) moved with its section.
          uint64_t T = r.ext ? *a + uint64_t(content) : P_old + 4 + uint64_t(content) + *a;
          uint64_t value = T - (P + 4);
          out.via = "direct";
          int64_t sv = int64_t(value);
          if (r.type == kX86_64Branch && r.ext && o.syms[r.symbolnum].by_name() &&
              (sv < -(int64_t(1) << 31) || sv >= (int64_t(1) << 31))) {
            uint64_t L = o.stubs_address + 16 * slot_of(o.stub_syms, r.symbolnum);
            value = L + uint64_t(content) - (P + 4);
            out.via = "stub";
          }
          // effective: T, the field's end plus what it encodes (SIGNED_n's
          // immediate bytes not counted).
          out.effective = T;
          write(value, false, true);
          break;
        }
        case kX86_64GotLoad: case kX86_64Got: case kX86_64Tlv: {  // (TLV: served only, read_relocations)
          out.addend = content;
          auto a = target();
          if (!a) break;
          uint64_t G = o.got_address + 8 * slot_of(o.got_syms, r.symbolnum);
          out.via = "got";
          out.effective = *a;
          write(G + uint64_t(content) - (P + 4), false, true);
          break;
        }
      }
      R.relocations.push_back(out);
    }
  }
  // Symbol pointer slots: the symbol's address, pointer-sized.
  for (const Obj::PointerSlot& ps : o.pointer_slots) {
    R.pointer_symbols.push_back(o.syms[ps.sym].name);
    bool wz;
    l4_failed.clear();
    auto a = symbol_value(ps.sym, wz);
    if (a && *a == ~uint64_t(0)) continue;
    Sec& s = o.secs[ps.sec];
    if (!a) {
      if (R.relocation_errors++ == 0) {
        // Undefined, or a common whose storage L4 refuses (Unsupported, as
        // for a relocation).
        R.error.kind = l4_failed.empty() ? ErrorKind::Unresolved : ErrorKind::Unsupported;
        R.error.message = l4_failed.empty()
                              ? fmt("%s:(%s+0x%llx): symbol pointer refers to undefined symbol '%s'", o.name.c_str(),
                                    s.name.c_str(), ull(ps.offset), o.syms[ps.sym].name.c_str())
                              : fmt("%s:(%s+0x%llx): symbol pointer %s", o.name.c_str(), s.name.c_str(), ull(ps.offset),
                                    l4_failed.c_str());
      }
      R.loaded = false;
      continue;
    }
    if (o.is32 && *a >= (uint64_t(1) << 32)) {
      if (R.relocation_errors++ == 0) {
        R.error.kind = ErrorKind::Overflow;
        R.error.message = fmt("%s:(%s+0x%llx): symbol pointer out of range", o.name.c_str(), s.name.c_str(), ull(ps.offset));
      }
      R.loaded = false;
      continue;
    }
    put(s.bytes, ps.offset, *a, int(o.slot_size()));
  }
  // Served TLV: every descriptor's key word is the module's key.
  if (o.served)
    for (Sec& s : o.secs)
      if (s.loads && (s.flags & kSectionTypeMask) == kSThreadLocalVariables)
        for (uint64_t d = 0; d + 24 <= s.size; d += 24) put(s.bytes, d + 8, p.sc->tlv_module_key, 8);
  // EH frames (reference.h, "Mach-O"): FDE address fields with no
  // relocation keep reaching the same offset of the section they reached.
  for (size_t si = 0; si < o.secs.size(); si++) {
    Sec& s = o.secs[si];
    if (!s.loads || s.name != "__eh_frame" || s.zerofill()) continue;
    auto covered = [&](uint64_t off) {
      for (const Rel& r : o.rels[si])
        if (r.address == off) return true;
      return false;
    };
    auto fix = [&](uint64_t field) {
      if (covered(field)) return true;
      const int w = o.is32 ? 4 : 8;  // 32-bit objects: 4-byte fields, addresses mod 2^32
      uint64_t reached = s.addr + field + rd(o.b, s.offset + field, w);
      if (o.is32) reached = uint32_t(reached);
      // The section holding it, [addr, addr + size); else one it ends.
      for (int pass = 0; pass < 2; pass++)
        for (const Sec& t : o.secs)
          if (t.loads && reached >= t.addr && (pass == 0 ? reached - t.addr < t.size : reached - t.addr == t.size)) {
            put(s.bytes, field, t.address + (reached - t.addr) - (s.address + field), w);
            return true;
          }
      return false;
    };
    uint64_t at = 0;
    while (at < s.size) {
      // 1-3 bytes left hold no record length: Malformed below (len 1).
      uint64_t len = s.size - at >= 4 ? rd(o.b, s.offset + at, 4) : 1;
      if (len == 0) break;
      if (len == 0xffffffff || len < 4 || len > s.size - at - 4) {
        R = Result();
        R.error.kind = len == 0xffffffff ? ErrorKind::Unsupported : ErrorKind::Malformed;
        R.error.file_offset = s.offset + at;
        R.error.message = o.name + ": bad __eh_frame record";
        return;
      }
      if (rd(o.b, s.offset + at + 4, 4) != 0) {
        const uint64_t w = o.is32 ? 4 : 8;  // pc_begin, range, LSDA pointer
        bool good = len >= 4 + 2 * w + 1 && fix(at + 8);
        if (good && o.b[s.offset + at + 8 + 2 * w] >= w && len >= 4 + 3 * w + 1) good = fix(at + 9 + 2 * w);
        if (!good) {
          R = Result();
          R.error.kind = ErrorKind::Malformed;
          R.error.file_offset = s.offset + at;
          R.error.message = o.name + ": __eh_frame FDE too short or reaching no section";
          return;
        }
      }
      at += 4 + len;
    }
  }
  if (R.relocation_errors > 1) R.error.message += fmt(" [the first of %llu relocations that failed]", ull(R.relocation_errors));
  // Compact unwind entries at their placed addresses (names: by_name).
  for (const Obj::UnwindEntry& u : o.unwind) {
    Result::CompactUnwind c;
    auto address = [&](const Obj::UnwindTarget& t) -> uint64_t {
      if (t.sec >= 0) return o.secs[t.sec].address + t.offset;
      if (t.symbol.empty()) return 0;
      auto a = p.by_name(t.symbol);
      return a ? *a + t.offset : 0;
    };
    c.section = o.secs[u.target[0].sec].name;
    c.offset = u.target[0].offset;
    c.function = address(u.target[0]);
    c.length = u.length;
    c.encoding = u.encoding;
    c.personality = address(u.target[1]);
    c.personality_symbol = u.target[1].symbol;
    c.lsda = address(u.target[2]);
    c.lsda_symbol = u.target[2].symbol;
    c.file_offset = u.file_offset;
    R.compact_unwind.push_back(c);
  }
  // The Result's sections and symbols.
  for (size_t si = 0; si < o.secs.size(); si++) {
    Sec& s = o.secs[si];
    if (!s.loads) continue;
    Section x;
    x.name = s.name;
    x.index = uint32_t(si + 1);
    x.kind = s.code() ? "code" : s.zerofill() ? "bss" : (s.segname == "__TEXT" || s.debug) ? "rodata" : "data";
    if (s.tls) x.kind = s.zerofill() ? "tbss" : "tls";  // served TLV: its offset in the module
    x.tls = s.tls;
    x.allocatable = !s.debug;
    x.address = s.address;
    x.size = s.size;
    x.align = uint64_t(1) << s.align_log;
    x.bytes = s.bytes;
    R.sections.push_back(x);
  }
  auto area = [&](const char* n, const char* kind, uint64_t addr, const std::vector<uint8_t>& bytes, uint64_t align) {
    Section x;
    x.name = n;
    x.kind = kind;
    x.address = addr;
    x.size = bytes.size();
    x.align = align;
    x.bytes = bytes;
    R.sections.push_back(x);
  };
  if (o.has_common) area("<common symbols>", "common", o.common_address, std::vector<uint8_t>(o.common_size, 0), o.common_align);
  area("<got>", "got", o.got_address, got.bytes, o.slot_size());
  area("<stubs>", "stubs", o.stubs_address, stubs.bytes, o.cputype == kCpuTypeArm ? 4 : 16);
  if (o.served && o.has_tlv_vars) area("<tlv thunk>", "stubs", o.tlv_thunk_address, tlv_thunk(p.sc->tlv_get_addr), 16);
  for (size_t i = 0; i < o.syms.size(); i++) {
    const Sym& y = o.syms[i];
    if (y.stab() || y.name.empty() || y.undefined()) continue;
    if (y.kind() == kNSect && !o.secs[y.sect - 1].loads) continue;
    Symbol x;
    x.name = y.name;
    x.index = uint32_t(i);
    x.address = p.own_address(o, uint32_t(i));
    x.binding = !y.ext() ? "local" : (y.desc & kNWeakDef) && !y.common() ? "weak" : "global";
    if (y.common()) {
      x.section = "<common symbols>";
      x.section_index = 0xfff2;
      x.type = "common";
      x.size = y.value;
    } else if (y.kind() == kNAbs) {
      x.type = "notype";
    } else {
      x.section = o.secs[y.sect - 1].name;
      x.section_index = y.sect;
      x.type = o.secs[y.sect - 1].code() ? "func" : "object";
    }
    auto it = p.chosen.find(y.name);
    x.chosen = !y.ext() || (it != p.chosen.end() && p.objs[it->second.first] == &o && it->second.second == i);
    R.symbols.push_back(x);
  }
}

}  // namespace

bool is_macho(std::span<const uint8_t> bytes) {
  // MH_MAGIC_64 or MH_MAGIC, little-endian
  return bytes.size() >= 4 && (bytes[0] == 0xcf || bytes[0] == 0xce) && bytes[1] == 0xfa && bytes[2] == 0xed &&
         bytes[3] == 0xfe;
}

void load_macho_set(std::span<const Input> inputs, const Scenario& scenario, std::vector<Result>& results,
                    std::vector<bool>& rejected) {
  std::vector<Obj> objs(inputs.size());
  Program p;
  p.sc = &scenario;
  // Read each object; a failure rejects it.
  for (size_t k = 0; k < inputs.size(); k++) {
    if (rejected[k]) continue;
    Obj& o = objs[k];
    o.name = inputs[k].name;
    o.b = inputs[k].bytes;
    o.position = k;
    o.process_all = scenario.process_all_sections;
    o.served = scenario.tlv_get_addr != 0;
    if (!o.read()) {
      results[k].error = o.error;
      rejected[k] = true;
    }
  }
  // Linkage (rules L2-L4), objects in input order: a strong definition of a
  // name an accepted object defines strongly rejects the later object.
  for (size_t k = 0; k < inputs.size(); k++) {
    if (rejected[k]) continue;
    Obj& o = objs[k];
    std::string conflict;
    for (const Sym& y : o.syms) {
      auto it = p.chosen.find(y.name);
      if (y.strength() == 3 && !o.unloaded(y) && it != p.chosen.end() &&
          p.objs[it->second.first]->syms[it->second.second].strength() == 3)
        conflict = y.name + "' (first defined in " + p.objs[it->second.first]->name + ")";
    }
    if (!conflict.empty()) {
      results[k].error.kind = ErrorKind::Malformed;
      results[k].error.message = o.name + ": duplicate definition of symbol '" + conflict;
      rejected[k] = true;
      continue;
    }
    const size_t me = p.objs.size();
    p.objs.push_back(&o);
    for (uint32_t i = 0; i < o.syms.size(); i++) {
      const Sym& y = o.syms[i];
      int st = y.strength();
      if (st == 0 || y.name.empty() || o.unloaded(y)) continue;
      auto it = p.chosen.find(y.name);
      if (it == p.chosen.end()) {
        p.chosen[y.name] = {me, i};
        continue;
      }
      const Sym& old = p.objs[it->second.first]->syms[it->second.second];
      // strong over common over weak; the larger common; else the first.
      if (st > old.strength() || (st == 2 && old.strength() == 2 && y.value > old.value)) it->second = {me, i};
    }
  }
  // Placement (reference.h, "Mach-O"): per object, sections by ordinal,
  // then the common block (when there are commons), the GOT, the stubs and
  // an empty "<ifunc stubs>", each after the cursor unless mapped.
  uint64_t cursor = scenario.base;
  auto place = [&](size_t k, const std::string& key, const std::string& alt, uint64_t size, uint64_t align) {
    if (auto a = mapped(scenario, k, key)) return *a;
    if (!alt.empty())
      if (auto a = mapped(scenario, k, alt)) return *a;
    uint64_t addr = align_up(cursor, align);
    cursor = addr + size + scenario.section_sep;
    return addr;
  };
  for (Obj* o : p.objs) {
    const size_t k = o->position;
    for (size_t si = 0; si < o->secs.size(); si++) {
      Sec& s = o->secs[si];
      if (!s.loads) continue;
      if (o->served && s.thread_local_storage()) {  // in the TLS module, laid out below
        s.tls = true;
      } else if (s.debug) {  // not part of the image: at 0 unless mapped, the cursor unmoved
        auto a = mapped(scenario, k, s.name);
        if (!a) a = mapped(scenario, k, "#" + std::to_string(si + 1));
        s.address = a.value_or(0);
      } else {
        s.address = place(k, s.name, "#" + std::to_string(si + 1), s.size, uint64_t(1) << s.align_log);
      }
      s.bytes.assign(s.size, 0);
      if (!s.zerofill() && s.size) std::memcpy(s.bytes.data(), &o->b[s.offset], s.size);  // (memcpy of 0 bytes from or to null is undefined)
    }
    if (o->has_common) o->common_address = place(k, "<common symbols>", "", o->common_size, o->common_align);
    o->got_address = place(k, "<got>", "", o->got_syms.size() * o->slot_size(), o->slot_size());
    o->stubs_address = place(k, "<stubs>", "", o->stub_syms.size() * o->stub_size(), o->cputype == kCpuTypeArm ? 4 : 16);
    place(k, "<ifunc stubs>", "", 0, 16);
    // Served TLV (reference.h, "Mach-O TLV"): the module, __thread_data
    // sections then __thread_bss ones, each at its alignment from 0; the
    // thunk after the areas, when the object has descriptors.
    uint64_t module = 0;
    for (uint32_t type : {kSThreadLocalRegular, kSThreadLocalZerofill})
      for (Sec& s : o->secs)
        if (s.tls && (s.flags & kSectionTypeMask) == type) {
          s.address = align_up(module, uint64_t(1) << s.align_log);
          module = s.address + s.size;
        }
    for (const Sec& s : o->secs)
      o->has_tlv_vars |= s.loads && (s.flags & kSectionTypeMask) == kSThreadLocalVariables;
    if (o->served && o->has_tlv_vars) o->tlv_thunk_address = place(k, "<tlv thunk>", "", tlv_thunk(0).size(), 16);
  }
  for (Obj* o : p.objs) {
    relocate(p, *o);
    results[o->position] = std::move(o->result);
  }
}

}  // namespace jitload::reference::macho
