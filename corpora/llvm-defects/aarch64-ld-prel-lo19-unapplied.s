# LLVM defect (AArch64 little-endian): llvm-rtdyld-19 leaves an
# R_AARCH64_LD_PREL_LO19 unapplied — the literal load's imm19 stays 0 — with
# no error (also seen by the conformance suite, conformance/tests/elf/aarch64/).
# psABI rule (AArch64 ELF psABI, "Static AArch64 relocations",
# R_AARCH64_LD_PREL_LO19): X = S + A - P; set the LD-literal immediate to
# bits [20:2] of X, checking -2^20 <= X < 2^20.
# The check states the psABI's answer: llvm-rtdyld-19 -verify fails it
# (the field reads 0), jitload must pass it (or, before AArch64 support is
# merged, refuse the machine).
        .text
        .globl  main
main:
ldr:    ldr     x0, target
        ret
        .data
        .p2align 3
target: .quad 42
# rtdyld-check: (*{4}ldr)[23:5] = ((target - ldr) >> 2)[18:0]
