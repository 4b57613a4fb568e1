// Static constructors and destructors of every kind a C++ front end emits:
// a prioritized constructor (.init_array.00101), a global object (its
// constructor in .init_array, its destructor through __cxa_atexit), a C
// atexit handler, and a destructor function (.fini_array).
#include <cstdlib>

extern "C" void host_record(int event);

namespace {

struct Tracker {
  int id;
  explicit Tracker(int i) : id(i) { host_record(i); }
  ~Tracker() { host_record(-id); }
};

void at_exit_handler() { host_record(-50); }

__attribute__((constructor(101))) void early() {
  host_record(1);
  std::atexit(at_exit_handler);
}

Tracker tracker(2);

__attribute__((destructor)) void late() { host_record(-100); }

}  // namespace

extern "C" int tracker_id() { return tracker.id; }
