// jitload run FILE.ll|FILE.bc [options] [-- args]
//
// `lli -jit-kind=mcjit` on jitload's engine: compiles the module with
// LLVM's code generator, loads and links it with jitload's loader, runs the
// static constructors, calls main(argc, argv, envp) (argv[0] is the file
// name), runs the static destructors, and exits with main's return value.
// The program's stdout and stderr are the process's own.
//
// Options take one or two dashes and either "=VALUE" or the next argument;
// lli's spellings (-entry-function, -extra-module, -extra-object,
// -extra-archive, -enable-cache-manager, -object-cache-dir, -mtriple, -mcpu,
// -mattr, -O0..-O3, -jit-kind=mcjit, -fake-argv0, -code-model,
// -relocation-model) are accepted, so scripts written for lli work.
// Arguments after FILE that are not options of ours, and everything after
// "--", go to the program.
#if __has_include(<llvm/IR/Module.h>)

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include "engine/mcjit/mcjit.h"
#include "engine/mcjit/object-cache.h"
#include "tools/commands.h"

extern char** environ;

namespace jitload::tools {

namespace {

const char kUsage[] =
    "usage: jitload run FILE.ll|FILE.bc [options] [-- args]\n"
    "\n"
    "Runs the module's main with the MCJIT engine, like `lli -jit-kind=mcjit`.\n"
    "\n"
    "options (one or two dashes; NAME=VALUE or NAME VALUE):\n"
    "  --entry-function NAME   function to run instead of main\n"
    "  --extra-module FILE     another IR module (repeatable)\n"
    "  --extra-object FILE     a precompiled object file (repeatable)\n"
    "  --extra-archive FILE    a static archive; members load on demand (repeatable)\n"
    "  --object-cache DIR      keep compiled objects in DIR across runs\n"
    "  --enable-cache-manager  use the object cache (in --object-cache-dir, else\n"
    "                          $XDG_CACHE_HOME/jitload or ~/.cache/jitload)\n"
    "  --object-cache-dir DIR  same as --object-cache\n"
    "  -O0 -O1 -O2 -O3         code generation optimization level (default -O2)\n"
    "  --mtriple TRIPLE        target triple (default: the module's, else the host's)\n"
    "  --mcpu CPU              target CPU (default: the host's when the target is the host)\n"
    "  --mattr A,B,...         target features (+avx2,-sse4.2)\n"
    "  --code-model MODEL      small, medium, large (default: large)\n"
    "  --relocation-model M    static, pic (default: static)\n"
    "  --jit-kind mcjit        accepted for lli compatibility; the only kind\n"
    "  --fake-argv0 NAME       argv[0] for the program (default: FILE)\n"
    "  --no-debugger           do not register code with the GDB JIT interface\n"
    "  --stats                 print code generation, load and link times to stderr\n";

// The engine whose destructors must run if the program calls exit().
MCJIT* g_engine = nullptr;

void run_destructors_at_exit() {
  if (MCJIT* e = g_engine) {
    g_engine = nullptr;
    (void)e->run_static_constructors_destructors(true);
  }
}

struct RunOptions {
  std::string file;
  std::string entry = "main";
  std::vector<std::string> extra_modules, extra_objects, extra_archives;
  std::string cache_dir;
  bool cache = false;
  llvm::CodeGenOptLevel opt = llvm::CodeGenOptLevel::Default;
  std::string triple, cpu;
  std::vector<std::string> attrs;
  std::optional<llvm::CodeModel::Model> code_model;
  std::optional<llvm::Reloc::Model> reloc_model;
  std::optional<std::string> argv0;
  bool debugger = true;
  bool stats = false;
  std::vector<std::string> args;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "jitload run: %s\n", message.c_str());
  return 1;
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "jitload run: %s (see `jitload run --help`)\n", message.c_str());
  return 2;
}

// "-name", "--name", "-name=V", "--name=V" → name and optional inline value.
bool split_option(std::string_view arg, std::string_view& name, std::optional<std::string_view>& value) {
  if (!arg.starts_with("-") || arg == "-" || arg == "--") return false;
  arg.remove_prefix(arg.starts_with("--") ? 2 : 1);
  if (auto eq = arg.find('='); eq != std::string_view::npos) {
    name = arg.substr(0, eq);
    value = arg.substr(eq + 1);
  } else {
    name = arg;
    value.reset();
  }
  return true;
}

enum class Parse { Consumed, NotOurs, Error };

