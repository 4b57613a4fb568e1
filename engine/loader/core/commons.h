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

}  // namespace jitload
