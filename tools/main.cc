// jitload — a JIT loader and its proving ground. Dispatches to a subcommand;
// installed under another name (jitload-rtdyld), dispatches on that name.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string_view>

#include "tools/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* help;
};

// Keep sorted by name. Each later issue adds its line.
constexpr Command kCommands[] = {
    {"bench", jitload::tools::cmd_bench, "run the benchmarks against LLVM; print ratios, draw a chart"},
    {"campaign", jitload::tools::cmd_campaign, "fuzz the loaders with Csmith programs and mutants for N seconds"},
    {"coverage", jitload::tools::cmd_coverage, "which relocation types the tests, LLVM's suite and the corpora exercise (SVG)"},
    {"diff", jitload::tools::cmd_diff, "load objects with engine, reference and LLVM; compare what they did"},
    {"exec", jitload::tools::cmd_exec, "load an object on the host and run its entry point"},
    {"load", jitload::tools::cmd_load, "load an object for a simulated target and print a report"},
    {"rtdyld", jitload::tools::cmd_rtdyld, "llvm-rtdyld's command line (-execute, -verify) on our loaders"},
    {"run", jitload::tools::cmd_run, "run an LLVM IR module's main with the MCJIT engine (like lli)"},
};

void usage(FILE* out) {
  std::fprintf(out, "usage: jitload COMMAND [options]\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.help);
  std::fprintf(out, "\n`jitload COMMAND --help` describes a command.\n");
}

// The last line of defence: the commands report every failure as an
// error, but an allocation can still fail anywhere under a memory limit
// (`ulimit -v`), and an exception must never end the process with
// std::terminate's abort. Out of memory is status 1 (the input could not
// be processed); any other exception here is a bug of jitload's, status 4.
int run_guarded(const Command& c, std::string_view shown, int argc, char** argv) {
  try {
    return c.run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "jitload %.*s: out of memory\n", int(shown.size()), shown.data());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jitload %.*s: internal error (uncaught exception: %s)\n", int(shown.size()), shown.data(),
                 e.what());
    return 4;
  } catch (...) {
    std::fprintf(stderr, "jitload %.*s: internal error (uncaught exception)\n", int(shown.size()), shown.data());
    return 4;
  }
}

// JITLOAD_DUMP_PROCESS=FILE: at exit, write the process's memory map
// (/proc/self/maps) and its status (/proc/self/status: VmHWM is the peak
// resident set) to FILE. The tests use it to show which libraries a command
// mapped (no libLLVM for the LLVM-free ones) and how much memory it touched.
const char* g_dump_path = nullptr;

void dump_process() {
  FILE* out = std::fopen(g_dump_path, "w");
  if (!out) return;
  for (const char* from : {"/proc/self/maps", "/proc/self/status"}) {
    if (FILE* in = std::fopen(from, "r")) {
      char buf[4096];
      for (size_t n; (n = std::fread(buf, 1, sizeof buf, in)) > 0;) std::fwrite(buf, 1, n, out);
      std::fclose(in);
    }
  }
  std::fclose(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (const char* dump = std::getenv("JITLOAD_DUMP_PROCESS"); dump && *dump) {
    g_dump_path = dump;
    std::atexit(dump_process);
  }
  std::string_view self = argv[0];
  if (auto slash = self.rfind('/'); slash != std::string_view::npos) self = self.substr(slash + 1);
  // Installed as jitload-<command>: behave as that command (jitload-rtdyld).
  if (self.starts_with("jitload-")) {
    std::string_view sub = self.substr(8);
    for (const Command& c : kCommands)
      if (sub == c.name) return run_guarded(c, c.name, argc, argv);
  }
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (const Command& c : kCommands)
    if (std::string_view(argv[1]) == c.name) return run_guarded(c, c.name, argc - 1, argv + 1);
  std::fprintf(stderr, "jitload: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return 2;
}
