// Every event prints one line, flushed, so output order is event order.
#pragma once
#include <cstdio>

struct Traced {
  const char* name;
  explicit Traced(const char* n) : name(n) { std::printf("construct %s\n", name); std::fflush(stdout); }
  ~Traced() { std::printf("destroy %s\n", name); std::fflush(stdout); }
};
