# LLVM defect: initial-exec -> local-exec rewrite of the "mov GOTTPOFF; mov
# %fs:(%rax)" form (11 bytes) compares and rewrites 14 bytes: it needs three
# zero bytes after the sequence, overwrites them, and loads 32 bits
# (64 8b 04 25) for the 64-bit load (64 48 8b 00).
# psABI rule (x86-64 psABI / "ELF Handling For Thread-Local Storage",
# Initial Exec -> Local Exec): the linker replaces the sequence's own
# instructions with an equivalent sequence; nothing outside them changes and
# `movq %fs:(%rax), %rax` stays a 64-bit load.
# The checks state the psABI's answer: llvm-rtdyld-19 -verify fails them all,
# jitload rtdyld -verify passes them.
        .text
        .globl  main
main:
seq:    movq    x@GOTTPOFF(%rip), %rax
        movq    %fs:(%rax), %rax
after:  .byte   0, 0, 0
        .section .tbss,"awT",@nobits
        .p2align 3
x:      .zero 8
# rtdyld-check: *{1}after = 0
# rtdyld-check: *{1}(after + 2) = 0
# rtdyld-check: *{4}(seq + 2) = 0x048b4864
