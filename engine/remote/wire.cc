#include "engine/remote/wire.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/remote/sps.h"

namespace jitload::remote {

const char* opcode_name(u64 opcode) {
  switch (opcode) {
    case 0: return "Setup";
    case 1: return "Hangup";
    case 2: return "Result";
    case 3: return "CallWrapper";
    default: return "unknown";
  }
}

static u64 get_le64(const u8* p) {
  u64 v = 0;
  for (int i = 0; i < 8; ++i) v |= u64(p[i]) << (8 * i);
  return v;
}
static void put_le64(u8* p, u64 v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<u8>(v >> (8 * i));
}

Header decode_header(const u8* b) {
  return Header{get_le64(b), get_le64(b + 8), get_le64(b + 16), get_le64(b + 24)};
}

void encode_header(u8* out, const Header& h) {
  put_le64(out, h.size);
  put_le64(out + 8, h.opcode);
  put_le64(out + 16, h.seq);
  put_le64(out + 24, h.tag);
}

// Waits until fd is ready for `events`, at most timeout_ms (0: forever).
// 0 when ready (or on an error poll reports: the read or write that follows
// says which), ETIMEDOUT, or another errno.
static int wait_for(int fd, short events, u32 timeout_ms) {
  if (timeout_ms == 0) return 0;
  for (;;) {
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, int(timeout_ms));
    if (r > 0) return 0;
    if (r == 0) return ETIMEDOUT;
    if (errno != EINTR) return errno;
  }
}

// Reads exactly n bytes. Returns the count read before EOF (< n) or -errno
// (-ETIMEDOUT: no byte for timeout_ms; *done_out holds the count read).
static i64 read_full(int fd, u8* p, size_t n, u32 timeout_ms, size_t* done_out) {
  size_t done = 0;
  while (done < n) {
    if (int w = wait_for(fd, POLLIN, timeout_ms)) {
      *done_out = done;
      return -w;
    }
    ssize_t r = ::read(fd, p + done, n - done);
    if (r == 0) break;
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return -errno;
    }
    done += size_t(r);
  }
  return i64(done);
}

// Writes all n bytes. With a timeout the descriptor is non-blocking for the
// duration (a blocking write of a large buffer would wait for the peer to
// read all of it, whatever poll said), and each wait for room is bounded.
static int write_full(int fd, const u8* p, size_t n, u32 timeout_ms) {
  // A small write once poll reports room (a pipe: a free page; a socket: a
  // third of its buffer) completes without blocking: no flag changes needed.
  if (timeout_ms && n <= 4096) {
    for (;;) {
      if (int e = wait_for(fd, POLLOUT, timeout_ms)) return e;
      ssize_t w = ::write(fd, p, n);
      if (w == ssize_t(n)) return 0;
      if (w >= 0) {  // partial (a signal, say): the rest through the general path
        p += w;
        n -= size_t(w);
        break;
      }
      if (errno != EINTR && errno != EAGAIN) return errno;
    }
  }
  int flags = -1;
  if (timeout_ms) {
    flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK)) (void)::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  }
  int result = 0;
  size_t done = 0;
  while (done < n) {
    ssize_t w = ::write(fd, p + done, n - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {  // no room: wait for some, bounded when a timeout is set
        if (timeout_ms) {
          if (int e = wait_for(fd, POLLOUT, timeout_ms)) {
            result = e;
            break;
          }
        } else {
          pollfd q{fd, POLLOUT, 0};
          (void)::poll(&q, 1, -1);
        }
        continue;
      }
      result = errno;
      break;
    }
    done += size_t(w);
  }
  if (flags >= 0 && !(flags & O_NONBLOCK)) (void)::fcntl(fd, F_SETFL, flags);
  return result;
}

// Every timeout message says the peer is "alive but" silent or not reading.
bool is_timeout(const Error& e) { return e && e.message().find(": it is alive but ") != std::string::npos; }

static std::string seconds(u32 ms) {
  return ms % 1000 ? format("%.1f s", ms / 1000.0) : format("%u s", ms / 1000);
}

