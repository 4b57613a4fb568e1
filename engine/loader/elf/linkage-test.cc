// Symbol binding across the objects of one RuntimeDyld (the README's
// linkage table, rules L1-L9), rebinding after a later load (L8), and the
// policy after relocation errors: apply every relocation that can be
// applied, report each one that cannot, keep the object due.
//
// Objects are assembled at test time by llvm-mc-19 and loaded for a
// simulated target (PlainMemoryManager): each object's `.data` holds
// `.quad NAME` fields, and a test reads back where they point.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

using testing::assemble;

class Resolver final : public SymbolResolver {
 public:
  std::map<std::string, u64, std::less<>> map;
  std::optional<u64> lookup(std::string_view name) override {
    auto it = map.find(name);
    if (it == map.end()) return std::nullopt;
    return it->second;
  }
};

struct Set {
  PlainMemoryManager memory;
  Resolver resolver;
  RuntimeDyld dyld{memory, &resolver};
  std::vector<std::vector<u8>> objects;  // kept alive: not required, but cheap

  // Assembles and loads; the object's name is `name`.
  Expected<u32> load(const std::string& source, const std::string& name) {
    std::string diag;
    std::vector<u8> bytes = assemble(source, &diag);
    if (bytes.empty()) return Error(ErrorKind::Malformed, "assembly failed: " + diag);
    objects.push_back(bytes);
    auto info = dyld.load_object(bytes, name);
    if (!info) return info.take_error();
    return info->object_index();
  }
  // The 8 bytes at `symbol` (a local symbol of one object's .data is fine
  // when its name is unique in the set).
  u64 quad(std::string_view symbol) {
    void* p = dyld.get_symbol_local_address(symbol);
    EXPECT_NE(p, nullptr) << symbol;
    u64 v = 0;
    if (p) std::memcpy(&v, p, 8);
    return v;
  }
  u64 address(std::string_view symbol) {
    auto s = dyld.get_symbol(symbol);
    EXPECT_TRUE(s) << symbol;
    return s ? s->address : 0;
  }
  // Object index of the definition the set chose for `name`.
  u32 definer(std::string_view name) {
    u64 a = address(name);
    for (const LoadedSymbol& s : dyld.symbols())
      if (s.name == name && s.flags.binding != SymbolBinding::Local && s.section != kNone &&
          dyld.sections()[s.section].target + s.offset == a)
        return s.object;
    return kNone;
  }
};

// An object that defines `name` with the given directives and value, and
// refers to it from its own .data (`p_<tag>: .quad name`).
std::string defining(const std::string& tag, const std::string& name, const std::string& binding, int value) {
  return "  .data\n  " + binding + " " + name + "\n  .type " + name + ", @object\n  .size " + name + ", 4\n" + name +
         ": .long " + std::to_string(value) + "\n  .p2align 3\np_" + tag + ": .quad " + name + "\n";
}
// An object that only refers to `name`.
std::string referring(const std::string& tag, const std::string& name) {
  return "  .data\n  .p2align 3\np_" + tag + ": .quad " + name + "\n";
}

TEST(Linkage, StrongAfterWeakWinsAndTheWeakObjectsOwnReferencesFollow) {
  Set s;
  u32 a = *s.load(defining("a", "wv", ".weak", 1), "a.o");
  u32 b = *s.load(defining("b", "wv", ".globl", 2), "b.o");
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.definer("wv"), b);
  EXPECT_NE(s.definer("wv"), a);
  EXPECT_EQ(s.quad("p_a"), s.address("wv"));  // a.o's own reference binds to b.o's definition (L5)
  EXPECT_EQ(s.quad("p_b"), s.address("wv"));
  EXPECT_EQ(s.dyld.get_symbol("wv")->flags.binding, SymbolBinding::Global);
}

TEST(Linkage, StrongBeforeWeakStays) {
  Set s;
  u32 a = *s.load(defining("a", "wv", ".globl", 2), "a.o");
  ASSERT_TRUE(s.load(defining("b", "wv", ".weak", 1), "b.o"));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.definer("wv"), a);
  EXPECT_EQ(s.quad("p_a"), s.address("wv"));
  EXPECT_EQ(s.quad("p_b"), s.address("wv"));
}

