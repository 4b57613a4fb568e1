// A fatal signal in JIT'd code, in the executor.
#include <stdio.h>
int main(void) {
  printf("before the fault\n");
  fflush(stdout);
  volatile int* p = 0;
  return *p;
}
