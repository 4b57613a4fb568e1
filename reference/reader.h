// The reference loader's own bounds-checked reader: loads in either byte
// order (little-endian until set_big_endian) from untrusted bytes, each
// one checked before it happens. Nothing clever:
// a read that does not fit returns false and leaves `out` alone.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace jitload::reference {

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  uint64_t size() const { return bytes_.size(); }
  // The object's byte order (e_ident[EI_DATA]), once the header says it.
  void set_big_endian(bool big) { big_endian_ = big; }
  bool big_endian() const { return big_endian_; }

  // [off, off + len) lies inside the bytes. Written so it cannot overflow.
  bool has(uint64_t off, uint64_t len) const { return off <= bytes_.size() && len <= bytes_.size() - off; }

  bool u8(uint64_t off, uint8_t& out) const;
  bool u16(uint64_t off, uint16_t& out) const;
  bool u32(uint64_t off, uint32_t& out) const;
  bool u64(uint64_t off, uint64_t& out) const;
  // A NUL-terminated string starting at off; false when no NUL before the end.
  bool cstring(uint64_t off, std::string& out) const;
  uint8_t at(uint64_t off) const { return bytes_[off]; }  // caller checked has()

 private:
  std::span<const uint8_t> bytes_;
  bool big_endian_ = false;
};

// Little-endian stores into a byte vector, bounds-checked the same way.
bool store_le(std::span<uint8_t> bytes, uint64_t off, uint64_t value, unsigned width);
uint64_t load_le(std::span<const uint8_t> bytes, uint64_t off, unsigned width);  // caller checked
// The same in a chosen byte order (an object's data).
bool store_ordered(std::span<uint8_t> bytes, uint64_t off, uint64_t value, unsigned width, bool big_endian);
uint64_t load_ordered(std::span<const uint8_t> bytes, uint64_t off, unsigned width, bool big_endian);  // caller checked

}  // namespace jitload::reference
