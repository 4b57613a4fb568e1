#include "engine/remote/memory-manager.h"

#include <string.h>

namespace jitload::remote {

static u64 align_up(u64 v, u64 a) { return (v + a - 1) & ~(a - 1); }

RemoteMemoryManager::~RemoteMemoryManager() {
  if (keep_ || !session_.alive()) return;
  std::vector<u64> bases;
  for (const Reservation& r : reservations_) bases.push_back(r.base);
  if (!bases.empty()) (void)session_.deallocate(bases);
}

Error RemoteMemoryManager::reserve_allocation_space(u64 code_size, u32 code_align, u64 ro_size, u32 ro_align,
                                                    u64 rw_size, u32 rw_align) {
  const u64 page = session_.page_size();
  for (u32 a : {code_align, ro_align, rw_align})
    if (a > page || (a & (a - 1)))
      return Error(ErrorKind::Memory, format("remote memory: alignment %u is not a power of two up to the "
                                             "executor's page size %llu",
                                             a, (unsigned long long)page));
  const u64 limit = u64(1) << 40;
  if (code_size > limit || ro_size > limit || rw_size > limit)
    return Error(ErrorKind::Memory, "remote memory: reservation larger than 1 TiB");
  u64 sizes[kPools] = {align_up(code_size, page), align_up(ro_size, page), align_up(rw_size, page)};
  u64 total = sizes[0] + sizes[1] + sizes[2];
  Reservation r;
  r.size = total;
  if (total) r.base = TRY_VALUE(session_.reserve(total));
  u64 at = r.base;
  for (int p = 0; p < kPools; ++p) {
    r.pools[p] = Region{at, sizes[p], at};
    at += sizes[p];
  }
  if (total) reservations_.push_back(r);
  return Error::success();
}

u8* RemoteMemoryManager::allocate(Pool pool, u64 size, u32 align, std::string_view name) {
  if (align == 0) align = 1;
  if (align & (align - 1) || align > session_.page_size()) {
    last_error_ = format("section %.*s: alignment %u not supported remotely", int(name.size()), name.data(), align);
    return nullptr;
  }
  // The newest unfinalized reservation with room in this pool; else a new
  // reservation for this section alone (the loader's totals were short).
  size_t index = reservations_.size();
  for (size_t i = reservations_.size(); i-- > 0;) {
    Reservation& r = reservations_[i];
    if (r.finalized) break;
    Region& g = r.pools[pool];
    u64 at = align_up(g.cursor, align);
    if (at >= g.cursor && at - g.start <= g.size && size <= g.size - (at - g.start)) {
      index = i;
      break;
    }
  }
  if (index == reservations_.size()) {
    u64 sizes[kPools] = {0, 0, 0};
    sizes[pool] = size + align;
    if (Error e = reserve_allocation_space(sizes[0], 1, sizes[1], 1, sizes[2], 1)) {
      last_error_ = e.message();
      return nullptr;
    }
    if (reservations_.empty()) return nullptr;
    index = reservations_.size() - 1;
  }
  Region& g = reservations_[index].pools[pool];
  u64 target = align_up(g.cursor, align);
  g.cursor = target + size;
  Section s;
  s.storage.reset(new (std::nothrow) u8[size + align]());
  if (!s.storage) return nullptr;
  s.local = reinterpret_cast<u8*>(align_up(reinterpret_cast<u64>(s.storage.get()), align));
  s.size = size;
  s.target = target;
  s.reservation = index;
  u8* local = s.local;
  sections_.push_back(std::move(s));
  return local;
}

u8* RemoteMemoryManager::allocate_code_section(u64 size, u32 align, u32, std::string_view name) {
  return allocate(kCode, size, align, name);
}

u8* RemoteMemoryManager::allocate_data_section(u64 size, u32 align, u32, std::string_view name, bool read_only) {
  return allocate(read_only ? kReadOnly : kReadWrite, size, align, name);
}

Error RemoteMemoryManager::map_pending(const std::function<Error(const void*, u64)>& map) {
  for (Section& s : sections_) {
    if (s.mapped) continue;
    TRY(map(s.local, s.target));
    s.mapped = true;
  }
  return Error::success();
}

std::optional<u64> RemoteMemoryManager::find_symbol(std::string_view name) {
  std::string n(name);
  Expected<std::vector<u64>> found = session_.lookup(std::span<const std::string>(&n, 1));
  // A lookup that failed (not a name the executor lacks: the session broke,
  // say a silent executor's timeout) is the reason every later failure has.
  if (!found && last_error_.empty()) last_error_ = "symbol lookup: " + found.error().message();
  if (!found || found->empty() || (*found)[0] == 0) {
    // __dso_handle is only an identity for __cxa_atexit (compared, never
    // dereferenced): an executor without one (LLVM's lli-child-target) gets
    // its memory manager's instance address, an executor address no object
    // has. Handlers registered with it run when the executor exits.
    if (n == "__dso_handle")
      if (auto instance = session_.bootstrap_symbol("__llvm_orc_SimpleExecutorMemoryManager_Instance"))
        return *instance;
    missing_.insert(n);
    return std::nullopt;
  }
  return (*found)[0];
}

Expected<TlsSection> RemoteMemoryManager::allocate_tls_section(u64 size, u32 align, u32, std::string_view name,
                                                              const TlsAbi&) {
  Expected<RemoteSession::TlsPiece> piece = session_.tls_reserve(size, align);
  if (!piece)
    return Error(piece.error().kind(), format("section '%.*s': thread-local storage in the executor: %s",
                                              int(name.size()), name.data(), piece.error().message().c_str()));
  if (align == 0) align = 1;
  TlsPiece p;
  p.handle = piece->handle;
  p.storage.reset(new (std::nothrow) u8[size + align]());
  if (!p.storage) return Error(ErrorKind::Memory, "out of memory for a thread-local section's image");
  p.local = reinterpret_cast<u8*>(align_up(reinterpret_cast<u64>(p.storage.get()), align));
  p.size = size;
  u8* local = p.local;
  tls_pieces_.push_back(std::move(p));
  return TlsSection{local, piece->tp_offset};
}

void RemoteMemoryManager::register_eh_frames(u8* local, u64 target, u64 size) {
  // The loader allocates four zero bytes after .eh_frame (the terminator an
  // unwinder walking the whole section stops at) but reports the section's
  // own size: the range the executor registers includes them.
  u64 end = target + size;
  for (const Section& s : sections_)
    if (s.local == local && s.size >= size && s.size - size >= 4) end += 4;
  for (Reservation& r : reservations_)
    if (!r.finalized && target >= r.base && target - r.base < r.size) {
      r.eh_frames.push_back({target, end});
      return;
    }
  last_error_ = format("EH frame at 0x%llx is outside every unfinalized reservation", (unsigned long long)target);
}

Error RemoteMemoryManager::finalize_memory() {
  static const u8 kProt[kPools] = {kProtRead | kProtExec, kProtRead, kProtRead | kProtWrite};
  // A section still at its local address was relocated for this process:
  // its bytes must not go to the executor.
  for (const Section& s : sections_)
    if (!s.mapped && !reservations_[s.reservation].finalized)
      return Error(ErrorKind::Argument,
                   format("remote memory: a section (%llu bytes) is finalized before it was mapped to its executor "
                          "address 0x%llx (map_pending first)",
                          (unsigned long long)s.size, (unsigned long long)s.target));
  for (size_t i = 0; i < reservations_.size(); ++i) {
    Reservation& r = reservations_[i];
    if (r.finalized) continue;
    std::vector<u8> contents[kPools];
    for (int p = 0; p < kPools; ++p) contents[p].assign(r.pools[p].cursor - r.pools[p].start, 0);
    for (const Section& s : sections_) {
      if (s.reservation != i) continue;
      for (int p = 0; p < kPools; ++p) {
        const Region& g = r.pools[p];
        if (s.target >= g.start && s.target + s.size <= g.cursor && (s.size || s.target < g.cursor)) {
          if (s.size) memcpy(contents[p].data() + (s.target - g.start), s.local, s.size);
          break;
        }
      }
    }
    std::vector<RemoteSession::Segment> segments;
    for (int p = 0; p < kPools; ++p) {
      segments.push_back({kProt[p], r.pools[p].start, r.pools[p].size, contents[p]});
      bytes_finalized_ += contents[p].size();
    }
    TRY(session_.finalize(segments, r.eh_frames));
    r.finalized = true;
  }
  // Thread-local images (relocated here like any section) to their pieces.
  for (TlsPiece& p : tls_pieces_) {
    if (p.published) continue;
    TRY(session_.tls_publish(p.handle, std::span<const u8>(p.local, p.size)));
    p.published = true;
  }
  return Error::success();
}

}  // namespace jitload::remote
