# R_X86_64_TPOFF32: S + A (TLS supplement §4.4), S a thread-local symbol's
# offset from the thread pointer (negative on x86-64: the TLS block sits
# below it), for the local-exec model (movl %fs:x@tpoff, %eax).
# The checker sees a thread-local symbol's address as that offset.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/tpoff32.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/tpoff32.o
#
# Out of range: the offset is negative, so an addend of -2^31 takes it below -2^31.
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -defsym=HUGE=1 -o %t/huge.o %s
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/huge.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}huge.o:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_X86_64_TPOFF32 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_TPOFF32 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_TPOFF32

  .text
# rtdyld-check: decode_operand(load, 4) = tls
load:
  movl %fs:tls@tpoff, %eax
# rtdyld-check: decode_operand(lea, 4) = tls2 + 8
lea:
  leaq tls2@tpoff + 8(%rax), %rcx
# Both variables are in the block, below the thread pointer.
# rtdyld-check: tls2 - tls = 4
# rtdyld-check: (0 - tls)[63:63] = 0
.ifdef HUGE
  .reloc ., R_X86_64_TPOFF32, tls - 0x80000000
  .long 0
.endif

  .section .tdata,"awT",@progbits
  .globl tls, tls2
tls:
  .long 0x12
tls2:
  .long 0x34
  .quad 0
