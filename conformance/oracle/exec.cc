// Deterministic calls of generated code (the trampoline), the plan's text
// form, the forked runner for jitload's side and the client of LLVM's exec
// server. See exec.h for why each piece exists.
#include "conformance/oracle/exec.h"

#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "conformance/oracle/oracle.h"

#include "conformance/oracle/exec-call.h"

namespace jitload::conformance {

const char* exec_type_name(ExecType t) {
  switch (t) {
    case ExecType::Void: return "void";
    case ExecType::I1: return "i1";
    case ExecType::I8: return "i8";
    case ExecType::I16: return "i16";
    case ExecType::I32: return "i32";
    case ExecType::I64: return "i64";
    case ExecType::F32: return "float";
    case ExecType::F64: return "double";
  }
  return "?";
}

bool exec_type_is_float(ExecType t) { return t == ExecType::F32 || t == ExecType::F64; }

unsigned exec_type_bits(ExecType t) {
  switch (t) {
    case ExecType::Void: return 0;
    case ExecType::I1: return 1;
    case ExecType::I8: return 8;
    case ExecType::I16: return 16;
    case ExecType::I32: return 32;
    case ExecType::I64: return 64;
    case ExecType::F32: return 32;
    case ExecType::F64: return 64;
  }
  return 0;
}

namespace {

bool type_from_name(const std::string& s, ExecType& t) {
  for (ExecType x : {ExecType::Void, ExecType::I1, ExecType::I8, ExecType::I16, ExecType::I32, ExecType::I64,
                     ExecType::F32, ExecType::F64})
    if (s == exec_type_name(x)) return t = x, true;
  return false;
}

uint64_t mask_bits(uint64_t v, unsigned bits) { return bits >= 64 ? v : v & ((uint64_t(1) << bits) - 1); }

}  // namespace

std::string outcome_text(const CallOutcome& o, ExecType result) {
  char buf[160];
  switch (o.kind) {
    case CallOutcome::Kind::NotRun: return "not run";
    case CallOutcome::Kind::Timeout: return "timeout";
    case CallOutcome::Kind::Signal:
      std::snprintf(buf, sizeof buf, "signal %d (%s)", o.signal, strsignal(o.signal));
      return buf;
    case CallOutcome::Kind::Value:
      if (result == ExecType::F64) {
        double d;
        std::memcpy(&d, &o.bits, 8);
        std::snprintf(buf, sizeof buf, "%.17g (0x%016" PRIx64 ")", d, o.bits);
      } else if (result == ExecType::F32) {
        float f;
        uint32_t b = uint32_t(o.bits);
        std::memcpy(&f, &b, 4);
        std::snprintf(buf, sizeof buf, "%.9g (0x%08" PRIx32 ")", double(f), b);
      } else {
        std::snprintf(buf, sizeof buf, "0x%" PRIx64, o.bits);
      }
      return buf;
  }
  return "?";
}

// "F name result p1 p2 ...;C index a1 a2 ...;" — names are LLVM IR names
// without spaces or semicolons (the fuzz target only plans such functions).
std::string plan_to_text(const ExecPlan& plan) {
  std::string out;
  char buf[32];
  for (const ExecFunction& f : plan.functions) {
    out += "F " + f.name + " " + exec_type_name(f.result);
    for (ExecType p : f.params) out += std::string(" ") + exec_type_name(p);
    out += ";";
  }
  for (const ExecCall& c : plan.calls) {
    out += "C " + std::to_string(c.function);
    for (uint64_t a : c.args) {
      std::snprintf(buf, sizeof buf, " %" PRIx64, a);
      out += buf;
    }
    out += ";";
  }
  return out;
}

bool plan_from_text(const std::string& text, ExecPlan& plan, std::string& error) {
  plan = {};
  std::stringstream all(text);
  std::string item;
  while (std::getline(all, item, ';')) {
    if (item.empty()) continue;
    std::stringstream in(item);
    std::string tag;
    in >> tag;
    if (tag == "F") {
      ExecFunction f;
      std::string t;
      if (!(in >> f.name >> t) || !type_from_name(t, f.result)) return error = "bad function entry: " + item, false;
      while (in >> t) {
        ExecType p;
        if (!type_from_name(t, p) || p == ExecType::Void) return error = "bad parameter type in: " + item, false;
        f.params.push_back(p);
      }
      plan.functions.push_back(f);
    } else if (tag == "C") {
      ExecCall c;
      if (!(in >> c.function) || c.function >= plan.functions.size()) return error = "bad call entry: " + item, false;
      std::string a;
      while (in >> a) c.args.push_back(std::strtoull(a.c_str(), nullptr, 16));
      if (c.args.size() != plan.functions[c.function].params.size())
        return error = "call with the wrong number of arguments: " + item, false;
      plan.calls.push_back(c);
    } else {
      return error = "bad plan entry: " + item, false;
    }
  }
  return true;
}

std::string settings_to_text(const ExecSettings& s) {
  return "cpu=" + s.cpu + " cm=" + std::to_string(s.code_model) + " rm=" + std::to_string(s.reloc_model) +
         " ol=" + std::to_string(s.opt_level) + " lm=" + std::to_string(int(s.low_memory));
}

bool settings_from_text(const std::string& text, ExecSettings& s, std::string& error) {
  std::stringstream in(text);
  std::string kv;
  while (in >> kv) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) return error = "bad setting: " + kv, false;
    std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
    if (k == "cpu") s.cpu = v;
    else if (k == "cm") s.code_model = std::atoi(v.c_str());
    else if (k == "rm") s.reloc_model = std::atoi(v.c_str());
    else if (k == "ol") s.opt_level = std::atoi(v.c_str());
    else if (k == "lm") s.low_memory = std::atoi(v.c_str()) != 0;
    else return error = "unknown setting: " + kv, false;
  }
  return true;
}

