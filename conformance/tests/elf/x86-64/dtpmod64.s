# R_X86_64_DTPMOD64 (TLS supplement §4.4): the ID of the module whose TLS
# block holds the symbol, the first word of a general-dynamic GOT pair. A
# JIT has one static TLS module for everything it loads, module 1 (see
# dtpoff32.s).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/dtpmod64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/dtpmod64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_DTPMOD64 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_DTPMOD64

  .data
# A GOT-style pair: module, offset.
# rtdyld-check: *{8}pair = 1
# rtdyld-check: *{8}(pair + 8) = tls
# The word after the pair is untouched.
# rtdyld-check: *{8}(pair + 16) = 0x5555555555555555
pair:
  .reloc pair, R_X86_64_DTPMOD64, tls
  .quad 0
  .quad tls@dtpoff
  .quad 0x5555555555555555

  .section .tdata,"awT",@progbits
  .globl tls
tls:
  .long 0x12
