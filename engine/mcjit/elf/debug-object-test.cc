#include <cstring>

#include <gtest/gtest.h>

#include "engine/loader/core/reader.h"
#include "engine/mcjit/debug-object.h"
#include "engine/mcjit/testing/support.h"

using namespace jitload;

namespace {

u64 sh_addr(const std::vector<u8>& elf, u32 index) {
  u64 shoff = load_le<u64>(elf.data() + 0x28);
  u16 shentsize = load_le<u16>(elf.data() + 0x3a);
  return load_le<u64>(elf.data() + shoff + u64(index) * shentsize + 0x10);
}

TEST(ElfDebugObject, PatchesOnlyTheAddressesOfPlacedSections) {
  std::string path = jitload::mcjit_testing::compile_object("int f(void) { return 1; }\nint g = 5;\n", "dbg");
  ASSERT_FALSE(path.empty());
  std::vector<u8> object = jitload::mcjit_testing::read_file(path);
  ASSERT_TRUE(elf_is_object(object));
  SectionPlacement placements[] = {{1, 0x123456789000}, {2, 0x2000}};
  Expected<std::vector<u8>> d = make_debug_object(object, placements);
  ASSERT_TRUE(d) << d.error().message();
  ASSERT_EQ(d->size(), object.size());
  EXPECT_EQ(sh_addr(*d, 1), 0x123456789000u);
  EXPECT_EQ(sh_addr(*d, 2), 0x2000u);
  size_t differing = 0;
  for (size_t i = 0; i < object.size(); i++) differing += (*d)[i] != object[i];
  EXPECT_LE(differing, 16u) << "only two 8-byte sh_addr fields may change";
}

TEST(ElfDebugObject, BadHeadersAreErrors) {
  std::string path = jitload::mcjit_testing::compile_object("int f(void) { return 1; }\n", "dbg2");
  std::vector<u8> object = jitload::mcjit_testing::read_file(path);
  ASSERT_GT(object.size(), 64u);
  SectionPlacement one[] = {{1, 0x1000}};
  // Section table beyond the end of the file.
  std::vector<u8> bad = object;
  store_le<u64>(bad.data() + 0x28, bad.size());
  EXPECT_FALSE(make_debug_object(bad, one));
  // A section index the table does not have.
  SectionPlacement far[] = {{60000, 0x1000}};
  EXPECT_FALSE(make_debug_object(object, far));
  // Truncated header; unknown class; not ELF at all.
  EXPECT_FALSE(make_debug_object(std::span<const u8>(object.data(), 20), one));
  bad = object;
  bad[4] = 9;
  EXPECT_FALSE(make_debug_object(bad, one));
  std::vector<u8> junk(100, 0);
  Expected<std::vector<u8>> r = make_debug_object(junk, one);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::Unsupported);
}

}  // namespace
