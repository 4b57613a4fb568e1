# LLVM defect (Mach-O x86-64, RuntimeDyldMachOX86_64): a RIP-relative
# operand (X86_64_RELOC_SIGNED) whose target is beyond +-2 GiB is written
# with the low 32 bits of the distance, silently: no range check.
# Rule (<mach-o/x86_64/reloc.h>, X86_64_RELOC_SIGNED; ld64): the field is
# S + A - (P + 4) in a signed 32-bit word; a value that does not fit
# fails the link, never a wrong field.
# _ext is placed at 0x7f0000001000 (-dummy-extern). The check states what
# LLVM 19 writes (the low 32 bits): llvm-rtdyld-19 -verify passes it;
# jitload rtdyld refuses the relocation ("out of range"), status 1.
        .text
        .globl  _main
_main:
lea:    leaq    _ext(%rip), %rax
        retq
# rtdyld-check: *{4}(lea + 3) = (_ext - (lea + 7))[31:0]
