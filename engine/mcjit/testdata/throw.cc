// Exceptions in JIT code: thrown and caught inside, and thrown out to the host.
#include <stdexcept>
#include <string>

extern "C" int jit_throw(int x) {
  if (x > 0) throw std::runtime_error("boom " + std::to_string(x));
  return -x;
}

extern "C" int jit_catch_inside(int x) {
  try {
    return jit_throw(x);
  } catch (const std::runtime_error& e) {
    return 1000 + int(std::string(e.what()).size());
  }
}
