// The plain replay driver: runs every file of the given files/directories
// (recursively) through LLVMFuzzerTestOneInput once. Used by CI to replay
// seed and regression corpora without libFuzzer. A finding aborts, so the
// test fails with the input's name printed just before.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

static bool run_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", p.c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::fprintf(stderr, "replay: %s (%zu bytes)\n", p.c_str(), bytes.size());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return true;
}

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  size_t count = 0;
  bool ok = true;
  for (int i = 1; i < argc; i++) {
    std::filesystem::path p = argv[i];
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::filesystem::path> files;
      for (auto& e : std::filesystem::recursive_directory_iterator(p, ec))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.' && e.path().filename() != "README")
          files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (auto& f : files) ok &= run_file(f), count++;
    } else if (std::filesystem::exists(p, ec)) {
      ok &= run_file(p), count++;
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", p.c_str());
      ok = false;
    }
  }
  std::printf("replay: %zu inputs, no findings\n", count);
  return ok ? 0 : 1;
}
