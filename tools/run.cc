// jitload run [options] FILE.ll|FILE.bc [program arguments...]
//
// `lli -jit-kind=mcjit` on jitload's engine: compiles the module with
// LLVM's code generator, loads and links it with jitload's loader, runs the
// static constructors, calls the entry function as main(argc, argv, envp),
// runs the static destructors, and exits with main's return value. The
// program's stdout and stderr are the process's own; jitload itself writes
// only to stderr.
//
// The command line is lli 19's, parsed by the same parser (llvm::cl, in the
// libLLVM this binary links): every option `lli-19 --help-hidden` lists is
// accepted with lli's syntax — the options lli defines itself (declared
// below, with lli's names, defaults and value names), the code-generation
// flags (-mcpu, -mattr, -relocation-model, -code-model, -float-abi, ...
// through llvm::codegen, as lli registers them) and every option libLLVM
// registers (-x86-asm-syntax, -debug-pass, -time-passes, ...), which act on
// the code generator exactly as they do in lli. The first positional
// argument is the input (default "-", stdin); everything after it goes to
// the program, "--" included, as lli does; "--" before the input ends the
// options.
//
// Where jitload has no equivalent of what an option asks for (the
// interpreter, ORC, remote execution), one line on stderr says what it does
// instead, or — where the program's output would differ — it refuses with an
// error. The table is in the README ("lli compatibility").
//
// Exit statuses (lli's): the program's own status when it ran; 1 for a bad
// command line, an input that cannot be read or parsed, a link or code
// generation error, and every refusal; 255 when the entry function is not a
// function of the main module (lli's "function not found in module").
#if __has_include(<llvm/IR/Module.h>)

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/CodeGen/CommandFlags.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/SubtargetFeature.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>

#include "engine/mcjit/lli-object-cache.h"
#include "engine/mcjit/mcjit.h"
#include "tools/commands.h"
#include "tools/remote.h"

extern char** environ;

namespace jitload::tools {

namespace {

namespace cl = llvm::cl;

constexpr const char* kProgram = "jitload run";

// The largest input `run` reads (a module, an object, an archive): the same
// 1 GiB every jitload command refuses above; a regular file is refused from
// its size, a stream once it has delivered more.
constexpr size_t kMaxInputBytes = size_t(1) << 30;

enum class JitKind { MCJIT, Orc, OrcLazy };
enum class JitLinkerKind { Default, RuntimeDyld, JITLink };
enum class LLJITPlatform { Auto, ExecutorNative, GenericIR, Inactive };
enum class OrcDumpKind { NoDump, FuncsToStdOut, ModsToStdOut, ModsToDisk, DebugDescriptor, DebugObjects };

// lli 19's own options, under lli's names, with lli's defaults — except
// -jit-kind, whose default here is mcjit (the only engine jitload has).
// Constructed once, when `run` starts: they register with llvm::cl then, so
// no other jitload command sees them.
struct LliOptions {
  cl::OptionCategory jitload_category{"jitload options (not lli's)"};

