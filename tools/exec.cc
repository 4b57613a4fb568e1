// jitload exec OBJ... [--entry SYM] [-- args]
//
// Loads objects on the host with the SectionMemoryManager, resolves their
// externals against the process (libc, libm, libstdc++ — the jitload binary
// exports its symbols) and the C++ runtime hooks (each object's own
// __dso_handle, __cxa_atexit, __cxa_thread_atexit, atexit:
// engine/loader/core/cxx-runtime.h), finalizes (relocations, EH frames,
// W^X), runs the constructors (.init_array by priority, then load order),
// calls the entry point as main(argc, argv), then ends as a native program
// does — the main thread's thread_local destructors, the atexit list newest
// first, .fini_array — and exits with main's return value. If the program
// calls exit(), the same end runs from the host's atexit list.
//
// An object for another machine (AArch64) runs under qemu-user through the
// runner cross-built for it: the same command, the machine taken from the
// first object's header.
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "tools/commands.h"
#include "tools/common.h"
#include "tools/exec-program.h"

namespace jitload::tools {

// Objects for another machine run under qemu-user through a runner: the
// host half of exec (exec-program.cc) cross-built for that machine
// (tools/runner/build.sh, the ctest fixture `runner-aarch64` or the target
// `jitload-runner-aarch64`). One line per target the runner can be built
// for; a target without a C library to link the runner against has no
// runner and says so. Adding an architecture: a line here and one in
// tools/runner/build.sh.
struct ForeignTarget {
  u16 machine;        // e_machine
  bool big_endian;    // EI_DATA == ELFDATA2MSB
  u8 elf_class;       // EI_CLASS (RISC-V: one machine, two classes)
  const char* name;   // the runner's suffix, the environment variables' ARCH
  const char* qemu;   // the qemu-user binary, searched on PATH
  const char* sysroot;  // qemu's -L: the target's C library (nullptr: none packaged)
  const char* why_not;  // when sysroot is nullptr: why the target does not execute
};

constexpr ForeignTarget kForeignTargets[] = {
    {183, false, 2, "aarch64", "qemu-aarch64-static", "/usr/aarch64-linux-gnu", nullptr},
    {183, true, 2, "aarch64_be", "qemu-aarch64_be-static", nullptr,
     "Debian packages no big-endian AArch64 C library to build the runner against; aarch64_be objects are "
     "checked byte-level (jitload load, diff) but not executed"},
    {243, false, 2, "riscv64", "qemu-riscv64-static", "/usr/riscv64-linux-gnu", nullptr},
    {243, false, 1, "riscv32", "qemu-riscv32-static", nullptr,
     "Debian packages no RV32 C library to build the runner against; riscv32 objects are checked byte-level "
     "(jitload load, diff) and run only in the loader's freestanding test (RiscV.CompiledCRunsUnderQemu)"},
    {258, false, 2, "loongarch64", "qemu-loongarch64-static", nullptr,
     "Debian packages no LoongArch C library to build the runner against; loongarch64 objects are checked "
     "byte-level (jitload load, diff) and run only in the loader's freestanding test "
     "(LoongArch.CompiledCRunsUnderQemu)"},
};

#if defined(__x86_64__)
constexpr u16 kHostMachine = 62;
constexpr bool kHostBigEndian = false;
#elif defined(__aarch64__)
constexpr u16 kHostMachine = 183;
constexpr bool kHostBigEndian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
#else
constexpr u16 kHostMachine = 0;
constexpr bool kHostBigEndian = false;
#endif

// The machine of an ELF file from its first 20 bytes; nullopt when it is
// not ELF or is shorter (the host loader then says what it is).
struct ElfMachine {
  u16 machine;
  bool big_endian;
  u8 elf_class;
};
static std::optional<ElfMachine> elf_machine(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return std::nullopt;
  unsigned char h[20];
  size_t n = std::fread(h, 1, sizeof h, f);
  std::fclose(f);
  if (n < sizeof h || std::memcmp(h, "\177ELF", 4) != 0) return std::nullopt;
  bool be = h[5] == 2;
  u16 m = be ? u16(h[18] << 8 | h[19]) : u16(h[19] << 8 | h[18]);
  return ElfMachine{m, be, h[4]};
}

// A Mach-O object's CPU type (little-endian MH_MAGIC_64), else nullopt.
static std::optional<u32> macho_cputype(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return std::nullopt;
  unsigned char h[8];
  size_t n = std::fread(h, 1, sizeof h, f);
  std::fclose(f);
  if (n < sizeof h || h[0] != 0xcf || h[1] != 0xfa || h[2] != 0xed || h[3] != 0xfe) return std::nullopt;
  return u32(h[4]) | u32(h[5]) << 8 | u32(h[6]) << 16 | u32(h[7]) << 24;
}

// "an aarch64 object", "a riscv64 object".
static const char* article(const char* name) { return name[0] && std::strchr("aeiou", name[0]) ? "an" : "a"; }

static std::string env_or(const std::string& var, const std::string& fallback) {
  const char* v = std::getenv(var.c_str());
  return v && *v ? v : fallback;
}

static std::string find_on_path(const char* prog) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    std::string cand = (dir.empty() ? "." : dir) + "/" + prog;
    if (::access(cand.c_str(), X_OK) == 0) return cand;
  }
  return "";
}

