// The reference loader on small objects written by ElfBuilder: each
// formula of the x86-64 table, each fit check, the GOT/stub/TLS rules, the
// placement rule, and each kind of rejection — with the numbers worked out
// by hand in the comments.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "reference/elf-builder.h"
#include "reference/reference.h"

namespace jitload::reference {
namespace {

using testing::ElfBuilder;

constexpr uint64_t kBase = 0x10000000;
constexpr uint8_t kGlobal = 0x10, kGlobalFunc = 0x12, kGlobalObject = 0x11, kGlobalTls = 0x16,
                  kWeak = 0x20;
constexpr uint64_t kAllocExec = 0x6, kAllocWrite = 0x3, kTlsWrite = 0x403;

const Section* section(const Result& r, const std::string& name) {
  for (const Section& s : r.sections)
    if (s.name == name) return &s;
  return nullptr;
}

uint64_t read(const Section& s, uint64_t off, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++) v |= uint64_t(s.bytes.at(off + i)) << (8 * i);
  return v;
}

const Relocation* relocation_at(const Result& r, uint64_t offset) {
  for (const Relocation& x : r.relocations)
    if (x.offset == offset) return &x;
  return nullptr;
}

// File offset of the section called `name` in an object (for error offsets).
uint64_t section_file_offset(const std::vector<uint8_t>& b, const std::string& name) {
  auto le = [&](uint64_t off, int w) {
    uint64_t v = 0;
    for (int i = 0; i < w; i++) v |= uint64_t(b[off + i]) << (8 * i);
    return v;
  };
  uint64_t shoff = le(40, 8), n = le(60, 2), str = le(62, 2);
  uint64_t strtab = le(shoff + str * 64 + 24, 8);
  for (uint64_t i = 0; i < n; i++) {
    uint64_t h = shoff + i * 64;
    std::string s(reinterpret_cast<const char*>(&b[strtab + le(h, 4)]));
    if (s == name) return le(h + 24, 8);
  }
  return ~0ull;
}

Result load(const ElfBuilder& b, const Scenario& s = Scenario()) {
  std::vector<uint8_t> bytes = b.build();
  return reference::load(bytes, "t.o", s);
}

ElfBuilder::Section text(size_t size = 16) { return {".text", 1, kAllocExec, std::vector<uint8_t>(size, 0x90), 0, 16}; }
ElfBuilder::Section data(size_t size = 16) { return {".data", 1, kAllocWrite, std::vector<uint8_t>(size, 0), 0, 16}; }

TEST(Reference, Pc32And64AgainstADataSymbol) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  uint32_t d = b.add_section(data());
  uint32_t sym = b.add_symbol({"d", kGlobalObject, uint16_t(d), 8, 4});
  b.add_rela({t, 4, 2, sym, -4});  // PC32 d-4
  b.add_rela({d, 0, 1, sym, 2});   // 64 d+2
  Result r = load(b);
  ASSERT_TRUE(r.loaded) << r.error.message;
  // .text at the base; .data at align_up(base + 16 + 0x1000, 16).
  const Section* ts = section(r, ".text");
  const Section* ds = section(r, ".data");
  ASSERT_TRUE(ts && ds);
  EXPECT_EQ(ts->address, kBase);
  EXPECT_EQ(ds->address, kBase + 0x1010);
  // S = 0x10001018, P = 0x10000004: S + A - P = 0x1010.
  EXPECT_EQ(read(*ts, 4, 4), 0x1010u);
  EXPECT_EQ(read(*ds, 0, 8), kBase + 0x101a);
  EXPECT_EQ(relocation_at(r, 4)->effective, kBase + 0x1018 - 4);
  // Bytes outside the field are the file's.
  EXPECT_EQ(ts->bytes[3], 0x90);
  EXPECT_EQ(ts->bytes[8], 0x90);
}

TEST(Reference, Abs32ZeroExtends32SSignExtends) {
  for (auto [type, value, ok] : std::vector<std::tuple<uint32_t, uint64_t, bool>>{
           {10, 0xffffffffull, true},          // 32: largest
           {10, 0x100000000ull, false},        // 32: one past
           {10, uint64_t(-1), false},          // 32: negative
           {11, uint64_t(-0x80000000ll), true},  // 32S: smallest
           {11, 0x80000000ull, false},         // 32S: past the largest
       }) {
    ElfBuilder b;
    uint32_t t = b.add_section(text());
    uint32_t sym = b.add_symbol({"v", kGlobal, 0xfff1 /* SHN_ABS */, value, 0});
    b.add_rela({t, 0, type, sym, 0});
    Result r = load(b);
    EXPECT_EQ(r.loaded, ok) << type << " " << value;
    if (!ok) {
      EXPECT_EQ(r.error.kind, ErrorKind::Overflow);
      EXPECT_NE(r.error.message.find("out of range"), std::string::npos) << r.error.message;
      EXPECT_NE(r.error.message.find("(.text+0x0)"), std::string::npos) << r.error.message;
      // The offending RELA entry is the first of .rela.text.
      EXPECT_EQ(r.error.file_offset, section_file_offset(b.build(), ".rela.text"));
    }
  }
}

TEST(Reference, Word8And16AcceptSignedOrUnsigned) {
  for (auto [type, value, ok] : std::vector<std::tuple<uint32_t, int64_t, bool>>{
           {14, 255, true}, {14, -128, true}, {14, 256, false}, {14, -129, false},
           {12, 65535, true}, {12, -32768, true}, {12, 65536, false}, {12, -32769, false},
       }) {
    ElfBuilder b;
    uint32_t t = b.add_section(text());
    b.add_rela({t, 0, type, 0, value});  // symbol 0: S = 0
    Result r = load(b);
    EXPECT_EQ(r.loaded, ok) << type << " " << value;
    if (ok) EXPECT_EQ(read(*section(r, ".text"), 0, type == 14 ? 1 : 2), uint64_t(value) & (type == 14 ? 0xff : 0xffff));
  }
}

TEST(Reference, Plt32DirectWhenNearThroughStubWhenFar) {
  for (uint64_t target : {kBase + 0x100, uint64_t(0x7f0000000000)}) {
    ElfBuilder b;
    uint32_t t = b.add_section(text());
    uint32_t f = b.add_symbol({"f", kGlobalFunc, 0, 0, 0});
    b.add_rela({t, 1, 4, f, -4});
    Scenario s;
    s.externals = {{"f", target}};
    Result r = load(b, s);
    ASSERT_TRUE(r.loaded) << r.error.message;
    const Relocation* x = relocation_at(r, 1);
    const Section* ts = section(r, ".text");
    const Section* stubs = section(r, "<stubs>");
    ASSERT_TRUE(x && ts && stubs);
    // Either way the call reaches f: effective = S + A.
    EXPECT_EQ(x->effective, target - 4);
    int64_t field = int32_t(read(*ts, 1, 4));
    uint64_t reached = ts->address + 1 + uint64_t(field) + 4;  // next_pc + displacement
    if (target < (1ull << 32)) {
      EXPECT_EQ(x->via, "direct");
      EXPECT_EQ(reached, target);
    } else {
      EXPECT_EQ(x->via, "stub");
      EXPECT_EQ(reached, stubs->address);
      // ff 25 00 00 00 00: jmp *0(%rip), then the target.
      EXPECT_EQ(read(*stubs, 0, 2), 0x25ffu);
      EXPECT_EQ(read(*stubs, 2, 4), 0u);
      EXPECT_EQ(read(*stubs, 6, 8), target);
    }
  }
}

TEST(Reference, OneGotSlotPerSymbol) {
  ElfBuilder b;
  uint32_t t = b.add_section(text(64));
  uint32_t f = b.add_symbol({"f", kGlobal, 0, 0, 0});
  uint32_t g = b.add_symbol({"g", kGlobal, 0, 0, 0});
  b.add_rela({t, 0, 9, f, -4});    // GOTPCREL f
  b.add_rela({t, 8, 42, f, -4});   // REX_GOTPCRELX f: same slot
  b.add_rela({t, 16, 41, g, -4});  // GOTPCRELX g: second slot
  b.add_rela({t, 24, 27, g, 8});   // GOT64 g+8: G + A = 8 + 8
  b.add_rela({t, 32, 26, 0, 3});   // GOTPC32: GOT + A - P
  b.add_rela({t, 40, 25, f, 5});   // GOTOFF64 f+5: S + A - GOT
  Scenario s;
  s.externals = {{"f", 0x5000}, {"g", 0x6000}};
  Result r = load(b, s);
  ASSERT_TRUE(r.loaded) << r.error.message;
  const Section* got = section(r, "<got>");
  const Section* ts = section(r, ".text");
  ASSERT_TRUE(got && ts);
  EXPECT_EQ(got->size, 16u);
  EXPECT_EQ(got->address, r.got_address);
  EXPECT_EQ(read(*got, 0, 8), 0x5000u);
  EXPECT_EQ(read(*got, 8, 8), 0x6000u);
  auto slot_of = [&](uint64_t off) { return ts->address + off + uint64_t(int32_t(read(*ts, off, 4))) + 4; };
  EXPECT_EQ(slot_of(0), got->address);
  EXPECT_EQ(slot_of(8), got->address);
  EXPECT_EQ(slot_of(16), got->address + 8);
  EXPECT_EQ(read(*ts, 24, 8), 16u);
  EXPECT_EQ(uint32_t(read(*ts, 32, 4)), uint32_t(got->address + 3 - (ts->address + 32)));
  EXPECT_EQ(read(*ts, 40, 8), 0x5005 - got->address);
}

TEST(Reference, SizeRelocations) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  uint32_t d = b.add_section(data(32));
  uint32_t obj = b.add_symbol({"obj", kGlobalObject, uint16_t(d), 0, 24});
  uint32_t ext = b.add_symbol({"ext", kGlobal, 0, 0, 0});
  b.add_rela({t, 0, 32, obj, 1});  // SIZE32: Z + A = 25
  b.add_rela({t, 8, 33, obj, 0});  // SIZE64: 24
  Result r = load(b);
  ASSERT_TRUE(r.loaded) << r.error.message;
  EXPECT_EQ(read(*section(r, ".text"), 0, 4), 25u);
  EXPECT_EQ(read(*section(r, ".text"), 8, 8), 24u);
  b.add_rela({t, 4, 32, ext, 0});  // the size of an external is not known
  r = load(b);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Unsupported);
}

// .tdata (8 bytes, align 8) then .tbss (4 bytes, align 4): offsets 0 and 8,
// block 12 rounded to 16, thread pointer at its end: -16 and -8.
ElfBuilder tls_object(uint32_t& t, uint32_t& x, uint32_t& y) {
  ElfBuilder b;
  t = b.add_section(text(32));
  uint32_t td = b.add_section({".tdata", 1, kTlsWrite, std::vector<uint8_t>(8, 7), 0, 8});
  uint32_t tb = b.add_section({".tbss", 8, kTlsWrite, {}, 4, 4});
  x = b.add_symbol({"x", kGlobalTls, uint16_t(td), 4, 4});
  y = b.add_symbol({"y", kGlobalTls, uint16_t(tb), 0, 4});
  return b;
}

TEST(Reference, ThreadLocalBlockAndOffsets) {
  uint32_t t, x, y;
  ElfBuilder b = tls_object(t, x, y);
  b.add_rela({t, 0, 23, y, 0});   // TPOFF32 y: -8
  b.add_rela({t, 8, 18, x, 0});   // TPOFF64 x: -16 + 4
  b.add_rela({t, 16, 16, x, 0});  // DTPMOD64: one module, 1
  b.add_rela({t, 24, 21, x, 1});  // DTPOFF32 x+1: as TPOFF (static TLS): -11
  Result r = load(b);
  ASSERT_TRUE(r.loaded) << r.error.message;
  EXPECT_EQ(section(r, ".tdata")->tp_offset, -16);
  EXPECT_EQ(section(r, ".tbss")->tp_offset, -8);
  const Section* ts = section(r, ".text");
  EXPECT_EQ(int32_t(read(*ts, 0, 4)), -8);
  EXPECT_EQ(int64_t(read(*ts, 8, 8)), -12);
  EXPECT_EQ(read(*ts, 16, 8), 1u);
  EXPECT_EQ(int32_t(read(*ts, 24, 4)), -11);
  // A thread-pointer offset of something that is not thread-local: refused.
  uint32_t plain = b.add_symbol({"plain", kGlobal, uint16_t(t), 0, 0});
  b.add_rela({t, 4, 23, plain, 0});
  r = load(b);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Unsupported);
}

TEST(Reference, TlsEndOffsetMovesTheBlock) {
  uint32_t t, x, y;
  ElfBuilder b = tls_object(t, x, y);
  b.add_rela({t, 0, 23, y, 0});  // TPOFF32 y: -8 - 0x100
  Scenario sc;
  sc.tls_end_offset = -0x100;  // the block ends 0x100 bytes below the thread pointer
  Result r = load(b, sc);
  ASSERT_TRUE(r.loaded) << r.error.message;
  EXPECT_EQ(section(r, ".tdata")->tp_offset, -16 - 0x100);
  EXPECT_EQ(section(r, ".tbss")->tp_offset, -8 - 0x100);
  EXPECT_EQ(int32_t(read(*section(r, ".text"), 0, 4)), -8 - 0x100);
}

