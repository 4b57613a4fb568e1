#include "conformance/report/report.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "conformance/report/json.h"

namespace jitload::conformance {

namespace {
// "0x%llx" by hand, with an optional '-': the comparison spells every
// decoded target with it (snprintf was a fifth of a fuzz input's time).
std::string hex_text(u64 v, bool negative) {
  static const char digits[] = "0123456789abcdef";
  char buf[20];
  char* end = buf + sizeof buf;
  char* p = end;
  do *--p = digits[v & 15];
  while (v >>= 4);
  *--p = 'x';
  *--p = '0';
  if (negative) *--p = '-';
  return std::string(p, end);
}
}  // namespace

std::string hex(u64 v) { return hex_text(v, false); }

std::string signed_hex(i64 v) { return v < 0 ? hex_text(0 - u64(v), true) : hex_text(u64(v), false); }

u64 default_extern_address(const std::string& name, u64 extern_base) {
  // FNV-1a, 64-bit: deterministic and independent of the order in which
  // a loader happens to meet the names.
  u64 h = 0xcbf29ce484222325ull;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return extern_base + 16 * (h % (u64(1) << 20));
}

std::optional<u64> scenario_extern(const LoadScenario& s, const std::string& name) {
  for (const auto& [n, a] : s.externals)
    if (n == name) return a;
  if (s.extern_default) return *s.extern_default;
  if (s.default_externals) return default_extern_address(name, s.extern_base);
  return std::nullopt;
}

bool parse_u64(const std::string& text, u64& value) {
  if (text.empty() || text[0] == '-' || text[0] == '+' || text[0] == ' ') return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 0);
  if (errno || !end || *end) return false;
  value = v;
  return true;
}

bool parse_assignment(const std::string& text, std::string& name, u64& value) {
  size_t eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0) return false;
  name = text.substr(0, eq);
  return parse_u64(text.substr(eq + 1), value);
}

namespace {

std::string pairs_json(const std::vector<std::pair<std::string, u64>>& pairs) {
  std::string out = "[";
  for (size_t i = 0; i < pairs.size(); i++) {
    if (i) out += ", ";
    out += "[" + json_quote(pairs[i].first) + ", " + json_quote(hex(pairs[i].second)) + "]";
  }
  return out + "]";
}

bool json_u64(const Json* j, u64& out) {
  if (!j) return false;
  if (j->is(Json::Type::String)) return parse_u64(j->text, out);
  if (j->is(Json::Type::Number)) return parse_u64(j->text, out);
  return false;
}

bool json_i64(const Json* j, i64& out) {
  if (!j || !j->is(Json::Type::Number)) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(j->text.c_str(), &end, 10);
  if (errno || !end || *end) return false;
  out = v;
  return true;
}

std::string json_string(const Json* j) { return j && j->is(Json::Type::String) ? j->text : std::string(); }

bool pairs_from_json(const Json* j, std::vector<std::pair<std::string, u64>>& out) {
  if (!j) return true;
  if (!j->is(Json::Type::Array)) return false;
  for (const Json& item : j->items) {
    if (!item.is(Json::Type::Array) || item.items.size() != 2 || !item.items[0].is(Json::Type::String)) return false;
    u64 v = 0;
    if (!json_u64(&item.items[1], v)) return false;
    out.emplace_back(item.items[0].text, v);
  }
  return true;
}

const char* kHexDigits = "0123456789abcdef";

std::string bytes_hex(const std::vector<u8>& bytes) {
  size_t n = bytes.size();
  while (n && bytes[n - 1] == 0) n--;  // trailing zeros are implied by the size
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; i++) {
    out.push_back(kHexDigits[bytes[i] >> 4]);
    out.push_back(kHexDigits[bytes[i] & 15]);
  }
  return out;
}

bool hex_bytes(const std::string& text, u64 size, std::vector<u8>& out) {
  if (text.size() % 2 || text.size() / 2 > size) return false;
  out.resize(text.size() / 2);
  for (size_t i = 0; i < out.size(); i++) {
    int v = 0;
    for (int k = 0; k < 2; k++) {
      char c = text[2 * i + size_t(k)];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + d;
    }
    out[i] = u8(v);
  }
  return true;
}

}  // namespace

