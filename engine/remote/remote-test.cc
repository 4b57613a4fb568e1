// The remote protocol without LLVM: SPS bounds, the executor against hostile
// requests (handled in-process, message by message), and controller <->
// executor sessions over socketpairs with the executor in a child process —
// including peers that die or lie mid-session.
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include <gtest/gtest.h>

#include "engine/loader/core/tls-runtime.h"
#include "engine/remote/client.h"
#include "engine/remote/executor.h"
#include "engine/remote/memory-manager.h"
#include "engine/remote/sps.h"

using namespace jitload;
using namespace jitload::remote;

namespace {

// The bootstrap symbols of an executor, decoded from its Setup payload.
std::map<std::string, u64> symbols_of(const Executor& ex) {
  std::vector<u8> setup = ex.setup_payload();
  SpsReader r(setup);
  std::string triple;
  u64 page = 0, maps = 0, n = 0;
  EXPECT_TRUE(r.read_string(triple) && r.read_u64(page) && r.read_u64(maps) && maps == 0 && r.read_u64(n));
  std::map<std::string, u64> out;
  for (u64 i = 0; i < n; ++i) {
    std::string name;
    u64 a = 0;
    EXPECT_TRUE(r.read_string(name) && r.read_u64(a));
    out[name] = a;
  }
  EXPECT_TRUE(r.at_end());
  return out;
}

struct Direct {
  Executor ex;
  std::map<std::string, u64> sym;
  explicit Direct(ExecutorOptions o = {}) : ex(o), sym(symbols_of(ex)) {}
  Executor::Reply call(const char* service, const std::vector<u8>& args) {
    return ex.handle(u64(Opcode::CallWrapper), 7, sym.at(service), args);
  }
  u64 reserve(u64 size) {
    SpsWriter w;
    w.u64_(sym.at(names::kMemoryManager));
    w.u64_(size);
    Executor::Reply r = call(names::kReserve, w.take());
    SpsReader rd(r.payload);
    bool ok = false;
    u64 a = 0;
    EXPECT_TRUE(rd.read_bool(ok) && ok && rd.read_u64(a));
    return a;
  }
  // finalize with one segment; returns the error message ("" = success).
  std::string finalize(u8 prot, u64 addr, u64 size, const std::vector<u8>& content,
                       std::vector<std::pair<u64, u64>> eh = {}, u64 eh_fn = 0) {
    SpsWriter w;
    w.u64_(sym.at(names::kMemoryManager));
    w.u64_(1);
    w.u8_(prot);
    w.u64_(addr);
    w.u64_(size);
    w.bytes(content);
    w.u64_(eh.size());
    for (auto [s, e] : eh) {
      SpsWriter a;
      a.u64_(s);
      a.u64_(e);
      w.u64_(eh_fn ? eh_fn : sym.at(names::kRegisterEhFrame));
      w.bytes(a.data());
      w.u64_(sym.at(names::kDeregisterEhFrame));
      w.bytes(a.data());
    }
    Executor::Reply r = call(names::kFinalize, w.take());
    EXPECT_TRUE(r.send && !r.end);
    SpsReader rd(r.payload);
    bool has_error = true;
    std::string m;
    EXPECT_TRUE(rd.read_bool(has_error));
    if (has_error) EXPECT_TRUE(rd.read_string(m));
    return has_error ? m : "";
  }
};

std::vector<u8> write_u32(u64 addr, u32 v) {
  SpsWriter w;
  w.u64_(1);
  w.u64_(addr);
  w.u32_(v);
  return w.take();
}

}  // namespace

