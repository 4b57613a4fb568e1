// The parser's rejection of each kind of malformed input: one real object,
// one field changed per case, and the error names the problem and where.
#include <gtest/gtest.h>

#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/core/reader.h"
#include "engine/loader/dyld.h"
#include "engine/loader/testing/support.h"

namespace jitload {
namespace {

const std::vector<u8>& base_object() {
  static std::vector<u8> obj = testing::assemble(R"(
    .text
    .globl f
f:  call g
    leaq d(%rip), %rax
    ret
    .data
d:  .quad f
)");
  return obj;
}

struct Shdr {
  u64 at;
};
u64 shoff(const std::vector<u8>& o) { return load_le<u64>(&o[40]); }
u16 shnum(const std::vector<u8>& o) { return load_le<u16>(&o[60]); }
u64 shdr_at(const std::vector<u8>& o, u32 i) { return shoff(o) + 64ull * i; }
u32 find_section_type(const std::vector<u8>& o, u32 type) {
  for (u32 i = 1; i < shnum(o); i++)
    if (load_le<u32>(&o[shdr_at(o, i) + 4]) == type) return i;
  return 0;
}

Error load(const std::vector<u8>& bytes) {
  PlainMemoryManager mm;
  RuntimeDyld dyld(mm);
  auto r = dyld.load_object(bytes, "bad.o");
  if (!r) return r.take_error();
  return Error::success();
}

void expect_error(const std::vector<u8>& bytes, ErrorKind kind, const std::string& text) {
  Error e = load(bytes);
  ASSERT_TRUE(e) << "expected an error containing: " << text;
  EXPECT_EQ(e.kind(), kind) << e.message();
  EXPECT_NE(e.message().find(text), std::string::npos) << e.message();
}

TEST(Malformed, BaseObjectLoads) {
  ASSERT_FALSE(base_object().empty());
  EXPECT_FALSE(load(base_object()));
}

TEST(Malformed, NotAnObject) {
  expect_error({'h', 'e', 'l', 'l', 'o'}, ErrorKind::Unsupported, "not an object file");
  expect_error({}, ErrorKind::Unsupported, "not an object file");
}

TEST(Malformed, TruncatedHeader) {
  auto o = base_object();
  o.resize(40);
  expect_error(o, ErrorKind::Malformed, "too small for an ELF64 header");
}

TEST(Malformed, BadIdent) {
  auto o = base_object();
  o[4] = 7;
  expect_error(o, ErrorKind::Malformed, "unknown ELF class 7");
  o = base_object();
  o[6] = 2;
  expect_error(o, ErrorKind::Malformed, "unknown ELF version");
}

TEST(Malformed, NotRelocatable) {
  auto o = base_object();
  store_le<u16>(&o[16], 2);  // ET_EXEC
  expect_error(o, ErrorKind::Unsupported, "not a relocatable object");
}

TEST(Malformed, UnknownMachine) {
  auto o = base_object();
  store_le<u16>(&o[18], 0x1234);
  expect_error(o, ErrorKind::Unsupported, "ELF machine 4660 is not supported");
}

TEST(Malformed, SectionTableOutsideFile) {
  auto o = base_object();
  store_le<u64>(&o[40], o.size() - 10);
  expect_error(o, ErrorKind::Malformed, "section header table");
  o = base_object();
  store_le<u16>(&o[60], 0xfff0);
  expect_error(o, ErrorKind::Malformed, "lies outside the file");
}

TEST(Malformed, SectionContentsOutsideFile) {
  auto o = base_object();
  u32 text = 0;
  for (u32 i = 1; i < shnum(o); i++)
    if (load_le<u32>(&o[shdr_at(o, i) + 4]) == 1 && (load_le<u64>(&o[shdr_at(o, i) + 8]) & 4)) text = i;
  ASSERT_NE(text, 0u);
  store_le<u64>(&o[shdr_at(o, text) + 32], u64(1) << 40);
  expect_error(o, ErrorKind::Malformed, "lie outside the file");
}

TEST(Malformed, HugeBssIsRefusedBeforeAllocation) {
  auto o = testing::assemble(".bss\n .zero 16\n");
  u32 bss = find_section_type(o, 8);
  ASSERT_NE(bss, 0u);
  store_le<u64>(&o[shdr_at(o, bss) + 32], u64(1) << 60);
  expect_error(o, ErrorKind::Memory, "exceeds the loader's limit");
}

TEST(Malformed, BadAlignment) {
  auto o = base_object();
  store_le<u64>(&o[shdr_at(o, 1) + 48], 3);
  expect_error(o, ErrorKind::Malformed, "alignment 0x3 is not a power of two");
}

TEST(Malformed, BadShstrndx) {
  auto o = base_object();
  store_le<u16>(&o[62], 0);
  expect_error(o, ErrorKind::Malformed, "e_shstrndx 0 does not name a string table");
}

TEST(Malformed, SectionNameOutsideStringTable) {
  auto o = base_object();
  store_le<u32>(&o[shdr_at(o, 1)], 0xffffff);
  expect_error(o, ErrorKind::Malformed, "outside its string table");
}

// An empty string table placed at the very end of the file (sh_offset ==
// file size, sh_size == 0) is in bounds; the loader must not form
// &bytes[size] for it (a std::span precondition violation that ASan cannot
// see: the sanitize build's _GLIBCXX_ASSERTIONS catches it). The names that
// point into the empty table are then the error.
TEST(Malformed, EmptyStringTablesAtEndOfFile) {
  constexpr u32 kStrtab = 3;  // SHT_STRTAB
  const auto& o = base_object();
  u32 shstrndx = load_le<u16>(&o[62]);
  int tables = 0;
  // Every string table in turn: the symbols' (.strtab), the section names'.
  for (u32 i = 1; i < shnum(o); i++) {
    if (load_le<u32>(&o[shdr_at(o, i) + 4]) != kStrtab) continue;
    tables++;
    auto m = o;
    store_le<u64>(&m[shdr_at(m, i) + 24], m.size());  // sh_offset: the end of the file
    store_le<u64>(&m[shdr_at(m, i) + 32], 0);         // sh_size
    Error e = load(m);
    ASSERT_TRUE(e) << "section " << i << (i == shstrndx ? " (section names)" : " (symbol names)");
    EXPECT_EQ(e.kind(), ErrorKind::Malformed) << e.message();
  }
  EXPECT_GE(tables, 1);
}

TEST(Malformed, SymbolTableEntrySize) {
  auto o = base_object();
  u32 sym = find_section_type(o, 2);
  store_le<u64>(&o[shdr_at(o, sym) + 56], 16);
  expect_error(o, ErrorKind::Malformed, "symbol table entry size");
}

TEST(Malformed, SymbolSectionIndexOutOfRange) {
  auto o = base_object();
  u32 sym = find_section_type(o, 2);
  u64 symoff = load_le<u64>(&o[shdr_at(o, sym) + 24]);
  u64 n = load_le<u64>(&o[shdr_at(o, sym) + 32]) / 24;
  // The last symbol is global f, defined in .text: point it at section 999.
  store_le<u16>(&o[symoff + (n - 1) * 24 + 6], 999);
  expect_error(o, ErrorKind::Malformed, "section index 999 is out of range");
}

TEST(Malformed, RelocationSymbolIndexOutOfRange) {
  auto o = base_object();
  u32 rela = find_section_type(o, 4);
  u64 at = load_le<u64>(&o[shdr_at(o, rela) + 24]);
  store_le<u64>(&o[at + 8], (u64(5000) << 32) | 2);
  expect_error(o, ErrorKind::Malformed, "symbol index 5000 is out of range");
}

TEST(Malformed, RelocationOutsideItsSection) {
  auto o = base_object();
  u32 rela = find_section_type(o, 4);
  u64 at = load_le<u64>(&o[shdr_at(o, rela) + 24]);
  store_le<u64>(&o[at], 0x1000);
  expect_error(o, ErrorKind::Malformed, "past the end of its section");
  // Inside the section, but the 4-byte field runs past its end (.text is 13 bytes).
  o = base_object();
  store_le<u64>(&o[at], 11);
  expect_error(o, ErrorKind::Malformed, "patches 4 bytes at offset 0xb, outside its section");
}

TEST(Malformed, UnknownRelocationType) {
  auto o = base_object();
  u32 rela = find_section_type(o, 4);
  u64 at = load_le<u64>(&o[shdr_at(o, rela) + 24]);
  store_le<u32>(&o[at + 8], 0x99);
  expect_error(o, ErrorKind::Unsupported, "<unknown type 0x99>");
}

TEST(Malformed, RelocationTableEntrySize) {
  auto o = base_object();
  u32 rela = find_section_type(o, 4);
  store_le<u64>(&o[shdr_at(o, rela) + 56], 16);
  expect_error(o, ErrorKind::Malformed, "entry size is not 24");
}

TEST(Malformed, ErrorsCarryFileOffsets) {
  auto o = base_object();
  u32 rela = find_section_type(o, 4);
  u64 at = load_le<u64>(&o[shdr_at(o, rela) + 24]);
  store_le<u64>(&o[at], 0x1000);
  Error e = load(o);
  ASSERT_TRUE(e);
  EXPECT_EQ(e.file_offset(), at);
  EXPECT_NE(e.message().find("bad.o:(.text+0x1000)"), std::string::npos) << e.message();
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

// Found by the object-structure fuzzer: R_X86_64_NONE writes nothing, so
// its offset went unchecked and the loader formed a pointer far outside
// the section.
TEST(Malformed, NoneRelocationOutsideItsSection) {
  auto o = testing::assemble(".text\n nop\n .reloc 0, R_X86_64_NONE, 0\n");
  ASSERT_FALSE(o.empty());
  u32 rela = find_section_type(o, 4);
  ASSERT_NE(rela, 0u);
  u64 at = load_le<u64>(&o[shdr_at(o, rela) + 24]);
  store_le<u64>(&o[at], ~u64(7));
  expect_error(o, ErrorKind::Malformed, "past the end of its section");
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

TEST(Malformed, OverlappingFieldsAreRefused) {
  auto o = testing::assemble(".data\n .reloc 0, R_X86_64_64, x\n .reloc 4, R_X86_64_32, y\n .quad 0\n .quad 0\n");
  ASSERT_FALSE(o.empty());
  expect_error(o, ErrorKind::Malformed, "its field overlaps that of R_X86_64_64 at 0x0");
  // The error points at the later entry: the table's second, 24 bytes in.
  u32 rela = find_section_type(o, 4 /* SHT_RELA */);
  ASSERT_NE(rela, 0u);
  EXPECT_EQ(load(o).file_offset(), load_le<u64>(&o[shdr_at(o, rela) + 24]) + 24);
  // Adjacent fields, even out of order in the table, are fine.
  auto ok = testing::assemble(".data\n .reloc 8, R_X86_64_64, x\n .reloc 0, R_X86_64_64, y\n .quad 0\n .quad 0\n");
  EXPECT_FALSE(load(ok));
}

TEST(Malformed, UnknownAllocatableSectionType) {
  auto o = testing::assemble(".section .odd,\"a\",@progbits\n .quad 1\n");
  u32 odd = 0;
  for (u32 i = 1; i < shnum(o); i++)
    if (load_le<u64>(&o[shdr_at(o, i) + 8]) == 2 /* SHF_ALLOC */) odd = i;
  ASSERT_NE(odd, 0u);
  store_le<u32>(&o[shdr_at(o, odd) + 4], 0x6fff4c99);
  expect_error(o, ErrorKind::Unsupported, "allocatable but of unknown type 0x6fff4c99");
}

// The section headers are read in one pass, but an object with several
// faults reports the one separate passes would find first: a header's own
// contents and alignment, then e_shstrndx, a second symbol table, the
// symbol table's header, a bad name, a section that cannot load — whatever
// the order of the headers that carry them.
TEST(Malformed, HeaderFaultsReportedInPassOrder) {
  auto o = base_object();
  u32 text = 1;
  while (text < shnum(o) && !(load_le<u64>(&o[shdr_at(o, text) + 8]) & 4 /* SHF_EXECINSTR */)) text++;
  const u32 symtab = find_section_type(o, 2 /* SHT_SYMTAB */);
  const u32 strtab = load_le<u32>(&o[shdr_at(o, symtab) + 40]), shstrtab = load_le<u16>(&o[62]);
  // The last header that is none of the tables the loader needs to go on.
  u32 last = shnum(o) - 1;
  while (last == symtab || last == strtab || last == shstrtab) last--;
  ASSERT_GT(last, text);
  // An allocatable section of unknown type on the first header, a bad name
  // on a later one: the name is reported.
  store_le<u32>(&o[shdr_at(o, text) + 4], 0x6fff4c99);
  store_le<u32>(&o[shdr_at(o, last)], 0xffffff);
  expect_error(o, ErrorKind::Malformed, "outside its string table");
  // ... and with a second symbol table after both, that is.
  auto two = o;
  store_le<u32>(&two[shdr_at(two, last) + 4], 2 /* SHT_SYMTAB */);
  store_le<u32>(&two[shdr_at(two, last)], 0);
  store_le<u32>(&two[shdr_at(two, text)], 0xffffff);
  expect_error(two, ErrorKind::Malformed, "more than one symbol table");
  // ... unless e_shstrndx is wrong too.
  store_le<u16>(&two[62], 0);
  expect_error(two, ErrorKind::Malformed, "e_shstrndx 0 does not name a string table");
  // A header's own fault comes first of all, even on the last header.
  store_le<u64>(&two[shdr_at(two, last) + 48], 3);
  expect_error(two, ErrorKind::Malformed, "alignment 0x3 is not a power of two");
  // Without the other faults, the unknown type is reported, with the name
  // of its section.
  auto odd = base_object();
  store_le<u32>(&odd[shdr_at(odd, text) + 4], 0x6fff4c99);
  expect_error(odd, ErrorKind::Unsupported, "section '.text' is allocatable but of unknown type 0x6fff4c99");
}

TEST(Malformed, ObjectWithoutSectionsIsEmpty) {
  auto o = base_object();
  o.resize(64);
  store_le<u64>(&o[40], 0);
  store_le<u16>(&o[60], 0);
  store_le<u16>(&o[62], 0);
  EXPECT_FALSE(load(o));
  store_le<u16>(&o[60], 3);
  expect_error(o, ErrorKind::Malformed, "e_shnum is not 0 but there is no section table");
}

TEST(Malformed, ThreadLocalityMustFitTheType) {
  // Used with @GOTTPOFF, x becomes STT_TLS; defined in .data it is malformed.
  expect_error(testing::assemble(".text\n movq x@GOTTPOFF(%rip), %rax\n .data\nx: .quad 0\n"), ErrorKind::Malformed,
               "thread-local symbol 'x' is defined in '.data', which is not an SHF_TLS section");
  // GOTTPOFF on an ordinary (section) symbol: refused at load.
  expect_error(testing::assemble(".text\n .reloc 3, R_X86_64_GOTTPOFF, .data\n .fill 8, 1, 0\n .data\n .quad 0\n"),
               ErrorKind::Unsupported, "'.data', which is not thread-local");
  // TPOFF32 on an ordinary symbol, and the address of a thread-local: refused when applied.
  for (const char* src : {".text\n .reloc 0, R_X86_64_TPOFF32, .data\n .long 0\n .data\n .quad 0\n",
                          ".data\n .quad t\n .section .tdata,\"awT\",@progbits\nt: .quad 1\n"}) {
    auto o = testing::assemble(src);
    ASSERT_FALSE(o.empty()) << src;
    PlainMemoryManager mm;
    RuntimeDyld dyld(mm);
    ASSERT_TRUE(dyld.load_object(o, "tls.o")) << src;
    Error e = dyld.resolve_relocations();
    ASSERT_TRUE(e) << src;
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    EXPECT_NE(e.message().find("mixes thread-local and ordinary"), std::string::npos) << e.message();
  }
}

// The compiler's general-dynamic sequence for x (a .tbss variable), its
// call to CALLEE, then MORE.
std::string general_dynamic(const char* callee, const char* more = "") {
  return std::string(R"(
    .text
    data16
    leaq x@TLSGD(%rip), %rdi
    data16
    data16
    rex64
    call )") + callee + R"(@PLT
    ret
    .section .tbss,"awT",@nobits
x:  .zero 4
)" + more;
}

TEST(Malformed, GeneralDynamicMustCallTlsGetAddr) {
  auto o = testing::assemble(general_dynamic("not_tls_get_addr"));
  expect_error(o, ErrorKind::Unsupported, "not part of a recognised TLS code sequence calling __tls_get_addr");
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

TEST(Malformed, UnknownSymbolBindingIsRefused) {
  auto o = base_object();
  u32 sym = find_section_type(o, 2);
  u64 symoff = load_le<u64>(&o[shdr_at(o, sym) + 24]);
  u64 n = load_le<u64>(&o[shdr_at(o, sym) + 32]) / 24;
  u8& info = o[symoff + (n - 1) * 24 + 4];  // the last symbol: global f
  info = u8((12 << 4) | (info & 0xf));      // STB_HIOS
  expect_error(o, ErrorKind::Unsupported, "has binding 12, which this loader does not know");
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

// st_info of the symbol called `name` (the first one), for retyping it.
u8* symbol_info(std::vector<u8>& o, std::string_view name) {
  u32 sym = find_section_type(o, 2);
  u64 symoff = load_le<u64>(&o[shdr_at(o, sym) + 24]);
  u64 n = load_le<u64>(&o[shdr_at(o, sym) + 32]) / 24;
  u32 strtab = load_le<u32>(&o[shdr_at(o, sym) + 40]);
  u64 stroff = load_le<u64>(&o[shdr_at(o, strtab) + 24]);
  for (u64 i = 1; i < n; i++) {
    const char* s = reinterpret_cast<const char*>(&o[stroff + load_le<u32>(&o[symoff + i * 24])]);
    if (name == s) return &o[symoff + i * 24 + 4];
  }
  return nullptr;
}

// An IFUNC symbol's value is its resolver's address; a thread-local
// section has none (found by AFL++: the engine made a stub for it, the
// reference left it thread-local).
TEST(Malformed, IfuncInThreadLocalSection) {
  auto o = testing::assemble(".section .tbss,\"awT\",@nobits\n .globl f\nf: .zero 4\n");
  ASSERT_FALSE(o.empty());
  u8* info = symbol_info(o, "f");
  ASSERT_TRUE(info);
  *info = u8((*info & 0xf0) | 10);  // STT_GNU_IFUNC
  expect_error(o, ErrorKind::Malformed, "IFUNC symbol 'f' is defined in '.tbss', a thread-local section");
}

// ... and its resolver is called, so it must be code: an IFUNC defined in
// .data made the first call jump into data (`jitload exec`, `jitload-rtdyld
// -execute`: SIGSEGV; found by tools-hostile).
TEST(Malformed, IfuncInDataSection) {
  auto o = testing::assemble(".text\n .globl _main\n_main: call r@PLT\n ret\n"
                             ".data\n .globl r\n .type r, @gnu_indirect_function\nr: .quad 0\n");
  ASSERT_FALSE(o.empty());
  expect_error(o, ErrorKind::Malformed, "IFUNC symbol 'r' is defined in '.data', which is not code");
  // The same in .text loads.
  auto good = testing::assemble(".text\n .globl _main\n_main: call r@PLT\n ret\n"
                                " .globl r\n .type r, @gnu_indirect_function\nr: ret\n");
  ASSERT_FALSE(good.empty());
  EXPECT_FALSE(load(good));
}

// _GLOBAL_OFFSET_TABLE_ is the GOT; typed STT_TLS it is a TLS attribute
// mismatch (found by AFL++: the engine refused the PC64 to it when applied,
// the reference applied it).
TEST(Malformed, GlobalOffsetTableSymbolIsNotThreadLocal) {
  auto o = testing::assemble(".text\n .reloc 0, R_X86_64_PC64, _GLOBAL_OFFSET_TABLE_\n .quad 0\n");
  ASSERT_FALSE(o.empty());
  EXPECT_FALSE(load(o));
  u8* info = symbol_info(o, "_GLOBAL_OFFSET_TABLE_");
  ASSERT_TRUE(info);
  *info = u8((*info & 0xf0) | 6);  // STT_TLS
  expect_error(o, ErrorKind::Malformed, "'_GLOBAL_OFFSET_TABLE_' is STT_TLS");
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

// The call's relocation must express the sequence's form of the call: an
// e8 rel32 call by PLT32/PC32, not GOTPCREL (found by the object-structure
// fuzzer: the engine took any call type for any form, the reference not).
TEST(Malformed, GeneralDynamicCallTypeMustFitItsForm) {
  const char* src = R"(
    .text
    .byte 0x66, 0x48, 0x8d, 0x3d
    .reloc ., R_X86_64_TLSGD, x-4
    .long 0
    .byte 0x66, 0x66, 0x48, 0xe8
    .reloc ., %s, __tls_get_addr-4
    .long 0
    .section .tbss,"awT",@nobits
x:  .zero 4
)";
  char buf[400];
  std::snprintf(buf, sizeof buf, src, "R_X86_64_PLT32");
  auto ok = testing::assemble(buf);
  ASSERT_FALSE(ok.empty());
  EXPECT_FALSE(load(ok));
  std::snprintf(buf, sizeof buf, src, "R_X86_64_GOTPCREL");
  expect_error(testing::assemble(buf), ErrorKind::Unsupported,
               "not part of a recognised TLS code sequence calling __tls_get_addr");
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

// The call must name the symbol __tls_get_addr, not a section of that name
// (found by review of the reference: the engine compared a section symbol's
// section name).
TEST(Malformed, GeneralDynamicCallToASectionNamedTlsGetAddr) {
  auto o = testing::assemble(R"(
    .text
    .byte 0x66, 0x48, 0x8d, 0x3d
    .reloc ., R_X86_64_TLSGD, x-4
    .long 0
    .byte 0x66, 0x66, 0x48, 0xe8
    .reloc ., R_X86_64_PLT32, lbl-4
    .long 0
    .section __tls_get_addr,"ax",@progbits
lbl: ret
    .section .tbss,"awT",@nobits
x:  .zero 4
)");
  expect_error(o, ErrorKind::Unsupported, "not part of a recognised TLS code sequence calling __tls_get_addr");
}

// A scan error names its section by the dyld's section id: with another
// object loaded first, ids do not start at 0, and the faulty table here
// patches the object's second section (.data, not .text).
TEST(Malformed, ScanErrorNamesItsSectionAfterAnotherObject) {
  auto o = base_object();
  u32 rela_data = 0;
  for (u32 i = 1; i < shnum(o); i++)
    if (load_le<u32>(&o[shdr_at(o, i) + 4]) == 4) rela_data = i;  // the last SHT_RELA: .rela.data
  ASSERT_NE(rela_data, find_section_type(o, 4));
  u64 at = load_le<u64>(&o[shdr_at(o, rela_data) + 24]);
  store_le<u64>(&o[at], 0x1000);
  PlainMemoryManager mm;
  RuntimeDyld dyld(mm);
  ASSERT_TRUE(dyld.load_object(base_object(), "good.o"));
  auto r = dyld.load_object(o, "bad.o");
  ASSERT_FALSE(r);
  Error e = r.take_error();
  EXPECT_EQ(e.file_offset(), at);
  EXPECT_NE(e.message().find("bad.o:(.data+0x1000)"), std::string::npos) << e.message();
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

// Two tables for one section that both carry a general-dynamic sequence's
// TLSGD (found by the object-bytes fuzzer: a header copied over another):
// two rewrites of one sequence overlap as two fields would. The engine let
// the second rewrite pass (it took two rewritten sequences never to meet),
// the reference refused it.
TEST(Malformed, OneTlsSequenceRewrittenByTwoTablesIsRefused) {
  auto o = testing::assemble(general_dynamic("__tls_get_addr", "    .section .spare,\"\",@progbits\n    .byte 0\n"));
  ASSERT_FALSE(o.empty());
  EXPECT_FALSE(load(o));
  const u32 rela = find_section_type(o, 4 /* SHT_RELA */);
  ASSERT_NE(rela, 0u);
  // .spare's header (not SHF_ALLOC: it loads nothing) becomes a second
  // copy of .rela.text.
  u32 spare = 0;
  for (u32 i = 1; i < shnum(o); i++)
    if (load_le<u32>(&o[shdr_at(o, i) + 4]) == 1 /* SHT_PROGBITS */ && !(load_le<u64>(&o[shdr_at(o, i) + 8]) & 2))
      spare = i;
  ASSERT_NE(spare, 0u);
  std::copy_n(&o[shdr_at(o, rela)], 64, &o[shdr_at(o, spare)]);
  expect_error(o, ErrorKind::Malformed, "the TLS sequence it rewrites (0x10 bytes from here) overlaps a rewritten TLS sequence at 0x0");
}

}  // namespace
}  // namespace jitload

namespace jitload {
namespace {

// The header pass checks each relocation table whose target came before it
// (compilers write .rela.X after X) and the relocation stage then skips its
// own pass over their headers; any other table sends that stage through
// every table again. These cases take that second path and must end as the
// first would: the same bytes loaded, the same errors.

// Headers a and b swapped, every index that names either renumbered
// (sh_link, sh_info of relocation tables, symbols' st_shndx, e_shstrndx).
std::vector<u8> swap_headers(std::vector<u8> o, u32 a, u32 b) {
  auto renumber = [&](u32 v) { return v == a ? b : v == b ? a : v; };
  for (u64 k = 0; k < 64; k++) std::swap(o[shdr_at(o, a) + k], o[shdr_at(o, b) + k]);
  store_le<u16>(&o[62], u16(renumber(load_le<u16>(&o[62]))));
  for (u32 i = 1; i < shnum(o); i++) {
    const u64 h = shdr_at(o, i);
    const u32 type = load_le<u32>(&o[h + 4]);
    store_le<u32>(&o[h + 40], renumber(load_le<u32>(&o[h + 40])));
    if (type == 4 || type == 9) store_le<u32>(&o[h + 44], renumber(load_le<u32>(&o[h + 44])));
    if (type == 2)  // SHT_SYMTAB: st_shndx of every symbol
      for (u64 s = load_le<u64>(&o[h + 24]); s + 24 <= load_le<u64>(&o[h + 24]) + load_le<u64>(&o[h + 32]); s += 24)
        if (load_le<u16>(&o[s + 6]) < 0xff00) store_le<u16>(&o[s + 6], u16(renumber(load_le<u16>(&o[s + 6]))));
  }
  return o;
}

class AnyAddress final : public SymbolResolver {
 public:
  std::optional<u64> lookup(std::string_view) override { return 0x7000'0000; }
};

// Every loaded section's name and bytes after a load, a remap to fixed
// addresses and a resolve.
std::vector<std::pair<std::string, std::vector<u8>>> loaded(const std::vector<u8>& bytes) {
  PlainMemoryManager mm;
  AnyAddress externals;
  RuntimeDyld dyld(mm, &externals);
  std::vector<std::pair<std::string, std::vector<u8>>> out;
  auto info = dyld.load_object(bytes, "o.o");
  EXPECT_TRUE(info) << info.error().message();
  if (!info) return out;
  EXPECT_FALSE(testing::map_sections_apart(dyld, 0x1000'0000));
  EXPECT_FALSE(dyld.resolve_relocations());
  for (const LoadedSection& s : dyld.sections())
    out.emplace_back(std::string(s.name), std::vector<u8>(s.local, s.local + s.size));
  return out;
}

u32 nth_section_of_type(const std::vector<u8>& o, u32 type, int n) {
  for (u32 i = 1; i < shnum(o); i++)
    if (load_le<u32>(&o[shdr_at(o, i) + 4]) == type && n-- == 0) return i;
  return 0;
}

TEST(Malformed, RelocationTableBeforeItsTarget) {
  const auto o = base_object();
  const u32 rela = find_section_type(o, 4);  // .rela.text
  const u32 text = load_le<u32>(&o[shdr_at(o, rela) + 44]);
  ASSERT_LT(text, rela);
  const auto swapped = swap_headers(o, text, rela);
  ASSERT_EQ(load_le<u32>(&swapped[shdr_at(swapped, text) + 4]), 4u);  // the table now comes first
  const auto want = loaded(o);
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(loaded(swapped), want);
  // Its checks are made all the same.
  auto bad = swapped;
  store_le<u64>(&bad[shdr_at(bad, text) + 56], 16);
  expect_error(bad, ErrorKind::Malformed, "relocation section '.rela.text': entry size is not 24");
  bad = swapped;
  store_le<u32>(&bad[shdr_at(bad, text) + 40], 1);
  expect_error(bad, ErrorKind::Malformed, "relocation section '.rela.text': sh_link 1 is not the symbol table");
}

TEST(Malformed, RelocationTableLinks) {
  // One table's sh_link differs from the other's: the one that is not the
  // symbol table is named, whichever comes first.
  const auto o = base_object();
  const u32 second = nth_section_of_type(o, 4, 1);  // .rela.data
  ASSERT_NE(second, 0u);
  auto bad = o;
  store_le<u32>(&bad[shdr_at(bad, second) + 40], 1);
  expect_error(bad, ErrorKind::Malformed, "relocation section '.rela.data': sh_link 1 is not the symbol table");
  bad = o;
  store_le<u32>(&bad[shdr_at(bad, find_section_type(o, 4)) + 40], 1);
  expect_error(bad, ErrorKind::Malformed, "relocation section '.rela.text': sh_link 1 is not the symbol table");
  // Both the same, and not the symbol table.
  store_le<u32>(&bad[shdr_at(bad, second) + 40], 1);
  expect_error(bad, ErrorKind::Malformed, "relocation section '.rela.text': sh_link 1 is not the symbol table");
}

TEST(Malformed, RelocationTableTargets) {
  const auto o = base_object();
  auto bad = o;
  store_le<u32>(&bad[shdr_at(bad, find_section_type(o, 4)) + 44], 0);
  expect_error(bad, ErrorKind::Malformed, "relocation section '.rela.text': sh_info 0 is not a section");
  bad = o;
  store_le<u32>(&bad[shdr_at(bad, find_section_type(o, 4)) + 44], shnum(o));
  expect_error(bad, ErrorKind::Malformed, "is not a section");
  // SHT_REL (entries of 16 bytes) where x86-64 reads only RELA.
  bad = o;
  const u64 h = shdr_at(bad, nth_section_of_type(o, 4, 1));
  store_le<u32>(&bad[h + 4], 9);
  store_le<u64>(&bad[h + 56], 16);
  expect_error(bad, ErrorKind::Unsupported, "SHT_REL relocations are not supported for this architecture");
}

}  // namespace
}  // namespace jitload
