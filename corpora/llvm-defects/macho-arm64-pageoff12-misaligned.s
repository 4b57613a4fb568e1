# LLVM defect (Mach-O arm64; LLVM only asserts it, in debug builds): an
# ARM64_RELOC_PAGEOFF12 on a load/store whose target is not aligned to the
# access is silently truncated in release builds such as Debian's llvm-19:
# `ldr q0, [x0, var@PAGEOFF]` gets (var & 0xfff) >> 4, so it loads from
# var rounded down to 16 bytes, a different address, without an error.
# Rule (<mach-o/arm64/reloc.h>: "offset within page, scaled by r_length";
# ld64.lld checks the alignment and fails the link): the scaled
# offset must be exact, else an error naming the relocation.
# __data is placed at 0x7654328 (-map-section): var, 16 bytes in, is at
# 0x7654338, 8 bytes off 16. The check states the exact offset: false under
# llvm-rtdyld-19 (0x330 != 0x338); jitload refuses the relocation.
        .text
        .globl  _main
_main:
        adrp    x0, var@PAGE
insn:   ldr     q0, [x0, var@PAGEOFF]
        ret
# rtdyld-check: decode_operand(insn, 2) << 4 = var[11:0]
        .data
        .p2align 4
        .quad   0, 0
var:
        .quad   0, 0