TEST(Sps, ReaderStopsAtTheEndAndRejectsCountsLargerThanTheBytes) {
  std::vector<u8> b = {3, 0, 0, 0, 0, 0, 0, 0, 'a', 'b'};  // string of 3, two bytes present
  SpsReader r(b);
  std::string s;
  EXPECT_FALSE(r.read_string(s));
  EXPECT_FALSE(r.ok());
  std::vector<u8> huge = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  SpsReader h(huge);
  u64 n = 0;
  EXPECT_FALSE(h.read_count(n, 1));
  std::vector<u8> badbool = {2};
  SpsReader bb(badbool);
  bool v;
  EXPECT_FALSE(bb.read_bool(v));
}

TEST(Executor, ReserveFinalizeWritesAndProtects) {
  Direct d;
  const u64 page = u64(sysconf(_SC_PAGESIZE));
  u64 base = d.reserve(2 * page);
  ASSERT_NE(base, 0u);
  EXPECT_TRUE(d.ex.owns(base, 2 * page));
  EXPECT_FALSE(d.ex.owns(base, 2 * page + 1));
  EXPECT_EQ(d.finalize(kProtRead, base, page, {1, 2, 3}), "");
  EXPECT_EQ(reinterpret_cast<u8*>(base)[2], 3);
  EXPECT_EQ(reinterpret_cast<u8*>(base)[3], 0);  // zero fill
  // Finalized read-only: a write request there ends the session, unwritten.
  Executor::Reply r = d.call(names::kWriteUInt32s, write_u32(base, 0xdeadbeef));
  EXPECT_TRUE(r.end);
  EXPECT_NE(r.error.find("without write permission"), std::string::npos) << r.error;
  EXPECT_EQ(reinterpret_cast<u8*>(base)[0], 1);
}

// jitload's TLS extension: pieces of the static reserve, published only
// into pieces this session reserved; sizes and alignments checked.
TEST(Executor, TlsPiecesAreCheckedAndPublishedIntoTheReserve) {
  Direct d;
  auto reserve = [&](u64 size, u64 align) {
    SpsWriter w;
    w.u64_(size);
    w.u64_(align);
    return d.call(names::kTlsReserve, w.take());
  };
  auto error_of = [](const Executor::Reply& r) {
    SpsReader rd(r.payload);
    bool ok = true;
    std::string m;
    return rd.read_bool(ok) && !ok && rd.read_string(m) ? m : std::string();
  };
  EXPECT_NE(error_of(reserve(1 << 30, 8)).find("does not fit"), std::string::npos);
  EXPECT_NE(error_of(reserve(16, 4096)).find("alignment 4096"), std::string::npos);
  Executor::Reply r = reserve(24, 8);
  ASSERT_FALSE(r.end);
  SpsReader rd(r.payload);
  bool ok = false;
  u64 handle = 0, tp = 0;
  ASSERT_TRUE(rd.read_bool(ok) && ok && rd.read_u64(handle) && rd.read_u64(tp) && rd.at_end());
  auto publish = [&](u64 h, std::vector<u8> image) {
    SpsWriter w;
    w.u64_(h);
    w.bytes(image);
    Executor::Reply p = d.call(names::kTlsPublish, w.take());
    SpsReader pr(p.payload);
    bool has_error = true;
    std::string m;
    if (!pr.read_bool(has_error)) return std::string("undecodable");
    if (has_error && pr.read_string(m)) return m;
    return std::string();
  };
  EXPECT_NE(publish(handle + 8, {1}).find("not a piece this session reserved"), std::string::npos);
  EXPECT_NE(publish(handle, std::vector<u8>(25, 1)).find("not a piece this session reserved"), std::string::npos);
  EXPECT_EQ(publish(handle, {5, 6, 7}), "");
  // This thread's copy, at the thread-pointer offset the controller was given.
  EXPECT_EQ(tls::reserve_piece(handle)[1], 6);
  EXPECT_EQ(tls::reserve_tp_offset(handle), i64(tp));
}

