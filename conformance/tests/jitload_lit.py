# Shared by the two lit configurations that run rtdyld-check tests on
# jitload: our own suite (lit.cfg.py) and LLVM 19's RuntimeDyld tests
# (llvm-suite.cfg.py, driven by ci/llvm-conformance).
#
# A test is run only if every object it builds is of a format and
# architecture jitload loads; otherwise it is UNSUPPORTED (counted as
# skipped) with the reason, never silently passed. The formats and
# architectures come from RUN lines (llvm-mc -triple, llc -mtriple, ...) and,
# for yaml2obj inputs, from the YAML document itself.
import os
import re

import lit.formats
import lit.Test

# (format, architecture) pairs the loaders handle. A new format or
# architecture adds its pair here when its loader code lands.
SUPPORTED = {("elf", "x86_64"), ("elf", "aarch64"), ("elf", "aarch64_be"), ("elf", "riscv64"), ("elf", "riscv32"),
             ("elf", "loongarch64"),
             ("macho", "x86_64"), ("macho", "aarch64")}

LLVM_BIN = "/usr/lib/llvm-19/bin"

_ARCH_ALIASES = {
    "amd64": "x86_64", "x86-64": "x86_64",
    "i386": "i386", "i486": "i386", "i586": "i386", "i686": "i386",
    "arm64": "aarch64", "arm64e": "aarch64", "aarch64_be": "aarch64_be",
    "thumbv7": "arm", "thumbv7s": "arm", "armv7": "arm", "armv7s": "arm", "thumb": "arm",
    "mipsel": "mips", "mips64el": "mips64", "powerpc64le": "ppc64le", "powerpc64": "ppc64",
    "powerpc": "ppc", "bpfel": "bpf", "bpfeb": "bpf",
}


def triple_target(triple):
    """(format, arch) for a target triple, the way LLVM picks a format."""
    parts = triple.lower().split("-")
    arch = parts[0]
    arch = _ARCH_ALIASES.get(arch, arch)
    if arch.startswith("armv") or arch.startswith("thumbv"):
        arch = "arm"
    rest = "-".join(parts[1:])
    if parts[-1] in ("elf",):
        fmt = "elf"
    elif parts[-1] in ("coff",) or any(w in rest for w in ("win32", "windows", "mingw", "cygwin")):
        fmt = "coff"
    elif parts[-1] == "macho" or any(w in rest for w in ("apple", "darwin", "macos", "ios", "tvos", "watchos")):
        fmt = "macho"
    else:
        fmt = "elf"
    return fmt, arch


_YAML_MACHINES = {
    "EM_X86_64": "x86_64", "EM_AARCH64": "aarch64", "EM_386": "i386", "EM_ARM": "arm",
    "EM_MIPS": "mips", "EM_PPC64": "ppc64", "EM_PPC": "ppc", "EM_S390": "systemz",
    "EM_RISCV": "riscv", "EM_BPF": "bpf", "EM_LOONGARCH": "loongarch64",
}


def yaml_target(text):
    if re.search(r"^---\s*!COFF|^!COFF", text, re.M):
        return ("coff", "?")
    if re.search(r"^---\s*!mach-o|^!mach-o", text, re.M):
        return ("macho", "?")
    m = re.search(r"^\s*Machine:\s*(\S+)", text, re.M)
    arch = _YAML_MACHINES.get(m.group(1), m.group(1)) if m else "?"
    if arch == "riscv":  # one machine, two classes: RV32 and RV64
        c = re.search(r"^\s*Class:\s*(\S+)", text, re.M)
        arch = "riscv32" if c and c.group(1) == "ELFCLASS32" else "riscv64"
    return ("elf", arch)


def run_lines(text):
    lines, cur = [], ""
    for line in text.splitlines():
        m = re.search(r"RUN:(.*)$", line)
        if not m:
            continue
        piece = m.group(1).rstrip()
        if piece.endswith("\\"):
            cur += piece[:-1] + " "
            continue
        lines.append(cur + piece)
        cur = ""
    return lines


def unsupported_reason(path):
    """Why a test cannot run on jitload, or None if it can."""
    with open(path, errors="replace") as f:
        text = f.read()
    targets = []
    for line in run_lines(text):
        for m in re.finditer(r"-m?triple(?:=|\s+)([^\s\"']+)", line):
            targets.append((triple_target(m.group(1)), m.group(0)))
        if re.search(r"\byaml2obj\s+%s\b", line):
            targets.append((yaml_target(text), "its YAML"))
    if not targets:
        return None
    for (fmt, arch), where in targets:
        if (fmt, arch) not in SUPPORTED:
            have = ", ".join("%s/%s" % t for t in sorted(SUPPORTED))
            return "%s/%s (from %s): jitload loads %s" % (fmt, arch, where, have)
    return None


class JitloadShTest(lit.formats.ShTest):
    """lit's shell tests, minus the ones whose targets jitload cannot load."""

    def execute(self, test, litConfig):
        reason = unsupported_reason(test.getSourcePath())
        if reason:
            return lit.Test.Result(lit.Test.UNSUPPORTED, "UNSUPPORTED: " + reason)
        return super().execute(test, litConfig)


def configure(config, lit_config, name):
    """Common set-up: tools on PATH, llvm-rtdyld -> jitload-rtdyld --loader=X."""
    loader = lit_config.params.get("loader", "engine")
    if loader not in ("engine", "reference", "llvm"):
        lit_config.fatal("--param loader= must be engine, reference or llvm, not %r" % loader)
    if loader == "llvm":
        # LLVM's own llvm-rtdyld: checks that the harness runs these tests
        # the way LLVM does (a third opinion, not one of our loaders).
        bin_dir = LLVM_BIN
        rtdyld_cmd = os.path.join(LLVM_BIN, "llvm-rtdyld")
    else:
        bin_dir = lit_config.params.get("jitload_bin")
        if not bin_dir:
            lit_config.fatal("--param jitload_bin=<build>/bin is required")
        bin_dir = os.path.abspath(bin_dir)
        rtdyld = os.path.join(bin_dir, "jitload-rtdyld")
        if not os.path.exists(rtdyld):
            lit_config.fatal("%s does not exist: build the jitload-rtdyld target" % rtdyld)
        rtdyld_cmd = "%s --loader=%s" % (rtdyld, loader)
    exec_root = lit_config.params.get("exec_root")
    if exec_root:
        config.test_exec_root = os.path.join(exec_root, loader)

    config.name = "%s (%s)" % (name, loader)
    config.test_format = JitloadShTest(execute_external=False)
    config.excludes = ["Inputs", "CMakeLists.txt", "README.txt", "LICENSE.TXT", "lit.local.cfg"]
    # LLVM's tools under their unversioned names (llvm-mc, FileCheck, not,
    # yaml2obj, split-file, llc) and jitload-rtdyld in llvm-rtdyld's place.
    config.environment["PATH"] = os.pathsep.join([bin_dir, LLVM_BIN, config.environment.get("PATH", os.environ.get("PATH", ""))])
    config.substitutions.append((r"(?<![\w/.-])llvm-rtdyld(?![\w.-])", rtdyld_cmd))
    # Features LLVM's tests ask for (REQUIRES: x86_64-linux, llvm-64-bits).
    import platform
    if platform.machine() == "x86_64" and platform.system() == "Linux":
        config.available_features.add("x86_64-linux")
    config.available_features.add("llvm-64-bits")
    config.available_features.add("system-linux")
    config.available_features.add("loader-" + loader)
    return loader
