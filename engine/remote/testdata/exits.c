// Ends the executor itself: exit() with a status that is not main's.
#include <stdio.h>
#include <stdlib.h>
int main(void) {
  printf("exiting with 3\n");
  fflush(stdout);
  exit(3);
}
