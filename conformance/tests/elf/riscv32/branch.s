# R_RISCV_BRANCH: S + A - P into a B-type immediate (imm[12:1]), checked
# -2^12 <= X < 2^12 and a multiple of 2 (psABI "PC-Relative Jumps and
# Branches"). No stub.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/branch.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section branch.o,.text=0x10000 \
# RUN:   -map-section branch.o,.text.far=0x10800 %t/branch.o
# The edges: 4094 forward and -4096 backward reach.
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section branch.o,.text=0x10000 \
# RUN:   -map-section branch.o,.text.far=0x10ffe %t/branch.o
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section branch.o,.text=0x10000 \
# RUN:   -map-section branch.o,.text.far=0xf000 %t/branch.o
# One halfword beyond (4096): an overflow error.
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify -map-section branch.o,.text=0x10000 \
# RUN:   -map-section branch.o,.text.far=0x11000 %t/branch.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}branch.o:{{ ?}}(.text+0x0): relocation R_RISCV_BRANCH out of range
# An odd target: misaligned.
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify -map-section branch.o,.text=0x10000 \
# RUN:   -map-section branch.o,.text.far=0x10101 %t/branch.o 2>&1 | FileCheck %s --check-prefix=ODD
# ODD: error: {{.*}}branch.o:{{ ?}}(.text+0x0): relocation R_RISCV_BRANCH {{.*(misaligned|odd)}}
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_BRANCH -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_BRANCH

  .text
  .globl _main
  .p2align 2
# The assembler turns a branch to another section into bne + jal, so the
# beq is written raw under an explicit .reloc.
# rtdyld-check: decode_operand(_main, 2)[12:0] = (far - _main)[12:0]
# rtdyld-check: (*{4}_main)[24:12] = 0xb50
# rtdyld-check: (*{4}_main)[6:0] = 0x63
_main:
  .reloc ., R_RISCV_BRANCH, far
  .4byte 0x00b50063
  ret

  .section .text.far,"ax",@progbits
  .p2align 0
far:
  ret
