// Static constructors and destructors through .init_array / .fini_array.
#include <stdio.h>

static int initialised;
__attribute__((constructor)) static void setup(void) { initialised = 42; }
__attribute__((destructor)) static void teardown(void) { printf("destructor ran\n"); }

int main(void) {
  printf("constructor set %d\n", initialised);
  return initialised == 42 ? 0 : 1;
}