TEST(Reference, ProcessAllSectionsLoadsNonAllocAtZero) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  uint32_t dbg = b.add_section({".debug_frame", 1, 0, std::vector<uint8_t>(16, 0xaa), 0, 8});
  uint32_t d = b.add_section(data());
  uint32_t f = b.add_symbol({"f", kGlobalFunc, uint16_t(t), 4, 1});
  uint32_t cie = b.add_symbol({"cie", kGlobal, uint16_t(dbg), 0, 0});
  b.add_rela({dbg, 0, 10, cie, 0});  // R_X86_64_32 cie: 0, the section is at 0
  b.add_rela({dbg, 8, 1, f, 0});     // R_X86_64_64 f
  // By default the section is not loaded (nor its relocations applied).
  Result r = load(b);
  ASSERT_TRUE(r.loaded) << r.error.message;
  EXPECT_EQ(section(r, ".debug_frame"), nullptr);
  uint64_t data_at = section(r, ".data")->address;
  Scenario sc;
  sc.process_all_sections = true;
  r = load(b, sc);
  ASSERT_TRUE(r.loaded) << r.error.message;
  const Section* s = section(r, ".debug_frame");
  ASSERT_NE(s, nullptr);
  EXPECT_FALSE(s->allocatable);
  EXPECT_TRUE(section(r, ".text")->allocatable);
  EXPECT_EQ(s->address, 0u);
  // Not placed: the cursor skips it, so .data stays where it was.
  EXPECT_EQ(section(r, ".data")->address, data_at);
  EXPECT_EQ(read(*s, 0, 4), 0u);
  EXPECT_EQ(read(*s, 8, 8), kBase + 4);
  EXPECT_EQ(read(*s, 4, 4), 0xaaaaaaaau);
  // Mapped explicitly, it goes there.
  sc.section_addresses.emplace_back(".debug_frame", 0x5000);
  r = load(b, sc);
  ASSERT_TRUE(r.loaded) << r.error.message;
  EXPECT_EQ(section(r, ".debug_frame")->address, 0x5000u);
  EXPECT_EQ(read(*section(r, ".debug_frame"), 0, 4), 0x5000u);
  (void)d;
}

TEST(Reference, GeneralDynamicIsRewrittenToLocalExec) {
  uint32_t t, x, y;
  ElfBuilder b = tls_object(t, x, y);
  // Replace .text with the small-model GD sequence.
  ElfBuilder c;
  uint32_t t2 = c.add_section({".text", 1, kAllocExec,
                               {0x66, 0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0x66, 0x66, 0x48, 0xe8, 0, 0, 0, 0}, 0, 16});
  uint32_t td = c.add_section({".tdata", 1, kTlsWrite, std::vector<uint8_t>(8, 7), 0, 8});
  uint32_t x2 = c.add_symbol({"x", kGlobalTls, uint16_t(td), 4, 4});
  uint32_t call = c.add_symbol({"__tls_get_addr", kGlobal, 0, 0, 0});
  c.add_rela({t2, 4, 19, x2, -4});   // TLSGD x
  c.add_rela({t2, 12, 4, call, -4});  // PLT32 __tls_get_addr
  Result r = load(c);
  ASSERT_TRUE(r.loaded) << r.error.message;
  // mov %fs:0, %rax; lea x@tpoff(%rax), %rax with x@tpoff = -8 + 4 = -4.
  const std::vector<uint8_t> want = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x8d, 0x80, 0xfc, 0xff, 0xff, 0xff};
  EXPECT_EQ(section(r, ".text")->bytes, want);
  EXPECT_EQ(relocation_at(r, 4)->status, "relaxed");
  EXPECT_EQ(relocation_at(r, 12)->status, "consumed");
  // Without the call the sequence is not one the psABI describes: refused.
  ElfBuilder d;
  uint32_t t3 = d.add_section({".text", 1, kAllocExec,
                               {0x66, 0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0x66, 0x66, 0x48, 0xe8, 0, 0, 0, 0}, 0, 16});
  uint32_t td3 = d.add_section({".tdata", 1, kTlsWrite, std::vector<uint8_t>(8, 7), 0, 8});
  uint32_t x3 = d.add_symbol({"x", kGlobalTls, uint16_t(td3), 4, 4});
  d.add_rela({t3, 4, 19, x3, -4});
  r = load(d);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Unsupported);
}

TEST(Reference, InitialExecAddFormIsRewrittenOtherwiseASlot) {
  for (bool add_form : {true, false}) {
    ElfBuilder b;
    std::vector<uint8_t> code = add_form ? std::vector<uint8_t>{0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x03, 0x05, 0, 0, 0, 0}
                                         : std::vector<uint8_t>{0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x48, 0x8b, 0x05, 0, 0, 0, 0};
    uint32_t t = b.add_section({".text", 1, kAllocExec, code, 0, 16});
    uint32_t td = b.add_section({".tdata", 1, kTlsWrite, std::vector<uint8_t>(8, 7), 0, 8});
    uint32_t x = b.add_symbol({"x", kGlobalTls, uint16_t(td), 0, 4});
    b.add_rela({t, 12, 22, x, -4});  // GOTTPOFF x
    Result r = load(b);
    ASSERT_TRUE(r.loaded) << r.error.message;
    const Section* ts = section(r, ".text");
    if (add_form) {
      // lea x@tpoff(%rax), %rax with x@tpoff = -8.
      EXPECT_EQ(ts->bytes[10], 0x8d);
      EXPECT_EQ(ts->bytes[11], 0x80);
      EXPECT_EQ(int32_t(read(*ts, 12, 4)), -8);
    } else {
      const Section* got = section(r, "<got>");
      ASSERT_EQ(got->size, 8u);
      EXPECT_EQ(int64_t(read(*got, 0, 8)), -8);
      EXPECT_EQ(ts->address + 16 + uint64_t(int32_t(read(*ts, 12, 4))), got->address);
    }
  }
}

TEST(Reference, CommonSymbolsInSymbolOrder) {
  ElfBuilder b;
  b.add_section(text());
  b.add_symbol({"a", kGlobalObject, 0xfff2 /* SHN_COMMON */, 8, 4});
  b.add_symbol({"b", kGlobalObject, 0xfff2, 16, 8});
  Result r = load(b);
  ASSERT_TRUE(r.loaded) << r.error.message;
  const Section* c = section(r, "<common symbols>");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->size, 24u);
  EXPECT_EQ(c->address % 16, 0u);
  EXPECT_EQ(r.symbols[0].address, c->address);
  EXPECT_EQ(r.symbols[1].address, c->address + 16);
}

TEST(Reference, PlacementRuleAndExplicitAddresses) {
  ElfBuilder b;
  uint32_t t = b.add_section(text(10));
  b.add_section({".rodata", 1, 0x2, std::vector<uint8_t>(3, 1), 0, 64});
  b.add_section(data());
  (void)t;
  Scenario s;
  s.base = 0x1000;
  s.section_sep = 0;
  Result r = load(b, s);
  ASSERT_TRUE(r.loaded) << r.error.message;
  EXPECT_EQ(section(r, ".text")->address, 0x1000u);
  EXPECT_EQ(section(r, ".rodata")->address, 0x1040u);  // 0x100a aligned to 64
  EXPECT_EQ(section(r, ".data")->address, 0x1050u);    // 0x1043 aligned to 16
  s.section_addresses = {{".rodata", 0x9000}, {"#3", 0xa000}};
  r = load(b, s);
  ASSERT_TRUE(r.loaded) << r.error.message;
  EXPECT_EQ(section(r, ".rodata")->address, 0x9000u);
  EXPECT_EQ(section(r, ".data")->address, 0xa000u);
  ElfBuilder twins;
  twins.add_section(text());
  twins.add_section(text());
  s.section_addresses = {{".text", 0x9000}};
  r = load(twins, s);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Argument);
}

TEST(Reference, ExternalsByNameDefaultOrUnresolved) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  uint32_t f = b.add_symbol({"f", kGlobal, 0, 0, 0});
  uint32_t w = b.add_symbol({"w", kWeak, 0, 0, 0});
  b.add_rela({t, 0, 1, f, 0});
  b.add_rela({t, 8, 1, w, 0});
  Result r = load(b);
  ASSERT_TRUE(r.loaded);
  EXPECT_EQ(read(*section(r, ".text"), 0, 8), default_extern_address("f", 0x40000000));
  EXPECT_EQ(read(*section(r, ".text"), 0, 8) % 16, 0u);
  Scenario s;
  s.default_externals = false;
  s.externals = {{"f", 0x1234}};
  r = load(b, s);
  ASSERT_TRUE(r.loaded) << r.error.message;
  EXPECT_EQ(read(*section(r, ".text"), 0, 8), 0x1234u);
  EXPECT_EQ(read(*section(r, ".text"), 8, 8), 0u);  // an undefined weak symbol is 0
  s.externals.clear();
  r = load(b, s);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Unresolved);
  EXPECT_NE(r.error.message.find("'f'"), std::string::npos);
}

TEST(Reference, Rejections) {
  auto rejects = [](std::vector<uint8_t> bytes, ErrorKind kind, uint64_t offset, const char* what) {
    Result r = reference::load(bytes, "t.o", Scenario());
    EXPECT_FALSE(r.loaded) << what;
    EXPECT_EQ(r.error.kind, kind) << what << ": " << r.error.message;
    if (offset != ~0ull) EXPECT_EQ(r.error.file_offset, offset) << what << ": " << r.error.message;
  };
  ElfBuilder good;
  uint32_t t = good.add_section(text());
  uint32_t f = good.add_symbol({"f", kGlobal, 0, 0, 0});
  good.add_rela({t, 0, 2, f, 0});
  std::vector<uint8_t> bytes = good.build();
  ASSERT_TRUE(reference::load(bytes, "t.o", Scenario()).loaded);

  rejects({}, ErrorKind::Unsupported, 0, "empty");
  rejects(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 40), ErrorKind::Malformed, 0, "truncated header");
  std::vector<uint8_t> m = bytes;
  m[18] = 40;  // EM_ARM: no table in the reference
  rejects(m, ErrorKind::Unsupported, 18, "other machine");
  m = bytes;
  m[4] = 1;  // ELFCLASS32
  rejects(m, ErrorKind::Unsupported, 4, "32-bit");
  m = bytes;
  ElfBuilder::put64(&m[40], bytes.size() - 8);  // section table past the end
  rejects(m, ErrorKind::Malformed, ~0ull, "section table outside the file");

  uint64_t rela = section_file_offset(bytes, ".rela.text");
  m = bytes;
  m[rela + 8] = 200;  // unknown type
  rejects(m, ErrorKind::Unsupported, rela, "unknown relocation type");
  m = bytes;
  ElfBuilder::put64(&m[rela], 14);  // a 4-byte field at 14 of a 16-byte section
  rejects(m, ErrorKind::Malformed, rela, "field outside its section");
  m = bytes;
  ElfBuilder::put32(&m[rela + 12], 99);  // symbol index
  rejects(m, ErrorKind::Malformed, rela + 8, "symbol index out of range");
}

TEST(Reference, OverlappingFieldsAreAmbiguous) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  b.add_rela({t, 0, 1, 0, 0});   // 64 at [0, 8)
  b.add_rela({t, 8, 2, 0, 0});   // PC32 at [8, 12): adjacent, fine
  Result r = load(b);
  ASSERT_TRUE(r.loaded) << r.error.message;
  b.add_rela({t, 11, 2, 0, 0});  // PC32 at [11, 15): overlaps the last
  r = load(b);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Malformed);
  EXPECT_NE(r.error.message.find("overlaps"), std::string::npos) << r.error.message;
  EXPECT_EQ(r.error.file_offset, section_file_offset(b.build(), ".rela.text") + 2 * 24);
}

TEST(Reference, GlobalOffsetTableSymbolIsTheGot) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  uint32_t got = b.add_symbol({"_GLOBAL_OFFSET_TABLE_", kGlobal, 0, 0, 0});
  b.add_rela({t, 0, 1, got, 8});  // 64 _GLOBAL_OFFSET_TABLE_+8
  Result r = load(b);
  ASSERT_TRUE(r.loaded) << r.error.message;
  EXPECT_EQ(read(*section(r, ".text"), 0, 8), r.got_address + 8);
}

TEST(Reference, MoreRejections) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  b.add_rela({t, 17, 0, 0, 0});  // R_X86_64_NONE, but past the end of .text
  Result r = load(b);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Malformed);
  ElfBuilder c;
  c.add_section(text());
  c.add_symbol({"lost", 0x01 /* STB_LOCAL, STT_OBJECT */, 0, 0, 0});
  r = load(c);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Malformed);
  EXPECT_NE(r.error.message.find("local but undefined"), std::string::npos);
  std::vector<uint8_t> bytes = c.build();
  bytes[60] = bytes[61] = 0;  // e_shnum 0 and section 0's sh_size 0: no count at all
  r = reference::load(bytes, "t.o", Scenario());
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Malformed);
  ElfBuilder e;
  uint32_t et = e.add_section(text());
  e.add_symbol({"t", kGlobalTls, uint16_t(et), 0, 4});  // STT_TLS, but .text is not SHF_TLS
  r = load(e);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Malformed);
  ElfBuilder d;
  d.add_section({".odd", 0x6fff4c00, 0x2, {1, 2, 3}, 0, 1});  // allocatable, of a type nobody defines
  r = load(d);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Unsupported);
}

