#include "engine/mcjit/debug-object.h"

namespace jitload {

namespace {
struct Patcher {
  const char* format;
  bool (*matches)(std::span<const u8>);
  Expected<std::vector<u8>> (*make)(std::span<const u8>, std::span<const SectionPlacement>);
};
// A new object format adds one line here and its file in its folder.
constexpr Patcher kPatchers[] = {
    {"ELF", elf_is_object, elf_make_debug_object},
};
}  // namespace

Expected<std::vector<u8>> make_debug_object(std::span<const u8> object, std::span<const SectionPlacement> placements) {
  for (const Patcher& p : kPatchers)
    if (p.matches(object)) return p.make(object, placements);
  return Error(ErrorKind::Unsupported, "no debug-object writer for this object format");
}

}  // namespace jitload
