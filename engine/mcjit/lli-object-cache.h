// LliObjectCache: the object cache in lli's on-disk layout, for `jitload run
// -enable-cache-manager` (and anyone who wants lli's files).
//
// lli 19 names a module's object after the module: with the cache manager
// on, it sets each module's identifier to "file:" + the path given on the
// command line, and the cache file is
//
//   DIR + "/" + PATH, then everything from the last '.' replaced by ".o"
//
// (DIR empty: next to the input, "main.ll" -> "main.o"; "-object-cache-dir=c"
// and "src/main.ll" -> "c/src/main.o", its directories created). The last
// '.' is looked for in the whole string, directory included, exactly as lli
// does; a name with no '.' at all (lli 19 throws std::out_of_range there)
// is simply not cached. A module whose identifier does not start with
// "file:" is not cached either, as in lli.
//
// The `.o` is the plain object file the code generator produced — so scripts
// can pass it back with `-extra-object`, to jitload or to lli, and any ELF
// tool reads it. What lli cannot do, this cache still does: tell a current
// entry from a stale or damaged one. Next to each `X.o` it keeps `X.o.jlkey`:
//
//   offset  size  field
//        0     8  magic "JLLLIK01"
//        8    32  the engine's cache key (BLAKE3 of the module's bitcode and
//                 every code-generation option) the object was compiled for
//       40     8  the object's size in bytes (little-endian)
//       48    32  BLAKE3 of the object's bytes
//
// An entry is used only if the key file is exactly 80 bytes, its magic
// matches, its key is the one asked for (else: stale — the module or an
// option changed), and the `.o`'s size and digest are the ones recorded
// (else: the object was damaged or replaced, e.g. rewritten by lli). A `.o`
// without a key file (written by lli itself) cannot be shown to be current,
// so it is regenerated once and then served. Every such rejection is counted
// and explained in diagnostics(); the engine compiles the module again and
// notify_object_compiled rewrites both files. Each file is written to a
// temporary name and renamed into place; the object first, then its key, so
// a reader never pairs a key with the wrong object (the digest binds them).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/mcjit/object-cache.h"

namespace jitload {

class LliObjectCache final : public ObjectCache {
 public:
  // `directory` as lli's -object-cache-dir: empty means next to each input.
  explicit LliObjectCache(std::string directory);

  // lli 19's file name for a module identifier, or nullopt where lli would
  // not cache it (no "file:" prefix) or could not (no '.' anywhere).
  static std::optional<std::string> path_for_module(std::string_view module_id, std::string_view directory);

  std::optional<std::vector<u8>> get_object(const llvm::Module& module, const CacheKey& key) override;
  void notify_object_compiled(const llvm::Module& module, const CacheKey& key, std::span<const u8> object) override;
  void notify_object_rejected(const CacheKey& key, const Error& why) override;

  ObjectCacheStats stats() const;
  std::vector<std::string> diagnostics() const;

  // A larger file is rejected without being read (and regenerated).
  static constexpr u64 kMaxObjectBytes = u64(1) << 30;  // 1 GiB, jitload's input limit

  // The key file's format, exposed for tests.
  static constexpr size_t kKeyFileSize = 80;
  static std::vector<u8> encode_key_file(const CacheKey& key, std::span<const u8> object);
  // Success if `key_file` says `object` was compiled for `key`; else why not.
  static Error check_key_file(std::span<const u8> key_file, const CacheKey& key, std::span<const u8> object);

 private:
  std::string directory_;
  mutable std::mutex mutex_;  // guards everything below
  ObjectCacheStats stats_;
  std::vector<std::string> diagnostics_;
  std::map<std::string, std::string> served_;  // key (hex) -> path, for notify_object_rejected
};

}  // namespace jitload