TEST(Linkage, FirstOfTwoWeakDefinitionsWins) {
  Set s;
  u32 a = *s.load(defining("a", "wv", ".weak", 1), "a.o");
  ASSERT_TRUE(s.load(defining("b", "wv", ".weak", 2), "b.o"));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.definer("wv"), a);
  EXPECT_EQ(s.quad("p_a"), s.quad("p_b"));
  EXPECT_EQ(s.quad("p_b"), s.address("wv"));
}

TEST(Linkage, HiddenWeakLosesToStrong) {
  // Visibility does not take part in choosing (L5).
  Set s;
  ASSERT_TRUE(s.load(defining("a", "wv", ".weak", 1) + "  .hidden wv\n", "a.o"));
  u32 b = *s.load(defining("b", "wv", ".globl", 2), "b.o");
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.definer("wv"), b);
  EXPECT_EQ(s.quad("p_a"), s.address("wv"));
}

TEST(Linkage, CommonsMergeIntoTheLargestFirstOnATie) {
  Set s;
  ASSERT_TRUE(s.load("  .comm c, 4, 4\n" + referring("a", "c"), "a.o"));
  u32 b = *s.load("  .comm c, 32, 8\n" + referring("b", "c"), "b.o");
  ASSERT_TRUE(s.load("  .comm c, 32, 4\n" + referring("c", "c"), "c.o"));  // a tie: b.o stays
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.definer("c"), b);
  EXPECT_EQ(s.quad("p_a"), s.address("c"));
  EXPECT_EQ(s.quad("p_b"), s.address("c"));
  EXPECT_EQ(s.quad("p_c"), s.address("c"));
  EXPECT_EQ(s.dyld.get_symbol("c")->flags.type, SymbolType::Common);
}

TEST(Linkage, StrongBeatsCommonInEitherOrder) {
  for (bool strong_first : {true, false}) {
    Set s;
    std::string strong = defining("s", "c", ".globl", 7);
    std::string common = "  .comm c, 64, 16\n" + referring("k", "c");
    u32 first = *s.load(strong_first ? strong : common, "first.o");
    u32 second = *s.load(strong_first ? common : strong, "second.o");
    ASSERT_FALSE(s.dyld.resolve_relocations());
    EXPECT_EQ(s.definer("c"), strong_first ? first : second);
    EXPECT_EQ(s.quad("p_k"), s.address("c"));
    EXPECT_EQ(s.quad("p_s"), s.address("c"));
    EXPECT_NE(s.dyld.get_symbol("c")->flags.type, SymbolType::Common);
  }
}

TEST(Linkage, CommonBeatsWeakInEitherOrder) {
  for (bool weak_first : {true, false}) {
    Set s;
    std::string weak = defining("w", "c", ".weak", 7);
    std::string common = "  .comm c, 4, 4\n" + referring("k", "c");
    u32 first = *s.load(weak_first ? weak : common, "first.o");
    u32 second = *s.load(weak_first ? common : weak, "second.o");
    ASSERT_FALSE(s.dyld.resolve_relocations());
    EXPECT_EQ(s.definer("c"), weak_first ? second : first);
    EXPECT_EQ(s.dyld.get_symbol("c")->flags.type, SymbolType::Common);
    EXPECT_EQ(s.quad("p_k"), s.address("c"));
    EXPECT_EQ(s.quad("p_w"), s.address("c"));
  }
}

TEST(Linkage, CommonStorageLessAlignedThanAnotherCommonAsksIsAnErrorNamingBoth) {
  Set s;
  u32 a = *s.load("  .comm c, 64, 4\n" + referring("a", "c"), "a.o");
  ASSERT_TRUE(s.load("  .comm c, 8, 32\n" + referring("b", "c"), "b.o"));
  // a.o's storage (the larger) placed 4 bytes past a 32-byte boundary.
  for (u32 id = 0; id < s.dyld.sections().size(); id++)
    if (s.dyld.sections()[id].object == a && s.dyld.sections()[id].kind == SectionKind::Common)
      ASSERT_FALSE(s.dyld.map_section_address(id, 0x40000004));
  Error err = s.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("b.o"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("a.o"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("alignment 32"), std::string::npos) << err.message();
  // Aligned, it binds.
  for (u32 id = 0; id < s.dyld.sections().size(); id++)
    if (s.dyld.sections()[id].object == a && s.dyld.sections()[id].kind == SectionKind::Common)
      ASSERT_FALSE(s.dyld.map_section_address(id, 0x40000000));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.quad("p_b"), 0x40000000u);
}

