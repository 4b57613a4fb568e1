#include "conformance/report/macho-walk.h"

namespace jitload::conformance {

namespace {

std::string_view fixed_name(std::span<const u8> b, u64 at) {
  size_t n = 0;
  while (n < 16 && b[at + n]) n++;
  return std::string_view(reinterpret_cast<const char*>(&b[at]), n);
}

}  // namespace

std::string walk_macho_sections(std::span<const u8> b, const std::function<bool(const MachOSectionHeader&)>& each,
                                MachOFile* file) {
  auto u32_at = [&](u64 at) { return u32(b[at]) | u32(b[at + 1]) << 8 | u32(b[at + 2]) << 16 | u32(b[at + 3]) << 24; };
  auto u64_at = [&](u64 at) { return u64(u32_at(at)) | u64(u32_at(at + 4)) << 32; };
  auto offset = [](u64 at) { return "file offset " + std::to_string(at); };
  // MH_MAGIC: a 28-byte mach_header, LC_SEGMENT (56 bytes, then 68 per
  // section, 4-byte addr and size); MH_MAGIC_64: 32, LC_SEGMENT_64 (72,
  // then 80 per section).
  const bool is64 = !b.empty() && b[0] == 0xcf;
  const u64 header = is64 ? 32 : 28, segment_size = is64 ? 72 : 56, section_size = is64 ? 80 : 68;
  const u32 segment_cmd = is64 ? 0x19 : 0x1;
  if (b.size() < header) return "Mach-O header truncated (" + std::to_string(b.size()) + " bytes)";
  if (file) *file = MachOFile{is64, u32_at(4)};
  const u64 ncmds = u32_at(16), sizeofcmds = u32_at(20);
  if (sizeofcmds > b.size() - header)
    return "load commands (" + std::to_string(sizeofcmds) + " bytes at " + offset(header) + ") past the end of the file";
  const u64 end = header + sizeofcmds;
  u64 at = header;
  u32 ordinal = 0;
  for (u64 i = 0; i < ncmds; i++) {
    if (end - at < 8) return "load command " + std::to_string(i) + " at " + offset(at) + " past sizeofcmds";
    const u64 cmd = u32_at(at), cmdsize = u32_at(at + 4);
    if (cmdsize < 8 || cmdsize > end - at)
      return "load command " + std::to_string(i) + " at " + offset(at) + ": cmdsize " + std::to_string(cmdsize) +
             " outside sizeofcmds";
    if (cmd == segment_cmd) {
      if (cmdsize < segment_size) return "segment command at " + offset(at) + " too short";
      const u64 nsects = u32_at(at + (is64 ? 64 : 48));
      if (nsects > (cmdsize - segment_size) / section_size)
        return "segment command at " + offset(at) + ": " + std::to_string(nsects) + " sections do not fit its cmdsize";
      for (u64 k = 0; k < nsects; k++) {
        const u64 h = at + segment_size + k * section_size;
        const u64 tail = h + (is64 ? 48 : 40);  // offset, align, reloff, nreloc, flags
        MachOSectionHeader s{++ordinal,       h,
                             fixed_name(b, h), fixed_name(b, h + 16),
                             is64 ? u64_at(h + 32) : u32_at(h + 32),
                             is64 ? u64_at(h + 40) : u32_at(h + 36),
                             u32_at(tail),    u32_at(tail + 4),
                             u32_at(tail + 8), u32_at(tail + 12),
                             u32_at(tail + 16)};
        if (!each(s)) return "";
      }
    }
    at += cmdsize;
  }
  return "";
}

}  // namespace jitload::conformance
