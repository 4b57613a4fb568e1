// jitload diff OBJ... [scenario options] [--oracle llvm|none] [--timeout MS]
//                     [--save-divergences DIR] [--json] [--verbose]
// jitload diff --link OBJ... [the same options]
//
// Loads each object with the engine, the reference loader and (unless
// --oracle none) LLVM's RuntimeDyld in a child process, under one
// scenario, and compares the LoadReports (conformance/report/report.h).
// One line per object — agree, disagree, rejected-by-all, oracle-crashed —
// then a summary. Exit status 1 when the engine and the reference disagree
// on any object (2 for bad usage, 3 when an input could not be read, 0
// otherwise). An input whose first bytes are no object's is not read further:
// it counts as rejected by all.
// Disagreements with LLVM alone are listed apart: they may be LLVM's bugs,
// and the psABI decides. LLVM's answer comes from RuntimeDyld, or from
// JITLink for RISC-V and LoongArch (RuntimeDyld 19 has neither); what
// legitimately differs is listed under the object as "classified" lines
// (classify_llvm: relaxation, stub and GOT placement, a relocation type
// LLVM lacks); --fail-on-unexplained also exits 1 when an LLVM
// disagreement fits no class, or the oracle crashed.
//
// With --link the objects are one set, loaded into one symbol table by
// each loader (one RuntimeDyld; reference::load_set; one llvm::RuntimeDyld)
// and compared as one report (report.h, "A set of objects"), bindings
// first: one line for the set. Unless the scenario maps them, every
// member's own areas (common block, GOT, stubs, IFUNC stubs) are mapped
// explicitly, member K's at AREAS + K * 0x100000 (+0, +0x40000, +0x80000,
// +0xc0000; AREAS = base + 0x10000000), so that file sections sit where the
// scenario's rule puts them whatever size each loader gives its own areas.
// LLVM's RuntimeDyld binds a weak name to the first definition loaded and
// mishandles some cases: where only LLVM differs, it is listed apart.
#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "conformance/oracle/oracle.h"
#include "conformance/report/compare.h"
#include "conformance/report/decode.h"
#include "conformance/report/json.h"
#include "conformance/report/layout.h"
#include "conformance/report/loaders.h"
#include "conformance/report/macho-walk.h"
#include "engine/loader/core/file.h"
#include "engine/loader/core/reader.h"
#include "tools/commands.h"
#include "tools/common.h"

