# LLVM defect: llvm-rtdyld accepts two strong (STB_GLOBAL) definitions of
# one name in one program and runs it (each object's references to its own).
# gABI rule ("Symbol Table", STB_GLOBAL): "the link editor does not allow
# multiple definitions of STB_GLOBAL symbols with the same name" (ld:
# "multiple definition of `dup'"). llvm-rtdyld-19 -execute a b: runs, 7;
# jitload rtdyld -execute: "duplicate definition of symbol 'dup'", status 1.
        .text
        .globl  main
main:   jmp     dup
        .globl  dup
        .type   dup, @function
dup:    movl    $7, %eax
        retq
        .section .note.GNU-stack,"",@progbits
