// A tiny writer of relocatable ELF64 x86-64 objects, for tests: each test
// states its sections, symbols and relocations in a few lines, so the
// object it loads reads as a one-line difference from the last one. Test
// support only (header-only, not part of the library).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace jitload::reference::testing {

class ElfBuilder {
 public:
  struct Section {
    std::string name;
    uint32_t type = 1;  // SHT_PROGBITS
    uint64_t flags = 0x6;  // SHF_ALLOC | SHF_EXECINSTR
    std::vector<uint8_t> bytes;
    uint64_t size = 0;  // NOBITS size
    uint64_t align = 16;
  };
  struct Symbol {
    std::string name;
    uint8_t info = 0x10;  // STB_GLOBAL, STT_NOTYPE
    uint16_t shndx = 0;
    uint64_t value = 0;
    uint64_t size = 0;
    uint8_t other = 0;  // st_other: visibility (1 internal, 2 hidden, 3 protected)
  };
  struct Rela {
    uint32_t section;  // builder section number (1-based, as returned by add_section)
    uint64_t offset;
    uint32_t type;
    uint32_t symbol;  // builder symbol number (1-based, as returned by add_symbol)
    int64_t addend;
  };

  // Returns the section header index the section will have.
  uint32_t add_section(Section s) {
    sections_.push_back(std::move(s));
    return uint32_t(sections_.size());
  }
  // Returns the symbol table index. Locals must be added before globals.
  uint32_t add_symbol(Symbol y) {
    symbols_.push_back(std::move(y));
    return uint32_t(symbols_.size());
  }
  void add_rela(Rela r) { relas_.push_back(r); }
  uint16_t machine = 62;
  uint16_t type = 1;

  std::vector<uint8_t> build() const {
    // Layout: header, section contents, symtab, strtab, rela tables,
    // shstrtab, section headers. Header indexes: 0 null, 1..n user
    // sections, then .symtab, .strtab, one .rela per relocated section,
    // .shstrtab.
    std::vector<uint8_t> out(64, 0);
    std::string shstr(1, '\0'), str(1, '\0');
    struct Hdr {
      uint32_t name, type;
      uint64_t flags, offset, size;
      uint32_t link, info;
      uint64_t align, entsize;
    };
    std::vector<Hdr> hdrs(1, Hdr{});
    auto name_in = [](std::string& table, const std::string& n) {
      uint32_t at = uint32_t(table.size());
      table += n;
      table.push_back('\0');
      return at;
    };
    auto pad = [&](uint64_t a) {
      while (out.size() % a) out.push_back(0);
    };
    for (const Section& s : sections_) {
      pad(s.align ? s.align : 1);
      Hdr h{name_in(shstr, s.name), s.type, s.flags, out.size(),
            s.type == 8 ? s.size : s.bytes.size(), 0, 0, s.align, 0};
      if (s.type != 8) out.insert(out.end(), s.bytes.begin(), s.bytes.end());
      hdrs.push_back(h);
    }
    uint32_t symtab_index = uint32_t(hdrs.size());
    pad(8);
    uint64_t symtab_off = out.size();
    out.resize(out.size() + 24, 0);  // symbol 0
    uint32_t locals = 1;
    for (const Symbol& y : symbols_) {
      uint8_t e[24] = {};
      put32(e, name_in(str, y.name));
      e[4] = y.info;
      e[5] = y.other;
      put16(e + 6, y.shndx);
      put64(e + 8, y.value);
      put64(e + 16, y.size);
      out.insert(out.end(), e, e + 24);
      if ((y.info >> 4) == 0) locals++;
    }
    hdrs.push_back(Hdr{name_in(shstr, ".symtab"), 2, 0, symtab_off, out.size() - symtab_off, symtab_index + 1, locals, 8, 24});
    uint64_t str_off = out.size();
    out.insert(out.end(), str.begin(), str.end());
    hdrs.push_back(Hdr{name_in(shstr, ".strtab"), 3, 0, str_off, str.size(), 0, 0, 1, 0});
    for (uint32_t target = 1; target <= sections_.size(); target++) {
      std::vector<const Rela*> mine;
      for (const Rela& r : relas_)
        if (r.section == target) mine.push_back(&r);
      if (mine.empty()) continue;
      pad(8);
      uint64_t off = out.size();
      for (const Rela* r : mine) {
        uint8_t e[24] = {};
        put64(e, r->offset);
        put64(e + 8, (uint64_t(r->symbol) << 32) | r->type);
        put64(e + 16, uint64_t(r->addend));
        out.insert(out.end(), e, e + 24);
      }
      hdrs.push_back(Hdr{name_in(shstr, ".rela" + sections_[target - 1].name), 4, 0x40, off, out.size() - off,
                         symtab_index, target, 8, 24});
    }
    uint32_t shstr_index = uint32_t(hdrs.size());
    uint32_t shstr_name = name_in(shstr, ".shstrtab");
    uint64_t shstr_off = out.size();
    out.insert(out.end(), shstr.begin(), shstr.end());
    hdrs.push_back(Hdr{shstr_name, 3, 0, shstr_off, shstr.size(), 0, 0, 1, 0});
    pad(8);
    uint64_t shoff = out.size();
    for (const Hdr& h : hdrs) {
      uint8_t e[64] = {};
      put32(e, h.name);
      put32(e + 4, h.type);
      put64(e + 8, h.flags);
      put64(e + 24, h.offset);
      put64(e + 32, h.size);
      put32(e + 40, h.link);
      put32(e + 44, h.info);
      put64(e + 48, h.align);
      put64(e + 56, h.entsize);
      out.insert(out.end(), e, e + 64);
    }
    const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    std::memcpy(out.data(), ident, 16);
    put16(&out[16], type);
    put16(&out[18], machine);
    put32(&out[20], 1);
    put64(&out[40], shoff);
    put16(&out[52], 64);
    put16(&out[58], 64);
    put16(&out[60], uint16_t(hdrs.size()));
    put16(&out[62], uint16_t(shstr_index));
    return out;
  }

  static void put16(uint8_t* p, uint16_t v) { p[0] = uint8_t(v), p[1] = uint8_t(v >> 8); }
  static void put32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = uint8_t(v >> (8 * i));
  }
  static void put64(uint8_t* p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = uint8_t(v >> (8 * i));
  }

 private:
  std::vector<Section> sections_;
  std::vector<Symbol> symbols_;
  std::vector<Rela> relas_;
};

}  // namespace jitload::reference::testing
