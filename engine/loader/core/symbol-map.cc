#include "engine/loader/core/symbol-map.h"

namespace jitload {

u64 SymbolMap::hash_of(std::string_view s) {
  // FNV-1a over 8-byte words, then a final mix: names are short, this is fast.
  u64 h = 0xcbf29ce484222325ull;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    u64 w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
  }
  // The last 0-7 bytes as one word, gathered in at most three loads.
  size_t rest = s.size() - i;
  u64 w = 0;
  if (rest & 4) {
    u32 x;
    std::memcpy(&x, s.data() + i, 4);
    w = x;
    i += 4;
  }
  if (rest & 2) {
    u16 x;
    std::memcpy(&x, s.data() + i, 2);
    w = (w << 16) | x;
    i += 2;
  }
  if (rest & 1) w = (w << 8) | u8(s[i]);
  h = (h ^ w ^ (u64(rest) << 56)) * 0x100000001b3ull;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 32;
  return h;
}

void SymbolMap::rehash(size_t slot_count) {
  slots_.assign(slot_count, Slot{0, 0});
  const size_t mask = slot_count - 1;
  for (size_t k = 0; k < entries_.size(); k++) {
    u64 h = hash_of(entries_[k].key);
    size_t i = h & mask;
    while (slots_[i].entry) i = (i + 1) & mask;
    slots_[i] = Slot{u32(h >> 32), u32(k + 1)};
  }
}

void SymbolMap::reserve(size_t n) {
  size_t want = 16;
  while (want < n * 2) want <<= 1;
  entries_.reserve(n);
  if (want > slots_.size()) rehash(want);
}

std::pair<u32*, bool> SymbolMap::insert(std::string_view name, u32 value) {
  if ((entries_.size() + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
  const u64 h = hash_of(name);
  const u32 tag = u32(h >> 32);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (!s.entry) {
      entries_.push_back(Entry{name, value});
      s = Slot{tag, u32(entries_.size())};
      return {&entries_.back().value, true};
    }
    if (s.tag == tag) {
      Entry& e = entries_[s.entry - 1];
      if (e.key == name) return {&e.value, false};
    }
  }
}

const u32* SymbolMap::find(std::string_view name) const {
  if (slots_.empty()) return nullptr;
  const u64 h = hash_of(name);
  const u32 tag = u32(h >> 32);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (!s.entry) return nullptr;
    if (s.tag == tag) {
      const Entry& e = entries_[s.entry - 1];
      if (e.key == name) return &e.value;
    }
  }
}

u32* SymbolMap::find(std::string_view name) {
  return const_cast<u32*>(static_cast<const SymbolMap*>(this)->find(name));
}

}  // namespace jitload
