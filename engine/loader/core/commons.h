// Commons of one object laid out as a link editor merges them (rule L4):
// every common definition of one name in the object is one block, with the
// largest size and the strictest alignment among them, placed where the
// first of them is in symbol order. ld and lld do this for an object that
// defines a name twice as common; the one block is then aligned for every
// definition, and no L4 check can fail inside one object. Unnamed and local
// commons (no name the set holds) are blocks of their own. Format-independent.
#pragma once

#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload {

struct CommonBlock {
  size_t symbol;  // a common symbol's index, in symbol order
  size_t leader;  // the first common of its name: the block's owner
  u64 size;       // the block's (the largest of its name), on the leader only
  u64 align;      // the block's (the strictest of its name), on the leader only
};

// `common(i)` is the symbol's {is common, name to merge by (empty: none),
// size, alignment}.
struct CommonSymbol {
  bool common;
  std::string_view name;
  u64 size, align;
};

template <class Describe>
std::vector<CommonBlock> common_blocks(size_t count, Describe common) {
  std::vector<CommonBlock> blocks;
  std::unordered_map<std::string_view, size_t> by_name;  // name -> its leader's place in `blocks`
  for (size_t i = 0; i < count; i++) {
    const CommonSymbol y = common(i);
    if (!y.common) continue;
    if (!y.name.empty()) {
      auto [it, inserted] = by_name.try_emplace(y.name, blocks.size());
      if (!inserted) {
        CommonBlock& leader = blocks[it->second];
        if (y.size > leader.size) leader.size = y.size;
        if (y.align > leader.align) leader.align = y.align;
        blocks.push_back({i, leader.symbol, 0, 0});
        continue;
      }
    }
    blocks.push_back({i, i, y.size, y.align});
  }
  return blocks;
}

// Lays the blocks out in one section, in order, each at its alignment:
// offset[symbol] for every common (a block's other commons share its
// leader's place), and the section's size and alignment. False when the
// section, or `total` (the object's running sum, which grows by it), would
// pass `limit`.
struct CommonSection {
  u64 size = 0, align = 1;
};
inline bool lay_out_common_blocks(const std::vector<CommonBlock>& blocks, std::vector<u64>& offset, u64& total,
                                  u64 limit, CommonSection& out) {
  for (const CommonBlock& b : blocks) {
    if (b.symbol != b.leader) {
      offset[b.symbol] = offset[b.leader];
      continue;
    }
    out.size = (out.size + b.align - 1) & ~(b.align - 1);  // a power of two, out.size within the limit
    offset[b.symbol] = out.size;
    if (b.size > limit || (out.size += b.size) > limit || (total += b.size) > limit) return false;
    if (b.align > out.align) out.align = b.align;
  }
  return true;
}

}  // namespace jitload