// One object defining a name twice as common (an assembler merges such
// directives itself, so the second name is renamed in the string table):
// a link editor merges them, as ld and lld-19 do (one address, the
// largest size, the strictest alignment), and so does the loader: one
// block, aligned for both, and no L4 error inside one object.
TEST(Linkage, CommonsOfOneNameInOneObjectAreOneBlockWithTheStrictestAlignment) {
  Set s;
  std::string diag;
  std::vector<u8> bytes = assemble("  .comm cA, 4, 262144\n  .comm cB, 64, 16\n" + referring("a", "cA") +
                                       "  .quad cB\n  .quad cA\n",
                                   &diag);
  ASSERT_FALSE(bytes.empty()) << diag;
  const char from[] = "cB", to[] = "cA";
  auto at = std::search(bytes.begin(), bytes.end(), from, from + 3);  // with its NUL: the string table's entry
  ASSERT_NE(at, bytes.end());
  std::copy(to, to + 2, at);
  auto info = s.dyld.load_object(bytes, "twice.o");
  ASSERT_TRUE(info) << info.error().message();
  ASSERT_FALSE(s.dyld.resolve_relocations());
  u64 c = s.address("cA");
  EXPECT_EQ(c % 262144, 0u);
  u32 defs = 0;
  for (const LoadedSymbol& y : s.dyld.symbols())
    if (y.name == "cA") {
      defs++;
      EXPECT_EQ(s.dyld.sections()[y.section].target + y.offset, c);
    }
  EXPECT_EQ(defs, 2u);
  for (const LoadedSection& sec : s.dyld.sections())
    if (sec.kind == SectionKind::Common) EXPECT_EQ(sec.size, 64u);  // one block, the larger size
  const u8* data = static_cast<const u8*>(s.dyld.get_symbol_local_address("p_a"));
  ASSERT_NE(data, nullptr);
  for (int k = 0; k < 3; k++) {
    u64 v = 0;
    std::memcpy(&v, data + 8 * k, 8);
    EXPECT_EQ(v, c) << k;
  }
}

// R_X86_64_SIZE64 against a name this object leaves undefined: Z is the
// st_size of the definition the set chose (ld gives 24 and 27 here), in
// either load order; while no object defines it, the entries fail
// (Unsupported) and the object stays due.
TEST(Linkage, SizeOfAnUndefinedNameIsItsSetDefinitionsSize) {
  const std::string sized = "  .data\n  .globl x\n  .type x, @object\n  .size x, 24\nx: .zero 24\n";
  const std::string reader = "  .data\np_size: .quad x@SIZE\n  .quad x@SIZE+3\n";
  for (bool definer_first : {true, false}) {
    Set s;
    if (definer_first) ASSERT_TRUE(s.load(sized, "def.o"));
    ASSERT_TRUE(s.load(reader, "use.o"));
    if (!definer_first) {
      Error err = s.dyld.resolve_relocations();
      ASSERT_TRUE(err);
      EXPECT_EQ(err.kind(), ErrorKind::Unsupported);
      EXPECT_NE(err.message().find("needs the size of an external symbol"), std::string::npos) << err.message();
      ASSERT_TRUE(s.load(sized, "def.o"));  // L8: use.o is due again
    }
    ASSERT_FALSE(s.dyld.resolve_relocations()) << definer_first;
    const u8* p = static_cast<const u8*>(s.dyld.get_symbol_local_address("p_size"));
    ASSERT_NE(p, nullptr);
    u64 z[2];
    std::memcpy(z, p, 16);
    EXPECT_EQ(z[0], 24u) << definer_first;
    EXPECT_EQ(z[1], 27u) << definer_first;
  }
}

