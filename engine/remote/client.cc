#include "engine/remote/client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/remote/sps.h"

namespace jitload::remote {

Expected<std::unique_ptr<RemoteSession>> RemoteSession::launch(const std::vector<std::string>& command,
                                                               u32 timeout_ms) {
  if (command.empty() || command[0].empty()) return Error(ErrorKind::Argument, "no executor to launch");
  int to_child[2], from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0) return Error(ErrorKind::Io, std::string("pipe: ") + strerror(errno));
  if (pipe2(from_child, O_CLOEXEC) != 0) {
    close(to_child[0]);
    close(to_child[1]);
    return Error(ErrorKind::Io, std::string("pipe: ") + strerror(errno));
  }
  // Everything the child needs is built before fork (no allocation after it).
  std::string in_arg = std::to_string(to_child[0]), out_arg = std::to_string(from_child[1]);
  std::vector<char*> argv;
  for (const std::string& s : command) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(in_arg.data());
  argv.push_back(out_arg.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return Error(ErrorKind::Io, std::string("fork: ") + strerror(errno));
  if (pid == 0) {
    // The executor's ends survive exec; ours close on it.
    fcntl(to_child[0], F_SETFD, 0);
    fcntl(from_child[1], F_SETFD, 0);
    execvp(argv[0], argv.data());
    const char* e = strerror(errno);
    ssize_t unused = write(2, "jitload: cannot run the executor: ", 34);
    unused = write(2, e, strlen(e));
    unused = write(2, "\n", 1);
    (void)unused;
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  signal(SIGPIPE, SIG_IGN);  // a dead executor is an error from write()
  std::unique_ptr<RemoteSession> s(new RemoteSession(from_child[0], to_child[1], pid, timeout_ms));
  if (Error e = s->read_setup()) return e;
  return s;
}

Expected<std::unique_ptr<RemoteSession>> RemoteSession::connect(const std::string& host_port, u32 timeout_ms) {
  size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) return Error(ErrorKind::Argument, "'" + host_port + "': expected HOST:PORT");
  std::string host = host_port.substr(0, colon), port = host_port.substr(colon + 1);
  if (!host.empty() && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  addrinfo hints = {};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found))
    return Error(ErrorKind::Argument, "'" + host_port + "': " + gai_strerror(rc));
  int fd = -1;
  std::string why = "no address";
  for (addrinfo* a = found; a; a = a->ai_next) {
    // Loopback only: the protocol runs whatever code the controller sends.
    bool loopback = (a->ai_family == AF_INET &&
                     (ntohl(reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr.s_addr) >> 24) == 127) ||
                    (a->ai_family == AF_INET6 &&
                     IN6_IS_ADDR_LOOPBACK(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr));
    if (!loopback) {
      why = "not a loopback address (remote sessions stay on this machine)";
      continue;
    }
    fd = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    why = strerror(errno);
    if (fd >= 0) close(fd);
    fd = -1;
  }
  freeaddrinfo(found);
  if (fd < 0) return Error(ErrorKind::Io, "connecting to " + host_port + ": " + why);
  signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<RemoteSession> s(new RemoteSession(fd, fd, -1, timeout_ms));
  if (Error e = s->read_setup()) return e;
  return s;
}

Expected<std::unique_ptr<RemoteSession>> RemoteSession::attach(int in_fd, int out_fd, pid_t child,
                                                               u32 timeout_ms) {
  signal(SIGPIPE, SIG_IGN);  // as launch/connect: a dead executor is an error from write()
  std::unique_ptr<RemoteSession> s(new RemoteSession(in_fd, out_fd, child, timeout_ms));
  if (Error e = s->read_setup()) return e;
  return s;
}

RemoteSession::~RemoteSession() { disconnect(); }

void RemoteSession::disconnect() {
  channel_.close();
  reap(true);
}