std::vector<std::vector<uint64_t>> exec_argument_vectors(const ExecFunction& f) {
  std::vector<std::vector<uint64_t>> out(3);
  auto fbits = [](ExecType t, double d) -> uint64_t {
    if (t == ExecType::F32) {
      float x = float(d);
      uint32_t b;
      std::memcpy(&b, &x, 4);
      return b;
    }
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return b;
  };
  for (size_t k = 0; k < f.params.size(); k++) {
    ExecType t = f.params[k];
    unsigned bits = exec_type_bits(t);
    // zeros
    out[0].push_back(0);
    // small values, different per position
    if (exec_type_is_float(t)) out[1].push_back(fbits(t, 1.5 + double(k) * 2.25));
    else out[1].push_back(mask_bits(k + 3, bits));
    // boundaries, cycling through a few per position
    if (exec_type_is_float(t)) {
      static const double kFloats[] = {-0.0, INFINITY, NAN, 5e-324, -1e300, 3.4028235e38};
      out[2].push_back(fbits(t, kFloats[k % 6]));
    } else {
      uint64_t min = bits == 1 ? 1 : uint64_t(1) << (bits - 1);  // INT_MIN of the width
      uint64_t all = mask_bits(~uint64_t(0), bits);              // -1
      const uint64_t kInts[] = {min, all, min - 1, 1};           // INT_MIN, -1, INT_MAX, 1
      out[2].push_back(mask_bits(kInts[k % 4], bits));
    }
  }
  return out;
}

// ---- Executing a plan in this process ------------------------------------

namespace {

// Zeroed before every call, so small: runnable functions have no loops or
// recursion and at most 16 KiB of allocas each (fuzz/module.cc). A deeper
// stack faults on the guard page alike in every process.
constexpr size_t kStackSize = 64 * 1024;
constexpr size_t kGuard = 4096;

sigjmp_buf g_jump;
volatile sig_atomic_t g_signal = 0;

void on_signal(int sig) {
  g_signal = sig;
  siglongjmp(g_jump, 1);
}

// The fixed stack: [kExecStackAddress - kStackSize, kExecStackAddress),
// with a guard page below. Falls back to any address if that one is taken.
uint8_t* exec_stack_top() {
  static uint8_t* top = [] {
    size_t total = kStackSize + kGuard;
    void* want = reinterpret_cast<void*>(kExecStackAddress - total);
    void* p = mmap(want, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
                   -1, 0);
    if (p == MAP_FAILED || p != want) {
      if (p != MAP_FAILED) munmap(p, total);
      p = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) return static_cast<uint8_t*>(nullptr);
    }
    mprotect(p, kGuard, PROT_NONE);
    return static_cast<uint8_t*>(p) + total;
  }();
  return top;
}

