#include <cstdlib>

#include "trace.h"

static Traced b_global("b global");
thread_local Traced b_tls("b thread_local");
__attribute__((destructor)) static void b_fini() { std::printf("fini_array b\n"); std::fflush(stdout); }
static void b_at_exit() { std::printf("atexit b\n"); std::fflush(stdout); }

const char* b_touch() {
  static Traced s("b function-local");
  std::atexit(b_at_exit);
  return s.name;
}
const char* b_thread() { return b_tls.name; }