// Waits for the child: at most ~5 s when it should be ending (its end of
// the connection is closed), so a wedged executor cannot hang us.
void RemoteSession::reap(bool wait) {
  if (child_ < 0 || reaped_) return;
  for (int i = 0; i < (wait ? 500 : 1); ++i) {
    pid_t r = waitpid(child_, &wait_status_, WNOHANG);
    if (r == child_) {
      reaped_ = true;
      return;
    }
    if (r < 0) return;
    if (wait) {
      timespec ts{0, 10 * 1000 * 1000};
      nanosleep(&ts, nullptr);
    }
  }
  if (wait) {  // still running after the connection closed: end it
    kill(child_, SIGKILL);
    if (waitpid(child_, &wait_status_, 0) == child_) reaped_ = true;
  }
}

std::string RemoteSession::child_status() {
  reap(false);
  if (!reaped_) return "";
  if (WIFEXITED(wait_status_)) return format("exited with status %d", WEXITSTATUS(wait_status_));
  if (WIFSIGNALED(wait_status_))
    return format("terminated by signal %d (%s)", WTERMSIG(wait_status_), strsignal(WTERMSIG(wait_status_)));
  return "";
}

int RemoteSession::child_exit_code() {
  reap(false);
  if (!reaped_) return -1;
  if (WIFEXITED(wait_status_)) return WEXITSTATUS(wait_status_);
  if (WIFSIGNALED(wait_status_)) return 128 + WTERMSIG(wait_status_);
  return -1;
}

Error RemoteSession::fail(Error e) {
  failed_ = true;
  std::string message = e.message();
  channel_.close();
  // A silent executor will not notice the closed connection: end it now
  // rather than after reap's grace period.
  if (child_ >= 0) reap(false);
  if (is_timeout(e) && child_ >= 0 && !reaped_) {
    kill(child_, SIGKILL);
    if (waitpid(child_, &wait_status_, 0) == child_) reaped_ = true;
    message += " (jitload killed the silent executor, pid " + std::to_string(child_) + ")";
  } else if (child_ >= 0) {
    reap(true);
    std::string how = child_status();
    if (!how.empty()) message += " (the executor " + how + ")";
  }
  failure_ = message;
  return Error(e.kind(), message);
}

Error RemoteSession::read_setup() {
  Expected<std::optional<Message>> m = channel_.receive();
  if (!m) return fail(Error(ErrorKind::Io, "waiting for the executor's Setup: " + m.error().message()));
  if (!*m) return fail(Error(ErrorKind::Io, "the executor closed the connection before its Setup message"));
  Message& msg = **m;
  if (msg.opcode == u64(Opcode::Hangup)) {
    Error e = decode_hangup(msg.payload);
    return fail(Error(ErrorKind::Io, "the executor hung up before Setup" + (e ? ": " + e.message() : std::string())));
  }
  if (msg.opcode != u64(Opcode::Setup) || msg.seq != 0 || msg.tag != 0)
    return fail(Error(ErrorKind::Malformed, format("expected Setup (opcode 0, seq 0, tag 0) first, got opcode %llu "
                                                   "(%s), seq %llu, tag 0x%llx",
                                                   (unsigned long long)msg.opcode, opcode_name(msg.opcode),
                                                   (unsigned long long)msg.seq, (unsigned long long)msg.tag)));
  stats_.bytes_received += kHeaderSize + msg.payload.size();
  SpsReader r(msg.payload);
  u64 map_count = 0, sym_count = 0;
  bool ok = r.read_string(triple_) && r.read_u64(page_size_) && r.read_count(map_count, 16);
  for (u64 i = 0; ok && i < map_count; ++i) {
    std::string key;
    std::span<const u8> value;
    ok = r.read_string(key) && r.read_bytes(value);
  }
  ok = ok && r.read_count(sym_count, 16);
  for (u64 i = 0; ok && i < sym_count; ++i) {
    std::string name;
    u64 addr = 0;
    ok = r.read_string(name) && r.read_u64(addr);
    if (ok) symbols_[name] = addr;
  }
  if (!ok || !r.at_end()) return fail(Error(ErrorKind::Malformed, "the executor's Setup message does not decode"));
  if (page_size_ == 0 || (page_size_ & (page_size_ - 1)) || page_size_ > (u64(1) << 30))
    return fail(Error(ErrorKind::Malformed, format("the executor's page size %llu is not a power of two up to 1 GiB",
                                                   (unsigned long long)page_size_)));
  return Error::success();
}

