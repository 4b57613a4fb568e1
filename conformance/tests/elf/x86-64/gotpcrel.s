# R_X86_64_GOTPCREL: G + GOT + A - P (psABI Table 4.10): the distance to the
# symbol's GOT slot, which holds its address. Written here with .reloc, as
# assemblers now emit the relaxable GOTPCRELX/REX_GOTPCRELX instead.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/gotpcrel.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/gotpcrel.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/gotpcrel.o
#
# Out of range: the GOT 4 GiB away from the code.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=ext=0x7f0012345678 \
# RUN:   -map-section gotpcrel.o,.got=0x100002000 %t/gotpcrel.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}gotpcrel.o:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_X86_64_GOTPCREL out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_GOTPCREL -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_GOTPCREL

  .text
  .globl _main
# Execution: the address of `value` from its GOT slot, then the value.
# rtdyld-check: decode_operand(_main, 4) = got_addr(gotpcrel.o/.text, value) - next_pc(_main)
# rtdyld-check: *{8}got_addr(gotpcrel.o/.text, value) = value
_main:
  .reloc _main + 3, R_X86_64_GOTPCREL, value - 4
  movq 0(%rip), %rax
  movl (%rax), %eax
  subl $0x4321, %eax
  retq

# An external symbol's slot.
# rtdyld-check: decode_operand(load_ext, 4) = got_addr(gotpcrel.o/.text, ext) - next_pc(load_ext)
# rtdyld-check: *{8}got_addr(gotpcrel.o/.text, ext) = ext
load_ext:
  .reloc load_ext + 3, R_X86_64_GOTPCREL, ext - 4
  movq 0(%rip), %rcx
# One slot per symbol, however many references.
# rtdyld-check: decode_operand(load_ext2, 4) + next_pc(load_ext2) = got_addr(gotpcrel.o/.text, ext)
load_ext2:
  .reloc load_ext2 + 3, R_X86_64_GOTPCREL, ext - 4
  movq 0(%rip), %rdx
  .weak ext

  .data
value:
  .long 0x4321
