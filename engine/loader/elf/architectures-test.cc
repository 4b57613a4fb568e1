// The ELF architecture list: one entry per (machine, class, byte order), since
// the loader takes the entry that matches an object's header (the last, were
// there two), and every entry with its relocation table.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "engine/loader/elf/arch.h"

namespace jitload::elf {
namespace {

TEST(ElfArchitectures, OnePerMachineClassAndByteOrder) {
  std::set<std::tuple<u16, u8, bool>> seen;
  for (const ElfArch* a : elf_architectures()) {
    ASSERT_NE(a->reloc, nullptr);
    EXPECT_TRUE(seen.insert({a->machine, a->elf_class, a->little_endian}).second) << a->reloc->name;
  }
  EXPECT_FALSE(seen.empty());
}

}  // namespace
}  // namespace jitload::elf
