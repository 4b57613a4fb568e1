# R_X86_64_8: S + A into a byte (psABI Table 4.10). The psABI asks only that
# the value fit; like lld we accept a value that fits as signed or unsigned
# (-128..255).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/r8.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s \
# RUN:   -dummy-extern=hi=0xfe -dummy-extern=lo=0xffffffffffffff82 %t/r8.o
#
# Out of range: hi + 1 = 0x100, and lo - 2 = -129.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify \
# RUN:   -dummy-extern=hi=0xff -dummy-extern=lo=0xffffffffffffff82 %t/r8.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE-HI
# RANGE-HI: error: {{.*}}r8.o:{{ ?}}(.data+0x0): relocation R_X86_64_8 out of range
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify \
# RUN:   -dummy-extern=hi=0xfe -dummy-extern=lo=0xffffffffffffff81 %t/r8.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE-LO
# RANGE-LO: error: {{.*}}r8.o:{{ ?}}(.data+0x1): relocation R_X86_64_8 out of range
#
# Malformed: a field one byte past the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_8 -D OFFSET=8 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x8): relocation R_X86_64_8

  .data
# rtdyld-check: *{1}field = 0xff
# rtdyld-check: *{1}(field + 1) = 0x80
# rtdyld-check: *{1}(field + 2) = 0xaa
field:
  .byte hi + 1
  .byte lo - 2
  .byte 0xaa
