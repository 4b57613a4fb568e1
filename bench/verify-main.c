/* Linked natively with each generated object: writes bench_entry(5) to the
   file named by argv[1], the value every loader's load must reproduce. */
#include <stdio.h>

int bench_entry(int seed);

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *out = fopen(argv[1], "w");
  if (!out) return 1;
  fprintf(out, "%d\n", bench_entry(5));
  return fclose(out) != 0;
}
