// The structure-aware mutation of object-structure and of the campaign's
// mutants, one mutator per object format, found through one registry keyed
// by the object's own magic (kFormats in mutate.cc; call sites never ask
// which format it is):
//   ELF    (mutate.cc) parses the object in place — ELF32 or ELF64, either
//          byte order, REL or RELA, through fuzz/arch/elf-layout.h — and
//          changes one thing that matters to a loader: a relocation's type
//          (one of the object's own machine's types, fuzz/arch/invariants.h),
//          symbol, offset or addend; a section's size, flags or alignment; a
//          symbol's value, section, binding or size; a byte of a name.
//   Mach-O (mutate-macho.cc, fuzz/arch/macho-layout.h) load commands
//          (count, size, order, duplicates, ids), segments and sections
//          (offsets, sizes, alignment, type and attributes, names), symbols
//          (n_type, n_sect, n_desc, n_value, n_strx), relocation entries
//          (r_type from the CPU's own types, r_length, r_pcrel, r_extern,
//          r_symbolnum, r_address; scattered entries) and pairs (a
//          SUBTRACTOR made, broken, reordered or duplicated).
// The rest of the file is left intact, so most mutants still parse and
// reach relocation processing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

namespace jitload::fuzz {

struct FormatMutator {
  const char* name;  // "ELF", "Mach-O"
  bool (*recognises)(const uint8_t* data, size_t size);
  // One mutation in place; false when nothing could be mutated.
  bool (*mutate)(uint8_t* data, size_t size, std::mt19937_64& rng);
  // Of every 8 of `jitload campaign`'s mutants of an object of this format,
  // how many are structure mutants (the rest change 1-4 bytes). 0 for ELF:
  // its campaign throughput and findings were measured with byte mutants.
  unsigned campaign_eighths;
};

// The mutator of the object's format, or nullptr.
const FormatMutator* format_mutator(const uint8_t* data, size_t size);

// One structure mutation through the object's format's mutator. False when
// nothing could be mutated (no format this understands, or no table of the
// chosen kind).
bool mutate_structure(uint8_t* data, size_t size, std::mt19937_64& rng);

// The formats' mutators (exposed for their tests).
bool mutate_elf(uint8_t* data, size_t size, std::mt19937_64& rng);
bool mutate_macho(uint8_t* data, size_t size, std::mt19937_64& rng);

}  // namespace jitload::fuzz
