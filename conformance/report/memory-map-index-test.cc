// MemoryMap's relocation and symbol indexes (decode.h), which the RISC-V
// and LoongArch decoders use to pair a relocation with another: each lookup
// must answer exactly what a walk of the whole report answers (the walk the
// index replaced, which made comparing a large object quadratic). Checked
// against that walk on random reports with many collisions.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "conformance/report/decode.h"

namespace jitload::conformance {
namespace {

LoadReport random_report(std::mt19937& rng) {
  LoadReport r;
  r.triple = "loongarch64-unknown-linux-gnu";
  for (u32 object = 0; object < 2; object++)
    for (i64 index = 1; index <= 3; index++) {
      ReportSection s;
      s.name = ".s" + std::to_string(index);
      s.index = index;
      s.kind = "code";
      s.address = 0x10000 * (index + 4 * object);
      s.size = 0x100;
      s.object = object;
      r.sections.push_back(s);
    }
  auto pick = [&](u32 n) { return u32(rng() % n); };
  for (int k = 0; k < 400; k++) {
    ReportRelocation o;
    o.object = pick(2);
    o.section_index = i64(pick(4));  // 0: a section the report does not list
    o.offset = 4 * pick(16);
    o.type = 70 + pick(3);
    o.symbol = "y" + std::to_string(pick(3));
    o.addend = i64(pick(2));
    r.relocations.push_back(o);
  }
  for (int k = 0; k < 100; k++) {
    ReportSymbol y;
    y.object = pick(2);
    y.section_index = i64(1 + pick(3));
    y.address = 0x10000 * (y.section_index + 4 * y.object) + 4 * pick(8);
    y.name = "y" + std::to_string(pick(6));
    r.symbols.push_back(y);
  }
  return r;
}

// The walks the index replaced, as the decoders wrote them.
bool walk_partner(const LoadReport& r, const ReportRelocation& like, u32 type, u64 from, bool after, bool exact,
                  u64& at) {
  const ReportSection* sec = r.file_section(like.object, like.section_index);
  bool found = false;
  u64 best = 0;
  for (const ReportRelocation& o : r.relocations) {
    if (o.object != like.object || o.section_index != like.section_index || o.type != type ||
        o.symbol != like.symbol || o.addend != like.addend)
      continue;
    const u64 a = sec->address + o.offset;
    if (exact) {
      if (a != from) continue;
      at = a;
      return true;
    }
    if (after ? a <= from : a >= from) continue;
    if (!found || (after ? a < best : a > best)) best = a, found = true;
  }
  if (found) at = best;
  return found;
}

TEST(MemoryMapIndex, AnswersAsAWalkOfTheReport) {
  std::mt19937 rng(18);
  for (int round = 0; round < 20; round++) {
    const LoadReport r = random_report(rng);
    const MemoryMap m(r);
    int found = 0;
    for (const ReportRelocation& like : r.relocations) {
      const ReportSection* sec = r.file_section(like.object, like.section_index);
      if (!sec) continue;
      for (u32 type = 70; type < 73; type++)
        for (u64 from = sec->address - 4; from <= sec->address + 0x44; from += 4)
          for (int mode = 0; mode < 3; mode++) {
            u64 want = 0, got = 0;
            const bool w = walk_partner(r, like, type, from, mode == 0, mode == 2, want);
            const bool g = m.partner_of(like, type, from, mode == 0, mode == 2, got);
            ASSERT_EQ(w, g) << "type " << type << " from " << from << " mode " << mode;
            if (w) {
              ASSERT_EQ(want, got);
              found++;
            }
          }
    }
    EXPECT_GT(found, 1000);  // the random reports do pair
    // relocations_at: every relocation of a listed section at that address, in report order.
    for (const ReportSection& s : r.sections)
      for (u64 off = 0; off < 0x44; off += 4) {
        std::vector<u32> want;
        for (u32 k = 0; k < r.relocations.size(); k++) {
          const ReportRelocation& o = r.relocations[k];
          const ReportSection* os = r.file_section(o.object, o.section_index);
          if (o.object == s.object && os && os->address + o.offset == s.address + off) want.push_back(k);
        }
        std::span<const u32> got = m.relocations_at(s.object, s.address + off);
        EXPECT_EQ(want, std::vector<u32>(got.begin(), got.end()));
      }
    for (u32 object = 0; object < 3; object++)
      for (int n = 0; n < 7; n++) {
        const std::string name = "y" + std::to_string(n);
        std::vector<u32> want_rel, want_sym;
        for (u32 k = 0; k < r.relocations.size(); k++)
          if (r.relocations[k].object == object && r.relocations[k].symbol == name) want_rel.push_back(k);
        for (u32 k = 0; k < r.symbols.size(); k++)
          if (r.symbols[k].object == object && r.symbols[k].name == name) want_sym.push_back(k);
        std::span<const u32> rel = m.relocations_naming(object, name);
        std::span<const u32> sym = m.symbols_named(object, name);
        EXPECT_EQ(want_rel, std::vector<u32>(rel.begin(), rel.end()));
        EXPECT_EQ(want_sym, std::vector<u32>(sym.begin(), sym.end()));
      }
    for (const ReportSection& s : r.sections)
      for (u64 off = 0; off < 0x24; off += 4) {
        std::vector<u32> want;
        for (u32 k = 0; k < r.symbols.size(); k++)
          if (r.symbols[k].object == s.object && r.symbols[k].section_index == s.index &&
              r.symbols[k].address == s.address + off)
            want.push_back(k);
        std::span<const u32> got = m.symbols_at(s.object, s.index, s.address + off);
        EXPECT_EQ(want, std::vector<u32>(got.begin(), got.end()));
      }
  }
}

}  // namespace
}  // namespace jitload::conformance
