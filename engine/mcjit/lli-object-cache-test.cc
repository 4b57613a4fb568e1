#include "engine/mcjit/lli-object-cache.h"

#include <gtest/gtest.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "engine/mcjit/testing/support.h"

using namespace jitload;

namespace {

CacheKey key_of(u8 seed) {
  CacheKey k;
  for (size_t i = 0; i < k.digest.size(); i++) k.digest[i] = u8(seed + i * 5);
  return k;
}

std::optional<std::string> name(std::string_view id, std::string_view dir) {
  return LliObjectCache::path_for_module(id, dir);
}

// lli 19's naming, case by case (each checked against lli-19's files by
// run-test.sh where lli can run the case).
TEST(LliObjectCacheNaming, AsLli19) {
  EXPECT_EQ(name("file:main.ll", "cache"), "cache/main.o");
  EXPECT_EQ(name("file:main.ll", "cache/"), "cache/main.o");      // one '/' added only when missing
  EXPECT_EQ(name("file:main.bc", ""), "main.o");                  // no directory: next to the input
  EXPECT_EQ(name("file:sub/helper.ll", "c"), "c/sub/helper.o");   // the input's path is kept
  EXPECT_EQ(name("file:/abs/x.ll", "c"), "c//abs/x.o");           // lli concatenates an absolute path too
  EXPECT_EQ(name("file:a.b.ll", "c"), "c/a.b.o");                 // only the last extension goes
  EXPECT_EQ(name("file:prog", "./c"), ".o");                      // the last '.' may be the directory's, as in lli
  EXPECT_EQ(name("file:prog", "c"), std::nullopt);                // no '.': lli 19 throws; not cached here
  EXPECT_EQ(name("main.ll", "c"), std::nullopt);                  // not "file:": lli does not cache it
  EXPECT_EQ(name("file:", ""), std::nullopt);
}

TEST(LliObjectCacheKeyFile, AcceptsItsOwnObjectOnly) {
  std::vector<u8> object = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 9, 9};
  std::vector<u8> key_file = LliObjectCache::encode_key_file(key_of(1), object);
  ASSERT_EQ(key_file.size(), LliObjectCache::kKeyFileSize);
  EXPECT_FALSE(LliObjectCache::check_key_file(key_file, key_of(1), object));

  Error stale = LliObjectCache::check_key_file(key_file, key_of(2), object);
  ASSERT_TRUE(stale);
  EXPECT_NE(stale.message().find("stale"), std::string::npos) << stale.message();

  // Every flipped bit of the object, and every byte of the key file, is seen.
  for (size_t i = 0; i < object.size(); i++) {
    std::vector<u8> bad = object;
    bad[i] ^= 0x10;
    EXPECT_TRUE(LliObjectCache::check_key_file(key_file, key_of(1), bad)) << "object byte " << i;
  }
  for (size_t i = 0; i < key_file.size(); i++) {
    std::vector<u8> bad = key_file;
    bad[i] ^= 0x01;
    EXPECT_TRUE(LliObjectCache::check_key_file(bad, key_of(1), object)) << "key file byte " << i;
  }
  // Truncated or extended objects and key files.
  std::vector<u8> shorter(object.begin(), object.end() - 1);
  EXPECT_TRUE(LliObjectCache::check_key_file(key_file, key_of(1), shorter));
  std::vector<u8> longer = object;
  longer.push_back(0);
  EXPECT_TRUE(LliObjectCache::check_key_file(key_file, key_of(1), longer));
  for (size_t n = 0; n < key_file.size(); n++)
    EXPECT_TRUE(LliObjectCache::check_key_file(std::span(key_file).first(n), key_of(1), object)) << "cut at " << n;
}

TEST(LliObjectCache, WritesPlainObjectThenServesIt) {
  std::string dir = jitload::mcjit_testing::fresh_dir("lli-cache") + "/c";
  LliObjectCache cache(dir);
  llvm::LLVMContext ctx;
  llvm::Module m("file:sub/prog.ll", ctx);
  EXPECT_FALSE(cache.get_object(m, key_of(3)));
  EXPECT_EQ(cache.stats().misses, 1u);

  std::vector<u8> object = {1, 2, 3, 4, 5};
  cache.notify_object_compiled(m, key_of(3), object);
  EXPECT_EQ(cache.stats().written, 1u);
  // The .o is exactly the object: nothing prepended or appended.
  EXPECT_EQ(jitload::mcjit_testing::read_file(dir + "/sub/prog.o"), object);
  EXPECT_EQ(jitload::mcjit_testing::read_file(dir + "/sub/prog.o.jlkey").size(), LliObjectCache::kKeyFileSize);

  auto hit = cache.get_object(m, key_of(3));
  ASSERT_TRUE(hit);
  EXPECT_EQ(*hit, object);
  EXPECT_EQ(cache.stats().hits, 1u);

  // Stale: asked for another key.
  EXPECT_FALSE(cache.get_object(m, key_of(4)));
  // Replaced by a different object (as lli rewriting it would).
  jitload::mcjit_testing::write_file(dir + "/sub/prog.o", std::vector<u8>{1, 2, 3, 4, 6});
  EXPECT_FALSE(cache.get_object(m, key_of(3)));
  // No key file (an lli-written entry).
  ASSERT_EQ(std::remove((dir + "/sub/prog.o.jlkey").c_str()), 0);
  EXPECT_FALSE(cache.get_object(m, key_of(3)));
  EXPECT_EQ(cache.stats().rejected, 3u);
  ASSERT_EQ(cache.diagnostics().size(), 3u);
  EXPECT_NE(cache.diagnostics()[0].find("stale"), std::string::npos) << cache.diagnostics()[0];
  EXPECT_NE(cache.diagnostics()[1].find("digest"), std::string::npos) << cache.diagnostics()[1];
  EXPECT_NE(cache.diagnostics()[2].find("cannot tell whether it is current"), std::string::npos);

  // Regenerated: served again.
  cache.notify_object_compiled(m, key_of(3), object);
  EXPECT_TRUE(cache.get_object(m, key_of(3)));
}

TEST(LliObjectCache, ModulesLliWouldNotCacheAreNotWritten) {
  std::string dir = jitload::mcjit_testing::fresh_dir("lli-cache-none");
  LliObjectCache cache(dir);
  llvm::LLVMContext ctx;
  llvm::Module plain("prog.ll", ctx), no_dot("file:prog", ctx);
  cache.notify_object_compiled(plain, key_of(5), std::vector<u8>{1});
  cache.notify_object_compiled(no_dot, key_of(5), std::vector<u8>{1});
  EXPECT_EQ(cache.stats().written, 0u);
  EXPECT_FALSE(cache.get_object(no_dot, key_of(5)));
  ASSERT_EQ(cache.diagnostics().size(), 1u);
  EXPECT_NE(cache.diagnostics()[0].find("no '.'"), std::string::npos);
}

TEST(LliObjectCache, UnwritableDirectoryIsCountedNotFatal) {
  std::string file = jitload::mcjit_testing::fresh_dir("lli-cache-file") + "/plain";
  jitload::mcjit_testing::write_file(file, std::string("x"));
  LliObjectCache cache(file);  // a file where the directory should be
  llvm::LLVMContext ctx;
  llvm::Module m("file:m.ll", ctx);
  cache.notify_object_compiled(m, key_of(6), std::vector<u8>{1, 2});
  EXPECT_EQ(cache.stats().write_failures, 1u);
  EXPECT_EQ(cache.stats().written, 0u);
  ASSERT_EQ(cache.diagnostics().size(), 1u);
}

}  // namespace
