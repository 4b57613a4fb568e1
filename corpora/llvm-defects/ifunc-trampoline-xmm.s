# LLVM defect: RuntimeDyld's IFUNC resolver trampoline saves the integer
# argument registers but not %xmm0-7, so a resolver that uses vector
# registers corrupts the floating-point arguments of the first call.
# psABI rule (x86-64 psABI, "Parameter Passing" and the IRELATIVE/IFUNC
# contract): a call through an IFUNC symbol is an ordinary call of the
# function the resolver returns, with every argument register as the caller
# set it; %xmm0-7 carry arguments.
# main returns f(3.0) = 2 * 3.0 = 6 (the native link: 6; llvm-rtdyld-19
# -execute: 0; jitload rtdyld -execute: 6).
        .text
        .globl  main
main:   subq    $8, %rsp
        movsd   three(%rip), %xmm0
        callq   f
        cvttsd2si %xmm0, %eax
        addq    $8, %rsp
        retq
impl:   addsd   %xmm0, %xmm0
        retq
resolver:
        xorps   %xmm0, %xmm0            # a resolver may use vector registers
        leaq    impl(%rip), %rax
        retq
        .type   f, @gnu_indirect_function
        .globl  f
        .set    f, resolver
        .section .rodata
        .p2align 3
three:  .double 3.0
        .section .note.GNU-stack,"",@progbits
