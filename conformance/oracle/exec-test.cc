// exec.h: calls through the trampoline (values, signals, timeouts, the
// fixed machine state), the forked runner, the plan's text form, and LLVM's
// MCJIT behind the exec server (including its placement check).
#include "conformance/oracle/exec.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

using namespace jitload::conformance;

extern "C" {
int64_t exec_test_add3(int64_t a, int64_t b, int64_t c) { return a + 2 * b + 3 * c; }
double exec_test_fma(double x, float y, int32_t k) { return x * double(y) + double(k); }
__attribute__((noinline)) int32_t exec_test_div(int32_t a, int32_t b) {
  volatile int32_t q = a;
  return q / b;
}
__attribute__((noinline)) int32_t exec_test_segv(int32_t a) {
  volatile int32_t* p = reinterpret_cast<int32_t*>(uintptr_t(a) * 8 + 16);
  return *p;
}
__attribute__((noinline)) int32_t exec_test_spin(int32_t) {
  for (;;) asm volatile("" ::: "memory");
}
// What a callee sees in registers and stack it did not get as arguments.
uint64_t exec_test_rbx();
uint64_t exec_test_r12();
uint64_t exec_test_below_stack();
uint64_t exec_test_stack_pointer();
}
asm(R"(
  .text
  .globl exec_test_rbx
exec_test_rbx:
  movq %rbx, %rax
  retq
  .globl exec_test_r12
exec_test_r12:
  movq %r12, %rax
  retq
  .globl exec_test_below_stack
exec_test_below_stack:
  movq -64(%rsp), %rax
  orq -2048(%rsp), %rax
  retq
  .globl exec_test_stack_pointer
exec_test_stack_pointer:
  movq %rsp, %rax
  retq
  .section .note.GNU-stack,"",@progbits
  .text
)");

