// Uses shared-def.c's variables from main and from a new thread: one
// variable per thread whatever the TLS model of each side.
#include <pthread.h>
#include <stdio.h>
extern __thread int shared;
extern __thread char shared_big[BIG];
int *shared_at(void);
char *shared_big_at(void);
static void *thread_main(void *arg) {
  printf("thread: shared=%d big=%d same=%d,%d\n", shared, shared_big[0], &shared == shared_at(),
         shared_big == shared_big_at());
  return 0;
}
int main(void) {
  shared += 10;
  shared_big[0] = 9;
  printf("main: shared=%d big=%d same=%d,%d\n", shared, shared_big[0], &shared == shared_at(),
         shared_big == shared_big_at());
  pthread_t t;
  pthread_create(&t, 0, thread_main, 0);
  pthread_join(t, 0);
  return 0;
}
