// The executor side of LLVM 19's SimpleRemoteEPC protocol (wire.h), without
// LLVM: what `jitload-executor` runs, and what `lli -remote-mcjit` or
// `jitload run -remote-mcjit` talk to.
//
// Services (the bootstrap symbols of the Setup message):
//   memory manager   reserve (mmap, read+write), finalize (copy segment
//                    bytes, zero-fill, final protection — never write and
//                    execute at once —, icache flush, then the request's
//                    actions: EH-frame registration only), deallocate
//   dylib manager    open ("" = this process, else dlopen), lookup (dlsym)
//   memory writes    uint8/16/32/64 and buffers, into session memory only
//   EH frames        register/deregister, validated first (parse_eh_frame)
//   run              a function as main(argc, argv), as int(void), as
//                    int(int): only at an address inside a finalized
//                    executable segment of this session
//
// Hostile peers. A CallWrapper's tag is an executor address in LLVM's
// server, which calls it; here it is only a key into the table of the
// services above (each tag is the address of that service's handler in this
// executable, so it is a real address of this process), never called. Every
// address a request names must lie inside memory this session reserved; a
// request that breaks a rule gets the error its signature can carry
// (Error / Expected), or, for signatures without one (memory writes, run),
// the session ends with a Hangup naming the problem. Total reserved memory
// is capped (ExecutorOptions::memory_limit).
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/loader/core/base.h"
#include "engine/remote/wire.h"

namespace jitload::remote {

struct ExecutorOptions {
  u64 memory_limit = u64(4) << 30;  // bytes reserved at once, session-wide
  bool allow_run = true;            // false: run requests are refused (fuzzing)
  bool register_eh_frames = true;   // false: validated but not given to the unwinder
};

// The executor's triple, as the Setup message reports it.
const char* executor_triple();

class Executor {
 public:
  explicit Executor(ExecutorOptions options = {});
  ~Executor();  // deregisters EH frames and unmaps everything still reserved
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // The Setup message's payload (SPS SimpleRemoteEPCExecutorInfo).
  std::vector<u8> setup_payload() const;

  // What to do after one message from the controller.
  struct Reply {
    bool send = false;       // send `op`/`seq`/`payload` back
    Opcode op = Opcode::Result;
    u64 seq = 0;
    std::vector<u8> payload;
    bool end = false;        // the session is over (after sending, if any)
    std::string error;       // why, when it ended on an error
  };
  Reply handle(u64 opcode, u64 seq, u64 tag, std::span<const u8> payload);

  // True when [addr, addr+size) lies inside memory this session reserved.
  bool owns(u64 addr, u64 size) const;
  u64 reserved_bytes() const { return reserved_; }
  size_t allocation_count() const { return allocations_.size(); }
  size_t eh_frame_count() const;
  std::vector<u64> allocation_bases() const;

  // Releases every allocation (EH frames deregistered first).
  void release_all();

 private:
  struct Segment {
    u64 addr, size;
    u8 prot;
  };
  struct EhFrame {
    u64 addr, size;
    std::vector<u64> registered;  // what was handed to the unwinder
  };
  struct Allocation {
    u64 size = 0;
    std::vector<Segment> finalized;
    std::vector<EhFrame> eh_frames;
  };
  using Handler = Reply (Executor::*)(u64 seq, std::span<const u8> args);
  struct Service {
    const char* name;
    u64 tag;
    Handler handler;
  };

  Reply reserve(u64 seq, std::span<const u8> args);
  Reply finalize(u64 seq, std::span<const u8> args);
  Reply deallocate(u64 seq, std::span<const u8> args);
  Reply dylib_open(u64 seq, std::span<const u8> args);
  Reply dylib_lookup(u64 seq, std::span<const u8> args);
  template <typename T>
  Reply write_uints(u64 seq, std::span<const u8> args);
  Reply write_buffers(u64 seq, std::span<const u8> args);
  Reply eh_frame_register(u64 seq, std::span<const u8> args);
  Reply eh_frame_deregister(u64 seq, std::span<const u8> args);
  Reply run_as_main(u64 seq, std::span<const u8> args);
  Reply run_as_void(u64 seq, std::span<const u8> args);
  Reply run_as_int(u64 seq, std::span<const u8> args);
  Reply tls_reserve(u64 seq, std::span<const u8> args);
  Reply tls_publish(u64 seq, std::span<const u8> args);

  const Allocation* allocation_of(u64 addr, u64 size, u64* base) const;
  Allocation* allocation_of(u64 addr, u64 size, u64* base);
  // Protection of the finalized segment containing [addr, addr+size), or
  // read+write for reserved memory not finalized yet; -1 outside the session.
  int protection_at(u64 addr, u64 size) const;
  Error check_writable(u64 addr, u64 size) const;
  Error check_unregistered(u64 addr, u64 size) const;
  Error check_runnable(u64 addr) const;
  Error register_eh_frame(u64 start, u64 end);
  void deregister(EhFrame& f);
  Error release(u64 base);

  static Reply result(u64 seq, std::vector<u8> payload);
  static Reply hangup(std::string message);

  ExecutorOptions options_;
  std::vector<Service> services_;
  std::map<u64, Allocation> allocations_;  // by base address
  std::vector<void*> dylibs_;              // handles open() returned
  std::map<u64, u64> tls_pieces_;          // static TLS reserve: offset -> size, this session's
  u64 reserved_ = 0;
  u64 page_size_;
};

// Serves one session on a channel: sends Setup, handles messages until a
// Hangup, the end of the stream or an error. A fatal signal while running
// JIT'd code is reported to the controller as a Hangup naming the signal
// (then the executor dies of that signal, as the program would have).
// Returns the session's error, if any. The session's memory stays mapped
// (the Executor's destructor or release_all() frees it): handlers the
// program registered with atexit/__cxa_atexit run at process exit and their
// code must still be there.
Error serve(Executor& executor, Channel& channel);

}  // namespace jitload::remote