uint8_t* signal_stack() {
  static uint8_t* alt = static_cast<uint8_t*>(std::malloc(1 << 16));
  return alt;
}

void arm_timer(int ms) {
  struct itimerval t = {};
  t.it_value.tv_sec = ms / 1000;
  t.it_value.tv_usec = (ms % 1000) * 1000;
  setitimer(ITIMER_REAL, &t, nullptr);
}

}  // namespace

void execute_plan_with(const ExecPlan& plan, std::span<const uint64_t> addresses,
                       void (*emit)(void* ctx, size_t call, const CallOutcome& o), void* ctx) {
  uint8_t* top = exec_stack_top();
  // The handlers run on an alternate stack: a fault may be a stack overflow.
  stack_t ss = {};
  ss.ss_sp = signal_stack();
  ss.ss_size = 1 << 16;
  sigaltstack(&ss, nullptr);
  struct sigaction sa = {};
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGALRM}) sigaction(sig, &sa, nullptr);

  for (size_t k = 0; k < plan.calls.size(); k++) {
    const ExecCall& call = plan.calls[k];
    const ExecFunction& f = plan.functions[call.function];
    CallOutcome outcome;
    if (!top || call.function >= addresses.size() || !addresses[call.function] ||
        call.args.size() != f.params.size()) {
      emit(ctx, k, outcome);  // NotRun
      continue;
    }
    std::memset(top - kStackSize, 0, kStackSize);
    g_signal = 0;
    if (sigsetjmp(g_jump, 1) == 0) {
      arm_timer(kExecCallTimeoutMs);
      uint64_t raw = 0;
      bool called = detail::exec_arch_call(f, call.args.data(), addresses[call.function],
                                           reinterpret_cast<uint64_t>(top), raw);
      arm_timer(0);
      if (called) {
        outcome.kind = CallOutcome::Kind::Value;
        outcome.bits = mask_bits(raw, exec_type_bits(f.result));
      }
    } else {
      arm_timer(0);
      if (g_signal == SIGALRM) {
        outcome.kind = CallOutcome::Kind::Timeout;
      } else {
        outcome.kind = CallOutcome::Kind::Signal;
        outcome.signal = g_signal;
      }
    }
    emit(ctx, k, outcome);
  }
}

std::string outcome_line(size_t call, const CallOutcome& o) {
  char buf[64];
  switch (o.kind) {
    case CallOutcome::Kind::Value: std::snprintf(buf, sizeof buf, "o %zu v %" PRIx64 "\n", call, o.bits); break;
    case CallOutcome::Kind::Signal: std::snprintf(buf, sizeof buf, "o %zu s %d\n", call, o.signal); break;
    case CallOutcome::Kind::Timeout: std::snprintf(buf, sizeof buf, "o %zu t\n", call); break;
    case CallOutcome::Kind::NotRun: std::snprintf(buf, sizeof buf, "o %zu n\n", call); break;
  }
  return buf;
}

bool parse_outcome_line(const std::string& line, size_t& call, CallOutcome& o) {
  char kind = 0;
  unsigned long long a = 0;
  int n = 0;
  o = {};
  if (std::sscanf(line.c_str(), "o %zu %c %n", &call, &kind, &n) < 2) return false;
  const char* rest = line.c_str() + n;
  switch (kind) {
    case 'v':
      if (std::sscanf(rest, "%llx", &a) != 1) return false;
      o.kind = CallOutcome::Kind::Value;
      o.bits = a;
      return true;
    case 's':
      o.kind = CallOutcome::Kind::Signal;
      o.signal = std::atoi(rest);
      return true;
    case 't': o.kind = CallOutcome::Kind::Timeout; return true;
    case 'n': o.kind = CallOutcome::Kind::NotRun; return true;
  }
  return false;
}

