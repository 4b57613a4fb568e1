// Running the LLVM oracle in a child process. The child gets the object in
// a temporary file and the scenario as JSON on its command line, and
// answers with a LoadReport on stdout. The parent enforces the limits:
//   time    poll() against a deadline; SIGKILL when it passes
//   memory  RLIMIT_AS set in the child before exec (skipped under
//           AddressSanitizer, whose shadow memory needs terabytes of
//           address space); RLIMIT_CORE 0, so crashes leave no core files
//   output  at most 1 GiB of report, then SIGKILL
// Whatever happens to the child, the parent reaps it and returns.
#include "conformance/oracle/oracle.h"

#include "conformance/report/compare.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <vector>

extern char** environ;

#ifndef JITLOAD_ORACLE_HELPER
#define JITLOAD_ORACLE_HELPER ""
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JITLOAD_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define JITLOAD_ASAN 1
#endif

namespace jitload::conformance {

const char* oracle_status_name(OracleResult::Status s) {
  switch (s) {
    case OracleResult::Status::Ok: return "ok";
    case OracleResult::Status::Crashed: return "crashed";
    case OracleResult::Status::TimedOut: return "timed out";
    case OracleResult::Status::Unavailable: return "unavailable";
    case OracleResult::Status::Abstained: return "abstained";
  }
  return "?";
}

namespace {

bool executable(const std::string& path) { return !path.empty() && access(path.c_str(), X_OK) == 0; }

constexpr size_t kMaxOutput = size_t(1) << 30;

// The last line or so of the child's stderr, for the message.
std::string tail(const std::string& s) {
  size_t end = s.find_last_not_of("\n ");
  if (end == std::string::npos) return "";
  size_t start = s.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  std::string line = s.substr(start, end + 1 - start);
  if (line.size() > 300) line = line.substr(0, 300) + "…";
  return line;
}

}  // namespace

std::string oracle_helper_path() {
  if (const char* env = std::getenv("JITLOAD_ORACLE_HELPER")) return executable(env) ? env : "";
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = 0;
    std::string dir(self);
    dir = dir.substr(0, dir.rfind('/') + 1);
    if (executable(dir + "jitload-oracle-llvm")) return dir + "jitload-oracle-llvm";
  }
  if (executable(JITLOAD_ORACLE_HELPER)) return JITLOAD_ORACLE_HELPER;
  return "";
}