std::string scenario_to_json(const LoadScenario& s) {
  std::string out = "{\"triple\": " + json_quote(s.triple);
  out += ", \"base\": " + json_quote(hex(s.base));
  out += ", \"section_sep\": " + json_quote(hex(s.section_sep));
  out += ", \"section_addresses\": " + pairs_json(s.section_addresses);
  out += ", \"externals\": " + pairs_json(s.externals);
  if (s.extern_default) out += ", \"extern_default\": " + json_quote(hex(*s.extern_default));
  out += std::string(", \"default_externals\": ") + (s.default_externals ? "true" : "false");
  out += ", \"extern_base\": " + json_quote(hex(s.extern_base)) + "}";
  return out;
}

bool scenario_from_json(const std::string& text, LoadScenario& s, std::string& error) {
  Json j;
  if (!parse_json(text, j, error)) return false;
  if (!j.is(Json::Type::Object)) {
    error = "a scenario is a JSON object";
    return false;
  }
  s = LoadScenario();
  if (const Json* t = j.get("triple")) s.triple = json_string(t);
  if (j.get("base") && !json_u64(j.get("base"), s.base)) return error = "bad base", false;
  if (j.get("section_sep") && !json_u64(j.get("section_sep"), s.section_sep)) return error = "bad section_sep", false;
  if (j.get("extern_base") && !json_u64(j.get("extern_base"), s.extern_base)) return error = "bad extern_base", false;
  if (j.get("extern_default")) {
    u64 v = 0;
    if (!json_u64(j.get("extern_default"), v)) return error = "bad extern_default", false;
    s.extern_default = v;
  }
  if (const Json* d = j.get("default_externals")) s.default_externals = d->is(Json::Type::Bool) && d->boolean;
  if (!pairs_from_json(j.get("section_addresses"), s.section_addresses)) return error = "bad section_addresses", false;
  if (!pairs_from_json(j.get("externals"), s.externals)) return error = "bad externals", false;
  return true;
}

std::string scenario_to_options(const LoadScenario& s) {
  std::string out = "--base " + hex(s.base) + " --section-sep " + hex(s.section_sep);
  for (const auto& [n, a] : s.section_addresses) out += " --map-section '" + n + "=" + hex(a) + "'";
  for (const auto& [n, a] : s.externals) out += " --extern '" + n + "=" + hex(a) + "'";
  if (s.extern_default) out += " --extern-default " + hex(*s.extern_default);
  if (!s.default_externals) out += " --no-default-externs";
  else out += " --extern-base " + hex(s.extern_base);
  return out;
}

const char* const kScenarioOptionsHelp =
    "  --map-section S=ADDR   place section S (a name, or #N for header index N) at ADDR\n"
    "  --extern SYM=ADDR      external symbol SYM is at ADDR\n"
    "  --base ADDR            placement starts at ADDR (default 0x10000000)\n"
    "  --section-sep N        gap after each placed section (default 0x1000)\n"
    "  --extern-default ADDR  every other external symbol is at ADDR\n"
    "  --extern-base ADDR     other externals at ADDR + 16*(FNV-1a(name) mod 2^20) (default 0x40000000)\n"
    "  --no-default-externs   other externals are unresolved (weak ones 0)\n";

