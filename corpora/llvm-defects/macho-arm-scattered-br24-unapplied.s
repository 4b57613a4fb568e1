# LLVM defect: in a Mach-O ARM object a scattered ARM_RELOC_BR24 (`bl Lt+8`,
# a label plus an offset in another section) is silently left unapplied
# (RuntimeDyldMachOARM::processRelocationRef handles only scattered
# HALF_SECTDIFF and VANILLA and steps over the rest; Thumb's scattered
# ARM_THUMB_RELOC_BR22 alike): the branch keeps the file's displacement.
# Rule (<mach-o/arm/reloc.h>, BR24: imm24 = (T - (P + 8)) >> 2; a scattered
# entry's target is r_value's section, moved, plus the offset the field
# encodes): the call still reaches Lt + 8.
# __text at 0x10000 and __text2 at 0x200000 (-map-section): the check
# states the right displacement; llvm-rtdyld-19 -verify fails it (0xc, the
# file's); jitload's engine and reference pass it.
# Found by `jitload diff` on a hand-written ARM object (session 10, hunt10),
# an LLVM-only disagreement no class explained.
        .syntax unified
        .section __TEXT,__text,regular,pure_instructions
        .arm
        .globl  _f
# rtdyld-check: decode_operand(call8, 0) = (_g + 0xc) - (call8 + 8)
_f:
call8:  bl      Lt+8
        bx      lr
        .section __TEXT,__text2,regular,pure_instructions
        .arm
        .globl  _g
_g:     nop
Lt:     nop
        nop
        nop
        bx      lr
