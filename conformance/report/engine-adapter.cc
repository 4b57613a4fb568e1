// jitload's engine as a LoadReport producer. The memory manager here gives
// out plain host memory (calloc) and never changes permissions: nothing
// runs. Sections are then mapped to the scenario's target addresses with
// map_section_address, externals come from the scenario, and the report
// is read back from the engine's introspection API (sections(), symbols(),
// relocations(), outcomes()) and from the bytes in its memory.
#include <algorithm>
#include <cstdlib>
#include <memory>

#include "conformance/report/compare.h"
#include "conformance/report/arch.h"
#include "conformance/report/layout.h"
#include "conformance/report/loaders.h"
#include "engine/loader/dyld.h"

namespace jitload::conformance {

namespace {

// Sections bigger than this are refused (the engine reports a memory
// error, and the comparison abstains): the harness must not eat the host.
constexpr u64 kMaxSection = u64(1) << 30;

// Every member's placement with the set's TLS offsets (plan_set_tls),
// planned on first use: an object load_object refuses before it allocates
// (most fuzz inputs) needs no plan, and planning parses every header again.
class LazyPlans {
 public:
  LazyPlans(std::span<const std::span<const u8>> bytes, const LoadScenario& scenario)
      : bytes_(bytes), scenario_(scenario) {}
  const Placement& operator[](size_t k) {
    if (!planned_) plans_ = plan_set_tls(bytes_, scenario_), planned_ = true;
    return plans_[k];
  }

 private:
  std::span<const std::span<const u8>> bytes_;
  const LoadScenario& scenario_;
  std::vector<Placement> plans_;
  bool planned_ = false;
};

class PlainMemory final : public jitload::MemoryManager {
 public:
  PlainMemory(LazyPlans& plans, const LoadScenario& scenario) : plans_(plans), scenario_(scenario) {}
  // The member of a set whose TLS sections the next allocations are.
  void set_member(size_t k) {
    member_ = k;
    tls_used_.clear();
  }

  u8* allocate_code_section(u64 size, u32 align, u32, std::string_view) override { return allocate(size, align); }
  u8* allocate_data_section(u64 size, u32 align, u32, std::string_view, bool) override {
    return allocate(size, align);
  }

  // TLS sections are allocated in section header order; the k-th one with
  // a name is the k-th planned TLS section with that name.
  jitload::Expected<jitload::TlsSection> allocate_tls_section(u64 size, u32 align, u32, std::string_view name,
                                                              const jitload::TlsAbi&) override {
    u8* mem = allocate(size, align);
    if (!mem) return jitload::Error(jitload::ErrorKind::Memory, "cannot allocate a TLS image");
    const Placement& placement = plans_[member_];
    for (size_t k = 0; k < placement.sections.size(); k++) {
      const PlannedSection& p = placement.sections[k];
      if (!p.tls || p.name != name || (tls_used_.size() > k && tls_used_[k])) continue;
      if (tls_used_.size() <= k) tls_used_.resize(k + 1, false);
      tls_used_[k] = true;
      return jitload::TlsSection{mem, p.tp_offset};
    }
    return jitload::Error(jitload::ErrorKind::Argument,
                          "the scenario has no thread-local section '" + std::string(name) + "'");
  }

  std::optional<u64> find_symbol(std::string_view name) override {
    return scenario_extern(scenario_, std::string(name));
  }

  jitload::Error finalize_memory() override { return jitload::Error::success(); }

 private:
  u8* allocate(u64 size, u32 align) {
    if (size > kMaxSection || align > kMaxSection) return nullptr;
    u64 a = align ? align : 1;
    void* raw = std::calloc(1, size + a);
    if (!raw) return nullptr;
    blocks_.emplace_back(static_cast<u8*>(raw));
    auto p = reinterpret_cast<uintptr_t>(raw);
    p = (p + a - 1) / a * a;
    return reinterpret_cast<u8*>(p);
  }

  struct Free {
    void operator()(u8* p) const { std::free(p); }
  };
  LazyPlans& plans_;
  size_t member_ = 0;
  const LoadScenario& scenario_;
  std::vector<std::unique_ptr<u8, Free>> blocks_;
  std::vector<bool> tls_used_;
};

class ScenarioResolver final : public jitload::SymbolResolver {
 public:
  explicit ScenarioResolver(const LoadScenario& s) : scenario_(s) {}
  std::optional<u64> lookup(std::string_view name) override { return scenario_extern(scenario_, std::string(name)); }

