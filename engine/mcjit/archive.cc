#include "engine/mcjit/archive.h"

#include <cstring>

#include "engine/loader/core/reader.h"

namespace jitload {

namespace {

constexpr char kMagic[] = "!<arch>\n";
constexpr char kThinMagic[] = "!<thin>\n";
constexpr u64 kMagicSize = 8;
constexpr u64 kHeaderSize = 60;

// The fixed fields of a member header, as offsets into its 60 bytes.
constexpr u64 kNameField = 0, kNameWidth = 16;
constexpr u64 kSizeField = 48, kSizeWidth = 10;
constexpr u64 kTerminatorField = 58;

std::string_view field(std::span<const u8> header, u64 off, u64 width) {
  return std::string_view(reinterpret_cast<const char*>(header.data()) + off, width);
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// A decimal header field: digits, then only spaces. Returns false on
// anything else (empty, sign, letters, overflow).
bool parse_decimal(std::string_view s, u64& out) {
  s = trim_right(s);
  if (s.empty()) return false;
  u64 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    if (v > (~u64(0) - 9) / 10) return false;
    v = v * 10 + u64(c - '0');
  }
  out = v;
  return true;
}

}  // namespace

bool is_archive(std::span<const u8> bytes) {
  return bytes.size() >= kMagicSize && std::memcmp(bytes.data(), kMagic, kMagicSize) == 0;
}

Error Archive::malformed(u64 offset, const std::string& what) const {
  return Error(ErrorKind::Malformed, format("%s:(offset %s): %s", name_.c_str(), hex(offset).c_str(), what.c_str()),
               offset);
}

Expected<ArchiveMember> Archive::member_at(u64 header_offset) const {
  // Checks, in order: the header lies inside the file; its terminator is
  // "`\n"; the size field is decimal; the data lies inside the file; a BSD
  // "#1/N" name lies inside the data; a GNU "/N" long name lies inside "//".
  Reader r(bytes_);
  if (header_offset < kMagicSize || !r.contains(header_offset, kHeaderSize))
    return malformed(header_offset, "member header outside the archive");
  std::span<const u8> header = bytes_.subspan(header_offset, kHeaderSize);
  if (header[kTerminatorField] != '`' || header[kTerminatorField + 1] != '\n')
    return malformed(header_offset, "member header does not end in \"`\\n\"");
  u64 size = 0;
  if (!parse_decimal(field(header, kSizeField, kSizeWidth), size))
    return malformed(header_offset + kSizeField,
                     format("member size field '%s' is not a decimal number",
                            std::string(field(header, kSizeField, kSizeWidth)).c_str()));
  u64 data_offset = header_offset + kHeaderSize;
  if (!r.contains(data_offset, size))
    return malformed(header_offset, format("member of %llu bytes runs past the end of the archive (%zu bytes)",
                                           (unsigned long long)size, bytes_.size()));
  ArchiveMember m;
  m.header_offset = header_offset;
  m.data = bytes_.subspan(data_offset, size);

  std::string_view raw = trim_right(field(header, kNameField, kNameWidth));
  if (raw.starts_with("#1/")) {
    // BSD: the name's length is in the header, its bytes start the data.
    u64 len = 0;
    if (!parse_decimal(raw.substr(3), len) || len > size)
      return malformed(header_offset, format("BSD long name '%s' is invalid", std::string(raw).c_str()));
    std::string_view n(reinterpret_cast<const char*>(m.data.data()), len);
    if (auto nul = n.find('\0'); nul != std::string_view::npos) n = n.substr(0, nul);
    m.name = std::string(n);
    m.data = m.data.subspan(len);
  } else if (raw.size() > 1 && raw[0] == '/' && raw[1] >= '0' && raw[1] <= '9') {
    // GNU: "/N" is an offset into the "//" member; names there end in "/\n".
    u64 off = 0;
    if (!parse_decimal(raw.substr(1), off) || off >= long_names_.size())
      return malformed(header_offset, format("long name reference '%s' is outside the long-name table",
                                             std::string(raw).c_str()));
    std::string_view table(reinterpret_cast<const char*>(long_names_.data()), long_names_.size());
    std::string_view n = table.substr(off);
    n = n.substr(0, n.find('\n'));
    if (n.ends_with('/')) n.remove_suffix(1);
    m.name = std::string(n);
  } else {
    // GNU ends ordinary names in '/'; the special members ("/", "//",
    // "/SYM64/") start with one and keep their spelling.
    if (!raw.starts_with('/') && raw.ends_with('/')) raw.remove_suffix(1);
    m.name = std::string(raw);
  }
  return m;
}

Expected<Archive> Archive::parse(std::span<const u8> bytes, std::string name) {
  Archive a;
  a.bytes_ = bytes;
  a.name_ = std::move(name);
  if (bytes.size() >= kMagicSize && std::memcmp(bytes.data(), kThinMagic, kMagicSize) == 0)
    return Error(ErrorKind::Unsupported, a.name_ + ": thin archives are not supported; use a regular archive", 0);
  if (!is_archive(bytes)) return a.malformed(0, "not an archive: the file does not start with \"!<arch>\\n\"");

  // The special members come first: the symbol index, then (GNU) the long
  // name table. Walk them until the first ordinary member; ordinary members
  // are only read when the index points at them.
  bool have_index = false;
  bool have_members = false;
  u64 off = kMagicSize;
  while (off < bytes.size()) {
    // A lone padding byte may end the file.
    if (bytes.size() - off == 1 && bytes[off] == '\n') break;
    Expected<ArchiveMember> m = a.member_at(off);
    if (!m) return m.take_error();
    u64 body_offset = u64(m->data.data() - bytes.data());
    const std::string& n = m->name;
    if (n == "/" || n == "/SYM64/") {
      if (have_index) return a.malformed(off, "second symbol index");
      TRY(a.parse_gnu_index(m->data, n == "/SYM64/", body_offset));
      have_index = true;
    } else if (n == "//") {
      a.long_names_ = m->data;
    } else if (n == "__.SYMDEF" || n == "__.SYMDEF SORTED" || n == "__.SYMDEF_64" ||
               n == "__.SYMDEF_64 SORTED") {
      if (have_index) return a.malformed(off, "second symbol index");
      a.bsd_ = true;
      TRY(a.parse_bsd_index(m->data, n.starts_with("__.SYMDEF_64"), body_offset));
      have_index = true;
    } else {
      have_members = true;
      break;
    }
    u64 next = body_offset + m->data.size();
    off = next + (next & 1);
  }
  if (have_members && !have_index)
    return Error(ErrorKind::Unsupported,
                 a.name_ + ": archive has no symbol index, so its members cannot be found by symbol "
                           "(add one with `llvm-ar s` or `ranlib`)");
  // Every offset of the index must name a well-formed member: checked now so
  // that a bad archive fails when added, not in the middle of a link.
  for (const auto& [sym, member] : a.symbols_) {
    Expected<ArchiveMember> m = a.member_at(member);
    if (!m)
      return Error(ErrorKind::Malformed,
                   format("%s: symbol index entry '%s' points at offset %s: %s", a.name_.c_str(), sym.c_str(),
                          hex(member).c_str(), m.error().message().c_str()),
                   member);
  }
  return a;
}

Error Archive::parse_gnu_index(std::span<const u8> body, bool wide, u64 body_offset) {
  // Big-endian count, count offsets, then count NUL-terminated names.
  const u64 w = wide ? 8 : 4;
  auto read_be = [&](u64 off) {
    u64 v = 0;
    for (u64 i = 0; i < w; i++) v = (v << 8) | body[off + i];
    return v;
  };
  if (body.size() < w) return malformed(body_offset, "symbol index is too short for its count");
  u64 count = read_be(0);
  if (count > (body.size() - w) / w)
    return malformed(body_offset, format("symbol index claims %llu entries but has room for %llu",
                                         (unsigned long long)count, (unsigned long long)((body.size() - w) / w)));
  u64 strings = w + count * w;
  u64 pos = strings;
  for (u64 i = 0; i < count; i++) {
    u64 member = read_be(w + i * w);
    const void* nul = pos < body.size() ? std::memchr(body.data() + pos, 0, body.size() - pos) : nullptr;
    if (!nul) return malformed(body_offset + pos, format("symbol index name %llu is not NUL-terminated", (unsigned long long)i));
    u64 end = u64(static_cast<const u8*>(nul) - body.data());
    std::string sym(reinterpret_cast<const char*>(body.data()) + pos, end - pos);
    pos = end + 1;
    index_.try_emplace(sym, member);
    symbols_.emplace_back(std::move(sym), member);
  }
  return Error::success();
}

Error Archive::parse_bsd_index(std::span<const u8> body, bool wide, u64 body_offset) {
  // Little-endian: byte size of the ranlib array, the array of
  // {string offset, member offset}, byte size of the strings, the strings.
  const u64 w = wide ? 8 : 4;
  Reader r(body);
  auto read = [&](u64 off, const char* what) -> Expected<u64> {
    if (wide) return r.le<u64>(off, what);
    Expected<u32> v = r.le<u32>(off, what);
    if (!v) return v.take_error();
    return u64(*v);
  };
  auto located = [&](Error e) { return malformed(body_offset, "symbol index: " + e.message()); };
  Expected<u64> ranlib_size = read(0, "ranlib array size");
  if (!ranlib_size) return located(ranlib_size.take_error());
  if (*ranlib_size % (2 * w) || !r.contains(w, *ranlib_size))
    return malformed(body_offset, "symbol index: ranlib array size is not a whole number of entries inside the index");
  Expected<u64> strings_size = read(w + *ranlib_size, "string table size");
  if (!strings_size) return located(strings_size.take_error());
  u64 strings = 2 * w + *ranlib_size;
  if (!r.contains(strings, *strings_size)) return malformed(body_offset, "symbol index: string table runs past the index");
  std::span<const u8> table = body.subspan(strings, *strings_size);
  for (u64 i = 0; i < *ranlib_size / (2 * w); i++) {
    Expected<u64> strx = read(w + i * 2 * w, "ranlib string offset");
    Expected<u64> member = read(w + i * 2 * w + w, "ranlib member offset");
    if (!strx) return located(strx.take_error());
    if (!member) return located(member.take_error());
    if (*strx >= table.size()) return malformed(body_offset, format("symbol index entry %llu: name offset outside the string table", (unsigned long long)i));
    const void* nul = std::memchr(table.data() + *strx, 0, table.size() - *strx);
    if (!nul) return malformed(body_offset, format("symbol index entry %llu: name is not NUL-terminated", (unsigned long long)i));
    std::string sym(reinterpret_cast<const char*>(table.data()) + *strx,
                    static_cast<const u8*>(nul) - (table.data() + *strx));
    index_.try_emplace(sym, *member);
    symbols_.emplace_back(std::move(sym), *member);
  }
  return Error::success();
}

std::optional<u64> Archive::find_symbol(std::string_view symbol) const {
  auto it = index_.find(symbol);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

}  // namespace jitload
