// Globals (initialised, zeroed, read-only, common-style), function
// pointers in data, a qsort callback from libc back into loaded code.
#include <stdio.h>
#include <stdlib.h>

static int counter;
int table[8] = {5, 3, 8, 1, 9, 2, 7, 4};
const char* const names[] = {"zero", "one", "two", "three"};
static int twice(int x) { return 2 * x; }
static int square(int x) { return x * x; }
int (*ops[])(int) = {twice, square};

static int cmp(const void* a, const void* b) { return *(const int*)a - *(const int*)b; }

int main(void) {
  qsort(table, 8, sizeof table[0], cmp);
  long sum = 0;
  for (int i = 0; i < 8; i++) sum = sum * 10 + table[i];
  for (int i = 0; i < 2; i++) counter += ops[i](i + 3);
  printf("sorted=%ld counter=%d name=%s\n", sum, counter, names[counter % 4]);
  return sum == 12345789 && counter == 22 ? 0 : 1;
}
