#include "engine/remote/executor.h"

#include <dlfcn.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

#include "engine/loader/core/eh-frame.h"
#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/core/tls-runtime.h"
#include "engine/remote/sps.h"

extern "C" void __register_frame(void* begin);
extern "C" void __deregister_frame(void* begin);

namespace jitload::remote {

const char* executor_triple() {
#if defined(__x86_64__)
  return "x86_64-unknown-linux-gnu";
#elif defined(__aarch64__)
  return "aarch64-unknown-linux-gnu";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64-unknown-linux-gnu";
#else
#error "jitload-executor: add this architecture's triple"
#endif
}

// One byte per service: its tag. Real addresses of this executable that no
// other service shares; never called (see executor.h).
static const char kServiceTags[17] = {};
static u64 tag_of(int i) { return reinterpret_cast<u64>(&kServiceTags[i]); }

// The JIT dispatch function JIT'd code would call to reach the controller.
// Neither lli's remote MCJIT nor jitload's offers controller-side wrapper
// functions, so it answers every call with an out-of-band error (the
// CWrapperFunctionResult layout: data pointer, size 0 = error message).
namespace {
struct CWrapperResult {
  char* data;
  size_t size;
};
}  // namespace
extern "C" CWrapperResult jitload_executor_jit_dispatch(void*, const void*, const char*, size_t) {
  return CWrapperResult{strdup("jitload-executor: calls from JIT'd code to the controller are not supported"), 0};
}

Executor::Executor(ExecutorOptions options) : options_(options) {
  long ps = sysconf(_SC_PAGESIZE);
  page_size_ = ps > 0 ? u64(ps) : 4096;
  services_ = {
      {names::kReserve, tag_of(0), &Executor::reserve},
      {names::kFinalize, tag_of(1), &Executor::finalize},
      {names::kDeallocate, tag_of(2), &Executor::deallocate},
      {names::kDylibOpen, tag_of(3), &Executor::dylib_open},
      {names::kDylibLookup, tag_of(4), &Executor::dylib_lookup},
      {names::kWriteUInt8s, tag_of(5), &Executor::write_uints<u8>},
      {names::kWriteUInt16s, tag_of(6), &Executor::write_uints<u16>},
      {names::kWriteUInt32s, tag_of(7), &Executor::write_uints<u32>},
      {names::kWriteUInt64s, tag_of(8), &Executor::write_uints<u64>},
      {names::kWriteBuffers, tag_of(9), &Executor::write_buffers},
      {names::kRegisterEhFrame, tag_of(10), &Executor::eh_frame_register},
      {names::kDeregisterEhFrame, tag_of(11), &Executor::eh_frame_deregister},
      {names::kRunAsMain, tag_of(12), &Executor::run_as_main},
      {names::kRunAsVoidFunction, tag_of(13), &Executor::run_as_void},
      {names::kRunAsIntFunction, tag_of(14), &Executor::run_as_int},
      {names::kTlsReserve, tag_of(15), &Executor::tls_reserve},
      {names::kTlsPublish, tag_of(16), &Executor::tls_publish},
  };
}

Executor::~Executor() { release_all(); }

std::vector<u8> Executor::setup_payload() const {
  SpsWriter w;
  w.string(executor_triple());
  w.u64_(page_size_);
  w.u64_(0);  // bootstrap map: empty
  std::vector<std::pair<const char*, u64>> symbols;
  symbols.push_back({names::kDispatchContext, reinterpret_cast<u64>(this)});
  symbols.push_back({names::kDispatchFunction, reinterpret_cast<u64>(&jitload_executor_jit_dispatch)});
  symbols.push_back({names::kMemoryManager, reinterpret_cast<u64>(this)});
  symbols.push_back({names::kDylibManager, reinterpret_cast<u64>(&dylibs_)});
  for (const Service& s : services_) symbols.push_back({s.name, s.tag});
  w.u64_(symbols.size());
  for (auto& [name, addr] : symbols) {
    w.string(name);
    w.u64_(addr);
  }
  return w.take();
}

Executor::Reply Executor::result(u64 seq, std::vector<u8> payload) {
  Reply r;
  r.send = true;
  r.op = Opcode::Result;
  r.seq = seq;
  r.payload = std::move(payload);
  return r;
}

Executor::Reply Executor::hangup(std::string message) {
  Reply r;
  r.send = true;
  r.op = Opcode::Hangup;
  r.payload = hangup_payload(message);
  r.end = true;
  r.error = std::move(message);
  return r;
}

Executor::Reply Executor::handle(u64 opcode, u64 seq, u64 tag, std::span<const u8> payload) {
  switch (opcode) {
    case u64(Opcode::Hangup): {
      Reply r;
      r.end = true;
      if (Error e = decode_hangup(payload)) r.error = "the controller hung up: " + e.message();
      return r;
    }
    case u64(Opcode::CallWrapper):
      for (const Service& s : services_)
        if (s.tag == tag) return (this->*s.handler)(seq, payload);
      return hangup(format("CallWrapper (seq %llu): tag 0x%llx is not a wrapper function of this executor",
                           (unsigned long long)seq, (unsigned long long)tag));
    case u64(Opcode::Setup):
      return hangup("unexpected Setup message from the controller (Setup goes executor -> controller)");
    case u64(Opcode::Result):
      return hangup(format("unexpected Result (seq %llu): this executor made no call", (unsigned long long)seq));
    default:
      return hangup(format("unknown opcode %llu", (unsigned long long)opcode));
  }
}

// --- memory -------------------------------------------------------------

const Executor::Allocation* Executor::allocation_of(u64 addr, u64 size, u64* base) const {
  auto it = allocations_.upper_bound(addr);
  if (it == allocations_.begin()) return nullptr;
  --it;
  u64 off = addr - it->first;
  if (off > it->second.size || size > it->second.size - off) return nullptr;
  if (base) *base = it->first;
  return &it->second;
}

Executor::Allocation* Executor::allocation_of(u64 addr, u64 size, u64* base) {
  return const_cast<Allocation*>(static_cast<const Executor*>(this)->allocation_of(addr, size, base));
}

bool Executor::owns(u64 addr, u64 size) const { return allocation_of(addr, size, nullptr) != nullptr; }

int Executor::protection_at(u64 addr, u64 size) const {
  const Allocation* a = allocation_of(addr, size, nullptr);
  if (!a) return -1;
  int prot = kProtRead | kProtWrite;
  for (const Segment& s : a->finalized) {
    // Finalized segments are whole pages (protections are per page).
    u64 seg_end = s.addr + ((s.size + page_size_ - 1) & ~(page_size_ - 1));
    if (addr < seg_end && s.addr < addr + std::max<u64>(size, 1)) {
      if (addr < s.addr || addr + size > seg_end) return 0;  // straddles: no one protection
      prot = s.prot & (kProtRead | kProtWrite | kProtExec);
    }
  }
  return prot;
}

Error Executor::check_writable(u64 addr, u64 size) const {
  int prot = protection_at(addr, size);
  if (prot < 0)
    return Error(ErrorKind::Argument, format("[0x%llx, +0x%llx) is not memory this session reserved",
                                             (unsigned long long)addr, (unsigned long long)size));
  if (!(prot & kProtWrite))
    return Error(ErrorKind::Argument, format("[0x%llx, +0x%llx) is finalized without write permission",
                                             (unsigned long long)addr, (unsigned long long)size));
  return check_unregistered(addr, size);
}

// The unwinder reads a registered EH frame where it lies until it is
// deregistered, and libgcc deregisters by the bytes it finds there (a frame
// whose first word was 0 was never registered; one it does not know aborts
// the process). Its bytes and pages stay as they were meanwhile.
Error Executor::check_unregistered(u64 addr, u64 size) const {
  const Allocation* a = allocation_of(addr, size, nullptr);
  if (!a) return Error::success();
  for (const EhFrame& f : a->eh_frames)
    if (f.addr < addr + size && addr < f.addr + f.size)
      return Error(ErrorKind::Argument,
                   format("[0x%llx, +0x%llx) overlaps the EH frame registered at 0x%llx (+0x%llx); deregister it first",
                          (unsigned long long)addr, (unsigned long long)size, (unsigned long long)f.addr,
                          (unsigned long long)f.size));
  return Error::success();
}

Error Executor::check_runnable(u64 addr) const {
  int prot = protection_at(addr, 1);
  if (prot < 0 || !(prot & kProtExec))
    return Error(ErrorKind::Argument,
                 format("0x%llx is not inside a finalized executable segment of this session",
                        (unsigned long long)addr));
  return Error::success();
}

// reserve(instance, size) -> Expected<ExecutorAddr>
Executor::Reply Executor::reserve(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  u64 instance = 0, size = 0;
  SpsWriter w;
  if (!r.read_u64(instance) || !r.read_u64(size)) {
    w.expected_error("reserve: malformed arguments");
  } else if (instance != reinterpret_cast<u64>(this)) {
    w.expected_error(format("reserve: 0x%llx is not this executor's memory manager", (unsigned long long)instance));
  } else if (size == 0) {
    w.expected_error("reserve: size 0");
  } else if (size > options_.memory_limit || options_.memory_limit - size < reserved_ ||
             size > (~u64(0) - page_size_)) {
    w.expected_error(format("reserve: %llu bytes would exceed the session's limit of %llu bytes (%llu reserved)",
                            (unsigned long long)size, (unsigned long long)options_.memory_limit,
                            (unsigned long long)reserved_));
  } else {
    u64 rounded = (size + page_size_ - 1) & ~(page_size_ - 1);
    // One read-only page in front, not part of the reservation: code may
    // start the reservation, and hosts built with -fsanitize=function read
    // 8 bytes in front of every function they call through a pointer.
    void* m = mmap(nullptr, rounded + page_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || mprotect(m, page_size_, PROT_READ) != 0) {
      if (m != MAP_FAILED) munmap(m, rounded + page_size_);
      w.expected_error(format("reserve: mmap of %llu bytes failed: %s", (unsigned long long)rounded, strerror(errno)));
    } else {
      void* p = static_cast<u8*>(m) + page_size_;
      allocations_[reinterpret_cast<u64>(p)].size = rounded;
      reserved_ += rounded;
      w.boolean(true);
      w.u64_(reinterpret_cast<u64>(p));
    }
  }
  return result(seq, w.take());
}

static int to_mprotect(u8 prot) {
  return ((prot & kProtRead) ? PROT_READ : 0) | ((prot & kProtWrite) ? PROT_WRITE : 0) |
         ((prot & kProtExec) ? PROT_EXEC : 0);
}

// finalize(instance, FinalizeRequest) -> Error
//   FinalizeRequest = (sequence<(u8 prot, addr, u64 size, sequence<char> content)>,
//                      sequence<((addr fn, sequence<char> args) finalize,
//                                (addr fn, sequence<char> args) dealloc)>)
// Checks, all before any byte is written: the instance; every segment of
// non-zero size page-aligned, inside one reservation, not overlapping
// another segment of the request, content no longer than the segment, not
// both writable and executable; every action an EH-frame registration (with
// a matching deregistration or none) of a range inside the request's
// readable segments.
Executor::Reply Executor::finalize(u64 seq, std::span<const u8> args) {
  SpsWriter w;
  auto fail = [&](std::string message) {
    w.error_message("finalize: " + message);
    return result(seq, w.take());
  };
  SpsReader r(args);
  u64 instance = 0, count = 0;
  if (!r.read_u64(instance) || !r.read_count(count, 1 + 8 + 8 + 8)) return fail("malformed arguments");
  if (instance != reinterpret_cast<u64>(this)) return fail("not this executor's memory manager");
  struct Seg {
    u8 prot;
    u64 addr, size;
    std::span<const u8> content;
  };
  std::vector<Seg> segs;
  for (u64 i = 0; i < count; ++i) {
    Seg s;
    if (!r.read_u8(s.prot) || !r.read_u64(s.addr) || !r.read_u64(s.size) || !r.read_bytes(s.content))
      return fail(format("malformed segment %llu", (unsigned long long)i));
    segs.push_back(s);
  }
  struct Action {
    u64 fn, start, end, dealloc_fn;
  };
  std::vector<Action> actions;
  u64 action_count = 0;
  if (!r.read_count(action_count, 4 * 8)) return fail("malformed action list");
  for (u64 i = 0; i < action_count; ++i) {
    u64 fn[2];
    std::span<const u8> call_args[2];
    for (int k = 0; k < 2; ++k)
      if (!r.read_u64(fn[k]) || !r.read_bytes(call_args[k]))
        return fail(format("malformed action %llu", (unsigned long long)i));
    if (fn[0] != tag_of(10))
      return fail(format("action %llu calls 0x%llx: only EH-frame registration runs as a finalize action",
                         (unsigned long long)i, (unsigned long long)fn[0]));
    if (fn[1] != 0 && fn[1] != tag_of(11))
      return fail(format("action %llu deallocates with 0x%llx: only EH-frame deregistration is allowed",
                         (unsigned long long)i, (unsigned long long)fn[1]));
    SpsReader ar(call_args[0]);
    Action a{fn[0], 0, 0, fn[1]};
    if (!ar.read_u64(a.start) || !ar.read_u64(a.end) || !ar.at_end())
      return fail(format("action %llu: malformed address range", (unsigned long long)i));
    actions.push_back(a);
  }
  if (!r.at_end()) return fail("trailing bytes after the request");
  if (segs.empty() && !actions.empty()) return fail("actions attached to a request without segments");

  for (size_t i = 0; i < segs.size(); ++i) {
    const Seg& s = segs[i];
    if (s.content.size() > s.size)
      return fail(format("segment 0x%llx: content (%zu bytes) larger than the segment (%llu bytes)",
                         (unsigned long long)s.addr, s.content.size(), (unsigned long long)s.size));
    if (s.prot & ~(kProtRead | kProtWrite | kProtExec | kProtFinalizeLifetime))
      return fail(format("segment 0x%llx: unknown protection bits 0x%x", (unsigned long long)s.addr, s.prot));
    if ((s.prot & kProtWrite) && (s.prot & kProtExec))
      return fail(format("segment 0x%llx: writable and executable at once (W^X)", (unsigned long long)s.addr));
    if (s.size == 0) continue;
    if (s.addr & (page_size_ - 1))
      return fail(format("segment 0x%llx: not page-aligned", (unsigned long long)s.addr));
    if (!owns(s.addr, s.size))
      return fail(format("segment [0x%llx, +0x%llx) is not inside memory this session reserved",
                         (unsigned long long)s.addr, (unsigned long long)s.size));
    u64 base = 0;
    const Allocation* alloc = allocation_of(s.addr, s.size, &base);
    u64 span = std::min((s.size + page_size_ - 1) & ~(page_size_ - 1), base + alloc->size - s.addr);
    if (Error e = check_unregistered(s.addr, span)) return fail("segment: " + e.message());
    for (size_t j = 0; j < i; ++j) {
      const Seg& t = segs[j];
      if (t.size && s.addr < t.addr + t.size && t.addr < s.addr + s.size)
        return fail(format("segments 0x%llx and 0x%llx overlap", (unsigned long long)t.addr,
                           (unsigned long long)s.addr));
    }
  }
  for (const Action& a : actions) {
    bool inside = false;
    for (const Seg& s : segs)
      if (s.size && (s.prot & kProtRead) && a.start >= s.addr && a.start < a.end && a.end <= s.addr + s.size)
        inside = true;
    if (!inside)
      return fail(format("EH frame [0x%llx, 0x%llx) is not inside a readable segment of this request",
                         (unsigned long long)a.start, (unsigned long long)a.end));
  }

  // Write: each segment's pages read+write, bytes in, zero fill, final
  // protection (so a segment finalized twice is rewritable, and no page is
  // ever writable and executable at once).
  for (const Seg& s : segs) {
    if (s.size == 0) continue;
    u64 base = 0;
    Allocation* alloc = allocation_of(s.addr, s.size, &base);
    u64 span = (s.size + page_size_ - 1) & ~(page_size_ - 1);
    span = std::min(span, base + alloc->size - s.addr);
    u8* mem = reinterpret_cast<u8*>(s.addr);
    if (mprotect(mem, span, PROT_READ | PROT_WRITE) != 0)
      return fail(format("mprotect: %s", strerror(errno)));
    if (!s.content.empty()) memcpy(mem, s.content.data(), s.content.size());
    memset(mem + s.content.size(), 0, s.size - s.content.size());
    if (mprotect(mem, span, to_mprotect(s.prot)) != 0) return fail(format("mprotect: %s", strerror(errno)));
    if (s.prot & kProtExec) __builtin___clear_cache(reinterpret_cast<char*>(mem), reinterpret_cast<char*>(mem + s.size));
    auto& fin = alloc->finalized;
    std::erase_if(fin, [&](const Segment& f) { return f.addr < s.addr + span && s.addr < f.addr + f.size; });
    fin.push_back({s.addr, span, s.prot});
  }
  for (const Action& a : actions)
    if (Error e = register_eh_frame(a.start, a.end)) return fail(e.message());
  w.boolean(false);
  return result(seq, w.take());
}

Error Executor::register_eh_frame(u64 start, u64 end) {
  u64 base = 0;
  Allocation* alloc = allocation_of(start, end - start, &base);
  if (!alloc || start >= end)
    return Error(ErrorKind::Argument, format("EH frame [0x%llx, 0x%llx) is not inside memory this session reserved",
                                             (unsigned long long)start, (unsigned long long)end));
  int prot = protection_at(start, end - start);
  if (prot <= 0 || !(prot & kProtRead))
    return Error(ErrorKind::Argument, format("EH frame at 0x%llx is not readable", (unsigned long long)start));
  for (const EhFrame& f : alloc->eh_frames)
    if (f.addr == start) return Error::success();  // registered already: twice would confuse deregistration
  u8* p = reinterpret_cast<u8*>(start);
  Expected<EhFrameLayout> layout = parse_eh_frame(std::span<const u8>(p, end - start));
  if (!layout) return Error(ErrorKind::Malformed, "EH frame at " + format("0x%llx", (unsigned long long)start) +
                                                     ": " + layout.error().message());
  // libgcc walks to a zero length word: without one inside the range it
  // would read past it.
  if (!layout->terminated)
    return Error(ErrorKind::Malformed, format("EH frame at 0x%llx has no zero terminator inside its %llu bytes",
                                              (unsigned long long)start, (unsigned long long)(end - start)));
  EhFrame f{start, end - start, {}};
  if (options_.register_eh_frames) {
    switch (SectionMemoryManager::detect_unwinder()) {
      case UnwinderAbi::LibgccSection:
        __register_frame(p);
        f.registered.push_back(start);
        break;
      case UnwinderAbi::LibunwindFde:
        for (u64 off : layout->fdes) {
          __register_frame(p + off);
          f.registered.push_back(start + off);
        }
        break;
      default:
        return Error(ErrorKind::Unsupported, "EH frames: this executor's unwinder takes no registrations it knows");
    }
  }
  alloc->eh_frames.push_back(std::move(f));
  return Error::success();
}

void Executor::deregister(EhFrame& f) {
  for (auto it = f.registered.rbegin(); it != f.registered.rend(); ++it)
    __deregister_frame(reinterpret_cast<void*>(*it));
  f.registered.clear();
}

std::vector<u64> Executor::allocation_bases() const {
  std::vector<u64> out;
  for (auto& [base, a] : allocations_) out.push_back(base);
  return out;
}

size_t Executor::eh_frame_count() const {
  size_t n = 0;
  for (auto& [base, a] : allocations_) n += a.eh_frames.size();
  return n;
}

Error Executor::release(u64 base) {
  auto it = allocations_.find(base);
  if (it == allocations_.end())
    return Error(ErrorKind::Argument, format("0x%llx is not the base of a reservation", (unsigned long long)base));
  for (auto f = it->second.eh_frames.rbegin(); f != it->second.eh_frames.rend(); ++f) deregister(*f);
  munmap(reinterpret_cast<void*>(base - page_size_), it->second.size + page_size_);  // with its front page
  reserved_ -= it->second.size;
  allocations_.erase(it);
  return Error::success();
}

void Executor::release_all() {
  while (!allocations_.empty()) (void)release(allocations_.begin()->first);
  for (auto& [offset, size] : tls_pieces_) tls::reserve_release(offset, size);
  tls_pieces_.clear();
}

// --- thread-local storage (jitload's extension) ----------------------------
//
// The loader serves a remote object's TLS as a static link would (its
// sequences rewritten to local-exec): each .tdata/.tbss is a piece of the
// static-TLS reserve of this process (engine/loader/core/tls-runtime.h, a
// thread_local array of this executable, so at one thread-pointer offset in
// every thread). reserve gives the piece's offset from the thread pointer
// (what the controller relocates against); publish writes its initial image
// into the calling thread's copy — the thread that runs the program — and
// into the image the C library gives every thread created later.

// tls_reserve(u64 size, u64 align) -> (true, u64 handle, i64 tp_offset) | (false, string)
Executor::Reply Executor::tls_reserve(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  SpsWriter w;
  u64 size = 0, align = 0, offset = 0;
  if (!r.read_u64(size) || !r.read_u64(align) || !r.at_end()) {
    w.expected_error("tls reserve: malformed arguments");
    return result(seq, w.take());
  }
  if (align == 0) align = 1;
  if (align & (align - 1) || align > tls::kReserveMaxAlign) {
    w.expected_error(format("tls reserve: alignment %llu is not a power of two up to %u", (unsigned long long)align,
                           tls::kReserveMaxAlign));
    return result(seq, w.take());
  }
  if (size == 0) size = 1;
  if (size > tls::kReserveSize || !tls::reserve_allocate(size, align, &offset)) {
    w.expected_error(format("tls reserve: a thread-local block of %llu bytes does not fit the executor's static "
                           "TLS reserve (%llu bytes shared by every object)",
                           (unsigned long long)size, (unsigned long long)tls::kReserveSize));
    return result(seq, w.take());
  }
  tls_pieces_[offset] = size;
  w.boolean(true);
  w.u64_(offset);
  w.i64_(tls::reserve_tp_offset(offset));
  return result(seq, w.take());
}

// tls_publish(u64 handle, bytes image) -> Error
Executor::Reply Executor::tls_publish(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  SpsWriter w;
  u64 offset = 0;
  std::span<const u8> image;
  if (!r.read_u64(offset) || !r.read_bytes(image) || !r.at_end()) {
    w.error_message("tls publish: malformed arguments");
    return result(seq, w.take());
  }
  auto it = tls_pieces_.find(offset);
  if (it == tls_pieces_.end() || image.size() > it->second) {
    w.error_message(format("tls publish: %zu bytes at reserve offset %llu are not a piece this session reserved",
                           image.size(), (unsigned long long)offset));
    return result(seq, w.take());
  }
  if (!image.empty()) memcpy(tls::reserve_piece(offset), image.data(), image.size());
  tls::reserve_publish(offset, it->second);
  w.boolean(false);
  return result(seq, w.take());
}

// deallocate(instance, sequence<addr>) -> Error
Executor::Reply Executor::deallocate(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  SpsWriter w;
  u64 instance = 0, count = 0;
  if (!r.read_u64(instance) || !r.read_count(count, 8) || instance != reinterpret_cast<u64>(this)) {
    w.error_message("deallocate: malformed arguments");
    return result(seq, w.take());
  }
  std::string errors;
  for (u64 i = 0; i < count; ++i) {
    u64 base = 0;
    if (!r.read_u64(base)) break;
    if (Error e = release(base)) errors += (errors.empty() ? "" : "; ") + e.message();
  }
  if (errors.empty()) {
    w.boolean(false);
  } else {
    w.error_message("deallocate: " + errors);
  }
  return result(seq, w.take());
}

// --- symbols ------------------------------------------------------------

// Names a program linked against glibc finds in libc_nonshared.a or its own
// crt files, never in a shared library, so dlsym cannot give them: atexit
// (registers with this executable's __dso_handle, so the handler runs at
// the executor's exit) and __dso_handle itself.
extern "C" __attribute__((visibility("hidden"))) void* __dso_handle;
extern "C" int jitload_executor_atexit(void (*fn)()) { return atexit(fn); }

static void* process_fallback(const std::string& name) {
  if (name == "__dso_handle") return &__dso_handle;
  if (name == "atexit") return reinterpret_cast<void*>(&jitload_executor_atexit);
  return nullptr;
}

// open(instance, path, mode) -> Expected<handle>
Executor::Reply Executor::dylib_open(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  SpsWriter w;
  u64 instance = 0, mode = 0;
  std::string path;
  if (!r.read_u64(instance) || !r.read_string(path) || !r.read_u64(mode) || !r.at_end() ||
      instance != reinterpret_cast<u64>(&dylibs_)) {
    w.expected_error("open: malformed arguments");
  } else if (mode != 0) {
    w.expected_error("open: non-zero mode is not supported");
  } else if (path.find('\0') != std::string::npos) {
    w.expected_error("open: path contains a NUL byte");
  } else {
    void* h = dlopen(path.empty() ? nullptr : path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!h) {
      const char* e = dlerror();
      w.expected_error(std::string("open: ") + (e ? e : "dlopen failed"));
    } else {
      if (std::find(dylibs_.begin(), dylibs_.end(), h) == dylibs_.end()) dylibs_.push_back(h);
      w.boolean(true);
      w.u64_(reinterpret_cast<u64>(h));
    }
  }
  return result(seq, w.take());
}

// lookup(instance, handle, sequence<(string name, bool required)>)
//   -> Expected<sequence<(addr, (u8 flags, u8 target flags))>>
Executor::Reply Executor::dylib_lookup(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  SpsWriter w;
  u64 instance = 0, handle = 0, count = 0;
  if (!r.read_u64(instance) || !r.read_u64(handle) || !r.read_count(count, 9) ||
      instance != reinterpret_cast<u64>(&dylibs_)) {
    w.expected_error("lookup: malformed arguments");
    return result(seq, w.take());
  }
  void* h = reinterpret_cast<void*>(handle);
  if (std::find(dylibs_.begin(), dylibs_.end(), h) == dylibs_.end()) {
    w.expected_error(format("lookup: 0x%llx is not a handle open() returned", (unsigned long long)handle));
    return result(seq, w.take());
  }
  std::vector<u64> addrs;
  for (u64 i = 0; i < count; ++i) {
    std::string name;
    bool required = false;
    if (!r.read_string(name) || !r.read_bool(required)) {
      w.expected_error("lookup: malformed symbol list");
      return result(seq, w.take());
    }
    void* a = name.empty() || name.find('\0') != std::string::npos ? nullptr : dlsym(h, name.c_str());
    if (!a) a = process_fallback(name);
    if (!a && required) {
      w.expected_error("lookup: missing definition for " + name);
      return result(seq, w.take());
    }
    addrs.push_back(reinterpret_cast<u64>(a));
  }
  w.boolean(true);
  w.u64_(addrs.size());
  for (u64 a : addrs) {
    w.u64_(a);
    w.u8_(a ? 1u << 4 : 0);  // JITSymbolFlags::Exported
    w.u8_(0);
  }
  return result(seq, w.take());
}

// --- memory writes (no error channel: a bad write ends the session) -------

template <typename T>
Executor::Reply Executor::write_uints(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  u64 count = 0;
  if (!r.read_count(count, 8 + sizeof(T))) return hangup("memory write: malformed arguments");
  for (u64 i = 0; i < count; ++i) {
    u64 addr = 0, v = 0;
    bool ok = r.read_u64(addr);
    if constexpr (sizeof(T) == 1) { u8 x = 0; ok = ok && r.read_u8(x); v = x; }
    if constexpr (sizeof(T) == 2) { u16 x = 0; ok = ok && r.read_u16(x); v = x; }
    if constexpr (sizeof(T) == 4) { u32 x = 0; ok = ok && r.read_u32(x); v = x; }
    if constexpr (sizeof(T) == 8) { ok = ok && r.read_u64(v); }
    if (!ok) return hangup("memory write: malformed arguments");
    if (Error e = check_writable(addr, sizeof(T))) return hangup("memory write: " + e.message());
    T t = static_cast<T>(v);
    memcpy(reinterpret_cast<void*>(addr), &t, sizeof(T));
  }
  return result(seq, {});
}

Executor::Reply Executor::write_buffers(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  u64 count = 0;
  if (!r.read_count(count, 16)) return hangup("memory write: malformed arguments");
  for (u64 i = 0; i < count; ++i) {
    u64 addr = 0;
    std::span<const u8> bytes;
    if (!r.read_u64(addr) || !r.read_bytes(bytes)) return hangup("memory write: malformed arguments");
    if (bytes.empty()) continue;
    if (Error e = check_writable(addr, bytes.size())) return hangup("memory write: " + e.message());
    memcpy(reinterpret_cast<void*>(addr), bytes.data(), bytes.size());
  }
  return result(seq, {});
}

// --- EH frames as wrapper calls (outside a finalize request) --------------

Executor::Reply Executor::eh_frame_register(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  SpsWriter w;
  u64 start = 0, end = 0;
  if (!r.read_u64(start) || !r.read_u64(end) || !r.at_end()) {
    w.error_message("register EH frame: malformed arguments");
  } else if (Error e = register_eh_frame(start, end)) {
    w.error_message("register EH frame: " + e.message());
  } else {
    w.boolean(false);
  }
  return result(seq, w.take());
}

Executor::Reply Executor::eh_frame_deregister(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  SpsWriter w;
  u64 start = 0, end = 0;
  if (!r.read_u64(start) || !r.read_u64(end) || !r.at_end()) {
    w.error_message("deregister EH frame: malformed arguments");
    return result(seq, w.take());
  }
  u64 base = 0;
  Allocation* a = allocation_of(start, 1, &base);
  if (a)
    for (auto it = a->eh_frames.begin(); it != a->eh_frames.end(); ++it)
      if (it->addr == start) {
        deregister(*it);
        a->eh_frames.erase(it);
        w.boolean(false);
        return result(seq, w.take());
      }
  w.error_message(format("deregister EH frame: nothing registered at 0x%llx", (unsigned long long)start));
  return result(seq, w.take());
}

// --- running code (no error channel: a refused run ends the session) ------

// The executor ignores SIGPIPE (a dead controller must be an error from
// write()); the program gets the default back while it runs, as it would
// have in a process of its own.
namespace {
struct ProgramSignals {
  struct sigaction saved {};
  ProgramSignals() {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, &saved);
  }
  ~ProgramSignals() { sigaction(SIGPIPE, &saved, nullptr); }
};
}  // namespace