namespace {

uint64_t addr(const void* f) { return reinterpret_cast<uint64_t>(f); }

uint64_t dbits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

uint64_t fbits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

TEST(Exec, ValuesSignalsAndTimeoutsInAChild) {
  ExecPlan plan;
  plan.functions = {{"add3", ExecType::I64, {ExecType::I64, ExecType::I64, ExecType::I64}},
                    {"fma", ExecType::F64, {ExecType::F64, ExecType::F32, ExecType::I32}},
                    {"div", ExecType::I32, {ExecType::I32, ExecType::I32}},
                    {"segv", ExecType::I32, {ExecType::I32}},
                    {"spin", ExecType::I32, {ExecType::I32}}};
  plan.calls = {{0, {1, 2, 3}},
                {1, {dbits(1.5), fbits(2.0f), uint64_t(-3) & 0xffffffff}},
                {2, {7, 0}},                        // SIGFPE
                {2, {0x80000000, 0xffffffff}},      // INT_MIN / -1: SIGFPE too
                {3, {0}},                           // SIGSEGV
                {2, {100, 7}},                      // still runs after the faults
                {4, {0}},                           // timeout
                {0, {uint64_t(-1), 0, 0}}};
  std::vector<uint64_t> addresses = {addr((void*)exec_test_add3), addr((void*)exec_test_fma),
                                     addr((void*)exec_test_div), addr((void*)exec_test_segv),
                                     addr((void*)exec_test_spin)};
  ExecRun run = execute_plan_in_child(plan, addresses);
  ASSERT_TRUE(run.ok) << run.message;
  ASSERT_EQ(run.outcomes.size(), plan.calls.size());
  EXPECT_EQ(run.outcomes[0].kind, CallOutcome::Kind::Value);
  EXPECT_EQ(run.outcomes[0].bits, 14u);
  EXPECT_EQ(run.outcomes[1].bits, dbits(0.0));
  EXPECT_EQ(run.outcomes[2].kind, CallOutcome::Kind::Signal);
  EXPECT_EQ(run.outcomes[2].signal, SIGFPE);
  EXPECT_EQ(run.outcomes[3].kind, CallOutcome::Kind::Signal);
  EXPECT_EQ(run.outcomes[3].signal, SIGFPE);
  EXPECT_EQ(run.outcomes[4].kind, CallOutcome::Kind::Signal);
  EXPECT_EQ(run.outcomes[4].signal, SIGSEGV);
  EXPECT_EQ(run.outcomes[5].kind, CallOutcome::Kind::Value);
  EXPECT_EQ(run.outcomes[5].bits, 14u);
  EXPECT_EQ(run.outcomes[6].kind, CallOutcome::Kind::Timeout);
  // An i64 result is not masked; -1 + 0 + 0.
  EXPECT_EQ(run.outcomes[7].bits, ~uint64_t(0));
}

TEST(Exec, TheCalleeSeesAFixedMachineState) {
  ExecPlan plan;
  plan.functions = {{"rbx", ExecType::I64, {}},
                    {"r12", ExecType::I64, {}},
                    {"below", ExecType::I64, {}},
                    {"rsp", ExecType::I64, {}}};
  plan.calls = {{0, {}}, {1, {}}, {2, {}}, {3, {}}};
  std::vector<uint64_t> addresses = {addr((void*)exec_test_rbx), addr((void*)exec_test_r12),
                                     addr((void*)exec_test_below_stack), addr((void*)exec_test_stack_pointer)};
  ExecRun run = execute_plan_in_child(plan, addresses);
  ASSERT_TRUE(run.ok) << run.message;
  EXPECT_EQ(run.outcomes[0].bits, 0u);  // callee-saved registers are zero
  EXPECT_EQ(run.outcomes[1].bits, 0u);
  EXPECT_EQ(run.outcomes[2].bits, 0u);  // the stack below the callee is zeroed
  // The stack is where exec.h says, 16-aligned minus the return address.
  EXPECT_EQ(run.outcomes[3].bits, kExecStackAddress - 24);
}

TEST(Exec, ResultsAreMaskedToTheirType) {
  ExecPlan plan;
  plan.functions = {{"add3_as_i8", ExecType::I8, {ExecType::I64, ExecType::I64, ExecType::I64}},
                    {"add3_as_i1", ExecType::I1, {ExecType::I64, ExecType::I64, ExecType::I64}}};
  plan.calls = {{0, {0x1234, 0, 0}}, {1, {0x1235, 0, 0}}};
  std::vector<uint64_t> addresses = {addr((void*)exec_test_add3), addr((void*)exec_test_add3)};
  ExecRun run = execute_plan_in_child(plan, addresses);
  ASSERT_TRUE(run.ok) << run.message;
  EXPECT_EQ(run.outcomes[0].bits, 0x34u);
  EXPECT_EQ(run.outcomes[1].bits, 1u);
}

TEST(Exec, PlanTextRoundTrips) {
  ExecPlan plan;
  plan.functions = {{"f", ExecType::F32, {ExecType::I1, ExecType::F64}}, {"g", ExecType::Void, {}}};
  plan.calls = {{0, {1, dbits(-0.0)}}, {1, {}}};
  ExecPlan back;
  std::string error;
  ASSERT_TRUE(plan_from_text(plan_to_text(plan), back, error)) << error;
  ASSERT_EQ(back.functions.size(), 2u);
  EXPECT_EQ(back.functions[0].name, "f");
  EXPECT_EQ(back.functions[0].params, plan.functions[0].params);
  EXPECT_EQ(back.calls[0].args, plan.calls[0].args);
  EXPECT_FALSE(plan_from_text("C 3 1 2;", back, error));  // no such function
  ExecSettings s{"x86-64", 3, 0, 1}, t;
  ASSERT_TRUE(settings_from_text(settings_to_text(s), t, error));
  EXPECT_EQ(t.code_model, 3);
  EXPECT_EQ(t.reloc_model, 0);
  EXPECT_EQ(t.opt_level, 1);
}

TEST(Exec, ArgumentVectorsCoverZerosSmallAndBoundaries) {
  ExecFunction f{"f", ExecType::I32, {ExecType::I8, ExecType::I32, ExecType::F64}};
  auto v = exec_argument_vectors(f);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], (std::vector<uint64_t>{0, 0, 0}));
  EXPECT_EQ(v[1][0], 3u);
  EXPECT_EQ(v[2][0], 0x80u);        // INT8_MIN
  EXPECT_EQ(v[2][1], 0xffffffffu);  // -1
  EXPECT_EQ(v[2][2], dbits(NAN));
}

