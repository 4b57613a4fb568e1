# R_AARCH64_GOTPCREL32: G(GDAT(S + A)) - P into a 32-bit data word, checked
# -2^31 <= X < 2^31 (aaelf64 §5.7.6), in the object's byte order; one
# 8-byte slot per symbol holding S (reference/reference.h).
# RUN: rm -rf %t && mkdir -p %t/be
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/gotpcrel32.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/gotpcrel32.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be/gotpcrel32.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/be/gotpcrel32.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_GOTPCREL32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_GOTPCREL32

  .text
  .globl _main
  .p2align 2
_main:
  ret

  .data
  .p2align 2
# rtdyld-check: *{4}rel = (got_addr(gotpcrel32.o/.text, ext) - rel)[31:0]
# rtdyld-check: *{8}got_addr(gotpcrel32.o/.text, ext) = ext
rel:
  .word ext@GOTPCREL
