// x86-64 relocations, one case per type: the value, its encoding, and the
// out-of-range case. Objects are assembled at test time by llvm-mc-19, and
// loaded for a simulated target so that addresses are chosen by the test.
#include <gtest/gtest.h>

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

// An object loaded for a simulated target: every section placed at
// base + 0x10000 * id, so each address in a test is predictable.
struct Target {
  PlainMemoryManager memory;
  Resolver resolver;
  RuntimeDyld dyld{memory, &resolver};
  std::vector<u8> object;
  std::string diag;

  explicit Target(const std::string& source, std::map<std::string, u64, std::less<>> externs = {}) {
    resolver.map = std::move(externs);
    object = assemble(source, &diag);
  }
  Error load(u64 base = 0x10000000) {
    if (object.empty()) return Error(ErrorKind::Malformed, "assembly failed: " + diag);
    dyld.enable_outcomes(true);
    auto info = dyld.load_object(object, "test.o");
    if (!info) return info.take_error();
    place(base);
    return Error::success();
  }
  void place(u64 base) {
    auto secs = dyld.sections();
    for (u32 id = 0; id < secs.size(); id++)
      if (secs[id].kind != SectionKind::Tls && secs[id].kind != SectionKind::TlsBss)
        ASSERT_FALSE(dyld.map_section_address(id, base + 0x10000ull * id));
  }
  const LoadedSection& section(std::string_view name) {
    for (const LoadedSection& s : dyld.sections())
      if (s.name == name) return s;
    static LoadedSection none;
    ADD_FAILURE() << "no section " << name;
    return none;
  }
  u64 target(std::string_view sym) { return dyld.get_symbol(sym)->address; }
  template <typename T>
  T read(std::string_view sec, u64 off) {
    T v;
    std::memcpy(&v, section(sec).local + off, sizeof v);
    return v;
  }
};

TEST(X86_64, Abs64AndPc32) {
  Target t(R"(
    .text
    .globl f
f:  call g
    leaq data(%rip), %rax
    ret
g:  ret
    .data
data: .quad g + 5
)");
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  u64 text = t.section(".text").target;
  // call g: rel32 at .text+1, P = text+1, S = g, A = -4.
  EXPECT_EQ(t.read<i32>(".text", 1), i32(t.target("g") - 4 - (text + 1)));
  // leaq data(%rip): rel32 at .text+8.
  EXPECT_EQ(t.read<i32>(".text", 8), i32(t.target("data") - 4 - (text + 8)));
  EXPECT_EQ(t.read<u64>(".data", 0), t.target("g") + 5);
}

TEST(X86_64, Abs32Overflow) {
  Target t(R"(
    .data
    .long big
    .long big2
)", {{"big", 0x1000000000ull}, {"big2", 0x10}});
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_EQ(err.kind(), ErrorKind::Overflow);
  EXPECT_NE(err.message().find("test.o:(.data+0x0): relocation R_X86_64_32 out of range: 68719476736 is not in [0, 4294967295]; references 'big'"),
            std::string::npos)
      << err.message();
  // The good one was still applied (outcomes are on: every relocation runs).
  EXPECT_EQ(t.read<u32>(".data", 4), 0x10u);
}

TEST(X86_64, Abs32S) {
  Target t(".data\n .long neg\n", {{"neg", u64(-8)}});
  ASSERT_FALSE(t.load());
  // .long emits R_X86_64_32: -8 as an unsigned 32-bit value is out of range.
  EXPECT_TRUE(t.dyld.resolve_relocations());
  Target s(".text\n movq $neg, %rax\n", {{"neg", u64(-8)}});  // 32S
  ASSERT_FALSE(s.load());
  ASSERT_FALSE(s.dyld.resolve_relocations());
  EXPECT_EQ(s.read<i32>(".text", 3), -8);
  Target o(".text\n movq $far, %rax\n", {{"far", 0x80000000ull}});
  ASSERT_FALSE(o.load());
  Error err = o.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("R_X86_64_32S out of range"), std::string::npos) << err.message();
}

TEST(X86_64, Abs16And8) {
  Target t(".data\n .word a\n .byte b\n .word c\n", {{"a", 0xfffe}, {"b", 0x7f}, {"c", 0x10000}});
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("R_X86_64_16 out of range: 65536"), std::string::npos) << err.message();
  EXPECT_EQ(t.read<u16>(".data", 0), 0xfffe);
  EXPECT_EQ(t.read<u8>(".data", 2), 0x7f);
}

