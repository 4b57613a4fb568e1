# LLVM defect (Mach-O arm64, RuntimeDyldMachOAArch64): a `bl` whose target
# is beyond the +-128 MiB a BRANCH26 reaches is written with the low 26
# bits of the word distance, silently (the range check is an assert,
# compiled out in release builds such as Debian's llvm-19; no stub).
# Rule (<mach-o/arm64/reloc.h>, ARM64_RELOC_BRANCH26; ld64): imm26 =
# (S + A - P) >> 2 in a signed 26-bit field; out of reach, the link adds
# a branch island (ld64) or fails — never a branch elsewhere.
# _ext is placed at 0x7f0000001000 (-dummy-extern). The check states what
# LLVM 19 writes (the truncated distance): llvm-rtdyld-19 -verify passes it;
# jitload's loaders branch to their veneer for _ext (ldr x16, #8; br x16;
# .quad _ext), so the check is false there.
        .text
        .globl  _main
_main:
call:   bl      _ext
        ret
# rtdyld-check: (*{4}call)[25:0] = ((_ext - call) >> 2)[25:0]
