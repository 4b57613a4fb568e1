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
  size_t size() const { return count_; }

 private:
  struct Slot {
    std::string_view key;
    u64 hash = 0;
    u32 value = 0;
    bool used = false;
  };
  static u64 hash_of(std::string_view s);
  void grow();

  std::vector<Slot> slots_;
  size_t count_ = 0;
};

}  // namespace jitload