TEST(X86_64, PcRelativeSmallFields) {
  // Within one section the assembler resolves these itself; they need no
  // relocation. Use a second section to force PC8/PC16/PC64 relocations.
  Target u(R"(
    .text
    .byte far8 - .
    .word far16 - .
    .quad far64 - .
    .section .other,"ax"
far8: .fill 100, 1, 0
far16: .fill 100, 1, 0
far64: ret
)");
  { Error e = u.load(); ASSERT_FALSE(e) << e.message(); }
  // .other is 0x10000 away: the PC8 and PC16 fields cannot hold that.
  Error err = u.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_EQ(err.kind(), ErrorKind::Overflow);
  EXPECT_NE(err.message().find("R_X86_64_PC8 out of range"), std::string::npos) << err.message();
  u64 other = u.section(".other").target;
  EXPECT_EQ(u.read<i64>(".text", 3), i64(other + 200 - (u.section(".text").target + 3)));
  // Place .other right after .text: now everything fits.
  auto secs = u.dyld.sections();
  u32 id_other = 0;
  for (u32 i = 0; i < secs.size(); i++) if (secs[i].name == ".other") id_other = i;
  ASSERT_FALSE(u.dyld.map_section_address(id_other, u.section(".text").target + 0x20));
  ASSERT_FALSE(u.dyld.resolve_relocations());
  EXPECT_EQ(u.read<i8>(".text", 0), i8(0x20));
  EXPECT_EQ(u.read<i16>(".text", 1), i16(0x20 + 100 - 1));
}

TEST(X86_64, Plt32DirectWhenNearStubWhenFar) {
  Target t(".text\n call near\n call far\n call far\n", {{"near", 0x10000100}, {"far", 0x7f0000000000}});
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  u64 text = t.section(".text").target;
  EXPECT_EQ(t.read<i32>(".text", 1), i32(0x10000100 - 4 - (text + 1)));
  // Far: through one stub shared by both calls, which jumps to `far`.
  const LoadedSection& stubs = t.section("<stubs>");
  ASSERT_EQ(stubs.size, 32u) << "one stub per external PLT32 target";
  u64 far_stub = *t.dyld.stub_address(0, "far");
  EXPECT_EQ(t.read<i32>(".text", 6), i32(far_stub - 4 - (text + 6)));
  EXPECT_EQ(t.read<i32>(".text", 11), i32(far_stub - 4 - (text + 11)));
  u64 slot;
  std::memcpy(&slot, stubs.local + (far_stub - stubs.target) + 6, 8);
  EXPECT_EQ(slot, 0x7f0000000000ull);
  EXPECT_EQ(stubs.local[far_stub - stubs.target], 0xff);  // jmp *0(%rip)
  auto out = t.dyld.outcomes(0);
  EXPECT_EQ(out[0].via, RelocationOutcome::Via::Direct);
  EXPECT_EQ(out[1].via, RelocationOutcome::Via::Stub);
  EXPECT_EQ(out[1].effective, 0x7f0000000000ull - 4);
}

TEST(X86_64, GotPcRelOneSlotPerSymbol) {
  Target t(R"(
    .text
    movq x@GOTPCREL(%rip), %rax
    movq x@GOTPCREL(%rip), %rbx
    movq y@GOTPCREL(%rip), %rcx
)", {{"x", 0x1234}, {"y", 0x5678}});
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  const LoadedSection& got = t.section("<got>");
  EXPECT_EQ(got.size, 16u) << "two symbols, two slots";
  u64 gx = *t.dyld.got_entry_address(0, "x"), gy = *t.dyld.got_entry_address(0, "y");
  u64 text = t.section(".text").target;
  EXPECT_EQ(t.read<i32>(".text", 3), i32(gx - 4 - (text + 3)));
  EXPECT_EQ(t.read<i32>(".text", 10), i32(gx - 4 - (text + 10)));
  EXPECT_EQ(t.read<i32>(".text", 17), i32(gy - 4 - (text + 17)));
  EXPECT_EQ(t.read<u64>("<got>", gx - got.target), 0x1234u);
  EXPECT_EQ(t.read<u64>("<got>", gy - got.target), 0x5678u);
}

