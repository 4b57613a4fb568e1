// jitload-runner-ARCH: the host half of `jitload exec` cross-built for
// another architecture (tools/runner/build.sh) and started by `jitload exec`
// under qemu-user when the objects are for that machine (exec.cc,
// kForeignTargets). Its command line is exec's:
//   jitload-runner-ARCH [--entry SYM] OBJ... [-- args]
// The objects' externals resolve against this process (its libc, libm,
// libstdc++; it is linked with -rdynamic), as exec resolves against jitload.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "tools/exec-program.h"

int main(int argc, char** argv) {
  std::vector<std::string> objects, args;
  std::string entry = "main";
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--")) {
      for (int j = i + 1; j < argc; j++) args.emplace_back(argv[j]);
      break;
    }
    if (!std::strcmp(argv[i], "--entry")) {
      if (i + 1 >= argc) return std::fprintf(stderr, "jitload exec: option '--entry' needs a value\n"), 2;
      entry = argv[++i];
    } else if (argv[i][0] == '-') {
      return std::fprintf(stderr, "jitload exec (runner): unknown option '%s'\n", argv[i]), 2;
    } else {
      objects.emplace_back(argv[i]);
    }
  }
  if (objects.empty()) return std::fprintf(stderr, "usage: %s [--entry SYM] OBJ... [-- args]\n", argv[0]), 2;
  return jitload::tools::exec_objects(objects, entry, std::move(args));
}