TEST(Reference, IfuncSymbolsAreTheirStub) {
  ElfBuilder b;
  uint32_t t = b.add_section(text(32));
  uint32_t d = b.add_section(data());
  uint32_t f = b.add_symbol({"pick", 0x1a /* STB_GLOBAL, STT_GNU_IFUNC */, uint16_t(t), 4, 0});
  b.add_rela({t, 16, 4, f, -4});  // PLT32 pick
  b.add_rela({t, 24, 9, f, -4});  // GOTPCREL pick
  b.add_rela({d, 0, 1, f, 0});    // 64 pick
  Result r = load(b);
  ASSERT_TRUE(r.loaded) << r.error.message;
  const Section* stubs = section(r, "<ifunc stubs>");
  const Section* ts = section(r, ".text");
  ASSERT_TRUE(stubs && ts);
  EXPECT_EQ(stubs->size, 16u);
  // The stub stands for the resolver's pick: it jumps to the resolver.
  EXPECT_EQ(read(*stubs, 0, 2), 0x25ffu);
  EXPECT_EQ(read(*stubs, 6, 8), ts->address + 4);
  // Every reference reaches the stub, and the symbol's address is the stub.
  EXPECT_EQ(ts->address + 20 + uint64_t(int32_t(read(*ts, 16, 4))), stubs->address);
  EXPECT_EQ(read(*section(r, "<got>"), 0, 8), stubs->address);
  EXPECT_EQ(read(*section(r, ".data"), 0, 8), stubs->address);
  ASSERT_EQ(r.symbols.size(), 1u);
  EXPECT_EQ(r.symbols[0].address, stubs->address);
  EXPECT_EQ(r.symbols[0].type, "ifunc");
}

// Found by AFL++ (corpora/object-bytes/regressions/): an IFUNC symbol in a
// thread-local section has no resolver address; _GLOBAL_OFFSET_TABLE_
// typed STT_TLS contradicts its being the GOT. Both are refused.
TEST(Reference, ThreadLocalityContradictions) {
  ElfBuilder b;
  b.add_section(text());
  uint32_t tb = b.add_section({".tbss", 8, kTlsWrite, {}, 4, 4});
  b.add_symbol({"f", 0x1a /* STB_GLOBAL, STT_GNU_IFUNC */, uint16_t(tb), 0, 0});
  Result r = load(b);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Malformed);
  EXPECT_NE(r.error.message.find("IFUNC symbol 'f' is defined in the thread-local section '.tbss'"), std::string::npos)
      << r.error.message;

  for (uint8_t info : {kGlobal, kGlobalTls}) {
    ElfBuilder c;
    uint32_t t = c.add_section(text());
    uint32_t got = c.add_symbol({"_GLOBAL_OFFSET_TABLE_", info, 0, 0, 0});
    c.add_rela({t, 0, 24, got, 0});  // PC64 _GLOBAL_OFFSET_TABLE_
    r = load(c);
    EXPECT_EQ(r.loaded, info == kGlobal) << r.error.message;
    if (info == kGlobalTls) EXPECT_NE(r.error.message.find("typed STT_TLS"), std::string::npos) << r.error.message;
  }
}

// gABI "Symbol Table": an undefined entry whose name this object defines
// resolves to that definition (the global one over a weak one), not to the
// scenario; thread-locality must agree (found by AFL++).
TEST(Reference, UndefinedEntryResolvesToTheObjectsOwnDefinition) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  uint32_t d = b.add_section(data());
  b.add_symbol({"own", kWeak, uint16_t(d), 8, 0});
  b.add_symbol({"own", kGlobalObject, uint16_t(d), 4, 0});
  uint32_t u = b.add_symbol({"own", kGlobal, 0, 0, 0});
  b.add_rela({t, 0, 1, u, 2});  // 64 own+2
  Scenario s;
  s.externals = {{"own", 0x5000}};
  Result r = load(b, s);
  ASSERT_TRUE(r.loaded) << r.error.message;
  EXPECT_EQ(read(*section(r, ".text"), 0, 8), section(r, ".data")->address + 4 + 2);

  ElfBuilder c;
  uint32_t ct = c.add_section(text());
  uint32_t tb = c.add_section({".tbss", 8, kTlsWrite, {}, 4, 4});
  c.add_symbol({"x", kGlobalTls, uint16_t(tb), 0, 4});
  uint32_t cu = c.add_symbol({"x", kGlobal, 0, 0, 0});  // not STT_TLS
  c.add_rela({ct, 0, 0, cu, 0});  // NONE x: the symbol must still resolve
  r = load(c);
  EXPECT_FALSE(r.loaded);
  EXPECT_EQ(r.error.kind, ErrorKind::Unsupported);
  EXPECT_NE(r.error.message.find("TLS attribute mismatch"), std::string::npos) << r.error.message;
}

// SIZE against an undefined symbol: its size is not in this object, even
// for _GLOBAL_OFFSET_TABLE_, which the link editor defines (found by the
// object-structure fuzzer: the reference took its st_size, 0).
TEST(Reference, SizeOfAnUndefinedSymbolIsUnknown) {
  for (const char* name : {"ext", "_GLOBAL_OFFSET_TABLE_"}) {
    ElfBuilder b;
    uint32_t d = b.add_section(data());
    uint32_t y = b.add_symbol({name, kGlobal, 0, 0, 0});
    b.add_rela({d, 0, 32, y, 8});  // SIZE32
    Result r = load(b);
    EXPECT_FALSE(r.loaded) << name;
    EXPECT_EQ(r.error.kind, ErrorKind::Unsupported) << name;
    EXPECT_NE(r.error.message.find("needs the size of external"), std::string::npos) << r.error.message;
  }
}

TEST(Reference, LoadsAnObjectCompiledByClang) {
  const char* dir = std::getenv("TMPDIR");
  std::string base = std::string(dir && *dir ? dir : "/tmp") + "/reference-test-" + std::to_string(getpid());
  {
    std::ofstream c(base + ".c");
    c << "#include <stdio.h>\n__thread int t; static int s; int g = 3; extern int e;\n"
         "int f(int x) { switch (x) { case 0: return g; case 1: return s; case 2: return t; case 3: return e;"
         " case 4: return 7; default: return printf(\"%d\\n\", x); } }\n";
  }
  for (const char* flags : {"-fno-pic -O2", "-fPIC -O2 -ffunction-sections", "-fno-pic -mcmodel=large"}) {
    std::string cmd = std::string(JITLOAD_CLANG) + " -c " + flags + " " + base + ".c -o " + base + ".o";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream o(base + ".o", std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(o)), std::istreambuf_iterator<char>());
    Result r = reference::load(bytes, "f.o", Scenario());
    EXPECT_TRUE(r.loaded) << flags << ": " << r.error.message;
    EXPECT_FALSE(r.relocations.empty()) << flags;
  }
  std::remove((base + ".c").c_str());
  std::remove((base + ".o").c_str());
}

// ---- AArch64, little- and big-endian (reference.h, "AArch64") ----------
// Objects assembled by clang-19 at test time for aarch64 and aarch64_be;
// every field is decoded here and compared with the value worked out by
// hand from the aaelf64 formula (the numbers are in the comments).

std::vector<uint8_t> assemble_a64(const std::string& source, bool big, const std::string& tag) {
  const char* dir = std::getenv("TMPDIR");
  std::string base = std::string(dir && *dir ? dir : "/tmp") + "/reference-a64-" + tag + "-" + std::to_string(getpid());
  {
    std::ofstream f(base + ".s");
    f << source;
  }
  std::string cmd = std::string(JITLOAD_CLANG) + (big ? " --target=aarch64_be-linux-gnu" : " --target=aarch64-linux-gnu") +
                    " -c " + base + ".s -o " + base + ".o";
  std::vector<uint8_t> bytes;
  if (std::system(cmd.c_str()) == 0) {
    std::ifstream o(base + ".o", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(o), std::istreambuf_iterator<char>());
  }
  std::remove((base + ".s").c_str());
  std::remove((base + ".o").c_str());
  return bytes;
}

// Instructions are little-endian in both byte orders; data is not.
uint32_t insn_at(const Section& s, uint64_t off) { return uint32_t(read(s, off, 4)); }
uint64_t data_at(const Section& s, uint64_t off, unsigned width, bool big) {
  if (!big) return read(s, off, width);
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++) v = (v << 8) | s.bytes.at(off + i);
  return v;
}
uint32_t imm16(uint32_t i) { return (i >> 5) & 0xffff; }
uint32_t movw_opc(uint32_t i) { return (i >> 29) & 3; }  // 0 movn, 2 movz, 3 movk
uint32_t imm12(uint32_t i) { return (i >> 10) & 0xfff; }
uint32_t imm19(uint32_t i) { return (i >> 5) & 0x7ffff; }
uint32_t imm14(uint32_t i) { return (i >> 5) & 0x3fff; }
uint32_t imm26(uint32_t i) { return i & 0x3ffffff; }
uint32_t adr_imm(uint32_t i) { return ((i >> 29) & 3) | (((i >> 5) & 0x7ffff) << 2); }  // 21 bits

const char* const kA64Relocs = R"(  .text
  .p2align 4
  .globl f
f:
  movz x0, #:abs_g3:big
  movk x0, #:abs_g2_nc:big
  movk x0, #:abs_g1_nc:big
  movk x0, #:abs_g0_nc:big
  movz x1, #:abs_g0:small
  adrp x2, dat
  add  x2, x2, :lo12:dat
  ldr  x3, [x2, :lo12:dat]
  adr  x4, dat
  bl   ext
  b    ext
  cbz  x0, tgt
  tbz  x0, #1, tgt
  ldr  x5, tgt
  movz x6, #:abs_g1:small
  movz x7, #:abs_g2:small
  movz x8, #:abs_g0_s:neg
  movz x9, #:prel_g0:tgt
  movk x9, #:prel_g1_nc:tgt
  ldrb w10, [x2, :lo12:dat]
  ldrh w10, [x2, :lo12:dat]
  ldr  w10, [x2, :lo12:dat]
  ldr  q0, [x2, :lo12:dat]
  adrp x11, :got:ext
  ldr  x11, [x11, :got_lo12:ext]
  ldr  x12, [x12, :gotpage_lo15:ext]
  adrp x13, :pg_hi21_nc:dat
  b.ne tgt
  movz x14, #:abs_g1_s:neg
  movz x15, #:abs_g2_s:neg
  movz x16, #:prel_g2:tgt
  movz x16, #:prel_g3:tgt
  movk x16, #:prel_g0_nc:tgt
  movk x16, #:prel_g2_nc:tgt
  movz x17, #:prel_g1:tgt
  movz x17, #:abs_g2_nc:big
  movz x17, #:abs_g1_nc:big
  ldr  x18, :got:ext
  .section .text.b,"ax",@progbits
  .globl tgt
tgt:
  ret
  .data
  .p2align 4
  .quad 0
  .quad 0
  .globl dat
dat:
  .quad big
  .word small
  .hword small
  .hword 0
  .quad tgt - .
  .word tgt - .
  .hword tgt - .
  .hword 0
  .word ext@PLT - .
  .word ext@GOTPCREL
)";

Scenario a64_scenario() {
  Scenario s;
  s.section_addresses = {{".text", 0x10000000}, {".text.b", 0x10004000}, {".data", 0x10008000},
                         {"<got>", 0x10010000}, {"<stubs>", 0x10011000}};
  s.externals = {{"big", 0x0001234587654321ull}, {"small", 0x1234}, {"neg", uint64_t(-0x1235)}, {"ext", 0x10020000}};
  s.default_externals = false;
  return s;
}

