# R_X86_64_64: S + A into a 64-bit word (psABI Table 4.10). Every value
# fits, so only the malformed case can fail.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/r64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -dummy-extern=ext=0xfedcba9876543210 %t/r64.o
# Far apart sections change nothing.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -dummy-extern=ext=0xfedcba9876543210 \
# RUN:   -map-section r64.o,.data=0x7fff00000000 %t/r64.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/r64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_64

  .text
  .globl _main
# Execution: the pointer in .data must point at `value`.
_main:
  movabsq $ptr, %rax
  movq (%rax), %rax
  movl (%rax), %eax
  subl $0x1234, %eax
  retq
# rtdyld-check: decode_operand(movabs, 1) = value + 3
movabs:
  movabsq $value + 3, %rax

  .data
# ext is weak: -execute (which ignores -dummy-extern) resolves it to 0.
  .weak ext
# rtdyld-check: *{8}ptr = value
# rtdyld-check: *{8}(ptr + 8) = ext + 8
# rtdyld-check: *{8}(ptr + 16) = ext - 0x10
ptr:
  .quad value
  .quad ext + 8
  .quad ext - 0x10
value:
  .long 0x1234
