// The rtdyld-check evaluator: a recursive-descent parser that evaluates as it
// parses (the language has no variables, so there is nothing to build a tree
// for). Semantics follow LLVM's RuntimeDyldChecker; the departures, all
// where LLVM misbehaves, are listed in checker.h.
#include "conformance/checker/checker.h"

#include <cctype>

namespace jitload::checker {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_symbol_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_symbol_char(char c) {
  // LLVM's set: letters, digits and ":_.$" (so `foo.c` and `a$b` are symbols).
  return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '_' || c == '.' || c == '$';
}

std::string sv(std::string_view s) { return std::string(s); }

}  // namespace

// Parses and evaluates one side of a rule (or a whole expression).
class Parser {
 public:
  Parser(Checker& checker, std::string_view text) : c_(checker), text_(text) {}

  // expr := simple (op simple)*, evaluated left to right.
  Expected<u64> expr(bool in_load) {
    u64 value = TRY_VALUE(simple(in_load));
    for (;;) {
      skip_space();
      Op op = peek_op();
      if (op == Op::None) return value;
      pos_ += (op == Op::Shl || op == Op::Shr) ? 2 : 1;
      u64 rhs = TRY_VALUE(simple(in_load));
      value = apply(op, value, rhs);
    }
  }

  // After a complete expression: nothing may remain.
  Error expect_end() {
    skip_space();
    if (pos_ != text_.size()) return unexpected("end of expression");
    return Error::success();
  }

 private:
  enum class Op { None, Add, Sub, And, Or, Shl, Shr };

  Checker& c_;
  std::string_view text_;
  size_t pos_ = 0;

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  bool at(char ch) {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == ch;
  }
  bool eat(char ch) {
    if (!at(ch)) return false;
    ++pos_;
    return true;
  }

  Op peek_op() const {
    if (pos_ >= text_.size()) return Op::None;
    std::string_view rest = text_.substr(pos_);
    if (rest.starts_with("<<")) return Op::Shl;
    if (rest.starts_with(">>")) return Op::Shr;
    switch (rest[0]) {
      case '+': return Op::Add;
      case '-': return Op::Sub;
      case '&': return Op::And;
      case '|': return Op::Or;
      default: return Op::None;
    }
  }

  static u64 apply(Op op, u64 a, u64 b) {
    switch (op) {
      case Op::Add: return a + b;
      case Op::Sub: return a - b;
      case Op::And: return a & b;
      case Op::Or: return a | b;
      // Shifting a 64-bit value by 64 or more: everything shifted out.
      case Op::Shl: return b >= 64 ? 0 : a << b;
      case Op::Shr: return b >= 64 ? 0 : a >> b;
      case Op::None: break;
    }
    return a;
  }

  // The token at the current position, for messages.
  std::string token() const {
    if (pos_ >= text_.size()) return "end of expression";
    size_t end = pos_ + 1;
    if (is_symbol_start(text_[pos_]) || std::isdigit(static_cast<unsigned char>(text_[pos_])))
      while (end < text_.size() && is_symbol_char(text_[end])) ++end;
    return "'" + sv(text_.substr(pos_, end - pos_)) + "'";
  }

  Error unexpected(const char* wanted) {
    skip_space();
    return Error(ErrorKind::Malformed,
                 format("unexpected %s at column %zu of '%.*s': expected %s", token().c_str(),
                        pos_ + 1, int(text_.size()), text_.data(), wanted));
  }

  Error expect(char ch) {
    if (eat(ch)) return Error::success();
    std::string what = format("'%c'", ch);
    return unexpected(what.c_str());
  }

