// One bounds-checked, read-only view of an ELF file for the tools, tests,
// benchmarks, fuzzers and the conformance layer (everything outside the
// loaders; the engine and the reference keep their own readers, so that a
// mistake here cannot hide one there). Class (ELF32/ELF64) and byte order
// are data: one table of field offsets and widths per class, one `read`
// that honours the byte order. Every accessor checks its bounds and
// answers "absent" (std::nullopt / false / empty) instead of reading past
// the buffer; nothing here throws or aborts.
//
// Field offsets are the gABI's (Figure 4-3 ELF header, 4-8 section header,
// 4-16 symbol, 4-22 relocation), transcribed here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace jitload::elfview {

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

// Where each field sits, per class.
struct Layout {
  unsigned ehdr_size;
  unsigned e_type, e_machine, e_shoff, e_shoff_w, e_flags, e_shentsize, e_shnum, e_shstrndx;
  unsigned shdr_size;
  unsigned sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, sh_addralign,
      sh_entsize, sh_word;  // sh_word: width of flags/addr/offset/size/align/entsize
  unsigned sym_size;
  unsigned st_name, st_info, st_other, st_shndx, st_value, st_size, st_word;
  unsigned rel_size, rela_size;
  unsigned r_offset, r_info, r_addend, r_word;
};

inline constexpr Layout kElf64{64, 16, 18, 40, 8, 48, 58, 60, 62,
                               64, 0, 4, 8, 16, 24, 32, 40, 44, 48, 56, 8,
                               24, 0, 4, 5, 6, 8, 16, 8,
                               16, 24, 0, 8, 16, 8};
inline constexpr Layout kElf32{52, 16, 18, 32, 4, 36, 46, 48, 50,
                               40, 0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 4,
                               16, 0, 12, 13, 14, 4, 8, 4,
                               8, 12, 0, 4, 8, 4};

struct Section {
  u32 index = 0;
  std::string_view name;
  u32 name_offset = 0;  // in the section-name table
  u32 type = 0;
  u64 flags = 0, addr = 0, offset = 0, size = 0, align = 0, entsize = 0;
  u32 link = 0, info = 0;
};

struct Symbol {
  std::string_view name;
  u8 info = 0, other = 0;
  u16 shndx = 0;
  u64 value = 0, size = 0;
  u8 bind() const { return info >> 4; }
  u8 type() const { return info & 0xf; }
};

struct Relocation {
  u64 offset = 0;
  u32 symbol = 0, type = 0;
  int64_t addend = 0;  // 0 for SHT_REL
};

