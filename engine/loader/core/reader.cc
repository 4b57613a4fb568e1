#include "engine/loader/core/reader.h"

namespace jitload {

Error Reader::out_of_bounds(u64 off, u64 len, const char* what) const {
  return Error(ErrorKind::Malformed,
               format("%s at offset 0x%llx (size 0x%llx) extends past the end of the data (0x%llx bytes)",
                      what, (unsigned long long)off, (unsigned long long)len,
                      (unsigned long long)bytes_.size()),
               off);
}

Expected<std::span<const u8>> Reader::slice(u64 off, u64 len, const char* what) const {
  if (!contains(off, len)) return out_of_bounds(off, len, what);
  return bytes_.subspan(size_t(off), size_t(len));
}

Expected<std::string_view> Reader::cstring(u64 off, const char* what) const {
  if (off >= bytes_.size())
    return Error(ErrorKind::Malformed,
                 format("%s: string offset 0x%llx is outside its string table (0x%llx bytes)", what,
                        (unsigned long long)off, (unsigned long long)bytes_.size()),
                 off);
  const u8* begin = bytes_.data() + off;
  const void* nul = std::memchr(begin, 0, bytes_.size() - off);
  if (!nul)
    return Error(ErrorKind::Malformed,
                 format("%s: string at offset 0x%llx is not NUL-terminated", what, (unsigned long long)off),
                 off);
  return std::string_view(reinterpret_cast<const char*>(begin), size_t(static_cast<const u8*>(nul) - begin));
}

}  // namespace jitload