TEST(ReferenceAArch64, EveryStaticFormLittleAndBigEndian) {
  for (bool big : {false, true}) {
    std::vector<uint8_t> bytes = assemble_a64(kA64Relocs, big, "relocs");
    ASSERT_FALSE(bytes.empty()) << "clang-19 could not assemble for aarch64" << (big ? "_be" : "");
    Result r = reference::load(bytes, "a64.o", a64_scenario());
    ASSERT_TRUE(r.loaded) << r.error.message;
    EXPECT_EQ(r.triple, big ? "aarch64_be-unknown-linux-gnu" : "aarch64-unknown-linux-gnu");
    const Section* t = section(r, ".text");
    const Section* d = section(r, ".data");
    const Section* got = section(r, "<got>");
    ASSERT_TRUE(t && d && got);
    // big = 0x0001_2345_8765_4321: G3..G0 = 1, 0x2345, 0x8765, 0x4321.
    EXPECT_EQ(imm16(insn_at(*t, 0x00)), 0x0001u);
    EXPECT_EQ(imm16(insn_at(*t, 0x04)), 0x2345u);
    EXPECT_EQ(imm16(insn_at(*t, 0x08)), 0x8765u);
    EXPECT_EQ(imm16(insn_at(*t, 0x0c)), 0x4321u);
    EXPECT_EQ(imm16(insn_at(*t, 0x10)), 0x1234u);  // UABS_G0 small
    // dat = .data + 0x10 = 0x10008010. ADRP at P = 0x10000014:
    // Page(dat) - Page(P) = 0x8000, >> 12 = 8.
    EXPECT_EQ(adr_imm(insn_at(*t, 0x14)), 8u);
    EXPECT_EQ(imm12(insn_at(*t, 0x18)), 0x10u);      // ADD :lo12: = 0x010
    EXPECT_EQ(imm12(insn_at(*t, 0x1c)), 0x10u >> 3);  // LDST64: 0x010 / 8
    EXPECT_EQ(adr_imm(insn_at(*t, 0x20)), 0x7ff0u);  // ADR: 0x10008010 - 0x10000020
    // CALL26 / JUMP26 to ext = 0x10020000 (in range: direct).
    EXPECT_EQ(imm26(insn_at(*t, 0x24)), (0x10020000u - 0x10000024u) >> 2);
    EXPECT_EQ(imm26(insn_at(*t, 0x28)), (0x10020000u - 0x10000028u) >> 2);
    // tgt = .text.b = 0x10004000: CONDBR19 (cbz), TSTBR14, LD_PREL_LO19.
    EXPECT_EQ(imm19(insn_at(*t, 0x2c)), (0x10004000u - 0x1000002cu) >> 2);
    EXPECT_EQ(imm14(insn_at(*t, 0x30)), (0x10004000u - 0x10000030u) >> 2);
    EXPECT_EQ(imm19(insn_at(*t, 0x34)), (0x10004000u - 0x10000034u) >> 2);
    EXPECT_EQ(imm16(insn_at(*t, 0x38)), 0u);  // UABS_G1 small: 0x1234 >> 16
    EXPECT_EQ(imm16(insn_at(*t, 0x3c)), 0u);  // UABS_G2 small
    // SABS_G0 neg = -0x1235: MOVN of ~X = 0x1234.
    EXPECT_EQ(movw_opc(insn_at(*t, 0x40)), 0u);
    EXPECT_EQ(imm16(insn_at(*t, 0x40)), 0x1234u);
    // PREL_G0: X = 0x10004000 - 0x10000044 = 0x3fbc >= 0: MOVZ.
    EXPECT_EQ(movw_opc(insn_at(*t, 0x44)), 2u);
    EXPECT_EQ(imm16(insn_at(*t, 0x44)), 0x3fbcu);
    EXPECT_EQ(movw_opc(insn_at(*t, 0x48)), 3u);  // PREL_G1_NC on MOVK: stays MOVK
    EXPECT_EQ(imm16(insn_at(*t, 0x48)), 0u);
    EXPECT_EQ(imm12(insn_at(*t, 0x4c)), 0x10u);       // LDST8
    EXPECT_EQ(imm12(insn_at(*t, 0x50)), 0x10u >> 1);  // LDST16
    EXPECT_EQ(imm12(insn_at(*t, 0x54)), 0x10u >> 2);  // LDST32
    EXPECT_EQ(imm12(insn_at(*t, 0x58)), 0x10u >> 4);  // LDST128
    // ext's GOT slot: the first, at 0x10010000, holding 0x10020000 in the object's byte order.
    EXPECT_EQ(adr_imm(insn_at(*t, 0x5c)), (0x10010000u - 0x10000000u) >> 12);  // ADR_GOT_PAGE
    EXPECT_EQ(imm12(insn_at(*t, 0x60)), 0u);  // LD64_GOT_LO12_NC: slot & 0xfff = 0
    EXPECT_EQ(imm12(insn_at(*t, 0x64)), 0u);  // LD64_GOTPAGE_LO15: slot - Page(GOT) = 0
    ASSERT_EQ(got->bytes.size(), 8u);
    EXPECT_EQ(data_at(*got, 0, 8, big), 0x10020000u);
    EXPECT_EQ(adr_imm(insn_at(*t, 0x68)), 8u);  // ADR_PREL_PG_HI21_NC
    EXPECT_EQ(imm19(insn_at(*t, 0x6c)), (0x10004000u - 0x1000006cu) >> 2);  // b.ne
    EXPECT_EQ(movw_opc(insn_at(*t, 0x70)), 0u);  // SABS_G1 neg: MOVN, (~X >> 16) = 0
    EXPECT_EQ(imm16(insn_at(*t, 0x70)), 0u);
    EXPECT_EQ(movw_opc(insn_at(*t, 0x74)), 0u);  // SABS_G2 neg
    EXPECT_EQ(movw_opc(insn_at(*t, 0x78)), 2u);  // PREL_G2: MOVZ 0
    EXPECT_EQ(movw_opc(insn_at(*t, 0x7c)), 2u);  // PREL_G3: MOVZ 0
    EXPECT_EQ(movw_opc(insn_at(*t, 0x80)), 3u);  // PREL_G0_NC on MOVK: 0x10004000 - 0x10000080
    EXPECT_EQ(imm16(insn_at(*t, 0x80)), 0x3f80u);
    EXPECT_EQ(imm16(insn_at(*t, 0x84)), 0u);     // PREL_G2_NC
    EXPECT_EQ(movw_opc(insn_at(*t, 0x88)), 2u);  // PREL_G1
    EXPECT_EQ(imm16(insn_at(*t, 0x8c)), 0x2345u);  // UABS_G2_NC big
    EXPECT_EQ(imm16(insn_at(*t, 0x90)), 0x8765u);  // UABS_G1_NC big
    // GOT_LD_PREL19 (the tiny model's GOT load): slot - P = 0x10010000 - 0x10000094.
    EXPECT_EQ(imm19(insn_at(*t, 0x94)), (0x10010000u - 0x10000094u) >> 2);
    // Data, in the object's byte order.
    EXPECT_EQ(data_at(*d, 0x10, 8, big), 0x0001234587654321ull);  // ABS64
    EXPECT_EQ(data_at(*d, 0x18, 4, big), 0x1234u);                 // ABS32
    EXPECT_EQ(data_at(*d, 0x1c, 2, big), 0x1234u);                 // ABS16
    EXPECT_EQ(data_at(*d, 0x20, 8, big), uint64_t(0x10004000 - 0x10008020ll));  // PREL64
    EXPECT_EQ(data_at(*d, 0x28, 4, big), uint32_t(0x10004000 - 0x10008028ll));  // PREL32
    EXPECT_EQ(data_at(*d, 0x2c, 2, big), uint16_t(0x10004000 - 0x1000802cll));  // PREL16
    EXPECT_EQ(data_at(*d, 0x30, 4, big), 0x10020000u - 0x10008030u);  // PLT32: S + A - P (A = 0)
    EXPECT_EQ(data_at(*d, 0x34, 4, big), 0x10010000u - 0x10008034u);  // GOTPCREL32: slot - P
    // Every relocation applied, each named by its psABI name.
    for (const Relocation& x : r.relocations) {
      EXPECT_EQ(x.status, "applied") << x.type_name;
      EXPECT_EQ(x.type_name.rfind("R_AARCH64_", 0), 0u) << x.type_name;
    }
  }
}

TEST(ReferenceAArch64, FarCallsGoThroughAStub) {
  const char* src = "  .text\n  bl far\n  b far\n  bl near\n";
  for (bool big : {false, true}) {
    std::vector<uint8_t> bytes = assemble_a64(src, big, "stub");
    ASSERT_FALSE(bytes.empty());
    Scenario s;
    s.section_addresses = {{".text", 0x10000000}, {"<stubs>", 0x10001000}};
    s.externals = {{"far", 0x10000000 + (uint64_t(1) << 28)}, {"near", 0x10000100}};  // 256 MiB away; near
    s.default_externals = false;
    Result r = reference::load(bytes, "stub.o", s);
    ASSERT_TRUE(r.loaded) << r.error.message;
    const Section* t = section(r, ".text");
    const Section* st = section(r, "<stubs>");
    ASSERT_TRUE(t && st);
    // One stub per symbol called: far and near (both external); only far's is used.
    ASSERT_EQ(st->bytes.size(), 32u);
    EXPECT_EQ(insn_at(*st, 0), 0x58000050u);  // ldr x16, #8
    EXPECT_EQ(insn_at(*st, 4), 0xd61f0200u);  // br x16
    EXPECT_EQ(data_at(*st, 8, 8, big), 0x10000000u + (1u << 28));
    EXPECT_EQ(imm26(insn_at(*t, 0)), (0x10001000u - 0x10000000u) >> 2);  // L - P
    EXPECT_EQ(imm26(insn_at(*t, 4)), (0x10001000u - 0x10000004u) >> 2);
    EXPECT_EQ(imm26(insn_at(*t, 8)), (0x10000100u - 0x10000008u) >> 2);  // direct
    EXPECT_EQ(relocation_at(r, 0)->via, "stub");
    EXPECT_EQ(relocation_at(r, 8)->via, "direct");
  }
}

TEST(ReferenceAArch64, ThreadLocalFormsVariantOne) {
  const char* src =
      "  .text\n"
      "  mrs x0, tpidr_el0\n"
      "  add x0, x0, :tprel_hi12:tv\n"
      "  add x0, x0, :tprel_lo12_nc:tv\n"
      "  movz x1, #:tprel_g1:tv\n"
      "  movk x1, #:tprel_g0_nc:tv\n"
      "  adrp x2, :gottprel:tv\n"
      "  ldr x2, [x2, :gottprel_lo12:tv]\n"
      "  adrp x0, :tlsdesc:tv\n"
      "  ldr x1, [x0, :tlsdesc_lo12:tv]\n"
      "  add x0, x0, :tlsdesc_lo12:tv\n"
      "  .tlsdesccall tv\n"
      "  blr x1\n"
      "  nop\n"
      "  nop\n"
      "  nop\n"
      "  ldr w3, [x0, :tprel_lo12:tv]\n"
      "  .section .tdata,\"awT\",@progbits\n"
      "  .p2align 3\n"
      "  .word 0\n"
      "  .globl tv\n"
      "  .type tv,%tls_object\n"
      "tv:\n"
      "  .word 7\n";
  for (bool big : {false, true}) {
    std::vector<uint8_t> bytes = assemble_a64(src, big, "tls");
    ASSERT_FALSE(bytes.empty());
    Scenario s;
    s.section_addresses = {{".text", 0x10000000}, {"<got>", 0x10010000}};
    Result r = reference::load(bytes, "tls.o", s);
    ASSERT_TRUE(r.loaded) << r.error.message;
    const Section* t = section(r, ".text");
    const Section* td = section(r, ".tdata");
    const Section* got = section(r, "<got>");
    ASSERT_TRUE(t && td && got);
    // Variant I: TP + 16 (TCB) aligned to 8 = 16 is .tdata; tv at 4: TPREL = 20.
    EXPECT_EQ(td->address, 16u);
    EXPECT_EQ(imm12(insn_at(*t, 0x04)), 0u);   // TPREL_HI12: 20 >> 12
    EXPECT_EQ(imm12(insn_at(*t, 0x08)), 20u);  // TPREL_LO12_NC
    EXPECT_EQ(movw_opc(insn_at(*t, 0x0c)), 2u);
    EXPECT_EQ(imm16(insn_at(*t, 0x0c)), 0u);   // TPREL_G1
    EXPECT_EQ(imm16(insn_at(*t, 0x10)), 20u);  // TPREL_G0_NC
    // IE: the TP-offset slot at 0x10010000 holds 20.
    EXPECT_EQ(adr_imm(insn_at(*t, 0x14)), (0x10010000u - 0x10000000u) >> 12);
    EXPECT_EQ(imm12(insn_at(*t, 0x18)), 0u);
    ASSERT_EQ(got->bytes.size(), 8u);
    EXPECT_EQ(data_at(*got, 0, 8, big), 20u);
    // TLSDESC relaxed: movz x0, #0, lsl 16; movk x0, #20; nop; nop.
    EXPECT_EQ(insn_at(*t, 0x1c), 0xd2a00000u);
    EXPECT_EQ(insn_at(*t, 0x20), 0xf2800000u | (20u << 5));
    EXPECT_EQ(insn_at(*t, 0x24), 0xd503201fu);
    EXPECT_EQ(insn_at(*t, 0x28), 0xd503201fu);
    EXPECT_EQ(imm12(insn_at(*t, 0x38)), 20u >> 2);  // TLSLE_LDST32_TPREL_LO12
  }
}

// One source line that must fail: the error kind and a phrase of the message.
struct A64Failure {
  const char* what;
  const char* source;
  ErrorKind kind;
  const char* phrase;
};

