// The host half of `jitload exec`, kept free of LLVM and of the rest of the
// command line so that it builds for any target the loader has: the
// cross-built runner (tools/runner/) is this file, tools/common.cc, the
// loader and a main. See exec.cc for what a run does.
#include "tools/exec-program.h"

#include <cstdio>
#include <cstdlib>

#include "engine/loader/core/cxx-runtime.h"
#include "engine/loader/core/section-memory-manager.h"
#include "engine/loader/dyld.h"
#include "tools/common.h"

namespace jitload::tools {

// Why a symbol cannot be an entry point ("" when it can): it must be a
// function (STT_FUNC, STT_GNU_IFUNC, or an untyped label as assembly
// writes them) in a section of code. Calling a data object would execute
// its bytes.
static std::string not_code(const RuntimeDyld& dyld, std::string_view name, const JitSymbol& sym) {
  switch (sym.flags.type) {
    case SymbolType::Function:
    case SymbolType::IFunc:
    case SymbolType::NoType: break;
    case SymbolType::Object: return "a data object";
    case SymbolType::Tls: return "a thread-local variable";
    case SymbolType::Common: return "a common symbol (data)";
    case SymbolType::Section: return "a section symbol";
    case SymbolType::File: return "a file symbol";
  }
  for (const LoadedSection& s : dyld.sections()) {
    if (sym.address < s.target || sym.address - s.target >= s.size) continue;
    if (s.kind == SectionKind::Code) return "";
    return format("a symbol in %.*s, a section of %s", int(s.name.size()), s.name.data(), section_kind_name(s.kind));
  }
  return "a symbol outside every loaded section";
}

int exec_objects(const std::vector<std::string>& objects, const std::string& entry, std::vector<std::string> args) {
  SectionMemoryManager memory;
  RuntimeDyld dyld(memory);
  dyld.enable_cxx_runtime();
  for (const std::string& path : objects) {
    auto bytes = read_object(path);
    if (!bytes)
      return std::fprintf(stderr, "jitload exec: %s\n", bytes.error().message().c_str()), read_failure_status(bytes.error());
    auto info = dyld.load_object(*bytes, path);
    if (!info) return std::fprintf(stderr, "jitload exec: %s\n", info.error().message().c_str()), kExitFailed;
  }
  if (Error err = dyld.finalize()) return std::fprintf(stderr, "jitload exec: %s\n", err.message().c_str()), kExitFailed;
  std::string entry_name = entry;
  auto sym = dyld.get_symbol(entry_name);
  // A Mach-O object spells C's main as "_main".
  if (!sym)
    if ((sym = dyld.get_symbol("_" + entry))) entry_name = "_" + entry;
  if (!sym || sym->flags.absolute) {
    std::fprintf(stderr, "jitload exec: entry point '%s' is not defined by the loaded objects\n", entry.c_str());
    return kExitFailed;
  }
  if (std::string why = not_code(dyld, entry_name, *sym); !why.empty()) {
    std::fprintf(stderr, "jitload exec: entry point '%s' is not a function: it is %s; refusing to jump into it\n",
                 entry.c_str(), why.c_str());
    return kExitFailed;
  }
  std::vector<char*> av;
  std::string prog = objects[0];
  av.push_back(prog.data());
  for (std::string& a : args) av.push_back(a.data());
  av.push_back(nullptr);
  ExitGuard guard(dyld);
  if (Error err = run_static_constructors(dyld))
    return std::fprintf(stderr, "jitload exec: %s\n", err.message().c_str()), 1;
  auto main_fn = reinterpret_cast<int (*)(int, char**)>(sym->address);
  int rc = main_fn(int(av.size() - 1), av.data());
  if (Error err = run_static_destructors(dyld))
    return std::fprintf(stderr, "jitload exec: %s\n", err.message().c_str()), 1;
  std::fflush(stdout);
  return rc;
}

}  // namespace jitload::tools
