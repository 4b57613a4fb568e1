#include "trace.h"

static Traced c_first("c global 1");
static Traced c_second("c global 2");
thread_local Traced c_tls("c thread_local");

const char* c_touch() {
  static Traced s("c function-local");
  return s.name;
}
const char* c_thread() { return c_tls.name; }
