// The reference loader's Results as a LoadReport: a field-by-field copy.
// One object is reference::load; a set is reference::load_set, one Result
// per member, gathered into one report (report.h, "A set of objects").
#include "conformance/report/arch.h"
#include "conformance/report/compare.h"
#include "conformance/report/loaders.h"
#include "reference/reference.h"

namespace jitload::conformance {

namespace {

reference::Scenario to_reference(const LoadScenario& scenario) {
  reference::Scenario s;
  s.base = scenario.base;
  s.section_sep = scenario.section_sep;
  s.section_addresses = scenario.section_addresses;
  s.externals = scenario.externals;
  s.has_extern_default = scenario.extern_default.has_value();
  s.extern_default = scenario.extern_default.value_or(0);
  s.default_externals = scenario.default_externals;
  s.extern_base = scenario.extern_base;
  return s;
}

// Member `object`'s sections, symbols and relocations into `out`, moved
// out of `r` (which the callers do not use again).
void add_member(reference::Result& r, u32 object, LoadReport& out) {
  out.records_unwind = true;
  for (reference::Result::CompactUnwind& u : r.compact_unwind)
    out.compact_unwind.push_back(ReportUnwind{object, std::move(u.section), u.offset, u.function, u.length, u.encoding,
                                              u.personality, u.lsda, std::move(u.personality_symbol), std::move(u.lsda_symbol)});
  out.sections.reserve(out.sections.size() + r.sections.size());
  for (reference::Section& x : r.sections) {
    ReportSection s2;
    s2.name = std::move(x.name);
    s2.index = x.index ? i64(x.index) : -1;
    s2.kind = std::move(x.kind);
    s2.address = x.address;
    s2.size = x.size;
    s2.align = x.align;
    s2.bytes = std::move(x.bytes);
    s2.object = object;
    out.sections.push_back(std::move(s2));
  }
  out.symbols.reserve(out.symbols.size() + r.symbols.size());
  for (reference::Symbol& y : r.symbols) {
    ReportSymbol s2;
    s2.name = std::move(y.name);
    s2.section = std::move(y.section);
    bool real = y.section_index != 0 && y.section_index < 0xff00;
    s2.section_index = real ? i64(y.section_index) : -1;
    s2.address = y.address;
    s2.size = y.size;
    s2.binding = std::move(y.binding);
    s2.type = std::move(y.type);
    s2.object = object;
    out.symbols.push_back(std::move(s2));
  }
  out.relocations.reserve(out.relocations.size() + r.relocations.size());
  for (reference::Relocation& x : r.relocations) {
    ReportRelocation r2;
    r2.section = std::move(x.section);
    r2.section_index = x.section_index;
    r2.offset = x.offset;
    r2.type = x.type;
    r2.type_name = std::move(x.type_name);
    r2.symbol = std::move(x.symbol);
    r2.symbol_is_section = x.symbol_is_section;
    r2.addend = x.addend;
    r2.status = std::move(x.status);
    r2.value = x.value;
    r2.effective = x.effective;
    r2.via = std::move(x.via);
    r2.error = std::move(x.error);
    r2.object = object;
    out.relocations.push_back(std::move(r2));
  }
}

// The message is moved: `r` is not read again (one copy less per rejection).
void set_error(reference::Result& r, LoadReport& out) {
  out.loaded = false;
  out.error_kind = reference::error_kind_name(r.error.kind);
  out.error_message = std::move(r.error.message);
  if (r.error.file_offset != reference::kNoOffset) out.error_offset = r.error.file_offset;
}

}  // namespace

LoadReport run_reference(std::span<const u8> object, const std::string& name, const LoadScenario& scenario) {
  reference::Result r = reference::load(object, name, to_reference(scenario));
  LoadReport out;
  out.loader = "reference";
  out.object = name;
  out.triple = object_triple(object, r.triple.empty() ? scenario.triple : r.triple);
  out.loaded = r.loaded;
  if (!r.loaded) set_error(r, out);
  if (!r.sections.empty()) out.got_address = r.got_address;
  add_member(r, 0, out);
  return out;
}

LoadReport run_reference_set(std::span<const SetMember> members, const LoadScenario& scenario) {
  std::vector<reference::Input> inputs;
  LoadReport out;
  out.loader = "reference";
  out.triple = members.empty() ? scenario.triple : object_triple(members[0].bytes, scenario.triple);
  for (const SetMember& m : members) {
    inputs.push_back(reference::Input{m.name, m.bytes});
    out.objects.push_back(m.name);
    out.object += (out.object.empty() ? "" : "+") + m.name;
  }
  std::vector<reference::Result> results = reference::load_set(inputs, to_reference(scenario));
  // The set loads when every member does; otherwise it is rejected with
  // the first rejected member's error (its sections are not compared: the
  // comparison stops at a rejection).
  out.loaded = results.size() == members.size();
  for (reference::Result& r : results)
    if (!r.loaded) {
      set_error(r, out);
      break;
    }
  if (!out.loaded) {
    out.sections.clear();
    return out;
  }
  for (u32 k = 0; k < results.size(); k++) {
    reference::Result& r = results[k];
    out.gots.push_back(r.got_address);  // placed even when empty (report.h)
    add_member(r, k, out);
  }
  compute_bindings(out);
  return out;
}

}  // namespace jitload::conformance
