// The `jitload` executable links no LLVM: `load`, `exec`, `diff`, most of
// `rtdyld`, `campaign`, `coverage` and `bench` start without mapping
// libLLVM (~13 ms of dynamic loading and ~50 MB of resident memory before
// main). What needs LLVM lives in a module beside it, jitload-llvm.so,
// dlopen()ed the first time a command asks for it:
//   * `run` (LLVM's code generator, lli's command line, the MCJIT engine);
//   * `rtdyld`'s decode_operand/next_pc (LLVM's MC disassembler), its
//     -printline family (LLVM's DWARF reader), and -triple/-mcpu values
//     this file cannot vouch for without LLVM (see rtdyld.cc).
// The module is built from the same tree by the same compiler; it leaves
// the loader, the tools' helpers and the rest of the LLVM-free code
// undefined and binds them to the executable's exported copies, so the
// process holds one copy of each (one SectionMemoryManager pool, one TLS
// registry). The table below is its whole interface; the ABI number
// changes whenever the table does.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "engine/loader/core/base.h"

namespace jitload::checker {
class InstructionDecoder;
class RtdyldLoader;
}  // namespace jitload::checker

namespace jitload::tools {

inline constexpr u32 kLlvmModuleAbi = 1;

struct LlvmModule {
  u32 abi;           // kLlvmModuleAbi of the module's build
  u32 table_size;    // sizeof(LlvmModule) of the module's build
  int (*run)(int argc, char** argv);  // `jitload run` (run.cc)
  // checker::make_llvm_decoder, triple_address_limit, print_line_info.
  Expected<std::unique_ptr<checker::InstructionDecoder>> (*make_decoder)(std::string_view triple,
                                                                         std::string_view cpu);
  u64 (*address_limit)(std::string_view triple);
  Expected<std::string> (*line_info)(std::span<const u8> object, const checker::RtdyldLoader* loader,
                                     u32 object_index);
};

// The module, loaded on the first call (RTLD_NOW | RTLD_GLOBAL: JIT code
// may look up the module's symbols, as it looked up the single binary's).
// Where: $JITLOAD_LLVM_MODULE, else jitload-llvm.so beside the executable.
// The error names the path and says why (missing, unresolved symbol,
// another build's module, or a jitload built without LLVM).
Expected<const LlvmModule*> llvm_module();

// The module's path as llvm_module() would look for it.
std::string llvm_module_path();

}  // namespace jitload::tools

// The module's one exported entry point.
extern "C" const jitload::tools::LlvmModule* jitload_llvm_module();
