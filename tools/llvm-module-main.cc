// The module's side of tools/llvm-module.h: jitload-llvm.so exports one
// table of the LLVM-using functions the executable calls.
#include "conformance/checker/checker.h"
#include "conformance/checker/rtdyld-loader.h"
#include "tools/commands.h"
#include "tools/llvm-module.h"

namespace {

// Named here, inside the module: linked with -Bsymbolic-functions, these
// are the module's own definitions, never the executable's forwarders of
// the same name (cmd_run in tools/llvm-module.cc).
const jitload::tools::LlvmModule kModule = {
    jitload::tools::kLlvmModuleAbi,
    sizeof(jitload::tools::LlvmModule),
    &jitload::tools::cmd_run,
    &jitload::checker::make_llvm_decoder,
    &jitload::checker::triple_address_limit,
    &jitload::checker::print_line_info,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const jitload::tools::LlvmModule* jitload_llvm_module() {
  return &kModule;
}
