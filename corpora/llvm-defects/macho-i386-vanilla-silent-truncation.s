# LLVM defect: in a Mach-O i386 object a 4-byte GENERIC_RELOC_VANILLA whose
# value does not fit 32 bits is silently truncated (RuntimeDyldMachOI386
# writes the low bytes; ARM_RELOC_VANILLA the same in RuntimeDyldMachOARM).
# Rule (<mach-o/reloc.h>: r_length 2 is a long, a 32-bit address): an
# address at or above 2^32 cannot be an i386 address; a value that does
# not fit the field is a link error (ld64: "32-bit absolute address out of
# range"), never a wrong field.
# _ext is placed at 0x123456789 (-dummy-extern). The check states what
# LLVM 19 writes (the low 32 bits): llvm-rtdyld-19 -verify passes it;
# jitload refuses the relocation (out of range) on both loaders.
        .data
        .globl  _p
_p:
        .long   _ext
# rtdyld-check: *{4}_p = 0x23456789
