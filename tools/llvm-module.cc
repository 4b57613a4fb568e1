// The executable's side of tools/llvm-module.h: finding and loading
// jitload-llvm.so, and `jitload run`, which is the module's entirely.
#include "tools/llvm-module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "tools/commands.h"

namespace jitload::tools {

std::string llvm_module_path() {
  if (const char* env = std::getenv("JITLOAD_LLVM_MODULE"); env && *env) return env;
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  std::string dir = ".";
  if (n > 0) {
    std::string self(buf, size_t(n));
    if (auto slash = self.rfind('/'); slash != std::string::npos) dir = self.substr(0, slash);
  }
  return dir + "/jitload-llvm.so";
}

#ifdef JITLOAD_HAVE_LLVM_MODULE

namespace {

Expected<const LlvmModule*> load_module() {
  std::string path = llvm_module_path();
  auto refuse = [&](const std::string& why) {
    return Error(ErrorKind::Io, format("this needs LLVM, which jitload loads from its module %s: %s", path.c_str(),
                                       why.c_str()));
  };
  if (access(path.c_str(), R_OK) != 0)
    return refuse("not found (build the jitload-llvm target, or set JITLOAD_LLVM_MODULE)");
  // RTLD_NOW: a symbol the module cannot bind is this error, not a crash
  // halfway through a command. RTLD_GLOBAL: code the engine loads resolves
  // host symbols through the process's global scope, the module's included.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!handle) {
    const char* why = dlerror();
    return refuse(why ? why : "dlopen failed");
  }
  auto entry = reinterpret_cast<const LlvmModule* (*)()>(dlsym(handle, "jitload_llvm_module"));
  if (!entry) return refuse("it has no jitload_llvm_module entry point (not a jitload module)");
  const LlvmModule* m = entry();
  if (!m || m->abi != kLlvmModuleAbi || m->table_size != sizeof(LlvmModule))
    return refuse(format("it was built for another jitload (module interface %u, this jitload's is %u); rebuild both",
                         m ? m->abi : 0, kLlvmModuleAbi));
  return m;
}

}  // namespace

Expected<const LlvmModule*> llvm_module() {
  // Loaded once; the handle stays open for the life of the process (code
  // it generated may still run in atexit handlers).
  static std::once_flag once;
  static Expected<const LlvmModule*> loaded = Error(ErrorKind::Io, "not loaded");
  std::call_once(once, [] { loaded = load_module(); });
  if (!loaded) return Error(loaded.error().kind(), loaded.error().message());
  return *loaded;
}

int cmd_run(int argc, char** argv) {
  Expected<const LlvmModule*> m = llvm_module();
  if (!m) {
    // lli's status for everything that stops a run before the program starts.
    std::fprintf(stderr, "jitload run: %s\n", m.error().message().c_str());
    return 1;
  }
  return (*m)->run(argc, argv);
}

#else  // built without LLVM: there is no module to load

Expected<const LlvmModule*> llvm_module() {
  return Error(ErrorKind::Unsupported, "this jitload was built without LLVM (JITLOAD_WITH_LLVM=OFF)");
}

int cmd_run(int, char**) {
  std::fprintf(stderr, "jitload run: this jitload was built without LLVM (JITLOAD_WITH_LLVM=OFF)\n");
  return 1;
}

#endif

}  // namespace jitload::tools
