# R_X86_64_TPOFF64: S + A into 64 bits (TLS supplement §4.4): a thread-local
# symbol's offset from the thread pointer, as data (what an initial-exec
# GOT slot holds).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/tpoff64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/tpoff64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_TPOFF64 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_TPOFF64

  .data
# rtdyld-check: *{8}field = tls
# rtdyld-check: *{8}(field + 8) = tls2 + 2
# The offsets are negative: the block lies below the thread pointer.
# rtdyld-check: (*{8}field)[63:63] = 1
field:
  .quad tls@tpoff
  .quad tls2@tpoff + 2

  .section .tbss,"awT",@nobits
  .globl tls, tls2
tls:
  .zero 4
tls2:
  .zero 4