std::vector<uint8_t> bitcode_of(const char* ir) {
  llvm::LLVMContext ctx;
  llvm::SMDiagnostic diag;
  auto m = llvm::parseIR(llvm::MemoryBufferRef(ir, "test"), diag, ctx);
  EXPECT_TRUE(m) << diag.getMessage().str();
  if (!m) return {};
  llvm::SmallVector<char, 0> out;
  llvm::raw_svector_ostream os(out);
  llvm::WriteBitcodeToFile(*m, os);
  return std::vector<uint8_t>(out.begin(), out.end());
}

TEST(Exec, LlvmMcjitRunsThePlanAtTwoPlacements) {
  const char* ir = R"(
@g = global i32 40
define i32 @add(i32 %a, i32 %b) {
  %s = add i32 %a, %b
  %c = load i32, ptr @g
  %r = add i32 %s, %c
  store i32 %r, ptr @g
  ret i32 %r
}
define i32 @div(i32 %a, i32 %b) {
  %q = sdiv i32 %a, %b
  ret i32 %q
}
define i64 @where() {
  %p = ptrtoint ptr @g to i64
  ret i64 %p
}
declare i32 @nowhere(i32)
define i32 @unrun(i32 %x) {
  %r = call i32 @nowhere(i32 %x)
  ret i32 %r
}
)";
  std::vector<uint8_t> bc = bitcode_of(ir);
  ExecPlan plan;
  plan.functions = {{"add", ExecType::I32, {ExecType::I32, ExecType::I32}},
                    {"div", ExecType::I32, {ExecType::I32, ExecType::I32}},
                    {"where", ExecType::I64, {}}};
  plan.calls = {{0, {1, 2}}, {0, {1, 2}}, {1, {7, 0}}, {1, {9, 2}}, {2, {}}};
  // The JIT default (large), small PIC, small and medium static in the low 2 GiB.
  const ExecSettings settings[] = {{"x86-64", -1, -1, 2, false},
                                   {"x86-64", 1, 1, 2, false},
                                   {"x86-64", 1, 0, 0, true},
                                   {"x86-64", 3, 0, 2, true}};
  for (const ExecSettings& s : settings) {
    SCOPED_TRACE(settings_to_text(s));
    LlvmExecResult r = run_llvm_exec(bc, s, plan);
    ASSERT_EQ(r.status, LlvmExecResult::Status::Ok) << r.message;
    EXPECT_EQ(r.object_hash.size(), 16u);
    for (const std::vector<CallOutcome>* side : {&r.first, &r.second}) {
      const auto& o = *side;
      ASSERT_EQ(o.size(), plan.calls.size());
      EXPECT_EQ(o[0].bits, 43u);  // globals persist across calls of one engine...
      EXPECT_EQ(o[1].bits, 46u);
      EXPECT_EQ(o[2].kind, CallOutcome::Kind::Signal);
      EXPECT_EQ(o[2].signal, SIGFPE);
      EXPECT_EQ(o[3].bits, 4u);
    }
    // ...and each engine starts fresh; an address differs between them.
    EXPECT_EQ(r.first[4].kind, CallOutcome::Kind::Value);
    EXPECT_NE(r.first[4].bits, r.second[4].bits);
    if (s.low_memory) EXPECT_LT(r.first[4].bits, uint64_t(1) << 31);
  }
  // A module LLVM cannot run is an error, not a crash.
  ExecPlan missing;
  missing.functions = {{"absent", ExecType::I32, {}}};
  missing.calls = {{0, {}}};
  LlvmExecResult r = run_llvm_exec(bc, ExecSettings{}, missing);
  EXPECT_EQ(r.status, LlvmExecResult::Status::Failed);
  EXPECT_NE(r.message.find("absent"), std::string::npos) << r.message;
  // Garbage instead of bitcode.
  std::vector<uint8_t> junk(64, 0x5a);
  r = run_llvm_exec(junk, ExecSettings{}, plan);
  EXPECT_EQ(r.status, LlvmExecResult::Status::Failed);
  // The server survives all of it.
  r = run_llvm_exec(bc, ExecSettings{}, plan);
  EXPECT_EQ(r.status, LlvmExecResult::Status::Ok) << r.message;
}


