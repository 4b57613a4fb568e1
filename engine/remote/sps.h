// Simple Packed Serialization (SPS), the byte format of LLVM ORC's remote
// protocol, as LLVM 19 writes it (llvm/ExecutionEngine/Orc/Shared/
// SimplePackedSerialization.h is where the facts come from; nothing here is
// copied from it):
//   bool, char, int8..uint64  fixed width, little-endian (bool: one byte 0/1)
//   sequence<T>, string       u64 element count, then the elements
//   tuple<T...>, arg lists    the elements, one after another, no padding
//   Error                     bool has_error, then (if set) string message
//   Expected<T>               bool has_value, then T, or string message
//   ExecutorAddr              u64
//
// Every byte of a message is untrusted. The reader never reads past its
// span, fails (and stays failed) on the first short read, and checks a
// sequence's count against the bytes that remain before anything is sized
// from it, so a hostile count cannot make it allocate.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload::remote {

class SpsReader {
 public:
  explicit SpsReader(std::span<const u8> bytes) : bytes_(bytes) {}

  bool ok() const { return ok_; }
  bool at_end() const { return ok_ && off_ == bytes_.size(); }
  size_t remaining() const { return ok_ ? bytes_.size() - off_ : 0; }

  bool read_u8(u8& v) { return read_le(&v, 1); }
  bool read_u16(u16& v) { return read_le(&v, 2); }
  bool read_u32(u32& v) { return read_le(&v, 4); }
  bool read_u64(u64& v) { return read_le(&v, 8); }
  bool read_i32(i32& v) {
    u32 u;
    if (!read_u32(u)) return false;
    v = static_cast<i32>(u);
    return true;
  }
  bool read_bool(bool& v) {
    u8 b;
    if (!read_u8(b)) return false;
    if (b > 1) return fail();  // LLVM writes 0 or 1 and nothing else
    v = b == 1;
    return true;
  }
  // A sequence's element count, checked against the bytes that remain (each
  // element takes at least min_element_size bytes).
  bool read_count(u64& n, u64 min_element_size) {
    if (!read_u64(n)) return false;
    if (min_element_size && n > remaining() / min_element_size) return fail();
    return true;
  }
  // sequence<char> / string, as a view into the message.
  bool read_bytes(std::span<const u8>& v) {
    u64 n;
    if (!read_count(n, 1)) return false;
    v = bytes_.subspan(off_, n);
    off_ += n;
    return true;
  }
  bool read_string(std::string& s) {
    std::span<const u8> v;
    if (!read_bytes(v)) return false;
    s.assign(reinterpret_cast<const char*>(v.data()), v.size());
    return true;
  }

 private:
  bool fail() {
    ok_ = false;
    return false;
  }
  bool read_le(void* out, size_t n) {
    if (!ok_ || n > bytes_.size() - off_) return fail();
    u64 v = 0;
    for (size_t i = 0; i < n; ++i) v |= u64(bytes_[off_ + i]) << (8 * i);
    off_ += n;
    switch (n) {
      case 1: *static_cast<u8*>(out) = static_cast<u8>(v); break;
      case 2: *static_cast<u16*>(out) = static_cast<u16>(v); break;
      case 4: *static_cast<u32*>(out) = static_cast<u32>(v); break;
      default: *static_cast<u64*>(out) = v; break;
    }
    return true;
  }

  std::span<const u8> bytes_;
  size_t off_ = 0;
  bool ok_ = true;
};

class SpsWriter {
 public:
  void u8_(u8 v) { bytes_.push_back(v); }
  void u16_(u16 v) { le(v, 2); }
  void u32_(u32 v) { le(v, 4); }
  void u64_(u64 v) { le(v, 8); }
  void i32_(i32 v) { le(static_cast<u32>(v), 4); }
  void i64_(i64 v) { le(static_cast<u64>(v), 8); }
  void boolean(bool v) { bytes_.push_back(v ? 1 : 0); }
  void bytes(std::span<const u8> v) {
    u64_(v.size());
    bytes_.insert(bytes_.end(), v.begin(), v.end());
  }
  void string(std::string_view s) {
    bytes(std::span<const u8>(reinterpret_cast<const u8*>(s.data()), s.size()));
  }
  // SPSError: success, or the message.
  void error(const Error& e) {
    boolean(bool(e));
    if (e) string(e.message());
  }
  void error_message(std::string_view message) {
    boolean(true);
    string(message);
  }
  // SPSExpected<T> holding an error (the value case writes true, then T).
  void expected_error(std::string_view message) {
    boolean(false);
    string(message);
  }

  std::vector<u8>& data() { return bytes_; }
  std::vector<u8> take() { return std::move(bytes_); }

 private:
  void le(u64 v, size_t n) {
    for (size_t i = 0; i < n; ++i) bytes_.push_back(static_cast<u8>(v >> (8 * i)));
  }
  std::vector<u8> bytes_;
};

}  // namespace jitload::remote
