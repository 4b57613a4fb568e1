// The Mach-O structure mutator (fuzz/mutate.h): one change to what a
// Mach-O loader reads — the header, a load command, a segment or section
// header, a symbol, a relocation entry or pair, a byte of a name — with
// every write inside the buffer. Types come from the object's own CPU
// through the harness's registry (fuzz/arch/invariants.h: r_type numbers
// and the pair a CPU has, x86-64's SUBTRACTOR + UNSIGNED); an unknown CPU
// gets any 4-bit type. Both classes (MH_MAGIC, MH_MAGIC_64) through
// fuzz/arch/macho-layout.h.
#include <algorithm>
#include <cstring>
#include <iterator>

#include "fuzz/arch/invariants.h"
#include "fuzz/arch/macho-layout.h"
#include "fuzz/mutate.h"

namespace jitload::fuzz {

namespace {

// <mach-o/loader.h> command ids a loader meets in objects (and neighbours
// it must refuse): LC_SEGMENT, LC_SYMTAB, LC_DYSYMTAB, LC_SEGMENT_64,
// LC_VERSION_MIN_MACOSX/IPHONEOS, LC_DATA_IN_CODE, LC_LINKER_OPTION,
// LC_LINKER_OPTIMIZATION_HINT, LC_VERSION_MIN_TVOS/WATCHOS, LC_BUILD_VERSION,
// LC_UUID, LC_MAIN (0x80000028), and an unassigned one.
const uint32_t kCommands[] = {0x1, 0x2, 0xb, 0x19, 0x24, 0x25, 0x29, 0x2d, 0x2e, 0x2f, 0x30, 0x32, 0x1b, 0x80000028, 0x7f};
// Section types (the flags' low byte) S_REGULAR .. S_INIT_FUNC_OFFSETS, and
// attributes: PURE_INSTRUCTIONS, NO_TOC, STRIP_STATIC_SYMS, NO_DEAD_STRIP,
// LIVE_SUPPORT, SELF_MODIFYING_CODE, DEBUG, SOME_INSTRUCTIONS, EXT_RELOC,
// LOC_RELOC.
const uint32_t kSectionAttributes[] = {0x80000000, 0x40000000, 0x20000000, 0x10000000, 0x08000000,
                                       0x04000000, 0x02000000, 0x00000400, 0x00000200, 0x00000100};
const char* const kSectionNames[] = {"__text",          "__data",        "__bss",         "__const",
                                     "__cstring",       "__eh_frame",    "__compact_unwind", "__mod_init_func",
                                     "__mod_term_func", "__thread_vars", "__thread_data", "__thread_bss",
                                     "__got",           "__literal8",    "__common",      "__debug_info",
                                     "__StaticInit",    "__gcc_except_tab", "__stubs",    "__la_symbol_ptr"};
const char* const kSegmentNames[] = {"__TEXT", "__DATA", "__LD", "__DWARF", "__IMPORT", "__DATA_CONST", ""};
// cputypes: x86-64, arm64, i386, arm, arm64_32, powerpc.
const uint32_t kCpuTypes[] = {0x01000007, 0x0100000c, 0x7, 0xc, 0x0200000c, 0x12};
const uint64_t kInterestingSizes[] = {0, 1, 3, 4, 8, 0x40, 0x1000, 0x7fffffff, 0xffffffff, 0x100000000ull, ~0ull};
const int64_t kInterestingValues[] = {0, -4, -8, 1, -1, 4, 0x7fffffff, -0x80000000ll, 0x80000000ll, 0x40, 0x1000};

class Mutation {
 public:
  Mutation(uint8_t* d, size_t n, std::mt19937_64& rng, const MachoView& v) : d(d), n(n), rng(rng), v(v), L(v.L) {
    std::optional<ObjectIdent> id = read_ident(d, n);
    arch = id ? find_arch(*id) : nullptr;
  }

  bool run() {
    switch (rng() % 16) {
      case 0: return header();
      case 1: case 2: return command();
      case 3: case 4: return section();
      case 5: return segment();
      case 6: case 7: return symbol();
      case 8: case 9: case 10: case 11: return relocation();
      case 12: case 13: return pair();
      case 14: return scattered();
      default: return string_byte();
    }
  }

