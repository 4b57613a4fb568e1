# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -mattr=+relax -filetype=obj -o %t/sub8.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -dummy-extern=f=0x10001000 %t/sub8.o
# R_LARCH_ADD8 then R_LARCH_SUB8 at one field (label differences under -mattr=+relax): V + S1
# + A1 - S2 - A2, modulo the field (reference.h "LoongArch"). Nothing is
# relaxed, so the difference is the assembled one.
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_ADD8 -D OFFSET=0x8 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x8): relocation R_LARCH_ADD8
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_SUB8 -D OFFSET=0x8 -o %t/bad2.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad2.o 2>&1 | FileCheck %s --check-prefix=BAD2
# BAD2: error: bad2.o:{{ ?}}(.text+0x8): relocation R_LARCH_SUB8

  .text
  .p2align 2
a:
  call36 f
  .space 8
b:
  nop
  .data
# rtdyld-check: *{1}w = (b - a)
w:
  .byte b - a
# rtdyld-check: *{1}w2 = (b + 3 - a)
w2:
  .byte b + 3 - a
