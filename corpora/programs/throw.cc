// C++ exceptions: thrown and caught inside loaded code, and across a libc++
// callback boundary. Needs .eh_frame registered with the host unwinder.
#include <cstdio>
#include <stdexcept>
#include <string>

static int depth(int n) {
  if (n == 0) throw std::runtime_error("bottom reached");
  return depth(n - 1) + 1;
}

int main() {
  try {
    depth(10);
  } catch (const std::exception& e) {
    std::printf("caught: %s\n", e.what());
    return 0;
  }
  return 1;
}
