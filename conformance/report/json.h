// A small JSON reader and writer for LoadReports: enough for the report
// schema (objects, arrays, strings, integers, booleans, null), strict,
// depth-limited, and never throwing. Numbers keep their text so 64-bit
// values survive (the schema writes addresses as hex strings anyway).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jitload::conformance {

struct Json {
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;
  bool boolean = false;
  std::string text;  // String: the decoded string; Number: the token
  std::vector<Json> items;       // Array; Object: the values, in order
  std::vector<std::string> keys; // Object: the keys, parallel to items

  const Json* get(std::string_view key) const;
  bool is(Type t) const { return type == t; }
};

// Parse `in`; false and a message naming the offset on failure.
bool parse_json(std::string_view in, Json& out, std::string& error);

// Writer helpers.
std::string json_quote(std::string_view s);

}  // namespace jitload::conformance
