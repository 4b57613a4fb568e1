# R_RISCV_GOT32_PCREL: G + GOT + A - P (the symbol's slot) into a 32-bit
# word, checked -2^31 <= X < 2^31 (psABI table "Relocation types").
# Written with .reloc (the assembler has no operator for it).
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/got32.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -dummy-extern=ext=0xf2345678 %t/got32.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_GOT32_PCREL -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_GOT32_PCREL

  .data
  .p2align 2
# rtdyld-check: *{4}w = (got_addr(got32.o/.data, ext) - w)[31:0]
# rtdyld-check: *{4}got_addr(got32.o/.data, ext) = ext
  .reloc w, R_RISCV_GOT32_PCREL, ext
w:
  .word 0
