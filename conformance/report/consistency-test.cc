// Two properties over many objects, clean and corrupted:
//   1. What the reference says it did (each relocation's effective target)
//      is what its bytes say, read back by the decoder — a check of the
//      reference and of the decoder, which were written apart.
//   2. Nothing crashes: every corrupted object is loaded or rejected with
//      a kind and a message by the engine and the reference, and the
//      comparison of the two always completes. (Disagreements are not
//      asserted away here: they are what `jitload diff` exists to find.)
#include <gtest/gtest.h>

#include <random>

#include "conformance/report/compare.h"
#include "conformance/report/decode.h"
#include "conformance/report/loaders.h"
#include "conformance/report/test-programs.h"

namespace jitload::conformance {
namespace {

// The reference's claim about one relocation, against the decoder.
void expect_claims_match_bytes(const LoadReport& r, const std::string& what) {
  MemoryMap memory(r);
  for (size_t k = 0; k < r.relocations.size(); k++) {
    const ReportRelocation& x = r.relocations[k];
    if (x.status != "applied" && x.status != "relaxed") continue;
    DecodedField d = decode_field(memory, x, k ? &r.relocations[k - 1] : nullptr);
    ASSERT_TRUE(d.ok) << what << ": " << relocation_label(x) << ": " << d.error;
    if (d.exact || d.none) continue;
    u64 decoded = d.effective;
    if (d.kind == "got-base") decoded += r.got_address.value_or(0);
    EXPECT_EQ(hex(decoded), hex(x.effective))
        << what << ": " << x.section << "+" << hex(x.offset) << " " << relocation_label(x) << " via " << x.via;
    EXPECT_EQ(d.through_stub, x.via == "stub") << what << ": " << relocation_label(x);
    EXPECT_EQ(d.through_got, x.via == "got" || (x.via == "tls" && x.type == 22 && x.status == "applied"))
        << what << ": " << relocation_label(x);
  }
}

TEST(Consistency, ReferenceClaimsAreWhatItsBytesSay) {
  LoadScenario near;
  LoadScenario far;
  far.extern_base = 0x7f0000000000;
  far.externals = {{"tls_extern", u64(-16)}};
  for (const testing::Variant& v : testing::variants()) {
    std::vector<u8> bytes = testing::compile(testing::source_for(v), v);
    ASSERT_FALSE(bytes.empty()) << v.flags;
    for (const LoadScenario* s : {&near, &far}) {
      LoadReport r = run_reference(bytes, "p.o", *s);
      if (!r.loaded) continue;
      expect_claims_match_bytes(r, std::string(v.language) + " " + v.flags);
    }
  }
}

TEST(Consistency, CorruptedObjectsAreLoadedOrRejectedNeverCrash) {
  std::vector<std::vector<u8>> seeds;
  for (size_t i : {1u, 3u, 7u, 13u, 19u}) seeds.push_back(testing::compile(testing::source_for(testing::variants()[i]),
                                                                          testing::variants()[i]));
  std::mt19937_64 rng(20240601);
  int loaded = 0, rejected = 0, agreed = 0;
  for (int it = 0; it < 1500; it++) {
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
    LoadReport e = run_engine(b, "m.o", LoadScenario());
    LoadReport r = run_reference(b, "m.o", LoadScenario());
    for (const LoadReport* x : {&e, &r})
      if (!x->loaded) {
        EXPECT_FALSE(x->error_kind.empty()) << x->loader;
        EXPECT_FALSE(x->error_message.empty()) << x->loader;
      }
    if (r.loaded) {
      loaded++;
      expect_claims_match_bytes(r, "mutant " + std::to_string(it));
    } else {
      rejected++;
    }
    agreed += compare_reports(e, r).agree;
  }
  // The mutants exercise both paths, and most of them the loaders agree on.
  EXPECT_GT(loaded, 100);
  EXPECT_GT(rejected, 100);
  EXPECT_GT(agreed, 1200);
}

}  // namespace
}  // namespace jitload::conformance
