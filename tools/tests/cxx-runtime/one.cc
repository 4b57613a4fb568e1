// One object: a static object, a function-local static, a thread_local
// object in the main thread and in a second thread, an atexit handler, a
// constructor and a destructor function (.init_array/.fini_array). Exits
// with exit() when given an argument, which must end the program the same.
#include <cstdlib>
#include <thread>

#include "trace.h"

static Traced global_one("global one");
thread_local Traced per_thread("thread_local one");

static Traced& local_static() {
  static Traced s("function-local one");
  return s;
}

static void at_exit_one() { std::printf("atexit one\n"); std::fflush(stdout); }

__attribute__((constructor)) static void init_one() { std::printf("init_array one\n"); std::fflush(stdout); }
__attribute__((destructor)) static void fini_one() { std::printf("fini_array one\n"); std::fflush(stdout); }

int main(int argc, char** argv) {
  std::printf("main starts\n");
  local_static();
  std::atexit(at_exit_one);
  std::thread t([] { std::printf("second thread sees %s\n", per_thread.name); std::fflush(stdout); });
  t.join();
  std::printf("main sees %s\n", per_thread.name);
  static Traced late("function-local late");
  std::fflush(stdout);
  if (argc > 1) std::exit(3);
  return 7;
}
