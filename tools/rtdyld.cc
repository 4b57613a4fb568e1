// `jitload rtdyld` (also installed as jitload-rtdyld): llvm-rtdyld's command
// line, answered by our engine or our reference loader (--loader), so tests
// written for llvm-rtdyld (`# rtdyld-check:` lines) run on them unchanged.
//
// Actions, as llvm-rtdyld 19:
//   -execute (default)  load, link, call -entry (default _main) with -args
//   -verify             load, place sections in a phony target address
//                       space, link, evaluate every -check file's rules
//   -printline          load, link, print each function's line table
//   -printobjline       the same without loading (file addresses)
//   -printdebugline     as -printline (our loaders keep the object as is)
#include <dlfcn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <csignal>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conformance/checker/checker.h"
#include "conformance/checker/rtdyld-loader.h"
#include "engine/loader/core/file.h"
#include "tools/commands.h"
#include "tools/common.h"
#include "tools/llvm-module.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JITLOAD_UNDER_ASAN 1
#endif
#endif
#ifndef JITLOAD_UNDER_ASAN
#define JITLOAD_UNDER_ASAN 0
#endif

namespace jitload::tools {

namespace {

using checker::RtdyldLoader;
using checker::RtdyldMemoryOptions;

constexpr const char* kProgram = "jitload-rtdyld";

enum class Action { Execute, Verify, PrintLine, PrintObjLine, PrintDebugLine };

struct Options {
  Action action = Action::Execute;
  std::vector<std::string> inputs;
  std::vector<std::string> program_args;
  std::vector<std::string> dylibs;
  std::vector<std::string> checks;
  std::vector<std::string> map_sections;
  std::vector<std::string> dummy_externs;
  std::string entry = "_main";
  std::string triple;
  std::string mcpu;
  std::string loader = "engine";
  u64 preallocate = 0;
  u64 target_addr_start = 4096;  // page 1: nothing at null
  std::optional<u64> target_addr_end;
  u64 target_section_sep = 0;
  bool print_alloc_requests = false;
  bool show_times = false;
};

void usage(FILE* out) {
  std::fprintf(out,
               "usage: jitload rtdyld [options] <input files> [-args <program arguments>...]\n"
               "       jitload-rtdyld  (the same, under llvm-rtdyld's name for lit substitution)\n"
               "\n"
               "llvm-rtdyld's command line on jitload's loaders.\n"
               "\n"
               "actions:\n"
               "  -execute                  load, link and run -entry (the default)\n"
               "  -verify                   load, link into a phony address space, evaluate -check rules\n"
               "  -printline                load, link, print each function's line table\n"
               "  -printobjline             print line tables without loading\n"
               "  -printdebugline           as -printline\n"
               "options:\n"
               "  --loader=engine|reference which loader answers (default engine)\n"
               "  -entry=<symbol>           entry point for -execute (default _main)\n"
               "  -dylib=<path>             load a shared library first (repeatable)\n"
               "  -args <arg>...            the rest of the command line is the program's arguments\n"
               "  -triple=<triple>          target triple (required by -verify: the disassembler)\n"
               "  -mcpu=<cpu>               CPU for the disassembler\n"
               "  -check=<file>             rtdyld-check rules (# rtdyld-check: lines), repeatable\n"
               "  -target-addr-start=<n>    -verify: start of the phony target address range (4096)\n"
               "  -target-addr-end=<n>      -verify: its end (by default the triple's address space)\n"
               "  -target-section-sep=<n>   -verify: gap between sections (0)\n"
               "  -map-section=<file>,<section>=<addr>  -verify: place a section (repeatable;\n"
               "                            '<common symbols>' is the common block, '.got' the GOT)\n"
               "  -dummy-extern=<sym>=<addr> -verify: define an external symbol (repeatable)\n"
               "  -print-alloc-requests     log each memory request to stdout\n"
               "  -preallocate=<bytes>      serve all memory from one up-front slab\n"
               "  -show-times               print how long each phase took\n"
               "Options take -x=v, -x v, --x=v or --x v, as llvm-rtdyld.\n");
}

// Exit statuses as every jitload command (tools/common.h): 1 for a
// refused input or failed link/check (llvm-rtdyld's 1), 2 for a bad
// command line, 3 for an input that cannot be read.
[[noreturn]] void fail(const std::string& msg, int status = kExitFailed) {
  std::fprintf(stderr, "%s: error: %s\n", kProgram, msg.c_str());
  std::fflush(stdout);
  std::exit(status);
}
[[noreturn]] void usage_error(const std::string& msg) { fail(msg, kExitUsage); }

// An integer the way LLVM's command line reads one: 0x hex, 0b binary,
// 0o or leading 0 octal, otherwise decimal.
std::optional<u64> parse_u64(std::string_view s) {
  unsigned base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, s.remove_prefix(2);
  else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) base = 2, s.remove_prefix(2);
  else if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) base = 8, s.remove_prefix(2);
  else if (s.size() > 1 && s[0] == '0') base = 8, s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  u64 v = 0;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') d = unsigned(c - '0');
    else if (c >= 'a' && c <= 'f') d = unsigned(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = unsigned(c - 'A' + 10);
    else return std::nullopt;
    if (d >= base) return std::nullopt;
    if (v > (~u64(0) - d) / base) return std::nullopt;
    v = v * base + d;
  }
  return v;
}

