// A 16 MiB TLS block (.tdata and .tbss of 16 MiB each), in two threads.
#include <pthread.h>
#include <stdio.h>
#define N (16 * 1024 * 1024)
__thread char big[N] = {1, 2, 3};
__thread char big_zero[N];
static void show(const char *who) {
  printf("%s: %d %d %d %d %d\n", who, big[0], big[1], big[2], big[N - 1], big_zero[N - 1]);
  big[0] += 10;
  big[N - 1] = 9;
  big_zero[N - 1] = 7;
}
static void *thread_main(void *arg) {
  show("thread");
  return 0;
}
int main(void) {
  show("main");
  pthread_t t;
  pthread_create(&t, 0, thread_main, 0);
  pthread_join(t, 0);
  show("main");
  return 0;
}
