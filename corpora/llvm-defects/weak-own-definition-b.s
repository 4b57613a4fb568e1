# The strong definition of w (see weak-own-definition-a.s).
        .text
        .globl  w
        .type   w, @function
w:      movl    $9, %eax
        retq
        .section .note.GNU-stack,"",@progbits