// ---- jitload's side: the plan in a vfork child ---------------------------

ExecRun execute_plan_in_child(const ExecPlan& plan, std::span<const uint64_t> addresses) {
  ExecRun run;
  run.outcomes.assign(plan.calls.size(), CallOutcome{});
  // The child shares this process's memory (vfork: no page tables copied,
  // which for a fuzzer's half-gigabyte ASan process cost ~20 ms per fork)
  // and writes each outcome straight into run.outcomes; this process waits
  // until it exits. Its signal handlers and timers are its own, so a crash
  // or a hang ends only the child. It calls nothing but the trampoline,
  // setitimer, sigaction and _exit.
  CallOutcome* out = run.outcomes.data();
  exec_stack_top();  // allocated here, not in the child
  signal_stack();
  pid_t pid = vfork();
  if (pid < 0) {
    run.message = "vfork failed";
    return run;
  }
  if (pid == 0) {
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    execute_plan(plan, addresses, [out](size_t k, const CallOutcome& o) { out[k] = o; });
    _exit(0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // The call the child was in when it died.
  size_t first_missing = 0;
  while (first_missing < run.outcomes.size() && run.outcomes[first_missing].kind != CallOutcome::Kind::NotRun)
    first_missing++;
  if (WIFSIGNALED(status)) {
    run.message = "child killed by signal " + std::to_string(WTERMSIG(status));
    if (first_missing < run.outcomes.size()) {
      run.outcomes[first_missing].kind = CallOutcome::Kind::Signal;
      run.outcomes[first_missing].signal = WTERMSIG(status);
    }
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    run.message = "child exited with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else {
    run.ok = true;
  }
  return run;
}

#if !(defined(__x86_64__) && defined(__ELF__))
// No trampoline for this host yet (one file per architecture, like
// exec-x86-64.cc): nothing runs, every call is NotRun.
namespace detail {
bool exec_arch_call(const ExecFunction&, const uint64_t*, uint64_t, uint64_t, uint64_t&) { return false; }
}  // namespace detail
#endif

std::string fnv1a_hex(std::span<const uint8_t> bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint8_t b : bytes) h = (h ^ b) * 0x100000001b3ull;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, h);
  return buf;
}

// ---- LLVM's side: the exec server's client -------------------------------

namespace {

// Reads lines from fd into `lines` until `end_line`; false on EOF or when
// the deadline passes first.
bool read_lines_until(int fd, std::chrono::steady_clock::time_point deadline, std::string& buffer,
                      const std::string& end_line, std::vector<std::string>& lines) {
  char chunk[4096];
  for (;;) {
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (line == end_line) return true;
      lines.push_back(line);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, int(left.count()));
    if (r <= 0) continue;  // EINTR, or the deadline (checked above)
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, size_t(n));
  }
}

struct Server {
  pid_t pid = -1;
  int fd = -1;  // a socket: requests out, lines in (send with MSG_NOSIGNAL: a dead server is no SIGPIPE)
  std::string buffer;

  void stop() {
    if (fd >= 0) close(fd);
    if (pid > 0) {
      kill(pid, SIGKILL);
      while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
    pid = -1;
    fd = -1;
    buffer.clear();
  }

  bool start(std::string& message) {
    std::string helper = oracle_helper_path();
    if (helper.empty()) return message = "no jitload-oracle-llvm helper (built without LLVM?)", false;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return message = "socketpair failed", false;
    const char* argv[] = {helper.c_str(), "--exec-server", nullptr};
    bool quiet = std::getenv("JITLOAD_EXEC_SERVER_STDERR") == nullptr;
    pid_t p = fork();
    if (p < 0) {
      close(sv[0]);
      close(sv[1]);
      return message = "fork failed", false;
    }
    if (p == 0) {
      dup2(sv[1], 0);
      dup2(sv[1], 1);
      if (quiet) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) dup2(devnull, 2);
      }
      struct rlimit no_core = {0, 0};
      setrlimit(RLIMIT_CORE, &no_core);
      execv(argv[0], const_cast<char* const*>(argv));
      _exit(127);
    }
    close(sv[1]);
    pid = p;
    fd = sv[0];
    return true;
  }

  bool send_all(const void* data, size_t size) {
    auto* p = static_cast<const char*>(data);
    while (size) {
      ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      p += n;
      size -= size_t(n);
    }
    return true;
  }
};