int parse_scenario_option(int argc, char** argv, int i, LoadScenario& s, std::string& error) {
  std::string arg = argv[i];
  std::string name = arg, value;
  bool inline_value = false;
  if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
    name = arg.substr(0, eq);
    value = arg.substr(eq + 1);
    inline_value = true;
  }
  if (name == "--no-default-externs") {
    s.default_externals = false;
    s.extern_default.reset();
    return 1;
  }
  static const char* const kTakesValue[] = {"--map-section", "--extern", "--base", "--section-sep", "--extern-default",
                                            "--extern-base"};
  bool known = false;
  for (const char* k : kTakesValue) known |= name == k;
  if (!known) return 0;
  int used = 1;
  if (!inline_value) {
    if (i + 1 >= argc) {
      error = name + " needs a value";
      return -1;
    }
    value = argv[i + 1];
    used = 2;
  }
  if (name == "--map-section" || name == "--extern") {
    std::string key;
    u64 address = 0;
    if (!parse_assignment(value, key, address)) {
      error = "bad " + name + " '" + value + "' (want NAME=ADDR)";
      return -1;
    }
    (name == "--extern" ? s.externals : s.section_addresses).emplace_back(key, address);
    return used;
  }
  u64 v = 0;
  if (!parse_u64(value, v)) {
    error = "bad " + name + " '" + value + "' (want a number)";
    return -1;
  }
  if (name == "--base") s.base = v;
  else if (name == "--section-sep") s.section_sep = v;
  else if (name == "--extern-default") s.extern_default = v;
  else s.extern_base = v;
  return used;
}

const ReportSection* LoadReport::file_section(u32 object, i64 index) const {
  if (index < 0) return nullptr;
  for (const ReportSection& s : sections)
    if (s.index == index && s.object == object) return &s;
  return nullptr;
}

std::optional<u64> LoadReport::got_of(u32 object) const {
  if (!is_set()) return got_address;
  return object < gots.size() ? gots[object] : std::nullopt;
}

std::string LoadReport::member_prefix(u32 object) const {
  if (!is_set()) return "";
  return (object < objects.size() ? objects[object] : "#" + std::to_string(object)) + ":";
}

LoadReport LoadReport::rejected(std::string loader, std::string object, std::string kind, std::string message,
                                std::optional<u64> offset) {
  LoadReport r;
  r.loader = std::move(loader);
  r.object = std::move(object);
  r.loaded = false;
  r.error_kind = std::move(kind);
  r.error_message = std::move(message);
  r.error_offset = offset;
  return r;
}