 private:
  uint64_t pick(uint64_t k) { return k ? rng() % k : 0; }
  bool fits(uint64_t at, uint64_t width) const { return at <= n && width <= n - at; }
  uint64_t get(uint64_t at, unsigned w) const { return fits(at, w) ? L.get(d + at, w) : 0; }
  bool put(uint64_t at, uint64_t value, unsigned w) {
    if (!fits(at, w)) return false;
    L.put(d + at, value, w);
    return true;
  }
  // A nearby value, or an interesting one.
  uint64_t nudge(uint64_t value, uint64_t span) {
    return rng() % 2 ? value + pick(2 * span + 1) - span : uint64_t(kInterestingValues[pick(std::size(kInterestingValues))]);
  }
  uint64_t size_like(uint64_t value) {
    return rng() % 2 ? value + pick(17) - 8 : kInterestingSizes[pick(std::size(kInterestingSizes))];
  }
  // One of the CPU's own types (its list names the unassigned neighbours it
  // wants tried); any 4-bit type for a CPU the registry does not know.
  uint32_t reloc_type() {
    if (arch) return arch->mutation_types[pick(arch->mutation_type_count)];
    return uint32_t(pick(16));
  }
  bool put_name(uint64_t at, const char* name) {
    if (!fits(at, 16)) return false;
    std::memset(d + at, 0, 16);
    std::memcpy(d + at, name, std::min<size_t>(16, std::strlen(name)));
    return true;
  }

  bool header() {
    switch (rng() % 5) {
      case 0: return put(16, get(16, 4) + pick(5) - 2, 4);                                       // ncmds
      case 1: return put(20, rng() % 2 ? get(20, 4) + pick(33) - 16 : size_like(get(20, 4)), 4);  // sizeofcmds
      case 2: return put(4, kCpuTypes[pick(std::size(kCpuTypes))], 4);                            // cputype
      case 3: return put(12, rng() % 4 ? 1 : pick(12), 4);                                        // filetype: MH_OBJECT, or another
      default: return put(24, get(24, 4) ^ (uint32_t(1) << pick(32)), 4);                         // flags (MH_SUBSECTIONS_VIA_SYMBOLS...)
    }
  }

  bool command() {
    if (v.commands.empty()) return false;
    size_t i = pick(v.commands.size());
    const MachoView::Command& c = v.commands[i];
    switch (rng() % 5) {
      case 0:  // cmdsize
        return put(c.at + 4, rng() % 2 ? uint64_t(c.size) + 8 * (pick(5) - 2) : pick(4) * 4 + (rng() % 2 ? 0 : 0x10000), 4);
      case 1:  // id
        return put(c.at, kCommands[pick(std::size(kCommands))], 4);
      case 2: {  // order: swap it with the next command
        if (i + 1 >= v.commands.size()) return false;
        const MachoView::Command& b = v.commands[i + 1];
        if (b.at != c.at + c.size || !fits(c.at, uint64_t(c.size) + b.size)) return false;
        std::rotate(d + c.at, d + b.at, d + b.at + b.size);
        return true;
      }
      case 3: {  // duplicate: another command of at least its size becomes a copy of it (cmdsize kept)
        size_t j = pick(v.commands.size());
        const MachoView::Command& t = v.commands[j];
        if (j == i || t.size < c.size) return false;
        std::memmove(d + t.at, d + c.at, c.size);
        L.put(d + t.at + 4, t.size, 4);
        return true;
      }
      default:  // one word of its body (offsets, counts, versions)
        if (c.size < 12) return false;
        {
          uint64_t at = c.at + 8 + 4 * pick((c.size - 8) / 4);
          return put(at, nudge(get(at, 4), 16), 4);
        }
    }
  }

  bool segment() {
    std::vector<const MachoView::Command*> segs;
    for (const MachoView::Command& c : v.commands)
      if (c.cmd == L.segment_cmd && c.size >= L.segment) segs.push_back(&c);
    if (segs.empty()) return false;
    uint64_t at = segs[pick(segs.size())]->at;
    switch (rng() % 5) {
      case 0: return put(at + L.seg_nsects, get(at + L.seg_nsects, 4) + pick(5) - 2, 4);
      case 1: return put(at + L.seg_vmaddr, nudge(get(at + L.seg_vmaddr, L.word), 64), L.word);
      case 2: return put(at + L.seg_vmsize, size_like(get(at + L.seg_vmsize, L.word)), L.word);
      case 3: return put(at + (rng() % 2 ? L.seg_fileoff : L.seg_filesize), size_like(get(at + L.seg_fileoff, L.word)), L.word);
      default: return put(at + L.seg_maxprot + 4 * pick(2), pick(8), 4);  // maxprot / initprot
    }
  }

