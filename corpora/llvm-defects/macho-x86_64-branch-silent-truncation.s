# LLVM defect (Mach-O x86-64, RuntimeDyldMachOX86_64): a call whose target
# is beyond the +-2 GiB a rel32 reaches is written with the low 32 bits of
# the distance, silently: RuntimeDyldMachOX86_64 makes no stubs and checks
# no range (its RuntimeDyldELF counterpart calls through a stub).
# Rule (<mach-o/x86_64/reloc.h>, X86_64_RELOC_BRANCH; ld64): the field is
# S + A - (P + 4) in a signed 32-bit word; a target out of reach is
# refused by the link, or reached through a stub (a JIT, as ELF's
# RuntimeDyld does), never a call to the wrong address.
# _ext is placed at 0x7f0000001000 (-dummy-extern). The check states what
# LLVM 19 writes (the truncated distance): llvm-rtdyld-19 -verify passes it;
# jitload rtdyld writes the distance to its stub for _ext (which jumps to
# 0x7f0000001000), so the check is false there.
        .text
        .globl  _main
_main:
call:   callq   _ext
        retq
# rtdyld-check: *{4}(call + 1) = (_ext - (call + 5))[31:0]
