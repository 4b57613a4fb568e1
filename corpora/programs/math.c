// libm, floating point constants from .rodata, a switch jump table.
#include <math.h>
#include <stdio.h>

static const char* classify(int n) {
  switch (n % 7) {
    case 0: return "zero"; case 1: return "one"; case 2: return "two"; case 3: return "three";
    case 4: return "four"; case 5: return "five"; default: return "six";
  }
}

int main(void) {
  double acc = 0;
  for (int i = 1; i <= 100; i++) acc += sqrt((double)i) * sin(i * 0.1);
  printf("acc=%.6f class=%s\n", acc, classify((int)fabs(acc)));
  return 0;
}
