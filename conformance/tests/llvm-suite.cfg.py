# lit configuration for LLVM 19's RuntimeDyld tests
# (llvm/test/ExecutionEngine/RuntimeDyld of the Debian source package
# llvm-toolchain-19), run with jitload-rtdyld in place of llvm-rtdyld.
# ci/llvm-conformance extracts the tests and writes a lit.site.cfg.py next
# to them that loads this file; nothing of LLVM's is kept in this repository.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jitload_lit  # noqa: E402

jitload_lit.configure(config, lit_config, "LLVM 19 RuntimeDyld")
config.suffixes = [".s", ".ll", ".yaml", ".test"]
# LLVM's per-directory lit.local.cfg files skip a directory whose target
# LLVM was built without; Debian's LLVM has them all, so every directory
# runs and jitload_lit decides, test by test, what jitload can load.
config.targets = frozenset(
    ["AArch64", "AMDGPU", "ARM", "AVR", "BPF", "Hexagon", "Lanai", "LoongArch", "M68k", "Mips", "MSP430",
     "NVPTX", "PowerPC", "RISCV", "Sparc", "SystemZ", "VE", "WebAssembly", "X86", "XCore"])
