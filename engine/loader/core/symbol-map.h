// An open-addressing hash map from names to u32, for symbol tables: one
// array, no allocation per entry, keys are views into storage that outlives
// the map (each object's string arena).
#pragma once

#include <string_view>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload {

class SymbolMap {
 public:
  // Inserts name -> value unless the name is present; returns the slot's
  // value and whether it was inserted.
  std::pair<u32*, bool> insert(std::string_view name, u32 value);
  const u32* find(std::string_view name) const;
  u32* find(std::string_view name);
  void reserve(size_t n);
  size_t size() const { return entries_.size(); }

 private:
  // Names and values in insertion order; the probe array holds 8 bytes per
  // slot (a tag from the hash's high half, and the entry's index + 1, 0
  // when empty), so sizing it for a large object clears little memory and
  // a probe touches one small word until the tags match.
  struct Entry {
    std::string_view key;
    u32 value;
  };
  struct Slot {
    u32 tag;
    u32 entry;  // index into entries_ + 1; 0: empty
  };
  static u64 hash_of(std::string_view s);
  void rehash(size_t slot_count);
  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
};

}  // namespace jitload
