// remote-client: raw bytes as the executor's side of a SimpleRemoteEPC
// session (its Setup, then its replies), read by jitload's controller
// (RemoteSession + RemoteMemoryManager) while it does what `jitload run
// -remote-mcjit` does: reserve, allocate sections, map them, register an EH
// frame, finalize, look a symbol up, run main, deallocate. Every step may
// fail; a crash, a sanitizer report or a hang is a finding. The bytes come
// from a memfd (the controller reads it like a pipe; EOF is the executor's
// death), what the controller sends goes to /dev/null.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "engine/remote/client.h"
#include "engine/remote/memory-manager.h"

using namespace jitload;
using namespace jitload::remote;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int in = memfd_create("remote-client-fuzz", MFD_CLOEXEC);
  int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (in < 0 || out < 0) abort();
  for (size_t done = 0; done < size;) {
    ssize_t w = write(in, data + done, size - done);
    if (w <= 0) abort();
    done += size_t(w);
  }
  lseek(in, 0, SEEK_SET);
  auto session = RemoteSession::attach(in, out);
  if (!session) return 0;  // attach closed both on failure
  RemoteSession& s = **session;
  {
    RemoteMemoryManager mm(s);
    if (!mm.reserve_allocation_space(64, 16, 32, 8, 32, 8)) {
      u8* code = mm.allocate_code_section(64, 16, 0, ".text");
      u8* eh = mm.allocate_data_section(32, 8, 1, ".eh_frame", true);
      u8* rw = mm.allocate_data_section(32, 8, 2, ".data", false);
      if (code) memset(code, 0xc3, 64);
      if (rw) memset(rw, 1, 32);
      // A thread-local section: asks the executor only when its Setup offers
      // jitload's TLS service (the tls-session seed does), else refused here.
      if (Expected<TlsSection> tls = mm.allocate_tls_section(16, 8, 3, ".tdata", TlsAbi{}))
        memset(tls->init_image, 2, 16);
      u64 eh_target = 0;
      (void)mm.map_pending([&](const void* local, u64 target) {
        if (local == eh) eh_target = target;
        return Error::success();
      });
      if (eh) mm.register_eh_frames(eh, eh_target, 28);
      (void)mm.finalize_memory();
    }
    (void)mm.find_symbol("puts");
    std::string arg = "prog";
    (void)s.run_as_main(0x1000, std::span<const std::string>(&arg, 1));
  }  // ~RemoteMemoryManager deallocates (if the session still stands)
  if (getenv("JITLOAD_FUZZ_VERBOSE"))
    fprintf(stderr, "remote-client: %llu round trips, session %s\n", (unsigned long long)s.stats().round_trips,
            s.alive() ? "alive" : "failed");
  s.disconnect();
  return 0;
}
