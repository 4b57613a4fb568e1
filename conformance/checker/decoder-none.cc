// Built without LLVM: no disassembler, so decode_operand and next_pc report
// that they cannot decode (every other construct still works).
#include "conformance/checker/checker.h"
#include "conformance/checker/rtdyld-loader.h"

namespace jitload::checker {

Expected<std::unique_ptr<InstructionDecoder>> make_llvm_decoder(std::string_view triple,
                                                                std::string_view cpu) {
  return Error(ErrorKind::Unsupported, "jitload was built without LLVM: no disassembler for decode_operand/next_pc");
}

u64 triple_address_limit(std::string_view triple) { return ~u64(0); }

}  // namespace jitload::checker
