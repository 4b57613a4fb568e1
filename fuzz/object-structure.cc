// object-structure: the object-bytes checks (engine invariants and engine
// vs reference) driven by a structure-aware mutator (fuzz/mutate.h, the
// object's format's: ELF32 and ELF64, either byte order, REL and RELA;
// Mach-O load commands, sections, symbols, relocation entries and pairs;
// the object's own machine's relocation types). One mutation in eight is
// libFuzzer's own byte-level one.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <iterator>
#include <random>
#include <vector>

#include "fuzz/harness.h"
#include "fuzz/mutate.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jitload::fuzz::run_object_input("object-structure", data, size);
  return 0;
}

#ifndef JITLOAD_FUZZ_NO_MUTATOR
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  std::mt19937_64 rng(seed);
  if (rng() % 8 == 0) return LLVMFuzzerMutate(data, size, max_size);
  unsigned rounds = 1 + rng() % 3;
  bool any = false;
  for (unsigned i = 0; i < rounds; i++) any |= jitload::fuzz::mutate_structure(data, size, rng);
  return any ? size : LLVMFuzzerMutate(data, size, max_size);
}
#endif
