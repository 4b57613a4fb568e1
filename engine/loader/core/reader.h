// Bounds-checked access to untrusted bytes. Every read of an object file goes
// through a Reader; no code forms base + offset from an unchecked field.
// Checks are overflow-proof: off <= size && len <= size - off.
#pragma once

#include <span>

#include "engine/loader/core/base.h"

namespace jitload {

// Little-endian and big-endian loads/stores of unaligned values. Pure byte
// shuffling, no bounds checks: callers check first (or use Reader).
template <typename T>
inline T load_le(const u8* p) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); i++) v |= T(p[i]) << (8 * i);
  return v;
}
template <typename T>
inline T load_be(const u8* p) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); i++) v = T(v << 8) | T(p[i]);
  return v;
}
template <typename T>
inline void store_le(u8* p, T v) {
  for (size_t i = 0; i < sizeof(T); i++) p[i] = u8(u64(v) >> (8 * i));
}
template <typename T>
inline void store_be(u8* p, T v) {
  for (size_t i = 0; i < sizeof(T); i++) p[sizeof(T) - 1 - i] = u8(u64(v) >> (8 * i));
}

inline bool in_bounds(u64 off, u64 len, u64 size) { return off <= size && len <= size - off; }

// A view of untrusted bytes. `what` names the structure read, for messages.
class Reader {
 public:
  Reader() = default;
  explicit Reader(std::span<const u8> bytes) : bytes_(bytes) {}

  u64 size() const { return bytes_.size(); }
  const u8* data() const { return bytes_.data(); }
  std::span<const u8> bytes() const { return bytes_; }

  bool contains(u64 off, u64 len) const { return in_bounds(off, len, bytes_.size()); }

  // The sub-range [off, off+len), or a Malformed error naming `what`.
  Expected<std::span<const u8>> slice(u64 off, u64 len, const char* what) const;

  template <typename T>
  Expected<T> le(u64 off, const char* what) const {
    if (!contains(off, sizeof(T))) return out_of_bounds(off, sizeof(T), what);
    return load_le<T>(bytes_.data() + off);
  }

  // A NUL-terminated string starting at off, which must end inside the view.
  Expected<std::string_view> cstring(u64 off, const char* what) const;

  Error out_of_bounds(u64 off, u64 len, const char* what) const;

 private:
  std::span<const u8> bytes_;
};

}  // namespace jitload
