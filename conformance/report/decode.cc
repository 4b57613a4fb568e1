#include "conformance/report/decode.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <tuple>
#include <string_view>

#include "conformance/report/arch.h"

namespace jitload::conformance {

using namespace std::string_view_literals;

MemoryMap::Index MemoryMap::make_index(std::vector<const ReportSection*> sections) {
  Index x;
  std::sort(sections.begin(), sections.end(),
                   [](const ReportSection* a, const ReportSection* b) { return a->address < b->address; });
  x.sections = std::move(sections);
  x.reach.reserve(x.sections.size());
  u64 reach = 0;
  for (const ReportSection* s : x.sections) {
    u64 end = s->address + s->size < s->address ? ~u64(0) : s->address + s->size;
    reach = std::max(reach, end);
    x.reach.push_back(reach);
  }
  return x;
}

const ReportSection* MemoryMap::Index::find(u64 address, u64 length) const {
  // The last section starting at or below `address`, then earlier ones
  // while any of them could still reach it (sections may overlap: LLVM's
  // stub areas run into the next section's addresses).
  size_t i = size_t(std::upper_bound(sections.begin(), sections.end(), address,
                                     [](u64 a, const ReportSection* s) { return a < s->address; }) -
                    sections.begin());
  while (i > 0) {
    i--;
    if (reach[i] < address) break;
    const ReportSection* s = sections[i];
    if (address - s->address <= s->size && length <= s->size - (address - s->address)) return s;
  }
  return nullptr;
}

MemoryMap::MemoryMap(const LoadReport& report) : report_(&report) {
  arch_ = find_arch_by_triple(report.triple);
  little_endian_ = !arch_ || arch_->key.little_endian;
  std::vector<const ReportSection*> all;
  // Reserved: one allocation each, not growth steps (two maps per fuzz input
  // that both loaders load). The per-kind indexes are built on first use
  // (by_kind()): most inputs' decoders never ask for a kind.
  all.reserve(report.sections.size());
  defined_.reserve(report.symbols.size());
  for (const ReportSection& s : report.sections)
    if (!s.is_tls()) all.push_back(&s);
  all_ = make_index(std::move(all));
  for (const ReportSymbol& y : report.symbols) {
    defined_.push_back({name_hash(y.name), y.object, &y.name});
    if (y.type == "ifunc") ifuncs_.push_back({y.address, &y});
  }
  // By (hash of the name, member): integers sort fast; a name's entries
  // are then checked by content (hashes may collide).
  std::sort(defined_.begin(), defined_.end(), [](const Defined& x, const Defined& y) {
    return x.hash != y.hash ? x.hash < y.hash : x.object < y.object;
  });
  std::sort(ifuncs_.begin(), ifuncs_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

struct MemoryMap::Places {
  std::vector<u64> address;       // of each relocation's field; ~0: its section is not in the report
  std::vector<u32> by_place;      // relocations in a section by (object, address, index)
  std::vector<u32> by_key;        // ... by (object, section_index, type, symbol, addend, address, index)
  std::vector<u32> by_symbol;     // all relocations by (object, symbol, index)
  std::vector<u32> symbols_by_name;   // symbols by (object, name, index)
  std::vector<u32> symbols_by_place;  // symbols by (object, section_index, address, index)
};

const MemoryMap::Places& MemoryMap::places() const {
  if (places_) return *places_;
  const LoadReport& r = *report_;
  auto p = std::make_shared<Places>();
  // Each section by (object, index) once: LoadReport::file_section walks the list.
  std::map<std::pair<u32, i64>, const ReportSection*> sections;
  for (const ReportSection& s : r.sections) sections.try_emplace({s.object, s.index}, &s);
  const size_t n = r.relocations.size();
  p->address.assign(n, ~u64(0));
  std::vector<bool> placed(n, false);
  for (size_t k = 0; k < n; k++) {
    const ReportRelocation& o = r.relocations[k];
    auto it = o.section_index < 0 ? sections.end() : sections.find({o.object, o.section_index});
    if (it == sections.end()) continue;
    p->address[k] = it->second->address + o.offset;
    placed[k] = true;
    p->by_place.push_back(u32(k));
    p->by_key.push_back(u32(k));
  }
  const auto& rel = r.relocations;
  const std::vector<u64>& at = p->address;
  std::sort(p->by_place.begin(), p->by_place.end(), [&](u32 a, u32 b) {
    return std::tie(rel[a].object, at[a], a) < std::tie(rel[b].object, at[b], b);
  });
  std::sort(p->by_key.begin(), p->by_key.end(), [&](u32 a, u32 b) {
    const ReportRelocation& x = rel[a];
    const ReportRelocation& y = rel[b];
    return std::tie(x.object, x.section_index, x.type, x.symbol, x.addend, at[a], a) <
           std::tie(y.object, y.section_index, y.type, y.symbol, y.addend, at[b], b);
  });
  p->by_symbol.resize(n);
  for (size_t k = 0; k < n; k++) p->by_symbol[k] = u32(k);
  std::sort(p->by_symbol.begin(), p->by_symbol.end(), [&](u32 a, u32 b) {
    return std::tie(rel[a].object, rel[a].symbol, a) < std::tie(rel[b].object, rel[b].symbol, b);
  });
  const auto& sym = r.symbols;
  for (size_t k = 0; k < sym.size(); k++) {
    p->symbols_by_name.push_back(u32(k));
    p->symbols_by_place.push_back(u32(k));
  }
  std::sort(p->symbols_by_name.begin(), p->symbols_by_name.end(), [&](u32 a, u32 b) {
    return std::tie(sym[a].object, sym[a].name, a) < std::tie(sym[b].object, sym[b].name, b);
  });
  std::sort(p->symbols_by_place.begin(), p->symbols_by_place.end(), [&](u32 a, u32 b) {
    return std::tie(sym[a].object, sym[a].section_index, sym[a].address, a) <
           std::tie(sym[b].object, sym[b].section_index, sym[b].address, b);
  });
  places_ = std::move(p);
  return *places_;
}

std::span<const u32> MemoryMap::relocations_at(u32 object, u64 address) const {
  const Places& p = places();
  const auto& rel = report_->relocations;
  auto key = [&](u32 k) { return std::pair<u32, u64>{rel[k].object, p.address[k]}; };
  const std::pair<u32, u64> want{object, address};
  auto lo = std::lower_bound(p.by_place.begin(), p.by_place.end(), 0, [&](u32 a, int) { return key(a) < want; });
  auto hi = std::upper_bound(lo, p.by_place.end(), 0, [&](int, u32 b) { return want < key(b); });
  return {p.by_place.data() + (lo - p.by_place.begin()), size_t(hi - lo)};
}

std::span<const u32> MemoryMap::relocations_naming(u32 object, const std::string& symbol) const {
  const Places& p = places();
  const auto& rel = report_->relocations;
  auto lo = std::lower_bound(p.by_symbol.begin(), p.by_symbol.end(), 0, [&](u32 a, int) {
    return std::tie(rel[a].object, rel[a].symbol) < std::tie(object, symbol);
  });
  auto hi = std::upper_bound(lo, p.by_symbol.end(), 0, [&](int, u32 b) {
    return std::tie(object, symbol) < std::tie(rel[b].object, rel[b].symbol);
  });
  return {p.by_symbol.data() + (lo - p.by_symbol.begin()), size_t(hi - lo)};
}

bool MemoryMap::partner_of(const ReportRelocation& like, u32 type, u64 from, bool after, bool exact, u64& at) const {
  const Places& p = places();
  const auto& rel = report_->relocations;
  auto key = [&](u32 k) { return std::tie(rel[k].object, rel[k].section_index, rel[k].type, rel[k].symbol, rel[k].addend); };
  auto want = std::tie(like.object, like.section_index, type, like.symbol, like.addend);
  // The entries with that key, by address: the first past `from` (after),
  // the last before it, or one at it.
  auto lo = std::lower_bound(p.by_key.begin(), p.by_key.end(), 0, [&](u32 a, int) {
    return key(a) < want;
  });
  auto hi = std::upper_bound(lo, p.by_key.end(), 0, [&](int, u32 b) { return want < key(b); });
  auto past = std::upper_bound(lo, hi, from, [&](u64 f, u32 b) { return f < p.address[b]; });  // first > from
  if (after) {
    if (past == hi) return false;
    at = p.address[*past];
    return true;
  }
  auto first_at = std::lower_bound(lo, hi, from, [&](u32 a, u64 f) { return p.address[a] < f; });  // first >= from
  if (exact) {
    if (first_at == past) return false;
    at = from;
    return true;
  }
  if (first_at == lo) return false;
  at = p.address[*(first_at - 1)];
  return true;
}

std::span<const u32> MemoryMap::symbols_named(u32 object, const std::string& name) const {
  const Places& p = places();
  const auto& sym = report_->symbols;
  auto lo = std::lower_bound(p.symbols_by_name.begin(), p.symbols_by_name.end(), 0, [&](u32 a, int) {
    return std::tie(sym[a].object, sym[a].name) < std::tie(object, name);
  });
  auto hi = std::upper_bound(lo, p.symbols_by_name.end(), 0, [&](int, u32 b) {
    return std::tie(object, name) < std::tie(sym[b].object, sym[b].name);
  });
  return {p.symbols_by_name.data() + (lo - p.symbols_by_name.begin()), size_t(hi - lo)};
}

std::span<const u32> MemoryMap::symbols_at(u32 object, i64 section_index, u64 address) const {
  const Places& p = places();
  const auto& sym = report_->symbols;
  auto lo = std::lower_bound(p.symbols_by_place.begin(), p.symbols_by_place.end(), 0, [&](u32 a, int) {
    return std::tie(sym[a].object, sym[a].section_index, sym[a].address) < std::tie(object, section_index, address);
  });
  auto hi = std::upper_bound(lo, p.symbols_by_place.end(), 0, [&](int, u32 b) {
    return std::tie(object, section_index, address) < std::tie(sym[b].object, sym[b].section_index, sym[b].address);
  });
  return {p.symbols_by_place.data() + (lo - p.symbols_by_place.begin()), size_t(hi - lo)};
}

const ReportSymbol* MemoryMap::ifunc_at(u64 address) const {
  auto it = std::lower_bound(ifuncs_.begin(), ifuncs_.end(), address,
                             [](const auto& a, u64 x) { return a.first < x; });
  return it != ifuncs_.end() && it->first == address ? it->second : nullptr;
}

const ReportSymbol* MemoryMap::ifunc_named(u32 object, const std::string& name) const {
  const ReportSymbol* any = nullptr;
  for (const auto& [address, y] : ifuncs_)
    if (y->name == name) {
      if (y->object == object) return y;
      if (!any) any = y;
    }
  return any;
}

// The non-TLS sections of each kind, indexed as all_ is (in report order of
// first appearance), built by the first section_at that prefers a kind.
const std::vector<std::pair<std::string, MemoryMap::Index>>& MemoryMap::by_kind() const {
  if (by_kind_built_) return by_kind_;
  by_kind_built_ = true;
  std::vector<std::pair<std::string, std::vector<const ReportSection*>>> kinds;
  for (const ReportSection& s : report_->sections) {
    if (s.is_tls()) continue;
    auto it = std::find_if(kinds.begin(), kinds.end(), [&](const auto& k) { return k.first == s.kind; });
    if (it == kinds.end()) kinds.push_back({s.kind, {&s}});
    else it->second.push_back(&s);
  }
  by_kind_.reserve(kinds.size());
  for (auto& [kind, list] : kinds) by_kind_.push_back({std::move(kind), make_index(std::move(list))});
  return by_kind_;
}

const ReportSection* MemoryMap::section_at(u64 address, u64 length, const char* prefer) const {
  if (prefer) {
    std::string_view want(prefer);  // sizes first: most kinds differ in length
    for (const auto& [kind, index] : by_kind())
      if (std::string_view(kind) == want)
        if (const ReportSection* s = index.find(address, length)) return s;
  }
  return all_.find(address, length);
}

bool MemoryMap::read(u64 address, unsigned width, u64& out, const char* prefer) const {
  const ReportSection* s = section_at(address, width, prefer);
  if (!s) return false;
  u64 v = 0;
  // Data in the object's byte order (instructions are the decoder's own
  // business: AArch64 code is little-endian on big-endian targets too).
  for (unsigned i = 0; i < width; i++)
    v |= u64(s->byte_at(address - s->address + i)) << (8 * (little_endian_ ? i : width - 1 - i));
  out = v;
  return true;
}

bool MemoryMap::read_in(const ReportSection& s, u64 offset, unsigned width, u64& out) const {
  if (offset > s.size || width > s.size - offset) return false;
  u64 v = 0;
  for (unsigned i = 0; i < width; i++)
    v |= u64(s.byte_at(offset + i)) << (8 * (little_endian_ ? i : width - 1 - i));
  out = v;
  return true;
}

bool MemoryMap::read_insn(const ReportSection& s, u64 offset, u32& out) {
  if (offset > s.size || 4 > s.size - offset) return false;
  out = 0;
  for (unsigned i = 0; i < 4; i++) out |= u32(s.byte_at(offset + i)) << (8 * i);
  return true;
}

u64 MemoryMap::name_hash(const std::string& name) {
  u64 h = 0xcbf29ce484222325ull;  // FNV-1a, 64-bit
  for (char c : name) h = (h ^ u8(c)) * 0x100000001b3ull;
  return h;
}

bool MemoryMap::defines(const std::string& symbol) const {
  u64 h = name_hash(symbol);
  auto it = std::lower_bound(defined_.begin(), defined_.end(), h, [](const Defined& d, u64 x) { return d.hash < x; });
  for (; it != defined_.end() && it->hash == h; ++it)
    if (*it->name == symbol) return true;
  return false;
}

bool MemoryMap::defines(const std::string& symbol, u32 object) const {
  u64 h = name_hash(symbol);
  auto it = std::lower_bound(defined_.begin(), defined_.end(), h, [](const Defined& d, u64 x) { return d.hash < x; });
  for (; it != defined_.end() && it->hash == h; ++it)
    if (it->object == object && *it->name == symbol) return true;
  return false;
}

DecodedField decode_field(const MemoryMap& memory, const ReportRelocation& rel, const ReportRelocation* previous) {
  if (const ReportArch* a = memory.arch()) return a->decode(memory, rel, previous);
  DecodedField d;
  d.error = "no decoder for triple '" + memory.report().triple + "'";
  return d;
}

bool ifunc_resolver(const MemoryMap& memory, u64 stub, u64& resolver) {
  const ReportArch* a = memory.arch();
  return a && a->ifunc_resolver && a->ifunc_resolver(memory, stub, resolver);  // (none: no IFUNCs)
}

namespace {

// canonical_target as data: what the text is made of, so that two targets
// can be compared without spelling them (the comparison decodes every
// relocated field of both reports). render() spells it; equal Canons
// always spell the same text.
struct Canon {
  enum Tag { Undecodable, None, Exact, Tls, Size, Module, Page, Piece, GotBase, Ifunc, IfuncPiece, IfuncResolver, CommonSymbol,
             CommonOffset, Got, Stub, Address } tag = Address;
  u64 a = 0, b = 0;
  bool flag = false;
  const std::string* text = nullptr;  // an error, a symbol's name
  const LoadReport* report = nullptr;  // Got, Stub: the member's prefix
  u32 object = 0;
};

Canon canon(const MemoryMap& memory, const ReportRelocation& rel, const DecodedField& d) {
  const LoadReport& report = memory.report();
  const std::string_view kind = d.kind;
  Canon c;
  if (!d.ok) return c.tag = Canon::Undecodable, c.text = &d.error, c;
  if (d.none) return c.tag = Canon::None, c;
  if (d.exact) return c.tag = Canon::Exact, c;
  c.a = d.effective;
  if (kind == "tls"sv) return c.tag = Canon::Tls, c;
  if (kind == "size"sv) return c.tag = Canon::Size, c;
  if (kind == "module"sv) return c.tag = Canon::Module, c;
  if (kind == "page"sv) return c.tag = Canon::Page, c;
  if (kind == "piece"sv) {
    // Bits of an IFUNC symbol's stub (plus A): each loader places its stubs
    // its own way, so the bits agree when each loader's are its own stub's.
    if (const ReportSymbol* y = d.piece_mask && !rel.symbol_is_section && !rel.symbol.empty()
                                    ? memory.ifunc_named(rel.object, rel.symbol)
                                    : nullptr;
        y && ((y->address + u64(rel.addend)) & d.piece_mask) == d.effective)
      return c.tag = Canon::IfuncPiece, c.text = &y->name, c.a = u64(rel.addend), c.b = d.piece_mask, c;
    return c.tag = Canon::Piece, c;
  }
  if (kind == "got-base"sv) return c.tag = Canon::GotBase, c;
  // An address. Where the scenario fixes it (file sections, externals) the
  // number is the answer; inside a loader's own areas, name it relative to
  // what sits there. S (= effective - A, or the slot's contents) locates
  // the symbol.
  // (Through a GOT slot the effective target is S itself: no addend.)
  u64 base = d.through_got ? d.effective : d.effective - u64(rel.addend);
  // An IFUNC symbol's stub: each loader has its own, placed its own way.
  if (const ReportSymbol* y = memory.ifunc_at(base))
    return c.tag = Canon::Ifunc, c.text = &y->name, c.a = d.effective - base, c;
  const ReportSection* s = memory.section_at(base, 0, "common");
  // An unnamed IFUNC symbol is in no symbol list: its stub is known by the
  // resolver it leads to (which sits where the scenario put it).
  u64 resolver = 0;
  if (s && s->index < 0 && std::string_view(s->name) == "<ifunc stubs>"sv && ifunc_resolver(memory, base, resolver)) {
    c.tag = Canon::IfuncResolver, c.a = resolver, c.b = d.effective - base, c.flag = d.effective >= base;
    return c;
  }
  if (s && std::string_view(s->kind) == "common"sv) {
    for (const ReportSymbol& y : report.symbols)
      if (std::string_view(y.type) == "common"sv && base >= y.address && base - y.address <= y.size)
        return c.tag = Canon::CommonSymbol, c.text = &y.name, c.a = d.effective - y.address, c;
    return c.tag = Canon::CommonOffset, c.a = d.effective - s->address, c;
  }
  if (s && std::string_view(s->kind) == "got"sv && report.got_of(s->object)) {
    c.tag = Canon::Got, c.report = &report, c.object = s->object, c.a = d.effective - *report.got_of(s->object);
    return c;
  }
  if (s && std::string_view(s->kind) == "stubs"sv) {
    c.tag = Canon::Stub, c.report = &report, c.object = s->object, c.a = d.effective - s->address;
    return c;
  }
  return c;  // Address: the effective target itself
}

std::string render(const Canon& c) {
  switch (c.tag) {
    case Canon::Undecodable: return "<undecodable: " + *c.text + ">";
    case Canon::None: return "none";
    case Canon::Exact: return "exact";
    case Canon::Tls: return "tp" + signed_hex(i64(c.a));
    case Canon::Size: return "size " + hex(c.a);
    case Canon::Module: return "module " + std::to_string(c.a);
    case Canon::Page: return "page " + hex(c.a);
    case Canon::Piece: return "bits " + hex(c.a);
    case Canon::GotBase: return "GOT" + signed_hex(i64(c.a));
    case Canon::Ifunc: return "ifunc:" + *c.text + signed_hex(i64(c.a));
    case Canon::IfuncPiece: return "bits " + hex(c.b) + " of ifunc:" + *c.text + signed_hex(i64(c.a));
    case Canon::IfuncResolver: return "ifunc-resolver:" + hex(c.a) + (c.flag ? "+" : "") + signed_hex(i64(c.b));
    case Canon::CommonSymbol: return "common:" + *c.text + signed_hex(i64(c.a));
    case Canon::CommonOffset: return "common+" + hex(c.a);
    case Canon::Got: return c.report->member_prefix(c.object) + "GOT" + signed_hex(i64(c.a));
    case Canon::Stub: return c.report->member_prefix(c.object) + "stub+" + hex(c.a);
    case Canon::Address: return hex(c.a);
  }
  return "";
}

// Equal parts spell equal text (the converse need not hold: callers
// compare the text when the parts differ).
bool same_parts(const Canon& x, const Canon& y) {
  if (x.tag != y.tag || x.a != y.a || x.b != y.b || x.flag != y.flag) return false;
  if ((x.text == nullptr) != (y.text == nullptr) || (x.text && *x.text != *y.text)) return false;
  if (x.tag == Canon::Got || x.tag == Canon::Stub)
    return x.report->member_prefix(x.object) == y.report->member_prefix(y.object);
  return true;
}

}  // namespace

std::string canonical_target(const MemoryMap& memory, const ReportRelocation& rel, const DecodedField& d) {
  return render(canon(memory, rel, d));
}

bool same_canonical_target(const MemoryMap& lmem, const ReportRelocation& lrel, const DecodedField& ld,
                           const MemoryMap& rmem, const ReportRelocation& rrel, const DecodedField& rd) {
  Canon x = canon(lmem, lrel, ld), y = canon(rmem, rrel, rd);
  return same_parts(x, y) || render(x) == render(y);
}

std::string describe_field(const MemoryMap& memory, const ReportRelocation& rel, const DecodedField& d) {
  if (!d.ok) return "undecodable (" + d.error + ")";
  if (d.none) return "no field";
  if (d.exact) return "rewritten sequence";
  std::string out = hex(d.raw) + " -> " + canonical_target(memory, rel, d);
  if (d.through_stub) out += " via stub";
  if (d.through_got) out += " via GOT";
  return out;
}

}  // namespace jitload::conformance
