// The object reducer: shrinks an ELF object (ELF32 or ELF64, either byte
// order, REL or RELA: fuzz/arch/elf-layout.h) or a Mach-O one (either
// class: fuzz/arch/macho-layout.h) while a finding still reproduces, so a
// campaign finding comes with a small reproducer next to the original.
// Greedy, in passes, each keeping every step the predicate accepts:
//   1. relocation entries removed (later entries moved down, the table's
//      length shrunk: ELF sh_size, Mach-O nreloc), in halving chunks;
//   2. symbol table entries made neutral, in halving chunks: ELF (index 0
//      stays) keeps only st_shndx = SHN_ABS — an all-zero entry is a local
//      undefined symbol, which the loaders refuse, so a finding would
//      rarely survive it (a local absolute 0 is the closest to "no
//      symbol"); Mach-O gets the same, n_type N_ABS and all else 0;
//   3. byte ranges of section contents zeroed, in halving chunks.
// The passes repeat while one of them made progress and time is left.
// The object is never parsed beyond bounds-checked header reads: a
// malformed input simply offers fewer steps; another format offers none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace jitload::fuzz {

// True when the candidate still shows the finding.
using ReducePredicate = std::function<bool(const std::vector<uint8_t>&)>;

struct ReduceStats {
  unsigned tries = 0;               // predicate calls
  unsigned kept = 0;                // steps that still reproduced
  unsigned relocations_removed = 0;
  unsigned symbols_zeroed = 0;
  uint64_t bytes_zeroed = 0;
  bool timed_out = false;           // stopped by the time budget
};

std::vector<uint8_t> reduce_object(std::vector<uint8_t> object, const ReducePredicate& still_fails, double seconds,
                                   ReduceStats* stats = nullptr);

// What a finding looks like, as a string two inputs share when they show the
// same finding: runs in a child process (see child_signature).
using SignatureFn = std::function<std::string(const std::vector<uint8_t>&)>;

// Runs fn(input) in a forked child with a time limit. Returns what fn
// returned, "signal N" if the child died by a signal, "timeout" if it ran
// out of time, "exit N" if it exited without answering.
std::string child_signature(const SignatureFn& fn, const std::vector<uint8_t>& input, int timeout_ms);

// The signature of the object targets' checks (check_object, then
// compare_loaders): "" when nothing is wrong, "invariant: ..." for an
// engine invariant, "disagree: ..." (the kind of difference, no numbers)
// for an engine/reference disagreement.
std::string object_finding_signature(const std::vector<uint8_t>& input);

// A predicate: child_signature(object_finding_signature) equals `want`.
ReducePredicate same_finding(std::string want, int timeout_ms = 2000);

}  // namespace jitload::fuzz
