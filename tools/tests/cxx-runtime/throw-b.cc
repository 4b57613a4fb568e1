#include <stdexcept>
#include <string>

#include "trace.h"

static Traced b_global("b global");

int b_parse(const char* text) {
  static Traced local("b function-local");
  int n = std::stoi(text);  // the host throws std::invalid_argument on "xyz"
  if (n < 0) throw std::runtime_error("negative: " + std::to_string(n));
  return n;
}

int b_depth(int n) {
  Traced frame(n == 0 ? "b frame 0" : n == 1 ? "b frame 1" : n == 2 ? "b frame 2" : "b frame 3");
  if (n == 0) throw 42;
  return b_depth(n - 1) + 1;
}
