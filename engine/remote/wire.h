// The wire protocol of LLVM 19's SimpleRemoteEPC, as jitload speaks it.
//
// Framing (FDSimpleRemoteEPCTransport): every message is a 32-byte header of
// four little-endian u64 — total size (header included), opcode, sequence
// number, tag address — followed by (size - 32) payload bytes.
//
// Opcodes: Setup (executor -> controller, once, first: the executor's triple,
// page size and bootstrap symbols), Hangup (either way: the session ends;
// payload an SPS Error), Result (the answer to a CallWrapper with the same
// sequence number; payload the wrapper function's SPS-encoded result),
// CallWrapper (call the wrapper function whose executor address is the tag,
// with the payload as its SPS-encoded arguments).
//
// An out-of-band error (a wrapper that could not run at all) travels as a
// Result with an empty payload, which no signature with a return value
// decodes: the controller reports it as a failed call.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload::remote {

enum class Opcode : u64 { Setup = 0, Hangup = 1, Result = 2, CallWrapper = 3 };
constexpr u64 kLastOpcode = 3;
const char* opcode_name(u64 opcode);

constexpr size_t kHeaderSize = 32;
// Largest message either side accepts: checked before anything is read or
// allocated for the payload (the largest segment of a remote load travels
// in one message).
constexpr u64 kMaxMessageSize = u64(1) << 30;

// The bootstrap symbol names of LLVM 19 (OrcRTBridge, SimpleRemoteEPCUtils).
namespace names {
inline constexpr const char* kDispatchContext = "__llvm_orc_SimpleRemoteEPC_dispatch_ctx";
inline constexpr const char* kDispatchFunction = "__llvm_orc_SimpleRemoteEPC_dispatch_fn";
inline constexpr const char* kDylibManager = "__llvm_orc_SimpleExecutorDylibManager_Instance";
inline constexpr const char* kDylibOpen = "__llvm_orc_SimpleExecutorDylibManager_open_wrapper";
inline constexpr const char* kDylibLookup = "__llvm_orc_SimpleExecutorDylibManager_lookup_wrapper";
inline constexpr const char* kMemoryManager = "__llvm_orc_SimpleExecutorMemoryManager_Instance";
inline constexpr const char* kReserve = "__llvm_orc_SimpleExecutorMemoryManager_reserve_wrapper";
inline constexpr const char* kFinalize = "__llvm_orc_SimpleExecutorMemoryManager_finalize_wrapper";
inline constexpr const char* kDeallocate = "__llvm_orc_SimpleExecutorMemoryManager_deallocate_wrapper";
inline constexpr const char* kWriteUInt8s = "__llvm_orc_bootstrap_mem_write_uint8s_wrapper";
inline constexpr const char* kWriteUInt16s = "__llvm_orc_bootstrap_mem_write_uint16s_wrapper";
inline constexpr const char* kWriteUInt32s = "__llvm_orc_bootstrap_mem_write_uint32s_wrapper";
inline constexpr const char* kWriteUInt64s = "__llvm_orc_bootstrap_mem_write_uint64s_wrapper";
inline constexpr const char* kWriteBuffers = "__llvm_orc_bootstrap_mem_write_buffers_wrapper";
inline constexpr const char* kRegisterEhFrame = "llvm_orc_registerEHFrameSectionWrapper";
inline constexpr const char* kDeregisterEhFrame = "llvm_orc_deregisterEHFrameSectionWrapper";
inline constexpr const char* kRunAsMain = "__llvm_orc_bootstrap_run_as_main_wrapper";
inline constexpr const char* kRunAsVoidFunction = "__llvm_orc_bootstrap_run_as_void_function_wrapper";
inline constexpr const char* kRunAsIntFunction = "__llvm_orc_bootstrap_run_as_int_function_wrapper";
// jitload's own (not LLVM's): static thread-local storage in the executor,
// offered by jitload-executor only; a controller that finds them missing
// (lli-child-target) refuses TLS.
//   tls_reserve(u64 size, u64 align) -> (bool ok, u64 handle, i64 tp_offset) | (false, string error)
//   tls_publish(u64 handle, bytes image) -> Error
inline constexpr const char* kTlsReserve = "__jitload_executor_tls_reserve_wrapper";
inline constexpr const char* kTlsPublish = "__jitload_executor_tls_publish_wrapper";
}  // namespace names

// Memory protection bits of a finalize segment (SPSRemoteAllocGroup, one byte).
enum ProtBits : u8 { kProtRead = 1, kProtWrite = 2, kProtExec = 4, kProtFinalizeLifetime = 8 };

struct Header {
  u64 size = 0;
  u64 opcode = 0;
  u64 seq = 0;
  u64 tag = 0;
};
Header decode_header(const u8* bytes);
void encode_header(u8* out, const Header& h);

// A byte vector whose resize leaves new bytes uninitialized: a payload is
// read over at once, so zero-filling it first would only cost (a load's
// segment bytes are megabytes).
template <typename T>
struct NoInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = NoInitAllocator<U>;
  };
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
using PayloadBytes = std::vector<u8, NoInitAllocator<u8>>;

struct Message {
  u64 opcode = 0;  // raw: validated by whoever handles it
  u64 seq = 0;
  u64 tag = 0;
  PayloadBytes payload;
};

// One end of a connection: file descriptors for reading and writing (the
// same one for a socket). Blocking I/O; EINTR is retried.
//
// A peer that stays alive but stops talking (stopped, wedged, or simply
// never sending the rest of a message) must not hang us: with a timeout set,
// every wait for the next bytes to read, and for room to write, is bounded
// by it, and running out is an error naming the timeout and where in the
// stream it struck. The bound is per wait (a slow but moving peer is fine).
class Channel {
 public:
  Channel(int in_fd, int out_fd) : in_(in_fd), out_(out_fd) {}
  // The next message; nullopt at a clean end of stream (EOF before a header).
  // EOF inside a message, a size below 32 or above kMaxMessageSize, read
  // errors and a timeout are errors.
  Expected<std::optional<Message>> receive();
  Error send(Opcode op, u64 seq, u64 tag, std::span<const u8> payload);
  void close();
  int in_fd() const { return in_; }
  int out_fd() const { return out_; }
  // 0: wait forever (the default).
  void set_timeout_ms(u32 ms) { timeout_ms_ = ms; }
  u32 timeout_ms() const { return timeout_ms_; }

 private:
  int in_;
  int out_;
  u32 timeout_ms_ = 0;
};

// True when an error from Channel::receive or send was its timeout.
bool is_timeout(const Error& e);

// The Hangup payload (an SPS Error): empty message = success.
std::vector<u8> hangup_payload(std::string_view error_message);
// Decodes a Hangup payload: success, or the peer's error message.
Error decode_hangup(std::span<const u8> payload);

}  // namespace jitload::remote