TEST(ReferenceAArch64, OverflowAndMisuseAreErrorsNamingTheRelocation) {
  const A64Failure cases[] = {
      {"UABS_G0 beyond 16 bits", "  movz x0, #:abs_g0:big\n", ErrorKind::Overflow, "R_AARCH64_MOVW_UABS_G0 out of range"},
      {"UABS_G1 beyond 32 bits", "  movz x0, #:abs_g1:big\n", ErrorKind::Overflow, "R_AARCH64_MOVW_UABS_G1 out of range"},
      {"SABS_G0 below -2^16", "  movz x0, #:abs_g0_s:vneg\n", ErrorKind::Overflow, "R_AARCH64_MOVW_SABS_G0 out of range"},
      {"ADRP beyond 4 GiB", "  adrp x0, huge\n", ErrorKind::Overflow, "R_AARCH64_ADR_PREL_PG_HI21 out of range"},
      {"ADR beyond 1 MiB", "  adr x0, mid\n", ErrorKind::Overflow, "R_AARCH64_ADR_PREL_LO21 out of range"},
      {"CONDBR19 beyond 1 MiB", "  cbz x0, mid\n", ErrorKind::Overflow, "R_AARCH64_CONDBR19 out of range"},
      {"TSTBR14 beyond 32 KiB", "  tbz x0, #0, near64k\n", ErrorKind::Overflow, "R_AARCH64_TSTBR14 out of range"},
      {"LDST64 misaligned", "  ldr x0, [x0, :lo12:odd]\n", ErrorKind::Overflow, "R_AARCH64_LDST64_ABS_LO12_NC misaligned"},
      {"ABS32 beyond 2^32", "  .data\n  .word big\n", ErrorKind::Overflow, "R_AARCH64_ABS32 out of range"},
      {"ABS16 beyond 2^16", "  .data\n  .hword mid\n", ErrorKind::Overflow, "R_AARCH64_ABS16 out of range"},
      {"GOT with an addend", "  adrp x0, :got:small+8\n", ErrorKind::Unsupported, "one slot per symbol"},
      {"TLSDESC on the wrong register", "  adrp x5, :tlsdesc:tv\n", ErrorKind::Unsupported, "not adrp x0"},
      {"undefined symbol", "  bl missing\n", ErrorKind::Unresolved, "missing"},
  };
  const std::string tls = "  .section .tbss,\"awT\",@nobits\n  .globl tv\n  .type tv,%tls_object\ntv:\n  .zero 8\n";
  for (const A64Failure& c : cases)
    for (bool big : {false, true}) {
      std::vector<uint8_t> bytes = assemble_a64(std::string("  .text\n") + c.source + tls, big, "fail");
      ASSERT_FALSE(bytes.empty()) << c.what;
      Scenario s;
      s.section_addresses = {{".text", 0x10000000}};
      s.externals = {{"big", 0x0001234587654321ull}, {"small", 0x1234}, {"vneg", uint64_t(-0x10001)},
                     {"huge", 0x10000000 + (uint64_t(5) << 30)}, {"mid", 0x10000000 + (uint64_t(3) << 20)},
                     {"near64k", 0x10000000 + 0x10000}, {"odd", 0x10000004}};
      s.default_externals = false;
      Result r = reference::load(bytes, "fail.o", s);
      EXPECT_FALSE(r.loaded) << c.what;
      EXPECT_EQ(r.error.kind, c.kind) << c.what << ": " << r.error.message;
      EXPECT_NE(r.error.message.find(c.phrase), std::string::npos) << c.what << ": " << r.error.message;
    }
}

TEST(ReferenceAArch64, LocalBranchOutOfRangeHasNoStub) {
  const char* src = "  .text\n  bl there\n  .section .text.far,\"ax\",@progbits\nthere:\n  ret\n";
  for (bool big : {false, true}) {
    std::vector<uint8_t> bytes = assemble_a64(src, big, "local");
    ASSERT_FALSE(bytes.empty());
    Scenario s;
    s.section_addresses = {{".text", 0x10000000}, {".text.far", 0x10000000 + (uint64_t(1) << 27)}};
    Result r = reference::load(bytes, "local.o", s);
    EXPECT_FALSE(r.loaded);
    EXPECT_EQ(r.error.kind, ErrorKind::Overflow) << r.error.message;
    EXPECT_NE(r.error.message.find("R_AARCH64_CALL26 out of range: 134217728 is not in [-2^27, 2^27)"),
              std::string::npos) << r.error.message;
    // The field is untouched: still the assembler's bl 0.
    EXPECT_EQ(insn_at(*section(r, ".text"), 0), 0x94000000u);
  }
}

// IFUNC (reference.h): the symbol's value everywhere is its 16-byte stub in
// "<ifunc stubs>", whose word holds the resolver's address.
TEST(ReferenceAArch64, IfuncEveryReferenceReachesItsStub) {
  const char* src =
      "  .text\n  .globl fn\n  .type fn,%gnu_indirect_function\nfn:\n  ret\n"
      "  .globl caller\ncaller:\n  bl fn\n  adrp x0, :got:fn\n  ldr x0, [x0, :got_lo12:fn]\n"
      "  .data\n  .quad fn\n";
  for (bool big : {false, true}) {
    std::vector<uint8_t> bytes = assemble_a64(src, big, "ifunc");
    ASSERT_FALSE(bytes.empty());
    Scenario s;
    s.section_addresses = {{".text", 0x10000000}, {".data", 0x10001000}, {"<got>", 0x10002000},
                           {"<ifunc stubs>", 0x10003000}};
    Result r = reference::load(bytes, "ifunc.o", s);
    ASSERT_TRUE(r.loaded) << r.error.message;
    const Section* t = section(r, ".text");
    const Section* d = section(r, ".data");
    const Section* got = section(r, "<got>");
    const Section* st = section(r, "<ifunc stubs>");
    ASSERT_TRUE(t && d && got && st);
    ASSERT_EQ(st->bytes.size(), 16u);
    EXPECT_EQ(insn_at(*st, 0), 0x58000050u);
    EXPECT_EQ(insn_at(*st, 4), 0xd61f0200u);
    EXPECT_EQ(data_at(*st, 8, 8, big), 0x10000000u);                       // the resolver, fn
    EXPECT_EQ(imm26(insn_at(*t, 4)), (0x10003000u - 0x10000004u) >> 2);  // bl fn: the stub
    EXPECT_EQ(data_at(*got, 0, 8, big), 0x10003000u);                     // GOT slot: the stub
    EXPECT_EQ(data_at(*d, 0, 8, big), 0x10003000u);                       // .quad fn: the stub
  }
}

// Untrusted input: every single-byte corruption of real AArch64 objects
// (LE and BE) gives a result or an error with a message — never a crash,
// which the sanitizer build would see as an out-of-bounds access.
TEST(ReferenceAArch64, CorruptedObjectsNeverCrash) {
  for (bool big : {false, true}) {
    std::vector<uint8_t> good = assemble_a64(kA64Relocs, big, "corrupt");
    ASSERT_FALSE(good.empty());
    uint64_t state = 0x9e3779b97f4a7c15ull;
    size_t errors = 0;
    for (int i = 0; i < 4000; i++) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      std::vector<uint8_t> m = good;
      size_t at = size_t((state >> 33) % m.size());
      m[at] = uint8_t(state >> 13);
      Result r = reference::load(m, "corrupt.o", a64_scenario());
      if (!r.loaded) {
        errors++;
        EXPECT_FALSE(r.error.message.empty()) << "byte " << at;
      }
    }
    EXPECT_GT(errors, 0u);  // some corruptions must be caught
  }
}

// A set of AArch64 objects is one program: a call to another object's
// definition binds to it (directly, in range; its stub stays unused); an
// object of another machine or byte order joins no set of AArch64 objects.
TEST(ReferenceAArch64, SetsBindAcrossObjectsAndRefuseMixedMachines) {
  for (bool big : {false, true}) {
    std::vector<uint8_t> a = assemble_a64("  .text\n  .globl main\nmain:\n  bl g\n  adrp x0, :got:v\n", big, "set-a");
    std::vector<uint8_t> b = assemble_a64("  .text\n  .globl g\ng:\n  ret\n  .data\n  .globl v\nv:\n  .quad 1\n",
                                          big, "set-b");
    std::vector<uint8_t> other = assemble_a64("  .text\n  ret\n", !big, "set-other");
    ASSERT_FALSE(a.empty() || b.empty() || other.empty());
    std::vector<Input> inputs = {{"a.o", a}, {"b.o", b}, {"other.o", other}};
    Scenario s;
    s.default_externals = false;
    std::vector<Result> r = load_set(inputs, s);
    ASSERT_EQ(r.size(), 3u);
    ASSERT_TRUE(r[0].loaded) << r[0].error.message;
    ASSERT_TRUE(r[1].loaded) << r[1].error.message;
    const Section* ta = section(r[0], ".text");
    const Section* tb = section(r[1], ".text");
    ASSERT_TRUE(ta && tb);
    EXPECT_EQ(imm26(insn_at(*ta, 0)), uint32_t((tb->address - ta->address) >> 2) & 0x3ffffff);
    EXPECT_EQ(relocation_at(r[0], 0)->via, "direct");
    // The other byte order is rejected, naming both triples.
    EXPECT_FALSE(r[2].loaded);
    EXPECT_FALSE(r[2].placed);
    EXPECT_EQ(r[2].error.kind, ErrorKind::Unsupported);
    EXPECT_NE(r[2].error.message.find(big ? "is for aarch64-unknown-linux-gnu but the set is for aarch64_be"
                                          : "is for aarch64_be-unknown-linux-gnu but the set is for aarch64-"),
              std::string::npos) << r[2].error.message;
  }
}

// clang-19 emits TLS descriptors only on AArch64 (no -mtls-dialect=trad),
// so the general-dynamic sequence is built by hand: adrp x0; add x0, x0;
// bl __tls_get_addr.
TEST(ReferenceAArch64, GeneralDynamicRelaxedToLocalExec) {
  for (bool paired : {true, false}) {
    ElfBuilder b;
    b.machine = 183;
    std::vector<uint8_t> code = {0x00, 0x00, 0x00, 0x90,   // adrp x0, 0
                                 0x00, 0x00, 0x00, 0x91,   // add x0, x0, #0
                                 0x00, 0x00, 0x00, 0x94};  // bl 0
    uint32_t t = b.add_section({".text", 1, kAllocExec, code, 0, 4});
    uint32_t td = b.add_section({".tdata", 1, kTlsWrite, std::vector<uint8_t>(16, 0), 0, 8});
    uint32_t tv = b.add_symbol({"tv", kGlobalTls, uint16_t(td), 4, 4});
    uint32_t get = b.add_symbol({"__tls_get_addr", kGlobal, 0, 0, 0});
    b.add_rela({t, 0, 513, tv, 0});  // TLSGD_ADR_PAGE21
    b.add_rela({t, 4, 514, tv, 0});  // TLSGD_ADD_LO12_NC
    if (paired) b.add_rela({t, 8, 283, get, 0});  // CALL26 __tls_get_addr
    Result r = load(b);
    if (!paired) {
      EXPECT_FALSE(r.loaded);
      EXPECT_EQ(r.error.kind, ErrorKind::Unsupported);
      EXPECT_NE(r.error.message.find("R_AARCH64_TLSGD_ADD_LO12_NC: is not followed by a call to __tls_get_addr"),
                std::string::npos) << r.error.message;
      continue;
    }
    ASSERT_TRUE(r.loaded) << r.error.message;
    const Section* ts = section(r, ".text");
    // TPREL = align_up(16, 8) + 4 = 20.
    EXPECT_EQ(insn_at(*ts, 0), 0xd53bd040u);                 // mrs x0, tpidr_el0
    EXPECT_EQ(insn_at(*ts, 4), 0x91400000u);                 // add x0, x0, #0, lsl 12
    EXPECT_EQ(insn_at(*ts, 8), 0x91000000u | (20u << 10));   // add x0, x0, #20
    EXPECT_EQ(relocation_at(r, 8)->status, "consumed");
    EXPECT_EQ(relocation_at(r, 4)->status, "relaxed");
  }
}

TEST(ReferenceAArch64, MalformedAndUnknownInputs) {
  // A relocation whose field lies past the section's end.
  {
    ElfBuilder b;
    b.machine = 183;
    uint32_t t = b.add_section(text(8));
    b.add_rela({t, 6, 283, 0, 0});  // CALL26 at 6: 4 bytes, 2 past the end
    Result r = load(b);
    EXPECT_FALSE(r.loaded);
    EXPECT_EQ(r.error.kind, ErrorKind::Malformed);
    EXPECT_NE(r.error.message.find("R_AARCH64_CALL26: its 4-byte field lies outside the section"), std::string::npos)
        << r.error.message;
  }
  // A type the psABI names but the reference does not implement, and one it does not name.
  for (uint32_t type : {307u, 281u}) {
    ElfBuilder b;
    b.machine = 183;
    uint32_t t = b.add_section(text(8));
    b.add_rela({t, 0, type, 0, 0});
    Result r = load(b);
    EXPECT_FALSE(r.loaded);
    EXPECT_EQ(r.error.kind, ErrorKind::Unsupported);
    EXPECT_NE(r.error.message.find(type == 307 ? "R_AARCH64_GOTREL64" : "<unknown type 0x119>"), std::string::npos)
        << r.error.message;
  }
  // A machine without a table; big-endian x86-64.
  {
    ElfBuilder b;
    b.machine = 40;  // EM_ARM
    b.add_section(text(8));
    Result r = load(b);
    EXPECT_FALSE(r.loaded);
    EXPECT_EQ(r.error.kind, ErrorKind::Unsupported);
    EXPECT_EQ(r.error.file_offset, 18u);
  }
  {
    ElfBuilder b;
    b.add_section(text(8));
    std::vector<uint8_t> bytes = b.build();
    bytes[5] = 2;  // ELFDATA2MSB: e_machine now reads 0x3e00, which has no table
    Result r = reference::load(bytes, "be.o", Scenario());
    EXPECT_FALSE(r.loaded);
    EXPECT_EQ(r.error.kind, ErrorKind::Unsupported);
    EXPECT_EQ(r.error.file_offset, 18u);
    bytes[5] = 3;  // neither byte order
    r = reference::load(bytes, "bad.o", Scenario());
    EXPECT_EQ(r.error.kind, ErrorKind::Malformed);
    EXPECT_EQ(r.error.file_offset, 5u);
  }
}

