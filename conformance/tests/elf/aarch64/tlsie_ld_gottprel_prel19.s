# R_AARCH64_TLSIE_LD_GOTTPREL_PREL19 (aaelf64 §5.7.13: G(GTPREL(S + A)) - P,
# bits [20:2] into LDR (literal)'s imm19, checked -2^20 <= X < 2^20): the
# tiny code model's initial exec (clang-19 -mcmodel=tiny -fPIC
# -ftls-model=initial-exec), served through the GOT slot holding the
# symbol's thread-pointer offset, as the ADRP/LDR forms are
# (reference/reference.h "AArch64"); variant I, so v's offset is 16 + 8.
# RUN: rm -rf %t && mkdir -p %t/be
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/ie.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/ie.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be/ie.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be/ie.o
# The edge: the slot 2^20 - 4 bytes after the load (the GOT's first slot
# is v's: the only GOT use).
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section ie.o,.text=0x100000 -map-section ie.o,.got=0x1ffffc %t/ie.o
# One word beyond.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify \
# RUN:   -map-section ie.o,.text=0x100000 -map-section ie.o,.got=0x200000 %t/ie.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}ie.o:{{ ?}}(.text+0x0): relocation R_AARCH64_TLSIE_LD_GOTTPREL_PREL19 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_TLSIE_LD_GOTTPREL_PREL19 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_TLSIE_LD_GOTTPREL_PREL19

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (got_addr(ie.o/.text, v) - _main)[20:2]
# rtdyld-check: *{8}got_addr(ie.o/.text, v) = v
# rtdyld-check: v = 0x18
_main:
  ldr x0, :gottprel:v
  mrs x1, tpidr_el0
  ldr x0, [x1, x0]
  ret

  .section .tdata,"awT",@progbits
  .p2align 3
w:
  .xword 1
  .globl v
v:
  .xword 2
