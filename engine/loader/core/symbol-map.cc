#include "engine/loader/core/symbol-map.h"

namespace jitload {

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

void SymbolMap::grow() { rehash(slots_.empty() ? 16 : slots_.size() * 2); }

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
