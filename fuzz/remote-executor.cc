// remote-executor: raw bytes as the controller's side of a SimpleRemoteEPC
// session (32-byte headers and payloads, wire.h), handled by the executor
// message by message as jitload-executor's loop does — without running code
// (ExecutorOptions::allow_run off: "run at an executable address" is the
// protocol's purpose, not a bug). A crash, a sanitizer report, a reply that
// is not a well-formed message, or memory still reserved after the session
// is released is a finding.
//
// Addresses the fuzzer cannot know (the executor's symbols, the bases its
// reservations got) are written as placeholders, here and in the seeds
// (fuzz/make-remote-seeds.py): any 8 bytes reading 0xDEADBEEF'KKKK'OOOO
// (little-endian) in a header's tag or anywhere in a payload become
//   KKKK < 0x100   bootstrap symbol number KKKK (Setup order) + OOOO
//   KKKK >= 0x100  base of live reservation KKKK - 0x100 + OOOO
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <string>
#include <vector>

#include "engine/remote/executor.h"
#include "engine/remote/sps.h"

using namespace jitload;
using namespace jitload::remote;

namespace {
std::vector<u64> setup_symbols(const Executor& ex) {
  std::vector<u8> setup = ex.setup_payload();
  SpsReader r(setup);
  std::string s;
  u64 page, maps, n;
  std::vector<u64> out;
  if (!r.read_string(s) || !r.read_u64(page) || !r.read_u64(maps) || !r.read_u64(n)) abort();
  for (u64 i = 0; i < n; ++i) {
    u64 a;
    if (!r.read_string(s) || !r.read_u64(a)) abort();
    out.push_back(a);
  }
  return out;
}

u64 resolve(u64 v, const std::vector<u64>& symbols, const Executor& ex) {
  if ((v >> 32) != 0xdeadbeef) return v;
  u64 k = (v >> 16) & 0xffff, off = v & 0xffff;
  if (k < 0x100) return k < symbols.size() ? symbols[k] + off : v;
  std::vector<u64> bases = ex.allocation_bases();
  return k - 0x100 < bases.size() ? bases[k - 0x100] + off : v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ExecutorOptions options;
  options.memory_limit = 64 << 20;
  options.allow_run = false;
  Executor ex(options);
  const std::vector<u64> symbols = setup_symbols(ex);
  const bool verbose = getenv("JITLOAD_FUZZ_VERBOSE") != nullptr;
  size_t at = 0, handled = 0, peak_eh = 0;
  u64 peak_reserved = 0;
  std::string ended;
  for (int messages = 0; messages < 256 && size - at >= kHeaderSize; ++messages) {
    Header h = decode_header(data + at);
    // The transport's own rule: a size outside [32, remaining] ends the stream.
    if (h.size < kHeaderSize || h.size > size - at) break;
    std::vector<u8> payload(data + at + kHeaderSize, data + at + h.size);
    at += h.size;
    for (size_t i = 0; i + 8 <= payload.size(); ++i) {
      u64 v = 0;
      for (int b = 0; b < 8; ++b) v |= u64(payload[i + b]) << (8 * b);
      u64 r = resolve(v, symbols, ex);
      if (r != v)
        for (int b = 0; b < 8; ++b) payload[i + b] = u8(r >> (8 * b));
    }
    Executor::Reply reply = ex.handle(h.opcode, h.seq, resolve(h.tag, symbols, ex), payload);
    ++handled;
    peak_reserved = std::max(peak_reserved, ex.reserved_bytes());
    peak_eh = std::max(peak_eh, ex.eh_frame_count());
    if (verbose && reply.send && reply.op == Opcode::Result && reply.payload.size() >= 9 && reply.payload[0] == 1 &&
        h.tag != resolve(h.tag, symbols, ex)) {
      // An SPS Error carrying a message: say which, so a seed's path shows.
      SpsReader r(std::span<const u8>(reply.payload).subspan(1));
      std::string m;
      if (r.read_string(m) && m.find(':') != std::string::npos) fprintf(stderr, "remote-executor: error reply: %s\n", m.c_str());
    }
    if (reply.end) ended = reply.error.empty() ? "hangup" : reply.error;
    if (reply.send && reply.op != Opcode::Result && reply.op != Opcode::Hangup) abort();
    if (reply.send && reply.op == Opcode::Hangup && decode_hangup(reply.payload).ok()) abort();  // names why
    if (reply.end) break;
  }
  if (verbose)
    fprintf(stderr, "remote-executor: %zu messages handled, peak %llu bytes reserved, peak %zu EH frames, end: %s\n",
            handled, (unsigned long long)peak_reserved, peak_eh, ended.empty() ? "stream" : ended.c_str());
  ex.release_all();
  if (ex.reserved_bytes() != 0 || ex.allocation_count() != 0 || ex.eh_frame_count() != 0) abort();
  return 0;
}