TEST(X86_64, LargeModelGotRelocations) {
  Target t(R"(
    .text
    movabsq $x@GOT, %rax
    movabsq $_GLOBAL_OFFSET_TABLE_, %rbx
    movabsq $data@GOTOFF, %rcx
    .reloc ., R_X86_64_GOTPCREL64, x
    .quad 0
    .data
data: .quad 0
)", {{"x", 0x4444}});
  { Error e = t.load(); ASSERT_FALSE(e) << e.message(); }
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  u64 got = t.section("<got>").target;
  u64 gx = *t.dyld.got_entry_address(0, "x");
  EXPECT_EQ(t.read<u64>(".text", 2), gx - got);                        // GOT64: G + A
  EXPECT_EQ(t.read<u64>(".text", 12), got + 2 - (t.section(".text").target + 12));  // GOTPC64, A = 2
  EXPECT_EQ(t.read<u64>(".text", 22), t.target("data") - got);         // GOTOFF64
  EXPECT_EQ(t.read<u64>(".text", 30), gx - (t.section(".text").target + 30));  // GOTPCREL64
}

TEST(X86_64, Size32And64) {
  Target t(R"(
    .data
    .long obj@SIZE
    .quad obj@SIZE + 3
    .globl obj
    .type obj,@object
    .size obj, 24
obj: .fill 24, 1, 0
)");
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  EXPECT_EQ(t.read<u32>(".data", 0), 24u);
  EXPECT_EQ(t.read<u64>(".data", 4), 27u);
}

TEST(X86_64, TlsGeneralDynamicRelaxedToLocalExec) {
  Target t(R"(
    .text
    .globl f
f:  data16
    leaq x@TLSGD(%rip), %rdi
    data16
    data16
    rex64
    call __tls_get_addr@PLT
    ret
    .section .tbss,"awT",@nobits
    .globl x
x:  .zero 8
)");
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations()) << "__tls_get_addr needs no resolution once relaxed";
  const LoadedSection& tbss = t.section(".tbss");
  const u8 le[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x8d, 0x80};
  EXPECT_EQ(std::memcmp(t.section(".text").local, le, sizeof le), 0);
  EXPECT_EQ(t.read<i32>(".text", 12), i32(tbss.tp_offset));
  EXPECT_LT(tbss.tp_offset, 0);
}

TEST(X86_64, TlsInitialExecAndLocalExec) {
  Target t(R"(
    .text
    movq %fs:0, %rax
    addq x@GOTTPOFF(%rip), %rax
    movq x@GOTTPOFF(%rip), %rcx
    movl %fs:x@TPOFF, %edx
    .section .tdata,"awT",@progbits
    .quad 1
x:  .quad 7
)");
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  i64 tp = t.section(".tdata").tp_offset + 8;
  // Form I relaxed: lea x@tpoff(%rax), %rax.
  EXPECT_EQ(t.read<u8>(".text", 10), 0x8d);
  EXPECT_EQ(t.read<i32>(".text", 12), i32(tp));
  // The lone movq is not a known sequence: it reads a GOT slot holding x's TP offset.
  u64 got = t.section("<got>").target;
  const LoadedSection& g = t.section("<got>");
  EXPECT_EQ(g.size, 8u);
  EXPECT_EQ(t.read<i32>(".text", 19), i32(got - 4 - (t.section(".text").target + 19)));
  EXPECT_EQ(t.read<i64>("<got>", 0), tp);
  EXPECT_EQ(t.read<i32>(".text", 27), i32(tp));  // TPOFF32
}

TEST(X86_64, ApplyingTwiceGivesTheSameBytes) {
  Target t(R"(
    .text
    call ext
    leaq d(%rip), %rax
    movq ext@GOTPCREL(%rip), %rax
    .data
d:  .quad ext + 1
    .long d - .
    .quad d
)", {{"ext", 0x7f0000001000}});
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  auto snapshot = [&] {
    std::vector<std::vector<u8>> all;
    for (const LoadedSection& s : t.dyld.sections()) all.emplace_back(s.local, s.local + s.size);
    return all;
  };
  auto once = snapshot();
  ASSERT_FALSE(t.dyld.resolve_relocations());
  EXPECT_EQ(snapshot(), once);
  // Remap to another target and back: the bytes return exactly.
  t.place(0x50000000);
  ASSERT_FALSE(t.dyld.resolve_relocations());
  EXPECT_NE(snapshot(), once);
  t.place(0x10000000);
  ASSERT_FALSE(t.dyld.resolve_relocations());
  EXPECT_EQ(snapshot(), once);
}

