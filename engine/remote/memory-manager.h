// A memory manager for jitload's RuntimeDyld/MCJIT whose sections live in an
// executor process (client.h): the loader writes and relocates local
// copies; each section's target address is executor memory.
//
//   reserve_allocation_space  one remote reservation per object: code |
//                             read-only | read-write, each page-aligned (as
//                             LLVM's EPCGenericRTDyldMemoryManager lays it
//                             out, so lli-child-target accepts it too)
//   allocate_*_section        a local buffer + the next address of its pool
//   map_pending(...)          the client maps every section not mapped yet
//                             (RuntimeDyld/MCJIT map_section_address), before
//                             relocations are resolved
//   register_eh_frames        remembered (target range), registered by the
//                             executor as part of the finalize request
//   finalize_memory           per reservation: the three segments' bytes
//                             (relocated here, against executor addresses)
//                             and the EH frames in one finalize call (the
//                             executor copies, protects W^X, flushes the
//                             icache, registers the frames)
//   find_symbol               looked up in the executor's process
// Destruction deallocates every reservation (when the session still lives).
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <vector>

#include "engine/loader/core/memory-manager.h"
#include "engine/remote/client.h"

namespace jitload::remote {

class RemoteMemoryManager final : public MemoryManager {
 public:
  explicit RemoteMemoryManager(RemoteSession& session) : session_(session) {}
  ~RemoteMemoryManager() override;

  u8* allocate_code_section(u64 size, u32 align, u32 section_id, std::string_view name) override;
  u8* allocate_data_section(u64 size, u32 align, u32 section_id, std::string_view name, bool read_only) override;
  bool needs_to_reserve_allocation_space() override { return true; }
  bool code_runs_here() const override { return false; }  // it runs in the executor
  Error reserve_allocation_space(u64 code_size, u32 code_align, u64 ro_size, u32 ro_align, u64 rw_size,
                                 u32 rw_align) override;
  std::optional<u64> find_symbol(std::string_view name) override;
  // Thread-local sections live in the executor's static TLS reserve
  // (jitload-executor's tls_reserve): the loader relocates against the
  // piece's offset from the executor's thread pointer (its sequences
  // rewritten to local-exec, the static strategy); finalize_memory publishes
  // the initial image there. An executor without it (lli-child-target):
  // refused, saying so.
  Expected<TlsSection> allocate_tls_section(u64 size, u32 align, u32 section_id, std::string_view name,
                                            const TlsAbi& abi) override;
  void register_eh_frames(u8* local, u64 target, u64 size) override;
  Error finalize_memory() override;

  // Calls map(local, target) for every section not mapped yet.
  Error map_pending(const std::function<Error(const void* local, u64 target)>& map);

  // Keep the executor's memory when this manager is destroyed: the program
  // there may still run code in it (exit handlers at the executor's exit),
  // and the executor's process end frees it.
  void keep_memory_on_destruction(bool keep) { keep_ = keep; }

  // Names find_symbol did not find in the executor.
  const std::set<std::string, std::less<>>& missing() const { return missing_; }
  u64 bytes_finalized() const { return bytes_finalized_; }
  // The first allocation failure's reason (the loader only sees nullptr).
  const std::string& last_error() const { return last_error_; }

 private:
  enum Pool : u8 { kCode, kReadOnly, kReadWrite, kPools };
  struct Region {
    u64 start = 0, size = 0, cursor = 0;
  };
  struct Reservation {
    u64 base = 0, size = 0;
    Region pools[kPools];
    bool finalized = false;
    std::vector<RemoteSession::AddrRange> eh_frames;
  };
  struct Section {
    std::unique_ptr<u8[]> storage;
    u8* local;
    u64 size;
    u64 target;
    size_t reservation;
    bool mapped = false;
  };
  u8* allocate(Pool pool, u64 size, u32 align, std::string_view name);

  RemoteSession& session_;
  std::vector<Reservation> reservations_;
  std::vector<Section> sections_;
  struct TlsPiece {
    u64 handle;
    std::unique_ptr<u8[]> storage;
    u8* local;
    u64 size;
    bool published = false;
  };
  std::vector<TlsPiece> tls_pieces_;
  std::set<std::string, std::less<>> missing_;
  std::string last_error_;
  u64 bytes_finalized_ = 0;
  bool keep_ = false;
};

}  // namespace jitload::remote
