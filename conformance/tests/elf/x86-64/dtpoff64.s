# R_X86_64_DTPOFF64: S + A into 64 bits (TLS supplement §4.4): a variable's
# offset in its module's TLS block, as data (the second word of a
# general-dynamic GOT pair). One static TLS module: the thread-pointer
# offset (see dtpoff32.s).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/dtpoff64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/dtpoff64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_DTPOFF64 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_DTPOFF64

  .data
# rtdyld-check: *{8}field = tls
# rtdyld-check: *{8}(field + 8) = tls2 + 16
field:
  .quad tls@dtpoff
  .quad tls2@dtpoff + 16

  .section .tdata,"awT",@progbits
  .globl tls, tls2
tls:
  .long 0x12
  .long 0
tls2:
  .quad 0x34