namespace jitload::tools {
namespace {

namespace cf = jitload::conformance;
using cf::u8;
using cf::u64;

int usage(FILE* out) {
  std::fprintf(out,
               "usage: jitload diff OBJ... [options]\n"
               "       jitload diff --link OBJ... [options]\n"
               "Loads each object with the engine, the reference loader and LLVM's RuntimeDyld\n"
               "(in a child process) under one scenario and compares what they did.\n"
               "With --link the objects form one program (one symbol table) and are compared\n"
               "as one set: where each name binds, then every member's sections and relocations.\n\n"
               "scenario:\n%s"
               "comparison:\n"
               "  --oracle llvm|none     third opinion (default llvm)\n"
               "  --timeout MS           time limit of the oracle's child process (default 10000)\n"
               "  --save-divergences DIR copy each diverging object to DIR with its reports and a replay line\n"
               "  --json                 one JSON object per object, then a summary object\n"
               "  --verbose              print every difference, not the first 20\n"
               "  --fail-on-unexplained  exit 1 also when LLVM disagrees in a way no class explains\n"
               "                         (relaxation, stub/GOT placement, a relocation LLVM lacks), or crashes\n"
               "  --link                 the objects are one set loaded into one symbol table\n"
               "                         (explicit addresses for member K: --map-section @K:NAME=ADDR)\n",
               cf::kScenarioOptionsHelp);
  return out == stdout ? kExitOk : kExitUsage;
}

// kExitOk when read; kExitFailed when its first bytes are no object's (it is
// refused unread, as every loader would refuse it); kExitUnreadable when it
// cannot be read (missing, a directory, over the size limit, out of memory).
int read_input(const std::string& path, std::vector<u8>& out, std::string& error) {
  auto bytes = jitload::read_object_file(path);
  if (!bytes) {
    error = bytes.error().message();
    if (error.starts_with(path + ": ")) error.erase(0, path.size() + 2);
    return read_failure_status(bytes.error());
  }
  out = std::move(*bytes);
  return kExitOk;
}

// What the scenario's placement puts across 2^64 ("" when nothing): a
// section mapped there by --map-section, or one placed upward from --base
// (layout.cc's rule, replayed here in 128 bits so nothing wraps unseen:
// each at its alignment, then its size and --section-sep), or the areas the
// loaders add after the last section (GOT, stubs, commons) when the cursor
// has already passed 2^64.
std::string wrapping_section(std::span<const u8> bytes, const cf::LoadScenario& scenario) {
  using u128 = unsigned __int128;
  constexpr u128 kTop = u128(1) << 64;
  cf::Placement p = cf::plan_placement(bytes, scenario);
  char text[128];
  u128 cursor = scenario.base;
  for (const cf::PlannedSection& s : p.sections) {
    if (s.tls) continue;
    bool mapped = false;
    for (const auto& [key, address] : scenario.section_addresses)
      mapped |= key == s.name || key == "#" + std::to_string(s.index);
    if (mapped) {
      if (u128(s.address) + s.size <= kTop) continue;
      std::snprintf(text, sizeof text, "' (size 0x%llx) mapped at 0x%llx", (unsigned long long)s.size,
                    (unsigned long long)s.address);
      return "section '" + s.name + text;
    }
    u128 align = s.align > 1 ? s.align : 1;
    u128 at = (cursor + align - 1) / align * align;
    if (at + s.size > kTop) {
      std::snprintf(text, sizeof text, "' (size 0x%llx) placed from --base 0x%llx with --section-sep 0x%llx",
                    (unsigned long long)s.size, (unsigned long long)scenario.base,
                    (unsigned long long)scenario.section_sep);
      return "section '" + s.name + text;
    }
    cursor = at + s.size + scenario.section_sep;
  }
  if (cursor > kTop) {
    std::snprintf(text, sizeof text, "placed from --base 0x%llx with --section-sep 0x%llx",
                  (unsigned long long)scenario.base, (unsigned long long)scenario.section_sep);
    return std::string("the loader's own areas (GOT, stubs, commons) after the last section, ") + text + ",";
  }
  return "";
}

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

u64 fnv(const std::vector<u8>& b) {
  u64 h = 0xcbf29ce484222325ull;
  for (u8 c : b) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// What LLVM did at the relocation an engine/reference difference names.
std::string llvm_value_at(const cf::LoadReport& llvm, const cf::Difference& d, const cf::LoadReport& ref) {
  if (d.what != "relocation") return "";
  for (size_t k = 0; k < llvm.relocations.size(); k++) {
    const cf::ReportRelocation& r = llvm.relocations[k];
    if (llvm.member_prefix(r.object) + r.section != d.section || r.offset != d.offset ||
        cf::relocation_label(r) != d.relocation)
      continue;
    cf::DecodedField f = cf::decode_field(llvm, r, k ? &llvm.relocations[k - 1] : nullptr);
    return cf::describe_field(llvm, r, f);
  }
  (void)ref;
  return "";
}

struct ObjectResult {
  std::string path;
  std::string verdict;  // agree disagree rejected-by-all oracle-crashed error
  std::string detail;
  std::vector<std::string> differences;       // engine vs reference
  std::vector<std::string> llvm_differences;  // reference vs LLVM
  bool llvm_disagrees = false;
  // Differences with LLVM that are explained (classified_llvm below): what
  // the LLVM linker legitimately does otherwise, listed, never hidden.
  std::vector<std::string> llvm_classified;
  bool llvm_unexplained = false;  // an LLVM disagreement no class explains
};

// What legitimately differs between the reference and LLVM's linker, in
// classes (`jitload diff` lists them under the object; README, "Three
// loaders"):
//   - relaxation: what JITLink's relaxation pass did to the object in a
//     link of its own (the oracle's note); the compared link is without it.
//     That relaxed link is read back against its own edges; a field that
//     does not reach its target there ("relaxed-link-error"), or a relaxed
//     link that fails, is never explained;
//   - stub / GOT placement: a field that reaches the same target through
//     LLVM's stub or GOT slot where the reference reaches it directly or
//     through its own (different addresses, same value reached: the
//     comparison follows them, this only counts them);
//   - unsupported: LLVM refused the object naming a relocation type its
//     linker lacks (JITLink 19 has no RISC-V TLS, ULEB128 or GOT32_PCREL),
//     where the reference loaded it.
// A 32-bit little-endian Mach-O section header as the file has it (its
// ordinal, 1-based across LC_SEGMENT commands, as reports number Mach-O
// sections), or nullopt when the object is not such a file or has no such
// section. For classify_llvm: the defects recognised by what the file says.
struct MachO32Section {
  u32 addr = 0, size = 0, offset = 0, reloff = 0, nreloc = 0;
};
std::optional<u32> macho32_read(const std::vector<u8>& b, u64 at) {
  if (!in_bounds(at, 4, b.size())) return std::nullopt;
  return load_le<u32>(&b[at]);
}
std::optional<MachO32Section> macho32_file_section(const std::vector<u8>* file, i64 ordinal) {
  if (!file || ordinal < 1 || macho32_read(*file, 0) != 0xfeedfaceu) return std::nullopt;
  std::optional<MachO32Section> found;
  cf::walk_macho_sections(*file, [&](const cf::MachOSectionHeader& h) {
    if (h.ordinal != u64(ordinal)) return true;
    found = MachO32Section{u32(h.addr), u32(h.size), h.offset, h.reloff, h.nreloc};
    return false;
  });
  return found;
}

// The file's word at `offset` in that section, or nullopt when the range is
// outside it. For classify_llvm: a field LLVM left as the file has it.
std::optional<u32> macho32_file_word(const std::vector<u8>* file, i64 ordinal, u64 offset) {
  const std::optional<MachO32Section> s = macho32_file_section(file, ordinal);
  if (!s || offset > s->size || s->size - offset < 4) return std::nullopt;
  return macho32_read(*file, u64(s->offset) + offset);
}

// Whether that section's relocations hold a scattered entry (<mach-o/reloc.h>:
// r_scattered, bit 31 of the first word; r_type bits 24-27; r_address bits
// 0-23) of type `type` for the field at `offset`.
bool macho32_scattered_at(const std::vector<u8>* file, i64 ordinal, u64 offset, u32 type) {
  const std::optional<MachO32Section> s = macho32_file_section(file, ordinal);
  for (u32 i = 0; s && i < s->nreloc; i++) {
    const std::optional<u32> w = macho32_read(*file, u64(s->reloff) + 8 * u64(i));
    if (!w) return false;
    if ((*w & 0x80000000u) && (*w & 0xffffff) == offset && ((*w >> 24) & 0xf) == type) return true;
  }
  return false;
}

// One line of the three-way summary for a defect corpora/llvm-defects/
// catalogues: its file, how many fields or calls, and what LLVM did to them.
std::string catalogued(const char* file, u64 count, const std::string& what) {
  return std::string("catalogued LLVM 19 defect (corpora/llvm-defects/") + file + "): " + std::to_string(count) + " " + what;
}

// Returns true when every LLVM difference is explained by one of them.
// file: the object's bytes (one object, not a set), for the defects
// recognised by a field LLVM left as the file has it.
bool classify_llvm(const cf::LoadReport& reference, const cf::OracleResult& oracle, const cf::Comparison& rl,
                   std::vector<std::string>& out, const std::vector<u8>* file = nullptr) {
  const cf::LoadReport& llvm = oracle.report;
  bool relax_error = false;  // JITLink's relaxed link contradicts itself: never explained
  for (const std::string& n : oracle.notes) {
    out.push_back(n);
    relax_error |= n.starts_with("relaxed-link-error:") || n.starts_with("relaxation: JITLink's link with its relaxation pass failed");
  }
  if (relax_error) return false;
  // Catalogued LLVM 19 defects (corpora/llvm-defects/), recognised field by
  // field: RuntimeDyldMachOX86_64 checks no range and makes no stubs, so a
  // pc-relative field out of +-2 GiB gets the low 32 bits of its distance.
  const bool macho_x86_64 = reference.triple.starts_with("x86_64-apple");
  const bool macho_arm64 = reference.triple.starts_with("arm64-apple");
  const bool macho_arm = reference.triple.starts_with("armv7-apple");
  const bool macho_i386 = reference.triple.starts_with("i386-apple");
  auto truncated = [](u64 llvm_effective, u64 wanted) { return llvm_effective != wanted && u32(llvm_effective - wanted) == 0; };
  if ((macho_x86_64 || macho_arm64 || macho_i386) && !reference.loaded && llvm.loaded && reference.error_kind == "overflow" &&
      reference.relocations.size() == llvm.relocations.size()) {
    // The reference refused the object for fields out of range: explained
    // when each one is a pc-relative field LLVM wrote truncated (x86-64:
    // SIGNED*/BRANCH, low 32 bits; arm64: BRANCH26, low 26 bits of the
    // word distance — a far branch with an addend, which no veneer serves).
    cf::MemoryMap lmem(llvm);
    u64 fields = 0, sectdiff_fields = 0;
    bool all = true;
    for (size_t k = 0; k < reference.relocations.size(); k++) {
      const cf::ReportRelocation& a = reference.relocations[k];
      if (a.status != "error") continue;
      const u32 type = a.type & 0xf;
      if (macho_i386) {
        // i386: a VANILLA field of W bytes out of range, LLVM's W bytes the
        // low bytes of the value the reference would write (T, or T - (P +
        // W) when pc-relative), at the same place.
        const cf::ReportSection* ls = llvm.file_section(a.object, a.section_index);
        const u64 W = u64(1) << ((a.type >> 4) & 3), mask = W == 8 ? ~u64(0) : (u64(1) << (8 * W)) - 1;
        u64 raw = 0;
        for (u64 i = 0; ls && i < W; i++) raw |= u64(ls->byte_at(a.offset + i)) << (8 * i);
        u64 wanted = (a.type & 0x40) && ls ? a.effective - (ls->address + a.offset + W) : a.effective;
        // A SECTDIFF or LOCAL_SECTDIFF (A - B + k) records no target: the
        // value is the one the reference's error names ("out of range: V
        // does not fit").
        const size_t at = a.error.find("out of range: ");
        const bool sectdiff = type == 2 || type == 4;
        if (sectdiff && at != std::string::npos) wanted = u64(std::strtoll(a.error.c_str() + at + 14, nullptr, 10));
        if ((type != 0 && !sectdiff) || !ls || at == std::string::npos || raw != (wanted & mask)) {
          all = false;
          break;
        }
        fields++;
        sectdiff_fields += sectdiff;
        continue;
      }
      const bool pcrel = macho_arm64 ? type == 2 : (type == 1 || type == 2 || type == 6 || type == 7 || type == 8);
      cf::DecodedField l = cf::decode_field(lmem, llvm.relocations[k], k ? &llvm.relocations[k - 1] : nullptr);
      const bool cut = macho_arm64 ? l.effective != a.effective && ((l.effective - a.effective) & 0xfffffff) == 0
                                   : truncated(l.effective, a.effective);
      if (!pcrel || a.error.find("out of range") == std::string::npos || !l.ok || !cut) {
        all = false;
        break;
      }
      fields++;
    }
    if (all && sectdiff_fields)
      out.push_back(catalogued("macho-i386-sectdiff-silent-truncation.s", sectdiff_fields,
                               "GENERIC_RELOC_SECTDIFF/LOCAL_SECTDIFF field(s) out of range written with the low bytes "
                               "of A - B + k, where both of jitload's loaders refuse them"));
    fields -= sectdiff_fields;
    if (all && !fields && sectdiff_fields) return true;
    if (all && fields) {
      out.push_back(macho_i386 ? catalogued("macho-i386-vanilla-silent-truncation.s", fields,
                                            "GENERIC_RELOC_VANILLA field(s) out of range written with the low bytes of their "
                                            "value, where both of jitload's loaders refuse them")
                    : macho_arm64
                        ? catalogued("macho-arm64-branch26-silent-truncation.s", fields,
                                     "ARM64_RELOC_BRANCH26 field(s) out of +-128 MiB written with the low 26 bits of the "
                                     "word distance, where both of jitload's loaders refuse them")
                        : catalogued("macho-x86_64-signed-silent-truncation.s", fields,
                                     "X86_64_RELOC_SIGNED field(s) out of +-2 GiB written with the low 32 bits of the "
                                     "distance, where both of jitload's loaders refuse them"));
      return true;
    }
  }
  if (reference.loaded && !llvm.loaded) {
    const std::string& m = llvm.error_message;
    size_t at = m.find("Unsupported ");
    if (at == std::string::npos) at = m.find("Unimplemented relocation");  // RuntimeDyldMachO's UNIMPLEMENTED_RELOC
    if (at != std::string::npos && m.find(" relocation", at) != std::string::npos) {
      out.push_back("unsupported: LLVM " + (oracle.linker.empty() ? std::string("19") : oracle.linker + " 19") +
                    " lacks a relocation type the object uses (" + m.substr(at) + ")");
      return true;
    }
    // RuntimeDyldMachOARM 19 reads THUMB_RELOC_BR22 as the Thumb-1 BL pair
    // (second halfword 11111...): it refuses, with this error, a Thumb-2
    // BLX and a BL whose J1/J2 bits are not both set (beyond +-4 MiB) —
    // forms both loaders take (they validated the instruction as BL/BLX).
    if (macho_arm && m.find("Unrecognized thumb branch encoding") != std::string::npos) {
      out.push_back("unsupported: LLVM 19 lacks the Thumb-2 forms of ARM_THUMB_RELOC_BR22 (BLX, or BL beyond +-4 MiB): \"" +
                    m.substr(0, m.find('\n')) + "\"");
      return true;
    }
    return false;
  }
  if (!reference.loaded || !llvm.loaded) return rl.agree;
  // Paths to the same target: counted per class.
  u64 llvm_stub_only = 0, both_stubs = 0, ref_stub_only = 0, got_fields = 0, branch_truncated = 0, branch26_truncated = 0;
  u64 sectdiff_unapplied = 0, branch_unapplied = 0, pcrel_vanilla_short = 0;
  std::set<std::pair<std::string, u64>> explained_fields;  // (section, offset) a catalogued defect explains
  std::map<std::string, std::set<u64>> explained_bytes;    // section -> byte offsets a catalogued defect explains
  bool same_keys = reference.relocations.size() == llvm.relocations.size();
  for (size_t k = 0; same_keys && k < llvm.relocations.size(); k++) {
    const cf::ReportRelocation& a = reference.relocations[k];
    const cf::ReportRelocation& b = llvm.relocations[k];
    same_keys = a.object == b.object && a.section_index == b.section_index && a.offset == b.offset && a.type == b.type;
  }
  if (same_keys) {
    cf::MemoryMap rmem(reference), lmem(llvm);
    for (size_t k = 0; k < llvm.relocations.size(); k++) {
      // ARM: RuntimeDyldMachOARM steps over a scattered SECTDIFF or
      // LOCAL_SECTDIFF (it handles only HALF_SECTDIFF and VANILLA
      // scattered), and over a scattered BR24 or THUMB_BR22 alike:
      // recognised where LLVM's word is the file's, the reference's another.
      if (macho_arm && file) {
        const cf::ReportRelocation& a = reference.relocations[k];
        const u32 t = a.type & 0xf;
        const bool sectdiff = t == 2 || t == 3;
        const bool branch = (t == 5 || t == 6) && macho32_scattered_at(file, a.section_index, a.offset, t);
        if ((sectdiff || branch) && a.status == "applied") {
          const cf::ReportSection* rs = reference.file_section(a.object, a.section_index);
          const cf::ReportSection* ls = llvm.file_section(a.object, a.section_index);
          const std::optional<u32> w = macho32_file_word(file, a.section_index, a.offset);
          auto word = [&](const cf::ReportSection* x) {
            u32 v = 0;
            for (int i = 0; i < 4; i++) v |= u32(x->byte_at(a.offset + i)) << (8 * i);
            return v;
          };
          if (rs && ls && w && word(ls) == *w && word(rs) != *w) {
            if (sectdiff) {
              sectdiff_unapplied++;
            } else {
              branch_unapplied++;
              explained_fields.insert({a.section, a.offset});  // the branch's target differs too
            }
            for (u64 i = 0; i < 4; i++) explained_bytes[a.section].insert(a.offset + i);
          }
        }
      }
      // i386: RuntimeDyldMachOI386 takes a scattered pc-relative VANILLA's
      // addend as for an absolute field, without the field's own end the
      // assembler subtracted: LLVM's 4-byte field reaches P_file + 4 bytes
      // short of the reference's target (P_file: the field's address in the
      // file, its section's address there plus its offset).
      if (macho_i386 && file) {
        const cf::ReportRelocation& a = reference.relocations[k];
        const std::optional<MachO32Section> s = macho32_file_section(file, a.section_index);
        if ((a.type & 0x7f) == 0x60 && a.status == "applied" && s && macho32_scattered_at(file, a.section_index, a.offset, 0)) {
          cf::DecodedField r = cf::decode_field(rmem, a, k ? &reference.relocations[k - 1] : nullptr);
          cf::DecodedField l = cf::decode_field(lmem, llvm.relocations[k], k ? &llvm.relocations[k - 1] : nullptr);
          if (r.ok && l.ok && u32(r.effective - l.effective) == u32(s->addr + a.offset + 4)) {
            pcrel_vanilla_short++;
            explained_fields.insert({a.section, a.offset});
            for (u64 i = 0; i < 4; i++) explained_bytes[a.section].insert(a.offset + i);
          }
        }
      }
      cf::DecodedField r = cf::decode_field(rmem, reference.relocations[k], k ? &reference.relocations[k - 1] : nullptr);
      cf::DecodedField l = cf::decode_field(lmem, llvm.relocations[k], k ? &llvm.relocations[k - 1] : nullptr);
      if (!r.ok || !l.ok) continue;
      if (!cf::same_canonical_target(rmem, reference.relocations[k], r, lmem, llvm.relocations[k], l)) {
        const cf::ReportRelocation& a = reference.relocations[k];
        if (macho_x86_64 && (a.type & 0xf) == 2 && r.through_stub && !l.through_stub && truncated(l.effective, r.effective)) {
          branch_truncated++;
          explained_fields.insert({a.section, a.offset});
        }
        // arm64: RuntimeDyldMachOAArch64 writes a BRANCH26 beyond +-128 MiB
        // with the low 26 bits of the word distance (no stub).
        if (macho_arm64 && (a.type & 0xf) == 2 && r.through_stub && !l.through_stub && l.effective != r.effective &&
            ((l.effective - r.effective) & 0xfffffff) == 0) {
          branch26_truncated++;
          explained_fields.insert({a.section, a.offset});
        }
        continue;
      }
      if (l.through_stub && r.through_stub) both_stubs++;
      else if (l.through_stub) llvm_stub_only++;
      else if (r.through_stub) ref_stub_only++;
      if (l.through_got) got_fields++;
    }
  }
  std::string who = oracle.linker.empty() ? "LLVM" : oracle.linker;
  if (llvm_stub_only)
    out.push_back("stub placement: " + std::to_string(llvm_stub_only) + " call(s) reach their target through " + who +
                  "'s stub where the reference branches directly (same target reached)");
  if (both_stubs)
    out.push_back("stub placement: " + std::to_string(both_stubs) + " call(s) through a stub on both sides, at different places (same target reached)");
  if (ref_stub_only)
    out.push_back("stub placement: " + std::to_string(ref_stub_only) + " call(s) through the reference's stub, directly in " + who + " (same target reached)");
  if (got_fields)
    out.push_back("GOT placement: " + std::to_string(got_fields) + " field(s) read " + who +
                  "'s GOT slot, at its own address (compared by the slot's contents)");
  if (branch_truncated)
    out.push_back(catalogued("macho-x86_64-branch-silent-truncation.s", branch_truncated,
                             "X86_64_RELOC_BRANCH call(s) out of +-2 GiB written with the low 32 bits of the distance "
                             "(RuntimeDyldMachOX86_64 has no stubs), where jitload calls through its stub"));
  // RuntimeDyldMachO::registerEHFrames moves every FDE's pc_begin by
  // __text's displacement: an FDE of a function in another code section
  // (a 64-bit pc-relative field the assembler resolved, no relocation)
  // reaches the wrong place. Recognised per FDE: the reference's field
  // reaches a code section other than __text, LLVM's does not reach the same.
  std::set<u64> fde_fields;  // __eh_frame offsets of such pc_begin fields
  if (macho_x86_64 && !rl.agree) {
    const cf::ReportSection* re = nullptr;
    const cf::ReportSection* le = nullptr;
    for (const cf::ReportSection& x : reference.sections)
      if (x.index >= 0 && x.name == "__eh_frame") re = &x;
    for (const cf::ReportSection& x : llvm.sections)
      if (x.index >= 0 && x.name == "__eh_frame") le = &x;
    cf::MemoryMap rmem(reference);
    for (u64 at = 0; re && le && at + 16 <= re->size && at + 16 <= le->size;) {
      u64 length = 0, id = 0, rv = 0, lv = 0;
      if (!rmem.read_in(*re, at, 4, length) || length == 0 || length == 0xffffffff) break;
      rmem.read_in(*re, at + 4, 4, id);
      if (id != 0 && rmem.read_in(*re, at + 8, 8, rv) && rmem.read_in(*le, at + 8, 8, lv) && rv != lv) {
        const u64 target = re->address + at + 8 + rv;
        const cf::ReportSection* in = rmem.section_at(target, 1);
        if (in && in->kind == "code" && in->name != "__text" && le->address + at + 8 + lv != target)
          fde_fields.insert(at + 8);
      }
      at += 4 + length;
    }
  }
  if (!fde_fields.empty())
    out.push_back(catalogued("macho-x86_64-eh-frame-outside-text.s", fde_fields.size(),
                             "FDE pc_begin field(s) of functions outside __text moved by __text's displacement in "
                             "LLVM's registerEHFrames (they no longer reach their function)"));
  auto in_fde_field = [&](u64 offset) {
    auto it = fde_fields.upper_bound(offset);
    return it != fde_fields.begin() && offset < *std::prev(it) + 8;
  };
  const struct {
    u64 count;
    const char* file;
    const char* what;
  } found[] = {
      {branch26_truncated, "macho-arm64-branch26-silent-truncation.s",
       "ARM64_RELOC_BRANCH26 call(s) out of +-128 MiB written with the low 26 bits of the word distance "
       "(RuntimeDyldMachOAArch64 has no stubs), where jitload calls through its veneer"},
      {sectdiff_unapplied, "macho-arm-sectdiff-unapplied.s",
       "scattered ARM_RELOC_SECTDIFF/LOCAL_SECTDIFF field(s) left as the file has them (RuntimeDyldMachOARM steps "
       "over them), where both sections moved apart"},
      {branch_unapplied, "macho-arm-scattered-br24-unapplied.s",
       "scattered ARM_RELOC_BR24/ARM_THUMB_RELOC_BR22 branch(es) left as the file has them (RuntimeDyldMachOARM "
       "steps over them), where both sections moved apart"},
      {pcrel_vanilla_short, "macho-i386-scattered-pcrel-vanilla.s",
       "scattered pc-relative GENERIC_RELOC_VANILLA field(s) reaching their file address + 4 bytes short of the "
       "target (RuntimeDyldMachOI386 drops the field's own end)"},
  };
  for (const auto& f : found)
    if (f.count) out.push_back(catalogued(f.file, f.count, f.what));
  // A run of differing bytes every byte of which a catalogued defect explains
  // (the run's length: the hex digits before any "…").
  auto bytes_explained = [&](const cf::Difference& d) {
    auto it = explained_bytes.find(d.section);
    if (it == explained_bytes.end()) return false;
    u64 n = 0;
    while (n < d.left.size() && std::isxdigit(static_cast<unsigned char>(d.left[n]))) n++;
    if (n == 0 || n % 2 || d.left.size() > n) return false;  // a longer run ("…") is not claimed
    for (u64 i = 0; i < n / 2; i++)
      if (!it->second.count(d.offset + i)) return false;
    return true;
  };
  if (rl.agree) return true;
  // Explained when every difference is a field a catalogued defect explains.
  for (const cf::Difference& d : rl.differences)
    if (!d.note && !(d.what == "relocation" && explained_fields.count({d.section, d.offset})) &&
        !(d.what == "bytes" && d.section == "__eh_frame" && in_fde_field(d.offset)) &&
        !(d.what == "bytes" && bytes_explained(d)))
      return false;
  return true;
}

std::string json_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); i++) out += (i ? ", " : "") + cf::json_quote(v[i]);
  return out + "]";
}

