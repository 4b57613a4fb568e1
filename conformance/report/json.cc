#include "conformance/report/json.h"

#include <cstdio>

namespace jitload::conformance {

const Json* Json::get(std::string_view key) const {
  for (size_t i = 0; i < keys.size() && i < items.size(); i++)
    if (keys[i] == key) return &items[i];
  return nullptr;
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  bool document(Json& out, std::string& error) {
    skip_space();
    if (!value(out, 0)) {
      error = error_;
      return false;
    }
    skip_space();
    if (pos_ != in_.size()) {
      error = at("trailing characters after the JSON value");
      return false;
    }
    return true;
  }

 private:
  static constexpr int kMaxDepth = 64;

  std::string at(const char* what) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " at offset %zu", pos_);
    return std::string(what) + buf;
  }
  bool fail(const char* what) {
    if (error_.empty()) error_ = at(what);
    return false;
  }
  void skip_space() {
    while (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == '\n' || in_[pos_] == '\r' || in_[pos_] == '\t')) pos_++;
  }
  bool literal(std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return fail("unknown literal");
    pos_ += word.size();
    return true;
  }

  bool value(Json& out, int depth) {
    if (depth > kMaxDepth) return fail("nesting too deep");
    if (pos_ >= in_.size()) return fail("unexpected end of input");
    char c = in_[pos_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.type = Json::Type::String;
      return string(out.text);
    }
    if (c == 't') {
      out.type = Json::Type::Bool;
      out.boolean = true;
      return literal("true");
    }
    if (c == 'f') {
      out.type = Json::Type::Bool;
      out.boolean = false;
      return literal("false");
    }
    if (c == 'n') {
      out.type = Json::Type::Null;
      return literal("null");
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(out);
    return fail("unexpected character");
  }

  bool number(Json& out) {
    size_t start = pos_;
    if (in_[pos_] == '-') pos_++;
    size_t digits = pos_;
    while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') pos_++;
    if (pos_ == digits) return fail("a number needs digits");
    // Fractions and exponents never occur in the schema; accept them anyway.
    if (pos_ < in_.size() && in_[pos_] == '.') {
      pos_++;
      while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') pos_++;
    }
    if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
      pos_++;
      if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) pos_++;
      while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') pos_++;
    }
    out.type = Json::Type::Number;
    out.text = std::string(in_.substr(start, pos_ - start));
    return true;
  }

  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  void utf8(std::string& s, uint32_t cp) {
    if (cp < 0x80) {
      s.push_back(char(cp));
    } else if (cp < 0x800) {
      s.push_back(char(0xc0 | (cp >> 6)));
      s.push_back(char(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      s.push_back(char(0xe0 | (cp >> 12)));
      s.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
      s.push_back(char(0x80 | (cp & 0x3f)));
    } else {
      s.push_back(char(0xf0 | (cp >> 18)));
      s.push_back(char(0x80 | ((cp >> 12) & 0x3f)));
      s.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
      s.push_back(char(0x80 | (cp & 0x3f)));
    }
  }

  bool string(std::string& s) {
    pos_++;  // the opening quote
    s.clear();
    while (true) {
      if (pos_ >= in_.size()) return fail("unterminated string");
      char c = in_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        s.push_back(c);
        continue;
      }
      if (pos_ >= in_.size()) return fail("unterminated escape");
      char e = in_[pos_++];
      switch (e) {
        case '"': s.push_back('"'); break;
        case '\\': s.push_back('\\'); break;
        case '/': s.push_back('/'); break;
        case 'b': s.push_back('\b'); break;
        case 'f': s.push_back('\f'); break;
        case 'n': s.push_back('\n'); break;
        case 'r': s.push_back('\r'); break;
        case 't': s.push_back('\t'); break;
        case 'u': {
          if (pos_ + 4 > in_.size()) return fail("short \\u escape");
          uint32_t cp = 0;
          for (int i = 0; i < 4; i++) {
            int d = hex_digit(in_[pos_++]);
            if (d < 0) return fail("bad \\u escape");
            cp = cp * 16 + uint32_t(d);
          }
          // Strings in the schema are byte strings (symbol names are bytes,
          // not UTF-8): the writer escapes every byte outside printable
          // ASCII as \u00XX, read back here as that one byte.
          if (cp < 0x100) s.push_back(char(cp));
          else utf8(s, cp);
          break;
        }
        default:
          return fail("unknown escape");
      }
    }
  }

  bool array(Json& out, int depth) {
    out.type = Json::Type::Array;
    pos_++;
    skip_space();
    if (pos_ < in_.size() && in_[pos_] == ']') {
      pos_++;
      return true;
    }
    while (true) {
      skip_space();
      out.items.emplace_back();
      if (!value(out.items.back(), depth + 1)) return false;
      skip_space();
      if (pos_ >= in_.size()) return fail("unterminated array");
      if (in_[pos_] == ',') {
        pos_++;
        continue;
      }
      if (in_[pos_] == ']') {
        pos_++;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  bool object(Json& out, int depth) {
    out.type = Json::Type::Object;
    pos_++;
    skip_space();
    if (pos_ < in_.size() && in_[pos_] == '}') {
      pos_++;
      return true;
    }
    while (true) {
      skip_space();
      if (pos_ >= in_.size() || in_[pos_] != '"') return fail("expected a key");
      std::string key;
      if (!string(key)) return false;
      skip_space();
      if (pos_ >= in_.size() || in_[pos_] != ':') return fail("expected ':'");
      pos_++;
      skip_space();
      out.keys.push_back(std::move(key));
      out.items.emplace_back();
      if (!value(out.items.back(), depth + 1)) return false;
      skip_space();
      if (pos_ >= in_.size()) return fail("unterminated object");
      if (in_[pos_] == ',') {
        pos_++;
        continue;
      }
      if (in_[pos_] == '}') {
        pos_++;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

bool parse_json(std::string_view in, Json& out, std::string& error) {
  out = Json();
  Parser p(in);
  return p.document(out, error);
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          // A byte outside printable ASCII: \u00XX, read back as that byte.
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(char(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace jitload::conformance
