# R_X86_64_32: S + A, zero-extended to 64 bits when used (psABI Table 4.10),
# so the value must be in [0, 2^32).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/r32.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -dummy-extern=ext=0xfffffff0 %t/r32.o
#
# Out of range: ext + 0x10 = 2^32 (and ext - 1 for ext = 0 is negative).
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=ext=0xfffffff1 %t/r32.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE-HI
# RANGE-HI: error: {{.*}}r32.o:{{ ?}}(.data+0x0): relocation R_X86_64_32 out of range
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=ext=0 %t/r32.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE-LO
# RANGE-LO: error: {{.*}}r32.o:{{ ?}}(.data+0x4): relocation R_X86_64_32 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_32

  .text
# An absolute address as an instruction's immediate, and a local symbol.
# rtdyld-check: decode_operand(mov_ext, 1) = ext
mov_ext:
  movl $ext, %eax
# rtdyld-check: decode_operand(mov_local, 1) = field + 4
mov_local:
  movl $field + 4, %eax

  .data
# rtdyld-check: *{4}field = 0xffffffff
# rtdyld-check: *{4}(field + 4) = 0xffffffef
field:
  .long ext + 0xf
  .long ext - 1
