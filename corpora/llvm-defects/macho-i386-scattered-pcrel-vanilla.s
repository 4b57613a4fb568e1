# LLVM defect: in a Mach-O i386 object a scattered pc-relative
# GENERIC_RELOC_VANILLA (`calll Lc+8`, a label plus an offset in another
# section) lands P + 4 bytes short of its target, P being the field's
# address in the file (RuntimeDyldMachOI386 measures the addend from
# r_value's section as for an absolute field and never adds back the
# field's own end, which the assembler subtracted).
# Rule (<mach-o/reloc.h>, a pc-relative field is relative to its own end;
# r_value is the target's address): the field is T - (P + 4) with T =
# r_value's section, moved, plus (the field's contents + P_file + 4 -
# that section's file address), i.e. the call still reaches Lc + 8.
# __text at 0x100000 and __const at 0x300000 (-map-section): the check
# states the right field; llvm-rtdyld-19 -verify fails it (0x1ffffa, 9 =
# 5 + 4 short); jitload's engine and reference pass it.
# Found by `jitload diff` on a hand-written i386 object (session 10, hunt10),
# an LLVM-only disagreement no class explained.
        .text
        .globl  _f
_f:     nop
        nop
        nop
        nop
# rtdyld-check: *{4}(call_c8 + 1) = (_c + 0xc) - (call_c8 + 5)
call_c8:
        calll   Lc+8
        retl
        .section __TEXT,__const
        .globl  _c
_c:     .long   0
Lc:     .long   1, 2, 3