  cl::opt<std::string> input{cl::desc("<input bitcode>"), cl::Positional, cl::init("-")};
  cl::list<std::string> input_argv{cl::ConsumeAfter, cl::desc("<program arguments>...")};
  cl::opt<bool> force_interpreter{"force-interpreter", cl::desc("Force interpretation: disable JIT"),
                                  cl::init(false)};
  cl::opt<JitKind> jit_kind{"jit-kind", cl::desc("Choose underlying JIT kind."), cl::init(JitKind::MCJIT),
                            cl::values(clEnumValN(JitKind::MCJIT, "mcjit", "MCJIT"),
                                       clEnumValN(JitKind::Orc, "orc", "Orc JIT"),
                                       clEnumValN(JitKind::OrcLazy, "orc-lazy", "Orc-based lazy JIT."))};
  cl::opt<JitLinkerKind> jit_linker{
      "jit-linker", cl::desc("Choose the dynamic linker/loader."), cl::init(JitLinkerKind::Default),
      cl::values(clEnumValN(JitLinkerKind::Default, "default", "Default for platform and JIT-kind"),
                 clEnumValN(JitLinkerKind::RuntimeDyld, "rtdyld", "RuntimeDyld"),
                 clEnumValN(JitLinkerKind::JITLink, "jitlink", "Orc-specific linker"))};
  cl::opt<std::string> orc_runtime{"orc-runtime", cl::desc("Use ORC runtime from given path"), cl::init("")};
  cl::opt<unsigned> compile_threads{"compile-threads",
                                    cl::desc("Choose the number of compile threads (jit-kind=orc-lazy only)"),
                                    cl::init(0)};
  cl::list<std::string> thread_entry{"thread-entry",
                                     cl::desc("calls the given entry-point on a new thread (jit-kind=orc-lazy only)")};
  cl::opt<bool> per_module_lazy{
      "per-module-lazy",
      cl::desc("Performs lazy compilation on whole module boundaries rather than individual functions"),
      cl::init(false)};
  cl::list<std::string> jd{"jd",
                           cl::desc("Specifies the JITDylib to be used for any subsequent -extra-module arguments.")};
  cl::list<std::string> dlopen{"dlopen", cl::desc("Dynamic libraries to load before linking")};
  // lli's -load comes from LLVM's PluginLoader: each occurrence loads the
  // library while the command line is parsed (so a plugin's own options can
  // follow it), and a failure is reported and ignored.
  cl::list<std::string> load{"load", cl::value_desc("pluginfilename"), cl::desc("Load the specified plugin"),
                             cl::cb<void, const std::string&>(load_plugin)};
  cl::opt<bool> remote_mcjit{"remote-mcjit", cl::desc("Execute MCJIT'ed code in a separate process."),
                             cl::init(false)};
  cl::opt<std::string> child_exec_path{
      "mcjit-remote-process",
      cl::desc("Specify the filename of the process to launch for remote MCJIT execution.  If none is "
               "specified,\n\tremote execution will be simulated in-process."),
      cl::value_desc("filename"), cl::init("")};
  cl::opt<char> opt_level{"O", cl::desc("Optimization level. [-O0, -O1, -O2, or -O3] (default = '-O2')"),
                          cl::Prefix, cl::init(' ')};
  cl::opt<std::string> target_triple{"mtriple", cl::desc("Override target triple for module")};
  cl::opt<std::string> entry_function{"entry-function",
                                      cl::desc("Specify the entry function (default = 'main') of the executable"),
                                      cl::value_desc("function"), cl::init("main")};
  cl::list<std::string> extra_modules{"extra-module", cl::desc("Extra modules to be loaded"),
                                      cl::value_desc("input bitcode")};
  cl::list<std::string> extra_objects{"extra-object", cl::desc("Extra object files to be loaded"),
                                      cl::value_desc("input object")};
  cl::list<std::string> extra_archives{"extra-archive", cl::desc("Extra archive files to be loaded"),
                                       cl::value_desc("input archive")};
  cl::opt<bool> enable_cache_manager{"enable-cache-manager", cl::desc("Use cache manager to save/load modules"),
                                     cl::init(false)};
  cl::opt<std::string> object_cache_dir{"object-cache-dir",
                                        cl::desc("Directory to store cached object files (must be user writable)"),
                                        cl::init("")};
  cl::opt<std::string> fake_argv0{"fake-argv0",
                                  cl::desc("Override the 'argv[0]' value passed into the executing program"),
                                  cl::value_desc("executable")};
  cl::opt<bool> disable_core_files{"disable-core-files", cl::Hidden,
                                   cl::desc("Disable emission of core files if possible")};
  cl::opt<bool> no_lazy_compilation{"disable-lazy-compilation", cl::desc("Disable JIT lazy compilation"),
                                    cl::init(false)};
  cl::opt<bool> soft_float{"soft-float", cl::desc("Generate software floating point library calls"),
                           cl::init(false)};
  cl::opt<bool> no_process_symbols{"no-process-syms", cl::desc("Do not resolve lli process symbols in JIT'd code"),
                                   cl::init(false)};
  cl::opt<LLJITPlatform> platform{
      "lljit-platform", cl::desc("Platform to use with LLJIT"), cl::init(LLJITPlatform::Auto),
      cl::values(clEnumValN(LLJITPlatform::Auto, "Auto",
                            "Like 'ExecutorNative' if ORC runtime provided, otherwise like 'GenericIR'"),
                 clEnumValN(LLJITPlatform::ExecutorNative, "ExecutorNative",
                            "Use the native platform for the executor.Requires -orc-runtime"),
                 clEnumValN(LLJITPlatform::GenericIR, "GenericIR", "Use LLJITGenericIRPlatform"),
                 clEnumValN(LLJITPlatform::Inactive, "Inactive", "Disable platform support explicitly")),
      cl::Hidden};
  cl::opt<OrcDumpKind> orc_dump{
      "orc-lazy-debug", cl::desc("Debug dumping for the orc-lazy JIT."), cl::init(OrcDumpKind::NoDump),
      cl::values(clEnumValN(OrcDumpKind::NoDump, "no-dump", "Don't dump anything."),
                 clEnumValN(OrcDumpKind::FuncsToStdOut, "funcs-to-stdout", "Dump function names to stdout."),
                 clEnumValN(OrcDumpKind::ModsToStdOut, "mods-to-stdout", "Dump modules to stdout."),
                 clEnumValN(OrcDumpKind::ModsToDisk, "mods-to-disk",
                            "Dump modules to the current working directory. (WARNING: will overwrite existing "
                            "files)."),
                 clEnumValN(OrcDumpKind::DebugDescriptor, "jit-debug-descriptor",
                            "Dump __jit_debug_descriptor contents to stdout"),
                 clEnumValN(OrcDumpKind::DebugObjects, "jit-debug-objects",
                            "Dump __jit_debug_descriptor in-memory debug objects as tool output")),
      cl::Hidden};

