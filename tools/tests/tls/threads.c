// Thread-local variables seen by the main thread and by a thread created
// after the load: .tdata's initial values, .tbss's zeros, one address per
// thread, the same address through every access path of one thread.
#include <pthread.h>
#include <stdio.h>

__thread int counter = 5;
__thread long table[4] = {11, 12, 13, 14};
static __thread int hidden = 42;
__thread int zeroed;
static int plain = 3;
static __thread int *plain_pointer = &plain;  // a relocated .tdata word

int *counter_at(void) { return &counter; }

static void report(const char *who) {
  printf("%s: counter=%d table=%ld,%ld hidden=%d zeroed=%d pointer=%d same=%d\n", who, counter, table[0], table[3],
         hidden, zeroed, plain_pointer == &plain && *plain_pointer == 3, counter_at() == &counter);
  counter++;
  hidden += 2;
  zeroed += 3;
}

static void *thread_main(void *arg) {
  report("thread");
  report("thread");
  *(int **)arg = &counter;
  return 0;
}

int main(void) {
  report("main");
  int *other = 0;
  pthread_t t;
  if (pthread_create(&t, 0, thread_main, &other) != 0) return 2;
  pthread_join(t, 0);
  report("main");
  printf("distinct addresses: %d\n", other != 0 && other != &counter);
  return 0;
}
