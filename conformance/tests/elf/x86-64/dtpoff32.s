# R_X86_64_DTPOFF32: S + A (TLS supplement §4.4), the offset of a variable
# in its module's TLS block, used after the local-dynamic __tls_get_addr
# call (movl x@dtpoff(%rax), %eax). A JIT's TLS blocks all sit in the static
# TLS area, one module, so this offset is the thread-pointer offset (what
# the local-dynamic to local-exec rewrite of tlsld.s relies on).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/dtpoff32.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/dtpoff32.o
#
# Out of range: the offset is negative, so an addend of -2^31 takes it below -2^31.
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -defsym=HUGE=1 -o %t/huge.o %s
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/huge.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}huge.o:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_X86_64_DTPOFF32 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_DTPOFF32 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_DTPOFF32

  .text
# rtdyld-check: decode_operand(load, 4) = tls
load:
  movl tls@dtpoff(%rax), %eax
# rtdyld-check: decode_operand(lea, 4) = tls2 + 4
lea:
  leaq tls2@dtpoff + 4(%rax), %rcx
.ifdef HUGE
  .reloc ., R_X86_64_DTPOFF32, tls - 0x80000000
  .long 0
.endif

  .section .tdata,"awT",@progbits
  .globl tls, tls2
tls:
  .long 0x12
tls2:
  .quad 0x34