// Once applied, an object's relocations are not due again until a section
// moves: finalize after resolve_relocations does not apply them a second
// time (the field a test overwrites stays overwritten), a remap makes them
// due, and a failed resolution leaves them due.
TEST(X86_64, AppliedRelocationsAreDueAgainOnlyAfterARemap) {
  Target t(".data\n .quad ext\n .quad d\nd: .quad 0\n", {{"ext", 0x1122334455667788}});
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  ASSERT_EQ(t.read<u64>(".data", 0), 0x1122334455667788u);
  u64 d = t.section(".data").target + 16;
  ASSERT_EQ(t.read<u64>(".data", 8), d);
  u8* field = t.section(".data").local;
  std::memset(field, 0xab, 8);
  ASSERT_FALSE(t.dyld.resolve_relocations());
  EXPECT_EQ(t.read<u64>(".data", 0), 0xababababababababu) << "applied again though nothing moved";
  t.place(0x30000000);
  ASSERT_FALSE(t.dyld.resolve_relocations());
  EXPECT_EQ(t.read<u64>(".data", 0), 0x1122334455667788u);
  EXPECT_EQ(t.read<u64>(".data", 8), t.section(".data").target + 16);
  EXPECT_NE(t.section(".data").target + 16, d);
  std::memset(field, 0xcd, 8);
  ASSERT_FALSE(t.dyld.finalize());
  EXPECT_EQ(t.read<u64>(".data", 0), 0xcdcdcdcdcdcdcdcdu) << "finalize applied relocations already applied";
}

TEST(X86_64, FailedResolutionStaysDue) {
  Target t(".data\n .quad ext\n");
  ASSERT_FALSE(t.load());
  Error first = t.dyld.resolve_relocations();
  ASSERT_TRUE(first);
  EXPECT_EQ(first.kind(), ErrorKind::Unresolved);
  Error again = t.dyld.finalize();  // still due: the same error, not a silent success
  ASSERT_TRUE(again);
  EXPECT_EQ(again.kind(), ErrorKind::Unresolved);
  t.resolver.map["ext"] = 0x5566;
  ASSERT_FALSE(t.dyld.resolve_relocations());
  EXPECT_EQ(t.read<u64>(".data", 0), 0x5566u);
}

TEST(X86_64, RelocationsAreNotAppliedAtLoad) {
  Target t(".data\n .quad ext\n", {{"ext", 0x1122334455667788}});
  ASSERT_FALSE(t.load());
  EXPECT_EQ(t.read<u64>(".data", 0), 0u);
  ASSERT_FALSE(t.dyld.resolve_relocations());
  EXPECT_EQ(t.read<u64>(".data", 0), 0x1122334455667788u);
}

