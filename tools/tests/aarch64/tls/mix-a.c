// Thread-local variables of two objects (this one and mix-b.c) seen by the
// main thread and by three threads created after the load: an over-aligned
// .tdata variable, a 12 KiB .tbss array, a thread-local pointer to a
// function and one to another object's thread-local variable (relocated
// .tdata words), each thread's own copy.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

__thread long aligned_word __attribute__((aligned(64))) = 0x1234;
__thread long zero_table[1536];
extern __thread int b_counter;
extern __thread const char *b_name;
int b_bump(int by);
static int twice(int v) { return 2 * v; }
static __thread int (*fn)(int) = twice;

static void report(const char *who, int id) {
  long sum = 0;
  for (int i = 0; i < 1536; i++) sum += zero_table[i];
  printf("%s %d: aligned=%d word=%lx sum=%ld fn=%d b=%d name=%s\n", who, id,
         (int)(((uintptr_t)&aligned_word & 63) == 0), aligned_word, sum, fn(id), b_counter, b_name);
  aligned_word += id;
  zero_table[id * 100] = id + 1;
  b_bump(id + 1);
}

static void *thread_main(void *arg) {
  int id = (int)(intptr_t)arg;
  report("thread", id);
  report("thread", id);
  return 0;
}

int main(void) {
  report("main", 0);
  for (int i = 1; i <= 3; i++) {  // one after another: the output's order is fixed
    pthread_t t;
    if (pthread_create(&t, 0, thread_main, (void *)(intptr_t)i) != 0) return 2;
    pthread_join(t, 0);
  }
  report("main", 0);
  return 0;
}