  Expected<u64> number() {
    skip_space();
    size_t start = pos_;
    u64 value = 0;
    bool hex = text_.substr(pos_).starts_with("0x") || text_.substr(pos_).starts_with("0X");
    if (hex) {
      pos_ += 2;
      size_t digits = pos_;
      while (pos_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[pos_]))) {
        char ch = text_[pos_];
        u64 d = std::isdigit(static_cast<unsigned char>(ch)) ? u64(ch - '0') : u64((ch | 0x20) - 'a' + 10);
        if (value >> 60) return overflow(start);
        value = value << 4 | d;
        ++pos_;
      }
      if (pos_ == digits) {
        pos_ = start;
        return unexpected("hexadecimal digits after '0x'");
      }
    } else {
      if (pos_ >= text_.size() || !std::isdigit(static_cast<unsigned char>(text_[pos_])))
        return unexpected("a number");
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        u64 d = u64(text_[pos_] - '0');
        if (value > (~u64(0) - d) / 10) return overflow(start);
        value = value * 10 + d;
        ++pos_;
      }
    }
    return value;
  }

  Error overflow(size_t start) {
    size_t end = start;
    while (end < text_.size() && std::isalnum(static_cast<unsigned char>(text_[end]))) ++end;
    return Error(ErrorKind::Malformed, format("number '%.*s' does not fit in 64 bits",
                                              int(end - start), text_.data() + start));
  }

  Expected<std::string_view> symbol_name() {
    skip_space();
    if (pos_ >= text_.size() || !is_symbol_start(text_[pos_])) return unexpected("a symbol");
    size_t start = pos_;
    while (pos_ < text_.size() && is_symbol_char(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // A raw argument up to (not including) `stop`: file and section names may
  // contain characters a symbol may not ("t.o", "<common symbols>").
  Expected<std::string_view> raw_until(char stop, const char* what) {
    skip_space();
    size_t end = text_.find(stop, pos_);
    if (end == std::string_view::npos) {
      std::string wanted = format("%s followed by '%c'", what, stop);
      return unexpected(wanted.c_str());
    }
    std::string_view arg = trim(text_.substr(pos_, end - pos_));
    if (arg.empty()) return unexpected(what);
    pos_ = end;
    return arg;
  }

  Expected<u64> simple(bool in_load) {
    u64 value = TRY_VALUE(primary(in_load));
    if (at('[')) value = TRY_VALUE(slice(value));
    return value;
  }

  Expected<u64> slice(u64 value) {
    TRY(expect('['));
    u64 hi = TRY_VALUE(number());
    TRY(expect(':'));
    u64 lo = TRY_VALUE(number());
    TRY(expect(']'));
    if (hi > 63 || lo > hi)
      return Error(ErrorKind::Malformed,
                   format("bit slice [%llu:%llu] is not within [63:0] with high >= low",
                          (unsigned long long)hi, (unsigned long long)lo));
    u64 width = hi - lo + 1;
    u64 mask = width == 64 ? ~u64(0) : (u64(1) << width) - 1;
    return (value >> lo) & mask;
  }

  Expected<u64> primary(bool in_load) {
    skip_space();
    if (pos_ >= text_.size()) return unexpected("'(', '*', a symbol or a number");
    char ch = text_[pos_];
    if (ch == '(') {
      ++pos_;
      u64 value = TRY_VALUE(expr(in_load));
      TRY(expect(')'));
      return value;
    }
    if (ch == '*') {
      ++pos_;
      return load();
    }
    if (std::isdigit(static_cast<unsigned char>(ch))) return number();
    if (is_symbol_start(ch)) return identifier(in_load);
    return unexpected("'(', '*', a symbol or a number");
  }

  // *{N} expr: the address is everything up to the end of the enclosing
  // expression, evaluated with local addresses.
  Expected<u64> load() {
    TRY(expect('{'));
    size_t size_pos = pos_;
    u64 size = TRY_VALUE(number());
    if (size < 1 || size > 8) {
      pos_ = size_pos;
      return Error(ErrorKind::Malformed,
                   format("memory read of %llu bytes: the size must be 1 to 8",
                          (unsigned long long)size));
    }
    TRY(expect('}'));
    u64 address = TRY_VALUE(expr(true));
    std::span<const u8> bytes = TRY_VALUE(c_.context_.local_bytes(address, size, size));
    u64 value = 0;
    for (u64 i = 0; i < size; ++i) {
      u64 byte = bytes[c_.endian_ == Endian::Little ? i : size - 1 - i];
      value |= byte << (8 * i);
    }
    return value;
  }

  Expected<u64> identifier(bool in_load) {
    std::string_view name = TRY_VALUE(symbol_name());
    if (name == "decode_operand") return decode_operand();
    if (name == "next_pc") return next_pc(in_load);
    if (name == "stub_addr") return stub_or_got(in_load, true);
    if (name == "got_addr") return stub_or_got(in_load, false);
    if (name == "section_addr") return section_addr(in_load);
    return symbol_value(name, in_load);
  }

  Error unknown_symbol(std::string_view name) {
    std::string msg = format("no known address for symbol '%.*s'", int(name.size()), name.data());
    if (name.starts_with("L") || name.starts_with(".L"))
      msg += " (an assembler-local label is not in the symbol table; drop the 'L'?)";
    return Error(ErrorKind::Unresolved, msg);
  }

  Expected<u64> symbol_value(std::string_view name, bool in_load) {
    std::optional<u64> target = c_.context_.symbol_target(name);
    if (!target) return unknown_symbol(name);
    if (!in_load) return *target;
    std::optional<u64> local = c_.context_.symbol_local(name);
    if (!local)
      return Error(ErrorKind::Argument,
                   format("symbol '%.*s' has no bytes in the loader (an external symbol?), so "
                          "it cannot be read inside *{}",
                          int(name.size()), name.data()));
    return *local;
  }

  // Decode the instruction at a symbol (plus an offset).
  Expected<DecodedInstruction> decode_at(std::string_view name, u64 offset) {
    if (!c_.context_.symbol_target(name)) return unknown_symbol(name);
    if (!c_.decoder_)
      return Error(ErrorKind::Unsupported, "no disassembler for this target: cannot decode instructions");
    std::optional<u64> local = c_.context_.symbol_local(name);
    if (!local)
      return Error(ErrorKind::Argument, format("cannot decode at symbol '%.*s': it has no bytes in the loader",
                                               int(name.size()), name.data()));
    std::span<const u8> bytes = TRY_VALUE(c_.context_.local_bytes(*local + offset, 1, 16));
    Expected<DecodedInstruction> inst = c_.decoder_->decode(bytes);
    if (!inst)
      return Error(ErrorKind::Malformed, format("cannot decode an instruction at '%.*s+%llu': %s",
                                                int(name.size()), name.data(),
                                                (unsigned long long)offset, inst.error().message().c_str()));
    return inst;
  }

  // decode_operand(symbol [+ offset], index)
  Expected<u64> decode_operand() {
    TRY(expect('('));
    std::string_view name = TRY_VALUE(symbol_name());
    u64 offset = 0;
    if (eat('+')) offset = TRY_VALUE(number());
    TRY(expect(','));
    u64 index = TRY_VALUE(number());
    TRY(expect(')'));
    DecodedInstruction inst = TRY_VALUE(decode_at(name, offset));
    if (index >= inst.operands.size())
      return Error(ErrorKind::Argument,
                   format("operand %llu of the instruction at '%.*s' does not exist: it has %zu "
                          "operands (%s)",
                          (unsigned long long)index, int(name.size()), name.data(),
                          inst.operands.size(), inst.text.c_str()));
    if (!inst.operands[index])
      return Error(ErrorKind::Argument,
                   format("operand %llu of the instruction at '%.*s' is not an immediate (%s)",
                          (unsigned long long)index, int(name.size()), name.data(), inst.text.c_str()));
    return u64(*inst.operands[index]);
  }

  // next_pc(symbol): the address after the instruction at the symbol.
  Expected<u64> next_pc(bool in_load) {
    TRY(expect('('));
    std::string_view name = TRY_VALUE(symbol_name());
    TRY(expect(')'));
    DecodedInstruction inst = TRY_VALUE(decode_at(name, 0));
    u64 base = TRY_VALUE(symbol_value(name, in_load));
    return base + inst.size + c_.decoder_->pc_bias();
  }

  // stub_addr(container, symbol [, kind]) / got_addr(container, symbol)
  Expected<u64> stub_or_got(bool in_load, bool stub) {
    TRY(expect('('));
    std::string_view container = TRY_VALUE(raw_until(',', "a stub container (file/section)"));
    TRY(expect(','));
    std::string_view name = TRY_VALUE(symbol_name());
    std::string_view kind;
    if (stub && eat(',')) kind = TRY_VALUE(raw_until(')', "a stub kind"));
    TRY(expect(')'));
    if (stub) return c_.context_.stub_address(container, name, kind, in_load);
    return c_.context_.got_address(container, name, in_load);
  }

  // section_addr(file, section)
  Expected<u64> section_addr(bool in_load) {
    TRY(expect('('));
    std::string_view file = TRY_VALUE(raw_until(',', "a file name"));
    TRY(expect(','));
    std::string_view section = TRY_VALUE(raw_until(')', "a section name"));
    TRY(expect(')'));
    return c_.context_.section_address(file, section, in_load);
  }
};

Expected<u64> Checker::evaluate(std::string_view expr) {
  Parser p(*this, expr);
  u64 value = TRY_VALUE(p.expr(false));
  TRY(p.expect_end());
  return value;
}

RuleResult Checker::check(std::string_view rule) {
  rule = trim(rule);
  size_t eq = rule.find('=');
  if (eq == std::string_view::npos)
    return {false, format("rule '%.*s' has no '='", int(rule.size()), rule.data())};
  std::string_view lhs_text = trim(rule.substr(0, eq));
  std::string_view rhs_text = trim(rule.substr(eq + 1));
  Expected<u64> lhs = evaluate(lhs_text);
  if (!lhs)
    return {false, format("cannot evaluate '%.*s': %s", int(rule.size()), rule.data(),
                          lhs.error().message().c_str())};
  Expected<u64> rhs = evaluate(rhs_text);
  if (!rhs)
    return {false, format("cannot evaluate '%.*s': %s", int(rule.size()), rule.data(),
                          rhs.error().message().c_str())};
  if (*lhs != *rhs)
    return {false, format("expression '%.*s' is false: %s != %s", int(rule.size()), rule.data(),
                          hex(*lhs).c_str(), hex(*rhs).c_str())};
  return {true, {}};
}

BufferResult Checker::check_buffer(std::string_view text, std::string_view name,
                                   std::string_view prefix) {
  BufferResult result;
  std::string pending;
  size_t pending_line = 0;
  bool continuing = false;
  auto fail = [&](size_t line, const std::string& msg) {
    ++result.failed;
    result.messages.push_back(format("%.*s:%zu: %s", int(name.size()), name.data(), line, msg.c_str()));
  };
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    pos = end + 1;
    std::string_view body = line;
    while (!body.empty() && is_space(body.front())) body.remove_prefix(1);
    if (body.starts_with(prefix)) {
      std::string_view piece = body.substr(prefix.size());
      while (!piece.empty() && is_space(piece.back())) piece.remove_suffix(1);
      if (!continuing) pending_line = line_no;
      pending += piece;
      if (!pending.empty() && pending.back() == '\\') {
        pending.pop_back();
        continuing = true;
        continue;
      }
      continuing = false;
      if (trim(pending).empty()) {
        pending.clear();
        continue;  // an empty rule line checks nothing
      }
      ++result.rules;
      RuleResult r = check(pending);
      if (!r.passed) fail(pending_line, r.message);
      pending.clear();
    } else if (continuing) {
      ++result.rules;
      fail(pending_line, "rule ends in '\\' but the next line is not an rtdyld-check line");
      pending.clear();
      continuing = false;
    }
    if (end == text.size()) break;
  }
  if (continuing) {
    ++result.rules;
    fail(pending_line, "rule ends in '\\' at the end of the file");
  }
  if (result.rules == 0)
    result.messages.push_back(format("%.*s: no rules with prefix '%.*s'", int(name.size()), name.data(),
                                     int(prefix.size()), prefix.data()));
  return result;
}

}  // namespace jitload::checker
