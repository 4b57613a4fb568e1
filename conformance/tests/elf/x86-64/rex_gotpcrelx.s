# R_X86_64_REX_GOTPCRELX: G + GOT + A - P (psABI Table 4.10), on a
# REX-prefixed instruction (movq foo@GOTPCREL(%rip), %rax).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/rex.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=abs=0x7f0000abc000 -check=%s -dummy-extern=ext=0x7f0012345678 %t/rex.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/rex.o
#
# Out of range: the GOT 4 GiB away from the code.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=abs=0x7f0000abc000 -dummy-extern=ext=0x7f0012345678 \
# RUN:   -map-section rex.o,.got=0x100002000 %t/rex.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}rex.o:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_X86_64_REX_GOTPCRELX out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_REX_GOTPCRELX -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_REX_GOTPCRELX

  .text
  .globl _main
# Execution: a function pointer from the GOT, then a call through it.
# rtdyld-check: decode_operand(_main, 4) = got_addr(rex.o/.text, abs) - next_pc(_main)
_main:
  movq abs@GOTPCREL(%rip), %rax
  subq $8, %rsp
  movl $-7, %edi
  callq *%rax
  addq $8, %rsp
  subl $7, %eax
  retq

# rtdyld-check: decode_operand(load_ext, 4) = got_addr(rex.o/.text, ext) - next_pc(load_ext)
# rtdyld-check: *{8}got_addr(rex.o/.text, ext) = ext
load_ext:
  movq ext@GOTPCREL(%rip), %rcx
# An arithmetic use of the slot (addq), a local symbol.
# rtdyld-check: decode_operand(add_local, 5) = got_addr(rex.o/.text, data) - next_pc(add_local)
# rtdyld-check: *{8}got_addr(rex.o/.text, data) = data
add_local:
  addq data@GOTPCREL(%rip), %rcx
  .weak ext

  .data
data:
  .quad 0
