// The rtdyld-check expression language: the `# rtdyld-check:` lines that
// LLVM's RuntimeDyld tests embed in their assembly, evaluated against any
// loader that can answer a handful of questions (CheckerContext).
//
// A rule is `LHS = RHS`; each side is an expression:
//
//   expr   := simple (op simple)*          op: + - & | << >>, left to right,
//                                          no precedence (as in LLVM)
//   simple := primary slice?
//   primary:= number                       decimal or 0x-hex
//           | '(' expr ')'
//           | '*' '{' N '}' expr            read N bytes (1..8) at the address
//                                          the rest of the expression computes
//           | symbol                       target address; local address
//                                          inside a memory read
//           | decode_operand(symbol [+ off], idx)
//           | next_pc(symbol)
//           | stub_addr(container, symbol [, kind])
//           | got_addr(container, symbol)
//           | section_addr(file, section)
//   slice  := '[' hi ':' lo ']'            bits hi..lo, shifted down to bit 0
//
// A memory read extends over the whole remaining expression, as in LLVM:
// `*{4}foo + 4` reads at foo + 4. Inside a read every address (symbols,
// next_pc, stub/GOT/section addresses) is a *local* one — where the loader
// keeps the bytes — because that is where they can be read.
//
// Where LLVM's llvm-rtdyld (19) misbehaves, this checker does the evident
// right thing:
//   - a number followed by a space and an operator (`4 + x`) parses;
//   - `*{3}` (and 5, 6, 7) reads that many bytes instead of crashing;
//   - `[63:0]` is the whole value instead of 0, and a slice with hi < lo or
//     hi > 63 is an error instead of garbage;
//   - a shift by 64 or more gives 0 instead of undefined behaviour;
//   - reading memory the loader does not own is an error, not a wild read;
//   - a `\` continuation not followed by another rule line is an error, not
//     a silently dropped or truncated rule.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload::checker {

// What the checker asks of a loader. Two address spaces: `target`, where
// things will run, and `local`, where the loader keeps the bytes (any
// numbering the provider likes, as long as local_bytes understands it).
class CheckerContext {
 public:
  virtual ~CheckerContext() = default;

  // nullopt: the loader knows no such symbol (neither defined nor external).
  virtual std::optional<u64> symbol_target(std::string_view name) = 0;
  // nullopt: the symbol has no bytes in the loader (e.g. an external one).
  virtual std::optional<u64> symbol_local(std::string_view name) = 0;

  // section_addr(file, section); file is the object's file name (no path).
  virtual Expected<u64> section_address(std::string_view file, std::string_view section,
                                        bool local) = 0;
  // stub_addr(container, symbol[, kind]); container is "file/section".
  // kind is empty in the two-argument form.
  virtual Expected<u64> stub_address(std::string_view container, std::string_view symbol,
                                     std::string_view kind, bool local) = 0;
  // got_addr(container, symbol).
  virtual Expected<u64> got_address(std::string_view container, std::string_view symbol,
                                    bool local) = 0;

  // The loader's bytes starting at a local address: at least `min` bytes and
  // at most `max` (fewer than max where the memory ends). An error if the
  // address is not inside memory the loader owns or fewer than `min` bytes
  // remain there.
  virtual Expected<std::span<const u8>> local_bytes(u64 local, u64 min, u64 max) = 0;
};

// One decoded machine instruction, for decode_operand and next_pc.
struct DecodedInstruction {
  u64 size = 0;
  // Operand values in the disassembler's order; nullopt where the operand is
  // not an immediate (a register, an expression).
  std::vector<std::optional<i64>> operands;
  std::string text;  // printed instruction, for error messages
};

class InstructionDecoder {
 public:
  virtual ~InstructionDecoder() = default;
  virtual Expected<DecodedInstruction> decode(std::span<const u8> bytes) = 0;
  // What next_pc adds beyond the instruction's end (ARM reads PC as +8).
  virtual u64 pc_bias() const { return 0; }
};

// LLVM's MC disassembler for a triple ("x86_64-pc-linux"); cpu may be empty.
// Returns an error when LLVM has no disassembler for the triple, or when
// jitload was built without LLVM.
Expected<std::unique_ptr<InstructionDecoder>> make_llvm_decoder(std::string_view triple,
                                                                std::string_view cpu);

enum class Endian : u8 { Little, Big };

// The outcome of one rule.
struct RuleResult {
  bool passed = false;
  std::string message;  // why it failed: both values, or the evaluation error
};

// The outcome of every rule in a buffer.
struct BufferResult {
  unsigned rules = 0;
  unsigned failed = 0;
  std::vector<std::string> messages;  // one per failure, "file:line: ..."
  bool passed() const { return rules > 0 && failed == 0; }
};

class Checker {
 public:
  // The decoder may be null: decode_operand and next_pc then fail.
  Checker(CheckerContext& context, InstructionDecoder* decoder, Endian endian)
      : context_(context), decoder_(decoder), endian_(endian) {}

  // Evaluate one expression outside any memory read.
  Expected<u64> evaluate(std::string_view expr);

  // Evaluate one `LHS = RHS` rule. A failure message names the rule and
  // both values: "expression 'a = b' is false: 0x1 != 0x2".
  RuleResult check(std::string_view rule);

  // Every rule in `text` on lines starting (after blanks) with `prefix`,
  // joining lines that end in '\'. `name` prefixes messages. A buffer with
  // no rules does not pass (a check file that checks nothing is a mistake).
  BufferResult check_buffer(std::string_view text, std::string_view name,
                            std::string_view prefix = "# rtdyld-check:");

 private:
  CheckerContext& context_;
  InstructionDecoder* decoder_;
  Endian endian_;
  friend class Parser;
};

}  // namespace jitload::checker
