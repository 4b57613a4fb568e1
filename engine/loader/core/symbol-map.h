// An open-addressing hash map from names to u32, for symbol tables: one
// array, no allocation per entry, keys are views into storage that outlives
// the map (each object's string arena).
#pragma once

#include <cstring>
#include <string_view>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload {

class SymbolMap {
 public:
  // Inserts name -> value unless the name is present; returns the slot's
  // value and whether it was inserted. Inline: a loader inserts every
  // global of every object, and the call cost as much as the probe.
  [[gnu::always_inline]] std::pair<u32*, bool> insert(std::string_view name, u32 value) {
    return insert_hashed(name, hash_of(name), value);
  }
  // The same with the name's hash() computed by the caller, who fetched its
  // slot (prefetch) a few names ahead: a many-symbol object's inserts
  // otherwise wait on a cache miss in the probe array each.
  static u64 hash(std::string_view name) { return hash_of(name); }
  void prefetch(u64 h) const {
    if (!slots_.empty()) __builtin_prefetch(slots_.data() + (h & (slots_.size() - 1)));
  }
  [[gnu::always_inline]] std::pair<u32*, bool> insert_hashed(std::string_view name, u64 h, u32 value) {
    if ((entries_.size() + 1) * 2 > slots_.size()) [[unlikely]]
      grow();
    const u32 tag = u32(h >> 32);
    const size_t mask = slots_.size() - 1;
    Slot* const slots = slots_.data();
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& s = slots[i];
      if (!s.entry) {
        // Field by field where it stays: an Entry made on the stack and
        // copied in was read back with a wide load over the narrow stores
        // just made, a store-forwarding stall per insert (a quarter of a
        // large object's publication).
        Entry& e = entries_.emplace_back();
        e.key = name;
        e.value = value;
        s = Slot{tag, u32(entries_.size())};
        return {&entries_.back().value, true};
      }
      if (s.tag == tag) {
        Entry& e = entries_[s.entry - 1];
        if (e.key == name) return {&e.value, false};
      }
    }
  }
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
  static u64 hash_of(std::string_view s) {
    // FNV-1a over 8-byte words, then a final mix: names are short, this is fast.
    u64 h = 0xcbf29ce484222325ull;
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      u64 w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * 0x100000001b3ull;
    }
    // The last 0-7 bytes as one word, in two loads that overlap (4-7
    // bytes) or three single bytes (1-3), never past the name's end:
    // which bytes are read depends only on whether four are left, so
    // names of 6 and 7 bytes in any mix (a large object's fn_123,
    // fn_1234) take the same branches; the length is mixed in below.
    const size_t rest = s.size() - i;
    const char* const p = s.data() + i;
    u64 w = 0;
    if (rest >= 4) {
      u32 a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + rest - 4, 4);
      w = a | (u64(b) << 32);
    } else if (rest) {
      w = u8(p[0]) | (u64(u8(p[rest >> 1])) << 8) | (u64(u8(p[rest - 1])) << 16);
    }
    h = (h ^ w ^ (u64(rest) << 56)) * 0x100000001b3ull;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    return h;
  }
  [[gnu::noinline]] void grow();  // doubles the probe array (16 slots when empty)
  void rehash(size_t slot_count);
  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
};

}  // namespace jitload
