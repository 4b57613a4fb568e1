# R_RISCV_SUB32: V - S - A in a 32-bit field, V the field's value as the
# relocations before it left it; no range, the field wraps (psABI table
# "Relocation types": label arithmetic; reference.h "RISC-V"). Written with
# .reloc so that S lies in another section (far, mapped) and V is not 0.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/sub32.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -map-section sub32.o,.data=0x10000 \
# RUN:   -map-section sub32.o,.text.far=0x123456 %t/sub32.o
# The field wraps rather than overflows.
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -map-section sub32.o,.data=0x10000 \
# RUN:   -map-section sub32.o,.text.far=0xfedcba98 %t/sub32.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_SUB32 -D OFFSET=0x6 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_SUB32

  .data
  .p2align 3
# rtdyld-check: *{4}w = (0x7a - far - 3)[31:0]
  .reloc w, R_RISCV_SUB32, far + 3
w:
  .4byte 0x7a
  .section .text.far,"ax",@progbits
  .globl far
far:
  ret
