// Thread-local variables in the loaded object (relaxed to local exec).
#include <stdio.h>

__thread int tls_counter = 5;
static __thread long tls_zero;

int bump(void) { return ++tls_counter; }

int main(void) {
  bump();
  tls_zero += 7;
  printf("tls_counter=%d tls_zero=%ld\n", tls_counter, tls_zero);
  return tls_counter == 6 && tls_zero == 7 ? 0 : 1;
}