u64 number_option(std::string_view name, std::string_view value) {
  if (auto v = parse_u64(value)) return *v;
  usage_error(format("-%.*s: '%.*s' is not a valid integer", int(name.size()), name.data(), int(value.size()), value.data()));
}

Options parse(int argc, char** argv) {
  Options o;
  static const char* const kValued[] = {"entry", "dylib", "triple", "mcpu", "check", "preallocate",
                                        "target-addr-start", "target-addr-end", "target-section-sep",
                                        "map-section", "dummy-extern", "loader"};
  bool only_inputs = false;
  for (int i = 1; i < argc; i++) {
    std::string_view arg = argv[i];
    if (only_inputs || arg == "-" || arg.size() < 2 || arg[0] != '-') {
      o.inputs.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      only_inputs = true;
      continue;
    }
    std::string_view name = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string_view> value;
    if (size_t eq = name.find('='); eq != std::string_view::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "args") {
      if (value) o.program_args.emplace_back(*value);
      for (i++; i < argc; i++) o.program_args.emplace_back(argv[i]);
      break;
    }
    bool valued = false;
    for (const char* v : kValued) valued |= name == v;
    if (valued && !value) {
      if (i + 1 >= argc) usage_error(format("-%.*s needs a value", int(name.size()), name.data()));
      value = argv[++i];
    }
    if (valued) {
      std::string v(*value);
      if (name == "entry") o.entry = v;
      else if (name == "dylib") o.dylibs.push_back(v);
      else if (name == "triple") o.triple = v;
      else if (name == "mcpu") o.mcpu = v;
      else if (name == "check") o.checks.push_back(v);
      else if (name == "preallocate") o.preallocate = number_option(name, v);
      else if (name == "target-addr-start") o.target_addr_start = number_option(name, v);
      else if (name == "target-addr-end") o.target_addr_end = number_option(name, v);
      else if (name == "target-section-sep") o.target_section_sep = number_option(name, v);
      else if (name == "map-section") o.map_sections.push_back(v);
      else if (name == "dummy-extern") o.dummy_externs.push_back(v);
      else if (name == "loader") o.loader = v;
      continue;
    }
    // Flags; like LLVM's, a flag may say =true or =false.
    bool on = true;
    if (value) {
      if (*value == "true" || *value == "1") on = true;
      else if (*value == "false" || *value == "0") on = false;
      else usage_error(format("-%.*s does not take the value '%.*s'", int(name.size()), name.data(), int(value->size()), value->data()));
    }
    if (name == "execute") { if (on) o.action = Action::Execute; }
    else if (name == "verify") { if (on) o.action = Action::Verify; }
    else if (name == "printline") { if (on) o.action = Action::PrintLine; }
    else if (name == "printobjline") { if (on) o.action = Action::PrintObjLine; }
    else if (name == "printdebugline") { if (on) o.action = Action::PrintDebugLine; }
    else if (name == "print-alloc-requests") o.print_alloc_requests = on;
    else if (name == "show-times") o.show_times = on;
    else if (name == "help" || name == "h" || name == "help-hidden") {
      usage(stdout);
      std::exit(0);
    } else {
      std::fprintf(stderr, "%s: unknown option '%.*s'\n", kProgram, int(arg.size()), arg.data());
      usage(stderr);
      std::exit(kExitUsage);
    }
  }
  if (o.loader != "engine" && o.loader != "reference")
    usage_error(format("--loader must be 'engine' or 'reference', not '%s'", o.loader.c_str()));
  // As llvm-rtdyld: no input files means standard input.
  if (o.inputs.empty()) o.inputs.emplace_back("-");
  return o;
}

