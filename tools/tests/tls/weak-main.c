// The first of two objects defining the weak thread-local `shared`: this
// one's definition is the program's (first weak wins). weak-ld.c, compiled
// for local-dynamic access, reaches `shared` and its own `own` through one
// __tls_get_addr(module, 0) call: the loader must add the distance between
// the two objects' blocks (tls-test.sh, part 5).
#include <pthread.h>
#include <stdio.h>

#ifndef BIG
#define BIG 4
#endif
__attribute__((weak)) __thread long shared[BIG] = {101, 102, 103, 104};

void ld_show(const char* who, long** where);

static void show(const char* who) {
  long* seen[2];
  printf("%s: main sees shared=%ld %ld\n", who, shared[0], shared[3]);
  shared[0] += 10;
  ld_show(who, seen);
  printf("%s: same address: %s\n", who, seen[0] == &shared[0] ? "yes" : "no");
}

static void* thread_main(void* arg) {
  show((const char*)arg);
  return 0;
}

int main(void) {
  show("main");
  show("main again");
  pthread_t t;
  if (pthread_create(&t, 0, thread_main, (void*)"thread") != 0) return 2;
  pthread_join(t, 0);
  show("main last");
  return 0;
}