TEST(Executor, WritesGoOnlyIntoSessionMemory) {
  Direct d;
  const u64 page = u64(sysconf(_SC_PAGESIZE));
  u64 base = d.reserve(page);
  Executor::Reply ok = d.call(names::kWriteUInt32s, write_u32(base + 8, 0x11223344));
  EXPECT_FALSE(ok.end);
  EXPECT_EQ(*reinterpret_cast<u32*>(base + 8), 0x11223344u);
  u32 outside = 5;
  for (u64 a : {reinterpret_cast<u64>(&outside), base + page - 2, base - 4, u64(0), ~u64(0) - 1}) {
    Direct fresh;
    (void)fresh.reserve(page);
    Executor::Reply bad = d.call(names::kWriteUInt32s, write_u32(a, 0));
    EXPECT_TRUE(bad.end) << std::hex << a;
    EXPECT_EQ(bad.op, Opcode::Hangup);
  }
  EXPECT_EQ(outside, 5u);
}

TEST(Executor, FinalizeRefusesWhatBreaksTheRules) {
  Direct d;
  const u64 page = u64(sysconf(_SC_PAGESIZE));
  u64 base = d.reserve(page);
  u32 host = 0;
  EXPECT_NE(d.finalize(kProtRead | kProtWrite | kProtExec, base, page, {0xc3}).find("W^X"), std::string::npos);
  EXPECT_NE(d.finalize(kProtRead, reinterpret_cast<u64>(&host) & ~(page - 1), 16, {1}).find("not inside"),
            std::string::npos);
  EXPECT_NE(d.finalize(kProtRead, base, page + 1, {}).find("not inside"), std::string::npos);
  EXPECT_NE(d.finalize(kProtRead, base + 8, 8, {}).find("page-aligned"), std::string::npos);
  EXPECT_NE(d.finalize(kProtRead, base, 2, {1, 2, 3}).find("larger than the segment"), std::string::npos);
  // An action that is not EH-frame registration is never called.
  EXPECT_NE(d.finalize(kProtRead, base, 64, {}, {{base, base + 8}}, reinterpret_cast<u64>(&abort)).find("only EH-frame"),
            std::string::npos);
  // An EH frame outside the request's segments, or not a valid one.
  EXPECT_NE(d.finalize(kProtRead, base, 64, {}, {{base + 128, base + 136}}).find("not inside"), std::string::npos);
  std::vector<u8> garbage(32, 0xff);
  EXPECT_NE(d.finalize(kProtRead, base, 64, garbage, {{base, base + 32}}).find("EH frame"), std::string::npos);
  EXPECT_EQ(d.ex.eh_frame_count(), 0u);
  EXPECT_EQ(host, 0u);
}

TEST(Executor, RegistersAValidEhFrameAndDeregistersOnRelease) {
  Direct d;
  const u64 page = u64(sysconf(_SC_PAGESIZE));
  u64 base = d.reserve(page);
  // A CIE (version 1, "zR", pcrel|sdata4 FDE pointers), one FDE, terminator.
  std::vector<u8> eh = {
      0x14, 0, 0, 0, 0, 0, 0, 0, 1, 'z', 'R', 0, 1, 0x78, 0x10, 1, 0x1b, 0x0c, 0x07, 0x08, 0x90, 0x01, 0, 0,
      0x10, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0};
  EXPECT_EQ(d.finalize(kProtRead, base, page, eh, {{base, base + eh.size()}}), "");
  EXPECT_EQ(d.ex.eh_frame_count(), 1u);
  d.ex.release_all();
  EXPECT_EQ(d.ex.eh_frame_count(), 0u);
  EXPECT_EQ(d.ex.reserved_bytes(), 0u);
}

