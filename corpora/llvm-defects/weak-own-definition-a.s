# LLVM defect: llvm-rtdyld binds an object's references to its own weak
# definition although a later object defines the name strongly.
# gABI rule ("Symbol Table", STB_WEAK; the link editor): a global definition
# beats a weak one of the same name, and every reference binds to the one
# definition chosen. main returns w() : native link 9; llvm-rtdyld-19
# -execute a b: 5; jitload rtdyld -execute: 9.
        .text
        .globl  main
main:   jmp     w
        .weak   w
        .type   w, @function
w:      movl    $5, %eax
        retq
        .section .note.GNU-stack,"",@progbits
