// Defines a thread-local variable another object uses.
__thread int shared = 7;
__thread char shared_big[BIG] = {3};
int *shared_at(void) { return &shared; }
char *shared_big_at(void) { return shared_big; }
