// LoongArch64 through the report layer: objects clang-19 makes at the
// three code models, PIC and not, with and without relaxation, in every
// TLS model, loaded by each loader; every relocated field decoded from the
// final bytes (decode-loongarch.cc) and the decoded target checked against
// what that loader says it aimed at. This is what keeps `jitload diff`
// from being vacuous on LoongArch: a page sequence must decode whole (a
// high part with its low, and the extreme tail) to the loader's claim.
#include <gtest/gtest.h>

#include <random>

#include "conformance/report/arch.h"
#include "conformance/report/decode.h"
#include "conformance/report/layout.h"
#include "conformance/report/loaders.h"
#include "conformance/report/test-programs.h"

namespace jitload::conformance {
namespace {

using testing::compile;
using testing::Variant;

const char* const kSource =
    "__thread int t = 5;\nint g = 3;\nextern int ext(int);\nstatic int s[4] = {1, 2, 3, 4};\nint *pg = &g;\n"
    "extern int eg;\nstatic char big[5000] = {1};\n"
    "int f(int x) { return ext(x) + g + eg + s[x & 3] + t + big[x * 7 % 5000]; }\n"
    "int h(int k) { switch (k) { case 0: return 4; case 1: return 9; case 2: return 13; case 3: return f(17);"
    " case 4: return 22; default: return 1; } }\n";

// High parts the compiler emits always have their low: PCALA_HI20,
// GOT_PC_HI20, TLS_IE_PC_HI20 and the extreme tails decode as a whole.
bool paired_type(u32 t) { return t == 71 || t == 73 || t == 74 || t == 75 || t == 77 || t == 78 || t == 87; }

int expect_claims_match_bytes(const LoadReport& r, const std::string& what, bool clean = true) {
  MemoryMap m(r);
  int addresses = 0;
  for (size_t k = 0; k < r.relocations.size(); k++) {
    const ReportRelocation& rel = r.relocations[k];
    if (rel.status != "applied" && rel.status != "relaxed") continue;
    DecodedField d = decode_field(m, rel, k ? &r.relocations[k - 1] : nullptr);
    EXPECT_TRUE(d.ok) << what << ": type " << rel.type << " at " << hex(rel.offset) << ": " << d.error;
    if (!d.ok || d.none || d.exact) continue;
    if (clean && paired_type(rel.type))
      EXPECT_NE(d.kind, "piece") << what << ": " << rel.type_name << " at " << hex(rel.offset) << " decoded alone";
    if (d.kind != "addr" && d.kind != "tls") continue;
    EXPECT_EQ(hex(d.effective), hex(rel.effective))
        << what << ": " << rel.type_name << " at " << rel.section << "+" << hex(rel.offset) << " via " << rel.via;
    EXPECT_EQ(d.through_stub, rel.via == "stub") << what << ": " << rel.type_name << " at " << hex(rel.offset);
    addresses++;
  }
  return addresses;
}

TEST(LoongArchReport, EveryFieldDecodesToWhatEachLoaderAimedAt) {
  const char* flag_sets[] = {"-O0",
                             "-O2 -fPIC",
                             "-O1 -fno-pic -mcmodel=medium",
                             "-O2 -fno-pic -mcmodel=extreme",
                             "-O1 -fPIC -mcmodel=extreme -ftls-model=initial-exec",
                             "-O2 -fPIC -mtls-dialect=desc",
                             "-O1 -Xclang -target-feature -Xclang +relax -g",
                             "-O3 -ffunction-sections -fdata-sections -mcmodel=medium -fPIC"};
  for (const char* flags : flag_sets) {
    std::string all = std::string("--target=loongarch64-linux-gnu ") + flags;
    SCOPED_TRACE(all);
    std::vector<u8> bytes = compile(kSource, Variant{"c", all.c_str()});
    ASSERT_FALSE(bytes.empty());
    // Near externals, and externals about 2^47 away (the extreme tails' upper
    // bits; calls through stubs).
    LoadScenario near, far;
    far.extern_base = 0x7f0000000000ull;
    for (const LoadScenario* scenario : {&near, &far})
      for (bool engine : {false, true}) {
        LoadReport r = engine ? run_engine(bytes, "p.o", *scenario) : run_reference(bytes, "p.o", *scenario);
        std::string who = all + (engine ? " (engine)" : " (reference)") + (scenario == &far ? " far" : "");
        ASSERT_TRUE(r.loaded) << who << ": " << r.error_message;
        EXPECT_EQ(r.triple, "loongarch64-unknown-linux-gnu");
        MemoryMap m(r);
        ASSERT_TRUE(m.arch());
        EXPECT_EQ(m.arch()->pointer_size, 8u);
        EXPECT_GT(expect_claims_match_bytes(r, who), 0);
      }
  }
}

// A far call (B26) goes through a stub on both loaders, and decodes so.
TEST(LoongArchReport, FarCallsGoThroughStubs) {
  std::vector<u8> bytes = compile("extern int ext(int);\nint f(int x) { return ext(x) + 1; }\n",
                                  Variant{"c", "--target=loongarch64-linux-gnu -O2"});
  ASSERT_FALSE(bytes.empty());
  LoadScenario far;
  far.extern_base = 0x7f0000000000ull;
  for (bool engine : {false, true}) {
    LoadReport r = engine ? run_engine(bytes, "p.o", far) : run_reference(bytes, "p.o", far);
    ASSERT_TRUE(r.loaded) << r.error_message;
    bool stub = false;
    for (const ReportRelocation& rel : r.relocations) stub |= rel.via == "stub";
    EXPECT_TRUE(stub) << (engine ? "engine" : "reference") << ": no call went through a stub";
    EXPECT_GT(expect_claims_match_bytes(r, engine ? "engine" : "reference"), 0);
  }
}

// Mutants of LoongArch objects: loaded or rejected with a kind and a
// message, never a crash; when loaded, each loader's claims are what its
// bytes say.
TEST(LoongArchReport, CorruptedObjectsAreLoadedOrRejectedNeverCrash) {
  std::vector<std::vector<u8>> seeds;
  for (const char* flags : {"--target=loongarch64-linux-gnu -O2 -fPIC",
                            "--target=loongarch64-linux-gnu -O1 -mcmodel=extreme -fno-pic",
                            "--target=loongarch64-linux-gnu -O1 -fPIC -mtls-dialect=desc"})
    seeds.push_back(compile(kSource, Variant{"c", flags}));
  std::mt19937_64 rng(20261205);
  int loaded = 0, rejected = 0;
  for (int it = 0; it < 600; it++) {
    std::vector<u8> b = seeds[rng() % seeds.size()];
    ASSERT_FALSE(b.empty());
    for (int k = 0, n = 1 + int(rng() % 4); k < n; k++) {
      size_t at = rng() % b.size();
      switch (rng() % 4) {
        case 0: b[at] = u8(rng()); break;
        case 1: b[at] ^= u8(1u << (rng() % 8)); break;
        case 2: b[at] = 0; break;
        default: b[at] = 0xff; break;
      }
    }
    for (bool engine : {false, true}) {
      LoadReport r = engine ? run_engine(b, "m.o", LoadScenario()) : run_reference(b, "m.o", LoadScenario());
      if (r.loaded) {
        loaded++;
        expect_claims_match_bytes(r, "mutant " + std::to_string(it) + (engine ? " (engine)" : " (reference)"), false);
      } else {
        rejected++;
        EXPECT_FALSE(r.error_kind.empty());
        EXPECT_FALSE(r.error_message.empty());
      }
    }
  }
  EXPECT_GT(loaded, 50);
  EXPECT_GT(rejected, 50);
}

// The placement rule (layout.cc) lays LoongArch TLS out as the reference
// does: variant I with a 0-byte TCB, the first TLS section at tp.
TEST(LoongArchReport, LayoutPutsTheTlsBlockAtTheThreadPointer) {
  const char* source = "__thread char a = 1;\n__thread long long b[3] = {2};\n__thread int c;\n"
                       "long long f(void) { return a + b[1] + c; }\n";
  std::vector<u8> bytes = compile(source, Variant{"c", "--target=loongarch64-linux-gnu -O1"});
  ASSERT_FALSE(bytes.empty());
  Placement p = plan_placement(bytes, LoadScenario{});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.tls_variant, 1);
  EXPECT_EQ(p.tcb_size, 0u);
  LoadReport r = run_reference(bytes, "p.o", LoadScenario{});
  ASSERT_TRUE(r.loaded) << r.error_message;
  int tls = 0;
  i64 lowest = -1;
  for (const PlannedSection& s : p.sections) {
    if (!s.tls) continue;
    tls++;
    if (lowest < 0 || s.tp_offset < lowest) lowest = s.tp_offset;
    const ReportSection* rs = r.file_section(0, s.index);
    ASSERT_TRUE(rs) << s.name;
    EXPECT_EQ(u64(s.tp_offset), rs->address) << s.name;
  }
  EXPECT_EQ(tls, 2);
  EXPECT_EQ(lowest, 0);
}

}  // namespace
}  // namespace jitload::conformance