TEST(ReferenceAArch64, CompiledCLoadsAtEveryModel) {
  const char* dir = std::getenv("TMPDIR");
  std::string base = std::string(dir && *dir ? dir : "/tmp") + "/reference-a64-c-" + std::to_string(getpid());
  {
    std::ofstream c(base + ".c");
    c << "__thread int t; static int s; int g = 3; extern int e; extern int h(int);\n"
         "int f(int x) { switch (x) { case 0: return g; case 1: return s; case 2: return t; case 3: return e;"
         " case 4: return 7; default: return h(x); } }\n";
  }
  for (const char* target : {"aarch64-linux-gnu", "aarch64_be-linux-gnu"})
    for (const char* flags : {"-O0 -fno-pic", "-O2 -fPIC", "-O2 -fno-pic -mcmodel=tiny", "-O1 -fno-pic -mcmodel=large",
                              "-O3 -fPIC -ffunction-sections"}) {
      std::string cmd = std::string(JITLOAD_CLANG) + " --target=" + target + " -c " + flags + " " + base + ".c -o " +
                        base + ".o";
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
      std::ifstream o(base + ".o", std::ios::binary);
      std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(o)), std::istreambuf_iterator<char>());
      // The externals within 1 MiB: the tiny model reaches them with LDR (literal).
      Scenario s;
      s.externals = {{"e", 0x10080000}, {"h", 0x10080100}};
      Result r = reference::load(bytes, "f.o", s);
      EXPECT_TRUE(r.loaded) << target << " " << flags << ": " << r.error.message;
      EXPECT_FALSE(r.relocations.empty()) << flags;
    }
  std::remove((base + ".c").c_str());
  std::remove((base + ".o").c_str());
}

// ---- sets of objects: one program (reference.h, "Sets" ... "Linkage") ----

constexpr uint8_t kWeakObject = 0x21, kWeakFunc = 0x22, kUniqueObject = 0xa1, kLocalObject = 0x01;
constexpr uint16_t kShnCommon = 0xfff2;
constexpr uint32_t kR64 = 1, kPc32 = 2, kPlt32 = 4, kTpoff32 = 23, kSize64 = 33;

std::vector<Result> load_all(const std::vector<std::vector<uint8_t>>& objects, const Scenario& s = Scenario()) {
  std::vector<Input> inputs;
  for (size_t i = 0; i < objects.size(); i++) inputs.push_back({"o" + std::to_string(i) + ".o", objects[i]});
  return load_set(inputs, s);
}

const Symbol* symbol(const Result& r, const std::string& name) {
  for (const Symbol& y : r.symbols)
    if (y.name == name) return &y;
  return nullptr;
}

// An object whose .data defines `name` (binding/type `info`, visibility
// `other`) at offset 8, and whose .text holds an R_X86_64_64 at 0 against
// that same symbol: the defining object's own reference (L5).
std::vector<uint8_t> defines(const std::string& name, uint8_t info, uint8_t other = 0) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  uint32_t d = b.add_section(data());
  uint32_t y = b.add_symbol({name, info, uint16_t(d), 8, 4, other});
  b.add_rela({t, 0, kR64, y, 0});
  return b.build();
}

// An object that references `name` (undefined, binding/type `info`) with
// an R_X86_64_64 at .text+0.
std::vector<uint8_t> references(const std::string& name, uint8_t info = kGlobal) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  uint32_t y = b.add_symbol({name, info, 0, 0, 0});
  b.add_rela({t, 0, kR64, y, 0});
  return b.build();
}

// An object with a common `name` (size, alignment) and an R_X86_64_64 to it.
std::vector<uint8_t> common(const std::string& name, uint64_t size, uint64_t align) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  uint32_t y = b.add_symbol({name, kGlobalObject, kShnCommon, align, size});
  b.add_rela({t, 0, kR64, y, 0});
  return b.build();
}

uint64_t text_word(const Result& r) { return read(*section(r, ".text"), 0, 8); }

TEST(ReferenceSet, PlacementContinuesTheCursorObjectAfterObject) {
  Scenario s;
  s.base = 0x10000;
  s.section_sep = 0x100;
  std::vector<uint8_t> a = defines("a", kGlobalObject), b = defines("b", kGlobalObject);
  std::vector<Result> r = load_all({a, b}, s);
  ASSERT_TRUE(r[0].loaded && r[1].loaded) << r[0].error.message << r[1].error.message;
  // Object 0: .text 0x10000 (16), .data 0x10110, no commons, <got>
  // align8(0x10220) = 0x10220 (empty), <stubs> align16(0x10320), <ifunc
  // stubs> 0x10420; the cursor is then 0x10520, where object 1 begins.
  EXPECT_EQ(section(r[0], ".text")->address, 0x10000u);
  EXPECT_EQ(section(r[0], ".data")->address, 0x10110u);
  EXPECT_EQ(r[0].got_address, 0x10220u);
  EXPECT_EQ(section(r[1], ".text")->address, 0x10520u);
  EXPECT_EQ(section(r[1], ".data")->address, 0x10630u);
  EXPECT_EQ(r[1].got_address, 0x10740u);
  // Each object alone is what load() gives.
  Result alone = reference::load(a, "o0.o", s);
  ASSERT_TRUE(alone.loaded);
  ASSERT_EQ(alone.sections.size(), r[0].sections.size());
  for (size_t i = 0; i < alone.sections.size(); i++) {
    EXPECT_EQ(alone.sections[i].address, r[0].sections[i].address) << alone.sections[i].name;
    EXPECT_EQ(alone.sections[i].bytes, r[0].sections[i].bytes) << alone.sections[i].name;
  }
  // "@K:" maps in object K only, before a plain key, which maps in every
  // object; a mapped section does not move the cursor.
  s.section_addresses = {{".data", 0x90000}, {"@1:.data", 0xa0000}, {"@1:#1", 0xb0000}, {"@0:<got>", 0xc0000}};
  r = load_all({a, b}, s);
  ASSERT_TRUE(r[0].loaded && r[1].loaded) << r[0].error.message << r[1].error.message;
  EXPECT_EQ(section(r[0], ".data")->address, 0x90000u);
  EXPECT_EQ(section(r[1], ".data")->address, 0xa0000u);
  EXPECT_EQ(section(r[1], ".text")->address, 0xb0000u);
  EXPECT_EQ(r[0].got_address, 0xc0000u);
  // Object 0: .text 0x10000, cursor 0x10110; <stubs> 0x10110, <ifunc
  // stubs> 0x10210, cursor 0x10310; object 1's .text and .data are mapped,
  // so its GOT is at 0x10310.
  EXPECT_EQ(r[1].got_address, 0x10310u);
  EXPECT_EQ(text_word(r[1]), 0xa0000u + 8);
  // "@2:" with two objects: every object is refused (Argument).
  s.section_addresses = {{"@2:.text", 0x1000}};
  r = load_all({a, b}, s);
  for (const Result& x : r) {
    EXPECT_FALSE(x.loaded);
    EXPECT_EQ(x.error.kind, ErrorKind::Argument) << x.error.message;
  }
}

// L1, L2, L5: a strong definition beats a weak one in either order, and
// the weak definition's own object binds its reference to the strong one.
TEST(ReferenceSet, StrongBeatsWeakInEitherOrderAndBindsTheWeakObjectsOwnReference) {
  std::vector<uint8_t> weak = defines("wv", kWeakObject), strong = defines("wv", kGlobalObject);
  for (bool weak_first : {true, false}) {
    std::vector<Result> r = weak_first ? load_all({weak, strong}) : load_all({strong, weak});
    const Result& w = r[weak_first ? 0 : 1];
    const Result& st = r[weak_first ? 1 : 0];
    ASSERT_TRUE(w.loaded && st.loaded) << w.error.message << st.error.message;
    uint64_t strong_wv = section(st, ".data")->address + 8;
    EXPECT_EQ(text_word(w), strong_wv) << weak_first;
    EXPECT_EQ(text_word(st), strong_wv) << weak_first;
    EXPECT_FALSE(symbol(w, "wv")->chosen);
    EXPECT_EQ(symbol(w, "wv")->address, section(w, ".data")->address + 8);  // its own entry's address
    EXPECT_TRUE(symbol(st, "wv")->chosen);
  }
  // A common beats a weak definition too, and a strong one beats a common
  // (L4), in either order.
  std::vector<uint8_t> com = common("wv", 4, 4);
  for (bool common_first : {true, false}) {
    std::vector<Result> r = common_first ? load_all({com, weak}) : load_all({weak, com});
    const Result& c = r[common_first ? 0 : 1];
    const Result& w = r[common_first ? 1 : 0];
    ASSERT_TRUE(c.loaded && w.loaded);
    EXPECT_EQ(text_word(w), section(c, "<common symbols>")->address) << common_first;
    r = common_first ? load_all({com, strong}) : load_all({strong, com});
    const Result& c2 = r[common_first ? 0 : 1];
    const Result& s2 = r[common_first ? 1 : 0];
    ASSERT_TRUE(c2.loaded && s2.loaded);
    EXPECT_EQ(text_word(c2), section(s2, ".data")->address + 8) << common_first;
    EXPECT_FALSE(symbol(c2, "wv")->chosen);
  }
}

// L2: two strong definitions: the later object is rejected, naming both,
// and contributes nothing; two STB_GNU_UNIQUE ones: the first stays.
TEST(ReferenceSet, DuplicateStrongDefinitionsRejectTheLaterObject) {
  std::vector<Result> r = load_all({defines("g", kGlobalObject), defines("g", kGlobalObject), references("g")});
  ASSERT_TRUE(r[0].loaded) << r[0].error.message;
  EXPECT_FALSE(r[1].loaded);
  EXPECT_FALSE(r[1].placed);
  EXPECT_TRUE(r[1].sections.empty());
  EXPECT_EQ(r[1].error.kind, ErrorKind::Malformed);
  EXPECT_NE(r[1].error.message.find("duplicate definition of symbol 'g'"), std::string::npos) << r[1].error.message;
  EXPECT_NE(r[1].error.message.find("o1.o"), std::string::npos) << r[1].error.message;
  EXPECT_NE(r[1].error.message.find("o0.o"), std::string::npos) << r[1].error.message;
  ASSERT_TRUE(r[2].loaded) << r[2].error.message;
  EXPECT_EQ(text_word(r[2]), section(r[0], ".data")->address + 8);
  // Object 2 is placed right after object 0: object 1 took no room.
  std::vector<Result> without = load_all({defines("g", kGlobalObject), references("g")});
  EXPECT_EQ(section(r[2], ".text")->address, section(without[1], ".text")->address);

  r = load_all({defines("u", kUniqueObject), defines("u", kUniqueObject)});
  ASSERT_TRUE(r[0].loaded && r[1].loaded) << r[1].error.message;
  EXPECT_EQ(text_word(r[1]), section(r[0], ".data")->address + 8);
  EXPECT_EQ(text_word(r[0]), section(r[0], ".data")->address + 8);
  // GNU_UNIQUE and GLOBAL are two strong definitions.
  r = load_all({defines("u", kUniqueObject), defines("u", kGlobalObject)});
  EXPECT_TRUE(r[0].loaded);
  EXPECT_FALSE(r[1].loaded);
  // Inside one object: malformed, as before.
  ElfBuilder one;
  uint32_t d = one.add_section(data());
  one.add_symbol({"g", kGlobalObject, uint16_t(d), 0, 4});
  one.add_symbol({"g", kGlobalObject, uint16_t(d), 4, 4});
  Result x = load(one);
  EXPECT_FALSE(x.loaded);
  EXPECT_NE(x.error.message.find("in one object"), std::string::npos) << x.error.message;
}