std::optional<u64> RemoteSession::bootstrap_symbol(std::string_view name) const {
  auto it = symbols_.find(name);
  if (it == symbols_.end()) return std::nullopt;
  return it->second;
}

Expected<u64> RemoteSession::symbol(const char* name) const {
  if (auto a = bootstrap_symbol(name)) return *a;
  return Error(ErrorKind::Unsupported, std::string("the executor offers no bootstrap symbol ") + name);
}

Expected<std::vector<u8>> RemoteSession::call(u64 tag, std::span<const u8> args, bool timed) {
  if (failed_) return Error(ErrorKind::Io, "remote session already failed: " + failure_);
  if (channel_.in_fd() < 0) return Error(ErrorKind::Io, "remote session is closed");
  u64 seq = next_seq_++;
  channel_.set_timeout_ms(timeout_ms_);  // sending is always bounded
  if (Error e = channel_.send(Opcode::CallWrapper, seq, tag, args))
    return fail(Error(ErrorKind::Io, "sending a call to the executor: " + e.message()));
  stats_.bytes_sent += kHeaderSize + args.size();
  channel_.set_timeout_ms(timed ? timeout_ms_ : 0);
  for (;;) {
    Expected<std::optional<Message>> m = channel_.receive();
    if (!m) return fail(Error(ErrorKind::Io, "waiting for the executor's reply: " + m.error().message()));
    if (!*m) return fail(Error(ErrorKind::Io, "the executor closed the connection while a call was waiting"));
    Message& msg = **m;
    stats_.bytes_received += kHeaderSize + msg.payload.size();
    switch (msg.opcode) {
      case u64(Opcode::Result):
        if (msg.seq != seq || msg.tag != 0)
          return fail(Error(ErrorKind::Malformed, format("Result for sequence number %llu (tag 0x%llx) while "
                                                         "waiting for %llu",
                                                         (unsigned long long)msg.seq, (unsigned long long)msg.tag,
                                                         (unsigned long long)seq)));
        ++stats_.round_trips;
        return std::vector<u8>(msg.payload.begin(), msg.payload.end());
      case u64(Opcode::CallWrapper): {
        // No controller-side wrappers: the out-of-band error (empty Result).
        if (Error e = channel_.send(Opcode::Result, msg.seq, 0, {}))
          return fail(Error(ErrorKind::Io, "answering the executor: " + e.message()));
        stats_.bytes_sent += kHeaderSize;
        continue;
      }
      case u64(Opcode::Hangup): {
        Error e = decode_hangup(msg.payload);
        return fail(Error(ErrorKind::Io, std::string("the executor hung up") +
                                             (e ? ": " + e.message() : std::string(" while a call was waiting"))));
      }
      default:
        return fail(Error(ErrorKind::Malformed, format("unexpected %s message (opcode %llu) from the executor",
                                                       opcode_name(msg.opcode), (unsigned long long)msg.opcode)));
    }
  }
}

// Decoders of the three result shapes. A payload that does not decode ends
// the session: the executor no longer speaks the protocol.
static bool decode_error(std::span<const u8> payload, std::string& message, bool& has_error) {
  SpsReader r(payload);
  if (!r.read_bool(has_error)) return false;
  if (has_error && !r.read_string(message)) return false;
  return r.at_end();
}

Expected<u64> RemoteSession::reserve(u64 size) {
  u64 tag = TRY_VALUE(symbol(names::kReserve));
  u64 instance = TRY_VALUE(symbol(names::kMemoryManager));
  SpsWriter w;
  w.u64_(instance);
  w.u64_(size);
  std::vector<u8> reply = TRY_VALUE(call(tag, w.data()));
  SpsReader r(reply);
  bool has_value = false;
  u64 addr = 0;
  std::string message;
  if (!r.read_bool(has_value) || (has_value ? !r.read_u64(addr) : !r.read_string(message)) || !r.at_end())
    return fail(Error(ErrorKind::Malformed, "the executor's reply to reserve does not decode"));
  if (!has_value) return Error(ErrorKind::Memory, "executor: " + message);
  return addr;
}

