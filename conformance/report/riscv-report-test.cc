// RISC-V (RV64 and RV32) through the report layer: objects clang-19 makes
// under the flag sets issue 15 names (PIC and not, medlow and medany, with
// and without relaxation, the TLS models), loaded by the reference, every
// relocated field decoded from the final bytes (decode-riscv.cc) and the
// decoded target checked against what the reference says it aimed at.
// Shows the registry (arch.h) picks the decoder and word size from the
// object's class, and that the report's triple is the object's. (The
// engine cannot load RISC-V on this branch: engine-vs-reference comes
// with its loader.)
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
    "long long big = 0x1122334455667788LL;\n"
    "int f(int x) { return ext(x) + g + s[x & 3] + t; }\nint h(void) { t += 2; return f(2) + (x_sw(3)); }\n";

const char* const kSwitch =
    "int x_sw(int k) { switch (k) { case 0: return 4; case 1: return 9; case 2: return 13; case 3: return 17;"
    " case 4: return 22; default: return 1; } }\n";

// The reference's claim about each applied relocation, against the
// decoder: the same address (a GOT slot's content, a stub's target), and
// a stub or a GOT slot exactly where it says so (a TLS GOT slot says
// "tls"). How many addresses were compared.
int expect_claims_match_bytes(const LoadReport& r, const std::string& what, bool clean = true) {
  MemoryMap m(r);
  int addresses = 0;
  for (size_t k = 0; k < r.relocations.size(); k++) {
    const ReportRelocation& rel = r.relocations[k];
    if (rel.status != "applied" && rel.status != "relaxed") continue;
    DecodedField d = decode_field(m, rel, k ? &r.relocations[k - 1] : nullptr);
    EXPECT_TRUE(d.ok) << what << ": type " << rel.type << " at " << hex(rel.offset) << ": " << d.error;
    if (!d.ok || d.none || d.exact) continue;
    // Every high part the compiler emits has its low: decoded as a pair
    // (a mutant's may have lost it).
    if (clean && (rel.type == 20 || rel.type == 21 || rel.type == 23))
      EXPECT_NE(d.kind, "piece") << what << ": " << rel.type_name << " at " << hex(rel.offset) << " decoded alone";
    if (d.kind != "addr" && d.kind != "tls") continue;
    EXPECT_EQ(hex(d.effective), hex(rel.effective))
        << what << ": " << rel.type_name << " at " << rel.section << "+" << hex(rel.offset) << " via " << rel.via;
    EXPECT_EQ(d.through_stub, rel.via == "stub") << what << ": " << rel.type_name << " at " << hex(rel.offset);
    EXPECT_EQ(d.through_got, rel.via == "got" || (rel.via == "tls" && d.kind == "tls" && d.through_got))
        << what << ": " << rel.type_name << " at " << hex(rel.offset);
    addresses++;
  }
  return addresses;
}

TEST(RiscvReport, EveryFieldDecodesToWhatTheReferenceAimedAt) {
  struct Target {
    const char* name;
    const char* march;
    unsigned word;
  } targets[] = {{"riscv64", "rv64gc", 8}, {"riscv32", "rv32gc", 4}};
  const char* flag_sets[] = {"-O0",
                             "-O2 -fPIC",
                             "-O1 -mno-relax",
                             "-O2 -mcmodel=medany -fno-pic",
                             "-O1 -mcmodel=medlow -fno-pic",
                             "-O1 -fPIC -ftls-model=initial-exec",
                             "-O2 -fPIC -mtls-dialect=desc",
                             "-O3 -ffunction-sections -fdata-sections -g"};
  std::string source = std::string("int x_sw(int);\n") + kSource + kSwitch;
  for (const Target& target : targets)
    for (const char* flags : flag_sets) {
      std::string all = std::string("--target=") + target.name + "-linux-gnu -march=" + target.march + " " + flags;
      SCOPED_TRACE(all);
      std::vector<u8> bytes = compile(source.c_str(), Variant{"c", all.c_str()});
      ASSERT_FALSE(bytes.empty());
      // Near externals, and (RV64) externals beyond ±2 GiB, reached through stubs.
      LoadScenario near, far;
      far.extern_base = target.word == 8 ? 0x7f0000000000ull : 0xf0000000ull;
      for (const LoadScenario* scenario : {&near, &far}) {
        LoadReport r = run_reference(bytes, "p.o", *scenario);
        ASSERT_TRUE(r.loaded) << r.error_message;
        EXPECT_EQ(r.triple, std::string(target.name) + "-unknown-linux-gnu");
        MemoryMap m(r);
        ASSERT_TRUE(m.arch());
        EXPECT_EQ(m.arch()->pointer_size, target.word);
        int addresses = expect_claims_match_bytes(r, all);
        EXPECT_GT(addresses, 0);
        if (scenario == &far && target.word == 8) {
          bool stub = false;
          for (const ReportRelocation& rel : r.relocations) stub |= rel.via == "stub";
          EXPECT_TRUE(stub) << "no call went through a stub";
        }
      }
    }
}

// Mutants of RISC-V objects: loaded or rejected with a kind and a message,
// never a crash; when loaded, the reference's claims are what its bytes say.
TEST(RiscvReport, CorruptedObjectsAreLoadedOrRejectedNeverCrash) {
  std::vector<std::vector<u8>> seeds;
  std::string source = std::string("int x_sw(int);\n") + kSource + kSwitch;
  for (const char* flags : {"--target=riscv64-linux-gnu -march=rv64gc -O2 -fPIC",
                            "--target=riscv64-linux-gnu -march=rv64gc -O1 -mno-relax -mtls-dialect=desc",
                            "--target=riscv32-linux-gnu -march=rv32gc -O2 -fPIC",
                            "--target=riscv32-linux-gnu -march=rv32gc -O0 -mcmodel=medany"})
    seeds.push_back(compile(source.c_str(), Variant{"c", flags}));
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
    LoadReport r = run_reference(b, "m.o", LoadScenario());
    if (r.loaded) {
      loaded++;
      expect_claims_match_bytes(r, "mutant " + std::to_string(it), false);
    } else {
      rejected++;
      EXPECT_FALSE(r.error_kind.empty());
      EXPECT_FALSE(r.error_message.empty());
    }
  }
  EXPECT_GT(loaded, 50);
  EXPECT_GT(rejected, 50);
}


// The placement rule the engine adapter and the oracle use (layout.cc)
// lays RISC-V TLS out as the reference does: variant I with a 0-byte TCB,
// so each TLS section's TP offset is its offset in the block, from 0.
TEST(RiscvReport, LayoutPutsTheTlsBlockAtTheThreadPointer) {
  const char* source = "__thread char a = 1;\n__thread long long b[3] = {2};\n__thread int c;\n"
                       "long long f(void) { return a + b[1] + c; }\n";
  for (const char* target : {"riscv64", "riscv32"}) {
    SCOPED_TRACE(target);
    std::string flags = std::string("--target=") + target + "-linux-gnu -O1";
    std::vector<u8> bytes = compile(source, Variant{"c", flags.c_str()});
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
      EXPECT_EQ(u64(s.tp_offset), rs->address) << s.name;  // a TLS section's "address" is its TP offset
    }
    EXPECT_EQ(tls, 2);      // .tdata and .tbss
    EXPECT_EQ(lowest, 0);   // the first starts at tp itself
  }
}

}  // namespace
}  // namespace jitload::conformance