TEST(Linkage, TwoGnuUniqueDefinitionsKeepTheFirst) {
  Set s;
  std::string u1 = "  .data\n  .globl u\n  .type u, @gnu_unique_object\nu: .long 1\n  .p2align 3\np_a: .quad u\n";
  std::string u2 = "  .data\n  .globl u\n  .type u, @gnu_unique_object\nu: .long 2\n  .p2align 3\np_b: .quad u\n";
  u32 a = *s.load(u1, "a.o");
  ASSERT_TRUE(s.load(u2, "b.o"));  // no duplicate-definition error
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.definer("u"), a);
  EXPECT_TRUE(s.dyld.get_symbol("u")->flags.unique);
  EXPECT_EQ(s.quad("p_a"), s.address("u"));
  EXPECT_EQ(s.quad("p_b"), s.address("u"));
}

TEST(Linkage, TwoStrongDefinitionsAreAnErrorNamingBoth) {
  Set s;
  ASSERT_TRUE(s.load(defining("a", "x", ".globl", 1), "a.o"));
  auto again = s.load(defining("b", "x", ".globl", 2), "b.o");
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message().find("b.o: duplicate definition of symbol 'x' (first defined in a.o)"),
            std::string::npos)
      << again.error().message();
  EXPECT_EQ(s.dyld.object_count(), 1u);
  ASSERT_FALSE(s.dyld.resolve_relocations());  // the set is as before
}

// One program is for one machine: an object for another machine, class
// or byte order is refused and the set stays as it was (the reference
// refuses it too; a mixed riscv64 + riscv32 set once loaded in the engine).
TEST(Linkage, ObjectsForAnotherMachineAreRefused) {
  for (const char* other : {"riscv32-linux-gnu", "riscv64-linux-gnu", "aarch64-linux-gnu", "aarch64_be-linux-gnu"}) {
    PlainMemoryManager memory;
    RuntimeDyld dyld(memory, nullptr);
    std::string diag;
    std::vector<u8> first = assemble("  .data\n  .globl x\nx: .quad 1\n", &diag);
    ASSERT_FALSE(first.empty()) << diag;
    ASSERT_TRUE(dyld.load_object(first, "x86.o"));
    std::vector<u8> second = assemble("  .data\n  .globl y\ny: .quad 2\n", &diag, other);
    ASSERT_FALSE(second.empty()) << other << ": " << diag;
    auto r = dyld.load_object(second, "other.o");
    ASSERT_FALSE(r) << other;
    EXPECT_EQ(r.error().kind(), ErrorKind::Unsupported);
    EXPECT_NE(r.error().message().find("other.o: is a "), std::string::npos) << r.error().message();
    EXPECT_NE(r.error().message().find("objects are x86-64 (x86.o): one program is for one machine"),
              std::string::npos)
        << r.error().message();
    EXPECT_EQ(dyld.object_count(), 1u);
    EXPECT_FALSE(dyld.get_symbol("y"));  // rolled back
    EXPECT_TRUE(dyld.get_symbol("x"));
  }
  // And the other way round: a riscv64 set refuses a riscv32 object.
  PlainMemoryManager memory;
  RuntimeDyld dyld(memory, nullptr);
  std::vector<u8> rv64 = assemble("  .data\n  .globl x\nx: .quad 1\n", nullptr, "riscv64-linux-gnu");
  std::vector<u8> rv32 = assemble("  .data\n  .globl y\ny: .word 2\n", nullptr, "riscv32-linux-gnu");
  ASSERT_TRUE(dyld.load_object(rv64, "a.o"));
  auto r = dyld.load_object(rv32, "b.o");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("b.o: is a riscv32 object, but this RuntimeDyld's objects are riscv64 (a.o)"),
            std::string::npos)
      << r.error().message();
}

TEST(Linkage, SizeOfAPreemptibleSymbolIsTheChosenDefinitions) {
  Set s;
  ASSERT_TRUE(s.load("  .data\n  .weak wv\n  .type wv, @object\n  .size wv, 4\nwv: .long 1\n  .p2align 3\n"
                     "z_a: .quad wv@SIZE\n",
                     "a.o"));
  ASSERT_TRUE(s.load("  .data\n  .globl wv\n  .type wv, @object\n  .size wv, 24\nwv: .zero 24\n", "b.o"));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.quad("z_a"), 24u);
}

