// Where the Mach-O fields the fuzz layer touches live (mach_header /
// mach_header_64, LC_SEGMENT / LC_SEGMENT_64 and their sections, LC_SYMTAB,
// nlist / nlist_64, relocation_info), for both classes, little-endian: the
// class is data (this table), not a code path, as elf-layout.h does for
// ELF. Offsets are those of Apple's <mach-o/loader.h> and <mach-o/nlist.h>
// records, written down here apart from the loaders (the fuzz layer is a
// third reader). The walker tolerates what a mutation broke: every command
// and table it returns lies inside the buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace jitload::fuzz {

struct MachoLayout {
  bool is64;
  unsigned word;           // 4 or 8: addresses and sizes of segments, sections, n_value
  unsigned header;         // 28 / 32
  unsigned segment_cmd;    // LC_SEGMENT 0x1 / LC_SEGMENT_64 0x19
  unsigned segment;        // 56 / 72: the command before its sections
  unsigned seg_nsects;     // 48 / 64
  unsigned seg_vmaddr, seg_vmsize, seg_fileoff, seg_filesize, seg_maxprot;  // then initprot
  unsigned section;        // 68 / 80
  unsigned sect_addr, sect_size, sect_offset;  // then align, reloff, nreloc, flags, reserved...
  unsigned nlist;          // 12 / 16: n_strx 0, n_type 4, n_sect 5, n_desc 6, n_value 8

  // section fields after size: offset, align, reloff, nreloc, flags (u32 each)
  constexpr unsigned sect_align() const { return sect_offset + 4; }
  constexpr unsigned sect_reloff() const { return sect_offset + 8; }
  constexpr unsigned sect_nreloc() const { return sect_offset + 12; }
  constexpr unsigned sect_flags() const { return sect_offset + 16; }

  static uint64_t get(const uint8_t* p, unsigned width) {
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++) v |= uint64_t(p[i]) << (8 * i);
    return v;
  }
  static void put(uint8_t* p, uint64_t v, unsigned width) {
    for (unsigned i = 0; i < width; i++) p[i] = uint8_t(v >> (8 * i));
  }
};

inline constexpr MachoLayout kMacho32{false, 4, 28, 0x1, 56, 48, 24, 28, 32, 36, 40, 68, 32, 36, 40, 12};
inline constexpr MachoLayout kMacho64{true, 8, 32, 0x19, 72, 64, 24, 32, 40, 48, 56, 80, 32, 40, 48, 16};
// Apple's record sizes and offsets, as <mach-o/loader.h> spells them.
static_assert(kMacho64.segment + kMacho64.section == 152 && kMacho64.sect_flags() == 64 && kMacho64.seg_nsects == 64);
static_assert(kMacho32.segment + kMacho32.section == 124 && kMacho32.sect_flags() == 56 && kMacho32.seg_nsects == 48);

// The layout of a little-endian Mach-O object's class; nullopt for other bytes.
inline std::optional<MachoLayout> macho_layout(const uint8_t* d, size_t n) {
  if (n < 28 || d[1] != 0xfa || d[2] != 0xed || d[3] != 0xfe || (d[0] != 0xce && d[0] != 0xcf)) return std::nullopt;
  const MachoLayout& l = d[0] == 0xcf ? kMacho64 : kMacho32;
  if (n < l.header) return std::nullopt;
  return l;
}

// One pass over what the object's headers name, bounded by the buffer.
struct MachoView {
  struct Command {
    uint64_t at;  // file offset of its load_command
    uint32_t cmd, size;
  };
  struct Section {
    uint64_t at;  // file offset of its section header
    uint64_t size;
    uint32_t offset, reloff, nreloc;  // nreloc: the entries that lie inside the buffer
    uint32_t flags;
  };
  MachoLayout L;
  std::vector<Command> commands;       // each inside the buffer (its cmdsize clipped)
  std::vector<Section> sections;       // in ordinal order (n_sect - 1)
  uint64_t symoff = 0, nsyms = 0;      // nsyms: the entries inside the buffer
  uint64_t stroff = 0, strsize = 0;    // strsize: the bytes inside the buffer
  uint64_t symtab_at = 0;              // the LC_SYMTAB command, 0: none
};

// The walk macho_view records, for a caller that needs no copy: fills v's
// layout and symbol table fields (leaving its vectors alone) and calls
// on_command(Command) and on_section(Section) as it goes. The fuzz loop's
// memory estimate (fuzz/harness.cc) runs it for every Mach-O input, where
// the two vectors were two or more of an input's heap allocations.
template <class OnCommand, class OnSection>
bool macho_walk(const uint8_t* d, size_t n, MachoView& v, OnCommand&& on_command, OnSection&& on_section) {
  std::optional<MachoLayout> layout = macho_layout(d, n);
  if (!layout) return false;
  v.L = *layout;
  const MachoLayout& L = v.L;
  uint64_t ncmds = L.get(d + 16, 4);
  uint64_t at = L.header;
  for (uint64_t i = 0; i < ncmds && i < 4096 && at + 8 <= n; i++) {
    uint32_t cmd = uint32_t(L.get(d + at, 4)), size = uint32_t(L.get(d + at + 4, 4));
    if (size < 8) break;  // a loader stops here too
    uint64_t fits = std::min<uint64_t>(size, n - at);
    on_command(MachoView::Command{at, cmd, uint32_t(fits)});
    if (cmd == L.segment_cmd && fits >= L.segment) {
      uint64_t nsects = L.get(d + at + L.seg_nsects, 4);
      for (uint64_t k = 0; k < nsects && L.segment + (k + 1) * L.section <= fits; k++) {
        uint64_t h = at + L.segment + k * L.section;
        MachoView::Section s{h, L.get(d + h + L.sect_size, L.word), uint32_t(L.get(d + h + L.sect_offset, 4)),
                             uint32_t(L.get(d + h + L.sect_reloff(), 4)), uint32_t(L.get(d + h + L.sect_nreloc(), 4)),
                             uint32_t(L.get(d + h + L.sect_flags(), 4))};
        s.nreloc = s.reloff > n ? 0 : uint32_t(std::min<uint64_t>(s.nreloc, (n - s.reloff) / 8));
        on_section(s);
      }
    } else if (cmd == 0x2 && fits >= 24 && !v.symtab_at) {  // LC_SYMTAB
      v.symtab_at = at;
      v.symoff = L.get(d + at + 8, 4);
      v.nsyms = v.symoff > n ? 0 : std::min<uint64_t>(L.get(d + at + 12, 4), (n - v.symoff) / L.nlist);
      v.stroff = L.get(d + at + 16, 4);
      v.strsize = v.stroff > n ? 0 : std::min<uint64_t>(L.get(d + at + 20, 4), n - v.stroff);
    }
    at += size;
  }
  return true;
}

inline std::optional<MachoView> macho_view(const uint8_t* d, size_t n) {
  MachoView v{};
  if (!macho_walk(
          d, n, v, [&](const MachoView::Command& c) { v.commands.push_back(c); },
          [&](const MachoView::Section& s) { v.sections.push_back(s); }))
    return std::nullopt;
  return v;
}

}  // namespace jitload::fuzz