// libgcc keeps reading a registered EH frame in place, and deregisters by
// the bytes it finds there (a zero first word was never registered; an
// unknown one aborts the process). So the bytes under a registered frame
// stay as they were until it is deregistered: writes and re-finalization
// over them are refused, and release still works.
TEST(Executor, RegisteredEhFrameBytesCannotBeRewritten) {
  Direct d;
  const u64 page = u64(sysconf(_SC_PAGESIZE));
  u64 base = d.reserve(2 * page);
  // Registered while it is only the terminator (libgcc ignores it), in
  // memory finalized writable.
  EXPECT_EQ(d.finalize(kProtRead | kProtWrite, base, page, {0, 0, 0, 0}, {{base, base + 4}}), "");
  EXPECT_EQ(d.ex.eh_frame_count(), 1u);
  for (u64 at : {base, base + 2}) {
    Executor::Reply r = d.call(names::kWriteUInt32s, write_u32(at, 0x14));
    EXPECT_TRUE(r.end) << std::hex << at;
    EXPECT_NE(r.error.find("EH frame registered at"), std::string::npos) << r.error;
  }
  EXPECT_EQ(reinterpret_cast<u32*>(base)[0], 0u);
  // Beside it is still writable.
  Executor::Reply ok = d.call(names::kWriteUInt32s, write_u32(base + 4, 0x14));
  EXPECT_FALSE(ok.end) << ok.error;
  // A second finalize over its page is refused before anything is written.
  std::string again = d.finalize(kProtRead, base, page, {0x14, 0, 0, 0});
  EXPECT_NE(again.find("EH frame registered at"), std::string::npos) << again;
  EXPECT_EQ(reinterpret_cast<u32*>(base)[0], 0u);
  // The page after it is not covered by the frame.
  EXPECT_EQ(d.finalize(kProtRead, base + page, page, {1}), "");
  d.ex.release_all();  // deregisters what was registered: no abort in libgcc
  EXPECT_EQ(d.ex.eh_frame_count(), 0u);
  EXPECT_EQ(d.ex.reserved_bytes(), 0u);
}

TEST(Executor, ReserveIsCapped) {
  ExecutorOptions o;
  o.memory_limit = 1 << 20;
  Direct d(o);
  for (u64 size : {u64(0), u64(2) << 20, ~u64(0)}) {
    SpsWriter w;
    w.u64_(d.sym.at(names::kMemoryManager));
    w.u64_(size);
    Executor::Reply r = d.call(names::kReserve, w.take());
    SpsReader rd(r.payload);
    bool ok = true;
    EXPECT_TRUE(rd.read_bool(ok));
    EXPECT_FALSE(ok) << size;
  }
  EXPECT_EQ(d.ex.reserved_bytes(), 0u);
}

TEST(Executor, RunsOnlyInsideFinalizedExecutableSessionMemory) {
  Direct d;
  const u64 page = u64(sysconf(_SC_PAGESIZE));
  u64 base = d.reserve(page);
  for (u64 target : {base, reinterpret_cast<u64>(&abort), u64(0)}) {
    SpsWriter w;
    w.u64_(target);
    Executor::Reply r = d.call(names::kRunAsVoidFunction, w.take());
    EXPECT_TRUE(r.end) << std::hex << target;
    EXPECT_NE(r.error.find("not inside a finalized executable segment"), std::string::npos) << r.error;
  }
#if defined(__x86_64__)
  Direct e;
  u64 code = e.reserve(page);
  EXPECT_EQ(e.finalize(kProtRead | kProtExec, code, page, {0xb8, 42, 0, 0, 0, 0xc3}), "");  // mov eax, 42; ret
  SpsWriter w;
  w.u64_(code);
  Executor::Reply r = e.call(names::kRunAsVoidFunction, w.take());
  ASSERT_FALSE(r.end) << r.error;
  SpsReader rd(r.payload);
  i32 rc = 0;
  EXPECT_TRUE(rd.read_i32(rc));
  EXPECT_EQ(rc, 42);
#endif
}

