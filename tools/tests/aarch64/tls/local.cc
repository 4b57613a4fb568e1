// C++ thread_local: a variable with a dynamic initialiser and a destructor
// (the TLS wrapper and guard, __cxa_thread_atexit), a constant-initialised
// one and a std::string, in the main thread and in a thread created after
// the load; each thread constructs and destroys its own copies.
#include <cstdio>
#include <string>
#include <thread>

static int next_id = 0;
struct Tracker {
  int id;
  Tracker() : id(++next_id) { std::printf("construct %d\n", id); }
  ~Tracker() { std::printf("destroy %d\n", id); }
};
thread_local Tracker tracker;
thread_local int plain = 17;
thread_local std::string text = "tls-" + std::to_string(40 + 2);

static void show(const char* who) {
  std::printf("%s: tracker=%d plain=%d text=%s\n", who, tracker.id, plain, text.c_str());
  plain += 5;
  text += "!";
}

int main() {
  show("main");
  std::thread t([] {
    show("thread");
    show("thread");
  });
  t.join();
  show("main");
  return 0;
}