// One object: DIR/NAME-HASH.o with .json and .txt beside it. A set:
// DIR/set-HASH/ holding every member (K-NAME), set.json and set.txt.
void save_divergence(const std::string& dir, const std::vector<std::string>& paths,
                     const std::vector<std::vector<u8>>& contents, bool set, const cf::LoadScenario& scenario,
                     const std::string& verdict, const cf::LoadReport& engine, const cf::LoadReport& reference,
                     const cf::OracleResult* oracle, const ObjectResult& r) {
  mkdir(dir.c_str(), 0755);
  u64 hash = 0;
  for (const std::vector<u8>& b : contents) hash = hash * 31 + fnv(b);
  char tag[24];
  std::snprintf(tag, sizeof tag, "%016llx", (unsigned long long)hash);
  std::string stem, replay, saved_name;
  if (set) {
    std::string into = dir + "/set-" + std::string(tag).substr(0, 8);
    mkdir(into.c_str(), 0755);
    replay = "jitload diff --link";
    for (size_t k = 0; k < paths.size(); k++) {
      std::string member = into + "/" + std::to_string(k) + "-" + base_name(paths[k]);
      std::ofstream o(member, std::ios::binary);
      o.write(reinterpret_cast<const char*>(contents[k].data()), std::streamsize(contents[k].size()));
      replay += " " + member;
    }
    replay += " " + cf::scenario_to_options(scenario);
    stem = into + "/set";
    saved_name = "set-" + std::string(tag).substr(0, 8);
  } else {
    stem = dir + "/" + base_name(paths[0]) + "-" + std::string(tag).substr(0, 8);
    std::string object_path = stem + ".o";
    std::ofstream o(object_path, std::ios::binary);
    o.write(reinterpret_cast<const char*>(contents[0].data()), std::streamsize(contents[0].size()));
    replay = "jitload diff " + object_path + " " + cf::scenario_to_options(scenario);
    saved_name = base_name(object_path);
  }
  const std::string& path = r.path;
  std::ofstream j(stem + ".json");
  j << "{\"object\": " << cf::json_quote(saved_name) << ",\n \"verdict\": " << cf::json_quote(verdict)
    << ",\n \"replay\": " << cf::json_quote(replay) << ",\n \"scenario\": " << cf::scenario_to_json(scenario)
    << ",\n \"differences\": " << json_list(r.differences) << ",\n \"llvm_differences\": " << json_list(r.llvm_differences)
    << ",\n \"llvm_classified\": " << json_list(r.llvm_classified)
    << ",\n \"engine\": " << cf::report_to_json(engine) << ",\n \"reference\": " << cf::report_to_json(reference);
  if (oracle) {
    j << ",\n \"llvm_status\": " << cf::json_quote(cf::oracle_status_name(oracle->status))
      << ",\n \"llvm_message\": " << cf::json_quote(oracle->message);
    if (oracle->status == cf::OracleResult::Status::Ok) j << ",\n \"llvm\": " << cf::report_to_json(oracle->report);
  }
  j << "}\n";
  std::ofstream t(stem + ".txt");
  t << path << ": " << verdict << " " << r.detail << "\n";
  for (const std::string& s : r.differences) t << "  " << s << "\n";
  for (const std::string& s : r.llvm_differences) t << "  llvm: " << s << "\n";
  for (const std::string& s : r.llvm_classified) t << "  llvm classified: " << s << "\n";
  t << "replay: " << replay << "\n";
}

}  // namespace