Expected<std::optional<Message>> Channel::receive() {
  u8 head[kHeaderSize];
  size_t partial = 0;
  i64 r = read_full(in_, head, kHeaderSize, timeout_ms_, &partial);
  if (r == -ETIMEDOUT)
    return Error(ErrorKind::Io, std::string("the peer sent nothing for ") + seconds(timeout_ms_) +
                                    (partial ? format(" inside a message header (%zu of 32 bytes)", partial)
                                             : std::string(" while a message was awaited")) +
                                    ": it is alive but silent");
  if (r < 0) return Error(ErrorKind::Io, std::string("reading a message header: ") + strerror(int(-r)));
  if (r == 0) return std::optional<Message>();
  if (size_t(r) < kHeaderSize)
    return Error(ErrorKind::Io, "the peer closed the connection inside a message header (" +
                                    std::to_string(r) + " of 32 bytes)");
  Header h = decode_header(head);
  if (h.size < kHeaderSize || h.size > kMaxMessageSize)
    return Error(ErrorKind::Malformed, "message size " + std::to_string(h.size) +
                                           " is outside [32, " + std::to_string(kMaxMessageSize) + "]");
  Message m;
  m.opcode = h.opcode;
  m.seq = h.seq;
  m.tag = h.tag;
  // Grown as bytes arrive — 1 MiB, then doubling — never sized from the
  // header alone: a peer that announces a gigabyte and sends nothing costs
  // a megabyte, and a real payload costs at most one copy of itself.
  u64 want = h.size - kHeaderSize;
  size_t step = size_t(1) << 20;
  while (m.payload.size() < want) {
    size_t chunk = size_t(std::min<u64>(want - m.payload.size(), step));
    step = std::min<size_t>(step * 2, size_t(64) << 20);
    size_t at = m.payload.size();
    m.payload.resize(at + chunk);
    i64 got = read_full(in_, m.payload.data() + at, chunk, timeout_ms_, &partial);
    if (got == -ETIMEDOUT)
      return Error(ErrorKind::Io, std::string("the peer sent nothing for ") + seconds(timeout_ms_) +
                                      " inside a " + opcode_name(h.opcode) + " message (" +
                                      std::to_string(at + partial) + " of " + std::to_string(want) +
                                      " payload bytes): it is alive but silent");
    if (got < 0) return Error(ErrorKind::Io, std::string("reading a message: ") + strerror(int(-got)));
    if (size_t(got) < chunk)
      return Error(ErrorKind::Io, std::string("the peer closed the connection inside a ") +
                                      opcode_name(h.opcode) + " message (" +
                                      std::to_string(at + size_t(got)) + " of " + std::to_string(want) +
                                      " payload bytes)");
  }
  return std::optional<Message>(std::move(m));
}

Error Channel::send(Opcode op, u64 seq, u64 tag, std::span<const u8> payload) {
  if (out_ < 0) return Error(ErrorKind::Io, "sending on a closed connection");
  u8 head[kHeaderSize];
  encode_header(head, Header{kHeaderSize + payload.size(), u64(op), seq, tag});
  int e = write_full(out_, head, kHeaderSize, timeout_ms_);
  if (!e) e = write_full(out_, payload.data(), payload.size(), timeout_ms_);
  if (e == ETIMEDOUT)
    return Error(ErrorKind::Io, std::string("the peer read nothing for ") + seconds(timeout_ms_) +
                                    " while a " + opcode_name(u64(op)) + " message of " +
                                    std::to_string(kHeaderSize + payload.size()) +
                                    " bytes was sent: it is alive but not reading");
  if (e) return Error(ErrorKind::Io, std::string("sending: ") + strerror(e));
  return Error::success();
}

void Channel::close() {
  if (in_ >= 0) {
    ::shutdown(in_, SHUT_RDWR);  // a socket: wakes a blocked reader; a pipe: ENOTSOCK, harmless
    ::close(in_);
  }
  if (out_ >= 0 && out_ != in_) ::close(out_);
  in_ = out_ = -1;
}

std::vector<u8> hangup_payload(std::string_view error_message) {
  SpsWriter w;
  if (error_message.empty()) {
    w.boolean(false);
  } else {
    w.error_message(error_message);
  }
  return w.take();
}

Error decode_hangup(std::span<const u8> payload) {
  SpsReader r(payload);
  bool has_error = false;
  std::string message;
  if (!r.read_bool(has_error) || (has_error && !r.read_string(message)))
    return Error(ErrorKind::Malformed, "the peer hung up with an undecodable payload");
  if (has_error) return Error(ErrorKind::Io, message);
  return Error::success();
}

}  // namespace jitload::remote