std::string report_to_json(const LoadReport& r) {
  std::string out;
  out += "{\n  \"schema\": \"jitload-load-report/1\",\n";
  out += "  \"loader\": " + json_quote(r.loader) + ",\n";
  out += "  \"object\": " + json_quote(r.object) + ",\n";
  out += "  \"triple\": " + json_quote(r.triple) + ",\n";
  if (r.loaded) {
    out += "  \"outcome\": {\"status\": \"loaded\"},\n";
  } else {
    out += "  \"outcome\": {\"status\": \"rejected\", \"kind\": " + json_quote(r.error_kind) + ", \"file_offset\": " +
           (r.error_offset ? json_quote(hex(*r.error_offset)) : std::string("null")) +
           ", \"message\": " + json_quote(r.error_message) + "},\n";
  }
  out += "  \"got\": " + (r.got_address ? json_quote(hex(*r.got_address)) : std::string("null")) + ",\n";
  const bool set = r.is_set();
  auto member = [&](u32 object) { return set ? ", \"object\": " + std::to_string(object) : std::string(); };
  if (set) {
    out += "  \"objects\": [";
    for (size_t i = 0; i < r.objects.size(); i++) out += (i ? ", " : "") + json_quote(r.objects[i]);
    out += "],\n  \"gots\": [";
    for (size_t i = 0; i < r.gots.size(); i++)
      out += (i ? ", " : "") + (r.gots[i] ? json_quote(hex(*r.gots[i])) : std::string("null"));
    out += "],\n  \"bindings\": [";
    for (size_t i = 0; i < r.bindings.size(); i++) {
      const ReportBinding& b = r.bindings[i];
      out += i ? ",\n    " : "\n    ";
      out += "{\"name\": " + json_quote(b.name) + ", \"target\": " + json_quote(b.target) +
             ", \"references\": " + std::to_string(b.references) + "}";
    }
    out += r.bindings.empty() ? "],\n" : "\n  ],\n";
  }
  out += "  \"sections\": [";
  for (size_t i = 0; i < r.sections.size(); i++) {
    const ReportSection& s = r.sections[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"name\": " + json_quote(s.name) + ", \"index\": " + std::to_string(s.index) +
           ", \"kind\": " + json_quote(s.kind) + ", \"address\": " + json_quote(hex(s.address)) +
           ", \"size\": " + std::to_string(s.size) + ", \"align\": " + std::to_string(s.align) +
           ", \"bytes\": \"" + bytes_hex(s.bytes) + "\"" + member(s.object) + "}";
  }
  out += r.sections.empty() ? "],\n" : "\n  ],\n";
  out += "  \"symbols\": [";
  for (size_t i = 0; i < r.symbols.size(); i++) {
    const ReportSymbol& s = r.symbols[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"name\": " + json_quote(s.name) + ", \"section\": " + json_quote(s.section) +
           ", \"section_index\": " + std::to_string(s.section_index) + ", \"address\": " + json_quote(hex(s.address)) +
           ", \"size\": " + std::to_string(s.size) + ", \"binding\": " + json_quote(s.binding) +
           ", \"type\": " + json_quote(s.type) + member(s.object) + "}";
  }
  out += r.symbols.empty() ? "],\n" : "\n  ],\n";
  out += "  \"relocations\": [";
  for (size_t i = 0; i < r.relocations.size(); i++) {
    const ReportRelocation& x = r.relocations[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"section\": " + json_quote(x.section) + ", \"section_index\": " + std::to_string(x.section_index) +
           ", \"offset\": " + json_quote(hex(x.offset)) + ", \"type\": " + std::to_string(x.type) +
           ", \"type_name\": " + json_quote(x.type_name) + ", \"symbol\": " + json_quote(x.symbol) +
           ", \"symbol_is_section\": " + (x.symbol_is_section ? "true" : "false") +
           ", \"addend\": " + std::to_string(x.addend) + ", \"status\": " + json_quote(x.status) +
           ", \"value\": " + json_quote(hex(x.value)) + ", \"effective\": " + json_quote(hex(x.effective)) +
           ", \"via\": " + json_quote(x.via);
    if (!x.error.empty()) out += ", \"error\": " + json_quote(x.error);
    out += member(x.object) + "}";
  }
  out += r.relocations.empty() ? "]\n" : "\n  ]\n";
  out += "}\n";
  return out;
}

bool report_from_json(const std::string& text, LoadReport& r, std::string& error) {
  Json j;
  if (!parse_json(text, j, error)) return false;
  auto bad = [&](const char* what) {
    error = std::string("LoadReport JSON: ") + what;
    return false;
  };
  if (!j.is(Json::Type::Object)) return bad("not an object");
  if (json_string(j.get("schema")) != "jitload-load-report/1") return bad("schema is not jitload-load-report/1");
  r = LoadReport();
  r.loader = json_string(j.get("loader"));
  r.object = json_string(j.get("object"));
  r.triple = json_string(j.get("triple"));
  const Json* outcome = j.get("outcome");
  if (!outcome || !outcome->is(Json::Type::Object)) return bad("no outcome");
  std::string status = json_string(outcome->get("status"));
  if (status == "loaded") {
    r.loaded = true;
  } else if (status == "rejected") {
    r.loaded = false;
    r.error_kind = json_string(outcome->get("kind"));
    r.error_message = json_string(outcome->get("message"));
    u64 off = 0;
    if (json_u64(outcome->get("file_offset"), off)) r.error_offset = off;
  } else {
    return bad("outcome status is neither loaded nor rejected");
  }
  u64 got = 0;
  if (json_u64(j.get("got"), got)) r.got_address = got;
  if (const Json* objs = j.get("objects")) {
    if (!objs->is(Json::Type::Array)) return bad("objects is not an array");
    for (const Json& o : objs->items) {
      if (!o.is(Json::Type::String)) return bad("an object name is not a string");
      r.objects.push_back(o.text);
    }
  }
  if (const Json* gots = j.get("gots")) {
    if (!gots->is(Json::Type::Array)) return bad("gots is not an array");
    for (const Json& g : gots->items) {
      u64 v = 0;
      r.gots.push_back(json_u64(&g, v) ? std::optional<u64>(v) : std::nullopt);
    }
  }
  if (const Json* binds = j.get("bindings")) {
    if (!binds->is(Json::Type::Array)) return bad("bindings is not an array");
    for (const Json& b : binds->items) {
      ReportBinding x;
      x.name = json_string(b.get("name"));
      x.target = json_string(b.get("target"));
      json_u64(b.get("references"), x.references);
      r.bindings.push_back(std::move(x));
    }
  }
  // The member an entry belongs to ("object": K), when the report is a set.
  auto member = [&](const Json& item, u32& out) {
    u64 k = 0;
    if (!item.get("object")) return true;
    if (!json_u64(item.get("object"), k) || k >= r.objects.size()) return false;
    out = u32(k);
    return true;
  };
  if (const Json* secs = j.get("sections")) {
    if (!secs->is(Json::Type::Array)) return bad("sections is not an array");
    for (const Json& s : secs->items) {
      ReportSection x;
      x.name = json_string(s.get("name"));
      x.kind = json_string(s.get("kind"));
      if (!json_i64(s.get("index"), x.index) || !json_u64(s.get("address"), x.address) ||
          !json_u64(s.get("size"), x.size) || !json_u64(s.get("align"), x.align))
        return bad("a section lacks index, address, size or align");
      if (!hex_bytes(json_string(s.get("bytes")), x.size, x.bytes)) return bad("a section's bytes are not hex of at most size bytes");
      if (!member(s, x.object)) return bad("a section's object is not a member of the set");
      r.sections.push_back(std::move(x));
    }
  }
  if (const Json* syms = j.get("symbols")) {
    if (!syms->is(Json::Type::Array)) return bad("symbols is not an array");
    for (const Json& s : syms->items) {
      ReportSymbol x;
      x.name = json_string(s.get("name"));
      x.section = json_string(s.get("section"));
      x.binding = json_string(s.get("binding"));
      x.type = json_string(s.get("type"));
      if (!json_i64(s.get("section_index"), x.section_index) || !json_u64(s.get("address"), x.address) ||
          !json_u64(s.get("size"), x.size))
        return bad("a symbol lacks section_index, address or size");
      if (!member(s, x.object)) return bad("a symbol's object is not a member of the set");
      r.symbols.push_back(std::move(x));
    }
  }
  if (const Json* rels = j.get("relocations")) {
    if (!rels->is(Json::Type::Array)) return bad("relocations is not an array");
    for (const Json& s : rels->items) {
      ReportRelocation x;
      x.section = json_string(s.get("section"));
      x.type_name = json_string(s.get("type_name"));
      x.symbol = json_string(s.get("symbol"));
      x.status = json_string(s.get("status"));
      x.via = json_string(s.get("via"));
      x.error = json_string(s.get("error"));
      const Json* is_sec = s.get("symbol_is_section");
      x.symbol_is_section = is_sec && is_sec->is(Json::Type::Bool) && is_sec->boolean;
      u64 type = 0;
      if (!json_i64(s.get("section_index"), x.section_index) || !json_u64(s.get("offset"), x.offset) ||
          !json_u64(s.get("type"), type) || !json_i64(s.get("addend"), x.addend))
        return bad("a relocation lacks section_index, offset, type or addend");
      x.type = u32(type);
      if (!member(s, x.object)) return bad("a relocation's object is not a member of the set");
      json_u64(s.get("value"), x.value);
      json_u64(s.get("effective"), x.effective);
      r.relocations.push_back(std::move(x));
    }
  }
  return true;
}

std::string outcome_line(const LoadReport& r) {
  if (r.loaded)
    return "loaded: " + std::to_string(r.sections.size()) + " sections, " + std::to_string(r.symbols.size()) +
           " symbols, " + std::to_string(r.relocations.size()) + " relocations";
  // Sized once: the fuzz harness builds this line for every input.
  std::string out;
  out.reserve(13 + r.error_kind.size() + r.error_message.size());
  out += "rejected (";
  out += r.error_kind;
  out += "): ";
  out += r.error_message;
  return out;
}

}  // namespace jitload::conformance
