// The LLVM oracle: it agrees with the reference on the programs LLVM 19's
// RuntimeDyld supports; its crashes, hangs and garbage become results; and
// `jitload diff` finishes and reports them.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "conformance/elf/elf-view.h"
#include "conformance/oracle/oracle.h"
#include "conformance/report/compare.h"
#include "conformance/report/layout.h"
#include "conformance/report/loaders.h"
#include "conformance/report/test-programs.h"

namespace jitload::conformance {
namespace {

using testing::compile;
using testing::source_for;
using testing::Variant;
using testing::variants;

std::string all_lines(const Comparison& c) {
  std::string out;
  for (const Difference& d : c.differences) out += d.line("reference", "llvm") + "\n";
  return out;
}

Comparison against_llvm(const std::vector<u8>& bytes, const LoadScenario& s, const char* what) {
  OracleResult o = run_llvm_oracle(bytes, "p.o", s);
  EXPECT_EQ(o.status, OracleResult::Status::Ok) << what << ": " << o.message;
  LoadReport ref = run_reference(bytes, "p.o", s);
  CompareOptions options;
  options.right_may_omit_sections = true;
  return compare_reports(ref, o.report, options);
}

TEST(Oracle, LlvmAgreesWithTheReferenceOnCompiledPrograms) {
  ASSERT_FALSE(oracle_helper_path().empty()) << "jitload-oracle-llvm was not built";
  for (const Variant& v : variants()) {
    std::vector<u8> bytes = compile(source_for(v), v);
    ASSERT_FALSE(bytes.empty()) << v.flags;
    Comparison c = against_llvm(bytes, LoadScenario(), v.flags);
    EXPECT_TRUE(c.agree) << v.language << " " << v.flags << "\n" << all_lines(c);
  }
}

TEST(Oracle, LlvmAgreesThroughItsOwnStubsAndGot) {
  // Far externals: LLVM puts stubs at the end of each code section and a
  // GOT slot per relocation; the reference has its own stubs section and a
  // slot per symbol. Only PIC code can reach them.
  LoadScenario s;
  s.extern_base = 0x7f0000000000;
  s.externals = {{"tls_extern", u64(-16)}};
  int checked = 0;
  for (const Variant& v : variants()) {
    if (std::string(v.flags).find("-fPIC") == std::string::npos) continue;
    std::vector<u8> bytes = compile(source_for(v), v);
    ASSERT_FALSE(bytes.empty());
    Comparison c = against_llvm(bytes, s, v.flags);
    EXPECT_TRUE(c.agree) << v.language << " " << v.flags << "\n" << all_lines(c);
    checked++;
  }
  EXPECT_GT(checked, 5);
}

TEST(Oracle, LlvmAgreesOnIfunc) {
  for (const char* flags : {"-fPIC", "-fno-pic"}) {
    std::vector<u8> bytes = compile(testing::kProgramIfunc, Variant{"assembler", flags});
    ASSERT_FALSE(bytes.empty());
    Comparison c = against_llvm(bytes, LoadScenario(), flags);
    EXPECT_TRUE(c.agree) << flags << "\n" << all_lines(c);
  }
}

TEST(Oracle, LlvmOnlyDisagreementIsFound) {
  // Non-PIC code with externals out of 32-bit reach: the psABI says
  // overflow (engine and reference reject); LLVM 19 without assertions
  // truncates silently and loads. A finding about LLVM, reported as such.
  LoadScenario s;
  s.extern_base = 0x7f0000000000;
  std::vector<u8> bytes = compile(testing::kProgramC, Variant{"c", "-O2 -fno-pic"});
  OracleResult o = run_llvm_oracle(bytes, "p.o", s);
  ASSERT_EQ(o.status, OracleResult::Status::Ok) << o.message;
  EXPECT_TRUE(o.report.loaded);
  LoadReport ref = run_reference(bytes, "p.o", s);
  EXPECT_FALSE(ref.loaded);
  EXPECT_EQ(ref.error_kind, "overflow");
  EXPECT_FALSE(compare_reports(ref, o.report).agree);
}

// A compiled object with one relocation entry changed by `edit`.
std::vector<u8> corrupted(void (*edit)(std::vector<u8>&, u64 rela)) {
  std::vector<u8> bytes = compile(testing::kProgramC, Variant{"c", "-O0 -fPIC"});
  auto view = elfview::View::open(bytes);
  if (!view) return bytes;
  for (const elfview::Section& h : view->sections()) {
    if (h.type != 4 || h.size < view->layout().rela_size) continue;  // SHT_RELA
    edit(bytes, h.offset);
    break;
  }
  return bytes;
}

void unknown_type(std::vector<u8>& b, u64 rela) { b[rela + 8] = 200; }
void far_offset(std::vector<u8>& b, u64 rela) {
  for (int k = 0; k < 8; k++) b[rela + k] = u8(u64(0x7fff0000000) >> (8 * k));
}

// Mach-O (issue 16): the child reads Mach-O with RuntimeDyldMachO and
// answers in the same shape as for ELF; what LLVM 19 would crash on is an
// abstention with its reason.
const char* const kMachoSource = R"(
extern int ext_fn(int);
extern int ext_data;
int counter = 3;
static int hidden;
const char* greeting = "hello";
__attribute__((weak)) int weak_one = 5;
int f(int x) { hidden += x; return ext_fn(x) + ext_data + counter + weak_one + greeting[1]; }
)";

TEST(Oracle, MachOLoadsThroughRuntimeDyldMachOAndAgrees) {
  ASSERT_FALSE(oracle_helper_path().empty()) << "jitload-oracle-llvm was not built";
  for (const char* flags : {"--target=x86_64-apple-macosx10.15 -O0", "--target=x86_64-apple-macosx10.15 -O2 -fcommon"}) {
    std::vector<u8> bytes = compile(kMachoSource, Variant{"c", flags});
    ASSERT_FALSE(bytes.empty()) << flags;
    OracleResult o = run_llvm_oracle(bytes, "m.o", LoadScenario());
    ASSERT_EQ(o.status, OracleResult::Status::Ok) << flags << ": " << o.message;
    EXPECT_TRUE(o.report.loaded) << o.report.error_message;
    EXPECT_EQ(o.report.triple, "x86_64-apple-macosx");
    EXPECT_FALSE(o.report.relocations.empty());
    Comparison c = against_llvm(bytes, LoadScenario(), flags);
    EXPECT_TRUE(c.agree) << flags << "\n" << all_lines(c);
  }
}

TEST(Oracle, MachOFormsLlvmCrashesOnAreAbstentionsWithTheirReason) {
  std::vector<u8> bytes = compile(kMachoSource, Variant{"c", "--target=x86_64-apple-macosx10.15 -O1"});
  ASSERT_GT(bytes.size(), 8u);
  // A machine RuntimeDyldMachO 19 has no target for (llvm_unreachable).
  std::vector<u8> ppc = bytes;
  ppc[4] = 0x12, ppc[5] = 0, ppc[6] = 0, ppc[7] = 0x01;  // CPU_TYPE_POWERPC64
  OracleResult o = run_llvm_oracle(ppc, "ppc.o", LoadScenario());
  EXPECT_EQ(o.status, OracleResult::Status::Abstained) << o.message;
  EXPECT_NE(o.message.find("no target for cputype 16777234"), std::string::npos) << o.message;
}

TEST(Oracle, CrashesBecomeResults) {
  // LLVM's report_fatal_error("Relocation type not implemented yet!") aborts.
  OracleResult o = run_llvm_oracle(corrupted(unknown_type), "bad-type.o", LoadScenario());
  EXPECT_EQ(o.status, OracleResult::Status::Crashed) << o.message;
  EXPECT_EQ(o.signal, SIGABRT) << o.message;
  EXPECT_NE(o.message.find("oracle crashed: signal 6"), std::string::npos) << o.message;
  // A field 8 TiB past its section: LLVM writes there.
  o = run_llvm_oracle(corrupted(far_offset), "bad-offset.o", LoadScenario());
  EXPECT_EQ(o.status, OracleResult::Status::Crashed) << o.message;
  // A signal — or, when the helper runs under AddressSanitizer, its report
  // and a failing exit status.
  EXPECT_TRUE(o.signal != 0 || o.exit_status > 0) << o.message;
  // Meanwhile this process is fine, and the engine and reference reject.
  std::vector<u8> bad = corrupted(far_offset);
  EXPECT_FALSE(run_engine(bad, "bad.o", LoadScenario()).loaded);
  EXPECT_FALSE(run_reference(bad, "bad.o", LoadScenario()).loaded);
}

// A fake helper, to drive the parent's limits without depending on LLVM.
struct FakeHelper {
  std::string path;
  std::string saved;
  bool had = false;
  explicit FakeHelper(const std::string& script) {
    path = testing::temp_dir() + "/fake-oracle-" + std::to_string(getpid()) + ".sh";
    {
      std::ofstream f(path);
      f << "#!/bin/sh\n" << script << "\n";
    }
    chmod(path.c_str(), 0755);
    if (const char* e = std::getenv("JITLOAD_ORACLE_HELPER")) had = true, saved = e;
    setenv("JITLOAD_ORACLE_HELPER", path.c_str(), 1);
  }
  ~FakeHelper() {
    if (had) setenv("JITLOAD_ORACLE_HELPER", saved.c_str(), 1);
    else unsetenv("JITLOAD_ORACLE_HELPER");
    std::remove(path.c_str());
  }
};

TEST(Oracle, TimeoutsGarbageAndMissingHelperBecomeResults) {
  std::vector<u8> object = {0x7f, 'E', 'L', 'F'};
  {
    FakeHelper fake("exec sleep 30");
    OracleLimits limits;
    limits.timeout_ms = 300;
    auto start = std::chrono::steady_clock::now();
    OracleResult o = run_llvm_oracle(object, "x.o", LoadScenario(), limits);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(o.status, OracleResult::Status::TimedOut) << o.message;
    EXPECT_LT(took, std::chrono::seconds(10));
  }
  {
    FakeHelper fake("echo 'this is not a report'");
    OracleResult o = run_llvm_oracle(object, "x.o", LoadScenario());
    EXPECT_EQ(o.status, OracleResult::Status::Crashed);
    EXPECT_NE(o.message.find("unreadable report"), std::string::npos) << o.message;
  }
  {
    FakeHelper fake("echo 'LLVM ERROR: something' >&2; exit 3");
    OracleResult o = run_llvm_oracle(object, "x.o", LoadScenario());
    EXPECT_EQ(o.status, OracleResult::Status::Crashed);
    EXPECT_EQ(o.exit_status, 3);
    EXPECT_NE(o.message.find("LLVM ERROR: something"), std::string::npos) << o.message;
  }
  {
    FakeHelper fake("kill -SEGV $$");
    OracleResult o = run_llvm_oracle(object, "x.o", LoadScenario());
    EXPECT_EQ(o.status, OracleResult::Status::Crashed);
    EXPECT_EQ(o.signal, SIGSEGV);
  }
  setenv("JITLOAD_ORACLE_HELPER", "/nonexistent/helper", 1);
  EXPECT_EQ(run_llvm_oracle(object, "x.o", LoadScenario()).status, OracleResult::Status::Unavailable);
  unsetenv("JITLOAD_ORACLE_HELPER");
}

// Run a command; its stdout and exit status.
int run(const std::string& cmd, std::string& out) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void write_file(const std::string& path, const std::vector<u8>& b) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

TEST(DiffTool, FinishesAndReportsWhenTheOracleCrashes) {
  std::string dir = testing::temp_dir() + "/jitload-diff-test-" + std::to_string(getpid());
  mkdir(dir.c_str(), 0755);
  write_file(dir + "/bad-type.o", corrupted(unknown_type));
  write_file(dir + "/bad-offset.o", corrupted(far_offset));
  write_file(dir + "/good.o", compile(testing::kProgramC, Variant{"c", "-O2 -fPIC"}));
  std::string out;
  int rc = run(std::string(JITLOAD_TOOL) + " diff " + dir + "/bad-type.o " + dir + "/bad-offset.o " + dir +
                   "/good.o --save-divergences " + dir + "/saved",
               out);
  EXPECT_EQ(rc, 0) << out;  // engine and reference agree on all three
  EXPECT_NE(out.find("bad-type.o: oracle-crashed"), std::string::npos) << out;
  EXPECT_NE(out.find("signal 6"), std::string::npos) << out;
  EXPECT_NE(out.find("bad-offset.o: oracle-crashed"), std::string::npos) << out;
  EXPECT_NE(out.find("good.o: agree (loaded;"), std::string::npos) << out;
  EXPECT_NE(out.find("3 objects: 1 agree, 0 disagree, 0 rejected-by-all, 2 oracle-crashed"), std::string::npos) << out;
  // The crashes were saved for replay, with their reports.
  std::string listing;
  run("ls " + dir + "/saved", listing);
  EXPECT_NE(listing.find("bad-type.o-"), std::string::npos) << listing;
  EXPECT_NE(listing.find(".json"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("good.o-"), std::string::npos) << listing;

  // --json: one object per line and a summary.
  out.clear();
  rc = run(std::string(JITLOAD_TOOL) + " diff --json " + dir + "/bad-type.o " + dir + "/good.o", out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("\"verdict\": \"oracle-crashed\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"summary\""), std::string::npos) << out;

  // LLVM-only disagreements are listed apart and do not fail the run.
  out.clear();
  write_file(dir + "/nopic.o", compile(testing::kProgramC, Variant{"c", "-O2 -fno-pic"}));
  rc = run(std::string(JITLOAD_TOOL) + " diff " + dir + "/nopic.o --extern-base 0x7f0000000000", out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("LLVM disagrees with the reference"), std::string::npos) << out;
  EXPECT_NE(out.find("1 with LLVM-only disagreements"), std::string::npos) << out;
  run("rm -rf " + dir, out);
}

// jitload diff --link through the user's door: a weak and a strong
// definition form one set; engine and reference bind every reference to the
// strong one and agree (exit 0). LLVM binds the weak object's own reference
// to its own definition: an LLVM-only disagreement, listed apart, saved
// with every member, and the saved replay line reproduces it.
TEST(DiffTool, LinkComparesASetAndSavesItForReplay) {
  std::string dir = testing::temp_dir() + "/jitload-diff-link-" + std::to_string(getpid());
  mkdir(dir.c_str(), 0755);
  write_file(dir + "/weak.o", compile("__attribute__((weak)) long wv = 1;\nlong get_a(void) { return wv; }\n",
                                      Variant{"c", "-O1"}));
  write_file(dir + "/strong.o", compile("long wv = 2;\nlong get_b(void) { return wv; }\n", Variant{"c", "-O1"}));
  std::string out;
  int rc = run(std::string(JITLOAD_TOOL) + " diff --link " + dir + "/weak.o " + dir + "/strong.o --save-divergences " +
                   dir + "/saved",
               out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("weak.o + " + dir + "/strong.o: agree (loaded;"), std::string::npos) << out;
  EXPECT_NE(out.find("1 set of 2 objects: 1 agree"), std::string::npos) << out;
  EXPECT_NE(out.find("binding: reference 'wv' -> " + dir + "/strong.o:.data+0x0; llvm 'wv' -> " + dir +
                     "/strong.o:.data+0x0 | " + dir + "/weak.o:.data+0x0"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("1 with LLVM-only disagreements"), std::string::npos) << out;
  // Saved: both members and the replay line.
  std::string listing;
  run("ls -R " + dir + "/saved", listing);
  EXPECT_NE(listing.find("0-weak.o"), std::string::npos) << listing;
  EXPECT_NE(listing.find("1-strong.o"), std::string::npos) << listing;
  std::string replay;
  run("sed -n 's/^replay: //p' " + dir + "/saved/set-*/set.txt", replay);
  ASSERT_EQ(replay.rfind("jitload diff --link ", 0), 0u) << replay;
  out.clear();
  rc = run(std::string(JITLOAD_TOOL) + replay.substr(7), out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("1 with LLVM-only disagreements"), std::string::npos) << out;

  // Two strong definitions: both loaders refuse the set, which is agreement.
  write_file(dir + "/strong2.o", compile("long wv = 3;\n", Variant{"c", "-O1"}));
  out.clear();
  rc = run(std::string(JITLOAD_TOOL) + " diff --link --json " + dir + "/strong.o " + dir + "/strong2.o", out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("\"engine\": \"rejected"), std::string::npos) << out;
  EXPECT_NE(out.find("\"reference\": \"rejected"), std::string::npos) << out;
  EXPECT_NE(out.find("\"sets\": 1"), std::string::npos) << out;
  run("rm -rf " + dir, out);
}

// ---- JITLink: the oracle for RISC-V (and LoongArch) ---------------------------

const char* const kRiscvProgram =
    "extern int g; extern int ext(int);\n"
    "static int __attribute__((noinline)) twice(int x) { return 2 * x; }\n"
    "int f(int x) { return twice(x) + ext(x) + g; }\n";

bool has_note(const OracleResult& o, const std::string& prefix) {
  for (const std::string& n : o.notes)
    if (n.rfind(prefix, 0) == 0) return true;
  return false;
}

TEST(JitlinkOracle, LinksRiscvObjectsAgreesAndMeasuresItsRelaxation) {
  ASSERT_FALSE(oracle_helper_path().empty()) << "jitload-oracle-llvm was not built";
  for (const char* target : {"--target=riscv64-linux-gnu", "--target=riscv32-linux-gnu"}) {
    std::string flags = std::string(target) + " -O2";
    std::vector<u8> bytes = compile(kRiscvProgram, Variant{"c", flags.c_str()});
    ASSERT_FALSE(bytes.empty()) << flags;
    OracleResult o = run_llvm_oracle(bytes, "p.o", LoadScenario());
    ASSERT_EQ(o.status, OracleResult::Status::Ok) << flags << ": " << o.message;
    EXPECT_EQ(o.linker, "JITLink") << flags;
    ASSERT_TRUE(o.report.loaded) << flags << ": " << o.report.error_message;
    // The call to the local function is relaxable: JITLink's own link
    // relaxes it to jal, and reads back consistent.
    EXPECT_TRUE(has_note(o, "relaxation: ")) << flags;
    bool consistent = false;
    for (const std::string& n : o.notes) consistent |= n.find("became jal") != std::string::npos &&
                                                       n.find("read back: ") != std::string::npos;
    EXPECT_TRUE(consistent) << flags;
    EXPECT_FALSE(has_note(o, "relaxed-link-error")) << flags;
    // The compared link is without relaxation: every field as the reference's.
    Comparison c = against_llvm(bytes, LoadScenario(), flags.c_str());
    EXPECT_TRUE(c.agree) << flags << "\n" << all_lines(c);
  }
}

TEST(JitlinkOracle, X86StaysWithRuntimeDyld) {
  std::vector<u8> bytes = compile(kRiscvProgram, Variant{"c", "-O2"});
  ASSERT_FALSE(bytes.empty());
  OracleResult o = run_llvm_oracle(bytes, "p.o", LoadScenario());
  ASSERT_EQ(o.status, OracleResult::Status::Ok) << o.message;
  EXPECT_EQ(o.linker, "RuntimeDyld");
  EXPECT_TRUE(o.notes.empty());
}

TEST(JitlinkOracle, ATypeJitlinkLacksIsARejectionNamingIt) {
  std::vector<u8> bytes = compile("__thread int t; int f(void) { return ++t; }\n",
                                  Variant{"c", "--target=riscv64-linux-gnu -O1"});
  ASSERT_FALSE(bytes.empty());
  OracleResult o = run_llvm_oracle(bytes, "p.o", LoadScenario());
  ASSERT_EQ(o.status, OracleResult::Status::Ok) << o.message;
  EXPECT_FALSE(o.report.loaded);
  EXPECT_NE(o.report.error_message.find("R_RISCV_TPREL_HI20"), std::string::npos) << o.report.error_message;
}

TEST(JitlinkOracle, LinksASetUnderOrcWithTheReferencesBindings) {
  const char* t = "--target=riscv64-linux-gnu -O2";
  std::vector<u8> weak = compile("__attribute__((weak)) int wv = 1; int uses(void) { return wv; }\n", Variant{"c", t});
  std::vector<u8> strong = compile("int wv = 2; extern int uses(void); int g(void) { return uses() + wv; }\n",
                                   Variant{"c", t});
  ASSERT_FALSE(weak.empty());
  ASSERT_FALSE(strong.empty());
  LoadScenario s;
  map_member_areas(s, 2);
  std::vector<SetMember> members = {{"weak.o", weak}, {"strong.o", strong}};
  OracleResult o = run_llvm_oracle_set(members, s);
  ASSERT_EQ(o.status, OracleResult::Status::Ok) << o.message;
  EXPECT_EQ(o.linker, "JITLink");
  ASSERT_TRUE(o.report.loaded) << o.report.error_message;
  LoadReport ref = run_reference_set(members, s);
  CompareOptions options;
  options.right_may_omit_sections = true;
  Comparison c = compare_reports(ref, o.report, options);
  EXPECT_TRUE(c.agree) << all_lines(c);
  // The weak definition lost: its own object's reference reaches strong.o's.
  bool bound = false;
  std::string all;
  for (const ReportBinding& b : o.report.bindings) {
    all += b.name + " -> " + b.target + "\n";
    bound |= b.name == "wv" && b.target.rfind("strong.o:.sdata+", 0) == 0 && b.target.find('|') == std::string::npos;
  }
  EXPECT_TRUE(bound) << all;
}

}  // namespace
}  // namespace jitload::conformance