TEST(X86_64, UnresolvedExternalIsNamed) {
  Target t(".text\n call missing_one\n call missing_two\n .weak maybe\n .quad maybe\n");
  ASSERT_FALSE(t.load());
  Error err = t.dyld.resolve_relocations();
  ASSERT_TRUE(err);
  EXPECT_EQ(err.kind(), ErrorKind::Unresolved);
  EXPECT_NE(err.message().find("'missing_one'"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find("'missing_two'"), std::string::npos) << err.message();
  EXPECT_EQ(err.message().find("maybe"), std::string::npos) << "undefined weak resolves to 0";
}

TEST(X86_64, CommonSymbolsGetTheirOwnSection) {
  Target t(".comm buf, 64, 32\n .comm small, 4, 4\n .data\n .quad buf\n .quad small\n");
  ASSERT_FALSE(t.load());
  ASSERT_FALSE(t.dyld.resolve_relocations());
  const LoadedSection& c = t.section("<common symbols>");
  EXPECT_EQ(c.size, 68u);
  EXPECT_EQ(c.align, 32u);
  EXPECT_EQ(t.read<u64>(".data", 0), c.target);
  EXPECT_EQ(t.read<u64>(".data", 8), c.target + 64);
  EXPECT_EQ(t.target("small"), c.target + 64);
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

TEST(X86_64, ProcessAllSectionsLoadsDebugInfoAtZero) {
  const char* src = R"(
    .text
f:  ret
    .section .debug_info,"",@progbits
    .long 7
    .long .Lmark
    .quad f
    .section .debug_str,"MS",@progbits,1
    .asciz "x"
.Lmark:
    .asciz "name"
)";
  {
    Target t(src);
    ASSERT_FALSE(t.load());
    for (const LoadedSection& s : t.dyld.sections()) EXPECT_NE(s.name, ".debug_info") << "off by default";
  }
  Target t(src);
  t.dyld.set_process_all_sections(true);
  ASSERT_FALSE(t.object.empty());
  t.dyld.enable_outcomes(true);
  ASSERT_TRUE(t.dyld.load_object(t.object, "dbg.o"));
  // Only allocatable sections are placed; debug sections stay at 0.
  auto secs = t.dyld.sections();
  for (u32 id = 0; id < secs.size(); id++)
    if (secs[id].allocatable) ASSERT_FALSE(t.dyld.map_section_address(id, 0x10000000 + 0x10000ull * id));
  ASSERT_FALSE(t.dyld.resolve_relocations());
  const LoadedSection& info = t.section(".debug_info");
  EXPECT_FALSE(info.allocatable);
  EXPECT_EQ(info.target, 0u);
  EXPECT_EQ(t.read<u32>(".debug_info", 0), 7u);
  EXPECT_EQ(t.read<u32>(".debug_info", 4), 2u) << "a DWARF string offset: section-relative";
  EXPECT_EQ(t.read<u64>(".debug_info", 8), t.section(".text").target);
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

// Found by the object-structure fuzzer under ASan: a stub made for
// _GLOBAL_OFFSET_TABLE_ (here by PLTOFF64) pointed at the GOT before the
// GOT existed, and resolving read far outside the loader's tables.
TEST(X86_64, StubForTheGotSymbolReachesTheGot) {
  Target t(".text\n movabsq $0, %rax\n .reloc 2, R_X86_64_PLTOFF64, _GLOBAL_OFFSET_TABLE_\n");
  { Error e = t.load(); ASSERT_FALSE(e) << e.message(); }
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  u64 got = t.section("<got>").target;
  const LoadedSection& stubs = t.section("<stubs>");
  u64 slot;
  std::memcpy(&slot, stubs.local + 6, 8);
  EXPECT_EQ(slot, got) << "the stub jumps to the GOT's address";
  EXPECT_EQ(t.read<u64>(".text", 2), stubs.target - got) << "PLTOFF64 = L - GOT + A";
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

// Renames every occurrence of `from` in the object's bytes (string tables)
// to `to`, of the same length: how a test gets an undefined entry named
// like a definition, which an assembler never writes.
void rename(std::vector<u8>& o, std::string_view from, std::string_view to) {
  ASSERT_EQ(from.size(), to.size());
  for (size_t i = 0; i + from.size() <= o.size(); i++)
    if (std::memcmp(&o[i], from.data(), from.size()) == 0) std::memcpy(&o[i], to.data(), to.size());
}

// gABI "Symbol Table": an undefined entry whose name the object also
// defines resolves to that definition, before any resolver (found by AFL++:
// the reference asked the scenario instead).
TEST(X86_64, UndefinedEntryResolvesToTheObjectsOwnDefinition) {
  Target t(".data\n .globl own_def\nown_def: .quad 1\n .quad own_dex\n", {{"own_def", 0x5000}});
  rename(t.object, "own_dex", "own_def");
  { Error e = t.load(); ASSERT_FALSE(e) << e.message(); }
  { Error e = t.dyld.resolve_relocations(); ASSERT_FALSE(e) << e.message(); }
  EXPECT_EQ(t.read<u64>(".data", 8), t.section(".data").target);
}

// ... and thread-locality must agree between the reference and the
// definition, in one object or across two: a TP offset is no address.
TEST(X86_64, TlsAttributeMismatchIsRefused) {
  Target t(".data\n .quad tls_dex\n .section .tbss,\"awT\",@nobits\n .globl tls_def\ntls_def: .zero 4\n");
  rename(t.object, "tls_dex", "tls_def");
  { Error e = t.load(); ASSERT_FALSE(e) << e.message(); }
  Error e = t.dyld.resolve_relocations();
  ASSERT_TRUE(e);
  EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
  EXPECT_NE(e.message().find("refers to 'tls_def', which is not thread-local here but thread-local where it is defined"),
            std::string::npos) << e.message();

  PlainMemoryManager memory;
  RuntimeDyld dyld(memory);
  auto a = assemble(".section .tbss,\"awT\",@nobits\n .globl x\nx: .zero 4\n");
  auto b = assemble(".data\n .quad x\n");
  auto c = assemble(".text\n movq %fs:0, %rax\n addq x@gottpoff(%rip), %rax\n");
  ASSERT_TRUE(dyld.load_object(a, "a.o"));
  ASSERT_TRUE(dyld.load_object(c, "c.o"));
  { Error ok = dyld.resolve_relocations(); EXPECT_FALSE(ok) << ok.message(); }
  ASSERT_TRUE(dyld.load_object(b, "b.o"));
  Error across = dyld.resolve_relocations();
  ASSERT_TRUE(across);
  EXPECT_NE(across.message().find("TLS attribute mismatch"), std::string::npos) << across.message();
}

}  // namespace
}  // namespace jitload