 private:
  const LoadScenario& scenario_;
};

const char* binding_name(jitload::SymbolBinding b) {
  switch (b) {
    case jitload::SymbolBinding::Local: return "local";
    case jitload::SymbolBinding::Global: return "global";
    case jitload::SymbolBinding::Weak: return "weak";
  }
  return "?";
}

const char* type_name(jitload::SymbolType t) {
  switch (t) {
    case jitload::SymbolType::NoType: return "notype";
    case jitload::SymbolType::Function: return "func";
    case jitload::SymbolType::Object: return "object";
    case jitload::SymbolType::Section: return "section";
    case jitload::SymbolType::File: return "file";
    case jitload::SymbolType::Tls: return "tls";
    case jitload::SymbolType::Common: return "common";
    case jitload::SymbolType::IFunc: return "ifunc";
  }
  return "?";
}

const char* via_name(jitload::RelocationOutcome::Via v) {
  switch (v) {
    case jitload::RelocationOutcome::Via::Direct: return "direct";
    case jitload::RelocationOutcome::Via::Got: return "got";
    case jitload::RelocationOutcome::Via::Stub: return "stub";
    case jitload::RelocationOutcome::Via::None: return "none";
  }
  return "?";
}

bool is_tls(const jitload::LoadedSection& s) {
  return s.kind == jitload::SectionKind::Tls || s.kind == jitload::SectionKind::TlsBss;
}

// One object, or a set (report.h "A set of objects"): every member loaded
// into one RuntimeDyld, placed by the set rule, resolved once.
LoadReport load_members(std::span<const SetMember> members, const LoadScenario& scenario, bool set,
                        const EngineInspector* inspect = nullptr, bool* load_refused = nullptr) {
  // One object (every fuzz input) is viewed in place: no vectors to build.
  std::span<const u8> only;
  std::vector<std::span<const u8>> several;
  std::vector<std::string> names;  // a set's report lists its members
  std::string joined;
  for (const SetMember& m : members) {
    if (members.size() == 1) only = m.bytes;
    else several.push_back(m.bytes);
    if (set) names.push_back(m.name);
    joined += (joined.empty() ? "" : "+") + m.name;
  }
  const std::span<const std::span<const u8>> bytes =
      members.size() == 1 ? std::span<const std::span<const u8>>(&only, 1) : std::span<const std::span<const u8>>(several);
  auto rejected = [&](std::string kind, std::string message, std::optional<u64> offset = std::nullopt) {
    LoadReport r = LoadReport::rejected("engine", joined, std::move(kind), std::move(message), offset);
    if (set) r.objects = names;
    return r;
  };
  LazyPlans tls_plans(bytes, scenario);
  // Each member's view of the scenario (copies only where "@K:" keys make
  // them differ).
  std::vector<LoadScenario> copies;
  if (!same_for_every_member(scenario)) {
    copies.reserve(members.size());
    for (size_t k = 0; k < members.size(); k++) copies.push_back(member_scenario(scenario, k));
  }
  auto scenario_of = [&](size_t k) -> const LoadScenario& { return copies.empty() ? scenario : copies[k]; };
  PlainMemory memory(tls_plans, scenario);
  ScenarioResolver resolver(scenario);
  jitload::RuntimeDyld dyld(memory, &resolver);
  dyld.enable_outcomes(true);

  std::vector<u32> object_index;  // the engine's index of each member
  for (size_t k = 0; k < members.size(); k++) {
    memory.set_member(k);
    auto info = dyld.load_object(members[k].bytes, members[k].name);
    if (!info) {
      if (load_refused) *load_refused = true;
      const jitload::Error& e = info.error();
      std::optional<u64> off;
      if (e.file_offset() != jitload::kNoOffset) off = e.file_offset();
      return rejected(jitload::error_kind_name(e.kind()), e.message(), off);
    }
    object_index.push_back(info->object_index());
  }
  auto member_of = [&](u32 engine_object) -> std::optional<u32> {
    for (u32 k = 0; k < object_index.size(); k++)
      if (object_index[k] == engine_object) return k;
    return std::nullopt;
  };

  // Map every section per the scenario's rule (report.h): member after
  // member, its file sections, then its common block, GOT, stubs and IFUNC
  // stubs (those three placed even when the engine has none); any other
  // area of the engine's own after the last member.
  auto sections = dyld.sections();
  auto map = [&](u32 id, u64 target) -> bool { return dyld.map_section_address(id, target).ok(); };
  std::vector<std::optional<u64>> gots(members.size());
  u64 cursor = scenario.base;
  Placement areas;  // the cursor, as the member's areas move it
  for (u32 k = 0; k < members.size(); k++) {
    const LoadScenario& here = scenario_of(k);
    // The first member starts at the scenario's base, where plan_set_tls
    // already planned it with the same scenario (only TLS offsets differ,
    // and they are not read here): no second parse of the headers.
    Placement later;
    if (k > 0) {
      LoadScenario moved = here;
      moved.base = cursor;
      later = plan_placement(members[k].bytes, moved);
    }
    const Placement& placement = k > 0 ? later : tls_plans[0];
    for (u32 id = 0; id < sections.size(); id++) {
      const jitload::LoadedSection& s = sections[id];
      if (s.object != object_index[k] || s.file_index == jitload::kNone || is_tls(s)) continue;
      const PlannedSection* p = placement.find(s.file_index);
      if (!p)
        return rejected("argument", "the engine loaded section " + std::to_string(s.file_index) +
                                        " that the placement rule does not place");
      if (!map(id, p->address)) return rejected("argument", "cannot map section " + std::string(s.name));
    }
    areas.cursor = placement.ok ? placement.cursor : cursor;
    areas.section_sep = scenario.section_sep;
    auto own = [&](jitload::SectionKind kind, std::string_view name) -> std::optional<u32> {
      for (u32 id = 0; id < sections.size(); id++)
        if (sections[id].object == object_index[k] && sections[id].file_index == jitload::kNone &&
            sections[id].kind == kind && (name.empty() || sections[id].name == name))
          return id;
      return std::nullopt;
    };
    if (auto id = own(jitload::SectionKind::Common, "")) {
      u64 target = areas.place_area(here, "<common symbols>", sections[*id].size, sections[*id].align);
      if (!map(*id, target)) return rejected("argument", "cannot map the common block");
    }
    const std::optional<u32> area_ids[3] = {own(jitload::SectionKind::Got, ""), own(jitload::SectionKind::Stubs, ""),
                                            own(jitload::SectionKind::Code, "<ifunc stubs>")};
    for (int a = 0; a < 3; a++) {
      u64 size = area_ids[a] ? sections[*area_ids[a]].size : 0;
      // A GOT the engine made is aligned to its slot, as the reference's is
      // (RV32: 4 bytes, below kSetAreas' 8); the other areas as the rule says.
      u64 align = a == 0 && area_ids[a] ? sections[*area_ids[a]].align
                                        : std::max<u64>(kSetAreas[a].align, area_ids[a] ? sections[*area_ids[a]].align : 1);
      u64 target = areas.place_area(here, kSetAreas[a].name, size, align);
      if (a == 0) gots[k] = target;
      if (area_ids[a] && !map(*area_ids[a], target)) return rejected("argument", std::string("cannot map ") + kSetAreas[a].name);
    }
    cursor = areas.cursor;
  }
  for (u32 k = 0; k < members.size(); k++)
    for (u32 id = 0; id < sections.size(); id++) {
      const jitload::LoadedSection& s = sections[id];
      if (s.object != object_index[k] || s.file_index != jitload::kNone || is_tls(s)) continue;
      if (s.kind == jitload::SectionKind::Common || s.kind == jitload::SectionKind::Got ||
          s.kind == jitload::SectionKind::Stubs || s.name == "<ifunc stubs>")
        continue;
      u64 target = areas.place_area(scenario_of(k), std::string(s.name), s.size, s.align);
      if (!map(id, target)) return rejected("argument", "cannot map " + std::string(s.name));
    }
  // (Every member has a GOT address, as in the reference, which places an
  // empty GOT too; for one object, only when the engine made a GOT, as
  // before sets existed.)
  if (!set) {
    bool has_got = false;
    for (const jitload::LoadedSection& s : sections) has_got |= s.kind == jitload::SectionKind::Got;
    if (!has_got) gots[0].reset();
  }

  jitload::Error resolved = dyld.resolve_relocations();
  if (inspect && *inspect) (*inspect)(dyld, object_index[0], resolved.ok(), resolved.ok() ? "" : resolved.message());

  LoadReport out;
  out.loader = "engine";
  out.object = joined;
  // The object's own triple (its header), not what the scenario assumed.
  out.triple = members.empty() ? scenario.triple : object_triple(members[0].bytes, scenario.triple);
  out.loaded = resolved.ok();
  if (!resolved.ok()) {
    out.error_kind = jitload::error_kind_name(resolved.kind());
    out.error_message = resolved.message();
    if (resolved.file_offset() != jitload::kNoOffset) out.error_offset = resolved.file_offset();
  }
  if (set) {
    out.objects = names;
    out.gots = gots;
  } else {
    out.got_address = gots[0];
  }
  sections = dyld.sections();
  out.sections.reserve(sections.size());  // one allocation each, not growth steps (every loaded fuzz input)
  out.symbols.reserve(dyld.symbols().size());
  for (const jitload::LoadedSection& s : sections) {
    auto k = member_of(s.object);
    if (!k) continue;
    ReportSection r;
    r.name = std::string(s.name);
    r.index = s.file_index == jitload::kNone ? -1 : i64(s.file_index);
    r.kind = jitload::section_kind_name(s.kind);
    r.address = s.target;
    r.size = s.size;
    r.align = s.align;
    r.object = *k;
    if (s.local && s.size) r.bytes.assign(s.local, s.local + s.size);
    out.sections.push_back(std::move(r));
  }
  for (const jitload::LoadedSymbol& y : dyld.symbols()) {
    auto k = member_of(y.object);
    if (!k) continue;
    ReportSymbol r;
    r.name = std::string(y.name);
    if (y.section != jitload::kNone) {
      const jitload::LoadedSection& s = sections[y.section];
      r.section = std::string(s.name);
      r.section_index = s.file_index == jitload::kNone ? -1 : i64(s.file_index);
      r.address = s.target + y.offset;
    } else {
      r.address = y.offset;
    }
    r.size = y.size;
    r.binding = binding_name(y.flags.binding);
    r.type = type_name(y.flags.type);
    r.object = *k;
    out.symbols.push_back(std::move(r));
  }
  out.records_unwind = true;
  for (u32 k = 0; k < members.size(); k++)
    for (const jitload::CompactUnwindEntry& u : dyld.compact_unwind(object_index[k]))
      out.compact_unwind.push_back(ReportUnwind{k, std::string(sections[u.section].name), u.offset, u.function, u.length,
                                                u.encoding, u.personality, u.lsda, std::string(u.personality_symbol),
                                                std::string(u.lsda_symbol)});
  for (u32 k = 0; k < members.size(); k++) {
    std::vector<jitload::RelocationRecord> records = dyld.relocations(object_index[k]);
    auto outcomes = dyld.outcomes(object_index[k]);
    out.relocations.reserve(out.relocations.size() + records.size());
    for (size_t i = 0; i < records.size(); i++) {
      const jitload::RelocationRecord& x = records[i];
      ReportRelocation r;
      const jitload::LoadedSection& s = sections[x.section];
      r.section = std::string(s.name);
      r.section_index = s.file_index == jitload::kNone ? -1 : i64(s.file_index);
      r.offset = x.offset;
      r.type = x.type;
      r.type_name = std::string(x.type_name);
      if (x.symbol_section != jitload::kNone) {
        r.symbol = std::string(sections[x.symbol_section].name);
        r.symbol_is_section = true;
      } else {
        r.symbol = std::string(x.symbol_name);
      }
      r.addend = x.addend;
      r.object = k;
      if (i < outcomes.size()) {
        const jitload::RelocationOutcome& o = outcomes[i];
        r.value = o.value;
        r.effective = o.effective;
        r.via = via_name(o.via);
        if (!o.error.empty()) {
          r.status = "error";
          r.error = o.error;
        } else {
          r.status = o.applied ? "applied" : "consumed";
        }
      }
      out.relocations.push_back(std::move(r));
    }
  }
  if (set) compute_bindings(out);
  return out;
}

}  // namespace

LoadReport run_engine(std::span<const u8> object, const std::string& name, const LoadScenario& scenario) {
  const SetMember member{name, object};
  return load_members(std::span<const SetMember>(&member, 1), scenario, false);
}

LoadReport run_engine(std::span<const u8> object, const std::string& name, const LoadScenario& scenario,
                      const EngineInspector& inspect, bool* load_refused) {
  if (load_refused) *load_refused = false;
  const SetMember member{name, object};
  return load_members(std::span<const SetMember>(&member, 1), scenario, false, &inspect, load_refused);
}

LoadReport run_engine_set(std::span<const SetMember> members, const LoadScenario& scenario) {
  return load_members(members, scenario, true);
}

}  // namespace jitload::conformance
