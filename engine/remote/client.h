// The controller side of LLVM 19's SimpleRemoteEPC protocol (wire.h),
// without LLVM: a session with an executor — `jitload-executor` or LLVM's
// `lli-child-target` — launched as a child on two pipes (the executor's
// argv gets the two descriptor numbers, as lli passes them) or reached over
// TCP on loopback. Calls are synchronous: one CallWrapper, then messages are
// read until its Result.
//
// Hostile executors. Every reply is decoded with bounds checks; a message
// that is not the awaited Result (another sequence number, Setup again, an
// unknown opcode, a payload that does not decode) is an error that ends the
// session, and every later call fails at once. A CallWrapper from the
// executor (JIT'd code calling the controller) is answered with an
// out-of-band error: jitload offers no controller-side wrapper functions.
// The executor dying (EOF, a broken pipe) while a call waits is an error
// naming how it died (exit status or signal, when it is our child), never a
// hang. An executor that stays alive but stops answering (stopped, wedged)
// is an error too, after the session's timeout: every wait for its Setup,
// for a reply to a load request (reserve, finalize, lookup, deallocate) and
// for room to send one is bounded by it; the session then ends and a child
// executor is killed. Running the program (run_as_main and friends) is
// never timed: a program may run as long as it likes, as it would locally.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/loader/core/base.h"
#include "engine/remote/wire.h"

namespace jitload::remote {

struct SessionStats {
  u64 round_trips = 0;  // CallWrapper -> Result exchanges
  u64 bytes_sent = 0;   // headers included
  u64 bytes_received = 0;
};

// How long a load request may wait for the executor by default.
constexpr u32 kDefaultTimeoutMs = 60 * 1000;

class RemoteSession {
 public:
  // `command`: the executor and any arguments before the two descriptor
  // numbers (e.g. {"qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu",
  // "jitload-executor"}).
  // timeout_ms: the bound on every wait for the executor outside a run
  // (0: none).
  static Expected<std::unique_ptr<RemoteSession>> launch(const std::vector<std::string>& command,
                                                         u32 timeout_ms = kDefaultTimeoutMs);
  // "127.0.0.1:PORT" (loopback only: "localhost" and "::1" too).
  static Expected<std::unique_ptr<RemoteSession>> connect(const std::string& host_port,
                                                          u32 timeout_ms = kDefaultTimeoutMs);
  // An already connected pair of descriptors (tests, fuzzing); child < 0: none.
  static Expected<std::unique_ptr<RemoteSession>> attach(int in_fd, int out_fd, pid_t child = -1,
                                                         u32 timeout_ms = kDefaultTimeoutMs);
  ~RemoteSession();  // disconnects; waits for the child
  RemoteSession(const RemoteSession&) = delete;
  RemoteSession& operator=(const RemoteSession&) = delete;

  const std::string& triple() const { return triple_; }
  u64 page_size() const { return page_size_; }
  std::optional<u64> bootstrap_symbol(std::string_view name) const;

  // One call: the wrapper at `tag` with SPS-encoded `args`; its result bytes.
  // `timed`: the reply is awaited at most the session's timeout (false for
  // calls that run the program's code).
  Expected<std::vector<u8>> call(u64 tag, std::span<const u8> args, bool timed = true);

  // The services, typed.
  Expected<u64> reserve(u64 size);
  struct Segment {
    u8 prot;  // ProtBits
    u64 addr;
    u64 size;
    std::span<const u8> content;
  };
  struct AddrRange {
    u64 start, end;
  };
  Error finalize(std::span<const Segment> segments, std::span<const AddrRange> eh_frames);
  Error deallocate(std::span<const u64> bases);
  // Addresses of `names` in the executor's process (0: not found).
  Expected<std::vector<u64>> lookup(std::span<const std::string> names);
  // jitload-executor's static TLS (wire.h, names::kTlsReserve): a piece of
  // `size` bytes; its handle and its offset from the executor's thread
  // pointer. Unsupported when the executor does not offer it.
  struct TlsPiece {
    u64 handle;
    i64 tp_offset;
  };
  Expected<TlsPiece> tls_reserve(u64 size, u64 align);
  Error tls_publish(u64 handle, std::span<const u8> image);
  Expected<i64> run_as_main(u64 address, std::span<const std::string> argv);
  Expected<i32> run_as_void_function(u64 address);
  Expected<i32> run_as_int_function(u64 address, i32 argument);

  // Ends the session (LLVM's controller closes the connection; so do we).
  // Returns how the child ended when there is one.
  void disconnect();
  bool alive() const { return !failed_ && channel_.in_fd() >= 0; }
  // The child's end, once it has ended: "exited with status N" or
  // "terminated by signal N (NAME)"; empty when unknown.
  std::string child_status();
  // The child's exit status, or 128 + signal, as a shell reports it; -1 if
  // unknown (no child, or still running).
  int child_exit_code();

  const SessionStats& stats() const { return stats_; }

 private:
  RemoteSession(int in_fd, int out_fd, pid_t child, u32 timeout_ms)
      : channel_(in_fd, out_fd), child_(child), timeout_ms_(timeout_ms) {
    channel_.set_timeout_ms(timeout_ms);
  }
  Error read_setup();
  Error fail(Error e);  // marks the session failed, adds how the child died
  Expected<u64> symbol(const char* name) const;
  void reap(bool wait);

  Channel channel_;
  pid_t child_;
  u32 timeout_ms_;
  int wait_status_ = 0;
  bool reaped_ = false;
  bool failed_ = false;
  std::string failure_;
  std::string triple_;
  u64 page_size_ = 0;
  std::map<std::string, u64, std::less<>> symbols_;
  u64 next_seq_ = 1;  // 0 is Setup's
  u64 dylib_handle_ = 0;
  bool dylib_opened_ = false;
  SessionStats stats_;
};

}  // namespace jitload::remote
