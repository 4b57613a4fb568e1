// The reference loader's Result as a LoadReport: a field-by-field copy.
#include "conformance/report/loaders.h"
#include "reference/reference.h"

namespace jitload::conformance {

LoadReport run_reference(std::span<const u8> object, const std::string& name, const LoadScenario& scenario) {
  reference::Scenario s;
  s.base = scenario.base;
  s.section_sep = scenario.section_sep;
  s.section_addresses = scenario.section_addresses;
  s.externals = scenario.externals;
  s.has_extern_default = scenario.extern_default.has_value();
  s.extern_default = scenario.extern_default.value_or(0);
  s.default_externals = scenario.default_externals;
  s.extern_base = scenario.extern_base;
  reference::Result r = reference::load(object, name, s);

  LoadReport out;
  out.loader = "reference";
  out.object = name;
  out.triple = r.triple.empty() ? scenario.triple : r.triple;
  out.loaded = r.loaded;
  if (!r.loaded) {
    out.error_kind = reference::error_kind_name(r.error.kind);
    out.error_message = r.error.message;
    if (r.error.file_offset != reference::kNoOffset) out.error_offset = r.error.file_offset;
  }
  if (!r.sections.empty()) out.got_address = r.got_address;
  for (const reference::Section& x : r.sections) {
    ReportSection s2;
    s2.name = x.name;
    s2.index = x.index ? i64(x.index) : -1;
    s2.kind = x.kind;
    s2.address = x.address;
    s2.size = x.size;
    s2.align = x.align;
    s2.bytes = x.bytes;
    out.sections.push_back(std::move(s2));
  }
  for (const reference::Symbol& y : r.symbols) {
    ReportSymbol s2;
    s2.name = y.name;
    s2.section = y.section;
    bool real = y.section_index != 0 && y.section_index < 0xff00;
    s2.section_index = real ? i64(y.section_index) : -1;
    s2.address = y.address;
    s2.size = y.size;
    s2.binding = y.binding;
    s2.type = y.type;
    out.symbols.push_back(std::move(s2));
  }
  for (const reference::Relocation& x : r.relocations) {
    ReportRelocation r2;
    r2.section = x.section;
    r2.section_index = x.section_index;
    r2.offset = x.offset;
    r2.type = x.type;
    r2.type_name = x.type_name;
    r2.symbol = x.symbol;
    r2.symbol_is_section = x.symbol_is_section;
    r2.addend = x.addend;
    r2.status = x.status;
    r2.value = x.value;
    r2.effective = x.effective;
    r2.via = x.via;
    r2.error = x.error;
    out.relocations.push_back(std::move(r2));
  }
  return out;
}

}  // namespace jitload::conformance
