#include "conformance/report/layout.h"

#include "conformance/elf/elf-view.h"
#include "conformance/report/arch.h"
#include "conformance/report/macho-walk.h"

namespace jitload::conformance {

namespace {

u64 align_up(u64 v, u64 a) { return a <= 1 ? v : (v + a - 1) / a * a; }


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

namespace {

// Mach-O (little-endian MH_OBJECT, 32- or 64-bit; macho-walk.h): its
// sections in ordinal order (1, 2, ... across every LC_SEGMENT_64), except
// debug ones (S_ATTR_DEBUG: __DWARF, __LD,__compact_unwind), which neither
// loader places. Every read is bounded; a header that breaks the format
// is an error, which the loaders report on their own terms.
bool macho_sections(std::span<const u8> b, std::vector<PlannedSection>& out, std::string& why) {
  why = walk_macho_sections(b, [&](const MachOSectionHeader& h) {
    if (h.flags & 0x02000000) return true;  // S_ATTR_DEBUG
    PlannedSection s;
    s.index = h.ordinal;
    s.name = std::string(h.name);
    s.size = h.size;
    s.align = h.align < 63 ? u64(1) << h.align : 1;
    out.push_back(s);
    return true;
  });
  return why.empty();
}

}  // namespace

Placement plan_placement(std::span<const u8> b, const LoadScenario& scenario) {
  Placement p;
  p.section_sep = scenario.section_sep;
  p.cursor = scenario.base;
  if (b.size() >= 4 && (b[0] == 0xcf || b[0] == 0xce) && b[1] == 0xfa && b[2] == 0xed && b[3] == 0xfe) {  // MH_MAGIC_64, MH_MAGIC
    std::string why;
    if (!macho_sections(b, p.sections, why)) {
      p.error = why;
      return p;
    }
    p.tls_variant = 2;  // (no TLS sections: Mach-O TLV is not loaded yet)
    for (PlannedSection& s : p.sections) {
      if (explicit_address(scenario, s.name, s.index, s.address)) continue;
      s.address = align_up(p.cursor, s.align);
      p.cursor = s.address + s.size + scenario.section_sep;
    }
    p.ok = true;
    return p;
  }
  // Any class and byte order (the shared ELF view reads both).
  std::string why;
  auto view = elfview::View::open(b, &why);
  if (!view) {
    p.error = why;
    return p;
  }
  const ReportArch* arch = find_arch(*view);
  p.tls_variant = arch ? arch->tls_variant : 2;
  p.tcb_size = arch ? arch->tcb_size : 0;
  if (view->section_count() == 0) {
    p.ok = true;
    return p;
  }
  for (u64 i = 1; i < view->section_count(); i++) {
    elfview::Section h = *view->section(i);
    if (!(h.flags & 0x2)) continue;  // SHF_ALLOC
    switch (h.type) {                // metadata tables never load (gABI section types)
      case 0: case 2: case 3: case 4: case 5: case 6: case 9: case 11: case 17: case 18:
        continue;
    }
    PlannedSection s;
    s.index = u32(i);
    s.name = std::string(h.name);
    s.size = h.size;
    s.align = h.align == 0 ? 1 : h.align;
    s.tls = h.flags & 0x400;  // SHF_TLS
    p.sections.push_back(s);
  }
  for (PlannedSection& s : p.sections) {
    if (s.tls) continue;
    if (explicit_address(scenario, s.name, s.index, s.address)) continue;
    s.address = align_up(p.cursor, s.align);
    p.cursor = s.address + s.size + scenario.section_sep;
  }
  // One static TLS block (sizes come from the file: unsigned arithmetic,
  // wrapping, never UB; the loaders refuse such sizes on their own terms).
  u64 offset = 0, block_align = 1;
  std::vector<u64> at(p.sections.size(), 0);
  for (size_t k = 0; k < p.sections.size(); k++) {
    PlannedSection& s = p.sections[k];
    if (!s.tls) continue;
    offset = align_up(offset, s.align);
    at[k] = offset;
    offset += s.size;
    if (s.align > block_align) block_align = s.align;
  }
  for (size_t k = 0; k < p.sections.size(); k++)
    if (p.sections[k].tls) p.sections[k].tp_offset = tls_offset(p, at[k], offset, block_align);
  p.ok = true;
  return p;
}

i64 tls_offset(const Placement& p, u64 at, u64 end, u64 block_align) {
  // Variant II (x86-64): the block ends at the thread pointer.
  if (p.tls_variant == 2) return i64(at - align_up(end, block_align));
  // Variant I (AArch64: TCB 16; RISC-V: TCB 0): the block starts after the
  // TCB, aligned.
  return i64(align_up(p.tcb_size, block_align) + at);
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

bool same_for_every_member(const LoadScenario& scenario) {
  for (const auto& [key, address] : scenario.section_addresses)
    if (key.rfind("@", 0) == 0) return false;
  return true;
}

std::vector<Placement> plan_set_tls(std::span<const std::span<const u8>> members, const LoadScenario& scenario) {
  std::vector<Placement> plans;
  plans.reserve(members.size());
  const bool same = same_for_every_member(scenario);  // (the fuzzers' case: no copy per input)
  for (size_t k = 0; k < members.size(); k++)
    plans.push_back(same ? plan_placement(members[k], scenario) : plan_placement(members[k], member_scenario(scenario, k)));
  // One static TLS block: every member's TLS sections in load order, each
  // member's in header order; the thread pointer where the first member's
  // architecture puts it (variant I or II).
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
  for (size_t k = 0; k < plans.size(); k++)
    for (size_t i = 0; i < plans[k].sections.size(); i++)
      if (plans[k].sections[i].tls)
        plans[k].sections[i].tp_offset = tls_offset(plans[0], at[k][i], offset, block_align);
  return plans;
}

}  // namespace jitload::conformance