  bool section() {
    if (v.sections.empty()) return false;
    const MachoView::Section& s = v.sections[pick(v.sections.size())];
    const uint64_t h = s.at;
    switch (rng() % 10) {
      case 0: return put(h + L.sect_addr, nudge(get(h + L.sect_addr, L.word), 32), L.word);  // addr (alignment, overlap)
      case 1: return put(h + L.sect_size, size_like(s.size), L.word);
      case 2: return put(h + L.sect_offset, rng() % 2 ? s.offset + pick(33) - 16 : (rng() % 2 ? 0 : n + pick(64)), 4);
      case 3: return put(h + L.sect_align(), rng() % 8 ? pick(16) : (rng() % 2 ? 31 : 64 + pick(200)), 4);
      case 4: return put(h + L.sect_reloff(), rng() % 2 ? s.reloff + 8 * (pick(5) - 2) : pick(n + 16), 4);
      case 5: return put(h + L.sect_nreloc(), rng() % 2 ? s.nreloc + pick(5) - 2 : kInterestingSizes[pick(std::size(kInterestingSizes))], 4);
      case 6: return put(h + L.sect_flags(), (s.flags & ~0xffu) | pick(0x17), 4);  // type
      case 7: return put(h + L.sect_flags(), s.flags ^ kSectionAttributes[pick(std::size(kSectionAttributes))], 4);
      case 8: return put_name(h, kSectionNames[pick(std::size(kSectionNames))]);
      default: return put_name(h + 16, kSegmentNames[pick(std::size(kSegmentNames))]);
    }
  }

  bool symbol() {
    if (!v.nsyms) return false;
    const uint64_t y = v.symoff + L.nlist * pick(v.nsyms);
    switch (rng() % 6) {
      case 0: {  // n_type: N_EXT, N_PEXT, N_TYPE (UNDF ABS SECT PBUD INDR), or a stab
        static const uint8_t kTypes[] = {0x0, 0x2, 0xe, 0xc, 0xa};
        uint8_t t = d[y + 4];
        switch (rng() % 4) {
          case 0: t ^= 0x01; break;
          case 1: t ^= 0x10; break;
          case 2: t = uint8_t((t & ~0x0e) | kTypes[pick(std::size(kTypes))]); break;
          default: t = rng() % 2 ? uint8_t(0x20 + pick(0xc0)) : uint8_t(pick(256)); break;
        }
        d[y + 4] = t;
        return true;
      }
      case 1:  // n_sect: another ordinal, NO_SECT, one past the last, MAX_SECT
        d[y + 5] = uint8_t(rng() % 4 ? pick(v.sections.size() + 2) : 255);
        return true;
      case 2: {  // n_desc: N_WEAK_REF, N_WEAK_DEF, N_NO_DEAD_STRIP, REFERENCE_TYPE, a common's alignment
        static const uint16_t kBits[] = {0x0040, 0x0080, 0x0020, 0x0008, 0x0100, 0x0200, 0x0007, 0x0f00};
        return put(y + 6, rng() % 4 ? get(y + 6, 2) ^ kBits[pick(std::size(kBits))] : rng(), 2);
      }
      case 3:  // n_value: moved, interesting, or a common's size
        return put(y + 8, rng() % 4 ? nudge(get(y + 8, L.word), 32) : size_like(0), L.word);
      case 4:  // n_strx: another name, the table's end, past it
        return put(y, rng() % 2 ? pick(v.strsize + 2) : (rng() % 2 ? 0 : v.strsize + pick(0x10000)), 4);
      default: {  // a whole entry copied over another (duplicate definitions)
        uint64_t z = v.symoff + L.nlist * pick(v.nsyms);
        std::memmove(d + z, d + y, L.nlist);
        return true;
      }
    }
  }