// L3: among weak definitions the first in input order wins, for every
// reference; visibility does not let a weak definition win (L5).
TEST(ReferenceSet, FirstWeakWinsAndVisibilityDoesNotChoose) {
  std::vector<Result> r = load_all({defines("w", kWeakObject), defines("w", kWeakObject), references("w")});
  for (const Result& x : r) ASSERT_TRUE(x.loaded) << x.error.message;
  uint64_t first = section(r[0], ".data")->address + 8;
  for (const Result& x : r) EXPECT_EQ(text_word(x), first);
  EXPECT_TRUE(symbol(r[0], "w")->chosen);
  EXPECT_FALSE(symbol(r[1], "w")->chosen);
  // A hidden weak definition loses to a strong default one: its own
  // reference goes there too; a protected strong one wins over a weak.
  for (uint8_t vis : {1, 2, 3}) {
    r = load_all({defines("h", kWeakObject, vis), defines("h", kGlobalObject)});
    ASSERT_TRUE(r[0].loaded && r[1].loaded);
    EXPECT_EQ(text_word(r[0]), section(r[1], ".data")->address + 8) << int(vis);
    r = load_all({defines("h", kWeakObject), defines("h", kGlobalObject, vis)});
    ASSERT_TRUE(r[0].loaded && r[1].loaded);
    EXPECT_EQ(text_word(r[0]), section(r[1], ".data")->address + 8) << int(vis);
  }
  // A local symbol of the same name is no definition of the name.
  r = load_all({defines("l", kLocalObject), defines("l", kGlobalObject)});
  ASSERT_TRUE(r[0].loaded && r[1].loaded);
  EXPECT_EQ(text_word(r[0]), section(r[0], ".data")->address + 8);
  EXPECT_EQ(text_word(r[1]), section(r[1], ".data")->address + 8);
}

// Two commons of one name in one object: one slot, the largest size and
// the strictest alignment, where the first is (ld and lld merge them so);
// an unnamed pair is not merged.
TEST(ReferenceSet, CommonsOfOneNameInOneObjectShareOneSlot) {
  ElfBuilder b;
  uint32_t t = b.add_section(text());
  uint32_t first = b.add_symbol({"c", kGlobalObject, kShnCommon, 0x40000, 4});
  b.add_symbol({"d", kGlobalObject, kShnCommon, 8, 8});
  uint32_t second = b.add_symbol({"c", kGlobalObject, kShnCommon, 16, 64});
  b.add_rela({t, 0, kR64, second, 0});
  b.add_rela({t, 8, kR64, first, 0});
  Scenario s;
  s.section_addresses = {{"<common symbols>", 0x20000000}};
  std::vector<Result> r = load_all({b.build()}, s);
  ASSERT_TRUE(r[0].loaded) << r[0].error.message;
  const Section* block = section(r[0], "<common symbols>");
  EXPECT_EQ(block->size, 0x48u);  // c: 64 bytes at 0, d: 8 at 64
  EXPECT_EQ(block->align, 0x40000u);
  EXPECT_EQ(read(*section(r[0], ".text"), 0, 8), 0x20000000u);
  EXPECT_EQ(read(*section(r[0], ".text"), 8, 8), 0x20000000u);
}

// L4: commons merge into the largest (the first on a tie); an alignment
// the storage's address does not have rejects the later object.
TEST(ReferenceSet, CommonsMergeIntoTheLargest) {
  std::vector<Result> r = load_all({common("c", 4, 4), common("c", 8, 4), common("c", 8, 4)});
  for (const Result& x : r) ASSERT_TRUE(x.loaded) << x.error.message;
  uint64_t storage = section(r[1], "<common symbols>")->address;
  for (const Result& x : r) EXPECT_EQ(text_word(x), storage);
  EXPECT_FALSE(symbol(r[0], "c")->chosen);
  EXPECT_TRUE(symbol(r[1], "c")->chosen);
  EXPECT_FALSE(symbol(r[2], "c")->chosen);
  // Each object's block keeps every common of its own (a loser's slot unused).
  EXPECT_EQ(section(r[0], "<common symbols>")->size, 4u);

  // Storage first (size 8, align 4) at an address aligned to 4 only; a
  // later common asking for 32: the later object is rejected, naming both.
  Scenario s;
  s.section_addresses = {{"@0:<common symbols>", 0x20000004}};
  r = load_all({common("c", 8, 4), common("c", 4, 32)}, s);
  ASSERT_TRUE(r[0].loaded) << r[0].error.message;
  EXPECT_FALSE(r[1].loaded);
  EXPECT_FALSE(r[1].placed);
  EXPECT_NE(r[1].error.message.find("alignment 32"), std::string::npos) << r[1].error.message;
  EXPECT_NE(r[1].error.message.find("o0.o"), std::string::npos) << r[1].error.message;
  EXPECT_EQ(text_word(r[0]), 0x20000004u);
  // Aligned enough by address: no error.
  s.section_addresses = {{"@0:<common symbols>", 0x20000040}};
  r = load_all({common("c", 8, 4), common("c", 4, 32)}, s);
  ASSERT_TRUE(r[0].loaded && r[1].loaded) << r[1].error.message;
  EXPECT_EQ(text_word(r[1]), 0x20000040u);
  // Storage later: the later object (the storage) is rejected, and the
  // name falls back to object 0's common.
  s.section_addresses = {{"@1:<common symbols>", 0x20000008}, {"@0:<common symbols>", 0x30000000}};
  r = load_all({common("c", 4, 32), common("c", 8, 4)}, s);
  ASSERT_TRUE(r[0].loaded) << r[0].error.message;
  EXPECT_FALSE(r[1].loaded);
  EXPECT_EQ(text_word(r[0]), 0x30000000u);  // Two conflicts: the one a loader taking objects in order meets first
  // rejects its object first ('z': object 1), whatever the names sort
  // like; without object 1, object 2's 'a' has no conflict left.
  ElfBuilder both;
  uint32_t bt = both.add_section(text());
  both.add_symbol({"z", kGlobalObject, kShnCommon, 32, 4});
  uint32_t ba = both.add_symbol({"a", kGlobalObject, kShnCommon, 4, 8});  // at offset 4
  both.add_rela({bt, 0, kR64, ba, 0});
  s.section_addresses = {{"@0:<common symbols>", 0x20000004}, {"@1:<common symbols>", 0x30000020},
                         {"@2:<common symbols>", 0x40000000}};
  r = load_all({common("z", 8, 4), both.build(), common("a", 4, 16)}, s);
  EXPECT_TRUE(r[0].loaded) << r[0].error.message;
  EXPECT_FALSE(r[1].placed);
  EXPECT_NE(r[1].error.message.find("'z'"), std::string::npos) << r[1].error.message;
  ASSERT_TRUE(r[2].loaded) << r[2].error.message;
  EXPECT_EQ(text_word(r[2]), 0x40000000u);
  // The storage's own alignment is not L4's business (a mapping chose it).
  s.section_addresses = {{"<common symbols>", 0x20000004}};
  r = load_all({common("c", 8, 8)}, s);
  EXPECT_TRUE(r[0].loaded) << r[0].error.message;
}

// L6: an undefined reference binds to the set before the scenario; what
// nothing defines: the scenario, else 0 when weak, else an error.
TEST(ReferenceSet, UndefinedReferencesBindToTheSetFirst) {
  Scenario s;
  s.externals = {{"f", 0x5000}};
  std::vector<Result> r = load_all({references("f"), defines("f", kGlobalObject)}, s);
  ASSERT_TRUE(r[0].loaded && r[1].loaded);
  EXPECT_EQ(text_word(r[0]), section(r[1], ".data")->address + 8);
  s.default_externals = false;
  s.externals.clear();
  r = load_all({references("nowhere", kWeak), defines("f", kGlobalObject)}, s);
  ASSERT_TRUE(r[0].loaded) << r[0].error.message;
  EXPECT_EQ(text_word(r[0]), 0u);
  r = load_all({references("nowhere"), defines("f", kGlobalObject)}, s);
  EXPECT_FALSE(r[0].loaded);
  EXPECT_TRUE(r[0].placed);
  EXPECT_EQ(r[0].error.kind, ErrorKind::Unresolved);
  EXPECT_NE(r[0].error.message.find("undefined symbol 'nowhere'"), std::string::npos) << r[0].error.message;
  EXPECT_TRUE(r[1].loaded);
}

// L9: the definition and the reference agree on thread-locality.
TEST(ReferenceSet, ThreadLocalityMustAgreeAcrossObjects) {
  std::vector<Result> r = load_all({references("x", kGlobalTls), defines("x", kGlobalObject)});
  EXPECT_FALSE(r[0].loaded);
  EXPECT_EQ(r[0].error.kind, ErrorKind::Unsupported);
  EXPECT_NE(r[0].error.message.find("TLS attribute mismatch"), std::string::npos) << r[0].error.message;
  EXPECT_TRUE(r[1].loaded);
}

// One TLS block for the set: objects in input order; a TPOFF32 in one
// object reaches another's thread-local variable.
TEST(ReferenceSet, OneTlsBlockInInputOrder) {
  ElfBuilder a;
  a.add_section(text());
  uint32_t at = a.add_section({".tdata", 1, kTlsWrite, std::vector<uint8_t>(4, 1), 0, 4});
  a.add_symbol({"ta", kGlobalTls, uint16_t(at), 0, 4});
  ElfBuilder b;
  uint32_t bt = b.add_section(text());
  uint32_t btd = b.add_section({".tdata", 1, kTlsWrite, std::vector<uint8_t>(8, 2), 0, 8});
  b.add_symbol({"tb", kGlobalTls, uint16_t(btd), 0, 8});
  uint32_t ref = b.add_symbol({"ta", kGlobalTls, 0, 0, 0});
  b.add_rela({bt, 0, kTpoff32, ref, 0});
  std::vector<Result> r = load_all({a.build(), b.build()});
  ASSERT_TRUE(r[0].loaded && r[1].loaded) << r[1].error.message;
  // ta at 0 (4 bytes), tb at 8 (aligned 8), block 16: ta at -16, tb at -8.
  EXPECT_EQ(int64_t(section(r[0], ".tdata")->address), -16);
  EXPECT_EQ(int64_t(section(r[1], ".tdata")->address), -8);
  EXPECT_EQ(int32_t(read(*section(r[1], ".text"), 0, 4)), -16);
}

// A call to a name this object defines weakly but the set binds elsewhere
// goes through a stub of this object when far (reference.h, "Stubs").
TEST(ReferenceSet, CallsToADefinitionBoundElsewhereGetAStub) {
  ElfBuilder a;
  uint32_t t = a.add_section(text());
  uint32_t f = a.add_symbol({"f", kWeakFunc, uint16_t(t), 8, 1});
  a.add_rela({t, 1, kPlt32, f, -4});
  std::vector<uint8_t> strong = defines("f", kGlobalFunc);
  Scenario s;
  s.section_addresses = {{"@1:.data", 0x700000000}};  // beyond a 32-bit displacement
  std::vector<Result> r = load_all({a.build(), strong}, s);
  ASSERT_TRUE(r[0].loaded && r[1].loaded) << r[0].error.message;
  const Section* stubs = section(r[0], "<stubs>");
  ASSERT_TRUE(stubs);
  EXPECT_EQ(read(*stubs, 6, 8), 0x700000008u);
  const Relocation* call = relocation_at(r[0], 1);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->via, "stub");
  EXPECT_EQ(call->effective, 0x700000008u - 4);
  // Its own object alone: the call reaches its own f directly (a stub is
  // kept for the weak f all the same, as for any preemptible definition,
  // and used only when the displacement does not fit).
  Result alone = load(a);
  ASSERT_TRUE(alone.loaded);
  const Relocation* own = relocation_at(alone, 1);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->via, "direct");
  EXPECT_EQ(own->effective, section(alone, ".text")->address + 8 - 4);
}

// SIZE against a name defined in another object: that definition's size.
TEST(ReferenceSet, SizeOfANameDefinedInAnotherObject) {
  ElfBuilder a;
  uint32_t d = a.add_section(data());
  uint32_t y = a.add_symbol({"big", kGlobal, 0, 0, 0});
  a.add_rela({d, 0, kSize64, y, 1});
  ElfBuilder b;
  uint32_t bd = b.add_section(data(64));
  b.add_symbol({"big", kGlobalObject, uint16_t(bd), 0, 48});
  std::vector<Result> r = load_all({a.build(), b.build()});
  ASSERT_TRUE(r[0].loaded) << r[0].error.message;
  EXPECT_EQ(read(*section(r[0], ".data"), 0, 8), 49u);
}