TEST(Linkage, UndefinedWeakIsZeroWithoutError) {
  Set s;
  ASSERT_TRUE(s.load("  .weak nowhere\n" + referring("a", "nowhere"), "a.o"));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.quad("p_a"), 0u);
}

TEST(Linkage, SetDefinitionBeatsTheResolver) {
  Set s;
  s.resolver.map["wv"] = 0x1234;
  ASSERT_TRUE(s.load(defining("a", "wv", ".weak", 1), "a.o"));
  ASSERT_TRUE(s.load(referring("b", "wv"), "b.o"));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.quad("p_b"), s.address("wv"));
  EXPECT_NE(s.quad("p_b"), 0x1234u);
}

TEST(Linkage, ThreadLocalityMustAgree) {
  // L9: a.o defines tv as an ordinary weak object; b.o refers to it as TLS.
  Set s;
  ASSERT_TRUE(s.load(defining("a", "tv", ".weak", 1), "a.o"));
  ASSERT_TRUE(s.load("  .text\n  movq tv@gottpoff(%rip), %rax\n  movl %fs:(%rax), %eax\n  ret\n", "b.o"));
  Error err = s.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("TLS attribute mismatch"), std::string::npos) << err.message();
}

// ---- L8: a later load changes a binding ------------------------------------

TEST(Rebinding, StrongLoadedAfterResolveRebindsUnfinalizedObjects) {
  Set s;
  u32 a = *s.load(defining("a", "wv", ".weak", 1), "a.o");
  ASSERT_FALSE(s.dyld.resolve_relocations());
  u64 weak_address = s.address("wv");
  EXPECT_EQ(s.quad("p_a"), weak_address);
  u32 b = *s.load(defining("b", "wv", ".globl", 2), "b.o");
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.definer("wv"), b);
  EXPECT_NE(s.address("wv"), weak_address);
  EXPECT_EQ(s.quad("p_a"), s.address("wv"));  // a.o was due again
  (void)a;
}

TEST(Rebinding, LargerCommonLoadedLaterRebinds) {
  Set s;
  ASSERT_TRUE(s.load("  .comm c, 4, 4\n" + referring("a", "c"), "a.o"));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  u32 b = *s.load("  .comm c, 40, 4\n" + referring("b", "c"), "b.o");
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.definer("c"), b);
  EXPECT_EQ(s.quad("p_a"), s.address("c"));
}

TEST(Rebinding, NameResolvedByTheResolverThenDefinedInTheSetRebinds) {
  Set s;
  s.resolver.map["ext"] = 0x1234;
  ASSERT_TRUE(s.load(referring("a", "ext"), "a.o"));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.quad("p_a"), 0x1234u);
  ASSERT_TRUE(s.load(defining("b", "ext", ".globl", 5), "b.o"));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.quad("p_a"), s.address("ext"));
}

TEST(Rebinding, WeakLoadedLaterChangesNothing) {
  Set s;
  ASSERT_TRUE(s.load(defining("a", "wv", ".globl", 1), "a.o"));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  u64 before = s.address("wv");
  ASSERT_TRUE(s.load(defining("b", "wv", ".weak", 2), "b.o"));
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.address("wv"), before);
  EXPECT_EQ(s.quad("p_b"), before);
}

TEST(Rebinding, FinalizedObjectsKeepTheirBindings) {
  Set s;
  ASSERT_TRUE(s.load(defining("a", "wv", ".weak", 1), "a.o"));
  ASSERT_FALSE(s.dyld.finalize());
  u64 weak_address = s.address("wv");
  ASSERT_TRUE(s.load(defining("b", "wv", ".globl", 2), "b.o"));
  ASSERT_FALSE(s.dyld.finalize());
  EXPECT_NE(s.address("wv"), weak_address);      // get_symbol answers the new definition
  EXPECT_EQ(s.quad("p_a"), weak_address);        // a.o, finalized, still points at its own
  EXPECT_EQ(s.quad("p_b"), s.address("wv"));
}

