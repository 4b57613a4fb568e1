# R_X86_64_NONE: no computation (psABI Table 4.10); the bytes under it stay
# as assembled, and a loader that executes the object is unaffected.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/none.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/none.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/none.o
#
# Malformed: a NONE relocation still names a symbol, and index 7 does not
# exist.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_NONE -D SYMBOL=7 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o{{.*}}symbol index 7

  .text
  .globl _main
_main:
  xorl %eax, %eax
  retq

  .data
# rtdyld-check: *{4}field = 0x11223344
# rtdyld-check: *{4}(field + 4) = 0x55667788
field:
  .reloc field, R_X86_64_NONE, _main
  .reloc field + 4, R_X86_64_NONE, _main
  .long 0x11223344
  .long 0x55667788
