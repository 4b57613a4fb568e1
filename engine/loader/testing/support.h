// Test helpers: build objects at test time (llvm-mc-19 for assembly,
// clang-19 for C), read files, load with a PlainMemoryManager at fixed
// target addresses.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload {
class RuntimeDyld;
}

namespace jitload::testing {

// Runs a shell command; returns its exit status, output in *out if given.
int run(const std::string& cmd, std::string* out = nullptr);
// Assembles x86-64 AT&T assembly into an ELF object (empty on failure, with
// the assembler's complaint in *diag).
std::vector<u8> assemble(const std::string& source, std::string* diag = nullptr,
                         const std::string& triple = "x86_64-pc-linux-gnu");
// Compiles C (or C++ when cxx) with the given flags into an object.
std::vector<u8> compile(const std::string& source, const std::string& flags, bool cxx = false,
                        std::string* diag = nullptr);
std::string temp_dir();

// What loading malformed variants of an object came to: loaded (and then
// resolved), refused with an error, and refused with an empty message
// (which a test counts as a failure).
struct MutantOutcome {
  unsigned loaded = 0, refused = 0, unexplained = 0;
};
// `count` seeded mutants of `base`, one to four random bytes each changed
// (never at an offset `spared` keeps), each loaded into a fresh RuntimeDyld
// with a PlainMemoryManager and, if it loads, resolved. A crash or a
// sanitizer report is the caller's failure (the sanitize preset runs them).
MutantOutcome load_mutants(const std::vector<u8>& base, u64 seed, int count,
                           const std::function<bool(u64)>& spared = nullptr);
// Every byte of [0, end) of `base` set in turn to each of `values(byte)`,
// each variant loaded (not resolved).
// For the freestanding qemu runners (RISC-V, LoongArch tests): every section
// that is not thread-local placed at base + 64 KiB * its id, whose end
// (base + 64 KiB * the section count) the caller keeps below its TLS block.
Error map_sections_apart(RuntimeDyld& dyld, u64 base);
// The image such a runner reads on stdin: {address, size, bytes padded to 8}
// for every allocatable loaded section at its target address; the thread-
// local sections' initial images as one block at tls_block (each at its TP
// offset); the `extra` records (code standing in for external functions);
// then {0, 0}, the entry address and tls_block.
std::vector<u8> runner_image(const RuntimeDyld& dyld, u64 tls_block, u64 entry,
                             const std::vector<std::pair<u64, std::vector<u8>>>& extra);
MutantOutcome load_byte_variants(const std::vector<u8>& base, u64 end,
                                 const std::function<std::vector<u8>(u8)>& values);

}  // namespace jitload::testing