  // jitload's own.
  cl::opt<std::string> object_cache{
      "object-cache", cl::desc("Same as -enable-cache-manager -object-cache-dir=DIR"), cl::value_desc("DIR"),
      cl::cat(jitload_category)};
  cl::opt<bool> no_debugger{"no-debugger", cl::desc("Do not register code with the GDB JIT interface"),
                            cl::cat(jitload_category)};
  cl::opt<std::string> target_exec{
      "target-exec",
      cl::desc("Generate code for this target triple and run it in a jitload-executor for it: the host's "
               "architecture directly, aarch64 under qemu-aarch64-static (short for -mtriple=T -remote-mcjit "
               "-mcjit-remote-process='qemu-aarch64-static -L /usr/aarch64-linux-gnu jitload-executor-aarch64')"),
      cl::value_desc("triple"), cl::cat(jitload_category)};
  cl::opt<unsigned> remote_timeout{
      "remote-timeout",
      cl::desc("Seconds to wait for the remote executor's answer to a load request (Setup, reserve, lookup, "
               "finalize) before ending the session with an error (default 60; 0: wait forever; the program's own "
               "run is never timed)"),
      cl::value_desc("seconds"), cl::init(60), cl::cat(jitload_category)};
  cl::opt<bool> jitload_stats{"jitload-stats",
                              cl::desc("Print code generation, cache, load and link counts and times to stderr"),
                              cl::cat(jitload_category)};

