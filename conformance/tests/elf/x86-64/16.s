# R_X86_64_16: S + A into a 16-bit word (psABI Table 4.10); a value that
# fits as signed or unsigned (-32768..65535) is accepted.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/r16.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s \
# RUN:   -dummy-extern=hi=0xfffe -dummy-extern=lo=0xffffffffffff8002 %t/r16.o
#
# Out of range: hi + 1 = 0x10000, and lo - 2 = -32769.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify \
# RUN:   -dummy-extern=hi=0xffff -dummy-extern=lo=0xffffffffffff8002 %t/r16.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE-HI
# RANGE-HI: error: {{.*}}r16.o:{{ ?}}(.data+0x0): relocation R_X86_64_16 out of range
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify \
# RUN:   -dummy-extern=hi=0xfffe -dummy-extern=lo=0xffffffffffff8001 %t/r16.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE-LO
# RANGE-LO: error: {{.*}}r16.o:{{ ?}}(.data+0x2): relocation R_X86_64_16 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_16 -D OFFSET=7 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x7): relocation R_X86_64_16

  .data
# rtdyld-check: *{2}field = 0xffff
# rtdyld-check: *{2}(field + 2) = 0x8000
# rtdyld-check: *{2}(field + 4) = 0xaaaa
field:
  .short hi + 1
  .short lo - 2
  .short 0xaaaa
