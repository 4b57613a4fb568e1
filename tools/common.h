// Small helpers shared by the subcommands: reading files, parsing numbers
// and NAME=VALUE options, and the exit statuses every command uses.
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload::tools {

// Exit statuses, the same for every command (README, "Exit statuses").
// exec and rtdyld -execute exit with the program's own status once it runs.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;      // the input was refused: not an object, a load, link or check error
inline constexpr int kExitUsage = 2;       // bad command line: unknown option, missing or malformed value
inline constexpr int kExitUnreadable = 3;  // an input could not be read: missing, directory, too large, out of memory
// The status for a failure to read an input: kExitFailed when it was read
// far enough to see it is no object (the loader's own refusal),
// kExitUnreadable otherwise.
int read_failure_status(const Error& e);

Expected<std::vector<u8>> read_file(const std::string& path);
// An object file, refused from its first bytes when no format recognizes
// them (jitload::read_object_file).
Expected<std::vector<u8>> read_object(const std::string& path);
std::optional<u64> parse_u64(std::string_view s);  // decimal or 0x-hex
// "NAME=VALUE" with a numeric value; nullopt on malformed input.
std::optional<std::pair<std::string, u64>> parse_assignment(std::string_view s);
// --opt=value or --opt value; advances i when it consumes the next argument.
std::optional<std::string> option_value(int argc, char** argv, int& i, std::string_view name);
// True when `arg` is one of `names` given as the last argument, its value
// missing: callers say "needs a value" rather than "unknown option".
bool missing_value(int argc, int i, std::string_view arg, std::initializer_list<std::string_view> names);
u64 fnv1a(const u8* p, size_t n);
// Why the code of an object cannot run in this process, or "": an ELF or
// Mach-O object for another machine, byte order or class ("an ELF object
// for AArch64 (e_machine 183)"). Bytes of neither format are left to the
// loader to refuse. Commands that jump into loaded code ask this first.
std::string not_for_this_host(std::span<const u8> bytes);

}  // namespace jitload::tools
