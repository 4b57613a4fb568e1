#include "engine/mcjit/object-cache.h"

#include "engine/loader/core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <llvm/Support/BLAKE3.h>

#include "engine/loader/core/reader.h"

namespace jitload {

namespace {

constexpr char kMagic[8] = {'J', 'L', 'O', 'B', 'J', 'C', '0', '1'};
constexpr u32 kVersion = 1;
constexpr u64 kHeaderSize = 88;
constexpr u64 kKeyField = 16, kSizeField = 48, kDigestField = 56;

std::array<u8, 32> blake3(std::span<const u8> bytes) {
  llvm::BLAKE3 h;
  h.update(llvm::ArrayRef<u8>(bytes.data(), bytes.size()));
  std::array<u8, 32> out;
  auto r = h.final();
  std::memcpy(out.data(), r.data(), out.size());
  return out;
}


Error write_all(int fd, std::span<const u8> bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(ErrorKind::Io, format("%s: write: %s", path.c_str(), std::strerror(errno)));
    }
    bytes = bytes.subspan(size_t(n));
  }
  return Error::success();
}

}  // namespace

std::string CacheKey::hex() const {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(64);
  for (u8 b : digest) {
    s.push_back(digits[b >> 4]);
    s.push_back(digits[b & 15]);
  }
  return s;
}

Expected<std::unique_ptr<DiskObjectCache>> DiskObjectCache::open(std::string directory) {
  if (directory.empty()) return Error(ErrorKind::Argument, "object cache: empty directory name");
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return Error(ErrorKind::Io, format("object cache %s: %s", directory.c_str(), ec.message().c_str()));
  if (!std::filesystem::is_directory(directory, ec))
    return Error(ErrorKind::Io, format("object cache %s: not a directory", directory.c_str()));
  return std::unique_ptr<DiskObjectCache>(new DiskObjectCache(std::move(directory)));
}

std::string DiskObjectCache::path_for(const CacheKey& key) const { return directory_ + "/" + key.hex() + ".jlobj"; }

std::vector<u8> DiskObjectCache::encode_entry(const CacheKey& key, std::span<const u8> object) {
  std::vector<u8> out(kHeaderSize + object.size());
  std::memcpy(out.data(), kMagic, 8);
  store_le<u32>(out.data() + 8, kVersion);
  store_le<u32>(out.data() + 12, 0);
  std::memcpy(out.data() + kKeyField, key.digest.data(), 32);
  store_le<u64>(out.data() + kSizeField, object.size());
  std::array<u8, 32> d = blake3(object);
  std::memcpy(out.data() + kDigestField, d.data(), 32);
  if (!object.empty()) std::memcpy(out.data() + kHeaderSize, object.data(), object.size());
  return out;
}

Expected<std::vector<u8>> DiskObjectCache::decode_entry(std::span<const u8> file, const CacheKey& key) {
  // Checks, in order: room for the header; magic; version; reserved zero; the key it was
  // written for; payload size equal to what follows the header; payload
  // digest.
  auto bad = [](u64 off, const char* what) { return Error(ErrorKind::Malformed, what, off); };
  if (file.size() < kHeaderSize)
    return Error(ErrorKind::Malformed,
                 format("truncated: %zu bytes, shorter than the %llu-byte header", file.size(),
                        (unsigned long long)kHeaderSize),
                 0);
  if (std::memcmp(file.data(), kMagic, 8) != 0) return bad(0, "bad magic: not a jitload object-cache entry");
  u32 version = load_le<u32>(file.data() + 8);
  if (version != kVersion)
    return Error(ErrorKind::Malformed, format("format version %u, expected %u", version, kVersion), 8);
  if (load_le<u32>(file.data() + 12) != 0) return bad(12, "reserved header field is not zero");
  if (std::memcmp(file.data() + kKeyField, key.digest.data(), 32) != 0)
    return bad(kKeyField, "entry was written for another key");
  u64 size = load_le<u64>(file.data() + kSizeField);
  if (size != file.size() - kHeaderSize)
    return Error(ErrorKind::Malformed,
                 format("payload size field says %llu bytes but %llu follow the header", (unsigned long long)size,
                        (unsigned long long)(file.size() - kHeaderSize)),
                 kSizeField);
  std::span<const u8> payload = file.subspan(kHeaderSize);
  std::array<u8, 32> d = blake3(payload);
  if (std::memcmp(file.data() + kDigestField, d.data(), 32) != 0)
    return bad(kDigestField, "payload digest mismatch: the object was modified or corrupted");
  return std::vector<u8>(payload.begin(), payload.end());
}

ObjectCacheStats DiskObjectCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

std::vector<std::string> DiskObjectCache::diagnostics() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return diagnostics_;
}

std::optional<std::vector<u8>> DiskObjectCache::get_object(const llvm::Module&, const CacheKey& key) {
  std::string path = path_for(key);
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  Expected<std::vector<u8>> file = exists ? read_file(path) : Expected<std::vector<u8>>(std::vector<u8>());
  std::lock_guard<std::mutex> lock(mutex_);
  if (!exists) {
    stats_.misses++;
    return std::nullopt;
  }
  if (!file) {
    stats_.rejected++;
    diagnostics_.push_back(file.error().message());
    return std::nullopt;
  }
  Expected<std::vector<u8>> payload = decode_entry(*file, key);
  if (!payload) {
    stats_.rejected++;
    diagnostics_.push_back(format("%s: rejected: %s", path.c_str(), payload.error().message().c_str()));
    return std::nullopt;
  }
  stats_.hits++;
  return std::move(*payload);
}

void DiskObjectCache::notify_object_rejected(const CacheKey& key, const Error& why) {
  // The entry verified but the loader refused it (e.g. written by a build
  // whose loader accepted more): count it; the regenerated object replaces it.
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.hits--;
  stats_.rejected++;
  diagnostics_.push_back(format("%s: rejected by the loader: %s", path_for(key).c_str(), why.message().c_str()));
}

void DiskObjectCache::notify_object_compiled(const llvm::Module&, const CacheKey& key, std::span<const u8> object) {
  static std::atomic<u64> counter{0};
  std::string path = path_for(key);
  std::string tmp = format("%s.tmp.%d.%llu", path.c_str(), int(::getpid()), (unsigned long long)counter++);
  std::vector<u8> entry = encode_entry(key, object);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  Error e;
  if (fd < 0) {
    e = Error(ErrorKind::Io, format("%s: %s", tmp.c_str(), std::strerror(errno)));
  } else {
    e = write_all(fd, entry, tmp);
    if (::close(fd) != 0 && !e) e = Error(ErrorKind::Io, format("%s: close: %s", tmp.c_str(), std::strerror(errno)));
    if (!e && ::rename(tmp.c_str(), path.c_str()) != 0)
      e = Error(ErrorKind::Io, format("%s: rename: %s", path.c_str(), std::strerror(errno)));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (e) {
    if (fd >= 0) ::unlink(tmp.c_str());
    stats_.write_failures++;
    diagnostics_.push_back(e.message());
    return;
  }
  stats_.written++;
}

}  // namespace jitload
