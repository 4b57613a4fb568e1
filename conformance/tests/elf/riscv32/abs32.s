# R_RISCV_32: S + A into a 32-bit word, checked -2^31 <= X < 2^32 (psABI
# table "Relocation types"; reference.h "RISC-V"). On RV32 every value is
# taken modulo 2^32, so nothing overflows there.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/abs32.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -dummy-extern=ext=0x12345678 %t/abs32.o
# The edge: ext + 4 = 0xffffffff, the largest value the field holds.
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -dummy-extern=ext=0xfffffffb %t/abs32.o
# On RV32 it wraps (modulo 2^32), as every RV32 address does.
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -dummy-extern=ext=0xfffffffc %t/abs32.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_32

  .data
  .p2align 2
# rtdyld-check: *{4}w = ext
w:
  .word ext
# rtdyld-check: *{4}w4 = (ext + 4)[31:0]
w4:
  .word ext + 4
