// The structure-aware mutation of object-structure (and of the campaign's
// mutants): parses the ELF object in place — ELF32 or ELF64, either byte
// order, REL or RELA, through fuzz/arch/elf-layout.h — and changes one
// thing that matters to a loader: a relocation's type (one of the object's
// own machine's types, fuzz/arch/invariants.h), symbol, offset or addend; a
// section's size, flags or alignment; a symbol's value, section, binding or
// size; a byte of a name. The rest of the file is left intact, so most
// mutants still parse and reach relocation processing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

namespace jitload::fuzz {

// False when nothing could be mutated (not an ELF object this understands,
// or no table of the chosen kind).
bool mutate_structure(uint8_t* data, size_t size, std::mt19937_64& rng);

}  // namespace jitload::fuzz
