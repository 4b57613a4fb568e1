# R_X86_64_32S: S + A, sign-extended to 64 bits when used (psABI Table
# 4.10), so the value must be in [-2^31, 2^31).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/r32s.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s \
# RUN:   -dummy-extern=pos=0x7ffffff0 -dummy-extern=neg=0xffffffff80000000 %t/r32s.o
#
# Out of range: pos + 0x10 = 2^31; neg - 1 < -2^31.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify \
# RUN:   -dummy-extern=pos=0x7ffffff1 -dummy-extern=neg=0xffffffff80000000 %t/r32s.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE-HI
# RANGE-HI: error: {{.*}}r32s.o:{{ ?}}(.text+0x3): relocation R_X86_64_32S out of range
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify \
# RUN:   -dummy-extern=pos=0 -dummy-extern=neg=0xffffffff7fffffff %t/r32s.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE-LO
# RANGE-LO: error: {{.*}}r32s.o:{{ ?}}(.text+0xa): relocation R_X86_64_32S out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_32S -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_32S

  .text
# The immediate is sign-extended, so the decoded operand is the full value.
# rtdyld-check: decode_operand(mov_pos, 1) = pos + 0xf
mov_pos:
  movq $pos + 0xf, %rax
# rtdyld-check: decode_operand(mov_neg, 1) = neg
mov_neg:
  movq $neg, %rax
# rtdyld-check: decode_operand(mov_local, 1) = mov_pos + 2
mov_local:
  movq $mov_pos + 2, %rax