// One option at argv[i]; advances i past a separate value.
Parse parse_option(int argc, char** argv, int& i, RunOptions& o, std::string& error) {
  std::string_view name;
  std::optional<std::string_view> inline_value;
  if (!split_option(argv[i], name, inline_value)) return Parse::NotOurs;
  auto value = [&]() -> std::optional<std::string> {
    if (inline_value) return std::string(*inline_value);
    if (i + 1 < argc) return std::string(argv[++i]);
    error = format("option '%s' needs a value", argv[i]);
    return std::nullopt;
  };
  auto flag = [&]() { return !(inline_value && (*inline_value == "false" || *inline_value == "0")); };
  // -O0..-O3 (lli's prefix form).
  if (name.size() == 2 && name[0] == 'O' && name[1] >= '0' && name[1] <= '3' && !inline_value) {
    static const llvm::CodeGenOptLevel levels[] = {llvm::CodeGenOptLevel::None, llvm::CodeGenOptLevel::Less,
                                                   llvm::CodeGenOptLevel::Default, llvm::CodeGenOptLevel::Aggressive};
    o.opt = levels[name[1] - '0'];
    return Parse::Consumed;
  }
  std::optional<std::string> v;
  if (name == "entry-function") {
    if (!(v = value())) return Parse::Error;
    o.entry = *v;
  } else if (name == "extra-module") {
    if (!(v = value())) return Parse::Error;
    o.extra_modules.push_back(*v);
  } else if (name == "extra-object") {
    if (!(v = value())) return Parse::Error;
    o.extra_objects.push_back(*v);
  } else if (name == "extra-archive") {
    if (!(v = value())) return Parse::Error;
    o.extra_archives.push_back(*v);
  } else if (name == "object-cache" || name == "object-cache-dir") {
    if (!(v = value())) return Parse::Error;
    o.cache_dir = *v;
    o.cache = true;
  } else if (name == "enable-cache-manager") {
    o.cache = flag();
  } else if (name == "mtriple") {
    if (!(v = value())) return Parse::Error;
    o.triple = *v;
  } else if (name == "mcpu") {
    if (!(v = value())) return Parse::Error;
    o.cpu = *v;
  } else if (name == "mattr") {
    if (!(v = value())) return Parse::Error;
    std::string_view rest = *v;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view a = rest.substr(0, comma);
      if (!a.empty()) o.attrs.emplace_back(a.starts_with("+") || a.starts_with("-") ? std::string(a) : "+" + std::string(a));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  } else if (name == "code-model") {
    if (!(v = value())) return Parse::Error;
    if (*v == "small") o.code_model = llvm::CodeModel::Small;
    else if (*v == "medium") o.code_model = llvm::CodeModel::Medium;
    else if (*v == "large") o.code_model = llvm::CodeModel::Large;
    else if (*v == "kernel") o.code_model = llvm::CodeModel::Kernel;
    else if (*v == "tiny") o.code_model = llvm::CodeModel::Tiny;
    else if (*v != "default") {
      error = format("unknown code model '%s' (small, medium, large, kernel, tiny)", v->c_str());
      return Parse::Error;
    }
  } else if (name == "relocation-model") {
    if (!(v = value())) return Parse::Error;
    if (*v == "static") o.reloc_model = llvm::Reloc::Static;
    else if (*v == "pic") o.reloc_model = llvm::Reloc::PIC_;
    else if (*v == "dynamic-no-pic") o.reloc_model = llvm::Reloc::DynamicNoPIC;
    else if (*v != "default") {
      error = format("unknown relocation model '%s' (static, pic, dynamic-no-pic)", v->c_str());
      return Parse::Error;
    }
  } else if (name == "jit-kind") {
    if (!(v = value())) return Parse::Error;
    if (*v != "mcjit") {
      error = format("-jit-kind=%s: jitload runs only the mcjit kind", v->c_str());
      return Parse::Error;
    }
  } else if (name == "fake-argv0") {
    if (!(v = value())) return Parse::Error;
    o.argv0 = *v;
  } else if (name == "no-debugger") {
    o.debugger = false;
  } else if (name == "stats") {
    o.stats = true;
  } else {
    return Parse::NotOurs;
  }
  return Parse::Consumed;
}

std::unique_ptr<llvm::Module> read_module(llvm::LLVMContext& ctx, const std::string& path) {
  llvm::SMDiagnostic err;
  std::unique_ptr<llvm::Module> m = llvm::parseIRFile(path, err, ctx);
  if (!m) {
    std::string text;
    llvm::raw_string_ostream os(text);
    err.print("jitload run", os, /*ShowColors=*/false);
    std::fputs(text.c_str(), stderr);
  }
  return m;
}

std::string default_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/jitload";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/jitload";
  return "/tmp/jitload-cache";
}

}  // namespace