int cmd_diff(int argc, char** argv) {
  cf::LoadScenario scenario;
  std::vector<std::string> paths;
  bool use_oracle = true, json = false, verbose = false, link = false, fail_unexplained = false;
  std::string save_dir;
  cf::OracleLimits limits;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    std::string error;
    int used = cf::parse_scenario_option(argc, argv, i, scenario, error);
    if (used < 0) {
      std::fprintf(stderr, "jitload diff: %s\n", error.c_str());
      return kExitUsage;
    }
    if (used > 0) {
      i += used - 1;
      continue;
    }
    auto value = [&](const char* name, std::string& out) {
      size_t n = std::strlen(name);
      if (a == name) {
        if (i + 1 >= argc) return false;
        out = argv[++i];
        return true;
      }
      if (a.size() > n && a.compare(0, n, name) == 0 && a[n] == '=') {
        out = a.substr(n + 1);
        return true;
      }
      return false;
    };
    std::string v;
    if (a == "--help" || a == "-h") return usage(stdout);
    if (a == "--json") json = true;
    else if (a == "--link") link = true;
    else if (a == "--fail-on-unexplained") fail_unexplained = true;
    else if (a == "--verbose" || a == "-v") verbose = true;
    else if (value("--oracle", v)) {
      if (v == "llvm") use_oracle = true;
      else if (v == "none") use_oracle = false;
      else return std::fprintf(stderr, "jitload diff: --oracle is llvm or none, not '%s'\n", v.c_str()), kExitUsage;
    } else if (value("--timeout", v)) {
      u64 ms = 0;
      if (!cf::parse_u64(v, ms) || ms == 0 || ms > 3600000)
        return std::fprintf(stderr, "jitload diff: bad --timeout '%s'\n", v.c_str()), kExitUsage;
      limits.timeout_ms = int(ms);
    } else if (value("--save-divergences", v)) {
      save_dir = v;
    } else if (missing_value(argc, i, a, {"--oracle", "--timeout", "--save-divergences"})) {
      std::fprintf(stderr, "jitload diff: option '%s' needs a value\n", a.c_str());
      return usage(stderr);
    } else if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "jitload diff: unknown option '%s'\n", a.c_str());
      return usage(stderr);
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) return usage(stderr);
  // Every member's own areas at explicit addresses (see the top of this
  // file), unless the scenario places some itself.
  if (link) cf::map_member_areas(scenario, paths.size());
  // The units compared: each object alone, or (--link) the whole set.
  std::vector<std::vector<std::string>> units;
  if (link) units.push_back(paths);
  else
    for (const std::string& p : paths) units.push_back({p});

  int agree = 0, disagree = 0, rejected = 0, crashed = 0, errors = 0, llvm_only = 0, abstained = 0;
  // LLVM disagreements no class explains (classify_llvm), and oracle crashes.
  int unexplained = 0;
  std::vector<std::string> llvm_lines;
  size_t limit = verbose ? size_t(-1) : 20;
  for (const std::vector<std::string>& unit : units) {
    ObjectResult r;
    std::string path;
    for (const std::string& p : unit) path += (path.empty() ? "" : " + ") + p;
    r.path = path;
    std::vector<std::vector<u8>> contents(unit.size());
    std::string error;
    int status = kExitOk;
    for (size_t k = 0; k < unit.size() && status == kExitOk; k++)
      if ((status = read_input(unit[k], contents[k], error)) != kExitOk && link) error = unit[k] + ": " + error;
    if (status == kExitFailed) {
      rejected++;
      r.verdict = "rejected-by-all";
      r.detail = "(" + error + "; refused unread)";
      if (json)
        std::printf("{\"object\": %s, \"verdict\": \"rejected-by-all\", \"message\": %s}\n", cf::json_quote(path).c_str(),
                    cf::json_quote(error).c_str());
      else
        std::printf("%s: %s %s\n", path.c_str(), r.verdict.c_str(), r.detail.c_str());
      continue;
    } else if (status != kExitOk) {
      errors++;
      r.verdict = "error";
      r.detail = error;
      if (json)
        std::printf("{\"object\": %s, \"verdict\": \"error\", \"message\": %s}\n", cf::json_quote(path).c_str(),
                    cf::json_quote(error).c_str());
      else
        std::printf("%s: error: %s\n", path.c_str(), error.c_str());
      std::fprintf(stderr, "jitload diff: %s: %s\n", path.c_str(), error.c_str());
      continue;
    }
    // A placement that wraps the address space is the command line's
    // fault when the same object under the default scenario would not
    // wrap: refused as a usage error. (When the object's own sizes wrap
    // it, the loaders judge the object.)
    for (size_t k = 0; k < unit.size(); k++)
      if (std::string w = wrapping_section(contents[k], scenario); !w.empty()) {
        if (wrapping_section(contents[k], cf::LoadScenario()).empty()) {
          std::fprintf(stderr, "jitload diff: %s: %s would wrap the address space (sections must end at or below 2^64)\n",
                       unit[k].c_str(), w.c_str());
          return kExitUsage;
        }
      }
    std::vector<cf::SetMember> members;
    for (size_t k = 0; k < unit.size(); k++) members.push_back(cf::SetMember{unit[k], contents[k]});
    const std::vector<u8>& bytes = contents[0];
    cf::LoadReport engine = link ? cf::run_engine_set(members, scenario) : cf::run_engine(bytes, path, scenario);
    cf::LoadReport reference = link ? cf::run_reference_set(members, scenario) : cf::run_reference(bytes, path, scenario);
    cf::Comparison er = cf::compare_reports(engine, reference);

    cf::OracleResult oracle;
    cf::Comparison rl;
    bool oracle_ok = false;
    if (use_oracle) {
      oracle = link ? cf::run_llvm_oracle_set(members, scenario, limits) : cf::run_llvm_oracle(bytes, path, scenario, limits);
      oracle_ok = oracle.status == cf::OracleResult::Status::Ok;
      if (oracle_ok) {
        cf::CompareOptions options;
        options.right_may_omit_sections = true;
        rl = cf::compare_reports(reference, oracle.report, options);
        r.llvm_disagrees = !rl.agree && !rl.abstained;
        for (const cf::Difference& d : rl.differences)
          if (!d.note) r.llvm_differences.push_back(d.line("reference", "llvm"));
        bool explained = classify_llvm(reference, oracle, rl, r.llvm_classified, link ? nullptr : &bytes);
        // Unexplained: a disagreement no class explains, or an inconsistent
        // relaxed link (classify_llvm), even where the compared link agrees.
        r.llvm_unexplained = !explained;
      }
    }
    bool oracle_failed = use_oracle && !oracle_ok;
    // The oracle abstained (oracle.h): a form LLVM 19 is known to crash on,
    // said with its reason, is no finding; an abstention because LLVM
    // crashed anyway ("crashed: ...") is unexplained until catalogued.
    const bool abstained_llvm = oracle.status == cf::OracleResult::Status::Abstained;
    const bool abstained_crash = abstained_llvm && oracle.message.find("abstained: crashed:") != std::string::npos;
    const bool oracle_crashed = oracle_failed && oracle.status != cf::OracleResult::Status::Unavailable && !abstained_llvm;

    for (const cf::Difference& d : er.differences) {
      if (d.note) continue;
      std::string line = d.line("engine", "reference");
      if (oracle_ok) {
        std::string l = llvm_value_at(oracle.report, d, reference);
        if (!l.empty()) line += "; llvm " + l;
      }
      r.differences.push_back(line);
    }

    // "llvm (JITLink)" when LLVM's answer came from JITLink rather than RuntimeDyld.
    std::string llvm_name = oracle.linker.empty() || oracle.linker == "RuntimeDyld" ? "llvm" : "llvm (" + oracle.linker + ")";
    if (oracle_crashed || abstained_crash) unexplained++;
    else if (r.llvm_unexplained) unexplained++;
    if (abstained_llvm) r.llvm_classified.push_back(oracle.message.substr(oracle.message.find("abstained: ")));
    if (er.abstained) {
      abstained++;
      r.verdict = "abstained";
      r.detail = "(a loader refused it for size: engine " + cf::outcome_line(engine) + "; reference " +
                 cf::outcome_line(reference) + ")";
    } else if (!er.agree) {
      disagree++;
      r.verdict = "disagree";
      r.detail = "(engine " + cf::outcome_line(engine) + "; reference " + cf::outcome_line(reference) + ")";
    } else if (oracle_crashed) {
      crashed++;
      r.verdict = "oracle-crashed";
      r.detail = "(engine and reference agree: " + std::string(engine.loaded ? "loaded" : "rejected as " + engine.error_kind) +
                 "; " + oracle.message + ")";
    } else if (!engine.loaded) {
      bool llvm_loaded = oracle_ok && oracle.report.loaded;
      if (llvm_loaded) {
        agree++;
        r.verdict = "agree";
        r.detail = "(rejected as " + engine.error_kind + " by engine and reference; llvm loaded it)";
      } else {
        rejected++;
        r.verdict = "rejected-by-all";
        r.detail = "(engine: " + engine.error_kind + ", reference: " + reference.error_kind +
                   (oracle_ok ? ", llvm: " + oracle.report.error_kind : abstained_llvm ? ", llvm abstained"
                                     : use_oracle ? ", llvm unavailable" : "") + ")";
      }
    } else {
      agree++;
      r.verdict = "agree";
      r.detail = "(loaded; " + std::to_string(engine.relocations.size()) + " relocations" +
                 (!use_oracle ? ")" : abstained_llvm ? "; llvm abstained)" : !oracle_ok ? "; llvm unavailable)"
                                 : r.llvm_unexplained ? "; " + llvm_name + " disagrees)"
                                 : r.llvm_disagrees ? "; " + llvm_name + " differs as classified)"
                                                    : "; " + llvm_name + " agrees)");
    }
    if (r.llvm_disagrees) {
      llvm_only += er.agree ? 1 : 0;
      llvm_lines.push_back(path + ": " + llvm_name + " " + cf::outcome_line(oracle.report) +
                           (r.llvm_unexplained ? "" : " [explained: see its classified lines]"));
      size_t shown = 0;
      for (const std::string& s : r.llvm_differences)
        if (shown++ < limit) llvm_lines.push_back("  " + s);
      if (r.llvm_differences.size() > limit)
        llvm_lines.push_back("  … and " + std::to_string(r.llvm_differences.size() - limit) + " more");
    }

    if (json) {
      std::printf("{\"object\": %s, \"verdict\": %s, \"engine\": %s, \"reference\": %s", cf::json_quote(path).c_str(),
                  cf::json_quote(r.verdict).c_str(), cf::json_quote(cf::outcome_line(engine)).c_str(),
                  cf::json_quote(cf::outcome_line(reference)).c_str());
      if (use_oracle)
        std::printf(", \"llvm\": %s",
                    cf::json_quote(oracle_ok ? cf::outcome_line(oracle.report) : oracle.message).c_str());
      std::printf(", \"differences\": %s, \"llvm_differences\": %s, \"llvm_classified\": %s, \"llvm_unexplained\": %s}\n",
                  json_list(r.differences).c_str(), json_list(r.llvm_differences).c_str(),
                  json_list(r.llvm_classified).c_str(), r.llvm_unexplained ? "true" : "false");
    } else {
      std::printf("%s: %s %s\n", path.c_str(), r.verdict.c_str(), r.detail.c_str());
      size_t shown = 0;
      for (const std::string& s : r.differences)
        if (shown++ < limit) std::printf("  %s\n", s.c_str());
      if (r.differences.size() > limit) std::printf("  … and %zu more\n", r.differences.size() - limit);
      for (const std::string& s : r.llvm_classified) std::printf("  classified (%s): %s\n", llvm_name.c_str(), s.c_str());
    }
    std::fflush(stdout);

    bool diverged = r.verdict == "disagree" || r.verdict == "oracle-crashed" || r.llvm_disagrees;
    if (!save_dir.empty() && diverged)
      save_divergence(save_dir, unit, contents, link, scenario, r.verdict, engine, reference,
                      use_oracle ? &oracle : nullptr, r);
  }

  if (json) {
    std::printf("{\"summary\": {\"objects\": %zu, \"sets\": %zu, \"agree\": %d, \"disagree\": %d, \"rejected_by_all\": %d, "
                "\"oracle_crashed\": %d, \"abstained\": %d, \"errors\": %d, \"llvm_only_disagreements\": %d, "
                "\"llvm_unexplained\": %d}}\n",
                paths.size(), link ? units.size() : size_t(0), agree, disagree, rejected, crashed, abstained, errors,
                llvm_only, unexplained);
  } else {
    if (!llvm_lines.empty()) {
      std::printf("\nLLVM disagrees with the reference (may be LLVM's bug; the psABI decides):\n");
      for (const std::string& s : llvm_lines) std::printf("%s\n", s.c_str());
    }
    if (link) std::printf("\n1 set of %zu objects: %d agree, %d disagree, %d rejected-by-all, %d oracle-crashed",
                          paths.size(), agree, disagree, rejected, crashed);
    else std::printf("\n%zu objects: %d agree, %d disagree, %d rejected-by-all, %d oracle-crashed", paths.size(), agree,
                     disagree, rejected, crashed);
    if (abstained) std::printf(", %d abstained", abstained);
    if (errors) std::printf(", %d unreadable", errors);
    std::printf("; %d with LLVM-only disagreements, %d unexplained\n", llvm_only, unexplained);
  }
  if (disagree) return kExitFailed;
  if (fail_unexplained && unexplained) return kExitFailed;
  if (errors) return kExitUnreadable;
  return kExitOk;
}

}  // namespace jitload::tools
