// Executing generated functions on the host, comparably. Used by the module
// fuzz target (fuzz/module.cc): the same functions, with the same
// arguments, run through jitload's MCJIT engine (in a forked child of the
// fuzzer) and through LLVM 19's MCJIT (in jitload-oracle-llvm's exec
// server, llvm-exec.cc). This library does not link LLVM.
//
// A comparison of two processes' results is only fair if nothing but the
// arguments and the code can reach a result. Generated code from fuzzed IR
// may read undefined values (undef, poison folded to undef, uninitialized
// stack slots), and those are whatever a register or stack slot holds. So
// every call goes through one trampoline that gives the callee the same
// machine state in every process:
//   - all general-purpose registers but the argument registers are zero,
//     xmm0-7 hold the float arguments (else zero), xmm8-15 are zero;
//   - MXCSR is 0x1f80 and the x87 unit is reset (fninit), DF is clear;
//   - the stack is a zeroed region at a fixed address (kExecStackAddress,
//     identical in every process when the address is free), rsp at the
//     same offset, and the callee's return address is the only non-zero
//     word above its frame apart from the trampoline's saved stack pointer.
// What still differs between processes: where the loaders put code, data,
// stubs and the GOT. A result that depends on those (an address leaking
// through undefined behaviour) is found by running the LLVM side at two
// placements (llvm-exec.cc) and is not compared.
//
// A call's outcome is a value (the return register's bits, masked to the
// return type's width), a signal (SIGFPE for division by zero or
// INT_MIN/-1, SIGSEGV, SIGILL, ... caught and recovered from, so the next
// call still runs), or a timeout (a per-call interval timer).
#pragma once

#include <cstdint>
#include <span>
#include <type_traits>
#include <string>
#include <vector>

