// The fixed scenario every fuzz target and the campaign load objects under,
// and the checks that turn a load into a verdict. Shared by the libFuzzer,
// AFL++ and replay builds of each target, and by `jitload campaign`.
//
// Scenario (the reference loader's documented rules, so reports compare):
//   sections: non-TLS sections in loader order at 0x10000000, each aligned,
//             0x1000 apart; TLS sections keep their thread-pointer offsets.
//   externals: 0x40000000 + 16 * (FNV-1a-64(name) mod 2^20), all resolved.
//   memory:    at most 64 MiB per object (a bigger request is refused, the
//              loader must report it, not crash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace jitload::fuzz {

constexpr size_t kMaxInputSize = 1 << 20;
constexpr uint64_t kBase = 0x10000000;
constexpr uint64_t kSectionSep = 0x1000;
constexpr uint64_t kExternBase = 0x40000000;
constexpr uint64_t kMaxMemory = 64ull << 20;

struct Verdict {
  bool loaded = false;     // load_object accepted the bytes
  bool resolved = false;   // resolve_relocations succeeded for every relocation
  uint32_t relocations = 0;
  uint32_t checked = 0;    // relocations whose field was recomputed independently
  std::string error;       // the loader's message when it rejected the input
  std::string finding;     // non-empty: a bug (an invariant the loader broke)
};

// Loads `data` with the engine under the fixed scenario, applies every
// relocation, and checks every simple absolute/PC-relative field against
// the psABI formula recomputed from the object's own relocation entry.
Verdict check_object(const uint8_t* data, size_t size);

uint64_t extern_address(const char* name, size_t len);

}  // namespace jitload::fuzz