// A rejected object contributes nothing: the others are what they would
// be without it — here it would have won f, and its strong g conflicts.
TEST(ReferenceSet, ARejectedObjectIsAsIfAbsent) {
  ElfBuilder first;
  uint32_t t0 = first.add_section(text());
  uint32_t d0 = first.add_section(data());
  first.add_symbol({"g", kGlobalObject, uint16_t(d0), 0, 4});
  uint32_t f0 = first.add_symbol({"f", kWeakObject, uint16_t(d0), 8, 4});
  first.add_rela({t0, 0, kR64, f0, 0});
  ElfBuilder second;
  uint32_t d1 = second.add_section(data());
  second.add_symbol({"g", kGlobalObject, uint16_t(d1), 0, 4});
  second.add_symbol({"f", kGlobalObject, uint16_t(d1), 8, 4});
  std::vector<uint8_t> garbage = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  std::vector<Result> r = load_all({first.build(), second.build(), garbage, references("f")});
  ASSERT_TRUE(r[0].loaded && r[3].loaded);
  EXPECT_FALSE(r[1].placed);
  EXPECT_FALSE(r[2].placed);
  EXPECT_EQ(r[2].error.kind, ErrorKind::Malformed);
  uint64_t weak_f = section(r[0], ".data")->address + 8;
  EXPECT_EQ(text_word(r[0]), weak_f);
  EXPECT_EQ(text_word(r[3]), weak_f);
  std::vector<Result> without = load_all({first.build(), references("f")});
  EXPECT_EQ(section(r[3], ".text")->address, section(without[1], ".text")->address);
  EXPECT_EQ(section(r[3], ".text")->bytes, section(without[1], ".text")->bytes);
  // An object that conflicts only with a rejected one loads: object 1
  // defines g but has an unknown relocation type (rejected when scanned),
  // object 2 defines g too and is the set's g.
  ElfBuilder bad;
  uint32_t bt = bad.add_section(text());
  uint32_t bd = bad.add_section(data());
  uint32_t bg = bad.add_symbol({"g", kGlobalObject, uint16_t(bd), 0, 4});
  bad.add_rela({bt, 0, 200, bg, 0});  // type 200: not in the psABI table
  r = load_all({references("g"), bad.build(), defines("g", kGlobalObject)});
  ASSERT_TRUE(r[0].loaded) << r[0].error.message;
  EXPECT_FALSE(r[1].placed);
  EXPECT_EQ(r[1].error.kind, ErrorKind::Unsupported) << r[1].error.message;
  ASSERT_TRUE(r[2].loaded) << r[2].error.message;
  EXPECT_EQ(text_word(r[0]), section(r[2], ".data")->address + 8);
  // Not ELF at all: refused by the dispatcher, also as if absent.
  r = load_all({std::vector<uint8_t>{1, 2, 3}, references("f"), defines("f", kGlobalObject)});
  EXPECT_EQ(r[0].error.kind, ErrorKind::Unsupported);
  ASSERT_TRUE(r[1].loaded && r[2].loaded);
  EXPECT_EQ(text_word(r[1]), section(r[2], ".data")->address + 8);
}

// The relocation-error policy: every relocation that can be applied is;
// each failure is reported on its relocation; the object's error is the
// first one with the count; its definitions still bind the others.
TEST(ReferenceSet, AfterARelocationErrorTheOthersAreApplied) {
  ElfBuilder a;
  uint32_t t = a.add_section(text(32));
  uint32_t d = a.add_section(data());
  uint32_t g = a.add_symbol({"g", kGlobalObject, uint16_t(d), 0, 4});
  uint32_t missing = a.add_symbol({"missing", kGlobal, 0, 0, 0});
  a.add_rela({t, 0, kR64, missing, 0});  // undefined: fails
  a.add_rela({t, 8, kPc32, g, 0});       // .data mapped far: overflows
  a.add_rela({t, 16, kR64, g, 5});       // fine
  Scenario s;
  s.default_externals = false;
  s.section_addresses = {{"@0:.data", 0x900000000}};
  std::vector<Result> r = load_all({a.build(), references("g")}, s);
  EXPECT_FALSE(r[0].loaded);
  EXPECT_TRUE(r[0].placed);
  EXPECT_EQ(r[0].relocation_errors, 2u);
  EXPECT_EQ(r[0].error.kind, ErrorKind::Unresolved);
  EXPECT_NE(r[0].error.message.find("undefined symbol 'missing'"), std::string::npos) << r[0].error.message;
  EXPECT_NE(r[0].error.message.find("[the first of 2 relocations that failed]"), std::string::npos)
      << r[0].error.message;
  EXPECT_EQ(relocation_at(r[0], 0)->status, "error");
  EXPECT_EQ(relocation_at(r[0], 8)->status, "error");
  EXPECT_NE(relocation_at(r[0], 8)->error.find("out of range"), std::string::npos);
  EXPECT_EQ(relocation_at(r[0], 16)->status, "applied");
  EXPECT_EQ(read(*section(r[0], ".text"), 16, 8), 0x900000005u);
  EXPECT_EQ(read(*section(r[0], ".text"), 0, 8), 0x9090909090909090u);  // untouched
  ASSERT_TRUE(r[1].loaded) << r[1].error.message;
  EXPECT_EQ(text_word(r[1]), 0x900000000u);
  // One failure alone: its own diagnostic, nothing appended.
  s.section_addresses.clear();
  r = load_all({a.build()}, s);
  EXPECT_EQ(r[0].relocation_errors, 1u);
  EXPECT_EQ(r[0].error.message.find("[the first"), std::string::npos) << r[0].error.message;
}

// The native static link by clang-19 is the truth for linkage: each case
// is compiled, linked natively (ld, then lld) and run; the program prints
// the int that object a's pointer `pa` reaches. The reference loads the
// same objects (without main) as one set; the value at the address a's
// relocation reaches in the loaded image must be what the native program
// printed.
TEST(ReferenceSet, AgreesWithTheNativeLinkOfCompiledObjects) {
  const char* dir = std::getenv("TMPDIR");
  std::string base = std::string(dir && *dir ? dir : "/tmp") + "/reference-set-test-" + std::to_string(getpid());
  auto write = [](const std::string& path, const std::string& text) { std::ofstream(path) << text; };
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  struct Case {
    const char* what;
    std::vector<std::string> sources;  // a.c first: it holds `int *pa = &v;`
  };
  const std::vector<Case> cases = {
      {"weak then strong", {"__attribute__((weak)) int v = 1; int *pa = &v;", "int v = 2;"}},
      {"strong then weak", {"int v = 2; int *pa = &v;", "__attribute__((weak)) int v = 1;"}},
      {"two weak: the first", {"__attribute__((weak)) int v = 1; int *pa = &v;", "__attribute__((weak)) int v = 2;"}},
      {"common beats weak", {"__attribute__((weak)) int v = 5; int *pa = &v;", "int v;"}},
      {"strong beats common", {"int v; int *pa = &v;", "int v = 7;"}},
      {"hidden weak loses", {"__attribute__((weak, visibility(\"hidden\"))) int v = 1; int *pa = &v;", "int v = 3;"}},
      {"undefined binds to the set", {"extern int v; int *pa = &v;", "int v = 4;"}},
  };
  write(base + "-main.c", "#include <stdio.h>\nextern int *pa;\nint main(void) { printf(\"%d\\n\", *pa); return 0; }\n");
  std::string cc = std::string(JITLOAD_CLANG);
  ASSERT_EQ(std::system((cc + " -c -O1 " + base + "-main.c -o " + base + "-main.o").c_str()), 0);
  for (const Case& c : cases) {
    std::vector<std::string> objects;
    for (size_t i = 0; i < c.sources.size(); i++) {
      std::string src = base + "-" + std::to_string(i) + ".c", obj = base + "-" + std::to_string(i) + ".o";
      write(src, c.sources[i] + "\n");
      ASSERT_EQ(std::system((cc + " -c -O1 -fcommon " + src + " -o " + obj).c_str()), 0) << c.what;
      objects.push_back(obj);
    }
    std::string native;
    for (const char* linker : {"", " -fuse-ld=lld"}) {
      std::string link = cc + linker + " " + base + "-main.o";
      for (const std::string& o : objects) link += " " + o;
      link += " -o " + base + "-prog";
      ASSERT_EQ(std::system(link.c_str()), 0) << c.what << ": " << link;
      std::string out = base + "-out.txt";
      ASSERT_EQ(std::system((base + "-prog > " + out).c_str()), 0) << c.what;
      std::ifstream in(out);
      std::string line;
      std::getline(in, line);
      if (native.empty()) native = line;
      EXPECT_EQ(line, native) << c.what << ": ld and lld disagree";
    }
    std::vector<std::vector<uint8_t>> bytes;
    for (const std::string& o : objects) bytes.push_back(slurp(o));
    std::vector<Result> r = load_all(bytes);
    for (const Result& x : r) ASSERT_TRUE(x.loaded) << c.what << ": " << x.error.message;
    const Relocation* pa = nullptr;
    for (const Relocation& x : r[0].relocations)
      if (x.symbol == "v") pa = &x;
    ASSERT_TRUE(pa) << c.what;
    int32_t seen = 0;
    bool found = false;
    for (const Result& x : r)
      for (const Section& s : x.sections)
        if (!s.tls && pa->effective >= s.address && pa->effective + 4 <= s.address + s.size) {
          seen = int32_t(read(s, pa->effective - s.address, 4));
          found = true;
        }
    ASSERT_TRUE(found) << c.what << ": 0x" << std::hex << pa->effective << " is in no section";
    EXPECT_EQ(std::to_string(seen), native) << c.what;
  }
  std::system(("rm -f " + base + "-*").c_str());
}

// "Rejected objects ... contribute nothing", as a property: for random
// sets of small objects sharing names (some corrupted, some in conflict),
// loading only the objects that were placed gives each of them exactly the
// same result (sections, addresses, bytes, relocations, outcome).
TEST(ReferenceSet, RejectedObjectsContributeNothingUnderCorruption) {
  const std::vector<std::vector<uint8_t>> pool = {
      defines("a", kWeakObject),   defines("a", kGlobalObject), common("a", 8, 8),
      references("a"),             references("a", kWeak),      defines("b", kGlobalObject),
      defines("b", kUniqueObject), common("b", 16, 4),          references("b"),
  };
  uint64_t state = 0x9e3779b97f4a7c15ull;
  auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int with_both = 0;  // rounds where one object was rejected and another placed
  for (int round = 0; round < 3000; round++) {
    std::vector<Input> inputs;
    std::vector<std::vector<uint8_t>> bytes;
    size_t count = 2 + next() % 3;
    for (size_t i = 0; i < count; i++) {
      std::vector<uint8_t> b = pool[next() % pool.size()];
      if (next() % 3 == 0)
        for (uint64_t k = 1 + next() % 3; k > 0; k--) b[next() % b.size()] = uint8_t(next());
      bytes.push_back(std::move(b));
    }
    for (size_t i = 0; i < count; i++) inputs.push_back({"o" + std::to_string(i) + ".o", bytes[i]});
    std::vector<Result> all = load_set(inputs, Scenario());
    std::vector<Input> kept;
    std::vector<const Result*> kept_results;
    for (size_t i = 0; i < count; i++) {
      if (all[i].placed) {
        kept.push_back(inputs[i]);
        kept_results.push_back(&all[i]);
      } else {
        EXPECT_FALSE(all[i].loaded);
        EXPECT_TRUE(all[i].sections.empty());
        EXPECT_FALSE(all[i].error.message.empty());
      }
    }
    if (!kept.empty() && kept.size() < count) with_both++;
    std::vector<Result> alone = load_set(kept, Scenario());
    for (size_t j = 0; j < kept.size(); j++) {
      const Result& a = *kept_results[j];
      const Result& b = alone[j];
      ASSERT_TRUE(b.placed) << "round " << round << " " << kept[j].name << ": " << b.error.message;
      EXPECT_EQ(a.loaded, b.loaded) << round;
      EXPECT_EQ(a.error.message, b.error.message) << round;
      ASSERT_EQ(a.sections.size(), b.sections.size()) << round;
      for (size_t k = 0; k < a.sections.size(); k++) {
        EXPECT_EQ(a.sections[k].address, b.sections[k].address) << round << " " << a.sections[k].name;
        EXPECT_EQ(a.sections[k].bytes, b.sections[k].bytes) << round << " " << a.sections[k].name;
      }
      ASSERT_EQ(a.relocations.size(), b.relocations.size()) << round;
      for (size_t k = 0; k < a.relocations.size(); k++) {
        EXPECT_EQ(a.relocations[k].status, b.relocations[k].status) << round;
        EXPECT_EQ(a.relocations[k].effective, b.relocations[k].effective) << round;
      }
    }
    if (::testing::Test::HasFailure()) break;
  }
  EXPECT_GT(with_both, 300);  // the property was exercised, not vacuous
}

// An IFUNC defined in one object is its stub for every object's reference;
// a weak IFUNC that loses to a strong function is reached by nobody.
TEST(ReferenceSet, IfuncAcrossObjects) {
  ElfBuilder a;
  uint32_t t = a.add_section(text(32));
  a.add_symbol({"pick", 0x1a /* STB_GLOBAL, STT_GNU_IFUNC */, uint16_t(t), 4, 0});
  std::vector<Result> r = load_all({a.build(), references("pick")});
  ASSERT_TRUE(r[0].loaded && r[1].loaded) << r[1].error.message;
  EXPECT_EQ(text_word(r[1]), section(r[0], "<ifunc stubs>")->address);
  ElfBuilder w;
  uint32_t wt = w.add_section(text(32));
  uint32_t wf = w.add_symbol({"pick", 0x2a /* STB_WEAK, STT_GNU_IFUNC */, uint16_t(wt), 4, 0});
  w.add_rela({wt, 16, kR64, wf, 0});
  r = load_all({w.build(), defines("pick", kGlobalFunc)});
  ASSERT_TRUE(r[0].loaded && r[1].loaded) << r[0].error.message;
  EXPECT_EQ(read(*section(r[0], ".text"), 16, 8), section(r[1], ".data")->address + 8);
}

}  // namespace
}  // namespace jitload::reference
