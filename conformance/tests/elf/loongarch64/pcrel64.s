# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/pcrel64.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section pcrel64.o,.data=0x10000000 -dummy-extern=ext=0x7f0012345678 %t/pcrel64.o
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_64_PCREL -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_64_PCREL

# R_LARCH_64_PCREL: S + A - P, 64 bits, no range.
  .data
  .p2align 3
# (llvm-mc writes `.quad ext - .` as an ADD64/SUB64 pair: .reloc names the type.)
# rtdyld-check: *{8}w = ext - w
w:
  .reloc ., R_LARCH_64_PCREL, ext
  .quad 0
# rtdyld-check: *{8}w8 = ext + 8 - w8
w8:
  .reloc ., R_LARCH_64_PCREL, ext+8
  .quad 0