TEST(Executor, UnknownTagsAndOpcodesEndTheSessionWithoutCallingAnything) {
  Direct d;
  EXPECT_TRUE(d.ex.handle(u64(Opcode::CallWrapper), 1, reinterpret_cast<u64>(&abort), {}).end);
  EXPECT_TRUE(d.ex.handle(u64(Opcode::Setup), 0, 0, {}).end);
  EXPECT_TRUE(d.ex.handle(u64(Opcode::Result), 3, 0, {}).end);
  Executor::Reply r = d.ex.handle(99, 0, 0, {});
  EXPECT_TRUE(r.end);
  EXPECT_EQ(r.op, Opcode::Hangup);
  EXPECT_FALSE(decode_hangup(r.payload).ok());
}

TEST(Executor, LookupFindsProcessSymbolsAndRefusesForeignHandles) {
  Direct d;
  SpsWriter o;
  o.u64_(d.sym.at(names::kDylibManager));
  o.string("");
  o.u64_(0);
  Executor::Reply opened = d.call(names::kDylibOpen, o.take());
  SpsReader orr(opened.payload);
  bool ok = false;
  u64 handle = 0;
  ASSERT_TRUE(orr.read_bool(ok) && ok && orr.read_u64(handle));
  for (u64 h : {handle, handle + 8}) {
    SpsWriter w;
    w.u64_(d.sym.at(names::kDylibManager));
    w.u64_(h);
    w.u64_(2);
    w.string("puts");
    w.boolean(true);
    w.string("no_such_symbol_anywhere");
    w.boolean(false);
    Executor::Reply r = d.call(names::kDylibLookup, w.take());
    SpsReader rd(r.payload);
    bool has = false;
    ASSERT_TRUE(rd.read_bool(has));
    if (h != handle) {
      EXPECT_FALSE(has);
      continue;
    }
    ASSERT_TRUE(has);
    u64 n = 0, a = 0, b = 1;
    u8 f = 0, t = 0;
    ASSERT_TRUE(rd.read_u64(n) && n == 2 && rd.read_u64(a) && rd.read_u8(f) && rd.read_u8(t) && rd.read_u64(b));
    EXPECT_EQ(a, reinterpret_cast<u64>(&puts));
    EXPECT_EQ(b, 0u);
  }
}

// --- sessions across processes --------------------------------------------

namespace {
// A child process on one end of a socketpair running `body(fd)`.
template <typename F>
pid_t spawn(int& parent_fd, F body) {
  int sv[2];
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    _exit(body(sv[1]));
  }
  close(sv[1]);
  parent_fd = sv[0];
  return pid;
}

void send_raw(int fd, u64 op, u64 seq, u64 tag, const std::vector<u8>& payload) {
  Channel c(fd, fd);
  (void)c.send(Opcode(op), seq, tag, payload);
}
}  // namespace