Server g_server;

}  // namespace

LlvmExecPending start_llvm_exec(std::span<const uint8_t> bitcode, const ExecSettings& settings, const ExecPlan& plan,
                                std::span<const uint8_t> object) {
  LlvmExecPending pending;
  pending.calls = plan.calls.size();
  LlvmExecResult& r = pending.failure;
  if (g_server.pid < 0 && !g_server.start(r.message)) {
    r.status = LlvmExecResult::Status::Unavailable;
    return pending;
  }
  std::string s = settings_to_text(settings), p = plan_to_text(plan);
  std::string header = "req " + std::to_string(s.size()) + " " + std::to_string(p.size()) + " " +
                       std::to_string(bitcode.size()) + " " + std::to_string(object.size()) + "\n";
  if (!g_server.send_all(header.data(), header.size()) || !g_server.send_all(s.data(), s.size()) ||
      !g_server.send_all(p.data(), p.size()) || !g_server.send_all(bitcode.data(), bitcode.size()) ||
      !g_server.send_all(object.data(), object.size())) {
    g_server.stop();
    r.status = LlvmExecResult::Status::Unavailable;
    r.message = "exec server is gone";
    return pending;
  }
  pending.sent = true;
  return pending;
}

LlvmExecResult run_llvm_exec(std::span<const uint8_t> bitcode, const ExecSettings& settings, const ExecPlan& plan,
                             int timeout_ms, std::span<const uint8_t> object) {
  LlvmExecPending pending = start_llvm_exec(bitcode, settings, plan, object);
  return finish_llvm_exec(pending, timeout_ms);
}

LlvmExecResult finish_llvm_exec(LlvmExecPending& pending, int timeout_ms) {
  if (!pending.sent) return pending.failure;
  pending.sent = false;
  LlvmExecResult r;
  std::vector<std::string> lines;
  bool ok = read_lines_until(g_server.fd, std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms),
                             g_server.buffer, "end", lines);
  if (!ok) {
    g_server.stop();
    r.status = LlvmExecResult::Status::Crashed;
    r.message = "exec server did not answer within " + std::to_string(timeout_ms) + " ms";
    return r;
  }
  r.first.assign(pending.calls, CallOutcome{});
  r.second.assign(pending.calls, CallOutcome{});
  std::vector<CallOutcome>* into = nullptr;  // engine A's outcomes after "p 0", B's after "p 1"
  std::string exit_line, error;
  for (const std::string& l : lines) {
    size_t k;
    CallOutcome o;
    if (l.rfind("object ", 0) == 0) r.object_hash = l.substr(7);
    else if (l == "given") r.object_given = true;
    else if (l == "p 0") into = &r.first;
    else if (l == "p 1") into = &r.second;
    else if (l.rfind("error ", 0) == 0) error = l.substr(6);
    else if (l.rfind("exit ", 0) == 0) exit_line = l.substr(5);
    else if (into && parse_outcome_line(l, k, o) && k < into->size()) (*into)[k] = o;
  }
  if (!error.empty()) {
    r.status = LlvmExecResult::Status::Failed;
    r.message = error;
  } else if (exit_line != "ok") {
    r.status = LlvmExecResult::Status::Crashed;
    r.message = "LLVM's MCJIT child: " + exit_line;
  } else {
    r.status = LlvmExecResult::Status::Ok;
  }
  return r;
}

}  // namespace jitload::conformance
