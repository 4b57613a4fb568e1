// jitload-executor: runs JIT'd code for a controller in another process,
// over LLVM 19's SimpleRemoteEPC protocol (engine/remote/executor.h).
//
//   jitload-executor IN-FD OUT-FD          inherited descriptors, as
//                                          `lli -remote-mcjit` passes them
//   jitload-executor --listen=PORT         one controller over TCP on
//                                          127.0.0.1 (PORT 0: any; the port
//                                          chosen is printed on stdout)
//   jitload-executor filedescs=IN,OUT | listen=HOST:PORT
//                                          llvm-jitlink-executor's forms (HOST
//                                          is ignored: always 127.0.0.1)
//   [--memory-limit=BYTES]                 total reservation cap (4 GiB)
//   [--timeout=SECONDS]                    how long to wait for the
//                                          controller's next bytes (and for
//                                          it to read ours) before ending the
//                                          session with an error (default
//                                          300; 0: forever). The controller
//                                          compiles between requests, so the
//                                          bound is generous; it never applies
//                                          while the program runs.
//
// Exit status: 0 after the controller's Hangup, 1 on a session error (the
// reason on stderr; a silent controller is one). A program that calls exit() ends the executor with
// that status; a fatal signal in it is reported to the controller and then
// ends the executor with that signal.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "engine/remote/executor.h"

using namespace jitload;
using namespace jitload::remote;

static bool parse_u64(const char* s, u64& out) {
  if (!*s) return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end) return false;
  out = v;
  return true;
}

static int usage() {
  fprintf(stderr,
          "usage: jitload-executor IN-FD OUT-FD [--memory-limit=BYTES] [--timeout=SECONDS]\n"
          "       jitload-executor --listen=PORT [--memory-limit=BYTES] [--timeout=SECONDS]   (TCP, 127.0.0.1 only)\n"
          "  --timeout: seconds to wait for a silent controller (default 300, 0: forever)\n");
  return 2;
}

int main(int argc, char** argv) {
  ExecutorOptions options;
  u64 timeout_seconds = 300;
  std::string listen_port;
  std::vector<const char*> positional;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--listen=", 0) == 0) {
      listen_port = a.substr(9);
    } else if (a.rfind("--memory-limit=", 0) == 0) {
      if (!parse_u64(argv[i] + 15, options.memory_limit)) return usage();
    } else if (a.rfind("--timeout=", 0) == 0) {
      if (!parse_u64(argv[i] + 10, timeout_seconds) || timeout_seconds > 24 * 3600) return usage();
    } else if (a.rfind("filedescs=", 0) == 0 && a.find(',') != std::string::npos) {
      // llvm-jitlink-executor's form, as `llvm-jitlink -oop-executor=` passes it.
      static std::string in, out;
      in = a.substr(10, a.find(',') - 10);
      out = a.substr(a.find(',') + 1);
      positional.push_back(in.c_str());
      positional.push_back(out.c_str());
    } else if (a.rfind("listen=", 0) == 0 && a.rfind(':') != std::string::npos) {
      listen_port = a.substr(a.rfind(':') + 1);  // llvm-jitlink-executor's form; the host is always 127.0.0.1
    } else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else {
      positional.push_back(argv[i]);
    }
  }

  int in_fd = -1, out_fd = -1;
  if (!listen_port.empty()) {
    u64 port = 0;
    if (!positional.empty() || !parse_u64(listen_port.c_str(), port) || port > 65535) return usage();
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(u16(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only: the protocol runs code for whoever connects
    if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(s, 1) != 0) {
      fprintf(stderr, "jitload-executor: cannot listen on 127.0.0.1:%s: %s\n", listen_port.c_str(), strerror(errno));
      return 1;
    }
    socklen_t len = sizeof addr;
    getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
    printf("jitload-executor: listening on 127.0.0.1:%u\n", unsigned(ntohs(addr.sin_port)));
    fflush(stdout);
    int c = accept4(s, nullptr, nullptr, SOCK_CLOEXEC);
    close(s);
    if (c < 0) {
      fprintf(stderr, "jitload-executor: accept: %s\n", strerror(errno));
      return 1;
    }
    in_fd = out_fd = c;
  } else {
    u64 a = 0, b = 0;
    if (positional.size() != 2 || !parse_u64(positional[0], a) || !parse_u64(positional[1], b) || a > 1 << 20 ||
        b > 1 << 20)
      return usage();
    in_fd = int(a);
    out_fd = int(b);
    if (fcntl(in_fd, F_GETFD) < 0 || fcntl(out_fd, F_GETFD) < 0) {
      fprintf(stderr, "jitload-executor: file descriptor %d or %d is not open\n", in_fd, out_fd);
      return 1;
    }
  }

  // Never destroyed: exit() runs the program's exit handlers (its
  // __cxa_atexit destructors, atexit functions) while its code is mapped.
  Executor& executor = *new Executor(options);
  Channel channel(in_fd, out_fd);
  channel.set_timeout_ms(u32(timeout_seconds * 1000));
  Error e = serve(executor, channel);
  channel.close();
  if (e) {
    fprintf(stderr, "jitload-executor: %s\n", e.message().c_str());
    exit(1);
  }
  exit(0);
}
