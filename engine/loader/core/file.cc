#include "engine/loader/core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>

#include "engine/loader/core/format.h"

namespace jitload {

namespace {

// read(2) until `want` bytes or end of file; the count read, or -errno.
ssize_t read_full(int fd, u8* out, size_t want) {
  size_t got = 0;
  while (got < want) {
    ssize_t n = ::read(fd, out + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    if (n == 0) break;
    got += size_t(n);
  }
  return ssize_t(got);
}

std::string size_text(u64 n) {
  if (n >= (u64(1) << 30) && n % (u64(1) << 30) == 0) return format("%llu GiB", (unsigned long long)(n >> 30));
  if (n >= (u64(1) << 20) && n % (u64(1) << 20) == 0) return format("%llu MiB", (unsigned long long)(n >> 20));
  return format("%llu bytes", (unsigned long long)n);
}

Error too_large(std::string_view name, const char* what, u64 max) {
  return Error(ErrorKind::Argument, format("%.*s: %s the input size limit of %s", int(name.size()), name.data(), what,
                                           size_text(max).c_str()));
}

// What the file starts with, for a refusal: the first bytes in hex.
std::string head_text(std::span<const u8> head) {
  if (head.empty()) return "the file is empty";
  std::string s = "it starts with";
  for (size_t i = 0; i < head.size() && i < 8; i++) s += format(" %02x", head[i]);
  return s;
}

// The checks, in order, before more than kSniffBytes are read:
//   1. the descriptor is not a directory (open(2) accepts one; read fails);
//   2. a regular file is no larger than max_size, from fstat alone;
//   3. the sniffer, when given, accepts the first bytes.
// Then the rest is read in chunks, growing the buffer geometrically for a
// stream (whose size is unknown) and stopping past max_size; an allocation
// failure (a memory limit, `ulimit -v`) is an Error, not std::bad_alloc.
Expected<std::vector<u8>> read_checked(int fd, std::string_view name, const ReadOptions& options) {
  struct stat st;
  if (::fstat(fd, &st) != 0)
    return Error(ErrorKind::Io, format("%.*s: %s", int(name.size()), name.data(), std::strerror(errno)));
  if (S_ISDIR(st.st_mode))
    return Error(ErrorKind::Io, format("%.*s: is a directory, not a file", int(name.size()), name.data()));
  const bool regular = S_ISREG(st.st_mode);
  if (regular && u64(st.st_size) > options.max_size) return too_large(name, "is larger than", options.max_size);

  std::vector<u8> out;
  try {
    size_t have = 0;
    if (options.sniff) {
      out.resize(kSniffBytes);
      ssize_t n = read_full(fd, out.data(), kSniffBytes);
      if (n < 0)
        return Error(ErrorKind::Io, format("%.*s: read: %s", int(name.size()), name.data(), std::strerror(int(-n))));
      have = size_t(n);
      out.resize(have);
      if (!options.sniff(out))
        return Error(ErrorKind::Unsupported, format("%.*s: %s (%s)", int(name.size()), name.data(), options.sniff_failure,
                                                    head_text(out).c_str()),
                     0);
      if (have < kSniffBytes) return out;  // end of file already
    }
    // A regular file's size is known (it may still change under us, hence
    // the limit check on what is actually read); a stream grows as it comes.
    size_t capacity = regular ? size_t(st.st_size) + 1 : size_t(1) << 16;
    if (capacity < have + 1) capacity = have + 1;
    for (;;) {
      if (out.size() < capacity) out.resize(capacity);
      ssize_t n = read_full(fd, out.data() + have, capacity - have);
      if (n < 0)
        return Error(ErrorKind::Io, format("%.*s: read: %s", int(name.size()), name.data(), std::strerror(int(-n))));
      have += size_t(n);
      if (have > options.max_size) return too_large(name, "goes on past", options.max_size);
      if (have < capacity) break;  // end of file
      capacity = capacity > options.max_size / 2 ? size_t(options.max_size) + 1 : capacity * 2;
    }
    out.resize(have);
    out.shrink_to_fit();
  } catch (const std::bad_alloc&) {
    return Error(ErrorKind::Memory, format("%.*s: out of memory reading it", int(name.size()), name.data()));
  } catch (const std::length_error&) {
    return Error(ErrorKind::Memory, format("%.*s: out of memory reading it", int(name.size()), name.data()));
  }
  return out;
}

}  // namespace

Expected<std::vector<u8>> read_fd(int fd, std::string_view name, const ReadOptions& options) {
  return read_checked(fd, name, options);
}

Expected<std::vector<u8>> read_file(const std::string& path, const ReadOptions& options) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(ErrorKind::Io, format("%s: %s", path.c_str(), std::strerror(errno)));
  Expected<std::vector<u8>> bytes = read_checked(fd, path, options);
  ::close(fd);
  return bytes;
}

bool looks_like_object(std::span<const u8> head) {
  for (const ObjectFormat* f : object_formats())
    if (f->matches(head)) return true;
  return false;
}

Expected<std::vector<u8>> read_object_file(const std::string& path, u64 max_size) {
  ReadOptions options;
  options.max_size = max_size;
  options.sniff = looks_like_object;
  options.sniff_failure = "not an object file of a supported format (ELF, Mach-O)";
  return read_file(path, options);
}

}  // namespace jitload
