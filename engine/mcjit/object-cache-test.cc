#include "engine/mcjit/object-cache.h"

#include <unistd.h>

#include <gtest/gtest.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "engine/mcjit/testing/support.h"

using namespace jitload;

namespace {

CacheKey key_of(u8 seed) {
  CacheKey k;
  for (size_t i = 0; i < k.digest.size(); i++) k.digest[i] = u8(seed + i * 7);
  return k;
}

TEST(ObjectCacheFormat, RoundTrip) {
  std::vector<u8> object = {0x7f, 'E', 'L', 'F', 1, 2, 3, 4, 5};
  std::vector<u8> entry = DiskObjectCache::encode_entry(key_of(1), object);
  Expected<std::vector<u8>> back = DiskObjectCache::decode_entry(entry, key_of(1));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, object);
  EXPECT_EQ(key_of(1).hex().size(), 64u);
}

TEST(ObjectCacheFormat, EveryFlippedByteIsDetected) {
  std::vector<u8> object(100);
  for (size_t i = 0; i < object.size(); i++) object[i] = u8(i * 13);
  std::vector<u8> entry = DiskObjectCache::encode_entry(key_of(2), object);
  for (size_t i = 0; i < entry.size(); i++) {
    std::vector<u8> bad = entry;
    bad[i] ^= 0x01;
    Expected<std::vector<u8>> r = DiskObjectCache::decode_entry(bad, key_of(2));
    EXPECT_FALSE(r) << "flip at " << i << " went unnoticed";
  }
}

TEST(ObjectCacheFormat, EveryTruncationAndExtensionIsDetected) {
  std::vector<u8> object(50, 0xab);
  std::vector<u8> entry = DiskObjectCache::encode_entry(key_of(3), object);
  for (size_t n = 0; n < entry.size(); n++) {
    std::vector<u8> cut(entry.begin(), entry.begin() + n);
    EXPECT_FALSE(DiskObjectCache::decode_entry(cut, key_of(3))) << "cut at " << n;
  }
  std::vector<u8> longer = entry;
  longer.push_back(0);
  EXPECT_FALSE(DiskObjectCache::decode_entry(longer, key_of(3)));
}

TEST(ObjectCacheFormat, EntryForAnotherKeyIsRejected) {
  std::vector<u8> entry = DiskObjectCache::encode_entry(key_of(4), std::vector<u8>{1, 2, 3});
  Expected<std::vector<u8>> r = DiskObjectCache::decode_entry(entry, key_of(5));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("another key"), std::string::npos);
}

TEST(DiskObjectCache, MissWriteHitAndWriteFailure) {
  std::string dir = jitload::mcjit_testing::fresh_dir("disk") + "/nested/deeper";
  auto cache = DiskObjectCache::open(dir);
  ASSERT_TRUE(cache) << cache.error().message();
  llvm::LLVMContext ctx;
  llvm::Module m("m", ctx);
  EXPECT_FALSE((*cache)->get_object(m, key_of(6)));
  EXPECT_EQ((*cache)->stats().misses, 1u);
  std::vector<u8> object = {9, 8, 7};
  (*cache)->notify_object_compiled(m, key_of(6), object);
  EXPECT_EQ((*cache)->stats().written, 1u);
  auto hit = (*cache)->get_object(m, key_of(6));
  ASSERT_TRUE(hit);
  EXPECT_EQ(*hit, object);
  EXPECT_EQ((*cache)->stats().hits, 1u);

  // The directory vanishes: writing fails, is counted and explained, and is
  // not an error of the JIT.
  ASSERT_EQ(::unlink((*cache)->path_for(key_of(6)).c_str()), 0);
  ASSERT_EQ(::rmdir(dir.c_str()), 0);
  (*cache)->notify_object_compiled(m, key_of(7), object);
  EXPECT_EQ((*cache)->stats().write_failures, 1u);
  ASSERT_FALSE((*cache)->diagnostics().empty());
}

TEST(DiskObjectCache, OpenOnAFileIsAnError) {
  std::string file = jitload::mcjit_testing::fresh_dir("disk") + "/plain";
  jitload::mcjit_testing::write_file(file, std::string("x"));
  auto cache = DiskObjectCache::open(file);
  ASSERT_FALSE(cache);
  EXPECT_EQ(cache.error().kind(), ErrorKind::Io);
}

}  // namespace
