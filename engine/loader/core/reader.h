// Bounds-checked access to untrusted bytes. Every read of an object file goes
// through a Reader; no code forms base + offset from an unchecked field.
// Checks are overflow-proof: off <= size && len <= size - off.
#pragma once

#include <bit>
#include <span>

#include "engine/loader/core/base.h"

namespace jitload {

// Little-endian and big-endian loads/stores of unaligned values. Pure byte
// shuffling, no bounds checks: callers check first (or use Reader). One
// memcpy (a single move) plus a byte swap when the host's order differs.
template <typename T>
inline T byteswap_if(T v, bool swap) {
  if (!swap) return v;
  T r = 0;
  for (size_t i = 0; i < sizeof(T); i++) r = T((r << 8) | ((v >> (8 * i)) & 0xff));
  return r;
}
template <typename T>
inline T load_le(const u8* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return byteswap_if(v, std::endian::native == std::endian::big);
}
template <typename T>
inline T load_be(const u8* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return byteswap_if(v, std::endian::native == std::endian::little);
}
template <typename T>
inline void store_le(u8* p, T v) {
  v = byteswap_if(v, std::endian::native == std::endian::big);
  std::memcpy(p, &v, sizeof v);
}
template <typename T>
inline void store_be(u8* p, T v) {
  v = byteswap_if(v, std::endian::native == std::endian::little);
  std::memcpy(p, &v, sizeof v);
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
