// The linkage generator (fuzz/linkage-gen.h): deterministic from its seed,
// every valid program keeps a static link's rules, every invalid one has
// exactly its one defect, and over many seeds every kind, role and
// visibility appears (a generator that stopped exploring would fail here,
// not silently test less).
#include "fuzz/linkage-gen.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace jitload::fuzz::linkage {
namespace {

constexpr uint64_t kSeeds = 3000;

bool defines(Role r) { return r == Role::Strong || r == Role::Weak || r == Role::Common; }

TEST(LinkageGenerator, SameSeedSameProgram) {
  for (uint64_t seed : {1ull, 2ull, 12345ull, 0xffffffffffffffffull}) {
    Program a = generate(seed), b = generate(seed);
    ASSERT_EQ(a.objects, b.objects);
    for (unsigned i = 0; i < a.objects; i++) EXPECT_EQ(a.source(i), b.source(i));
    EXPECT_EQ(a.describe(), b.describe());
  }
  // Neighbouring seeds give different programs, and the k-th program of a
  // run does not depend on anything but (seed, k).
  EXPECT_NE(generate(1).describe() + generate(1).source(0), generate(2).describe() + generate(2).source(0));
  EXPECT_EQ(program_seed(1, 5), program_seed(1, 5));
  std::set<uint64_t> seeds;
  for (uint64_t k = 0; k < 1000; k++) seeds.insert(program_seed(1, k));
  EXPECT_EQ(seeds.size(), 1000u);
}

TEST(LinkageGenerator, ValidProgramsKeepTheStaticLinkRules) {
  for (uint64_t seed = 0; seed < kSeeds; seed++) {
    Program p = generate(seed);
    ASSERT_TRUE(p.valid);
    ASSERT_GE(p.objects, 2u);
    ASSERT_LE(p.objects, 4u);
    ASSERT_EQ(p.cxx.size(), p.objects);
    for (const Name& n : p.names) {
      int strong = 0, defined = 0, mentioned = 0, strong_refs = 0;
      for (unsigned i = 0; i < p.objects; i++) {
        const Use& u = n.uses[i];
        strong += u.role == Role::Strong;
        defined += defines(u.role);
        mentioned += u.role != Role::None;
        strong_refs += u.role == Role::Extern;
        if (u.role == Role::Common) {
          EXPECT_EQ(n.kind, Kind::Data) << "seed " << seed << ": a common that is not data";
          EXPECT_FALSE(p.cxx[i]) << "seed " << seed << ": C++ has no tentative definitions";
        }
        if (n.kind == Kind::Tls) EXPECT_NE(u.role, Role::WeakExtern) << "seed " << seed;
        if (n.kind == Kind::InlineVar || n.kind == Kind::InlineFunc)
          EXPECT_TRUE(u.role == Role::None || (p.cxx[i] && u.role == Role::Weak)) << "seed " << seed;
        if (u.role == Role::Strong || u.role == Role::Weak) EXPECT_EQ(u.values.size(), u.length) << "seed " << seed;
      }
      EXPECT_LE(strong, 1) << "seed " << seed << ": two strong definitions of " << n.name;
      if (n.kind == Kind::IFunc) {
        EXPECT_EQ(strong, 1) << "seed " << seed << ": an IFUNC is defined once";
        for (unsigned i = 0; i < p.objects; i++)
          if (n.uses[i].role == Role::Strong) EXPECT_FALSE(p.cxx[i]) << "seed " << seed << ": an IFUNC defined in C++";
        for (const Use& u : n.uses) EXPECT_TRUE(u.role != Role::Weak && u.role != Role::Common) << "seed " << seed;
        for (unsigned i = 0; i < p.objects; i++)  // ld has no GOT64 to an IFUNC
          if (n.uses[i].role != Role::None && n.uses[i].role != Role::Local)
            EXPECT_EQ(p.flags[i].find("-mcmodel=large"), std::string::npos) << "seed " << seed;
      }
      EXPECT_GE(mentioned, 1) << "seed " << seed << ": nobody mentions " << n.name;
      if (strong_refs) EXPECT_GE(defined, 1) << "seed " << seed << ": a strong reference to undefined " << n.name;
    }
    // main is in o0, every object has its show function.
    EXPECT_NE(p.source(0).find("int main(void)"), std::string::npos);
    for (unsigned i = 0; i < p.objects; i++)
      EXPECT_NE(p.source(i).find("void lk_show_" + std::to_string(i) + "(const void** seen) {"), std::string::npos);
  }
}

TEST(LinkageGenerator, InvalidProgramsHaveExactlyTheirOneDefect) {
  for (uint64_t seed = 0; seed < kSeeds; seed++) {
    Program p = generate(seed, true);
    ASSERT_FALSE(p.valid);
    ASSERT_NE(p.defect.find("two strong definitions"), std::string::npos);
    int names_with_two = 0;
    for (const Name& n : p.names) {
      int strong = 0;
      for (const Use& u : n.uses) strong += u.role == Role::Strong;
      EXPECT_LE(strong, 2) << "seed " << seed;
      names_with_two += strong == 2;
      if (strong == 2) EXPECT_NE(p.defect.find("'" + n.name + "'"), std::string::npos) << p.defect;
    }
    EXPECT_EQ(names_with_two, 1) << "seed " << seed;
  }
}

TEST(LinkageGenerator, ExploresEveryKindRoleAndVisibility) {
  std::map<std::string, int> seen;
  for (uint64_t seed = 0; seed < kSeeds; seed++) {
    Program p = generate(seed);
    seen[std::string("objects ") + std::to_string(p.objects)]++;
    seen["opt " + p.opt]++;
    for (unsigned i = 0; i < p.objects; i++) {
      seen[p.cxx[i] ? "c++" : "c"]++;
      for (const char* f : {"-fPIC", "-mcmodel=large", "-ffunction-sections", "-fno-plt", "-fsemantic-interposition",
                            "-ftls-model=global-dynamic",
                            "-ftls-model=local-dynamic", "-ftls-model=initial-exec", "-ftls-model=local-exec"})
        if (p.flags[i].find(f) != std::string::npos) seen[f]++;
    }
    seen[p.order[0] == 0 ? "main first" : "main not first"]++;
    for (const Name& n : p.names)
      for (const Use& u : n.uses) {
        seen[std::string(kind_name(n.kind)) + " " + role_name(u.role)]++;
        if (u.role != Role::None) seen[std::string("visibility ") + visibility_name(u.visibility)]++;
      }
  }
  const char* const expected[] = {
      "objects 2", "objects 3", "objects 4", "opt -O0", "opt -O1", "opt -O2", "c", "c++", "-fPIC", "-mcmodel=large",
      "-fno-plt", "-fsemantic-interposition",
      "-ffunction-sections", "-ftls-model=global-dynamic", "-ftls-model=local-dynamic", "-ftls-model=initial-exec",
      "-ftls-model=local-exec", "main first", "main not first",
      "data extern", "data weak-extern", "data strong", "data weak", "data common",
      "function extern", "function weak-extern", "function strong", "function weak",
      "tls extern", "tls strong", "tls weak", "inline-var weak", "inline-func weak",
      "data local", "function local", "tls local", "ifunc strong", "ifunc extern", "ifunc weak-extern", "ifunc local",
      "visibility default", "visibility hidden", "visibility protected",
  };
  for (const char* e : expected) EXPECT_GE(seen[e], 10) << "the generator rarely or never makes: " << e;
}

TEST(LinkageGenerator, ThreadsOnlyAddAThread) {
  int with_threads = 0;
  for (uint64_t seed = 0; seed < 300; seed++) {
    Program a = generate(seed), b = generate(seed, false, true);
    EXPECT_EQ(a.describe(), b.describe()) << "asking for threads changed the program";
    bool tls = false;
    for (const Name& n : a.names) tls |= n.kind == Kind::Tls;
    EXPECT_EQ(b.threads, tls);
    EXPECT_FALSE(a.threads);
    with_threads += b.threads;
    EXPECT_EQ(b.source(0).find("pthread_create") != std::string::npos, tls);
    EXPECT_EQ(a.source(0).find("pthread_create"), std::string::npos);
  }
  EXPECT_GT(with_threads, 50);
}

TEST(LinkageGenerator, SourcesSayWhatTheProgramSays) {
  // One hand-checked program: roles become the declarations a C or C++
  // compiler needs, and main prints one identity line per name.
  for (uint64_t seed = 0; seed < 200; seed++) {
    Program p = generate(seed);
    for (unsigned i = 0; i < p.objects; i++) {
      std::string src = p.source(i);
      for (const Name& n : p.names) {
        const Use& u = n.uses[i];
        if (u.role == Role::Weak && n.kind != Kind::InlineVar && n.kind != Kind::InlineFunc)
          EXPECT_NE(src.find("__attribute__((weak)) "), std::string::npos) << src;
        if (u.role == Role::Common) EXPECT_NE(src.find("long " + n.name + "[" + std::to_string(u.length) + "];  // tentative"), std::string::npos) << src;
        if (u.visibility == Visibility::Protected) EXPECT_NE(src.find("visibility(\"protected\")"), std::string::npos);
        if (n.kind == Kind::Tls && u.role != Role::None)
          EXPECT_NE(src.find((p.cxx[i] && p.cxx_thread_local ? "thread_local long " : "__thread long ") + n.name),
                    std::string::npos);
        // Addresses again through data: the name itself, and one element in.
        if (n.kind == Kind::Data && u.role != Role::None) {
          EXPECT_NE(src.find("(const void*)" + n.name), std::string::npos) << src;
          if (u.role != Role::WeakExtern) EXPECT_NE(src.find("&" + n.name + "[1]"), std::string::npos) << src;
        }
      }
      EXPECT_EQ(p.cxx[i], src.find("extern \"C\" {") != std::string::npos);
    }
    EXPECT_NE(p.compile_flags(0).find(p.opt), std::string::npos);
    std::vector<unsigned> sorted = p.order;
    std::sort(sorted.begin(), sorted.end());
    for (unsigned i = 0; i < p.objects; i++) EXPECT_EQ(sorted[i], i) << "the order is a permutation";
    for (unsigned i = 0; i < p.objects; i++)
      if (p.flags[i].find("-ftls-model=local-exec") != std::string::npos)
        EXPECT_EQ(p.flags[i].find("-fPIC"), std::string::npos) << "local-exec in PIC code";
  }
}

}  // namespace
}  // namespace jitload::fuzz::linkage