class View {
 public:
  // Checks: the identification (magic, EI_CLASS 1/2, EI_DATA 1/2), a whole
  // header, a section table inside the file with entries of the class's
  // size (extended numbering: e_shnum 0 / e_shstrndx 0xffff read from
  // section 0), its names table inside the file. A file with no section
  // table is valid (no sections).
  static std::optional<View> open(std::span<const u8> bytes, std::string* why = nullptr) {
    View v;
    v.b_ = bytes;
    // The reason is built only when asked for: most callers pass no `why`,
    // and the fuzzers open a malformed view on most inputs.
    auto fail = [&](const char* m) -> std::optional<View> {
      if (why) *why = m;
      return std::nullopt;
    };
    auto fail_with = [&](auto reason) -> std::optional<View> {
      if (why) *why = reason();
      return std::nullopt;
    };
    if (bytes.size() < 16 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F')
      return fail("not an ELF file");
    if (bytes[4] != 1 && bytes[4] != 2) return fail("unknown ELF class");
    if (bytes[5] != 1 && bytes[5] != 2) return fail("unknown ELF byte order");
    v.is64_ = bytes[4] == 2;
    v.le_ = bytes[5] == 1;
    v.l_ = v.is64_ ? &kElf64 : &kElf32;
    if (bytes.size() < v.l_->ehdr_size) return fail("ELF header truncated");
    v.machine_ = u16(v.rd(v.l_->e_machine, 2));
    v.type_ = u16(v.rd(v.l_->e_type, 2));
    v.flags_ = u32(v.rd(v.l_->e_flags, 4));
    u64 shoff = v.rd(v.l_->e_shoff, v.l_->e_shoff_w);
    if (shoff == 0) return v;
    if (v.rd(v.l_->e_shentsize, 2) != v.l_->shdr_size) return fail("section header size is not the class's");
    if (!v.has(shoff, v.l_->shdr_size))
      return fail_with([&] {
        return "section table at file offset " + std::to_string(shoff) + " outside the file (" +
               std::to_string(bytes.size()) + " bytes)";
      });
    u64 count = v.rd(v.l_->e_shnum, 2), strndx = v.rd(v.l_->e_shstrndx, 2);
    if (count == 0) count = v.rd(shoff + v.l_->sh_size, v.l_->sh_word);
    if (strndx == 0xffff) strndx = v.rd(shoff + v.l_->sh_link, 4);
    if (count > (bytes.size() - shoff) / v.l_->shdr_size)
      return fail_with([&] {
        return "section table (" + std::to_string(count) + " entries at file offset " + std::to_string(shoff) +
               ") does not fit in the file";
      });
    v.shoff_ = shoff;
    v.shnum_ = count;
    if (strndx != 0) {
      if (strndx >= count) return fail("section name table index out of range");
      Section names = v.raw_section(u32(strndx));
      if (names.type != 8 && !v.has(names.offset, names.size)) return fail("section names outside the file");
      v.shstr_ = names;
    }
    return v;
  }

  bool is64() const { return is64_; }
  bool little_endian() const { return le_; }
  u16 machine() const { return machine_; }
  u16 type() const { return type_; }
  u32 flags() const { return flags_; }
  const Layout& layout() const { return *l_; }
  std::span<const u8> bytes() const { return b_; }
  u64 section_count() const { return shnum_; }

  // A value of `width` bytes at `offset`, in the file's byte order; 0 when
  // out of bounds (callers that must know use has()).
  u64 rd(u64 offset, unsigned width) const {
    if (!has(offset, width)) return 0;
    return read_value(b_.data() + offset, width, le_);
  }
  bool has(u64 offset, u64 length) const { return offset <= b_.size() && length <= b_.size() - offset; }

  static u64 read_value(const u8* p, unsigned width, bool little) {
    u64 v = 0;
    for (unsigned i = 0; i < width; i++) v |= u64(p[i]) << (8 * (little ? i : width - 1 - i));
    return v;
  }

  std::optional<Section> section(u64 index) const {
    if (index >= shnum_) return std::nullopt;
    Section s = raw_section(u32(index));
    s.name = string_at(shstr_, s.name_offset);
    return s;
  }
  std::vector<Section> sections() const {
    std::vector<Section> out;
    for (u64 i = 0; i < shnum_; i++) out.push_back(*section(i));
    return out;
  }
  std::optional<Section> section_named(std::string_view name) const {
    for (u64 i = 0; i < shnum_; i++)
      if (auto s = section(i); s && s->name == name) return s;
    return std::nullopt;
  }
  // A section's bytes, empty for SHT_NOBITS or one outside the file.
  std::span<const u8> contents(const Section& s) const {
    if (s.type == 8 || !has(s.offset, s.size)) return {};
    return b_.subspan(s.offset, s.size);
  }
  // A NUL-terminated string in a string-table section; empty when outside.
  std::string_view string_at(const Section& table, u64 offset) const {
    if (table.type == 8 || !has(table.offset, table.size) || offset >= table.size) return {};
    const char* p = reinterpret_cast<const char*>(b_.data() + table.offset);
    u64 end = offset;
    while (end < table.size && p[end]) end++;
    return std::string_view(p + offset, end - offset);
  }
  // The symbols of a SHT_SYMTAB/SHT_DYNSYM section (names from its sh_link
  // table); whole entries inside the section only.
  std::vector<Symbol> symbols(const Section& symtab) const {
    std::vector<Symbol> out;
    auto data = contents(symtab);
    auto strtab = section(symtab.link);
    for (u64 at = 0; at + l_->sym_size <= data.size(); at += l_->sym_size) {
      u64 o = symtab.offset + at;
      Symbol y;
      y.info = u8(rd(o + l_->st_info, 1));
      y.other = u8(rd(o + l_->st_other, 1));
      y.shndx = u16(rd(o + l_->st_shndx, 2));
      y.value = rd(o + l_->st_value, l_->st_word);
      y.size = rd(o + l_->st_size, l_->st_word);
      if (strtab) y.name = string_at(*strtab, rd(o + l_->st_name, 4));
      out.push_back(y);
    }
    return out;
  }
  // The entries of a SHT_RELA (4) or SHT_REL (9) section.
  std::vector<Relocation> relocations(const Section& s) const {
    std::vector<Relocation> out;
    bool rela = s.type == 4;
    unsigned size = rela ? l_->rela_size : l_->rel_size;
    auto data = contents(s);
    for (u64 at = 0; at + size <= data.size(); at += size) {
      u64 o = s.offset + at;
      Relocation r;
      r.offset = rd(o + l_->r_offset, l_->r_word);
      u64 info = rd(o + l_->r_info, l_->r_word);
      // ELF64: symbol in the high 32 bits; ELF32: symbol << 8 | type.
      r.symbol = is64_ ? u32(info >> 32) : u32(info >> 8);
      r.type = is64_ ? u32(info) : u32(info & 0xff);
      if (rela) {
        u64 a = rd(o + l_->r_addend, l_->r_word);
        r.addend = is64_ ? int64_t(a) : int64_t(int32_t(u32(a)));
      }
      out.push_back(r);
    }
    return out;
  }

 private:
  Section raw_section(u32 i) const {
    const u64 h = shoff_ + u64(i) * l_->shdr_size;
    Section s;
    s.index = i;
    s.name_offset = u32(rd(h + l_->sh_name, 4));
    s.type = u32(rd(h + l_->sh_type, 4));
    s.flags = rd(h + l_->sh_flags, l_->sh_word);
    s.addr = rd(h + l_->sh_addr, l_->sh_word);
    s.offset = rd(h + l_->sh_offset, l_->sh_word);
    s.size = rd(h + l_->sh_size, l_->sh_word);
    s.link = u32(rd(h + l_->sh_link, 4));
    s.info = u32(rd(h + l_->sh_info, 4));
    s.align = rd(h + l_->sh_addralign, l_->sh_word);
    s.entsize = rd(h + l_->sh_entsize, l_->sh_word);
    return s;
  }

  std::span<const u8> b_;
  const Layout* l_ = &kElf64;
  bool is64_ = true, le_ = true;
  u16 machine_ = 0, type_ = 0;
  u32 flags_ = 0;
  u64 shoff_ = 0, shnum_ = 0;
  Section shstr_{};
};

// Machine numbers the conformance layer names (gABI e_machine).
inline constexpr u16 kEmX86_64 = 62;
inline constexpr u16 kEmAArch64 = 183;
inline constexpr u16 kEmRiscv = 243;  // RV32 (ELFCLASS32) and RV64 (ELFCLASS64)
inline constexpr u16 kEmLoongArch = 258;  // LoongArch64 (ELFCLASS64)

// The target triple an object stands for, from its own header: what the
// report records (not what the scenario said). "" for a machine not named.
inline std::string triple_of(const View& v) {
  switch (v.machine()) {
    case kEmX86_64: return v.is64() && v.little_endian() ? "x86_64-unknown-linux-gnu" : "";
    case kEmAArch64: return v.little_endian() ? "aarch64-unknown-linux-gnu" : "aarch64_be-unknown-linux-gnu";
    case kEmRiscv:
      if (!v.little_endian()) return "";
      return v.is64() ? "riscv64-unknown-linux-gnu" : "riscv32-unknown-linux-gnu";
    case kEmLoongArch: return v.is64() && v.little_endian() ? "loongarch64-unknown-linux-gnu" : "";
  }
  return "";
}

}  // namespace jitload::elfview
