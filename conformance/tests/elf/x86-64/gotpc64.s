# R_X86_64_GOTPC64: GOT + A - P into 64 bits (psABI Table 4.10): the large
# code model's way to find the GOT (movabs $_GLOBAL_OFFSET_TABLE_-base).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/gotpc64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/gotpc64.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -map-section gotpc64.o,.got=0x600000000 %t/gotpc64.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/gotpc64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_GOTPC64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_GOTPC64

  .text
  .globl _main
_main:
base:
  leaq base(%rip), %rcx
# rtdyld-check: decode_operand(gotpc, 1) = section_addr(gotpc64.o, .got) - base
gotpc:
  movabsq $_GLOBAL_OFFSET_TABLE_ - base, %rax
  addq %rax, %rcx
# rtdyld-check: decode_operand(gotoff, 1) = value - section_addr(gotpc64.o, .got)
gotoff:
  movabsq $value@GOTOFF, %rax
  movl (%rcx,%rax), %eax
  subl $0x9abc, %eax
  retq

  .data
value:
  .long 0x9abc
