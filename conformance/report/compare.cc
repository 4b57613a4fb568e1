#include "conformance/report/compare.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

#include "conformance/report/decode.h"

namespace jitload::conformance {

std::string relocation_label(const ReportRelocation& r) {
  std::string out = r.type_name.empty() ? "type " + std::to_string(r.type) : r.type_name;
  if (!r.symbol.empty()) out += " '" + r.symbol + "'";
  if (r.addend) out += signed_hex(r.addend);
  return out;
}

std::string Difference::line(const std::string& left_name, const std::string& right_name) const {
  std::string out;
  if (!section.empty()) out += section + "+" + hex(offset) + " ";
  else out += what + " ";
  if (!relocation.empty()) out += relocation + " ";
  if (!out.empty()) out.back() = ':';
  out += " " + left_name + " " + left + "; " + right_name + " " + right;
  if (note) out = "(note) " + out;
  return out;
}

namespace {

std::string bytes_text(const ReportSection& s, u64 from, u64 count) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (u64 i = 0; i < count; i++) {
    u8 b = s.byte_at(from + i);
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

// Bytes [a, b) of two sections equal (a section's bytes may stop short of
// its size: the rest is zeros).
bool block_equal(const ReportSection& s, const ReportSection& t, u64 a, u64 b) {
  auto stored = [](const ReportSection& x, u64 k) { return std::min<u64>(x.bytes.size(), k); };
  u64 both = std::min(stored(s, b), stored(t, b));  // [a, both): in both vectors
  if (a < both && std::memcmp(s.bytes.data() + a, t.bytes.data() + a, both - a) != 0) return false;
  // Past `both`, at most one side has stored bytes; they must be zeros.
  const ReportSection& longer = s.bytes.size() > t.bytes.size() ? s : t;
  for (u64 k = std::max(a, both); k < stored(longer, b); k++)
    if (longer.bytes[k]) return false;
  return true;
}

using RelocationKey = std::tuple<u32, i64, u64, u32>;  // member, section, offset, type
using SectionKey = std::pair<u32, i64>;                  // member, section index

}  // namespace

Comparison compare_reports(const LoadReport& L, const LoadReport& R, const CompareOptions& options) {
  Comparison c;
  auto add = [&](Difference d) {
    if (!d.note) c.agree = false;
    c.differences.push_back(std::move(d));
  };

  // ---- outcome ----------------------------------------------------------
  if ((!L.loaded && L.error_kind == "memory") || (!R.loaded && R.error_kind == "memory")) {
    c.abstained = true;
    Difference d{"outcome", "", 0, "", outcome_line(L), outcome_line(R), true};
    add(d);
    return c;
  }
  if (L.loaded != R.loaded) {
    add(Difference{"outcome", "", 0, "", outcome_line(L), outcome_line(R), false});
    return c;
  }
  if (!L.loaded) {
    if (L.error_kind != R.error_kind)
      add(Difference{"outcome", "", 0, "", "rejected as " + L.error_kind, "rejected as " + R.error_kind, true});
    return c;
  }

  // ---- sections ---------------------------------------------------------
  // A set's members must be the same, in the same order.
  if (L.objects != R.objects) {
    std::string lo, ro;
    for (const std::string& o : L.objects) lo += (lo.empty() ? "" : " ") + o;
    for (const std::string& o : R.objects) ro += (ro.empty() ? "" : " ") + o;
    add(Difference{"objects", "", 0, "", "members [" + lo + "]", "members [" + ro + "]", false});
    return c;
  }
  // Section names in differences: "a.o:.text" for a member of a set.
  auto named = [&](u32 object, const std::string& name) { return L.member_prefix(object) + name; };

  // File sections present on both sides: a sorted vector, not a map (no
  // node allocation per section: this runs for every fuzz input both load).
  std::vector<SectionKey> right_has;
  auto both_have = [&](SectionKey k) { return std::binary_search(right_has.begin(), right_has.end(), k); };
  for (const ReportSection& s : L.sections) {
    if (s.index < 0) continue;
    const std::string sn = named(s.object, s.name);
    const ReportSection* t = R.file_section(s.object, s.index);
    if (!t) {
      if (s.size == 0) continue;
      add(Difference{"section", sn, 0, "", "loaded at " + hex(s.address), "not loaded",
                     options.right_may_omit_sections});
      continue;
    }
    right_has.push_back({s.object, s.index});
    if (s.name != t->name)
      add(Difference{"section", sn, 0, "", "named '" + s.name + "'", "named '" + t->name + "'", false});
    if (s.address != t->address)
      add(Difference{"section", sn, 0, "", "at " + hex(s.address), "at " + hex(t->address), false});
    if (s.size != t->size)
      add(Difference{"section", sn, 0, "", "size " + hex(s.size), "size " + hex(t->size), false});
    if (s.kind != t->kind)
      add(Difference{"section", sn, 0, "", "kind " + s.kind, "kind " + t->kind, true});
  }
  std::sort(right_has.begin(), right_has.end());
  for (const ReportSection& t : R.sections)
    if (t.index >= 0 && t.size && !L.file_section(t.object, t.index))
      add(Difference{"section", named(t.object, t.name), 0, "", "not loaded", "loaded at " + hex(t.address), false});

  // ---- relocations ------------------------------------------------------
  // The n-th left relocation with a key matches the n-th right one with
  // that key. When both lists have the same keys in the same order (nearly
  // always: both list them in file order) that is the one at the same
  // index; otherwise the right ones are sorted by key, then index.
  auto key_of_relocation = [](const ReportRelocation& x) {
    return RelocationKey{x.object, x.section_index, x.offset, x.type};
  };
  bool same_keys = L.relocations.size() == R.relocations.size();
  for (size_t i = 0; same_keys && i < L.relocations.size(); i++)
    same_keys = key_of_relocation(L.relocations[i]) == key_of_relocation(R.relocations[i]);
  std::vector<std::pair<RelocationKey, size_t>> right_sorted;  // (key, index), when !same_keys
  std::vector<size_t> used;                                     // per first entry of a key in right_sorted
  if (!same_keys) {
    right_sorted.reserve(R.relocations.size());
    for (size_t j = 0; j < R.relocations.size(); j++) right_sorted.push_back({key_of_relocation(R.relocations[j]), j});
    std::sort(right_sorted.begin(), right_sorted.end());
    used.assign(right_sorted.size(), 0);
  }
  MemoryMap lmem(L), rmem(R);
  std::vector<bool> right_matched(R.relocations.size(), false);
  // (section, [from, to)) of every relocated field; sorted by section below.
  std::vector<std::pair<SectionKey, std::pair<u64, u64>>> excluded;
  // The section's name in a difference, spelled only for one.
  for (size_t i = 0; i < L.relocations.size(); i++) {
    const ReportRelocation& rl = L.relocations[i];
    auto sn = [&] { return named(rl.object, rl.section); };
    size_t j = i;
    if (!same_keys) {
      RelocationKey key = key_of_relocation(rl);
      auto first = std::lower_bound(right_sorted.begin(), right_sorted.end(), std::pair<RelocationKey, size_t>{key, 0});
      size_t at = size_t(first - right_sorted.begin());
      size_t taken = at < used.size() ? used[at] : 0;
      if (at + taken >= right_sorted.size() || right_sorted[at + taken].first != key) {
        add(Difference{"relocation", sn(), rl.offset, relocation_label(rl), "present", "missing", false});
        continue;
      }
      used[at]++;
      j = right_sorted[at + taken].second;
    }
    right_matched[j] = true;
    const ReportRelocation& rr = R.relocations[j];
    if (rl.symbol != rr.symbol || rl.addend != rr.addend) {
      add(Difference{"relocation", sn(), rl.offset, relocation_label(rl), relocation_label(rl), relocation_label(rr),
                     false});
      continue;
    }
    if (!both_have({rl.object, rl.section_index})) continue;  // its section is missing: said above
    DecodedField dl = decode_field(lmem, rl, i ? &L.relocations[i - 1] : nullptr);
    DecodedField dr = decode_field(rmem, rr, j ? &R.relocations[j - 1] : nullptr);
    if (dl.ok && !dl.exact && !dl.none)
      excluded.push_back({{rl.object, rl.section_index}, {dl.field_offset, dl.field_offset + dl.width}});
    if (dr.ok && !dr.exact && !dr.none)
      excluded.push_back({{rr.object, rr.section_index}, {dr.field_offset, dr.field_offset + dr.width}});
    if (!same_canonical_target(lmem, rl, dl, rmem, rr, dr))
      add(Difference{"relocation", sn(), rl.offset, relocation_label(rl), describe_field(lmem, rl, dl),
                     describe_field(rmem, rr, dr), false});
  }
  for (size_t j = 0; j < R.relocations.size(); j++)
    if (!right_matched[j]) {
      const ReportRelocation& rr = R.relocations[j];
      add(Difference{"relocation", named(rr.object, rr.section), rr.offset, relocation_label(rr), "missing", "present",
                     false});
    }

  // ---- bytes outside relocated fields -------------------------------------
  if (!std::is_sorted(excluded.begin(), excluded.end())) std::sort(excluded.begin(), excluded.end());  // file order: nearly always sorted
  std::vector<std::pair<u64, u64>> skip;  // (reused: cleared per section)
  for (const ReportSection& s : L.sections) {
    if (s.index < 0 || !both_have({s.object, s.index})) continue;
    const ReportSection& t = *R.file_section(s.object, s.index);
    u64 n = s.size < t.size ? s.size : t.size;
    // The relocated fields, as sorted, merged [from, to) ranges within n.
    const SectionKey key{s.object, s.index};
    auto first = std::lower_bound(excluded.begin(), excluded.end(), key,
                                  [](const auto& e, const SectionKey& k) { return e.first < k; });
    auto last = std::upper_bound(first, excluded.end(), key,
                                 [](const SectionKey& k, const auto& e) { return k < e.first; });
    skip.clear();
    for (auto f = first; f != last; ++f) {
      auto [from, to] = f->second;
      if (from >= n || from >= to) continue;
      if (to > n) to = n;
      if (!skip.empty() && from <= skip.back().second) skip.back().second = std::max(skip.back().second, to);
      else skip.push_back({from, to});
    }
    int runs = 0;
    // The bytes between relocated fields, [a, b): equal as a block (the
    // common case, one memcmp), else run by run. A run of differing bytes
    // never crosses a field, so the runs are those of a byte-by-byte walk.
    auto compare_span = [&](u64 a, u64 b) {
      if (a >= b) return;
      if (block_equal(s, t, a, b)) return;
      u64 k = a;
      while (k < b) {
        if (s.byte_at(k) == t.byte_at(k)) {
          k++;
          continue;
        }
        u64 start = k;
        while (k < b && s.byte_at(k) != t.byte_at(k)) k++;
        if (++runs > 8) continue;  // counted below
        u64 len = k - start < 16 ? k - start : 16;
        std::string suffix = k - start > 16 ? "… (" + std::to_string(k - start) + " bytes)" : "";
        add(Difference{"bytes", named(s.object, s.name), start, "", bytes_text(s, start, len) + suffix,
                       bytes_text(t, start, len) + suffix, false});
      }
    };
    u64 at = 0;
    for (const auto& [from, to] : skip) {
      compare_span(at, from);
      at = to;
    }
    compare_span(at, n);
    if (runs > 8)
      add(Difference{"bytes", named(s.object, s.name), 0, "", std::to_string(runs - 8) + " more differing runs", "",
                     false});
  }

  // ---- symbols ------------------------------------------------------------
  auto section_missing_right = [&](const ReportSymbol& y) {
    return y.section_index >= 0 && y.section != "<common symbols>" && !both_have({y.object, y.section_index});
  };
  // Symbols are compared member by member; locals are told apart by
  // section; IFUNC symbols sit in their loader's own stub area, whatever
  // their section says.
  // The right side's symbols sorted by key (then list order), matched n-th
  // to n-th; keys refer to the reports' strings rather than copying them.
  using SymbolKey = std::tuple<u32, const std::string&, const std::string&>;
  static const std::string kNoSection;
  auto key_of = [](const ReportSymbol& y) {
    return SymbolKey{y.object, y.name, y.binding == "local" && y.type != "ifunc" ? y.section : kNoSection};
  };
  // One matched pair: the same symbol on both sides.
  auto compare_symbol = [&](const ReportSymbol& y, const ReportSymbol& z) {
    // Common symbols sit in the loader's own block: compared by their
    // offset in it (the block itself may be placed differently).
    u64 ya = y.address, za = z.address;
    if (y.section == "<common symbols>" && z.section == y.section) {
      const ReportSection* lb = lmem.section_at(ya, 0, "common");
      const ReportSection* rb = rmem.section_at(za, 0, "common");
      if (lb && rb && lb->kind == "common" && rb->kind == "common") ya -= lb->address, za -= rb->address;
    }
    // An IFUNC symbol's address is its loader's own stub: not comparable.
    bool ifunc = y.type == "ifunc" && z.type == "ifunc";
    if (!ifunc && (ya != za || y.section != z.section))
      add(Difference{"symbol", "", 0, "", "'" + named(y.object, y.name) + "' at " + y.section + " " + hex(y.address),
                     "'" + named(z.object, z.name) + "' at " + z.section + " " + hex(z.address), false});
    if (y.binding != z.binding)
      add(Difference{"symbol", "", 0, "", "'" + named(y.object, y.name) + "' " + y.binding,
                     "'" + named(z.object, z.name) + "' " + z.binding, false});
  };
  // Both lists with the same keys in the same order (the usual case): the
  // n-th of a key on the left is the n-th on the right at the same index,
  // and nothing is left over.
  bool same_symbol_keys = L.symbols.size() == R.symbols.size();
  for (size_t i = 0; same_symbol_keys && i < L.symbols.size(); i++)
    same_symbol_keys = key_of(L.symbols[i]) == key_of(R.symbols[i]);
  if (same_symbol_keys) {
    for (size_t i = 0; i < L.symbols.size(); i++) compare_symbol(L.symbols[i], R.symbols[i]);
  } else {
    std::vector<const ReportSymbol*> right_syms;  // sorted by key, stable
    right_syms.reserve(R.symbols.size());
    for (const ReportSymbol& y : R.symbols) right_syms.push_back(&y);
    std::stable_sort(right_syms.begin(), right_syms.end(),
                     [&](const ReportSymbol* a, const ReportSymbol* b) { return key_of(*a) < key_of(*b); });
    std::vector<size_t> taken(right_syms.size(), 0);  // per first entry of a key
    for (const ReportSymbol& y : L.symbols) {
      SymbolKey key = key_of(y);
      auto first = std::lower_bound(right_syms.begin(), right_syms.end(), key,
                                    [&](const ReportSymbol* a, const SymbolKey& k) { return key_of(*a) < k; });
      size_t at = size_t(first - right_syms.begin());
      size_t n = at < taken.size() ? taken[at] : 0;
      if (at + n >= right_syms.size() || key_of(*right_syms[at + n]) != key) {
        bool omitted = options.right_may_omit_sections && section_missing_right(y);
        add(Difference{"symbol", "", 0, "", "'" + named(y.object, y.name) + "' at " + hex(y.address),
                       "'" + named(y.object, y.name) + "' missing", omitted});
        continue;
      }
      taken[at]++;
      compare_symbol(y, *right_syms[at + n]);
    }
    // Unmatched right symbols, in key order: each key's group after the ones taken.
    for (size_t at = 0; at < right_syms.size();) {
      size_t end = at + 1;
      while (end < right_syms.size() && key_of(*right_syms[end]) == key_of(*right_syms[at])) end++;
      for (size_t k = at + taken[at]; k < end; k++)
        add(Difference{"symbol", "", 0, "", "'" + named(right_syms[k]->object, right_syms[k]->name) + "' missing",
                       "'" + named(right_syms[k]->object, right_syms[k]->name) + "' at " + hex(right_syms[k]->address),
                       false});
      at = end;
    }
  }

  // ---- Mach-O compact unwind entries (when both loaders record them) -------
  if (L.records_unwind && R.records_unwind) {
    auto text = [&](const LoadReport& r, size_t k) {
      if (k >= r.compact_unwind.size()) return std::string("(none)");
      const ReportUnwind& u = r.compact_unwind[k];
      std::string t = r.member_prefix(u.object) + u.section + "+" + hex(u.offset) + " at " + hex(u.function) + " length " +
                      hex(u.length) + " encoding " + hex(u.encoding);
      // A reference bound by name is compared by its name: its address is
      // whatever the scenario binds (the engine knows it only when some
      // loaded relocation also names it).
      if (!u.personality_symbol.empty()) t += " personality '" + u.personality_symbol + "'";
      else if (u.personality) t += " personality " + hex(u.personality);
      if (!u.lsda_symbol.empty()) t += " lsda '" + u.lsda_symbol + "'";
      else if (u.lsda) t += " lsda " + hex(u.lsda);
      return t;
    };
    for (size_t k = 0; k < std::max(L.compact_unwind.size(), R.compact_unwind.size()); k++)
      if (text(L, k) != text(R, k))
        add(Difference{"compact unwind entry " + std::to_string(k), "", 0, "", text(L, k), text(R, k), false});
  }

  // ---- a set's bindings: listed first, they say the most --------------------
  if (L.is_set()) {
    std::map<std::string, std::pair<std::string, std::string>> targets;
    for (const ReportBinding& b : L.bindings) targets[b.name].first = b.target;
    for (const ReportBinding& b : R.bindings) targets[b.name].second = b.target;
    std::vector<Difference> first;
    for (const auto& [name, t] : targets)
      if (t.first != t.second)
        first.push_back(Difference{"binding", "", 0, "", "'" + name + "' -> " + (t.first.empty() ? "(no reference)" : t.first),
                                   "'" + name + "' -> " + (t.second.empty() ? "(no reference)" : t.second), false});
    if (!first.empty()) {
      c.agree = false;
      c.differences.insert(c.differences.begin(), first.begin(), first.end());
    }
  }
  return c;
}

void compute_bindings(LoadReport& r) {
  r.bindings.clear();
  if (!r.loaded) return;
  MemoryMap memory(r);
  // Where an address is, in the set's words.
  // (Indexed: a set of large objects has tens of thousands of relocations.)
  std::vector<const ReportSection*> tls_sections;
  for (const ReportSection& sec : r.sections)
    if (sec.is_tls()) tls_sections.push_back(&sec);
  std::set<std::pair<u32, std::string>> locals;
  for (const ReportSymbol& y : r.symbols)
    if (y.binding == "local") locals.insert({y.object, y.name});
  auto where = [&](u64 s, bool tls) -> std::string {
    std::vector<const ReportSection*> candidates = tls_sections;
    if (!tls) {
      candidates.clear();
      if (const ReportSection* sec = memory.section_at(s, 1, "common")) candidates.push_back(sec);
    }
    for (const ReportSection* p : candidates) {
      const ReportSection& sec = *p;
      if (sec.size == 0 || s < sec.address || s - sec.address >= sec.size) continue;
      if (sec.kind == "common") {
        for (const ReportSymbol& y : r.symbols)
          if (y.type == "common" && s >= y.address && s - y.address < (y.size ? y.size : 1))
            return "common " + y.name + signed_hex(i64(s - y.address));
        return "common+" + hex(s - sec.address);
      }
      return std::string(tls ? "tls " : "") + r.member_prefix(sec.object) + sec.name + "+" + hex(s - sec.address);
    }
    if (tls) return "tls " + signed_hex(i64(s));
    return s == 0 ? "0" : "external " + hex(s);
  };
  std::map<std::string, std::pair<std::vector<std::string>, u64>> seen;  // name -> targets, references
  for (size_t i = 0; i < r.relocations.size(); i++) {
    const ReportRelocation& x = r.relocations[i];
    if (x.symbol_is_section || x.symbol.empty()) continue;
    // A name the member defines locally is that member's own business.
    if (locals.count({x.object, x.symbol})) continue;
    DecodedField d = decode_field(memory, x, i ? &r.relocations[i - 1] : nullptr);
    std::string target;
    if (!d.ok) {
      target = "<undecodable: " + d.error + ">";
    } else if (d.none || d.exact || (d.kind != "addr" && d.kind != "tls")) {
      continue;  // no address to compare (a rewritten TLS sequence, a size, a module id)
    } else if (d.kind == "tls") {
      // The thread-pointer offset of S: effective - A for direct forms; a
      // GOT slot or a rewritten initial-exec sequence holds S itself.
      target = where(d.symbol_only ? d.effective : d.effective - u64(x.addend), true);
    } else {
      u64 s = d.symbol_only ? d.effective : d.effective - u64(x.addend);
      if (const ReportSymbol* y = memory.ifunc_at(s)) target = "ifunc " + r.member_prefix(y->object) + y->name;
      else target = where(s, false);
    }
    auto& [targets, count] = seen[x.symbol];
    count++;
    if (std::find(targets.begin(), targets.end(), target) == targets.end()) targets.push_back(target);
  }
  for (auto& [name, entry] : seen) {
    ReportBinding b;
    b.name = name;
    std::sort(entry.first.begin(), entry.first.end());
    for (const std::string& t : entry.first) b.target += (b.target.empty() ? "" : " | ") + t;
    b.references = entry.second;
    r.bindings.push_back(std::move(b));
  }
}

std::string render_comparison(const LoadReport& L, const LoadReport& R, const Comparison& c, size_t limit) {
  std::string out;
  size_t shown = 0, hidden = 0;
  for (const Difference& d : c.differences) {
    if (shown >= limit) {
      hidden++;
      continue;
    }
    out += "  " + d.line(L.loader, R.loader) + "\n";
    shown++;
  }
  if (hidden) out += "  … and " + std::to_string(hidden) + " more\n";
  return out;
}

}  // namespace jitload::conformance