  // A relocation entry of some section: its file offset, and the section.
  bool some_entry(uint64_t& at, const MachoView::Section*& sec, uint32_t& index) {
    std::vector<const MachoView::Section*> with;
    for (const MachoView::Section& s : v.sections)
      if (s.nreloc) with.push_back(&s);
    if (with.empty()) return false;
    sec = with[pick(with.size())];
    index = uint32_t(pick(sec->nreloc));
    at = uint64_t(sec->reloff) + 8 * uint64_t(index);
    return true;
  }
  static uint32_t info(uint32_t symbolnum, bool pcrel, uint32_t length, bool ext, uint32_t type) {
    return (symbolnum & 0xffffff) | uint32_t(pcrel) << 24 | (length & 3) << 25 | uint32_t(ext) << 27 | (type & 15) << 28;
  }

  bool relocation() {
    uint64_t at;
    const MachoView::Section* sec;
    uint32_t index;
    if (!some_entry(at, sec, index)) return false;
    uint32_t w0 = uint32_t(get(at, 4)), w1 = uint32_t(get(at + 4, 4));
    if (w0 & 0x80000000u) return scattered_fields(at);
    uint32_t sym = w1 & 0xffffff, type = w1 >> 28, length = (w1 >> 25) & 3;
    bool pcrel = (w1 >> 24) & 1, ext = (w1 >> 27) & 1;
    switch (rng() % 7) {
      case 0: type = reloc_type(); break;
      case 1: length = uint32_t(pick(4)); break;
      case 2: pcrel = !pcrel; break;
      case 3:  // r_extern: a symbol index becomes a section ordinal or back (the index kept)
        ext = !ext;
        break;
      case 4:  // r_symbolnum: in range of what it names, one past, R_ABS, the largest
        sym = rng() % 4 ? uint32_t(pick((ext ? v.nsyms : v.sections.size()) + 2)) : (rng() % 2 ? 0 : 0xffffff);
        break;
      case 5:  // r_address: nearby, the section's end, far
        w0 = rng() % 2 ? w0 + uint32_t(pick(17)) - 8
                       : (rng() % 2 ? uint32_t(sec->size) - uint32_t(pick(8)) : uint32_t(rng()) & 0x7fffffff);
        break;
      default:  // the addend in the field (the implicit addend, REL-style)
        return field(*sec, w0 & 0x7fffffff, length);
    }
    return put(at, w0, 4) && put(at + 4, info(sym, pcrel, length, ext, type), 4);
  }

  // The implicit addend: the bytes of the field a relocation patches.
  bool field(const MachoView::Section& s, uint32_t address, uint32_t length) {
    const uint64_t width = uint64_t(1) << length;
    if ((s.flags & 0xff) == 0x1 || (s.flags & 0xff) == 0xc || (s.flags & 0xff) == 0x12) return false;  // zerofill: no bytes
    if (address > s.size || width > s.size - address) return false;
    uint64_t at = uint64_t(s.offset) + address;
    return put(at, nudge(get(at, unsigned(width)), 8), unsigned(width));
  }