Error RemoteSession::finalize(std::span<const Segment> segments, std::span<const AddrRange> eh_frames) {
  u64 tag = TRY_VALUE(symbol(names::kFinalize));
  u64 instance = TRY_VALUE(symbol(names::kMemoryManager));
  u64 reg = TRY_VALUE(symbol(names::kRegisterEhFrame));
  u64 dereg = TRY_VALUE(symbol(names::kDeregisterEhFrame));
  SpsWriter w;
  w.u64_(instance);
  w.u64_(segments.size());
  for (const Segment& s : segments) {
    w.u8_(s.prot);
    w.u64_(s.addr);
    w.u64_(s.size);
    w.bytes(s.content);
  }
  w.u64_(eh_frames.size());
  for (const AddrRange& f : eh_frames)
    for (u64 fn : {reg, dereg}) {  // (register, deregister) wrapper calls on the range
      SpsWriter a;
      a.u64_(f.start);
      a.u64_(f.end);
      w.u64_(fn);
      w.bytes(a.data());
    }
  std::vector<u8> reply = TRY_VALUE(call(tag, w.data()));
  std::string message;
  bool has_error = false;
  if (!decode_error(reply, message, has_error))
    return fail(Error(ErrorKind::Malformed, "the executor's reply to finalize does not decode"));
  if (has_error) return Error(ErrorKind::Memory, "executor: " + message);
  return Error::success();
}

Error RemoteSession::deallocate(std::span<const u64> bases) {
  u64 tag = TRY_VALUE(symbol(names::kDeallocate));
  u64 instance = TRY_VALUE(symbol(names::kMemoryManager));
  SpsWriter w;
  w.u64_(instance);
  w.u64_(bases.size());
  for (u64 b : bases) w.u64_(b);
  std::vector<u8> reply = TRY_VALUE(call(tag, w.data()));
  std::string message;
  bool has_error = false;
  if (!decode_error(reply, message, has_error))
    return fail(Error(ErrorKind::Malformed, "the executor's reply to deallocate does not decode"));
  if (has_error) return Error(ErrorKind::Memory, "executor: " + message);
  return Error::success();
}

Expected<std::vector<u64>> RemoteSession::lookup(std::span<const std::string> names) {
  u64 instance = TRY_VALUE(symbol(names::kDylibManager));
  if (!dylib_opened_) {
    u64 open = TRY_VALUE(symbol(names::kDylibOpen));
    SpsWriter w;
    w.u64_(instance);
    w.string("");  // the executor's own process
    w.u64_(0);
    std::vector<u8> reply = TRY_VALUE(call(open, w.data()));
    SpsReader r(reply);
    bool has_value = false;
    std::string message;
    if (!r.read_bool(has_value) || (has_value ? !r.read_u64(dylib_handle_) : !r.read_string(message)) ||
        !r.at_end())
      return fail(Error(ErrorKind::Malformed, "the executor's reply to open does not decode"));
    if (!has_value) return Error(ErrorKind::Unresolved, "executor: " + message);
    dylib_opened_ = true;
  }
  u64 tag = TRY_VALUE(symbol(names::kDylibLookup));
  SpsWriter w;
  w.u64_(instance);
  w.u64_(dylib_handle_);
  w.u64_(names.size());
  for (const std::string& n : names) {
    w.string(n);
    w.boolean(false);  // not required: a missing name is 0, the loader decides
  }
  std::vector<u8> reply = TRY_VALUE(call(tag, w.data()));
  SpsReader r(reply);
  bool has_value = false;
  std::string message;
  if (!r.read_bool(has_value)) return fail(Error(ErrorKind::Malformed, "the executor's reply to lookup does not decode"));
  if (!has_value) {
    if (!r.read_string(message) || !r.at_end())
      return fail(Error(ErrorKind::Malformed, "the executor's reply to lookup does not decode"));
    return Error(ErrorKind::Unresolved, "executor: " + message);
  }
  u64 count = 0;
  if (!r.read_count(count, 10) || count != names.size())
    return fail(Error(ErrorKind::Malformed, "the executor's lookup answered a different number of symbols"));
  std::vector<u64> out;
  for (u64 i = 0; i < count; ++i) {
    u64 addr = 0;
    u8 flags = 0, target_flags = 0;
    if (!r.read_u64(addr) || !r.read_u8(flags) || !r.read_u8(target_flags))
      return fail(Error(ErrorKind::Malformed, "the executor's reply to lookup does not decode"));
    out.push_back(addr);
  }
  if (!r.at_end()) return fail(Error(ErrorKind::Malformed, "trailing bytes in the executor's reply to lookup"));
  return out;
}

