// Data relocations across sections, a read-only table, a writable counter,
// a call into libc, and main's status: the load must be exact to print this.
#include <stdio.h>
#include <string.h>
static const char* const words[] = {"alpha", "beta", "gamma"};
int counter = 40;
static int bump(int by) { return counter += by; }
int main(int argc, char** argv) {
  for (int i = 0; i < 3; i++) printf("%s:%zu ", words[i], strlen(words[i]));
  printf("argc=%d last=%s\n", argc, argc > 0 ? argv[argc - 1] : "(none)");
  fflush(stdout);
  return bump(2);
}