// ---- the relocation-error policy ---------------------------------------------

constexpr const char* kMixed = R"(
  .data
  .p2align 3
ok1:  .quad known
bad1: .quad missing
big:  .long 0x12345678
  .long 0
ok2:  .quad known
  .text
  movl $far, %eax
)";

TEST(ErrorPolicy, EveryApplicableRelocationIsAppliedAndEachFailureReported) {
  for (bool outcomes : {true, false}) {
    Set s;
    s.resolver.map["known"] = 0x5000;
    s.resolver.map["far"] = 0x123456789;  // R_X86_64_32 overflows
    s.dyld.enable_outcomes(outcomes);
    u32 a = *s.load(kMixed, "mixed.o");
    Error err = s.dyld.resolve_relocations();
    ASSERT_TRUE(err);
    EXPECT_NE(err.message().find("2 relocations could not be applied"), std::string::npos) << err.message();
    EXPECT_NE(err.message().find("undefined symbol 'missing'"), std::string::npos) << err.message();
    EXPECT_NE(err.message().find("R_X86_64_32 out of range"), std::string::npos) << err.message();
    EXPECT_EQ(s.quad("ok1"), 0x5000u);
    EXPECT_EQ(s.quad("ok2"), 0x5000u);
    EXPECT_EQ(s.quad("bad1"), 0u);  // untouched
    if (outcomes) {
      auto out = s.dyld.outcomes(a);
      auto recs = s.dyld.relocations(a);
      ASSERT_EQ(out.size(), 4u);
      ASSERT_EQ(recs.size(), 4u);
      int failed = 0, applied = 0;
      for (const RelocationOutcome& o : out) {
        failed += !o.error.empty();
        applied += o.applied;
      }
      EXPECT_EQ(failed, 2);
      EXPECT_EQ(applied, 2);
      for (size_t k = 0; k < recs.size(); k++) {
        if (recs[k].symbol_name == "missing")
          EXPECT_NE(out[k].error.find("undefined symbol 'missing'"), std::string::npos) << out[k].error;
        else if (recs[k].symbol_name == "far") {
          EXPECT_NE(out[k].error.find("out of range"), std::string::npos) << out[k].error;
          u32 field = ~0u;  // untouched: still the assembler's 0
          std::memcpy(&field, s.dyld.sections()[recs[k].section].local + recs[k].offset, 4);
          EXPECT_EQ(field, 0u);
        }
        else
          EXPECT_TRUE(out[k].applied && out[k].error.empty()) << k;
      }
    }
    // The object stays due: once 'missing' exists and 'far' is near, it links.
    s.resolver.map["missing"] = 0x6000;
    s.resolver.map["far"] = 0x7000;
    ASSERT_FALSE(s.dyld.resolve_relocations());
    EXPECT_EQ(s.quad("bad1"), 0x6000u);
  }
}

TEST(ErrorPolicy, OutcomesAreFilledWhenExternalsAreMissing) {
  Set s;
  s.dyld.enable_outcomes(true);
  u32 a = *s.load("  .text\n  call printf\n  call puts\n  ret\n", "hello.o");
  Error err = s.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_EQ(err.kind(), ErrorKind::Unresolved);
  auto out = s.dyld.outcomes(a);
  ASSERT_EQ(out.size(), s.dyld.relocations(a).size());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NE(out[0].error.find("undefined symbol 'printf'"), std::string::npos) << out[0].error;
  EXPECT_NE(out[1].error.find("undefined symbol 'puts'"), std::string::npos) << out[1].error;
}

TEST(ErrorPolicy, OtherObjectsAreStillResolved) {
  Set s;
  ASSERT_TRUE(s.load(referring("a", "missing"), "a.o"));
  s.resolver.map["known"] = 0x5000;
  ASSERT_TRUE(s.load(referring("b", "known"), "b.o"));
  Error err = s.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("a.o"), std::string::npos) << err.message();
  EXPECT_EQ(s.quad("p_b"), 0x5000u);
}

}  // namespace
}  // namespace jitload
