// Calls into libc, string literals, argc/argv.
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  printf("hello from jitload: %d argument(s)\n", argc - 1);
  for (int i = 1; i < argc; i++) printf("  argv[%d] = %s (%zu chars)\n", i, argv[i], strlen(argv[i]));
  return 0;
}
