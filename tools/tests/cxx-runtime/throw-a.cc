// Exceptions through JIT frames that registered static destructors: thrown
// in JIT code (throw-b.cc) and caught two frames up, and thrown by the host
// (libstdc++'s std::stoi) through JIT frames.
#include <stdexcept>
#include <string>

#include "trace.h"

int b_parse(const char* text);  // throw-b.cc: throws on negative numbers
int b_depth(int n);

static Traced a_global("a global");

static int through_here(const char* text) {
  static Traced local("a function-local");  // registered before the throw passes
  Traced frame("a frame object");
  return b_parse(text);
}

int main() {
  for (const char* text : {"12", "-3", "xyz"}) {
    try {
      std::printf("parsed %d\n", through_here(text));
    } catch (const std::invalid_argument& e) {
      std::printf("caught invalid_argument from the host: %s\n", e.what());
    } catch (const std::runtime_error& e) {
      std::printf("caught runtime_error from JIT code: %s\n", e.what());
    }
    std::fflush(stdout);
  }
  try {
    b_depth(3);
  } catch (int n) {
    std::printf("caught int %d\n", n);
  }
  return 0;
}
