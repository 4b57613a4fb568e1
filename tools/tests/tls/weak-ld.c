// The second, losing weak definition of `shared`, protected so that the
// compiler treats it as this object's own and (with -fPIC
// -ftls-model=local-dynamic) reaches it, and the object's own `own`, with
// local-dynamic code: one __tls_get_addr(module, 0), then a DTPOFF each.
// -DONLY_SHARED: `shared` only (all its local-dynamic code names one module).
#include <stdio.h>

__attribute__((weak, visibility(VIS))) __thread long shared[2] = {901, 902};
static __thread long own[3] = {71, 72, 73};

__attribute__((noinline)) void ld_show(const char* who, long** seen) {
#ifdef ONLY_SHARED
  printf("%s: ld sees shared=%ld\n", who, shared[0]);
  seen[1] = 0;
#else
  printf("%s: ld sees shared=%ld own=%ld %ld\n", who, shared[0], own[0], own[2]);
  own[0] += 100;
  seen[1] = &own[0];
#endif
  shared[0] += 1;
  seen[0] = &shared[0];
}