// With an object given, MCJIT's ObjectCache hands it over (no compilation):
// the plan runs on exactly those bytes.
TEST(Exec, LlvmMcjitRunsAGivenObject) {
  const char* ir = "define i32 @twice(i32 %a) {\n  %r = shl i32 %a, 1\n  ret i32 %r\n}\n";
  std::string dir = ::testing::TempDir();
  std::string ll = dir + "/exec-given.ll", obj = dir + "/exec-given.o";
  {
    FILE* f = std::fopen(ll.c_str(), "w");
    ASSERT_TRUE(f);
    std::fputs(ir, f);
    std::fclose(f);
  }
  std::string cmd = std::string(JITLOAD_CLANG) + " -c -O2 -fno-pic -mcmodel=large -x ir " + ll + " -o " + obj;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::vector<uint8_t> object;
  {
    FILE* f = std::fopen(obj.c_str(), "rb");
    ASSERT_TRUE(f);
    int c;
    while ((c = std::fgetc(f)) != EOF) object.push_back(uint8_t(c));
    std::fclose(f);
  }
  ExecPlan plan;
  plan.functions = {{"twice", ExecType::I32, {ExecType::I32}}};
  plan.calls = {{0, {21}}};
  LlvmExecResult r = run_llvm_exec(bitcode_of(ir), ExecSettings{}, plan, 8000, object);
  ASSERT_EQ(r.status, LlvmExecResult::Status::Ok) << r.message;
  EXPECT_TRUE(r.object_given);
  EXPECT_EQ(r.object_hash, fnv1a_hex(object));
  EXPECT_EQ(r.first[0].bits, 42u);
  EXPECT_EQ(r.second[0].bits, 42u);
  // Compiled by MCJIT instead: not given, and (other settings) other bytes.
  r = run_llvm_exec(bitcode_of(ir), ExecSettings{}, plan);
  ASSERT_EQ(r.status, LlvmExecResult::Status::Ok) << r.message;
  EXPECT_FALSE(r.object_given);
  EXPECT_EQ(r.first[0].bits, 42u);
}

// A module for another architecture is refused by name (it would need
// qemu: jitload exec), never compiled for the host or run as if it were.
TEST(Exec, LlvmMcjitRefusesAModuleForAnotherArchitecture) {
  const char* ir = R"(
target triple = "aarch64-unknown-linux-gnu"
define i32 @answer() {
  ret i32 42
}
)";
  ExecPlan plan;
  plan.functions = {{"answer", ExecType::I32, {}}};
  plan.calls = {{0, {}}};
  LlvmExecResult r = run_llvm_exec(bitcode_of(ir), ExecSettings{}, plan);
  EXPECT_EQ(r.status, LlvmExecResult::Status::Failed);
  EXPECT_NE(r.message.find("the module is for aarch64"), std::string::npos) << r.message;
  EXPECT_TRUE(r.first.empty() || r.first[0].kind == CallOutcome::Kind::NotRun);
}

}  // namespace
