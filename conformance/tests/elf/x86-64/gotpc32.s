# R_X86_64_GOTPC32: GOT + A - P (psABI Table 4.10): the distance to the GOT
# (lea _GLOBAL_OFFSET_TABLE_(%rip)), so the GOT exists even with no slot.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/gotpc32.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/gotpc32.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/gotpc32.o
#
# Out of range: the GOT 4 GiB away from the code.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -map-section gotpc32.o,.got=0x100002000 %t/gotpc32.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}gotpc32.o:{{ ?}}(.text+0x3): relocation R_X86_64_GOTPC32 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_GOTPC32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_GOTPC32

  .text
  .globl _main
# Execution: GOT + (value's offset from the GOT) is value.
# rtdyld-check: decode_operand(_main, 4) = section_addr(gotpc32.o, .got) - next_pc(_main)
_main:
  leaq _GLOBAL_OFFSET_TABLE_(%rip), %rcx
# rtdyld-check: decode_operand(gotoff, 1) = value - section_addr(gotpc32.o, .got)
gotoff:
  movabsq $value@GOTOFF, %rax
  movl (%rcx,%rax), %eax
  subl $0x1357, %eax
  retq
# With an addend: GOT + 0x10 - P.
# rtdyld-check: decode_operand(plus16, 4) = section_addr(gotpc32.o, .got) + 0x10 - next_pc(plus16)
plus16:
  leaq _GLOBAL_OFFSET_TABLE_ + 0x10(%rip), %rdx

  .data
value:
  .long 0x1357
