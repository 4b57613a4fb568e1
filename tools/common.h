// Small helpers shared by the subcommands: reading files, parsing numbers
// and NAME=VALUE options.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload::tools {

Expected<std::vector<u8>> read_file(const std::string& path);
std::optional<u64> parse_u64(std::string_view s);  // decimal or 0x-hex
// "NAME=VALUE" with a numeric value; nullopt on malformed input.
std::optional<std::pair<std::string, u64>> parse_assignment(std::string_view s);
// --opt=value or --opt value; advances i when it consumes the next argument.
std::optional<std::string> option_value(int argc, char** argv, int& i, std::string_view name);
u64 fnv1a(const u8* p, size_t n);

}  // namespace jitload::tools