  static void load_plugin(const std::string& file) {
    // As PluginLoader: RTLD_GLOBAL, so JIT code resolves against it too.
    if (!::dlopen(file.c_str(), RTLD_LAZY | RTLD_GLOBAL)) {
      const char* why = ::dlerror();
      llvm::errs() << "Error opening '" << file << "': " << (why ? why : "unknown error")
                   << "\n  -load request ignored.\n";
    }
  }
};

// The engine whose destructors must run if the program calls exit().
MCJIT* g_engine = nullptr;

void run_destructors_at_exit() {
  if (MCJIT* e = g_engine) {
    g_engine = nullptr;
    (void)e->run_static_constructors_destructors(true);
  }
}

// lli's diagnostics: "<program>: error: ..." (WithColor, never colored here).
int error(int status, const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s: error: %s\n", kProgram, message.c_str());
  return status;
}

// One line saying what jitload does instead of what an option asks for.
void note(const std::string& message) { std::fprintf(stderr, "%s: note: %s\n", kProgram, message.c_str()); }

enum class InputKind { Module, Object, Archive };

// The file's bytes, read with a bound and a first look, so a stream such as
// /dev/zero is refused at its first block instead of being read until memory
// runs out. A module is bitcode (magic 'BC' 0xC0DE, or its wrapper
// 0x0B17C0DE) or text, and text has no NUL byte; an object starts with
// "\x7fELF" (the formats jitload's loader reads); an archive with "!<arch>\n"
// or "!<thin>\n". Nothing larger than kMaxInputBytes is read. "-" is stdin,
// as lli reads it.
Expected<std::string> read_input(const std::string& path, InputKind kind) {
  bool use_stdin = path == "-" && kind == InputKind::Module;
  int fd = use_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Error(ErrorKind::Io, format("%s: error: Could not open input file: %s", path.c_str(), std::strerror(errno)));
  auto finish = [&](Error e) -> Error {
    if (!use_stdin) ::close(fd);
    return e;
  };
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
    return finish(Error(ErrorKind::Io, format("%s: error: Could not open input file: Is a directory", path.c_str())));
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && u64(st.st_size) > kMaxInputBytes)
    return finish(Error(ErrorKind::Io, format("%s: error: %llu bytes: larger than the 1 GiB `jitload run` reads",
                                              path.c_str(), (unsigned long long)st.st_size)));
  const size_t magic_size = kind == InputKind::Archive ? 8 : 4;
  std::string bytes;
  bool text = false, decided = false;
  // The first bytes decide what the rest may be.
  auto decide = [&]() -> Error {
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    switch (kind) {
      case InputKind::Module:
        text = !((b[0] == 'B' && b[1] == 'C' && b[2] == 0xC0 && b[3] == 0xDE) ||
                 (b[0] == 0xDE && b[1] == 0xC0 && b[2] == 0x17 && b[3] == 0x0B));
        return Error::success();
      case InputKind::Object:
        if (std::memcmp(b, "\x7f" "ELF", 4) == 0) return Error::success();
        return Error(ErrorKind::Malformed, format("%s: error: not an ELF object file (no \\x7fELF magic)", path.c_str()), 0);
      case InputKind::Archive:
        if (std::memcmp(b, "!<arch>\n", 8) == 0 || std::memcmp(b, "!<thin>\n", 8) == 0) return Error::success();
        return Error(ErrorKind::Malformed, format("%s: error: not an archive (no !<arch> magic)", path.c_str()), 0);
    }
    return Error::success();
  };
  try {
    char block[65536];
    for (;;) {
      ssize_t n = ::read(fd, block, sizeof block);
      if (n < 0) {
        if (errno == EINTR) continue;
        return finish(Error(ErrorKind::Io, format("%s: error: read: %s", path.c_str(), std::strerror(errno))));
      }
      if (n == 0) break;
      bytes.append(block, size_t(n));
      if (!decided && bytes.size() >= magic_size) {
        decided = true;
        if (Error e = decide()) return finish(std::move(e));
      }
      if (kind == InputKind::Module && (text || !decided) && std::memchr(block, 0, size_t(n)))
        return finish(Error(ErrorKind::Malformed,
                            format("%s: error: neither LLVM bitcode nor LLVM IR text (a NUL byte near offset %zu)",
                                   path.c_str(), bytes.size() - size_t(n))));
      if (bytes.size() > kMaxInputBytes)
        return finish(Error(ErrorKind::Io, format("%s: error: larger than the 1 GiB `jitload run` reads",
                                                  path.c_str())));
    }
  } catch (const std::bad_alloc&) {
    return finish(
        Error(ErrorKind::Io, format("%s: error: out of memory after reading %zu bytes", path.c_str(), bytes.size())));
  }
  if (!decided && kind != InputKind::Module)
    return finish(Error(ErrorKind::Malformed,
                        format("%s: error: %zu bytes: too short to be %s", path.c_str(), bytes.size(),
                               kind == InputKind::Object ? "an object file" : "an archive")));
  if (Error e = finish(Error::success())) return e;
  return bytes;
}

// LLVM's IR parser recurses once per level of nested types, constants and
// metadata; a few tens of thousands of levels overflow the stack (lli-19
// dies so too). Real modules nest a few dozen levels deep; text nested
// deeper than this is refused before it is parsed.
constexpr size_t kMaxTextNesting = 1000;

// The line of the first bracket ('(', '[', '{', '<') nested deeper than
// kMaxTextNesting, outside strings and comments, or 0.
size_t too_deep_line(std::string_view text) {
  size_t depth = 0, line = 1;
  bool in_string = false, in_comment = false;
  for (char c : text) {
    if (c == '\n') {
      line++;
      in_comment = false;
      continue;
    }
    if (in_comment) continue;
    if (in_string) {
      in_string = c != '"';  // IR strings escape a quote as \22, never \"
      continue;
    }
    switch (c) {
      case ';': in_comment = true; break;
      case '"': in_string = true; break;
      case '(': case '[': case '{': case '<':
        if (++depth > kMaxTextNesting) return line;
        break;
      case ')': case ']': case '}': case '>':
        if (depth > 0) depth--;
        break;
      default: break;
    }
  }
  return 0;
}

// Parses a module, printing lli's diagnostic ("<program>: FILE:LINE:COL:
// error: ...") on failure.
std::unique_ptr<llvm::Module> read_module(llvm::LLVMContext& ctx, const std::string& path) {
  Expected<std::string> bytes = read_input(path, InputKind::Module);
  if (!bytes) {
    std::fprintf(stderr, "%s: %s\n", kProgram, bytes.error().message().c_str());
    return nullptr;
  }
  // Named by a StringRef to the path itself: `path == "-" ? "<stdin>" :
  // path` would be a temporary std::string, gone before parseIR reads it.
  llvm::MemoryBufferRef buffer(*bytes, path == "-" ? llvm::StringRef("<stdin>") : llvm::StringRef(path));
  if (!llvm::isBitcode(reinterpret_cast<const unsigned char*>(bytes->data()),
                       reinterpret_cast<const unsigned char*>(bytes->data() + bytes->size())))
    if (size_t line = too_deep_line(*bytes)) {
      std::fprintf(stderr, "%s: %s:%zu: error: nested more than %zu levels deep; refused before parsing\n", kProgram,
                   buffer.getBufferIdentifier().str().c_str(), line, kMaxTextNesting);
      return nullptr;
    }
  llvm::SMDiagnostic err;
  std::unique_ptr<llvm::Module> m = llvm::parseIR(buffer, err, ctx);
  if (!m) {
    std::string text;
    llvm::raw_string_ostream os(text);
    err.print(kProgram, os, /*ShowColors=*/false);
    std::fputs(text.c_str(), stderr);
    return nullptr;
  }
  // parseIR names the module after the buffer; lli's parseIRFile names it
  // after the path ("-" for stdin), which the cache manager then uses.
  m->setModuleIdentifier(path);
  return m;
}

void print_stats(const MCJIT& jit, const LliObjectCache* cache) {
  const EngineStats& s = jit.stats();
  std::fprintf(stderr,
               "%s: %llu object(s) generated, %llu from cache, %llu loaded (%llu archive members); "
               "codegen %.3f ms, load %.3f ms, link %.3f ms\n",
               kProgram, (unsigned long long)s.objects_emitted, (unsigned long long)s.cache_hits,
               (unsigned long long)s.objects_loaded, (unsigned long long)s.archive_members_loaded, s.codegen_ns / 1e6,
               s.load_ns / 1e6, s.link_ns / 1e6);
  if (cache) {
    ObjectCacheStats c = cache->stats();
    std::fprintf(stderr, "%s: object cache: %llu hit(s), %llu miss(es), %llu rejected, %llu written\n", kProgram,
                 (unsigned long long)c.hits, (unsigned long long)c.misses, (unsigned long long)c.rejected,
                 (unsigned long long)c.written);
  }
}

// LLVM's report_fatal_error (a code generator that cannot select an
// instruction, a subtarget that contradicts the triple, ...) would abort
// with a stack dump, as lli does; `run` ends with one error line and status
// 1 instead. Nothing of the program has run while code is generated (every
// module is compiled before the constructors), so nothing is lost by not
// returning.
void fatal_llvm_error(void*, const char* reason, bool) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s: error: LLVM: %s\n", kProgram, reason);
  std::fflush(stderr);
  ::_exit(1);
}

}  // namespace