TEST(Session, ControllerAndExecutorInTwoProcesses) {
  int fd = -1;
  pid_t pid = spawn(fd, [](int s) {
    Executor ex;
    Channel c(s, s);
    return serve(ex, c) ? 1 : 0;
  });
  signal(SIGPIPE, SIG_IGN);
  auto session = RemoteSession::attach(fd, fd, pid);
  ASSERT_TRUE(session) << session.error().message();
  RemoteSession& s = **session;
  EXPECT_EQ(s.triple(), executor_triple());
  const u64 page = s.page_size();
  // The memory manager the loader uses: one reservation, sections placed in
  // pools, mapped, bytes finalized there.
  RemoteMemoryManager mm(s);
  ASSERT_FALSE(mm.reserve_allocation_space(16, 16, 8, 8, 8, 8));
  u8* code = mm.allocate_code_section(16, 16, 0, ".text");
  u8* data = mm.allocate_data_section(8, 8, 1, ".data", false);
  ASSERT_TRUE(code && data);
  std::vector<std::pair<const void*, u64>> mapped;
  ASSERT_FALSE(mm.map_pending([&](const void* l, u64 t) {
    mapped.push_back({l, t});
    return Error::success();
  }));
  ASSERT_EQ(mapped.size(), 2u);
  // A section allocated later and not mapped: finalizing would ship bytes
  // relocated for this process, so it is refused (and the first two stay
  // unfinalized).
  ASSERT_TRUE(mm.allocate_data_section(8, 8, 2, ".bss", false));
  Error unmapped = mm.finalize_memory();
  ASSERT_TRUE(unmapped);
  EXPECT_NE(unmapped.message().find("before it was mapped"), std::string::npos) << unmapped.message();
  ASSERT_FALSE(mm.map_pending([&](const void*, u64) { return Error::success(); }));
  EXPECT_EQ(mapped[0].second % page, 0u);
  EXPECT_EQ(mapped[1].second - mapped[0].second, 2 * page);  // code | ro | rw, a page each
#if defined(__x86_64__)
  const u8 ret7[] = {0xb8, 7, 0, 0, 0, 0xc3};
  std::memcpy(code, ret7, sizeof ret7);
#endif
  ASSERT_FALSE(mm.finalize_memory());
  auto puts_at = mm.find_symbol("puts");
  EXPECT_TRUE(puts_at.has_value());
  EXPECT_FALSE(mm.find_symbol("surely_not_a_symbol_of_the_executor").has_value());
#if defined(__x86_64__)
  auto rc = s.run_as_void_function(mapped[0].second);
  ASSERT_TRUE(rc) << rc.error().message();
  EXPECT_EQ(*rc, 7);
#endif
  EXPECT_GT(s.stats().round_trips, 4u);
  s.disconnect();
  EXPECT_EQ(s.child_exit_code(), 0);
}

TEST(Session, ExecutorDeathMidLoadIsAnErrorNotAHang) {
  int fd = -1;
  pid_t pid = spawn(fd, [](int s) {
    Executor ex;
    send_raw(s, u64(Opcode::Setup), 0, 0, ex.setup_payload());
    char buf[64];
    (void)!read(s, buf, sizeof buf);  // the first call arrives: die without answering
    return 3;
  });
  auto session = RemoteSession::attach(fd, fd, pid);
  ASSERT_TRUE(session);
  Expected<u64> r = (*session)->reserve(4096);
  ASSERT_FALSE(r);
  // It may die before or after the whole request is written: EOF while
  // waiting, or EPIPE while sending; either way named, with its status.
  const std::string& m = r.error().message();
  EXPECT_TRUE(m.find("closed the connection") != std::string::npos || m.find("Broken pipe") != std::string::npos) << m;
  EXPECT_NE(m.find("exited with status 3"), std::string::npos) << m;
  EXPECT_FALSE((*session)->alive());
  EXPECT_FALSE((*session)->reserve(4096));  // fails at once afterwards
}

TEST(Session, LyingExecutorRepliesEndTheSession) {
  int fd = -1;
  pid_t pid = spawn(fd, [](int s) {
    Executor ex;
    send_raw(s, u64(Opcode::Setup), 0, 0, ex.setup_payload());
    Channel c(s, s);
    auto m = c.receive();
    if (!m || !*m) return 1;
    send_raw(s, u64(Opcode::Result), (*m)->seq + 5, 0, {1, 2, 3});  // a sequence number nobody asked for
    sleep(1);
    return 0;
  });
  auto session = RemoteSession::attach(fd, fd, pid);
  ASSERT_TRUE(session);
  Expected<u64> r = (*session)->reserve(4096);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("while waiting for"), std::string::npos) << r.error().message();
}

TEST(Session, ControllerDeathMidMessageEndsTheExecutorWithAnError) {
  int fd = -1;
  pid_t pid = spawn(fd, [](int s) {
    Executor ex;
    Channel c(s, s);
    Error e = serve(ex, c);
    return e && e.message().find("inside a CallWrapper message") != std::string::npos ? 7 : 1;
  });
  Channel c(fd, fd);
  auto setup = c.receive();
  ASSERT_TRUE(setup && *setup);
  u8 head[kHeaderSize];
  encode_header(head, Header{kHeaderSize + 100, u64(Opcode::CallWrapper), 1, 0});
  ASSERT_EQ(write(fd, head, sizeof head), ssize_t(sizeof head));
  ASSERT_EQ(write(fd, "0123456789", 10), 10);
  close(fd);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
}