namespace jitload::conformance {

// The scalar types a runnable function's parameters and result may have.
enum class ExecType : uint8_t { Void, I1, I8, I16, I32, I64, F32, F64 };

const char* exec_type_name(ExecType t);
bool exec_type_is_float(ExecType t);
unsigned exec_type_bits(ExecType t);  // 0 for Void

struct ExecFunction {
  std::string name;  // the IR name (ELF x86-64: also the symbol name)
  ExecType result = ExecType::Void;
  std::vector<ExecType> params;  // at most 6 integer and 8 float parameters
};

struct ExecCall {
  uint32_t function = 0;      // index into ExecPlan::functions
  std::vector<uint64_t> args;  // raw bits, one per parameter (floats: their IEEE bits)
};

// What to run, in order (calls may change global variables: both sides run
// the same sequence in a fresh engine).
struct ExecPlan {
  std::vector<ExecFunction> functions;
  std::vector<ExecCall> calls;
};

// The code generation settings both engines use (fuzz/module.cc's
// request_for): -1 means "the target's JIT default".
struct ExecSettings {
  std::string cpu = "x86-64";
  int code_model = -1;  // llvm::CodeModel::Model
  int reloc_model = -1;  // llvm::Reloc::Model
  int opt_level = 2;     // llvm::CodeGenOptLevel
  // Section memory in the low 2 GiB (MAP_32BIT): the small and medium code
  // models without PIC have 32-bit absolute relocations.
  bool low_memory = false;
};

struct CallOutcome {
  enum class Kind : uint8_t { NotRun, Value, Signal, Timeout };
  Kind kind = Kind::NotRun;
  uint64_t bits = 0;  // Value
  int signal = 0;     // Signal
  bool operator==(const CallOutcome&) const = default;
};

std::string outcome_text(const CallOutcome& o, ExecType result);  // "0x2a", "1.5 (0x3ff8000000000000)", "signal 8 (Floating point exception)"

// Plan and settings as one line of text each (for the exec server).
std::string plan_to_text(const ExecPlan& plan);
bool plan_from_text(const std::string& text, ExecPlan& plan, std::string& error);
std::string settings_to_text(const ExecSettings& s);
bool settings_from_text(const std::string& text, ExecSettings& s, std::string& error);

// The argument vectors every function gets: zeros, small values, and
// boundary values (INT_MIN/INT_MAX/-1 of the width; inf, NaN, denormal,
// -0.0 for floats). Deterministic.
std::vector<std::vector<uint64_t>> exec_argument_vectors(const ExecFunction& f);

constexpr uint64_t kExecStackAddress = 0x5f0000000000;  // high application memory, also under ASan
constexpr int kExecCallTimeoutMs = 100;  // runnable functions have no loops: microseconds
// What every external symbol resolves to, on both sides (the same answer
// in every process): runnable functions never call externals, but the rest
// of the module may reference them. Never mapped (below vm.mmap_min_addr):
// a call would fault. Low, so the small code model's 32-bit absolute
// relocations to it still fit.
constexpr uint64_t kExecUnresolvedAddress = 0x10000;

// Runs every call of the plan in this process, in order; `addresses[k]` is
// where function k is. `emit(k, outcome)` is called after each call (so a
// caller streaming outcomes to a pipe loses nothing if a later call kills
// the process). Installs handlers for SIGSEGV, SIGBUS, SIGFPE, SIGILL,
// SIGTRAP and SIGALRM: meant for a child process that exists for it.
template <typename F>
void execute_plan(const ExecPlan& plan, std::span<const uint64_t> addresses, F&& emit);
void execute_plan_with(const ExecPlan& plan, std::span<const uint64_t> addresses,
                       void (*emit)(void* ctx, size_t call, const CallOutcome& o), void* ctx);

// One line per outcome: "o CALL v HEX" / "o CALL s SIGNAL" / "o CALL t".
std::string outcome_line(size_t call, const CallOutcome& o);
bool parse_outcome_line(const std::string& line, size_t& call, CallOutcome& o);

// The plan in a child process (vfork: it shares this process's memory
// while this one waits) — for jitload's engine, whose code is loaded and
// finalized here; the child only calls it. Calls the child did not reach
// are NotRun; if it died during call k, outcome k says so (Signal). A hang
// ends at the per-call timer (kExecCallTimeoutMs). `message` describes an
// abnormal end.
struct ExecRun {
  bool ok = false;  // the child ran to its end (some calls may still be NotRun)
  std::vector<CallOutcome> outcomes;
  std::string message;
};
ExecRun execute_plan_in_child(const ExecPlan& plan, std::span<const uint64_t> addresses);

// LLVM 19's MCJIT running the same plan on the module (bitcode; with
// `object`, MCJIT's ObjectCache gives it that object instead of compiling),
// through
// jitload-oracle-llvm's exec server: one long-lived helper process (started
// on first use, restarted if it dies) that forks a child per request. The
// child compiles the module with MCJIT under `settings`, then runs the plan
// in engine A (LLVM's SectionMemoryManager) and in engine B (the same
// object; every section placed 0x340 bytes, or its alignment, further into
// its allocation), each fresh. Every external symbol resolves to
// kExecUnresolvedAddress on both sides.
struct LlvmExecResult {
  enum class Status { Ok, Failed, Crashed, Unavailable };
  Status status = Status::Unavailable;
  std::string message;       // Failed/Crashed/Unavailable: why (LLVM's error, signal, timeout)
  std::string object_hash;   // FNV-1a-64 of the object MCJIT compiled or was given (hex)
  bool object_given = false;
  std::vector<CallOutcome> first, second;  // per call, engines A and B
};
LlvmExecResult run_llvm_exec(std::span<const uint8_t> bitcode, const ExecSettings& settings, const ExecPlan& plan,
                             int timeout_ms = 8000, std::span<const uint8_t> object = {});
// The same in two halves: start sends the request, and the server works on
// it while the caller does something else (jitload's side); finish waits
// for the answer. One request at a time.
struct LlvmExecPending {
  bool sent = false;
  size_t calls = 0;
  LlvmExecResult failure;  // when not sent
};
LlvmExecPending start_llvm_exec(std::span<const uint8_t> bitcode, const ExecSettings& settings, const ExecPlan& plan,
                                std::span<const uint8_t> object = {});
LlvmExecResult finish_llvm_exec(LlvmExecPending& pending, int timeout_ms = 8000);  // under libFuzzer's -timeout=10

std::string fnv1a_hex(std::span<const uint8_t> bytes);

template <typename F>
void execute_plan(const ExecPlan& plan, std::span<const uint64_t> addresses, F&& emit) {
  execute_plan_with(plan, addresses,
                    [](void* ctx, size_t call, const CallOutcome& o) { (*static_cast<std::remove_reference_t<F>*>(ctx))(call, o); },
                    &emit);
}

}  // namespace jitload::conformance
