// The LoadReport, its JSON form and the comparison: the engine and the
// reference agree on real programs compiled now by clang-19, and the
// comparison demonstrably fails when one side is wrong — a relocated field
// off by one, a GOT slot pointing elsewhere, a byte outside any field, a
// rejection on one side only — naming the section and offset.
#include <cstdio>
#include <gtest/gtest.h>

#include "conformance/elf/elf-view.h"
#include "conformance/report/compare.h"
#include "conformance/report/decode.h"
#include "conformance/report/json.h"
#include "conformance/report/loaders.h"
#include "conformance/report/test-programs.h"

namespace jitload::conformance {
namespace {

using testing::compile;
using testing::source_for;
using testing::Variant;
using testing::variants;

struct Pair {
  LoadReport engine, reference;
};

Pair load_both(const std::vector<u8>& bytes, const LoadScenario& s = LoadScenario()) {
  return Pair{run_engine(bytes, "p.o", s), run_reference(bytes, "p.o", s)};
}

std::vector<u8> program(const Variant& v) {
  std::vector<u8> bytes = compile(source_for(v), v);
  EXPECT_FALSE(bytes.empty()) << "clang-19 failed on " << v.flags;
  return bytes;
}

std::string all_lines(const Comparison& c) {
  std::string out;
  for (const Difference& d : c.differences) out += d.line("left", "right") + "\n";
  return out;
}

// How many relocations the comparison decoded to a target (not "none" or
// a rewritten sequence): proof that it looked at something.
int decoded_targets(const LoadReport& r) {
  int n = 0;
  for (size_t k = 0; k < r.relocations.size(); k++) {
    DecodedField d = decode_field(r, r.relocations[k], k ? &r.relocations[k - 1] : nullptr);
    n += d.ok && !d.none && !d.exact;
  }
  return n;
}

// hex() and signed_hex() are written by hand (they spell every decoded
// target in the comparison): the same text as printf's "0x%llx".
TEST(ReportHex, SpellsWhatPrintfSpells) {
  for (u64 v : {u64(0), u64(1), u64(0xf), u64(0x10), u64(0xdeadbeef), u64(0x7fffffffffffffff),
                u64(0x8000000000000000), ~u64(0)}) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
    EXPECT_EQ(hex(v), buf);
    i64 sv = i64(v);
    if (sv < 0) std::snprintf(buf, sizeof buf, "-0x%llx", (unsigned long long)(0 - v));
    EXPECT_EQ(signed_hex(sv), buf);
  }
}

TEST(Agreement, EngineAndReferenceOnCompiledPrograms) {
  for (const Variant& v : variants()) {
    std::vector<u8> bytes = program(v);
    if (bytes.empty()) continue;
    Pair p = load_both(bytes);
    ASSERT_TRUE(p.reference.loaded) << v.flags << ": " << p.reference.error_message;
    Comparison c = compare_reports(p.engine, p.reference);
    EXPECT_TRUE(c.agree) << v.language << " " << v.flags << "\n" << all_lines(c);
    EXPECT_GT(decoded_targets(p.reference), 10) << v.flags;
  }
}

TEST(Agreement, EngineAndReferenceWithFarExternals) {
  // Externals 127 TiB away: calls go through stubs, GOT slots hold far
  // addresses; non-PIC code overflows, and both must say so.
  LoadScenario s;
  s.extern_base = 0x7f0000000000;
  s.externals = {{"tls_extern", u64(-16)}};  // its "address" is a thread-pointer offset
  int through_stubs = 0, rejected = 0;
  for (const Variant& v : variants()) {
    std::vector<u8> bytes = program(v);
    if (bytes.empty()) continue;
    Pair p = load_both(bytes, s);
    Comparison c = compare_reports(p.engine, p.reference);
    EXPECT_TRUE(c.agree) << v.language << " " << v.flags << "\n" << all_lines(c);
    if (!p.reference.loaded) {
      rejected++;
      EXPECT_EQ(p.reference.error_kind, "overflow") << p.reference.error_message;
      continue;
    }
    for (const ReportRelocation& r : p.reference.relocations) through_stubs += r.via == "stub";
  }
  EXPECT_GT(through_stubs, 0);
  EXPECT_GT(rejected, 0);
}

TEST(Agreement, IfuncReferencesReachOneStubPerSymbol) {
  for (const char* flags : {"-fPIC", "-fno-pic"}) {
    std::vector<u8> bytes = compile(testing::kProgramIfunc, Variant{"assembler", flags});
    ASSERT_FALSE(bytes.empty()) << flags;
    Pair p = load_both(bytes);
    ASSERT_TRUE(p.reference.loaded) << flags << ": " << p.reference.error_message;
    Comparison c = compare_reports(p.engine, p.reference);
    EXPECT_TRUE(c.agree) << flags << "\n" << all_lines(c);
    // The comparison did see the IFUNC stubs: targets spelled "ifunc:".
    MemoryMap memory(p.reference);
    int through_ifunc = 0;
    for (size_t k = 0; k < p.reference.relocations.size(); k++) {
      const ReportRelocation& x = p.reference.relocations[k];
      DecodedField d = decode_field(memory, x, k ? &p.reference.relocations[k - 1] : nullptr);
      through_ifunc += canonical_target(memory, x, d).rfind("ifunc:", 0) == 0;
    }
    EXPECT_GE(through_ifunc, 6) << flags;  // 2 calls, lea, GOT slot, 2 pointers
  }
}

// An IFUNC symbol may have no name (gABI: st_name 0), so no symbol list
// says whose stub a field reaches: the comparison follows each loader's
// stub to its resolver instead (found by AFL++: fields reaching the two
// loaders' stubs compared as different addresses).
TEST(Agreement, UnnamedIfuncStubsAreKnownByTheirResolver) {
  std::vector<u8> bytes = compile(".text\n .type i1, @gnu_indirect_function\ni1: ret\n"
                                  " .type i2, @gnu_indirect_function\ni2: ret\n .data\n .quad i1\n .quad i2\n",
                                  Variant{"assembler", "-c"});
  ASSERT_FALSE(bytes.empty());
  u64 unnamed = 0;
  auto view = elfview::View::open(bytes);
  ASSERT_TRUE(view);
  const elfview::Layout& l = view->layout();
  for (const elfview::Section& h : view->sections()) {
    if (h.type != 2) continue;  // SHT_SYMTAB
    for (u64 at = h.offset + l.sym_size; at + l.sym_size <= h.offset + h.size; at += l.sym_size)
      if ((bytes[at + l.st_info] & 0xf) == 10) {  // STT_GNU_IFUNC: drop its name
        for (int k = 0; k < 4; k++) bytes[at + l.st_name + k] = 0;
        unnamed++;
      }
  }
  ASSERT_EQ(unnamed, 2u);
  Pair p = load_both(bytes);
  ASSERT_TRUE(p.reference.loaded) << p.reference.error_message;
  Comparison c = compare_reports(p.engine, p.reference);
  EXPECT_TRUE(c.agree) << all_lines(c);
  const ReportSection* text = nullptr;
  for (const ReportSection& sec : p.reference.sections) text = sec.name == ".text" ? &sec : text;
  ASSERT_TRUE(text);
  for (const LoadReport* r : {&p.engine, &p.reference}) {
    MemoryMap memory(*r);
    ASSERT_EQ(r->relocations.size(), 2u);
    for (u64 k = 0; k < 2; k++) {
      const ReportRelocation& x = r->relocations[k];
      EXPECT_EQ(canonical_target(memory, x, decode_field(memory, x, nullptr)),
                "ifunc-resolver:" + hex(text->address + k) + "+0x0")
          << r->loader;
    }
  }
}

TEST(Json, RoundTripKeepsEverything) {
  std::vector<u8> bytes = program(variants()[3]);  // -O2 -fPIC: TLS rewrites, GOT, stubs
  LoadReport r = run_reference(bytes, "p.o", LoadScenario());
  ASSERT_TRUE(r.loaded);
  LoadReport back;
  std::string error;
  ASSERT_TRUE(report_from_json(report_to_json(r), back, error)) << error;
  EXPECT_TRUE(compare_reports(r, back).agree);
  ASSERT_EQ(back.sections.size(), r.sections.size());
  for (size_t i = 0; i < r.sections.size(); i++) {
    EXPECT_EQ(back.sections[i].name, r.sections[i].name);
    EXPECT_EQ(back.sections[i].address, r.sections[i].address);
    EXPECT_EQ(back.sections[i].size, r.sections[i].size);
    for (u64 k = 0; k < r.sections[i].size; k++) ASSERT_EQ(back.sections[i].byte_at(k), r.sections[i].byte_at(k));
  }
  ASSERT_EQ(back.relocations.size(), r.relocations.size());
  for (size_t i = 0; i < r.relocations.size(); i++) {
    EXPECT_EQ(back.relocations[i].addend, r.relocations[i].addend);
    EXPECT_EQ(back.relocations[i].value, r.relocations[i].value);
    EXPECT_EQ(back.relocations[i].effective, r.relocations[i].effective);
    EXPECT_EQ(back.relocations[i].type_name, r.relocations[i].type_name);
  }
  EXPECT_EQ(back.got_address, r.got_address);
  // A rejection round-trips too.
  LoadReport no = LoadReport::rejected("engine", "x.o", "overflow", "x.o:(.text+0x1): out of range", 0x2a0);
  ASSERT_TRUE(report_from_json(report_to_json(no), back, error)) << error;
  EXPECT_FALSE(back.loaded);
  EXPECT_EQ(back.error_kind, "overflow");
  EXPECT_EQ(back.error_offset, u64(0x2a0));
}

TEST(Json, RejectsWhatIsNotAReport) {
  LoadReport r;
  std::string error;
  for (const char* bad : {"", "{", "[]", "{\"schema\": \"other\"}", "{\"schema\": \"jitload-load-report/1\"}",
                          "{\"schema\": \"jitload-load-report/1\", \"outcome\": {\"status\": \"loaded\"}, "
                          "\"sections\": [{\"name\": \"x\", \"index\": 1, \"address\": \"0x0\", \"size\": 1, "
                          "\"align\": 1, \"bytes\": \"zz\"}]}"}) {
    EXPECT_FALSE(report_from_json(bad, r, error)) << bad;
    EXPECT_FALSE(error.empty());
  }
  std::string deep(200, '[');
  Json j;
  EXPECT_FALSE(parse_json(deep, j, error));
  // Byte strings survive the round trip, bytes >= 0x80 included.
  ASSERT_TRUE(parse_json(json_quote(std::string("a\x01\xff\"\\", 5)), j, error)) << error;
  EXPECT_EQ(j.text, std::string("a\x01\xff\"\\", 5));
}

// The first relocation of `type` in the report, by index.
int find_relocation(const LoadReport& r, u32 type) {
  for (size_t k = 0; k < r.relocations.size(); k++)
    if (r.relocations[k].type == type && r.relocations[k].status == "applied") return int(k);
  return -1;
}

ReportSection& section_of(LoadReport& r, const ReportRelocation& x) {
  for (ReportSection& s : r.sections)
    if (s.index == x.section_index) return s;
  static ReportSection none;
  return none;
}

bool names(const Comparison& c, const ReportRelocation& x) {
  for (const Difference& d : c.differences)
    if (d.what == "relocation" && d.section == x.section && d.offset == x.offset &&
        d.relocation.find(x.type_name) != std::string::npos &&
        d.line("engine", "reference").find(x.section + "+" + hex(x.offset)) != std::string::npos)
      return true;
  return false;
}

TEST(Comparison, CatchesAWrongRelocationValueOnEitherSide) {
  std::vector<u8> bytes = program(variants()[3]);
  Pair p = load_both(bytes);
  ASSERT_TRUE(compare_reports(p.engine, p.reference).agree);
  for (u32 type : {2u /* PC32 */, 4u /* PLT32 */, 1u /* 64 */, 42u /* REX_GOTPCRELX */}) {
    for (int side = 0; side < 2; side++) {
      Pair q = p;
      LoadReport& victim = side ? q.reference : q.engine;
      int k = find_relocation(victim, type);
      ASSERT_GE(k, 0) << "no relocation of type " << type;
      const ReportRelocation& x = victim.relocations[size_t(k)];
      ReportSection& s = section_of(victim, x);
      ASSERT_LT(x.offset, s.bytes.size());
      s.bytes[x.offset] ^= 0x01;  // the field's low byte, off by one
      Comparison c = compare_reports(q.engine, q.reference);
      EXPECT_FALSE(c.agree) << x.type_name;
      EXPECT_TRUE(names(c, x)) << x.type_name << " at " << x.section << "+" << hex(x.offset) << "\n" << all_lines(c);
    }
  }
}

TEST(Comparison, GotAndStubsAreComparedByWhatTheyPointAt) {
  LoadScenario far;
  far.extern_base = 0x7f0000000000;
  far.externals = {{"tls_extern", u64(-16)}};
  std::vector<u8> bytes = program(variants()[3]);
  Pair p = load_both(bytes, far);
  ASSERT_TRUE(compare_reports(p.engine, p.reference).agree);
  // Move the engine's GOT 64 KiB up and fix every GOT-relative field: the
  // layout differs, the meaning does not — they must still agree.
  LoadReport moved = p.engine;
  ReportSection* got = nullptr;
  for (ReportSection& s : moved.sections)
    if (s.kind == "got") got = &s;
  ASSERT_TRUE(got);
  got->address += 0x10000;
  *moved.got_address += 0x10000;
  int fixed = 0;
  for (const ReportRelocation& x : moved.relocations) {
    if (x.type != 9 && x.type != 41 && x.type != 42) continue;  // GOTPCREL(X)
    ReportSection& s = section_of(moved, x);
    u32 field = 0;
    for (int i = 0; i < 4; i++) field |= u32(s.bytes[x.offset + i]) << (8 * i);
    field += 0x10000;
    for (int i = 0; i < 4; i++) s.bytes[x.offset + i] = u8(field >> (8 * i));
    fixed++;
  }
  ASSERT_GT(fixed, 0);
  Comparison c = compare_reports(moved, p.reference);
  EXPECT_TRUE(c.agree) << all_lines(c);
  // Now a GOT slot pointing elsewhere: caught at the relocation using it.
  int k = find_relocation(moved, 42);
  ASSERT_GE(k, 0);
  const ReportRelocation& x = moved.relocations[size_t(k)];
  DecodedField d = decode_field(moved, x, nullptr);
  ASSERT_TRUE(d.ok && d.through_got);
  for (ReportSection& s : moved.sections)
    if (s.kind == "got")
      for (u64 off = 0; off + 8 <= s.size; off += 8) {
        u64 v = 0;
        for (int i = 0; i < 8; i++) v |= u64(s.bytes[off + i]) << (8 * i);
        if (v == d.effective) s.bytes[off] ^= 0x10;
      }
  c = compare_reports(moved, p.reference);
  EXPECT_FALSE(c.agree);
  EXPECT_TRUE(names(c, x)) << all_lines(c);
  // A stub jumping elsewhere: caught at a call through it.
  LoadReport stubbed = p.engine;
  int call = -1;
  for (size_t i = 0; i < stubbed.relocations.size(); i++)
    if (stubbed.relocations[i].via == "stub") call = int(i);
  ASSERT_GE(call, 0);
  for (ReportSection& s : stubbed.sections)
    if (s.kind == "stubs")
      for (u64 off = 6; off < s.size; off += 16) s.bytes[off] ^= 0x40;
  c = compare_reports(stubbed, p.reference);
  EXPECT_FALSE(c.agree);
  EXPECT_TRUE(names(c, stubbed.relocations[size_t(call)])) << all_lines(c);
}

TEST(Comparison, CatchesAByteOutsideAnyField) {
  Pair p = load_both(program(variants()[1]));
  ReportSection* text = nullptr;
  for (ReportSection& s : p.engine.sections)
    if (s.name == ".text") text = &s;
  ASSERT_TRUE(text && text->size > 0);
  text->bytes[0] ^= 0xff;  // the first byte of main's prologue: no relocation there
  Comparison c = compare_reports(p.engine, p.reference);
  EXPECT_FALSE(c.agree);
  bool found = false;
  for (const Difference& d : c.differences) found |= d.what == "bytes" && d.section == ".text" && d.offset == 0;
  EXPECT_TRUE(found) << all_lines(c);
}

TEST(Comparison, CatchesARejectionOnOneSideOnly) {
  Pair p = load_both(program(variants()[0]));
  LoadReport no = LoadReport::rejected("engine", "p.o", "overflow", "p.o:(.text+0x1a): relocation R_X86_64_32 out of range");
  Comparison c = compare_reports(no, p.reference);
  EXPECT_FALSE(c.agree);
  ASSERT_FALSE(c.differences.empty());
  EXPECT_EQ(c.differences[0].what, "outcome");
  EXPECT_NE(c.differences[0].line("engine", "reference").find("rejected (overflow)"), std::string::npos);
  c = compare_reports(p.reference, no);
  EXPECT_FALSE(c.agree);
  // Both rejecting agree, whatever the kinds (a different kind is a note).
  LoadReport other = LoadReport::rejected("reference", "p.o", "malformed", "p.o: bad");
  c = compare_reports(no, other);
  EXPECT_TRUE(c.agree);
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_TRUE(c.differences[0].note);
  // A refusal for size makes the comparison abstain, not agree.
  LoadReport big = LoadReport::rejected("reference", "p.o", "memory", "p.o: too big");
  c = compare_reports(p.engine, big);
  EXPECT_TRUE(c.abstained);
}

TEST(Comparison, RealRejectionsOfACorruptedObjectAgree) {
  std::vector<u8> bytes = program(variants()[2]);
  // Corrupt the type of the first relocation of the first RELA table.
  auto view = elfview::View::open(bytes);
  ASSERT_TRUE(view);
  for (const elfview::Section& h : view->sections()) {
    if (h.type != 4) continue;  // SHT_RELA
    ASSERT_GE(h.size, view->layout().rela_size);
    bytes[h.offset + view->layout().r_info] = 200;  // the type's low byte (ELF64 LE)
    break;
  }
  Pair p = load_both(bytes);
  EXPECT_FALSE(p.engine.loaded);
  EXPECT_FALSE(p.reference.loaded);
  EXPECT_EQ(p.engine.error_kind, "unsupported");
  EXPECT_EQ(p.reference.error_kind, "unsupported");
  EXPECT_EQ(p.engine.error_offset, p.reference.error_offset);
  EXPECT_TRUE(compare_reports(p.engine, p.reference).agree);
}

}  // namespace
}  // namespace jitload::conformance