// Runs the objects under qemu through the target's runner (replacing this
// process, so the program's status, signals and streams are its own).
// Returns only on failure, with the status to exit with.
static int exec_foreign(const ForeignTarget& t, const std::vector<std::string>& objects, const std::string& entry,
                        const std::vector<std::string>& args) {
  if (!t.sysroot) {
    std::fprintf(stderr, "jitload exec: %s is %s %s object: %s\n", objects[0].c_str(), article(t.name), t.name, t.why_not);
    return kExitFailed;
  }
  std::string upper = t.name;
  for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  std::string dir = n > 0 ? std::string(self, size_t(n)) : std::string();
  dir = dir.substr(0, dir.rfind('/') == std::string::npos ? 0 : dir.rfind('/'));
  std::string runner = env_or("JITLOAD_RUNNER_" + upper, dir + "/jitload-runner-" + t.name);
  std::string qemu = env_or("JITLOAD_QEMU_" + upper, find_on_path(t.qemu));
  std::string sysroot = env_or("JITLOAD_SYSROOT_" + upper, t.sysroot);
  if (::access(runner.c_str(), X_OK) != 0) {
    std::fprintf(stderr,
                 "jitload exec: %s is %s %s object and its runner %s is missing (build it: cmake --build --preset "
                 "default --target jitload-runner-%s; needs clang-19 and %s), or set JITLOAD_RUNNER_%s\n",
                 objects[0].c_str(), article(t.name), t.name, runner.c_str(), t.name, t.sysroot, upper.c_str());
    return kExitFailed;
  }
  if (qemu.empty()) {
    std::fprintf(stderr, "jitload exec: %s is %s %s object and %s is not on PATH (qemu-user-static), or set JITLOAD_QEMU_%s\n",
                 objects[0].c_str(), article(t.name), t.name, t.qemu, upper.c_str());
    return kExitFailed;
  }
  std::vector<std::string> words = {qemu, "-L", sysroot, runner, "--entry", entry};
  words.insert(words.end(), objects.begin(), objects.end());
  words.push_back("--");
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> av;
  for (std::string& w : words) av.push_back(w.data());
  av.push_back(nullptr);
  std::fflush(nullptr);
  ::execv(av[0], av.data());
  std::fprintf(stderr, "jitload exec: cannot start %s: %s\n", qemu.c_str(), std::strerror(errno));
  return kExitFailed;
}

int cmd_exec(int argc, char** argv) {
  std::vector<std::string> objects;
  std::string entry = "main";
  std::vector<std::string> args;
  for (int i = 1; i < argc; i++) {
    std::string_view a = argv[i];
    if (a == "--") {
      for (int j = i + 1; j < argc; j++) args.push_back(argv[j]);
      break;
    }
    if (auto v = option_value(argc, argv, i, "--entry")) {
      entry = *v;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: jitload exec OBJ... [--entry SYM] [-- args]\n");
      return 0;
    } else if (missing_value(argc, i, a, {"--entry"})) {
      std::fprintf(stderr, "jitload exec: option '%s' needs a value\n", argv[i]);
      return kExitUsage;
    } else if (a.starts_with("-")) {
      std::fprintf(stderr, "jitload exec: unknown option '%s'\n", argv[i]);
      return kExitUsage;
    } else {
      objects.emplace_back(a);
    }
  }
  if (objects.empty()) {
    std::fprintf(stderr, "usage: jitload exec OBJ... [--entry SYM] [-- args]\n");
    return kExitUsage;
  }
  // The machine is the first object's: one for another machine runs there.
  if (auto m = elf_machine(objects[0]); m && (m->machine != kHostMachine || m->big_endian != kHostBigEndian)) {
    for (const ForeignTarget& t : kForeignTargets)
      if (t.machine == m->machine && t.big_endian == m->big_endian && t.elf_class == m->elf_class) {
        // The runner reads them there; what cannot be read here (over the
        // size limit, a directory, not an object) is refused here first, with
        // the same message and status as for host objects.
        for (const std::string& path : objects)
          if (auto bytes = read_object(path); !bytes) {
            std::fprintf(stderr, "jitload exec: %s\n", bytes.error().message().c_str());
            return read_failure_status(bytes.error());
          }
        return exec_foreign(t, objects, entry, args);
      }
  }
  // Mach-O arm64 (CPU_TYPE_ARM64) on another host: the AArch64 runner
  // loads it (its calling convention is AAPCS64's but for variadic
  // arguments, which Apple's ABI passes on the stack: a call to the C
  // library's printf from such code reads garbage; putchar-style calls work).
  if (kHostMachine != 183)
    if (auto cpu = macho_cputype(objects[0]); cpu && *cpu == 0x0100000c) {
      for (const std::string& path : objects)
        if (auto bytes = read_object(path); !bytes) {
          std::fprintf(stderr, "jitload exec: %s\n", bytes.error().message().c_str());
          return read_failure_status(bytes.error());
        }
      return exec_foreign(kForeignTargets[0], objects, entry, args);
    }
  return exec_objects(objects, entry, std::move(args));
}

}  // namespace jitload::tools
