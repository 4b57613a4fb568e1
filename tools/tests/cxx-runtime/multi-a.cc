// Three objects, each with its own static, function-local and thread_local
// objects; main here. Linked natively as a.o b.o c.o.
#include <cstdlib>
#include <thread>

#include "trace.h"

const char* b_touch();  // multi-b.cc
const char* c_touch();  // multi-c.cc
const char* b_thread();
const char* c_thread();

static Traced a_global("a global");
thread_local Traced a_thread("a thread_local");

static void a_at_exit() { std::printf("atexit a\n"); std::fflush(stdout); }
__attribute__((destructor)) static void a_fini() { std::printf("fini_array a\n"); std::fflush(stdout); }

int main(int argc, char** argv) {
  std::atexit(a_at_exit);
  std::printf("main: %s, %s\n", b_touch(), c_touch());
  std::thread t([] {
    std::printf("thread: %s, %s, %s\n", c_thread(), a_thread.name, b_thread());
    std::fflush(stdout);
  });
  t.join();
  std::printf("main thread: %s, %s\n", b_thread(), a_thread.name);
  std::fflush(stdout);
  if (argc > 1) std::exit(5);
  return 0;
}
