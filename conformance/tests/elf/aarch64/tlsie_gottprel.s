# R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21 (Page(G(GTPREL(S + A))) - Page(P)
# into ADRP) and R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC (G(GTPREL(S + A))
# & 0xff8 into LDR's imm12) (aaelf64 §5.7.13): served through a GOT slot
# holding the symbol's thread-pointer offset, not rewritten
# (reference/reference.h); variant I, so the offset is 16 + its place.
# RUN: rm -rf %t && mkdir -p %t/be
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/ie.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/ie.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be/ie.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be/ie.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21

  .text
  .globl _main
  .p2align 2
_main:
  mrs x1, tpidr_el0
# rtdyld-check: decode_operand(page, 1) = (got_addr(ie.o/.text, v)[63:12] - page[63:12])[20:0]
page:
  adrp x0, :gottprel:v
# rtdyld-check: decode_operand(lo, 2) = got_addr(ie.o/.text, v)[11:3]
# rtdyld-check: *{8}got_addr(ie.o/.text, v) = v
# rtdyld-check: v = 0x18
lo:
  ldr x0, [x0, #:gottprel_lo12:v]
  ret

  .section .tdata,"awT",@progbits
  .p2align 3
w:
  .xword 1
  .globl v
v:
  .xword 2