  // Pairs: the CPU's head (x86-64 SUBTRACTOR) and tail (UNSIGNED) on one
  // field — made from an entry and its successor, broken (the tail's type,
  // length or address changed), reordered, duplicated, or left at the end.
  bool pair() {
    uint64_t at;
    const MachoView::Section* sec;
    uint32_t index;
    if (!some_entry(at, sec, index)) return false;
    const uint32_t head = arch ? arch->pair_head : 5, tail = arch ? arch->pair_tail : 0;
    if (head == ~0u) return relocation();
    const bool has_next = index + 1 < sec->nreloc;
    const uint64_t next = at + 8;
    uint32_t w0 = uint32_t(get(at, 4)), w1 = uint32_t(get(at + 4, 4));
    if (L.word == 4 && rng() % 2) return scattered_pair(at, *sec, index);
    switch (rng() % 6) {
      case 0: {  // make one: this entry the head of a pair on the next entry's field
        if (!has_next) return false;
        uint32_t n0 = uint32_t(get(next, 4)), n1 = uint32_t(get(next + 4, 4));
        if (rng() % 2) n1 = (n1 & 0x0fffffff) | tail << 28, put(next + 4, n1, 4);  // the tail's type too
        uint32_t length = (n1 >> 25) & 3;
        return put(at, n0, 4) && put(at + 4, info(w1 & 0xffffff, false, length, (w1 >> 27) & 1, head), 4);
      }
      case 1:  // swap with the next entry (a tail before its head)
        if (!has_next) return false;
        for (unsigned k = 0; k < 8; k++) std::swap(d[at + k], d[next + k]);
        return true;
      case 2:  // the head becomes the last entry: the pair loses its tail
        return put(uint64_t(sec->reloff) + 8 * (uint64_t(sec->nreloc) - 1) + 4,
                   (uint32_t(get(uint64_t(sec->reloff) + 8 * (uint64_t(sec->nreloc) - 1) + 4, 4)) & 0x0fffffff) | head << 28, 4);
      case 3: {  // break the tail of a head: another type, length, or field
        if (!has_next || (w1 >> 28) != head) return false;
        uint32_t n0 = uint32_t(get(next, 4)), n1 = uint32_t(get(next + 4, 4));
        switch (rng() % 3) {
          case 0: n1 = (n1 & 0x0fffffff) | reloc_type() << 28; break;
          case 1: n1 = (n1 & ~(3u << 25)) | uint32_t(pick(4)) << 25; break;
          default: n0 += uint32_t(pick(9)) - 4; break;
        }
        return put(next, n0, 4) && put(next + 4, n1, 4);
      }
      case 4:  // duplicate the entry over the next (two fields on one place, or a pair twice)
        if (!has_next) return false;
        std::memmove(d + next, d + at, 8);
        return true;
      default:  // the head's subtrahend: extern or not, another symbol or section
        if ((w1 >> 28) != head) return false;
        w1 ^= rng() % 2 ? 1u << 27 : uint32_t(pick(4));
        return put(at, w0, 4) && put(at + 4, w1, 4);
    }
  }

  // A scattered difference pair on 32-bit CPUs (<mach-o/reloc.h>): the
  // head (i386 SECTDIFF 2 / LOCAL_SECTDIFF 4; ARM SECTDIFF 2 /
  // LOCAL_SECTDIFF 3 / HALF_SECTDIFF 9) with r_value the minuend's address
  // and the PAIR (1) right after it with r_value the subtrahend's, both
  // scattered and of one r_length, both addresses inside sections of the
  // object — the form ld64 reads, which plain entries never make. The pair
  // takes this entry and the next; the head keeps this entry's field
  // (r_address), or moves to another aligned field of its section. ARM's
  // HALF_SECTDIFF keeps the other half of the difference in the PAIR's
  // r_address; r_length bit 0 says which half (movt), bit 1 Thumb.
  bool scattered_pair(uint64_t at, const MachoView::Section& sec, uint32_t index) {
    if (index + 1 >= sec.nreloc || v.sections.empty() || !arch) return false;
    const bool arm = arch->machine == 12;
    if (!arm && arch->machine != 7) return false;
    static const uint32_t kI386Heads[] = {2, 4}, kArmHeads[] = {2, 3, 9};
    const uint32_t head = arm ? kArmHeads[pick(3)] : kI386Heads[pick(2)];
    const bool half = arm && head == 9;
    uint32_t length = half ? uint32_t(pick(4)) : (rng() % 4 ? 2u : uint32_t(pick(2)));
    uint32_t w0 = uint32_t(get(at, 4));
    uint32_t address = w0 & 0x80000000u ? w0 & 0xffffff : w0;
    if (rng() % 2 && sec.size >= 4) address = uint32_t(pick(sec.size - 3)) & ~3u;
    // Minuend and subtrahend: addresses inside (or just at the end of) a
    // section; the minuend often in this section, the subtrahend often its
    // start or a label before the field (as clang's jump tables and
    // pic-base differences are).
    auto inside = [&](const MachoView::Section& s) {
      uint64_t base = get(s.at + L.sect_addr, L.word);
      return uint32_t(base + (s.size ? pick(s.size + (rng() % 8 == 0)) : 0));
    };
    const MachoView::Section& ma = rng() % 2 ? sec : v.sections[pick(v.sections.size())];
    const MachoView::Section& sb = rng() % 2 ? sec : v.sections[pick(v.sections.size())];
    const uint32_t a = inside(ma), b = inside(sb);
    const uint32_t pcrel = rng() % 16 == 0;  // a pc-relative difference: refused by both loaders
    const uint32_t h0 = 0x80000000u | pcrel << 30 | (length & 3) << 28 | head << 24 | (address & 0xffffff);
    // The PAIR's r_address: 0 for SECTDIFF, the other 16 bits for HALF_SECTDIFF.
    const uint32_t other = half ? uint32_t(((a - b) >> (length & 1 ? 0 : 16)) & 0xffff) : 0;
    const uint32_t p0 = 0x80000000u | (length & 3) << 28 | 1u << 24 | (rng() % 8 ? other : uint32_t(pick(0x10000)));
    if (!put(at, h0, 4) || !put(at + 4, a, 4) || !put(at + 8, p0, 4) || !put(at + 12, b, 4)) return false;
    // The field's contents: the difference itself (as assemblers write it),
    // or left as it was (another addend).
    if (!half && rng() % 2) {
      const uint64_t width = uint64_t(1) << (length & 3);
      const uint32_t t = sec.flags & 0xff;
      if (t != 0x1 && t != 0xc && t != 0x12 && width <= 4 && address <= sec.size && width <= sec.size - address)
        put(uint64_t(sec.offset) + address, uint64_t(a - b), unsigned(width));
    }
    return true;
  }

