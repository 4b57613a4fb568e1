// ObjectCache: compiled objects kept across runs. The engine asks the cache
// before generating code (get_object) and tells it what it generated
// (notify_object_compiled), as in the seed's flow.
//
// The engine computes the key: a BLAKE3 digest of the module's bitcode and
// of every option that changes the emitted bytes (LLVM version, triple, CPU,
// features, optimization level, code and relocation models, target
// options). A cache never has to understand a module to be correct.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/loader/core/base.h"

namespace llvm {
class Module;
}

namespace jitload {

struct CacheKey {
  std::array<u8, 32> digest{};
  std::string hex() const;  // 64 lowercase hex digits: the on-disk file name
  bool operator==(const CacheKey&) const = default;
};

class ObjectCache {
 public:
  virtual ~ObjectCache() = default;

  // The object compiled earlier for `key`, or nullopt. The engine loads what
  // it gets; if the loader rejects it, the engine calls notify_object_rejected
  // and generates the code again.
  virtual std::optional<std::vector<u8>> get_object(const llvm::Module& module, const CacheKey& key) = 0;

  // The object just generated for `key`.
  virtual void notify_object_compiled(const llvm::Module& module, const CacheKey& key,
                                      std::span<const u8> object) = 0;

  // An object this cache returned was not loadable (why says what failed).
  virtual void notify_object_rejected(const CacheKey& key, const Error& why) {}
};

struct ObjectCacheStats {
  u64 hits = 0;
  u64 misses = 0;          // no file for the key
  u64 rejected = 0;        // a file was there but failed verification (or the loader)
  u64 written = 0;
  u64 write_failures = 0;
};

// The on-disk cache: one file per key in one directory. A file is
//
//   offset  size  field
//        0     8  magic "JLOBJC01"
//        8     4  format version (little-endian), 1
//       12     4  zero
//       16    32  the key's digest (so a renamed file is not trusted)
//       48     8  payload size (little-endian)
//       56    32  BLAKE3 digest of the payload
//       88     -  payload: the object file
//
// An entry is used only if all of the header matches and the payload's size
// and digest are right; anything else (truncation, a flipped bit, a file of
// another version) is counted as rejected, reported in diagnostics(), and
// the engine regenerates and rewrites the entry. Writes go to a temporary
// file renamed into place, so concurrent processes never read a half-written
// entry. Failing to write is not an error of the JIT: it is counted.
class DiskObjectCache final : public ObjectCache {
 public:
  // Creates the directory (and its parents) if needed.
  static Expected<std::unique_ptr<DiskObjectCache>> open(std::string directory);

  std::optional<std::vector<u8>> get_object(const llvm::Module& module, const CacheKey& key) override;
  void notify_object_compiled(const llvm::Module& module, const CacheKey& key, std::span<const u8> object) override;
  void notify_object_rejected(const CacheKey& key, const Error& why) override;

  const std::string& directory() const { return directory_; }
  std::string path_for(const CacheKey& key) const;
  // Engines on several threads may share one cache: these return copies.
  ObjectCacheStats stats() const;
  // Why entries were rejected or not written, oldest first.
  std::vector<std::string> diagnostics() const;

  // The file format, exposed for tests and tools.
  static std::vector<u8> encode_entry(const CacheKey& key, std::span<const u8> object);
  // The payload, or a message saying why the entry is not valid for `key`.
  static Expected<std::vector<u8>> decode_entry(std::span<const u8> file, const CacheKey& key);

 private:
  explicit DiskObjectCache(std::string directory) : directory_(std::move(directory)) {}
  std::string directory_;
  mutable std::mutex mutex_;  // guards stats_ and diagnostics_
  ObjectCacheStats stats_;
  std::vector<std::string> diagnostics_;
};

}  // namespace jitload
