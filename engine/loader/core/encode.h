// Encoders: write a computed value into a field, checking that it fits.
// They know nothing of symbols or relocations (lld's split between
// computing a value and encoding it); the caller adds the location.
// The overflow message is the tail of the project's one diagnostic shape:
//   "out of range: 68719476736 is not in [0, 4294967295]"
#pragma once

#include "engine/loader/core/base.h"
#include "engine/loader/core/reader.h"

namespace jitload {

Error out_of_range(i64 value, i64 lo, i64 hi);
Error out_of_range_unsigned(u64 value, u64 hi);

inline bool fits_signed(i64 v, unsigned bits) {
  return v >= -(i64(1) << (bits - 1)) && v < (i64(1) << (bits - 1));
}

// Signed fields: value must be in [-2^(n-1), 2^(n-1)).
inline Error put_s32(u8* loc, i64 v) {
  if (!fits_signed(v, 32)) return out_of_range(v, INT32_MIN, INT32_MAX);
  store_le<u32>(loc, u32(v));
  return Error::success();
}
inline Error put_s16(u8* loc, i64 v) {
  if (!fits_signed(v, 16)) return out_of_range(v, INT16_MIN, INT16_MAX);
  store_le<u16>(loc, u16(v));
  return Error::success();
}
inline Error put_s8(u8* loc, i64 v) {
  if (!fits_signed(v, 8)) return out_of_range(v, INT8_MIN, INT8_MAX);
  loc[0] = u8(v);
  return Error::success();
}
// Unsigned fields: value must be in [0, 2^n).
inline Error put_u32(u8* loc, u64 v) {
  if (v > UINT32_MAX) return out_of_range_unsigned(v, UINT32_MAX);
  store_le<u32>(loc, u32(v));
  return Error::success();
}
// Fields that accept either reading (word16/word8 of the x86-64 psABI, as
// lld checks them): value in [-2^(n-1), 2^n).
inline Error put_int_or_uint(u8* loc, i64 v, unsigned bits) {
  i64 lo = -(i64(1) << (bits - 1)), hi = (i64(1) << bits) - 1;
  if (v < lo || v > hi) return out_of_range(v, lo, hi);
  for (unsigned i = 0; i < bits / 8; i++) loc[i] = u8(u64(v) >> (8 * i));
  return Error::success();
}
inline void put_64(u8* loc, u64 v) { store_le<u64>(loc, v); }

// The same encoders in a byte order given as data: an architecture whose
// objects come in both orders (AArch64: data in the object's order,
// instructions always little-endian) passes its order. `big` false is the
// little-endian encoder above.
template <typename T>
inline void put_word(u8* loc, T v, bool big) {
  if (big) store_be<T>(loc, v);
  else store_le<T>(loc, v);
}
template <typename T>
inline T get_word(const u8* loc, bool big) {
  return big ? load_be<T>(loc) : load_le<T>(loc);
}
inline void put_64(u8* loc, u64 v, bool big) { put_word<u64>(loc, v, big); }
inline Error put_s32(u8* loc, i64 v, bool big) {
  if (!fits_signed(v, 32)) return out_of_range(v, INT32_MIN, INT32_MAX);
  put_word<u32>(loc, u32(v), big);
  return Error::success();
}
inline Error put_s16(u8* loc, i64 v, bool big) {
  if (!fits_signed(v, 16)) return out_of_range(v, INT16_MIN, INT16_MAX);
  put_word<u16>(loc, u16(v), big);
  return Error::success();
}
// Either reading (signed or unsigned) of an n-bit word, n = 16, 32.
inline Error put_int_or_uint(u8* loc, i64 v, unsigned bits, bool big) {
  i64 lo = -(i64(1) << (bits - 1)), hi = (i64(1) << bits) - 1;
  if (v < lo || v > hi) return out_of_range(v, lo, hi);
  if (bits == 16) put_word<u16>(loc, u16(v), big);
  else put_word<u32>(loc, u32(v), big);
  return Error::success();
}
// Bits [lo, lo+n) of a little-endian 32-bit word (an instruction) set to
// the low n bits of v, the rest kept: the instruction encoders.
inline void put_bits(u8* loc, unsigned lo, unsigned n, u64 v) {
  u32 mask = u32(((u64(1) << n) - 1) << lo);
  u32 w = load_le<u32>(loc);
  store_le<u32>(loc, (w & ~mask) | (u32(v << lo) & mask));
}

}  // namespace jitload