Expected<RemoteSession::TlsPiece> RemoteSession::tls_reserve(u64 size, u64 align) {
  if (!bootstrap_symbol(names::kTlsReserve))
    return Error(ErrorKind::Unsupported, "the executor offers no thread-local storage (jitload-executor does; "
                                         "LLVM's lli-child-target does not)");
  u64 tag = TRY_VALUE(symbol(names::kTlsReserve));
  SpsWriter w;
  w.u64_(size);
  w.u64_(align);
  std::vector<u8> reply = TRY_VALUE(call(tag, w.data()));
  SpsReader r(reply);
  bool ok = false;
  TlsPiece piece{};
  std::string message;
  u64 tp = 0;
  if (!r.read_bool(ok) || (ok ? !(r.read_u64(piece.handle) && r.read_u64(tp)) : !r.read_string(message)) ||
      !r.at_end())
    return fail(Error(ErrorKind::Malformed, "the executor's reply to tls reserve does not decode"));
  if (!ok) return Error(ErrorKind::Memory, "executor: " + message);
  piece.tp_offset = i64(tp);
  return piece;
}

Error RemoteSession::tls_publish(u64 handle, std::span<const u8> image) {
  u64 tag = TRY_VALUE(symbol(names::kTlsPublish));
  SpsWriter w;
  w.u64_(handle);
  w.bytes(image);
  std::vector<u8> reply = TRY_VALUE(call(tag, w.data()));
  std::string message;
  bool has_error = false;
  if (!decode_error(reply, message, has_error))
    return fail(Error(ErrorKind::Malformed, "the executor's reply to tls publish does not decode"));
  if (has_error) return Error(ErrorKind::Memory, "executor: " + message);
  return Error::success();
}

Expected<i64> RemoteSession::run_as_main(u64 address, std::span<const std::string> argv) {
  u64 tag = TRY_VALUE(symbol(names::kRunAsMain));
  SpsWriter w;
  w.u64_(address);
  w.u64_(argv.size());
  for (const std::string& a : argv) w.string(a);
  std::vector<u8> reply = TRY_VALUE(call(tag, w.data(), /*timed=*/false));
  SpsReader r(reply);
  u64 rc = 0;
  if (!r.read_u64(rc) || !r.at_end())
    return fail(Error(ErrorKind::Malformed, "the executor's reply to run-as-main does not decode (an out-of-band "
                                            "error: the executor could not run it)"));
  return i64(rc);
}

Expected<i32> RemoteSession::run_as_void_function(u64 address) {
  u64 tag = TRY_VALUE(symbol(names::kRunAsVoidFunction));
  SpsWriter w;
  w.u64_(address);
  std::vector<u8> reply = TRY_VALUE(call(tag, w.data(), /*timed=*/false));
  SpsReader r(reply);
  i32 rc = 0;
  if (!r.read_i32(rc) || !r.at_end())
    return fail(Error(ErrorKind::Malformed, "the executor's reply to run-as-void-function does not decode"));
  return rc;
}

Expected<i32> RemoteSession::run_as_int_function(u64 address, i32 argument) {
  u64 tag = TRY_VALUE(symbol(names::kRunAsIntFunction));
  SpsWriter w;
  w.u64_(address);
  w.i32_(argument);
  std::vector<u8> reply = TRY_VALUE(call(tag, w.data(), /*timed=*/false));
  SpsReader r(reply);
  i32 rc = 0;
  if (!r.read_i32(rc) || !r.at_end())
    return fail(Error(ErrorKind::Malformed, "the executor's reply to run-as-int-function does not decode"));
  return rc;
}

}  // namespace jitload::remote