namespace {

// The helper on one object (set = false) or a set: each member in a
// temporary file of its own, the scenario last on its command line.
OracleResult run_helper(std::span<const SetMember> members, const LoadScenario& scenario, const OracleLimits& limits,
                        bool set) {
  OracleResult result;
  std::string helper = oracle_helper_path();
  if (helper.empty()) {
    result.status = OracleResult::Status::Unavailable;
    result.message = "oracle unavailable: no jitload-oracle-llvm helper (built without LLVM?)";
    return result;
  }

  struct Unlink {
    std::vector<std::string> paths;
    ~Unlink() {
      for (const std::string& p : paths) unlink(p.c_str());
    }
  } cleanup;
  const char* tmpdir = std::getenv("TMPDIR");
  for (const SetMember& m : members) {
    std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/jitload-oracle-XXXXXX";
    int fd = mkstemp(path.data());
    if (fd < 0) {
      result.status = OracleResult::Status::Unavailable;
      result.message = std::string("oracle unavailable: cannot create a temporary file: ") + std::strerror(errno);
      return result;
    }
    cleanup.paths.push_back(path);
    size_t written = 0;
    while (written < m.bytes.size()) {
      ssize_t w = write(fd, m.bytes.data() + written, m.bytes.size() - written);
      if (w <= 0) break;
      written += size_t(w);
    }
    close(fd);
    if (written != m.bytes.size()) {
      result.status = OracleResult::Status::Unavailable;
      result.message = "oracle unavailable: cannot write the temporary file";
      return result;
    }
  }

  std::string scenario_json = scenario_to_json(scenario);
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    result.message = "oracle unavailable: pipe failed";
    return result;
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    result.message = "oracle unavailable: pipe failed";
    return result;
  }
  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls.
  // jitload-oracle-llvm [--set] OBJECT... SCENARIO-JSON
  std::vector<const char*> argv_list = {helper.c_str()};
  if (set) argv_list.push_back("--set");
  for (const std::string& p : cleanup.paths) argv_list.push_back(p.c_str());
  argv_list.push_back(scenario_json.c_str());
  argv_list.push_back(nullptr);
  const char* const* argv = argv_list.data();
  // The environment, plus: no leak check at the child's exit (in sanitizer
  // builds LeakSanitizer would turn LLVM's unfreed globals into a failing
  // exit status, which is not a crash of LLVM).
  std::vector<std::string> env_strings;
  std::string asan = "ASAN_OPTIONS=detect_leaks=0";
  for (char** e = environ; *e; e++) {
    if (std::strncmp(*e, "ASAN_OPTIONS=", 13) == 0) asan = std::string(*e) + ":detect_leaks=0";
    else env_strings.push_back(*e);
  }
  env_strings.push_back(asan);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  struct rlimit as_limit = {limits.memory_bytes, limits.memory_bytes};
  struct rlimit no_core = {0, 0};
  pid_t pid = fork();
  if (pid < 0) {
    for (int f : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(f);
    result.message = "oracle unavailable: fork failed";
    return result;
  }
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    setrlimit(RLIMIT_CORE, &no_core);
#ifndef JITLOAD_ASAN
    if (limits.memory_bytes) setrlimit(RLIMIT_AS, &as_limit);
#else
    (void)as_limit;
#endif
    execve(argv[0], const_cast<char* const*>(argv), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);

  std::string out, err;
  bool timed_out = false, too_big = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.timeout_ms);
  struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    int r = poll(fds, 2, int(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    for (int k = 0; k < 2; k++) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[k].fd, buf, sizeof buf);
      if (n > 0) {
        std::string& into = k == 0 ? out : err;
        if (into.size() + size_t(n) > kMaxOutput) too_big = true;
        else into.append(buf, size_t(n));
      } else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        close(fds[k].fd);
        fds[k].fd = -1;
        open_fds--;
      }
    }
    if (too_big) break;
  }
  if (timed_out || too_big) kill(pid, SIGKILL);
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  // The helper's notes (llvm-oracle-parts.h): "jitload-oracle-note: TEXT" lines on stderr.
  {
    const std::string prefix = "jitload-oracle-note: ";
    size_t at = 0;
    std::string rest;  // stderr without the notes: what a crash message quotes
    while (at < err.size()) {
      size_t end = err.find('\n', at);
      if (end == std::string::npos) end = err.size();
      if (err.compare(at, prefix.size(), prefix) == 0) {
        std::string text = err.substr(at + prefix.size(), end - at - prefix.size());
        if (text.starts_with("linker: ")) result.linker = text.substr(8);
        else result.notes.push_back(text);
      } else {
        rest.append(err, at, end - at).push_back('\n');
      }
      at = end + 1;
    }
    err = rest;
  }
  // An abstention (llvm-oracle-parts.h, abstain): the helper's reason, no report.
  if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0)
    for (const std::string& n : result.notes)
      if (n.starts_with("abstained: ")) {
        result.status = OracleResult::Status::Abstained;
        result.message = "oracle abstained: " + n.substr(11);
        for (size_t k = 0; k < members.size() && k < cleanup.paths.size(); k++)
          for (size_t at; (at = result.message.find(cleanup.paths[k])) != std::string::npos;)
            result.message.replace(at, cleanup.paths[k].size(), members[k].name);
        return result;
      }
  if (timed_out) {
    result.status = OracleResult::Status::TimedOut;
    result.message = "oracle timed out after " + std::to_string(limits.timeout_ms) + " ms";
    return result;
  }
  if (WIFSIGNALED(status) && !too_big) {
    result.status = OracleResult::Status::Crashed;
    result.signal = WTERMSIG(status);
    result.message = "oracle crashed: signal " + std::to_string(result.signal) + " (" + strsignal(result.signal) + ")";
    std::string why = tail(err);
    if (!why.empty()) result.message += ": " + why;
    return result;
  }
  if (too_big || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    result.status = OracleResult::Status::Crashed;
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.message = too_big ? std::string("oracle crashed: report larger than 1 GiB")
                             : "oracle crashed: exit status " + std::to_string(result.exit_status);
    std::string why = tail(err);
    if (!why.empty()) result.message += ": " + why;
    return result;
  }
  std::string error;
  if (!report_from_json(out, result.report, error)) {
    result.status = OracleResult::Status::Crashed;
    result.message = "oracle crashed: unreadable report (" + error + ")";
    return result;
  }
  // The members' own names, not the temporary files', also in LLVM's message.
  for (size_t k = 0; k < members.size() && k < cleanup.paths.size(); k++)
    for (size_t at; (at = result.report.error_message.find(cleanup.paths[k])) != std::string::npos;)
      result.report.error_message.replace(at, cleanup.paths[k].size(), members[k].name);
  std::string joined;
  for (const SetMember& m : members) joined += (joined.empty() ? "" : "+") + m.name;
  result.report.object = joined;
  if (set) {
    if (result.report.objects.size() != members.size() && result.report.loaded) {
      result.status = OracleResult::Status::Crashed;
      result.message = "oracle crashed: a set report without its members";
      return result;
    }
    result.report.objects.clear();
    for (const SetMember& m : members) result.report.objects.push_back(m.name);
    compute_bindings(result.report);
  }
  result.status = OracleResult::Status::Ok;
  for (const std::string& n : result.notes)
    if (n.starts_with("unavailable: ")) {
      result.status = OracleResult::Status::Unavailable;
      result.message = "oracle unavailable: " + n.substr(13);
    }
  return result;
}

}  // namespace

OracleResult run_llvm_oracle(std::span<const u8> object, const std::string& name, const LoadScenario& scenario,
                             const OracleLimits& limits) {
  const SetMember member{name, object};
  return run_helper(std::span<const SetMember>(&member, 1), scenario, limits, false);
}

OracleResult run_llvm_oracle_set(std::span<const SetMember> members, const LoadScenario& scenario,
                                 const OracleLimits& limits) {
  return run_helper(members, scenario, limits, true);
}

}  // namespace jitload::conformance