  // scattered_relocation_info: r_address:24, r_type:4, r_length:2,
  // r_pcrel:1, r_scattered:1 in the first word; r_value (an address) in
  // the second. x86-64 and arm64 never use them (both loaders must refuse
  // them by name); i386 and ARM do.
  bool scattered() {
    uint64_t at;
    const MachoView::Section* sec;
    uint32_t index;
    if (!some_entry(at, sec, index)) return false;
    uint32_t w0 = uint32_t(get(at, 4));
    if (w0 & 0x80000000u) return rng() % 2 ? put(at, w0 & 0x7fffffff, 4) : scattered_fields(at);  // unscatter, or change
    uint32_t w1 = uint32_t(get(at + 4, 4));
    uint32_t s0 = 0x80000000u | (w0 & 0xffffff) | (w1 >> 28) << 24 | ((w1 >> 25) & 3) << 28 | ((w1 >> 24) & 1) << 30;
    // r_value: a section's address, or the field's own contents' neighbourhood.
    uint64_t value = v.sections.empty() ? 0 : get(v.sections[pick(v.sections.size())].at + L.sect_addr, L.word);
    return put(at, s0, 4) && put(at + 4, uint32_t(value + pick(16)), 4);
  }
  bool scattered_fields(uint64_t at) {
    uint32_t w0 = uint32_t(get(at, 4)), w1 = uint32_t(get(at + 4, 4));
    switch (rng() % 5) {
      case 0: w0 = (w0 & ~(15u << 24)) | reloc_type() << 24; break;
      case 1: w0 = (w0 & ~(3u << 28)) | uint32_t(pick(4)) << 28; break;
      case 2: w0 ^= 1u << 30; break;
      case 3: w0 = (w0 & 0xff000000u) | ((w0 + uint32_t(pick(17)) - 8) & 0xffffff); break;
      default: w1 = uint32_t(nudge(w1, 16)); break;
    }
    return put(at, w0, 4) && put(at + 4, w1, 4);
  }

  bool string_byte() {
    if (rng() % 2 && !v.sections.empty()) {  // a byte of a section or segment name
      const MachoView::Section& s = v.sections[pick(v.sections.size())];
      static const char kChars[] = "_tdabsxcmoinegr\0";
      return put(s.at + pick(32), uint8_t(kChars[pick(sizeof kChars)]), 1);
    }
    if (!v.strsize) return false;
    static const char kChars[] = "_._tdabsxinrocmlget$\0";
    d[v.stroff + pick(v.strsize)] = uint8_t(kChars[pick(sizeof kChars)]);
    return true;
  }

  uint8_t* d;
  size_t n;
  std::mt19937_64& rng;
  const MachoView& v;
  const MachoLayout& L;
  const ArchInvariants* arch = nullptr;
};

}  // namespace

bool mutate_macho(uint8_t* d, size_t n, std::mt19937_64& rng) {
  std::optional<MachoView> v = macho_view(d, n);
  if (!v) return false;
  return Mutation(d, n, rng, *v).run();
}

}  // namespace jitload::fuzz
