// A LoadReport over a set of objects (report.h, "A set of objects"): its
// JSON form, the comparison keyed by member with bindings first, and the
// engine and the reference on real sets compiled now by clang-19 — a weak
// and a strong definition in either order, commons of several sizes, a
// duplicate strong definition — where both must bind every reference to
// the one definition a static link chooses.
#include <gtest/gtest.h>

#include "conformance/report/compare.h"
#include "conformance/report/layout.h"
#include "conformance/report/loaders.h"
#include "conformance/report/test-programs.h"

namespace jitload::conformance {
namespace {

using testing::compile;
using testing::Variant;

struct Member {
  std::string name;
  std::vector<u8> bytes;
};

std::vector<SetMember> view(const std::vector<Member>& members) {
  std::vector<SetMember> out;
  for (const Member& m : members) out.push_back(SetMember{m.name, m.bytes});
  return out;
}

Member c_object(const std::string& name, const std::string& source, const std::string& flags = "-O1") {
  Member m{name, compile(source, Variant{"c", flags.c_str()})};
  EXPECT_FALSE(m.bytes.empty()) << "clang-19 failed on " << name;
  return m;
}

std::string binding_of(const LoadReport& r, const std::string& name) {
  for (const ReportBinding& b : r.bindings)
    if (b.name == name) return b.target;
  return "(none)";
}

std::string lines(const Comparison& c) {
  std::string out;
  for (const Difference& d : c.differences) out += d.line("left", "right") + "\n";
  return out;
}

const char* const kWeak = "__attribute__((weak)) long wv = 1;\nlong get_a(void) { return wv; }\n";
const char* const kStrong = "long wv = 2;\nlong get_b(void) { return wv; }\n";

TEST(SetReport, JsonRoundTripKeepsMembersAndBindings) {
  std::vector<Member> set = {c_object("a.o", kWeak), c_object("b.o", kStrong)};
  LoadReport r = run_reference_set(view(set), LoadScenario());
  ASSERT_TRUE(r.loaded) << outcome_line(r);
  ASSERT_EQ(r.objects, (std::vector<std::string>{"a.o", "b.o"}));
  LoadReport back;
  std::string error;
  ASSERT_TRUE(report_from_json(report_to_json(r), back, error)) << error;
  EXPECT_EQ(back.objects, r.objects);
  EXPECT_EQ(back.gots, r.gots);
  ASSERT_EQ(back.bindings.size(), r.bindings.size());
  for (size_t i = 0; i < r.bindings.size(); i++) {
    EXPECT_EQ(back.bindings[i].name, r.bindings[i].name);
    EXPECT_EQ(back.bindings[i].target, r.bindings[i].target);
    EXPECT_EQ(back.bindings[i].references, r.bindings[i].references);
  }
  ASSERT_EQ(back.sections.size(), r.sections.size());
  for (size_t i = 0; i < r.sections.size(); i++) EXPECT_EQ(back.sections[i].object, r.sections[i].object);
  for (size_t i = 0; i < r.relocations.size(); i++) EXPECT_EQ(back.relocations[i].object, r.relocations[i].object);
  EXPECT_TRUE(compare_reports(r, back).agree);
  // A member index outside the set is refused.
  std::string bad = report_to_json(r);
  size_t at = bad.find("\"object\": 1}");
  ASSERT_NE(at, std::string::npos);
  bad.replace(at, 12, "\"object\": 7}");
  EXPECT_FALSE(report_from_json(bad, back, error));
}

// Strong beats weak in either load order (L2), references from inside the
// weak definition's object included (L5): every reference to 'wv' reaches
// b.o's definition, in the engine and in the reference, which agree.
TEST(SetReport, WeakAndStrongBindToTheStrongInEitherOrder) {
  for (bool weak_first : {true, false}) {
    std::vector<Member> set = {c_object("a.o", kWeak), c_object("b.o", kStrong)};
    if (!weak_first) std::swap(set[0], set[1]);
    LoadReport engine = run_engine_set(view(set), LoadScenario());
    LoadReport reference = run_reference_set(view(set), LoadScenario());
    ASSERT_TRUE(engine.loaded) << outcome_line(engine);
    ASSERT_TRUE(reference.loaded) << outcome_line(reference);
    EXPECT_EQ(binding_of(reference, "wv"), "b.o:.data+0x0") << (weak_first ? "weak first" : "strong first");
    EXPECT_EQ(binding_of(engine, "wv"), "b.o:.data+0x0") << (weak_first ? "weak first" : "strong first");
    Comparison c = compare_reports(engine, reference);
    EXPECT_TRUE(c.agree) << lines(c);
  }
}

// Commons merge into the largest (L4), a strong definition beats them, and
// two strong definitions are refused by both loaders (L2).
TEST(SetReport, CommonsMergeAndDuplicatesAreRefused) {
  std::vector<Member> commons = {c_object("c1.o", "long cm;\nlong *p1(void) { return &cm; }\n", "-O1 -fcommon"),
                                 c_object("c2.o", "long cm[8];\nlong *p2(void) { return cm; }\n", "-O1 -fcommon"),
                                 c_object("c3.o", "long cm[2];\nlong *p3(void) { return cm; }\n", "-O1 -fcommon")};
  LoadReport engine = run_engine_set(view(commons), LoadScenario());
  LoadReport reference = run_reference_set(view(commons), LoadScenario());
  ASSERT_TRUE(engine.loaded) << outcome_line(engine);
  ASSERT_TRUE(reference.loaded) << outcome_line(reference);
  // One target for every reference, whichever block holds it.
  EXPECT_EQ(binding_of(reference, "cm").find(" | "), std::string::npos) << binding_of(reference, "cm");
  EXPECT_EQ(binding_of(engine, "cm").find(" | "), std::string::npos) << binding_of(engine, "cm");
  Comparison c = compare_reports(engine, reference);
  EXPECT_TRUE(c.agree) << lines(c);

  commons.push_back(c_object("s.o", "long cm[3] = {1, 2, 3};\n"));
  engine = run_engine_set(view(commons), LoadScenario());
  reference = run_reference_set(view(commons), LoadScenario());
  ASSERT_TRUE(engine.loaded) << outcome_line(engine);
  ASSERT_TRUE(reference.loaded) << outcome_line(reference);
  EXPECT_EQ(binding_of(reference, "cm"), "s.o:.data+0x0");
  EXPECT_EQ(binding_of(engine, "cm"), "s.o:.data+0x0");
  c = compare_reports(engine, reference);
  EXPECT_TRUE(c.agree) << lines(c);

  std::vector<Member> twice = {c_object("x.o", kStrong), c_object("y.o", "long wv = 3;\n")};
  engine = run_engine_set(view(twice), LoadScenario());
  reference = run_reference_set(view(twice), LoadScenario());
  EXPECT_FALSE(engine.loaded);
  EXPECT_FALSE(reference.loaded);
  EXPECT_NE(engine.error_message.find("duplicate"), std::string::npos) << engine.error_message;
  EXPECT_NE(reference.error_message.find("duplicate"), std::string::npos) << reference.error_message;
  EXPECT_TRUE(compare_reports(engine, reference).agree);
}

// A call from another member to an IFUNC reaches the IFUNC's stub in both
// loaders; the reference's IFUNC stub, laid out like a call stub, is not
// followed to the resolver (it stands for the function the resolver picks).
TEST(SetReport, CallsToAnotherMembersIfuncReachItsStub) {
  Member ifunc = c_object("ifunc.o", "static long impl(void) { return 7; }\n"
                                     "static void* res(void) { return (void*)impl; }\n"
                                     "long f(void) __attribute__((ifunc(\"res\")));\n");
  Member call = c_object("call.o", "long f(void);\nlong g(void) { return f(); }\n");
  for (bool ifunc_first : {true, false}) {
    std::vector<Member> set = ifunc_first ? std::vector<Member>{ifunc, call} : std::vector<Member>{call, ifunc};
    // (Each loader's IFUNC stubs have their own size: the areas are mapped
    // explicitly, as jitload diff --link does.)
    LoadScenario scenario;
    map_member_areas(scenario, set.size());
    LoadReport engine = run_engine_set(view(set), scenario);
    LoadReport reference = run_reference_set(view(set), scenario);
    ASSERT_TRUE(engine.loaded) << outcome_line(engine);
    ASSERT_TRUE(reference.loaded) << outcome_line(reference);
    EXPECT_EQ(binding_of(engine, "f"), "ifunc ifunc.o:f");
    EXPECT_EQ(binding_of(reference, "f"), "ifunc ifunc.o:f");
    Comparison c = compare_reports(engine, reference);
    EXPECT_TRUE(c.agree) << lines(c);
  }
}

// The comparison says where a name binds before anything else, names the
// member of every section, and refuses sets of different members.
TEST(SetReport, ComparisonNamesBindingsAndMembers) {
  std::vector<Member> set = {c_object("a.o", kWeak), c_object("b.o", kStrong)};
  LoadReport left = run_reference_set(view(set), LoadScenario());
  ASSERT_TRUE(left.loaded);
  LoadReport right = left;
  // a.o's reference to 'wv' reaches a.o's own weak definition instead.
  u64 a_wv = 0, b_wv = 0;
  for (const ReportSymbol& y : right.symbols)
    if (y.name == "wv") (y.object == 0 ? a_wv : b_wv) = y.address;
  ASSERT_TRUE(a_wv && b_wv && a_wv != b_wv);
  bool moved = false;
  for (ReportRelocation& x : right.relocations) {
    if (x.object != 0 || x.symbol != "wv" || x.type_name != "R_X86_64_PC32") continue;
    for (ReportSection& s : right.sections) {
      if (s.object != 0 || s.index != x.section_index) continue;
      u64 v = 0;
      for (int i = 0; i < 4; i++) v |= u64(s.byte_at(x.offset + u64(i))) << (8 * i);
      v += a_wv - b_wv;
      if (s.bytes.size() < x.offset + 4) s.bytes.resize(x.offset + 4);
      for (int i = 0; i < 4; i++) s.bytes[x.offset + u64(i)] = u8(v >> (8 * i));
      moved = true;
    }
  }
  ASSERT_TRUE(moved) << "no PC32 reference to 'wv' in a.o at -O1";
  compute_bindings(right);
  EXPECT_NE(binding_of(right, "wv").find("a.o:.data+0x0 | b.o:.data+0x0"), std::string::npos) << binding_of(right, "wv");
  Comparison c = compare_reports(left, right);
  ASSERT_FALSE(c.agree);
  EXPECT_EQ(c.differences[0].what, "binding") << lines(c);
  EXPECT_NE(lines(c).find("a.o:.text"), std::string::npos) << lines(c);

  LoadReport other = left;
  other.objects = {"b.o", "a.o"};
  c = compare_reports(left, other);
  EXPECT_FALSE(c.agree);
  EXPECT_EQ(c.differences[0].what, "objects");
}

}  // namespace
}  // namespace jitload::conformance
