// mix-a.c's other object: an initialised and a zero thread-local variable
// used from both objects, and a .tdata pointer to a string (a relocated word).
__thread int b_counter = 100;
__thread const char *b_name = "b-object";
static __thread int b_calls;
int b_bump(int by) {
  b_calls++;
  b_counter += by;
  return b_calls;
}
