#include <stdio.h>
// A hidden extern thread_local: its wrapper _ZTW2tv tests the weak undefined
// init function _ZTH2tv with a PC-relative lea (hidden: assumed near).
extern __attribute__((visibility("hidden"))) thread_local long tv;
int main() { printf("%ld\n", tv); return 0; }
