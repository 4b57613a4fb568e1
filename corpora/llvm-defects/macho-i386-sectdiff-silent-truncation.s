# LLVM defect: in a Mach-O i386 object a 1- or 2-byte GENERIC_RELOC_LOCAL_SECTDIFF
# (with its PAIR) whose difference does not fit its field is silently
# truncated (RuntimeDyldMachOI386 writes the low bytes of A - B).
# Rule (<mach-o/reloc.h>, SECTDIFF): the field is A - B + k with A and B
# each moved with its section; r_length 0 and 1 are a byte and a word, and
# a difference that does not fit is a link error (ld64: "... out of range"),
# never a wrong field.
# __text at 0x1000 and __data at 0x100000 (-map-section) put L2 - L1 at
# 0xfefff: the checks state what LLVM 19 writes (its low 8 and 16 bits):
# llvm-rtdyld-19 -verify passes them; jitload refuses both relocations
# (out of range) on both loaders.
        .text
        .globl  _f
_f:     nop
L1:     ret
        .data
        .globl  _d
_d:
L2:     .long   0
        .byte   L2 - L1
        .short  L2 - L1
# rtdyld-check: *{1}(_d + 4) = 0xff
# rtdyld-check: *{2}(_d + 5) = 0xefff
