// Static archives (`ar` files) as the engine uses them: an index from symbol
// name to member, and members extracted one at a time when a symbol they
// define is first needed. Nothing is copied until a member is asked for.
//
// Formats: the System V / GNU variant (symbol index "/" or "/SYM64/", long
// names in "//", names ending in '/') and the BSD variant (symbol index
// "__.SYMDEF" / "__.SYMDEF SORTED" / "__.SYMDEF_64", long names "#1/N"
// stored in front of the data). Thin archives are rejected with an error.
//
// Every field comes from the file and is checked before use: the magic, each
// 60-byte header's terminator and decimal fields, every member extent, the
// index's count and offsets, its string table.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload {

struct ArchiveMember {
  std::string name;             // member name, long names resolved
  u64 header_offset = 0;        // of the 60-byte header in the archive
  std::span<const u8> data;     // the member's bytes, inside the archive
};

class Archive {
 public:
  // Parses the archive's magic and symbol index. `bytes` must outlive the
  // Archive. An archive without a symbol index is an error: the engine
  // could only find members by loading every one of them.
  static Expected<Archive> parse(std::span<const u8> bytes, std::string name);

  const std::string& name() const { return name_; }

  // The header offset of the member that defines `symbol`, if the index
  // names one.
  std::optional<u64> find_symbol(std::string_view symbol) const;

  // The member whose header is at `header_offset` (an offset from the index).
  Expected<ArchiveMember> member_at(u64 header_offset) const;

  // Every symbol of the index, in index order (for tools and tests).
  const std::vector<std::pair<std::string, u64>>& symbols() const { return symbols_; }

 private:
  Archive() = default;
  Error parse_gnu_index(std::span<const u8> body, bool wide, u64 body_offset);
  Error parse_bsd_index(std::span<const u8> body, bool wide, u64 body_offset);
  Error malformed(u64 offset, const std::string& what) const;

  std::span<const u8> bytes_;
  std::string name_;
  std::span<const u8> long_names_;  // the GNU "//" member, if any
  bool bsd_ = false;
  std::vector<std::pair<std::string, u64>> symbols_;
  std::map<std::string, u64, std::less<>> index_;  // first definition wins, as in ld
};

// Quick check on the magic only.
bool is_archive(std::span<const u8> bytes);

}  // namespace jitload
