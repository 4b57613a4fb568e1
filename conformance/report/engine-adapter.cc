// jitload's engine as a LoadReport producer. The memory manager here gives
// out plain host memory (calloc) and never changes permissions: nothing
// runs. Sections are then mapped to the scenario's target addresses with
// map_section_address, externals come from the scenario, and the report
// is read back from the engine's introspection API (sections(), symbols(),
// relocations(), outcomes()) and from the bytes in its memory.
#include <cstdlib>
#include <memory>

#include "conformance/report/layout.h"
#include "conformance/report/loaders.h"
#include "engine/loader/dyld.h"

namespace jitload::conformance {

namespace {

// Sections bigger than this are refused (the engine reports a memory
// error, and the comparison abstains): the harness must not eat the host.
constexpr u64 kMaxSection = u64(1) << 30;

class PlainMemory final : public jitload::MemoryManager {
 public:
  PlainMemory(const Placement& placement, const LoadScenario& scenario)
      : placement_(placement), scenario_(scenario) {}

  u8* allocate_code_section(u64 size, u32 align, u32, std::string_view) override { return allocate(size, align); }
  u8* allocate_data_section(u64 size, u32 align, u32, std::string_view, bool) override {
    return allocate(size, align);
  }

  // TLS sections are allocated in section header order; the k-th one with
  // a name is the k-th planned TLS section with that name.
  jitload::Expected<jitload::TlsSection> allocate_tls_section(u64 size, u32 align, u32,
                                                              std::string_view name) override {
    u8* mem = allocate(size, align);
    if (!mem) return jitload::Error(jitload::ErrorKind::Memory, "cannot allocate a TLS image");
    for (size_t k = 0; k < placement_.sections.size(); k++) {
      const PlannedSection& p = placement_.sections[k];
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
  const Placement& placement_;
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

}  // namespace

LoadReport run_engine(std::span<const u8> object, const std::string& name, const LoadScenario& scenario) {
  Placement placement = plan_placement(object, scenario);
  PlainMemory memory(placement, scenario);
  ScenarioResolver resolver(scenario);
  jitload::RuntimeDyld dyld(memory, &resolver);
  dyld.enable_outcomes(true);

  auto info = dyld.load_object(object, name);
  if (!info) {
    const jitload::Error& e = info.error();
    std::optional<u64> off;
    if (e.file_offset() != jitload::kNoOffset) off = e.file_offset();
    return LoadReport::rejected("engine", name, jitload::error_kind_name(e.kind()), e.message(), off);
  }
  const u32 object_index = info->object_index();

  // Map every section per the scenario: file sections first, then the
  // engine's own areas in the rule's order.
  auto sections = dyld.sections();
  for (u32 id = 0; id < sections.size(); id++) {
    const jitload::LoadedSection& s = sections[id];
    if (s.object != object_index || s.file_index == jitload::kNone || is_tls(s)) continue;
    const PlannedSection* p = placement.find(s.file_index);
    if (!p)
      return LoadReport::rejected("engine", name, "argument",
                                  "the engine loaded section " + std::to_string(s.file_index) +
                                      " that the placement rule does not place");
    if (jitload::Error e = dyld.map_section_address(id, p->address))
      return LoadReport::rejected("engine", name, "argument", e.message());
  }
  const std::pair<jitload::SectionKind, const char*> areas[] = {
      {jitload::SectionKind::Common, "<common symbols>"},
      {jitload::SectionKind::Got, "<got>"},
      {jitload::SectionKind::Stubs, "<stubs>"},
  };
  std::optional<u64> got;
  for (const auto& [kind, area] : areas)
    for (u32 id = 0; id < sections.size(); id++) {
      const jitload::LoadedSection& s = sections[id];
      if (s.object != object_index || s.kind != kind) continue;
      u64 target = placement.place_area(scenario, area, s.size, s.align);
      if (kind == jitload::SectionKind::Got) got = target;
      if (jitload::Error e = dyld.map_section_address(id, target))
        return LoadReport::rejected("engine", name, "argument", e.message());
    }
  // Any other area of the engine's own (IFUNC stubs and slots, ...): after
  // those, in the engine's order, each by its name.
  for (u32 id = 0; id < sections.size(); id++) {
    const jitload::LoadedSection& s = sections[id];
    if (s.object != object_index || s.file_index != jitload::kNone || is_tls(s)) continue;
    if (s.kind == jitload::SectionKind::Common || s.kind == jitload::SectionKind::Got ||
        s.kind == jitload::SectionKind::Stubs)
      continue;
    u64 target = placement.place_area(scenario, std::string(s.name), s.size, s.align);
    if (jitload::Error e = dyld.map_section_address(id, target))
      return LoadReport::rejected("engine", name, "argument", e.message());
  }

  jitload::Error resolved = dyld.resolve_relocations();

  LoadReport out;
  out.loader = "engine";
  out.object = name;
  out.triple = scenario.triple;
  out.loaded = resolved.ok();
  if (!resolved.ok()) {
    out.error_kind = jitload::error_kind_name(resolved.kind());
    out.error_message = resolved.message();
    if (resolved.file_offset() != jitload::kNoOffset) out.error_offset = resolved.file_offset();
  }
  out.got_address = got;
  sections = dyld.sections();
  for (const jitload::LoadedSection& s : sections) {
    if (s.object != object_index) continue;
    ReportSection r;
    r.name = std::string(s.name);
    r.index = s.file_index == jitload::kNone ? -1 : i64(s.file_index);
    r.kind = jitload::section_kind_name(s.kind);
    r.address = s.target;
    r.size = s.size;
    r.align = s.align;
    if (s.local && s.size) r.bytes.assign(s.local, s.local + s.size);
    out.sections.push_back(std::move(r));
  }
  for (const jitload::LoadedSymbol& y : dyld.symbols()) {
    if (y.object != object_index) continue;
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
    out.symbols.push_back(std::move(r));
  }
  std::vector<jitload::RelocationRecord> records = dyld.relocations(object_index);
  auto outcomes = dyld.outcomes(object_index);
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
  return out;
}

}  // namespace jitload::conformance
