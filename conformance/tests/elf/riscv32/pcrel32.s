# R_RISCV_32_PCREL: S + A - P into a 32-bit word, checked -2^31 <= X < 2^31
# (psABI table "Relocation types"). Written with .reloc.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/pcrel32.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section pcrel32.o,.data=0x10000 \
# RUN:   -dummy-extern=ext=0x12345678 %t/pcrel32.o
# On RV32 it wraps (modulo 2^32).
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section pcrel32.o,.data=0x10000 \
# RUN:   -dummy-extern=ext=0xf0010000 %t/pcrel32.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_32_PCREL -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_32_PCREL

  .data
  .p2align 2
# rtdyld-check: *{4}w = (ext - w)[31:0]
  .reloc w, R_RISCV_32_PCREL, ext
w:
  .word 0
# rtdyld-check: *{4}w2 = (ext - 16 - w2)[31:0]
  .reloc w2, R_RISCV_32_PCREL, ext - 16
w2:
  .word 0
