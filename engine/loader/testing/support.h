// Test helpers: build objects at test time (llvm-mc-19 for assembly,
// clang-19 for C), read files, load with a PlainMemoryManager at fixed
// target addresses.
#pragma once

#include <string>
#include <vector>

#include "engine/loader/core/base.h"

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

}  // namespace jitload::testing
