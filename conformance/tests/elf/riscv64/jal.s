# R_RISCV_JAL: S + A - P into a J-type immediate (imm[20:1]), checked
# -2^20 <= X < 2^20 and a multiple of 2 (psABI "PC-Relative Jumps and
# Branches"). No stub.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/jal.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -map-section jal.o,.text=0x200000 \
# RUN:   -map-section jal.o,.text.far=0x212344 %t/jal.o
# The edges: 2^20 - 2 forward, -2^20 backward.
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -map-section jal.o,.text=0x200000 \
# RUN:   -map-section jal.o,.text.far=0x2ffffe %t/jal.o
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -map-section jal.o,.text=0x200000 \
# RUN:   -map-section jal.o,.text.far=0x100000 %t/jal.o
# One beyond (2^20): an overflow error.
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify -map-section jal.o,.text=0x200000 \
# RUN:   -map-section jal.o,.text.far=0x300000 %t/jal.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}jal.o:{{ ?}}(.text+0x0): relocation R_RISCV_JAL out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_JAL -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_JAL

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1)[20:0] = (far - _main)[20:0]
_main:
  jal ra, far
  ret

  .section .text.far,"ax",@progbits
  .p2align 1
far:
  ret
