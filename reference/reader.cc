#include "reference/reader.h"

namespace jitload::reference {

namespace {
uint64_t little_endian(std::span<const uint8_t> b, uint64_t off, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++) v |= uint64_t(b[off + i]) << (8 * i);
  return v;
}
uint64_t big_endian(std::span<const uint8_t> b, uint64_t off, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++) v = (v << 8) | uint64_t(b[off + i]);
  return v;
}
}  // namespace

bool Reader::u8(uint64_t off, uint8_t& out) const {
  if (!has(off, 1)) return false;
  out = bytes_[off];
  return true;
}
bool Reader::u16(uint64_t off, uint16_t& out) const {
  if (!has(off, 2)) return false;
  out = uint16_t(load_ordered(bytes_, off, 2, big_endian_));
  return true;
}
bool Reader::u32(uint64_t off, uint32_t& out) const {
  if (!has(off, 4)) return false;
  out = uint32_t(load_ordered(bytes_, off, 4, big_endian_));
  return true;
}
bool Reader::u64(uint64_t off, uint64_t& out) const {
  if (!has(off, 8)) return false;
  out = load_ordered(bytes_, off, 8, big_endian_);
  return true;
}

bool Reader::cstring(uint64_t off, std::string& out) const {
  if (off >= bytes_.size()) return false;
  std::string s;
  for (uint64_t i = off; i < bytes_.size(); i++) {
    if (bytes_[i] == 0) {
      out = s;
      return true;
    }
    s.push_back(char(bytes_[i]));
  }
  return false;
}

bool store_le(std::span<uint8_t> bytes, uint64_t off, uint64_t value, unsigned width) {
  if (off > bytes.size() || width > bytes.size() - off) return false;
  for (unsigned i = 0; i < width; i++) bytes[off + i] = uint8_t(value >> (8 * i));
  return true;
}

uint64_t load_le(std::span<const uint8_t> bytes, uint64_t off, unsigned width) {
  return little_endian(bytes, off, width);
}

bool store_ordered(std::span<uint8_t> bytes, uint64_t off, uint64_t value, unsigned width, bool big) {
  if (!big) return store_le(bytes, off, value, width);
  if (off > bytes.size() || width > bytes.size() - off) return false;
  for (unsigned i = 0; i < width; i++) bytes[off + i] = uint8_t(value >> (8 * (width - 1 - i)));
  return true;
}

uint64_t load_ordered(std::span<const uint8_t> bytes, uint64_t off, unsigned width, bool big) {
  return big ? big_endian(bytes, off, width) : little_endian(bytes, off, width);
}

}  // namespace jitload::reference
