// Static construction and destruction around main, in the executor: a
// global object (constructor from .init_array, destructor through
// __cxa_atexit), a prioritized constructor, and a function-local static.
#include <cstdio>

struct Noisy {
  const char* name;
  explicit Noisy(const char* n) : name(n) { std::printf("construct %s\n", name); }
  ~Noisy() { std::printf("destroy %s\n", name); }
};

Noisy global("global");
__attribute__((constructor(101))) static void early() { std::printf("early constructor\n"); }

static Noisy& local() {
  static Noisy l("local");
  return l;
}

int main() {
  std::printf("main sees %s and %s\n", global.name, local().name);
  return 0;
}
