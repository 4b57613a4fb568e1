#include "conformance/report/layout.h"

namespace jitload::conformance {

namespace {

u64 align_up(u64 v, u64 a) { return a <= 1 ? v : (v + a - 1) / a * a; }

bool has(std::span<const u8> b, u64 off, u64 len) { return off <= b.size() && len <= b.size() - off; }

u64 le(std::span<const u8> b, u64 off, unsigned width) {
  u64 v = 0;
  for (unsigned i = 0; i < width; i++) v |= u64(b[off + i]) << (8 * i);
  return v;
}

bool explicit_address(const LoadScenario& s, const std::string& name, u64 index, u64& out) {
  std::string by_index = "#" + std::to_string(index);
  for (const auto& [key, address] : s.section_addresses)
    if (key == name || (index && key == by_index)) {
      out = address;
      return true;
    }
  return false;
}

}  // namespace

const PlannedSection* Placement::find(u32 index) const {
  for (const PlannedSection& p : sections)
    if (p.index == index) return &p;
  return nullptr;
}

u64 Placement::place_area(const LoadScenario& s, const std::string& name, u64 size, u64 align) {
  u64 address = 0;
  if (explicit_address(s, name, 0, address)) return address;
  address = align_up(cursor, align);
  cursor = address + size + section_sep;
  return address;
}

Placement plan_placement(std::span<const u8> b, const LoadScenario& scenario) {
  Placement p;
  p.section_sep = scenario.section_sep;
  p.cursor = scenario.base;
  if (!has(b, 0, 64) || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F' || b[4] != 2 || b[5] != 1) {
    p.error = "not an ELF64 little-endian object";
    return p;
  }
  u64 shoff = le(b, 40, 8), count = le(b, 60, 2), strndx = le(b, 62, 2);
  if (shoff == 0) {
    p.ok = true;
    return p;
  }
  if (!has(b, shoff, 64)) {
    p.error = "section table outside the file";
    return p;
  }
  if (count == 0) count = le(b, shoff + 32, 8);
  if (strndx == 0xffff) strndx = le(b, shoff + 40, 4);
  if (count > (b.size() - shoff) / 64 || strndx >= count) {
    p.error = "section table does not fit";
    return p;
  }
  u64 names_off = le(b, shoff + strndx * 64 + 24, 8), names_size = le(b, shoff + strndx * 64 + 32, 8);
  if (!has(b, names_off, names_size)) {
    p.error = "section names outside the file";
    return p;
  }
  for (u64 i = 1; i < count; i++) {
    u64 h = shoff + i * 64;
    u32 type = u32(le(b, h + 4, 4));
    u64 flags = le(b, h + 8, 8);
    if (!(flags & 0x2)) continue;  // SHF_ALLOC
    switch (type) {                // metadata tables never load (gABI section types)
      case 0: case 2: case 3: case 4: case 5: case 6: case 9: case 11: case 17: case 18:
        continue;
    }
    PlannedSection s;
    s.index = u32(i);
    u64 name = le(b, h, 4);
    for (u64 k = name; k < names_size && b[names_off + k]; k++) s.name.push_back(char(b[names_off + k]));
    s.size = le(b, h + 32, 8);
    s.align = le(b, h + 48, 8);
    if (s.align == 0) s.align = 1;
    s.tls = flags & 0x400;  // SHF_TLS
    p.sections.push_back(s);
  }
  for (PlannedSection& s : p.sections) {
    if (s.tls) continue;
    if (explicit_address(scenario, s.name, s.index, s.address)) continue;
    s.address = align_up(p.cursor, s.align);
    p.cursor = s.address + s.size + scenario.section_sep;
  }
  // One static TLS block, the thread pointer at its end (x86-64 variant II).
  u64 offset = 0, block_align = 1;
  // (Sizes come from the file: unsigned arithmetic, wrapping, never UB;
  // the loaders refuse such sizes on their own terms.)
  std::vector<u64> at(p.sections.size(), 0);
  for (size_t k = 0; k < p.sections.size(); k++) {
    PlannedSection& s = p.sections[k];
    if (!s.tls) continue;
    offset = align_up(offset, s.align);
    at[k] = offset;
    offset += s.size;
    if (s.align > block_align) block_align = s.align;
  }
  u64 block = align_up(offset, block_align);
  for (size_t k = 0; k < p.sections.size(); k++)
    if (p.sections[k].tls) p.sections[k].tp_offset = i64(at[k] - block);
  p.ok = true;
  return p;
}

void map_member_areas(LoadScenario& scenario, size_t members) {
  for (const auto& [key, address] : scenario.section_addresses)
    if (key.find('<') != std::string::npos) return;
  static const char* const kAreas[] = {"<common symbols>", "<got>", "<stubs>", "<ifunc stubs>"};
  const u64 areas = scenario.base + 0x10000000;
  for (size_t k = 0; k < members; k++)
    for (u64 a = 0; a < 4; a++)
      scenario.section_addresses.emplace_back("@" + std::to_string(k) + ":" + kAreas[a], areas + k * 0x100000 + a * 0x40000);
}

const SetArea kSetAreas[3] = {{"<got>", 8}, {"<stubs>", 16}, {"<ifunc stubs>", 16}};

LoadScenario member_scenario(const LoadScenario& scenario, size_t member) {
  LoadScenario s = scenario;
  s.section_addresses.clear();
  const std::string mine = "@" + std::to_string(member) + ":";
  // Lookups take the first match: this member's keys first.
  for (const auto& [key, address] : scenario.section_addresses)
    if (key.rfind(mine, 0) == 0) s.section_addresses.emplace_back(key.substr(mine.size()), address);
  for (const auto& [key, address] : scenario.section_addresses)
    if (key.rfind("@", 0) != 0) s.section_addresses.emplace_back(key, address);
  return s;
}

std::vector<Placement> plan_set_tls(std::span<const std::span<const u8>> members, const LoadScenario& scenario) {
  std::vector<Placement> plans;
  for (size_t k = 0; k < members.size(); k++) plans.push_back(plan_placement(members[k], member_scenario(scenario, k)));
  // One static TLS block: every member's TLS sections in load order, each
  // member's in header order, the thread pointer at the end (variant II).
  u64 offset = 0, block_align = 1;
  std::vector<std::vector<u64>> at(plans.size());
  for (size_t k = 0; k < plans.size(); k++) {
    at[k].assign(plans[k].sections.size(), 0);
    for (size_t i = 0; i < plans[k].sections.size(); i++) {
      const PlannedSection& t = plans[k].sections[i];
      if (!t.tls) continue;
      offset = align_up(offset, t.align);
      at[k][i] = offset;
      offset += t.size;
      if (t.align > block_align) block_align = t.align;
    }
  }
  u64 block = align_up(offset, block_align);
  for (size_t k = 0; k < plans.size(); k++)
    for (size_t i = 0; i < plans[k].sections.size(); i++)
      if (plans[k].sections[i].tls) plans[k].sections[i].tp_offset = i64(at[k][i] - block);
  return plans;
}

}  // namespace jitload::conformance