int cmd_run(int argc, char** argv) {
  RunOptions o;
  for (int i = 1; i < argc; i++) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a == "--") {
      for (int j = i + 1; j < argc; j++) o.args.emplace_back(argv[j]);
      break;
    }
    std::string error;
    switch (parse_option(argc, argv, i, o, error)) {
      case Parse::Consumed: continue;
      case Parse::Error: return usage_error(error);
      case Parse::NotOurs: break;
    }
    if (o.file.empty()) {
      if (a.starts_with("-") && a != "-") return usage_error(format("unknown option '%s'", argv[i]));
      o.file = a;
      continue;
    }
    // After FILE: the program's arguments start at the first one that is not ours.
    for (int j = i; j < argc; j++) {
      if (std::string_view(argv[j]) == "--" && j == i) continue;
      o.args.emplace_back(argv[j]);
    }
    break;
  }
  if (o.file.empty()) return usage_error("no input file");

  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> main_module = read_module(ctx, o.file);
  if (!main_module) return 1;

  EngineBuilder builder(std::move(main_module));
  builder.set_opt_level(o.opt).set_gdb_registration(o.debugger);
  if (!o.triple.empty()) builder.set_mtriple(o.triple);
  if (!o.cpu.empty()) builder.set_mcpu(o.cpu);
  if (!o.attrs.empty()) builder.set_mattrs(o.attrs);
  if (o.code_model) builder.set_code_model(*o.code_model);
  if (o.reloc_model) builder.set_relocation_model(*o.reloc_model);
  std::shared_ptr<DiskObjectCache> cache;
  if (o.cache) {
    Expected<std::unique_ptr<DiskObjectCache>> c = DiskObjectCache::open(o.cache_dir.empty() ? default_cache_dir() : o.cache_dir);
    if (!c) return fail(c.error().message());
    cache = std::shared_ptr<DiskObjectCache>(std::move(*c));
    builder.set_object_cache(cache);
  }
  Expected<std::unique_ptr<MCJIT>> created = builder.create();
  if (!created) return fail(o.file + ": " + created.error().message());
  std::unique_ptr<MCJIT> jit = std::move(*created);

  for (const std::string& path : o.extra_modules) {
    std::unique_ptr<llvm::Module> m = read_module(ctx, path);
    if (!m) return 1;
    if (Error e = jit->add_module(std::move(m))) return fail(e.message());
  }
  for (const std::string& path : o.extra_objects)
    if (Error e = jit->add_object_file(path)) return fail(e.message());
  for (const std::string& path : o.extra_archives)
    if (Error e = jit->add_archive(path)) return fail(e.message());

  // The entry point may also come from an extra object or archive.
  if (!jit->find_function_named(o.entry) && !jit->get_function_address(o.entry))
    return fail(format("'%s' function not found in module.", o.entry.c_str()));

  // Everything is linked before anything runs: constructors may call any of it.
  if (Error e = jit->run_static_constructors_destructors(false)) return fail(e.message());
  if (cache)
    for (const std::string& d : cache->diagnostics()) std::fprintf(stderr, "jitload run: warning: object cache: %s\n", d.c_str());

  std::vector<std::string> args;
  // As lli: argv[0] is the file, less a ".bc" that might confuse the program.
  std::string argv0 = o.argv0 ? *o.argv0 : o.file;
  if (!o.argv0 && argv0.ends_with(".bc")) argv0.resize(argv0.size() - 3);
  args.push_back(argv0);
  args.insert(args.end(), o.args.begin(), o.args.end());
  g_engine = jit.get();
  static bool registered = (std::atexit(run_destructors_at_exit), true);
  (void)registered;
  Expected<int> rc = jit->run_function_as_main(o.entry, args, environ);
  if (!rc) {
    g_engine = nullptr;
    return fail(rc.error().message());
  }
  g_engine = nullptr;
  if (Error e = jit->run_static_constructors_destructors(true)) return fail(e.message());
  std::fflush(stdout);
  if (o.stats) {
    const EngineStats& s = jit->stats();
    std::fprintf(stderr,
                 "jitload run: %llu object(s) generated, %llu from cache, %llu loaded (%llu archive members); "
                 "codegen %.3f ms, load %.3f ms, link %.3f ms\n",
                 (unsigned long long)s.objects_emitted, (unsigned long long)s.cache_hits,
                 (unsigned long long)s.objects_loaded, (unsigned long long)s.archive_members_loaded,
                 s.codegen_ns / 1e6, s.load_ns / 1e6, s.link_ns / 1e6);
  }
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
