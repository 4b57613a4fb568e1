// AArch64 through the report layer: objects clang-19 makes for aarch64 and
// aarch64_be under several flag sets, loaded by the engine and the
// reference, every relocated field decoded from the final bytes
// (decode-aarch64.cc) and the two reports compared. Shows the registry
// (arch.h) picks the decoder and byte order from the object, and that the
// report's triple is the object's.
#include <gtest/gtest.h>

#include "conformance/report/compare.h"
#include "conformance/report/decode.h"
#include "conformance/report/loaders.h"
#include "conformance/report/test-programs.h"

namespace jitload::conformance {
namespace {

using testing::compile;
using testing::Variant;

const char* const kSource =
    "__thread int t = 5;\nint g = 3;\nextern int ext(int);\nstatic int s[4] = {1, 2, 3, 4};\nint *pg = &g;\n"
    "long long big = 0x1122334455667788LL;\n"
    "int f(int x) { return ext(x) + g + s[x & 3] + t; }\nint h(void) { return f(2); }\n";

TEST(AArch64Report, EngineAndReferenceAgreeFieldByField) {
  const char* targets[] = {"aarch64", "aarch64_be"};
  const char* flag_sets[] = {"-O0", "-O2 -fPIC", "-O1 -mcmodel=large -fno-pic", "-O2 -mcmodel=tiny",
                             "-O1 -fPIC -ftls-model=initial-exec", "-O3 -ffunction-sections -fdata-sections"};
  for (const char* target : targets)
    for (const char* flags : flag_sets) {
      std::string all = std::string("--target=") + target + "-linux-gnu " + flags;
      SCOPED_TRACE(all);
      std::vector<u8> bytes = compile(kSource, Variant{"c", all.c_str()});
      ASSERT_FALSE(bytes.empty());
      LoadReport e = run_engine(bytes, "p.o", LoadScenario{});
      LoadReport r = run_reference(bytes, "p.o", LoadScenario{});
      ASSERT_TRUE(e.loaded) << e.error_message;
      ASSERT_TRUE(r.loaded) << r.error_message;
      EXPECT_EQ(e.triple, std::string(target) + "-unknown-linux-gnu");
      EXPECT_EQ(r.triple, e.triple);
      // Every field decodes (no "no decoder", no field outside its section).
      for (const LoadReport* rep : {&e, &r}) {
        MemoryMap m(*rep);
        ASSERT_TRUE(m.arch());
        EXPECT_EQ(m.little_endian(), std::string(target) == "aarch64");
        const ReportRelocation* prev = nullptr;
        for (const ReportRelocation& rel : rep->relocations) {
          DecodedField d = decode_field(m, rel, prev);
          EXPECT_TRUE(d.ok) << rep->loader << " type " << rel.type << " at " << hex(rel.offset) << ": " << d.error;
          prev = &rel;
        }
      }
      Comparison c = compare_reports(e, r);
      std::string lines;
      for (const Difference& d : c.differences) lines += d.line("engine", "reference") + "\n";
      EXPECT_TRUE(c.agree) << lines;
    }
}

// The data word of ABS64 in the object's byte order: a value the two
// orders would read differently decodes to the same address on both.
TEST(AArch64Report, DataFieldsReadInTheObjectsByteOrder) {
  for (const char* target : {"aarch64", "aarch64_be"}) {
    SCOPED_TRACE(target);
    std::string flags = std::string("--target=") + target + "-linux-gnu -O1";
    std::vector<u8> bytes = compile(kSource, Variant{"c", flags.c_str()});
    ASSERT_FALSE(bytes.empty());
    LoadReport r = run_reference(bytes, "p.o", LoadScenario{});
    ASSERT_TRUE(r.loaded) << r.error_message;
    MemoryMap m(r);
    const ReportSymbol* g = nullptr;
    for (const ReportSymbol& y : r.symbols) g = y.name == "g" ? &y : g;
    ASSERT_TRUE(g);
    int abs64 = 0;
    for (const ReportRelocation& rel : r.relocations) {
      if (rel.type != 257 || rel.symbol != "g") continue;  // R_AARCH64_ABS64 of pg = &g
      DecodedField d = decode_field(m, rel, nullptr);
      ASSERT_TRUE(d.ok) << d.error;
      EXPECT_EQ(d.effective, g->address + u64(rel.addend));
      abs64++;
    }
    EXPECT_EQ(abs64, 1);
  }
}

// Bits of an IFUNC symbol's address (a :lo12: with no ADRP of the same
// symbol before it, MOVZ/MOVK pieces): each loader places its IFUNC stubs
// its own way, so the comparison takes the bits as agreeing when each
// loader's are its own stub's (plus A), and still tells wrong bits apart.
// (Fuzz finding aarch64-ifunc-weak-lo12-address.o.)
TEST(AArch64Report, PiecesOfAnIfuncStubCompareByEachLoadersOwnStub) {
  const char* source =
      "  .text\n  .globl res\n  .type res, %function\nres: ret\n"
      "  .globl f\n  .type f, %gnu_indirect_function\n  .set f, res\n"
      "g: bl f\n  add x1, x1, :lo12:f-4\n  movz x2, #:abs_g1:f\n  movk x2, #:abs_g0_nc:f+8\n  ret\n";
  std::vector<u8> bytes = compile(source, Variant{"assembler", "--target=aarch64-linux-gnu"});
  ASSERT_FALSE(bytes.empty());
  LoadScenario sc;
  LoadReport e = run_engine(bytes, "p.o", sc);
  LoadReport r = run_reference(bytes, "p.o", sc);
  ASSERT_TRUE(e.loaded) << e.error_message;
  ASSERT_TRUE(r.loaded) << r.error_message;
  Comparison c = compare_reports(e, r);
  std::string lines;
  for (const Difference& d : c.differences) lines += d.line("engine", "reference") + "\n";
  EXPECT_TRUE(c.agree) << lines;
  MemoryMap m(e);
  int pieces = 0;
  for (const ReportRelocation& rel : e.relocations)
    if (rel.type == 277 || rel.type == 264 || rel.type == 265)  // ADD_ABS_LO12_NC, MOVW_UABS_G0_NC, G1_NC
      pieces += canonical_target(m, rel, decode_field(m, rel, nullptr)).find("of ifunc:f") != std::string::npos;
  EXPECT_EQ(pieces, 3);
  // The add's immediate off by 8 in the engine's report: a difference.
  for (ReportSection& s : e.sections)
    if (s.name == ".text" && s.bytes.size() >= 12) s.bytes[9] ^= 0x20;  // imm12 bit 3 of the add at +8 (bit 13)
  c = compare_reports(e, r);
  EXPECT_FALSE(c.agree);
}

}  // namespace
}  // namespace jitload::conformance
