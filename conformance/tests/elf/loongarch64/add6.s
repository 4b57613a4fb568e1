# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/add6.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section add6.o,.text=0x40000000 %t/add6.o
# R_LARCH_ADD6 and R_LARCH_SUB6 through .reloc on one field, its assembled bits kept
# outside the field (ADD6/SUB6: the top 2 bits of the byte).
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_ADD6 -D OFFSET=0x8 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x8): relocation R_LARCH_ADD6
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_SUB6 -D OFFSET=0x8 -o %t/bad2.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad2.o 2>&1 | FileCheck %s --check-prefix=BAD2
# BAD2: error: bad2.o:{{ ?}}(.text+0x8): relocation R_LARCH_SUB6

  .text
  .p2align 2
a:
  nop
  nop
b:
  nop
  .data
# rtdyld-check: *{1}w = 0xc9
w:
  .reloc ., R_LARCH_ADD6, b
  .reloc ., R_LARCH_SUB6, a
  .byte 0xc1, 0, 0, 0
