#include "conformance/report/decode.h"

namespace jitload::conformance {

const ReportSection* section_at(const LoadReport& report, u64 address, u64 length, const char* prefer) {
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 0 && !prefer) continue;
    for (const ReportSection& s : report.sections) {
      if (s.is_tls()) continue;
      if (pass == 0 && s.kind != prefer) continue;
      if (address >= s.address && address - s.address <= s.size && length <= s.size - (address - s.address))
        return &s;
    }
  }
  return nullptr;
}

bool read_target(const LoadReport& report, u64 address, unsigned width, u64& out, const char* prefer) {
  const ReportSection* s = section_at(report, address, width, prefer);
  if (!s) return false;
  u64 v = 0;
  for (unsigned i = 0; i < width; i++) v |= u64(s->byte_at(address - s->address + i)) << (8 * i);
  out = v;
  return true;
}

DecodedField decode_field(const LoadReport& report, const ReportRelocation& rel, const ReportRelocation* previous) {
  if (report.triple.rfind("x86_64", 0) == 0) return decode_field_x86_64(report, rel, previous);
  DecodedField d;
  d.error = "no decoder for triple '" + report.triple + "'";
  return d;
}

std::string canonical_target(const LoadReport& report, const ReportRelocation& rel, const DecodedField& d) {
  if (!d.ok) return "<undecodable: " + d.error + ">";
  if (d.none) return "none";
  if (d.exact) return "exact";
  if (d.kind == "tls") return "tp" + signed_hex(i64(d.effective));
  if (d.kind == "size") return "size " + hex(d.effective);
  if (d.kind == "module") return "module " + std::to_string(d.effective);
  if (d.kind == "got-base") return "GOT" + signed_hex(i64(d.effective));
  // An address. Where the scenario fixes it (file sections, externals) the
  // number is the answer; inside a loader's own areas, name it relative to
  // what sits there. S = effective - A locates the symbol.
  u64 base = d.effective - u64(rel.addend);
  const ReportSection* s = section_at(report, base, 0, "common");
  if (s && s->kind == "common") {
    for (const ReportSymbol& y : report.symbols)
      if (y.type == "common" && base >= y.address && base - y.address <= y.size)
        return "common:" + y.name + signed_hex(i64(d.effective - y.address));
    return "common+" + hex(d.effective - s->address);
  }
  if (s && s->kind == "got" && report.got_address) return "GOT" + signed_hex(i64(d.effective - *report.got_address));
  if (s && s->kind == "stubs") return "stub+" + hex(d.effective - s->address);
  return hex(d.effective);
}

std::string describe_field(const LoadReport& report, const ReportRelocation& rel, const DecodedField& d) {
  if (!d.ok) return "undecodable (" + d.error + ")";
  if (d.none) return "no field";
  if (d.exact) return "rewritten sequence";
  std::string out = hex(d.raw) + " -> " + canonical_target(report, rel, d);
  if (d.through_stub) out += " via stub";
  if (d.through_got) out += " via GOT";
  return out;
}

}  // namespace jitload::conformance