// Peers that stay alive but stop talking: every wait is bounded by the
// session's timeout, and running out is an error, not a hang.
TEST(Session, SilentExecutorIsATimeoutErrorAndIsKilled) {
  int fd = -1;
  pid_t pid = spawn(fd, [](int s) {
    Executor ex;
    send_raw(s, u64(Opcode::Setup), 0, 0, ex.setup_payload());
    for (;;) pause();  // alive, reading nothing, answering nothing
    return 0;
  });
  auto session = RemoteSession::attach(fd, fd, pid, /*timeout_ms=*/300);
  ASSERT_TRUE(session);
  const auto start = std::chrono::steady_clock::now();
  Expected<u64> r = (*session)->reserve(4096);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(r);
  EXPECT_TRUE(is_timeout(r.error())) << r.error().message();
  EXPECT_NE(r.error().message().find("sent nothing for 0.3 s"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("killed the silent executor"), std::string::npos) << r.error().message();
  EXPECT_LT(took, 3.0);
  EXPECT_EQ((*session)->child_exit_code(), 128 + SIGKILL);
}

TEST(Session, ExecutorThatStopsReadingBoundsTheSend) {
  int fd = -1;
  pid_t pid = spawn(fd, [](int s) {
    Executor ex;
    send_raw(s, u64(Opcode::Setup), 0, 0, ex.setup_payload());
    for (;;) pause();
    return 0;
  });
  auto session = RemoteSession::attach(fd, fd, pid, /*timeout_ms=*/300);
  ASSERT_TRUE(session);
  // Far more than a socket buffer holds: the write itself must give up.
  std::vector<u8> big(64 << 20, 0x90);
  RemoteSession::Segment seg{kProtRead, 0x10000, big.size(), big};
  const auto start = std::chrono::steady_clock::now();
  Error e = (*session)->finalize(std::span(&seg, 1), {});
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("read nothing for 0.3 s"), std::string::npos) << e.message();
  EXPECT_LT(took, 3.0);
}

TEST(Session, RunningTheProgramIsNeverTimed) {
  int fd = -1;
  pid_t pid = spawn(fd, [](int s) {
    Executor ex;
    send_raw(s, u64(Opcode::Setup), 0, 0, ex.setup_payload());
    Channel c(s, s);
    auto m = c.receive();
    if (!m || !*m) return 1;
    usleep(800 * 1000);  // a program running longer than the timeout
    SpsWriter w;
    w.u64_(5);
    send_raw(s, u64(Opcode::Result), (*m)->seq, 0, w.data());
    auto end = c.receive();  // the controller's disconnect
    return 0;
  });
  auto session = RemoteSession::attach(fd, fd, pid, /*timeout_ms=*/200);
  ASSERT_TRUE(session);
  std::string arg = "prog";
  Expected<i64> rc = (*session)->run_as_main(0x1000, std::span<const std::string>(&arg, 1));
  ASSERT_TRUE(rc) << rc.error().message();
  EXPECT_EQ(*rc, 5);
}

TEST(Session, SilentControllerEndsTheExecutorWithATimeoutAndAHangup) {
  int fd = -1;
  pid_t pid = spawn(fd, [](int s) {
    Executor ex;
    Channel c(s, s);
    c.set_timeout_ms(300);
    Error e = serve(ex, c);
    return is_timeout(e) && e.message().find("inside a message header (10 of 32 bytes)") != std::string::npos ? 6 : 1;
  });
  Channel c(fd, fd);
  auto setup = c.receive();
  ASSERT_TRUE(setup && *setup);
  u8 head[kHeaderSize];
  encode_header(head, Header{kHeaderSize + 100, u64(Opcode::CallWrapper), 1, 0});
  ASSERT_EQ(write(fd, head, 10), 10);  // then nothing: alive, silent
  auto hangup = c.receive();
  ASSERT_TRUE(hangup && *hangup) << (hangup ? "EOF" : hangup.error().message());
  EXPECT_EQ((*hangup)->opcode, u64(Opcode::Hangup));
  Error why = decode_hangup((*hangup)->payload);
  EXPECT_TRUE(is_timeout(why)) << why.message();
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 6);
  close(fd);
}

