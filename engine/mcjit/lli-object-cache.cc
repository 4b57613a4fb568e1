#include "engine/mcjit/lli-object-cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <llvm/IR/Module.h>
#include <llvm/Support/BLAKE3.h>

#include "engine/loader/core/file.h"
#include "engine/loader/core/reader.h"

namespace jitload {

namespace {

constexpr char kMagic[8] = {'J', 'L', 'L', 'L', 'I', 'K', '0', '1'};
constexpr size_t kKeyField = 8, kSizeField = 40, kDigestField = 48;

std::array<u8, 32> blake3(std::span<const u8> bytes) {
  llvm::BLAKE3 h;
  h.update(llvm::ArrayRef<u8>(bytes.data(), bytes.size()));
  auto r = h.final();
  std::array<u8, 32> out;
  std::memcpy(out.data(), r.data(), out.size());
  return out;
}

// Writes `bytes` to a temporary file next to `path` and renames it there.
Error write_atomically(const std::string& path, std::span<const u8> bytes) {
  static std::atomic<u64> counter{0};
  std::string tmp = format("%s.tmp.%d.%llu", path.c_str(), int(::getpid()), (unsigned long long)counter++);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Error(ErrorKind::Io, format("%s: %s", tmp.c_str(), std::strerror(errno)));
  Error e;
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      e = Error(ErrorKind::Io, format("%s: write: %s", tmp.c_str(), std::strerror(errno)));
      break;
    }
    bytes = bytes.subspan(size_t(n));
  }
  if (::close(fd) != 0 && !e) e = Error(ErrorKind::Io, format("%s: close: %s", tmp.c_str(), std::strerror(errno)));
  if (!e && ::rename(tmp.c_str(), path.c_str()) != 0)
    e = Error(ErrorKind::Io, format("%s: rename: %s", path.c_str(), std::strerror(errno)));
  if (e) ::unlink(tmp.c_str());
  return e;
}

}  // namespace

LliObjectCache::LliObjectCache(std::string directory) : directory_(std::move(directory)) {}

std::optional<std::string> LliObjectCache::path_for_module(std::string_view module_id, std::string_view directory) {
  constexpr std::string_view kPrefix = "file:";
  if (!module_id.starts_with(kPrefix)) return std::nullopt;
  std::string name(directory);
  if (!name.empty() && name.back() != '/') name += '/';
  name += module_id.substr(kPrefix.size());
  // lli looks for the last '.' in the whole name, directory included.
  size_t dot = name.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  name.replace(dot, std::string::npos, ".o");
  return name;
}

std::vector<u8> LliObjectCache::encode_key_file(const CacheKey& key, std::span<const u8> object) {
  std::vector<u8> out(kKeyFileSize);
  std::memcpy(out.data(), kMagic, 8);
  std::memcpy(out.data() + kKeyField, key.digest.data(), 32);
  store_le<u64>(out.data() + kSizeField, object.size());
  std::array<u8, 32> d = blake3(object);
  std::memcpy(out.data() + kDigestField, d.data(), 32);
  return out;
}

Error LliObjectCache::check_key_file(std::span<const u8> key_file, const CacheKey& key, std::span<const u8> object) {
  // Checks, in order: the key file's size; its magic; the key it records
  // (stale otherwise); the object's size; the object's digest.
  if (key_file.size() != kKeyFileSize)
    return Error(ErrorKind::Malformed,
                 format("key file is %zu bytes, not %zu", key_file.size(), kKeyFileSize), 0);
  if (std::memcmp(key_file.data(), kMagic, 8) != 0)
    return Error(ErrorKind::Malformed, "key file has a bad magic: not a jitload cache key", 0);
  if (std::memcmp(key_file.data() + kKeyField, key.digest.data(), 32) != 0)
    return Error(ErrorKind::Malformed,
                 "stale: compiled from another version of the module or with other code-generation options",
                 kKeyField);
  u64 size = load_le<u64>(key_file.data() + kSizeField);
  if (size != object.size())
    return Error(ErrorKind::Malformed,
                 format("the object is %zu bytes but %llu were written: damaged or replaced", object.size(),
                        (unsigned long long)size),
                 kSizeField);
  std::array<u8, 32> d = blake3(object);
  if (std::memcmp(key_file.data() + kDigestField, d.data(), 32) != 0)
    return Error(ErrorKind::Malformed, "the object's digest differs from the one written: damaged or replaced",
                 kDigestField);
  return Error::success();
}