// An input ("-": standard input), through the one bounded reader: a
// directory, a device that never ends or a file over the size limit is an
// error, not an exception. Objects are sniffed first (refused unread when
// no format recognizes them); -check files are text.
std::vector<u8> read_input(const std::string& path, bool object) {
  ReadOptions options;
  if (object) {
    options.sniff = looks_like_object;
    options.sniff_failure = "not an object file of a supported format (ELF, Mach-O)";
  }
  Expected<std::vector<u8>> bytes = path == "-" ? jitload::read_fd(0, "<stdin>", options) : jitload::read_file(path, options);
  if (!bytes) {
    std::string why = bytes.error().message();
    std::string shown = path == "-" ? "<stdin>" : path;
    if (why.starts_with(shown + ": ")) why.erase(0, shown.size() + 2);
    fail(format("unable to read input '%s': %s", shown.c_str(), why.c_str()), read_failure_status(bytes.error()));
  }
  return std::move(*bytes);
}

std::string base_name(const std::string& path) {
  if (path == "-") return "<stdin>";
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The -dylib libraries, searched by -verify's symbol resolution.
std::vector<void*> dylib_handles;
// Names the memory manager was asked for and could not resolve, in order.
std::vector<std::string> unresolved_names;

void load_dylibs(const Options& o) {
  for (const std::string& lib : o.dylibs) {
    if (access(lib.c_str(), R_OK) != 0) fail(format("dylib not found: '%s'", lib.c_str()), kExitUnreadable);
    // RTLD_GLOBAL: under -execute the loaders resolve external symbols
    // through dlsym over the whole process.
    void* handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!handle) fail(format("error loading '%s': %s", lib.c_str(), dlerror()));
    dylib_handles.push_back(handle);
  }
}

// After a link error: when it is an external symbol that nothing defined,
// say so as llvm-rtdyld does (`Could not find definition for "printf"`,
// status 1), then the loader's error, and stop — -verify does not run its checks then, as
// llvm-rtdyld. The name is the first one asked for in vain that the
// loader's error names (a weak reference nothing defines is 0 and no
// error here, by the gABI, where llvm-rtdyld refuses it too).
void report_unresolved(const Error& e) {
  if (e.kind() != ErrorKind::Unresolved) return;
  for (const std::string& name : unresolved_names)
    if (e.message().find("'" + name + "'") != std::string::npos) {
      std::fprintf(stderr, "%s: Could not find definition for \"%s\"\n", kProgram, name.c_str());
      fail(e.message());  // the loader's own line names every missing symbol and its object
    }
}

