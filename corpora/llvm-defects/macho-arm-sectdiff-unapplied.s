# LLVM defect: in a Mach-O ARM object a scattered ARM_RELOC_SECTDIFF or
# ARM_RELOC_LOCAL_SECTDIFF (with its PAIR) is silently skipped:
# RuntimeDyldMachOARM::processRelocationRef handles only scattered
# HALF_SECTDIFF and VANILLA and steps over every other scattered entry,
# so the field keeps the assembler's value A - B of the file's addresses
# however far apart the two sections are loaded. No error is reported.
# Rule (<mach-o/arm/reloc.h>, as <mach-o/reloc.h> GENERIC_RELOC_SECTDIFF):
# the word is A - B + k, A and B each moved with the section holding it.
# __text at 0x10000 and __data at 0x200000: the checks state the psABI
# value; llvm-rtdyld-19 -verify finds them false (it left -4 and -8);
# both jitload loaders pass them.
        .syntax unified
        .section __TEXT,__text,regular,pure_instructions
        .globl  _f
        .p2align 2
        .code   32
_f:
        bx      lr
Lg:
        bx      lr
        .section __DATA,__data
        .globl  _d
        .p2align 2
_d:
        .long   _f - _d
Ld2:
        .long   Lg - Ld2 + 8
# rtdyld-check: *{4}_d = (_f - _d) & 0xffffffff
# rtdyld-check: *{4}(_d + 4) = ((_f + 4) - (_d + 4) + 8) & 0xffffffff
