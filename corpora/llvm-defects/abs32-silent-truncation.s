# LLVM defect: in non-PIC code an R_X86_64_32 whose value does not fit is
# silently truncated (LLVM's range check is an assert, compiled out in
# release builds such as Debian's llvm-19).
# psABI rule (x86-64 psABI, "Relocation Types"): R_X86_64_32's value
# S + A is zero-extended to 64 bits; a value that does not fit is a link
# error ("relocation truncated to fit" in ld), never a wrong field.
# ext is placed at 0x123456789 (-dummy-extern). The check states what LLVM
# 19 writes (the low 32 bits): llvm-rtdyld-19 -verify passes it; jitload
# rtdyld refuses the relocation (out of range) and the check fails.
        .text
        .globl  main
main:
insn:   movl    $ext, %eax
        retq
# rtdyld-check: *{4}(insn + 1) = 0x23456789