std::optional<std::vector<u8>> LliObjectCache::get_object(const llvm::Module& module, const CacheKey& key) {
  std::optional<std::string> path = path_for_module(module.getModuleIdentifier(), directory_);
  auto reject = [&](std::string why) -> std::optional<std::vector<u8>> {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.rejected++;
    diagnostics_.push_back(std::move(why));
    return std::nullopt;
  };
  if (!path) {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.misses++;
    if (module.getModuleIdentifier().starts_with("file:"))
      diagnostics_.push_back(format("module '%s': no '.' in its cache name, so it is not cached (lli 19 would abort)",
                                    module.getModuleIdentifier().c_str()));
    return std::nullopt;
  }
  struct stat st;
  if (::stat(path->c_str(), &st) != 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.misses++;
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) return reject(format("%s: rejected: not a regular file", path->c_str()));
  if (u64(st.st_size) > kMaxObjectBytes)
    return reject(format("%s: rejected: %llu bytes, more than the 1 GiB an entry may have", path->c_str(),
                         (unsigned long long)st.st_size));
  Expected<std::vector<u8>> object = read_file(*path);
  if (!object) return reject(format("%s: rejected: %s", path->c_str(), object.error().message().c_str()));
  std::string key_path = *path + ".jlkey";
  if (::stat(key_path.c_str(), &st) != 0)
    return reject(format("%s: rejected: no %s (written by lli?): cannot tell whether it is current; regenerating",
                         path->c_str(), key_path.c_str()));
  Expected<std::vector<u8>> key_file = read_file(key_path);
  if (!key_file) return reject(format("%s: rejected: %s", path->c_str(), key_file.error().message().c_str()));
  if (Error e = check_key_file(*key_file, key, *object))
    return reject(format("%s: rejected: %s", path->c_str(), e.message().c_str()));
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.hits++;
  served_[key.hex()] = *path;
  return std::move(*object);
}

void LliObjectCache::notify_object_rejected(const CacheKey& key, const Error& why) {
  // The entry verified but the loader refused it: count it; the regenerated
  // object replaces it.
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.hits--;
  stats_.rejected++;
  auto it = served_.find(key.hex());
  diagnostics_.push_back(format("%s: rejected by the loader: %s", it == served_.end() ? "?" : it->second.c_str(),
                                why.message().c_str()));
}

void LliObjectCache::notify_object_compiled(const llvm::Module& module, const CacheKey& key,
                                            std::span<const u8> object) {
  std::optional<std::string> path = path_for_module(module.getModuleIdentifier(), directory_);
  if (!path) return;
  Error e;
  if (!directory_.empty()) {
    // As lli: the cache directory (and the input's subdirectories in it) is created.
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::path(*path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) e = Error(ErrorKind::Io, format("%s: %s", parent.c_str(), ec.message().c_str()));
  }
  // The object first, then the key that vouches for it.
  if (!e) e = write_atomically(*path, object);
  if (!e) e = write_atomically(*path + ".jlkey", encode_key_file(key, object));
  std::lock_guard<std::mutex> lock(mutex_);
  if (e) {
    stats_.write_failures++;
    diagnostics_.push_back(e.message());
    return;
  }
  stats_.written++;
}

ObjectCacheStats LliObjectCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

std::vector<std::string> LliObjectCache::diagnostics() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return diagnostics_;
}

}  // namespace jitload
