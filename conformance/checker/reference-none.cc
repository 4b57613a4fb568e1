// Built without the reference loader (reference/ has no library yet).
#include "conformance/checker/rtdyld-loader.h"

namespace jitload::checker {

Expected<std::unique_ptr<RtdyldLoader>> make_reference_rtdyld_loader(const RtdyldMemoryOptions&) {
  return Error(ErrorKind::Unsupported, "this jitload was built without the reference loader");
}

}  // namespace jitload::checker
