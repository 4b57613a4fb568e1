# R_RISCV_PLT32: S + A - P into a 32-bit word, checked -2^31 <= X < 2^31
# (psABI table "Relocation types"; the reference never uses a stub for it). Written with .reloc.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/plt32.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -map-section plt32.o,.data=0x10000 \
# RUN:   -dummy-extern=ext=0x12345678 %t/plt32.o
# The edge: ext at w + 2^31 - 1 loads; at w + 2^31 it overflows.
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -map-section plt32.o,.data=0x10000 \
# RUN:   -dummy-extern=ext=0x8000ffff %t/plt32.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify -map-section plt32.o,.data=0x10000 \
# RUN:   -dummy-extern=ext=0x80010000 %t/plt32.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}plt32.o:{{ ?}}(.data+0x0): relocation R_RISCV_PLT32 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_PLT32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_PLT32

  .data
  .p2align 2
# rtdyld-check: *{4}w = (ext - w)[31:0]
  .reloc w, R_RISCV_PLT32, ext
w:
  .word 0
# rtdyld-check: *{4}w2 = (ext - 16 - w2)[31:0]
  .reloc w2, R_RISCV_PLT32, ext - 16
w2:
  .word 0
