// jitload load OBJ [--map-section SECTION=ADDR]... [--extern SYM=ADDR]...
//                  [--extern-default ADDR] [--base ADDR] [--report json|text]
//
// Loads an object for a simulated remote target: sections in plain heap
// memory, placed at target addresses from --base upward (in the loader's
// section order, each at its alignment) unless --map-section says
// otherwise; externals resolved only to the given addresses; relocations
// applied; nothing executed. Prints sections, symbols and every relocation.
#include <cinttypes>
#include <cstdio>
#include <map>

#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/dyld.h"
#include "tools/commands.h"
#include "tools/common.h"

namespace jitload::tools {
namespace {

class MapResolver final : public SymbolResolver {
 public:
  std::map<std::string, u64, std::less<>> addresses;
  std::optional<u64> fallback;
  std::optional<u64> lookup(std::string_view name) override {
    if (auto it = addresses.find(name); it != addresses.end()) return it->second;
    return fallback;
  }
};

const char* via_name(RelocationOutcome::Via v) {
  switch (v) {
    case RelocationOutcome::Via::Direct: return "direct";
    case RelocationOutcome::Via::Got: return "got";
    case RelocationOutcome::Via::Stub: return "stub";
    case RelocationOutcome::Via::None: return "none";
  }
  return "?";
}
const char* binding_name(SymbolBinding b) {
  return b == SymbolBinding::Local ? "local" : b == SymbolBinding::Weak ? "weak" : "global";
}

void json_string(FILE* out, std::string_view s) {
  std::fputc('"', out);
  for (char c : s) {
    if (c == '"' || c == '\\') std::fprintf(out, "\\%c", c);
    else if (u8(c) < 0x20) std::fprintf(out, "\\u%04x", c);
    else std::fputc(c, out);
  }
  std::fputc('"', out);
}

int usage() {
  std::fprintf(stderr,
               "usage: jitload load OBJ [--map-section SECTION=ADDR]... [--extern SYM=ADDR]...\n"
               "                        [--extern-default ADDR] [--base ADDR] [--report json|text]\n");
  return 2;
}

}  // namespace

int cmd_load(int argc, char** argv) {
  std::string path, report = "text";
  std::vector<std::pair<std::string, u64>> maps;
  MapResolver resolver;
  u64 base = 0x100000;
  for (int i = 1; i < argc; i++) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    }
    if (auto v = option_value(argc, argv, i, "--map-section")) {
      auto m = parse_assignment(*v);
      if (!m) return std::fprintf(stderr, "jitload load: bad --map-section '%s' (want SECTION=ADDR)\n", v->c_str()), 2;
      maps.push_back(*m);
    } else if (auto v = option_value(argc, argv, i, "--extern")) {
      auto m = parse_assignment(*v);
      if (!m) return std::fprintf(stderr, "jitload load: bad --extern '%s' (want SYM=ADDR)\n", v->c_str()), 2;
      resolver.addresses[m->first] = m->second;
    } else if (auto v = option_value(argc, argv, i, "--extern-default")) {
      resolver.fallback = parse_u64(*v);
      if (!resolver.fallback) return std::fprintf(stderr, "jitload load: bad --extern-default '%s'\n", v->c_str()), 2;
    } else if (auto v = option_value(argc, argv, i, "--base")) {
      auto b = parse_u64(*v);
      if (!b) return std::fprintf(stderr, "jitload load: bad --base '%s'\n", v->c_str()), 2;
      base = *b;
    } else if (auto v = option_value(argc, argv, i, "--report")) {
      report = *v;
      if (report != "json" && report != "text")
        return std::fprintf(stderr, "jitload load: --report is json or text, not '%s'\n", v->c_str()), usage();
    } else if (missing_value(argc, i, a, {"--map-section", "--extern", "--extern-default", "--base", "--report"})) {
      std::fprintf(stderr, "jitload load: option '%s' needs a value\n", argv[i]);
      return usage();
    } else if (a.starts_with("-")) {
      std::fprintf(stderr, "jitload load: unknown option '%s'\n", argv[i]);
      return usage();
    } else if (path.empty()) {
      path = a;
    } else {
      std::fprintf(stderr, "jitload load: one object at a time ('%s' and '%s')\n", path.c_str(), argv[i]);
      return usage();
    }
  }
  if (path.empty()) return std::fprintf(stderr, "jitload load: no object given\n"), usage();

  auto bytes = read_object(path);
  if (!bytes) return std::fprintf(stderr, "jitload load: %s\n", bytes.error().message().c_str()), read_failure_status(bytes.error());
  PlainMemoryManager memory;
  RuntimeDyld dyld(memory, &resolver);
  dyld.enable_outcomes(true);
  auto info = dyld.load_object(*bytes, path);
  if (!info) {
    std::fprintf(stderr, "jitload load: %s\n", info.error().message().c_str());
    return kExitFailed;
  }
  // Deterministic placement, then explicit mappings. A section must fit
  // below 2^64: one that would wrap the address space (a --base or
  // --map-section address too close to the top) is refused, since its
  // addresses would alias the bottom of the address space. 128-bit
  // arithmetic, so the check itself cannot wrap.
  using u128 = unsigned __int128;
  constexpr u128 kTop = u128(1) << 64;
  auto sections = dyld.sections();
  auto wraps = [&](u32 id, u128 at, const char* how) {
    const LoadedSection& s = sections[id];
    u128 end = at + std::max<u64>(s.size, 1);
    if (at < kTop && end <= kTop) return false;
    std::fprintf(stderr,
                 "jitload load: section '%.*s' (size 0x%" PRIx64 ", align %u) %s would wrap the address space "
                 "(it must end at or below 2^64)\n",
                 int(s.name.size()), s.name.data(), s.size, s.align, how);
    return true;
  };
  u128 cursor = base;
  for (u32 id = 0; id < sections.size(); id++) {
    const LoadedSection& s = sections[id];
    if (s.kind == SectionKind::Tls || s.kind == SectionKind::TlsBss) continue;
    u128 align = s.align ? s.align : 1;
    cursor = (cursor + align - 1) / align * align;
    char how[64];
    std::snprintf(how, sizeof how, "placed from --base 0x%" PRIx64, base);
    if (wraps(id, cursor, how)) return kExitUsage;
    (void)dyld.map_section_address(id, u64(cursor));
    cursor += std::max<u64>(s.size, 1);
  }
  for (auto& [name, addr] : maps) {
    auto id = info->section_id(name);
    if (!id)
      return std::fprintf(stderr, "jitload load: --map-section: no section '%s' in %s\n", name.c_str(), path.c_str()),
             kExitUsage;
    char how[64];
    std::snprintf(how, sizeof how, "mapped at 0x%" PRIx64, addr);
    if (wraps(*id, addr, how)) return kExitUsage;
    (void)dyld.map_section_address(*id, addr);
  }
  Error err = dyld.resolve_relocations();

  FILE* out = stdout;
  auto records = dyld.relocations(0);
  // Outcomes are read only where the library recorded one: a resolve that
  // failed before applying (an undefined symbol) may have recorded none,
  // or fewer than there are relocations.
  auto outcomes = dyld.outcomes(0);
  const RelocationOutcome kNotApplied{};
  auto outcome_of = [&](size_t k) -> const RelocationOutcome& { return k < outcomes.size() ? outcomes[k] : kNotApplied; };
  auto unwind = dyld.compact_unwind(0);
  auto sec_name = [&](u32 id) { return id < sections.size() ? sections[id].name : std::string_view("?"); };
  if (report == "text") {
    std::fprintf(out, "object %s: %s\n", path.c_str(), err ? "relocation errors" : "loaded");
    std::fprintf(out, "sections:\n");
    for (u32 id = 0; id < sections.size(); id++) {
      const LoadedSection& s = sections[id];
      u64 h = s.local ? fnv1a(s.local, s.size) : 0;
      std::fprintf(out, "  [%2u] %-24.*s %-6s target=0x%016" PRIx64 " size=0x%-8" PRIx64 " align=%-5u fnv1a=%016" PRIx64 "\n",
                   id, int(s.name.size()), s.name.data(), section_kind_name(s.kind), s.target, s.size, s.align, h);
    }
    std::fprintf(out, "symbols:\n");
    for (const LoadedSymbol& y : dyld.symbols()) {
      auto addr = dyld.get_symbol(y.name);
      std::fprintf(out, "  %-32.*s %-6s %-24.*s 0x%016" PRIx64 "\n", int(y.name.size()), y.name.data(),
                   binding_name(y.flags.binding), int(y.flags.absolute ? 3 : sec_name(y.section).size()),
                   y.flags.absolute ? "ABS" : sec_name(y.section).data(),
                   y.section == kNone ? y.offset : sections[y.section].target + y.offset);
      (void)addr;
    }
    std::fprintf(out, "relocations: %zu\n", records.size());
    for (size_t k = 0; k < records.size(); k++) {
      const RelocationRecord& r = records[k];
      const RelocationOutcome& o = outcome_of(k);
      std::string sym = r.symbol_name.empty() ? std::string(sec_name(r.symbol_section)) : std::string(r.symbol_name);
      std::fprintf(out, "  %.*s+0x%" PRIx64 " %-24.*s %s%+" PRId64, int(sec_name(r.section).size()), sec_name(r.section).data(),
                   r.offset, int(r.type_name.size()), r.type_name.data(), sym.c_str(), r.addend);
      if (!o.error.empty())
        std::fprintf(out, "  ERROR %s\n", o.error.c_str());
      else if (k >= outcomes.size())
        std::fprintf(out, "  (not applied: the resolve failed)\n");
      else if (o.via == RelocationOutcome::Via::None && !o.applied)
        std::fprintf(out, "  (absorbed by TLS relaxation)\n");
      else
        std::fprintf(out, "  value=0x%" PRIx64 " -> 0x%" PRIx64 " (%s)\n", o.value, o.effective, via_name(o.via));
    }
    // Mach-O __compact_unwind entries (validated at load; never written).
    std::fprintf(out, "compact unwind: %zu\n", unwind.size());
    for (const CompactUnwindEntry& u : unwind) {
      std::fprintf(out, "  %.*s+0x%" PRIx64 " start=0x%016" PRIx64 " length=0x%x encoding=0x%08x personality=0x%" PRIx64,
                   int(sec_name(u.section).size()), sec_name(u.section).data(), u.offset, u.function, u.length, u.encoding,
                   u.personality);
      if (!u.personality_symbol.empty()) std::fprintf(out, " (%.*s)", int(u.personality_symbol.size()), u.personality_symbol.data());
      std::fprintf(out, " lsda=0x%" PRIx64, u.lsda);
      if (!u.lsda_symbol.empty()) std::fprintf(out, " (%.*s)", int(u.lsda_symbol.size()), u.lsda_symbol.data());
      std::fprintf(out, "\n");
    }
  } else {
    std::fprintf(out, "{\"object\":");
    json_string(out, path);
    std::fprintf(out, ",\"outcome\":\"%s\",\"sections\":[", err ? "error" : "loaded");
    for (u32 id = 0; id < sections.size(); id++) {
      const LoadedSection& s = sections[id];
      std::fprintf(out, "%s{\"id\":%u,\"name\":", id ? "," : "", id);
      json_string(out, s.name);
      std::fprintf(out, ",\"kind\":\"%s\",\"target\":%" PRIu64 ",\"size\":%" PRIu64 ",\"align\":%u,\"fnv1a\":\"%016" PRIx64 "\"}",
                   section_kind_name(s.kind), s.target, s.size, s.align, s.local ? fnv1a(s.local, s.size) : 0);
    }
    std::fprintf(out, "],\"symbols\":[");
    bool first = true;
    for (const LoadedSymbol& y : dyld.symbols()) {
      std::fprintf(out, "%s{\"name\":", first ? "" : ",");
      first = false;
      json_string(out, y.name);
      std::fprintf(out, ",\"binding\":\"%s\",\"section\":", binding_name(y.flags.binding));
      json_string(out, y.flags.absolute ? std::string_view("ABS") : sec_name(y.section));
      std::fprintf(out, ",\"address\":%" PRIu64 "}", y.section == kNone ? y.offset : sections[y.section].target + y.offset);
    }
    std::fprintf(out, "],\"relocations\":[");
    for (size_t k = 0; k < records.size(); k++) {
      const RelocationRecord& r = records[k];
      const RelocationOutcome& o = outcome_of(k);
      std::fprintf(out, "%s{\"section\":", k ? "," : "");
      json_string(out, sec_name(r.section));
      std::fprintf(out, ",\"offset\":%" PRIu64 ",\"type\":%u,\"type_name\":", r.offset, r.type);
      json_string(out, r.type_name);
      std::fprintf(out, ",\"symbol\":");
      json_string(out, r.symbol_name.empty() ? sec_name(r.symbol_section) : r.symbol_name);
      std::fprintf(out, ",\"addend\":%" PRId64 ",\"value\":%" PRIu64 ",\"effective\":%" PRIu64 ",\"via\":\"%s\"", r.addend,
                   o.value, o.effective, via_name(o.via));
      if (!o.error.empty()) {
        std::fprintf(out, ",\"error\":");
        json_string(out, o.error);
      } else if (k >= outcomes.size()) {
        std::fprintf(out, ",\"error\":\"not applied: the resolve failed\"");
      }
      std::fprintf(out, "}");
    }
    std::fprintf(out, "],\"compact_unwind\":[");
    for (size_t k = 0; k < unwind.size(); k++) {
      const CompactUnwindEntry& u = unwind[k];
      std::fprintf(out, "%s{\"section\":", k ? "," : "");
      json_string(out, sec_name(u.section));
      std::fprintf(out, ",\"offset\":%" PRIu64 ",\"start\":%" PRIu64 ",\"length\":%u,\"encoding\":%u,\"personality\":%" PRIu64
                   ",\"lsda\":%" PRIu64, u.offset, u.function, u.length, u.encoding, u.personality, u.lsda);
      std::fprintf(out, ",\"personality_symbol\":");
      json_string(out, u.personality_symbol);
      std::fprintf(out, ",\"lsda_symbol\":");
      json_string(out, u.lsda_symbol);
      std::fprintf(out, "}");
    }
    std::fprintf(out, "]}\n");
  }
  if (err) {
    std::fprintf(stderr, "jitload load: %s\n", err.message().c_str());
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace jitload::tools
