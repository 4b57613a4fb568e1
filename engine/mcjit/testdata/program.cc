// A C++ program for `jitload run`: iostream, containers, exceptions thrown
// and caught inside JIT code, a static object constructed before main and
// destroyed after it (through the engine's __cxa_atexit).
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>
struct Noisy {
  std::string name;
  explicit Noisy(std::string n) : name(std::move(n)) { std::cout << "construct " << name << "\n"; }
  ~Noisy() { std::cout << "destroy " << name << std::endl; }
};
static Noisy global_noisy("global");
static int parse(const std::string& s) {
  if (s.empty()) throw std::invalid_argument("empty");
  return std::stoi(s);
}
int main(int argc, char** argv) {
  std::vector<std::string> words = {"3", "", "x", "42"};
  std::map<std::string, int> seen;
  int sum = 0;
  for (auto& w : words) {
    try {
      sum += parse(w);
      seen[w]++;
    } catch (const std::invalid_argument& e) {
      std::cout << "caught " << e.what() << "\n";
    }
  }
  std::cout << "sum " << sum << " distinct " << seen.size() << "\n";
  return sum % 7;
}
