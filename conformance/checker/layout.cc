// llvm-rtdyld -verify's "scatter sections" placement (see rtdyld-loader.h).
#include <algorithm>
#include <map>

#include "conformance/checker/rtdyld-loader.h"

namespace jitload::checker {

Expected<std::vector<u64>> place_sections(std::span<const PlacementBlock> blocks, u64 start, u64 end,
                                          u64 separation) {
  std::vector<u64> out(blocks.size(), 0);
  std::map<u64, u64> placed;  // address -> span, ordered by address
  for (size_t i = 0; i < blocks.size(); i++)
    if (blocks[i].fixed) {
      out[i] = *blocks[i].fixed;
      placed[*blocks[i].fixed] = blocks[i].span;
    }
  for (size_t i = 0; i < blocks.size(); i++) {
    if (blocks[i].fixed) continue;
    const u64 span = blocks[i].span;
    u64 next = start;
    for (const auto& [addr, size] : placed) {
      u64 after = 0;  // first address a neighbour may start at after this block
      if (__builtin_add_overflow(addr, size, &after) || __builtin_add_overflow(after, separation, &after))
        after = ~u64(0);
      // A block wholly below the candidate (llvm-rtdyld would move the
      // candidate down to it, even below start).
      if (after <= next) continue;
      u64 need = 0;
      if (!__builtin_add_overflow(next, span, &need) && !__builtin_add_overflow(need, separation, &need) &&
          need <= addr)
        break;
      next = after;
    }
    u64 last = 0;
    if (next == ~u64(0) || (span && (__builtin_add_overflow(next, span - 1, &last) || last > end)))
      return Error(ErrorKind::Argument,
                   format("no room for a block of %s bytes between -target-addr-start %s and -target-addr-end %s "
                          "with -target-section-sep %s",
                          hex(span).c_str(), hex(start).c_str(), hex(end).c_str(), hex(separation).c_str()));
    out[i] = next;
    placed[next] = span;
  }
  return out;
}

}  // namespace jitload::checker