TEST(Session, OversizedMessagesAreRefusedBeforeAllocation) {
  int fd = -1;
  pid_t pid = spawn(fd, [](int s) {
    Executor ex;
    Channel c(s, s);
    Error e = serve(ex, c);
    return e && e.message().find("outside [32,") != std::string::npos ? 9 : 1;
  });
  Channel c(fd, fd);
  auto setup = c.receive();
  ASSERT_TRUE(setup && *setup);
  u8 head[kHeaderSize];
  encode_header(head, Header{~u64(0), u64(Opcode::CallWrapper), 1, 0});
  ASSERT_EQ(write(fd, head, sizeof head), ssize_t(sizeof head));
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_EQ(WEXITSTATUS(status), 9);
  close(fd);
}

// Another architecture: JITLOAD_CROSS_EXECUTOR names a command that starts
// jitload-executor built for AArch64 under qemu-user (engine/remote/
// cross-test.sh sets this; tools/runner/build.sh builds it). The protocol
// is the same; the triple and the code are the target's (hand-assembled
// here, at the protocol level; generated code goes through `jitload run
// --target-exec` in cross-run-test.sh).
TEST(Cross, AArch64ExecutorUnderQemu) {
  const char* command = getenv("JITLOAD_CROSS_EXECUTOR");
  if (!command) GTEST_SKIP() << "JITLOAD_CROSS_EXECUTOR not set (engine/remote/cross-test.sh sets it)";
  std::vector<std::string> words;
  for (std::string s = command, w; !s.empty();) {
    size_t sp = s.find(' ');
    w = s.substr(0, sp);
    s = sp == std::string::npos ? "" : s.substr(sp + 1);
    if (!w.empty()) words.push_back(w);
  }
  auto session = RemoteSession::launch(words);
  ASSERT_TRUE(session) << session.error().message();
  RemoteSession& s = **session;
  EXPECT_EQ(s.triple(), "aarch64-unknown-linux-gnu");
  const u64 page = s.page_size();
  Expected<u64> base = s.reserve(page);
  ASSERT_TRUE(base) << base.error().message();
  const u8 code[] = {0x40, 0x05, 0x80, 0x52,   // mov w0, #42
                     0xc0, 0x03, 0x5f, 0xd6,   // ret
                     0x00, 0x04, 0x00, 0x11,   // add w0, w0, #1
                     0xc0, 0x03, 0x5f, 0xd6};  // ret
  RemoteSession::Segment seg{kProtRead | kProtExec, *base, page, std::span<const u8>(code, sizeof code)};
  ASSERT_FALSE(s.finalize(std::span(&seg, 1), {}));
  Expected<i32> v = s.run_as_void_function(*base);
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_EQ(*v, 42);
  Expected<i32> i = s.run_as_int_function(*base + 8, 41);
  ASSERT_TRUE(i) << i.error().message();
  EXPECT_EQ(*i, 42);
  std::string name = "puts";
  Expected<std::vector<u64>> found = s.lookup(std::span<const std::string>(&name, 1));
  ASSERT_TRUE(found) << found.error().message();
  EXPECT_NE((*found)[0], 0u);
  ASSERT_FALSE(s.deallocate(std::span<const u64>(&*base, 1)));
  s.disconnect();
  EXPECT_EQ(s.child_exit_code(), 0) << s.child_status();
}