// Phase timing for -show-times.
class Timer {
 public:
  Timer(bool on, const char* what) : on_(on), what_(what), start_(std::chrono::steady_clock::now()) {}
  ~Timer() {
    if (!on_) return;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "%s: %s: %.3f ms\n", kProgram, what_, double(us) / 1000.0);
  }

 private:
  bool on_;
  const char* what_;
  std::chrono::steady_clock::time_point start_;
};

std::unique_ptr<RtdyldLoader> make_loader(const Options& o, bool execute) {
  RtdyldMemoryOptions m;
  m.execute = execute;
  m.print_alloc_requests = o.print_alloc_requests;
  m.preallocate = o.preallocate;
  m.dylibs = dylib_handles;
  m.on_unresolved = [](std::string_view name) { unresolved_names.emplace_back(name); };
  for (const std::string& d : o.dummy_externs) {
    size_t eq = d.find('=');
    if (eq == std::string::npos)
      usage_error(format("invalid dummy symbol specification '%s': should be '<symbol name>=<addr>'", d.c_str()));
    std::optional<u64> addr = parse_u64(std::string_view(d).substr(eq + 1));
    if (!addr) usage_error(format("invalid symbol mapping '%s': the address is not an integer", d.c_str()));
    m.dummy_externs[d.substr(0, eq)] = *addr;
  }
  auto loader = o.loader == "reference" ? checker::make_reference_rtdyld_loader(m)
                                        : checker::make_engine_rtdyld_loader(m);
  if (!loader) fail(loader.error().message());
  return std::move(*loader);
}