int cmd_run(int argc, char** argv) {
  // Registered now, not at startup: only `run` parses LLVM's command line.
  static llvm::codegen::RegisterCodeGenFlags codegen_flags;
  static LliOptions o;
  initialize_llvm_targets();
  llvm::install_fatal_error_handler(fatal_llvm_error, nullptr);
  cl::AddExtraVersionPrinter([](llvm::raw_ostream& os) {
    os << "jitload run: lli -jit-kind=mcjit's command line on jitload's MCJIT engine and loader\n";
  });
  std::vector<const char*> args{kProgram};
  for (int i = 1; i < argc; i++) args.push_back(argv[i]);
  std::string parse_errors;
  {
    llvm::raw_string_ostream os(parse_errors);
    if (!cl::ParseCommandLineOptions(int(args.size()), args.data(), "llvm interpreter & dynamic compiler\n", &os)) {
      os.flush();
      std::fputs(parse_errors.c_str(), stderr);
      return 1;
    }
  }

  if (o.disable_core_files) {
    struct rlimit none = {0, 0};
    (void)::setrlimit(RLIMIT_CORE, &none);
  }
  for (const std::string& lib : o.dlopen)
    if (!::dlopen(lib.c_str(), RTLD_LAZY | RTLD_GLOBAL)) {
      const char* why = ::dlerror();
      std::fprintf(stderr, "%s: %s\n", kProgram, why ? why : "dlopen failed");
      return 1;
    }

  // What jitload does where lli would use an engine jitload does not have.
  const bool orc = o.jit_kind != JitKind::MCJIT;
  if (!orc) {
    // lli -jit-kind=mcjit refuses these, with these words and status.
    if (o.compile_threads != 0) return std::fputs("-compile-threads requires -jit-kind=orc-lazy\n", stderr), 1;
    if (!o.thread_entry.empty()) return std::fputs("-thread-entry requires -jit-kind=orc-lazy\n", stderr), 1;
    if (o.per_module_lazy) return std::fputs("-per-module-lazy requires -jit-kind=orc-lazy\n", stderr), 1;
  } else {
    const char* kind = o.jit_kind == JitKind::Orc ? "orc" : "orc-lazy";
    note(format("-jit-kind=%s: jitload has no ORC JIT; compiling everything up front with its MCJIT engine "
                "(argv[0] as lli's ORC passes it)",
                kind));
    if (o.no_process_symbols)
      return error(1, "-no-process-syms: jitload always resolves JIT code against the process; refusing, as "
                      "lli-19's ORC refuses it (\"Native platforms require a process symbols JITDylib\")");
    if (o.jit_kind == JitKind::OrcLazy && o.orc_dump != OrcDumpKind::NoDump)
      return error(1, "-orc-lazy-debug: jitload has no ORC layers to dump; refusing, since lli would print "
                      "what jitload cannot");
    if (o.compile_threads != 0) note("-compile-threads: ignored: MCJIT compiles on the calling thread");
    if (o.per_module_lazy) note("-per-module-lazy: ignored: every module is compiled whole, up front");
    if (!o.jd.empty()) note("-jd: ignored: every module, object and archive is linked into one symbol table");
  }
  if (!orc) {
    // lli's MCJIT path ignores these silently; jitload says so.
    if (o.jit_linker != JitLinkerKind::Default) note("-jit-linker: ignored: applies to ORC; jitload's loader links");
    if (!o.orc_runtime.empty()) note("-orc-runtime: ignored: applies to ORC only");
    if (o.platform.getNumOccurrences()) note("-lljit-platform: ignored: applies to ORC only");
    if (o.orc_dump.getNumOccurrences()) note("-orc-lazy-debug: ignored: applies to -jit-kind=orc-lazy only");
    if (!o.jd.empty()) note("-jd: ignored: applies to ORC only");
    if (o.no_process_symbols) note("-no-process-syms: ignored: applies to ORC only (as in lli)");
  } else {
    if (o.jit_linker != JitLinkerKind::Default) note("-jit-linker: ignored: jitload's loader links");
    if (!o.orc_runtime.empty() || o.platform.getNumOccurrences())
      note("-orc-runtime/-lljit-platform: ignored: no ORC platform; static constructors run as MCJIT runs them");
  }
  // --target-exec T: -mtriple=T -remote-mcjit -mcjit-remote-process=<T's executor>.
  if (!o.target_exec.empty()) {
    if (o.remote_mcjit || !o.child_exec_path.empty())
      return error(1, "--target-exec chooses the executor itself: give it or -remote-mcjit "
                      "-mcjit-remote-process=..., not both");
    Expected<TargetExec> t = resolve_target_exec(o.target_exec);
    if (!t) return error(1, t.error().message());
    if (!o.target_triple.empty() &&
        llvm::Triple(llvm::Triple::normalize(o.target_triple)).getArch() != llvm::Triple(t->triple).getArch())
      return error(1, format("-mtriple=%s contradicts --target-exec %s", o.target_triple.c_str(),
                             o.target_exec.c_str()));
    if (o.target_triple.empty()) o.target_triple = t->triple;
    o.remote_mcjit = true;
    o.no_lazy_compilation = true;  // what remote execution does anyway; the shorthand does not warn
    o.child_exec_path = t->process;
  }
  if (!o.child_exec_path.empty() && !o.remote_mcjit) note("-mcjit-remote-process: ignored without -remote-mcjit");

  // The main module.
  llvm::LLVMContext ctx;
  std::string input = o.input;
  std::unique_ptr<llvm::Module> owner = read_module(ctx, input);
  if (!owner) return 1;
  llvm::Module* main_module = owner.get();
  const bool caching = o.enable_cache_manager || !o.object_cache.empty();
  // As lli: with the cache manager, a module is known by "file:" + its path,
  // from which its cache file is named.
  if (caching) main_module->setModuleIdentifier("file:" + input);
  // C front ends bake the target's ABI into IR (va_list, struct passing,
  // long double): IR made for one architecture compiled for another may not
  // behave as a native build would. Said once, not refused (lli allows it).
  if (!o.target_exec.empty() && !main_module->getTargetTriple().empty() &&
      llvm::Triple(main_module->getTargetTriple()).getArch() != llvm::Triple(o.target_triple).getArch())
    note(format("%s was compiled for %s; generating %s code from it (compile it with --target=%s for the "
                "target's C ABI)",
                input.c_str(), main_module->getTargetTriple().c_str(), o.target_triple.c_str(),
                o.target_exec.c_str()));

  if (o.force_interpreter && o.remote_mcjit)
    return error(1, "remote process execution does not work with the interpreter.");
  if (o.force_interpreter)
    note("-force-interpreter: jitload has no interpreter; the module is compiled and run by the MCJIT engine");
  llvm::CodeGenOptLevel level;
  switch (o.opt_level) {
    case '0': level = llvm::CodeGenOptLevel::None; break;
    case '1': level = llvm::CodeGenOptLevel::Less; break;
    case ' ':
    case '2': level = llvm::CodeGenOptLevel::Default; break;
    case '3': level = llvm::CodeGenOptLevel::Aggressive; break;
    default:
      std::fputs("jitload run: error: invalid optimization level.\n", stderr);
      return 1;
  }

  // The target, as lli's EngineBuilder chooses it: the module's triple (or
  // -mtriple, or the host's), -march's architecture, -mcpu (the generic CPU
  // when not given — not the host's, so code generated without a CPU named
  // is the same as lli's), -mattr, the explicit models, and the target
  // options every code-generation flag sets.
  EngineBuilder builder(std::move(owner));
  builder.set_opt_level(level).set_gdb_registration(!o.no_debugger);
  std::string triple = o.target_triple;
  if (std::string march = llvm::codegen::getMArch(); !march.empty()) {
    llvm::Triple t(llvm::Triple::normalize(!triple.empty()                              ? triple
                                           : !main_module->getTargetTriple().empty() ? main_module->getTargetTriple()
                                                                                     : llvm::sys::getProcessTriple()));
    llvm::Triple::ArchType arch = llvm::Triple::getArchTypeForLLVMName(march);
    if (arch == llvm::Triple::UnknownArch)
      return error(1, format("error creating EE: No available targets are compatible with -march=%s", march.c_str()));
    t.setArch(arch);
    triple = t.str();
  }
  if (!triple.empty()) builder.set_mtriple(triple);
  std::string cpu = llvm::codegen::getCPUStr();
  if (!cpu.empty() && cpu != "generic") {
    // LLVM warns about a CPU it does not know and generates code for the
    // generic one; lli runs the program so. jitload's engine refuses such a
    // CPU, so `run` asks first, lets LLVM say what it says (the list, for
    // "help"), and names the generic CPU itself.
    std::string target_triple = llvm::Triple::normalize(
        !triple.empty() ? triple
        : !main_module->getTargetTriple().empty() ? main_module->getTargetTriple()
                                                  : llvm::sys::getProcessTriple());
    std::string lookup_error;
    if (const llvm::Target* target = llvm::TargetRegistry::lookupTarget(target_triple, lookup_error)) {
      std::unique_ptr<llvm::MCSubtargetInfo> probe(target->createMCSubtargetInfo(target_triple, "", ""));
      if (probe && !probe->isCPUStringValid(cpu)) {
        std::unique_ptr<llvm::MCSubtargetInfo> say(target->createMCSubtargetInfo(target_triple, cpu, ""));
        cpu = "generic";
      }
    }
  }
  builder.set_mcpu(cpu.empty() ? "generic" : cpu);
  if (std::vector<std::string> features = llvm::codegen::getFeatureList(); !features.empty())
    builder.set_mattrs(std::move(features));
  if (auto rm = llvm::codegen::getExplicitRelocModel()) builder.set_relocation_model(*rm);
  if (auto cm = llvm::codegen::getExplicitCodeModel()) builder.set_code_model(*cm);
  llvm::TargetOptions target_options = llvm::codegen::InitTargetOptionsFromCodeGenFlags(llvm::Triple(o.target_triple));
  if (llvm::codegen::getFloatABIForCalls() != llvm::FloatABI::Default)
    target_options.FloatABIType = llvm::codegen::getFloatABIForCalls();
  builder.set_target_options(target_options);
  std::shared_ptr<LliObjectCache> cache;
  if (caching) {
    cache = std::make_shared<LliObjectCache>(!o.object_cache.empty() ? std::string(o.object_cache)
                                                                     : std::string(o.object_cache_dir));
    builder.set_object_cache(cache);
  }
  // -remote-mcjit: the executor is started first; it owns where code lives.
  RemoteRunPtr remote;
  if (o.remote_mcjit) {
    if (!o.no_lazy_compilation)
      std::fprintf(stderr, "%s: warning: remote mcjit does not support lazy compilation\n", kProgram);
    if (o.child_exec_path.empty()) return error(1, "-remote-mcjit requires -mcjit-remote-process.");
    Expected<RemoteRunPtr> started = start_remote(o.child_exec_path, builder, o.remote_timeout);
    if (!started) return error(1, "remote: " + started.error().message());
    remote = std::move(*started);
  }
  Expected<std::unique_ptr<MCJIT>> created = builder.create();
  if (!created) return error(1, format("error creating EE: %s", created.error().message().c_str()));
  std::unique_ptr<MCJIT> jit = std::move(*created);

  for (const std::string& path : o.extra_modules) {
    std::unique_ptr<llvm::Module> m = read_module(ctx, path);
    if (!m) return 1;
    if (caching) m->setModuleIdentifier("file:" + path);
    if (Error e = jit->add_module(std::move(m))) return error(1, e.message());
  }
  for (const std::string& path : o.extra_objects) {
    Expected<std::string> bytes = read_input(path, InputKind::Object);
    if (!bytes) return std::fprintf(stderr, "%s: %s\n", kProgram, bytes.error().message().c_str()), 1;
    if (Error e = jit->add_object_file(std::vector<u8>(bytes->begin(), bytes->end()), path)) return error(1, e.message());
  }
  for (const std::string& path : o.extra_archives) {
    Expected<std::string> bytes = read_input(path, InputKind::Archive);
    if (!bytes) return std::fprintf(stderr, "%s: %s\n", kProgram, bytes.error().message().c_str()), 1;
    if (Error e = jit->add_archive(std::vector<u8>(bytes->begin(), bytes->end()), path)) return error(1, e.message());
  }

  // argv[0]: lli's MCJIT path passes -fake-argv0, else the input less a
  // ".bc"; its ORC path passes the input as given.
  std::string argv0 = input;
  if (!orc) {
    if (!o.fake_argv0.empty()) argv0 = o.fake_argv0;
    else if (argv0.ends_with(".bc")) argv0.resize(argv0.size() - 3);
  } else if (!o.fake_argv0.empty()) {
    note("-fake-argv0: ignored, as lli's ORC ignores it");
  }

  // The entry point is looked up in the main module, as lli does: a name the
  // module does not have, or has as a global variable (or alias), is "not
  // found" — status 255, lli's return -1. A declaration is accepted if an
  // extra module, object or archive defines it as code (lli would call the
  // process's own symbol of that name; jitload refuses instead).
  const std::string entry = o.entry_function;
  llvm::Function* entry_fn = main_module->getFunction(entry);
  if (orc) {
    // lli's ORC path looks the name up in every module, object and archive
    // instead: "Symbols not found", status 1, when nothing defines it.
    if (!jit->get_function_address(entry))
      return std::fprintf(stderr, "%s: Symbols not found: [ %s ]\n", kProgram, entry.c_str()), 1;
    std::optional<JitSymbol> s = jit->dyld().get_symbol(jit->mangle(entry));
    if (s && !s->flags.callable() && s->flags.type != SymbolType::NoType)
      return error(1, format("'%s' is not a function: it is defined as data (lli's ORC would jump into it)",
                             entry.c_str()));
  } else if (!entry_fn) {
    return error(255, format("'%s' function not found in module.", entry.c_str()));
  } else if (entry_fn->isDeclaration()) {
    Expected<u64> address = jit->get_function_address(entry);
    if (!address)
      return error(255, format("'%s' function not found in module: it is declared but no module, object or "
                               "archive defines it",
                               entry.c_str()));
    std::optional<JitSymbol> s = jit->dyld().get_symbol(jit->mangle(entry));
    if (s && !s->flags.callable() && s->flags.type != SymbolType::NoType)
      return error(255, format("'%s' function not found in module: it is declared as a function but defined as "
                               "data",
                               entry.c_str()));
  }

  if (remote) {  // constructors, main, destructors: all in the executor
    std::vector<std::string> program_args{argv0};
    program_args.insert(program_args.end(), o.input_argv.begin(), o.input_argv.end());
    Expected<int> rc = run_remote(*remote, *jit, entry, program_args, o.jitload_stats);
    if (!rc) return error(1, "remote: " + rc.error().message());
    return *rc;
  }

  // Everything is linked before anything runs: constructors may call any of it.
  if (Error e = jit->run_static_constructors_destructors(false)) return error(1, e.message());
  if (cache)
    for (const std::string& d : cache->diagnostics()) std::fprintf(stderr, "%s: warning: object cache: %s\n", kProgram, d.c_str());

  // -thread-entry (lli's ORC): each runs on its own thread beside main.
  std::vector<void (*)()> thread_entries;
  for (const std::string& name : o.thread_entry) {
    Expected<u64> a = jit->get_function_address(name);
    if (!a) return error(1, format("Symbols not found: [ %s ]", name.c_str()));
    thread_entries.push_back(reinterpret_cast<void (*)()>(uintptr_t(*a)));
  }

  std::vector<std::string> program_args;
  program_args.push_back(argv0);
  program_args.insert(program_args.end(), o.input_argv.begin(), o.input_argv.end());
  g_engine = jit.get();
  static bool registered = (std::atexit(run_destructors_at_exit), true);
  (void)registered;
  std::vector<std::thread> threads;
  for (void (*f)() : thread_entries) threads.emplace_back(f);
  errno = 0;  // as lli, on entry to main
  Expected<int> rc = jit->run_function_as_main(entry, program_args, environ);
  for (std::thread& t : threads) t.join();
  if (!rc) {
    g_engine = nullptr;
    return error(1, rc.error().message());
  }
  g_engine = nullptr;
  if (Error e = jit->run_static_constructors_destructors(true)) return error(1, e.message());
  std::fflush(stdout);
  if (o.jitload_stats) print_stats(*jit, cache.get());
  return *rc;
}

}  // namespace jitload::tools

#else  // built without LLVM

#include <cstdio>

#include "tools/commands.h"

namespace jitload::tools {
int cmd_run(int, char**) {
  std::fprintf(stderr, "jitload run: this jitload was built without LLVM (JITLOAD_WITH_LLVM=OFF)\n");
  return 1;
}
}  // namespace jitload::tools

#endif