Executor::Reply Executor::run_as_main(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  u64 addr = 0, count = 0;
  if (!r.read_u64(addr) || !r.read_count(count, 8)) return hangup("run as main: malformed arguments");
  std::vector<std::string> strings;
  for (u64 i = 0; i < count; ++i) {
    std::string s;
    if (!r.read_string(s)) return hangup("run as main: malformed arguments");
    strings.push_back(std::move(s));
  }
  if (!options_.allow_run) return hangup("run as main: running code is disabled in this executor");
  if (Error e = check_runnable(addr)) return hangup("run as main: " + e.message());
  std::vector<char*> argv;
  for (std::string& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  auto main_fn = reinterpret_cast<int (*)(int, char**)>(addr);
  ProgramSignals program_signals;
  i64 rc = main_fn(int(strings.size()), argv.data());
  SpsWriter w;
  w.i64_(rc);
  return result(seq, w.take());
}

Executor::Reply Executor::run_as_void(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  u64 addr = 0;
  if (!r.read_u64(addr) || !r.at_end()) return hangup("run as void function: malformed arguments");
  if (!options_.allow_run) return hangup("run: running code is disabled in this executor");
  if (Error e = check_runnable(addr)) return hangup("run as void function: " + e.message());
  ProgramSignals program_signals;
  i32 rc = reinterpret_cast<int (*)()>(addr)();
  SpsWriter w;
  w.i32_(rc);
  return result(seq, w.take());
}

Executor::Reply Executor::run_as_int(u64 seq, std::span<const u8> args) {
  SpsReader r(args);
  u64 addr = 0;
  i32 arg = 0;
  if (!r.read_u64(addr) || !r.read_i32(arg) || !r.at_end()) return hangup("run as int function: malformed arguments");
  if (!options_.allow_run) return hangup("run: running code is disabled in this executor");
  if (Error e = check_runnable(addr)) return hangup("run as int function: " + e.message());
  ProgramSignals program_signals;
  i32 rc = reinterpret_cast<int (*)(int)>(addr)(arg);
  SpsWriter w;
  w.i32_(rc);
  return result(seq, w.take());
}

// --- the session loop ---------------------------------------------------

// A fatal signal in JIT'd code: the controller gets a Hangup naming it,
// written with write() only (async-signal-safe), from messages built before
// anything runs; then the signal takes its default course.
static int g_signal_fd = -1;
struct SignalMessage {
  int signo;
  u8 bytes[160];
  size_t size;
};
static SignalMessage g_signal_messages[6];

static void on_fatal_signal(int signo) {
  for (const SignalMessage& m : g_signal_messages)
    if (m.signo == signo && g_signal_fd >= 0) {
      ssize_t unused = ::write(g_signal_fd, m.bytes, m.size);
      (void)unused;
    }
  signal(signo, SIG_DFL);
  raise(signo);
}

static void install_signal_reports(int fd) {
  static const std::pair<int, const char*> kSignals[6] = {{SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"},
                                                          {SIGILL, "SIGILL"},   {SIGFPE, "SIGFPE"},
                                                          {SIGABRT, "SIGABRT"}, {SIGTRAP, "SIGTRAP"}};
  g_signal_fd = fd;
  for (int i = 0; i < 6; ++i) {
    std::vector<u8> payload =
        hangup_payload(format("jitload-executor: the program was terminated by signal %d (%s)", kSignals[i].first,
                              kSignals[i].second));
    SignalMessage& m = g_signal_messages[i];
    m.signo = kSignals[i].first;
    encode_header(m.bytes, Header{kHeaderSize + payload.size(), u64(Opcode::Hangup), 0, 0});
    memcpy(m.bytes + kHeaderSize, payload.data(), payload.size());
    m.size = kHeaderSize + payload.size();
    struct sigaction sa = {};
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(m.signo, &sa, nullptr);
  }
}

Error serve(Executor& executor, Channel& channel) {
  signal(SIGPIPE, SIG_IGN);  // a dead controller is an error from write(), not a silent death
  install_signal_reports(channel.out_fd());
  TRY(channel.send(Opcode::Setup, 0, 0, executor.setup_payload()));
  for (;;) {
    Expected<std::optional<Message>> m = channel.receive();
    if (!m) {
      // A silent controller gets a Hangup saying why (if it ever reads again).
      if (is_timeout(m.error())) {
        g_signal_fd = -1;
        (void)channel.send(Opcode::Hangup, 0, 0, hangup_payload("jitload-executor: " + m.error().message()));
      }
      return Error(ErrorKind::Io, "controller connection: " + m.error().message());
    }
    if (!*m) {  // end of stream between messages: how LLVM's controller disconnects
      g_signal_fd = -1;
      return Error::success();
    }
    Message& msg = **m;
    Executor::Reply reply = executor.handle(msg.opcode, msg.seq, msg.tag, msg.payload);
    if (reply.send) {
      if (Error e = channel.send(reply.op, reply.seq, 0, reply.payload)) return e;
    }
    if (reply.end) {
      g_signal_fd = -1;
      if (!reply.error.empty()) return Error(ErrorKind::Argument, reply.error);
      return Error::success();
    }
  }
}

}  // namespace jitload::remote