// Big-endian objects make the checker read memory big-endian.
checker::Endian object_endian(std::span<const u8> b) {
  if (b.size() > 5 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F')
    return b[5] == 2 ? checker::Endian::Big : checker::Endian::Little;
  if (b.size() >= 4 && b[0] == 0xfe && b[1] == 0xed && b[2] == 0xfa && (b[3] == 0xce || b[3] == 0xcf))
    return checker::Endian::Big;  // Mach-O written big-endian
  return checker::Endian::Little;
}

int execute(const Options& o) {
  load_dylibs(o);
  std::unique_ptr<RtdyldLoader> loader = make_loader(o, true);
  {
    Timer t(o.show_times, "load");
    for (const std::string& path : o.inputs) {
      std::vector<u8> bytes = read_input(path, true);
      // Code for another machine would be jumped into here (SIGSEGV or
      // SIGILL): refused before anything loads. `jitload exec` runs
      // AArch64 and RISC-V objects under qemu; -verify checks any.
      if (std::string why = not_for_this_host(bytes); !why.empty())
        fail(format("%s: cannot -execute %s on this host; use -verify, or `jitload exec` (which runs the machines "
                    "it has a runner for under qemu)",
                    path.c_str(), why.c_str()));
      if (Error e = loader->load(bytes, base_name(path))) fail(e.message());
    }
  }
  {
    Timer t(o.show_times, "link");
    // Unlike llvm-rtdyld, which runs code whose relocations failed, a link
    // error stops here.
    if (Error e = loader->resolve()) {
      report_unresolved(e);
      fail(e.message());
    }
    if (Error e = loader->finalize()) fail(e.message());
  }
  void* main_address = loader->symbol_local_address(o.entry);
  if (!main_address) fail(format("no definition for '%s'", o.entry.c_str()));
  // Only code is called: an entry point in data (a variable's name) would
  // execute its bytes. It must lie in memory the loader asked for as code.
  bool in_code = false;
  u64 at = u64(reinterpret_cast<uintptr_t>(main_address));
  for (const checker::Allocation& a : loader->allocations())
    if (at >= a.local && at - a.local < std::max<u64>(a.size, 1)) {
      if (!a.code)
        fail(format("entry point '%s' is not a function: it is in data section '%s'; refusing to jump into it",
                    o.entry.c_str(), a.name.c_str()));
      in_code = true;
    }
  if (!in_code) fail(format("entry point '%s' is not in any loaded code section; refusing to jump into it", o.entry.c_str()));
  std::fprintf(stderr, "loaded '%s' at: %p\n", o.entry.c_str(), main_address);
  std::vector<const char*> argv;
  argv.push_back(o.inputs[0].c_str());  // argv[0]: the first input, as llvm-rtdyld
  for (const std::string& a : o.program_args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  auto entry = reinterpret_cast<int (*)(int, const char**)>(main_address);
  std::fflush(stdout);
  std::fflush(stderr);
  Timer t(o.show_times, "run");
  // Unlike llvm-rtdyld, which runs neither (llvm-rtdyld-19 here cannot even
  // resolve __cxa_atexit), static constructors run before the entry point
  // and the destructors after it, so C++ programs with static objects run.
  if (Error e = loader->run_constructors()) fail(e.message());
  int rc = entry(int(argv.size() - 1), argv.data());
  if (Error e = loader->run_destructors()) fail(e.message());
  std::fflush(stdout);
  return rc;
}

// -verify asks LLVM two things before it loads anything: is there a
// disassembler for -triple (else "error accessing target"), and how large is
// its address space (the default -target-addr-end). For the architectures
// below, without -mcpu, both answers are known here (LLVM has a
// disassembler for each; each is 64-bit), so -verify starts without LLVM
// (tools/llvm-module.h) and loads it only if a check decodes an instruction.
// Any other triple, or any -mcpu (LLVM warns about a CPU it does not know),
// is asked of LLVM up front, exactly as before.
std::optional<u64> address_limit_without_llvm(const Options& o) {
  if (!o.mcpu.empty()) return std::nullopt;
  std::string_view arch = std::string_view(o.triple).substr(0, o.triple.find('-'));
  if (arch == "x86_64" || arch == "aarch64" || arch == "aarch64_be") return ~u64(0);
  return std::nullopt;
}

std::string target_error(const Options& o, const Error& e) {
  return format("error accessing target '%s': %s", o.triple.c_str(), e.message().c_str());
}

// LLVM's disassembler, made on the first decode_operand/next_pc; its error
// (no module, no target) becomes that check's error.
class LazyDecoder final : public checker::InstructionDecoder {
 public:
  explicit LazyDecoder(const Options& o) : o_(o) {}
  Expected<checker::DecodedInstruction> decode(std::span<const u8> bytes) override {
    if (!real_ && failed_.empty()) {
      Expected<const LlvmModule*> m = llvm_module();
      if (!m) failed_ = m.error().message();
      else if (auto d = (*m)->make_decoder(o_.triple, o_.mcpu); !d) failed_ = target_error(o_, d.error());
      else real_ = std::move(*d);
    }
    if (!real_) return Error(ErrorKind::Unsupported, failed_);
    return real_->decode(bytes);
  }
  u64 pc_bias() const override { return real_ ? real_->pc_bias() : 0; }

 private:
  const Options& o_;
  std::unique_ptr<checker::InstructionDecoder> real_;
  std::string failed_;
};

int verify(const Options& o) {
  if (o.triple.empty()) usage_error("-triple required when running in -verify mode.");
  std::unique_ptr<checker::InstructionDecoder> decoder;
  std::optional<u64> address_limit = address_limit_without_llvm(o);
  if (address_limit) {
    decoder = std::make_unique<LazyDecoder>(o);
  } else {
    Expected<const LlvmModule*> m = llvm_module();
    if (!m) fail(target_error(o, m.error()));
    auto d = (*m)->make_decoder(o.triple, o.mcpu);
    if (!d) fail(target_error(o, d.error()));
    decoder = std::move(*d);
    address_limit = (*m)->address_limit(o.triple);
  }
  load_dylibs(o);
  std::unique_ptr<RtdyldLoader> loader = make_loader(o, false);
  checker::Endian endian = checker::Endian::Little;
  {
    Timer t(o.show_times, "load");
    for (size_t i = 0; i < o.inputs.size(); i++) {
      std::vector<u8> bytes = read_input(o.inputs[i], true);
      if (i == 0) endian = object_endian(bytes);
      if (Error e = loader->load(bytes, base_name(o.inputs[i]))) fail(e.message());
    }
  }

  // -map-section first, then everything else around it.
  std::map<u32, u64> fixed;
  for (const std::string& m : o.map_sections) {
    size_t eq = m.find('='), comma = m.find(',');
    if (comma == std::string::npos || eq == std::string::npos || comma > eq)
      usage_error(format("invalid section specification '%s': should be '<file name>,<section name>=<addr>'", m.c_str()));
    std::string file = m.substr(0, comma), section = m.substr(comma + 1, eq - comma - 1);
    std::optional<u64> addr = parse_u64(std::string_view(m).substr(eq + 1));
    if (!addr) usage_error(format("invalid section address in mapping '%s'", m.c_str()));
    std::optional<u32> id = loader->find_section(file, section);
    if (!id) {
      bool file_known = false;
      for (const std::string& in : o.inputs) file_known |= base_name(in) == file;
      if (!file_known) fail(format("no file named %s", file.c_str()));
      fail(format("no section named \"%s\" in file %s", section.c_str(), file.c_str()));
    }
    fixed[*id] = *addr;
  }
  // llvm-rtdyld's order: every code allocation, then every data allocation.
  std::vector<const checker::Allocation*> order;
  for (const checker::Allocation& a : loader->allocations())
    if (a.code && loader->placed_by_layout(a.section)) order.push_back(&a);
  for (const checker::Allocation& a : loader->allocations())
    if (!a.code && loader->placed_by_layout(a.section)) order.push_back(&a);
  std::vector<checker::PlacementBlock> blocks;
  for (const checker::Allocation* a : order) {
    checker::PlacementBlock b;
    b.span = a->span;
    if (auto it = fixed.find(a->section); it != fixed.end()) {
      // A section must end at or below 2^64: one mapped across the top
      // would alias the bottom of the address space.
      if (a->size && it->second > ~u64(0) - (a->size - 1))
        usage_error(format("-map-section: section '%s' (size 0x%llx) at 0x%llx would wrap the address space",
                           a->name.c_str(), (unsigned long long)a->size, (unsigned long long)it->second));
      b.fixed = it->second;
      fixed.erase(it);
    }
    blocks.push_back(b);
  }
  // Mapped sections that made no allocation (thread-local ones): as asked.
  for (const auto& [id, addr] : fixed)
    if (Error e = loader->map_section(id, addr)) fail(e.message());
  u64 end = o.target_addr_end ? *o.target_addr_end : *address_limit;
  auto placed = checker::place_sections(blocks, o.target_addr_start, end, o.target_section_sep);
  if (!placed) fail(placed.error().message());
  for (size_t i = 0; i < order.size(); i++)
    if (Error e = loader->map_section(order[i]->section, (*placed)[i])) fail(e.message());

  Error link_error;
  {
    Timer t(o.show_times, "link");
    link_error = loader->resolve();
  }

  // An external nothing defines ends it here, as in llvm-rtdyld. Another
  // link error comes first: it explains the checks that then fail on
  // fields left unpatched. The checks still run (as in llvm-rtdyld).
  if (link_error) report_unresolved(link_error);
  if (link_error) std::fprintf(stderr, "%s: error: %s\n", kProgram, link_error.message().c_str());
  checker::Checker check(loader->context(), decoder.get(), endian);
  for (const std::string& file : o.checks) {
    std::vector<u8> text = read_input(file, false);
    checker::BufferResult r =
        check.check_buffer(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()), base_name(file));
    for (const std::string& msg : r.messages) std::fprintf(stderr, "%s\n", msg.c_str());
    if (!r.passed()) fail(format("some checks in '%s' failed", file.c_str()));
  }
  return link_error ? 1 : 0;
}

// LLVM's object and DWARF readers end the process (report_fatal_error) on
// some malformed objects — a relocation section whose sh_info names no
// section, for one. Line tables are therefore read in a child process, as
// the LLVM oracle runs (DESIGN.md): its abort becomes an error here.
Expected<std::string> line_info_in_child(std::span<const u8> bytes, const RtdyldLoader* loader) {
  // The DWARF reader is LLVM's: the module, loaded here before the fork.
  Expected<const LlvmModule*> module = llvm_module();
  if (!module) return Error(module.error().kind(), module.error().message());
  const LlvmModule* llvm = *module;
  int fds[2];
  if (pipe(fds) != 0) return Error(ErrorKind::Io, format("pipe: %s", std::strerror(errno)));
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return Error(ErrorKind::Io, format("fork: %s", std::strerror(errno)));
  }
  if (pid == 0) {
    close(fds[0]);
    // Limits, as the LLVM oracle's child has: a corrupted compressed debug
    // section can claim gigabytes, which LLVM allocates and fills (seconds
    // of memset). 5 s of CPU and 2 GiB of address space (not under ASan,
    // which reserves terabytes) are far more than any real object needs.
    struct rlimit cpu = {5, 5};
    setrlimit(RLIMIT_CPU, &cpu);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
#if !JITLOAD_UNDER_ASAN
    struct rlimit as = {rlim_t(2) << 30, rlim_t(2) << 30};
    setrlimit(RLIMIT_AS, &as);
#endif
    auto text = llvm->line_info(bytes, loader, 0);
    // One byte of verdict ('+' text, '-' error message), then the text.
    std::string out = text ? "+" + *text : "-" + text.error().message();
    for (size_t done = 0; done < out.size();) {
      ssize_t n = write(fds[1], out.data() + done, out.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) _exit(3);
      done += size_t(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string got;
  char buf[1 << 14];
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got.append(buf, size_t(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
    return Error(ErrorKind::Malformed, "cannot read the object's line tables: LLVM's DWARF reader took more than 5 s of CPU");
  if (WIFSIGNALED(status))
    return Error(ErrorKind::Malformed, format("cannot read the object's line tables: LLVM's object reader gave up on it "
                                              "(signal %d)", WTERMSIG(status)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got.empty())
    return Error(ErrorKind::Malformed, "cannot read the object's line tables: the reader process failed");
  if (got[0] == '-') return Error(ErrorKind::Malformed, got.substr(1));
  return got.substr(1);
}

int print_lines(const Options& o) {
  if (o.action != Action::PrintObjLine) load_dylibs(o);
  for (const std::string& path : o.inputs) {
    std::vector<u8> bytes = read_input(path, true);
    std::unique_ptr<RtdyldLoader> loader;
    if (o.action != Action::PrintObjLine) {
      // One fresh loader per file, as llvm-rtdyld.
      // Externals as llvm-rtdyld -printline resolves them: from -dylib
      // libraries (and -dummy-extern), not from this process.
      loader = make_loader(o, false);
      if (Error e = loader->load(bytes, base_name(path))) fail(e.message());
      if (Error e = loader->resolve()) {
        report_unresolved(e);
        fail(e.message());
      }
    }
    auto text = line_info_in_child(bytes, loader.get());
    if (!text) fail(text.error().message());
    std::fwrite(text->data(), 1, text->size(), stdout);
  }
  return 0;
}

}  // namespace

int cmd_rtdyld(int argc, char** argv) {
  Options o = parse(argc, argv);
  switch (o.action) {
    case Action::Execute: return execute(o);
    case Action::Verify: return verify(o);
    case Action::PrintLine:
    case Action::PrintObjLine:
    case Action::PrintDebugLine: return print_lines(o);
  }
  return 2;
}

}  // namespace jitload::tools
