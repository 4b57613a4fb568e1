# Several objects in one loader: globals of one resolve references of
# another (before the host process is asked), a global definition is the one
# the symbol table answers with over a weak one, an undefined weak symbol is
# 0, and a call between objects that fits goes direct (no stub). (Which
# definition a's own references to its weak symbol reach is left open.)
# RUN: rm -rf %t && mkdir -p %t
# RUN: split-file %s %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/a.o %t/a.s
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/b.o %t/b.s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%t/a.s -check=%t/b.s %t/a.o %t/b.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/a.o %t/b.o
# The order of the objects does not matter.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%t/a.s -check=%t/b.s %t/b.o %t/a.o
#
# A symbol nobody defines is an error naming it.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/a.o 2>&1 | FileCheck %s --check-prefix=UNDEF
# UNDEF: error: {{.*}}'from_b'

#--- a.s
  .text
  .globl _main
# Execution: from_b() + shared == 0x100 + 2, and weak_undef is null.
_main:
  subq $8, %rsp
  callq from_b@PLT
  addq $8, %rsp
  addl shared(%rip), %eax
  movq weak_undef@GOTPCREL(%rip), %rcx
  testq %rcx, %rcx
  jz 1f
  addl $0x1000, %eax
1:
  subl $0x102, %eax
  retq

# rtdyld-check: decode_operand(call_b, 0) = from_b - next_pc(call_b)
call_b:
  callq from_b@PLT
# rtdyld-check: *{8}got_addr(a.o/.text, weak_undef) = 0
# rtdyld-check: decode_operand(load_weak, 4) = got_addr(a.o/.text, weak_undef) - next_pc(load_weak)
load_weak:
  movq weak_undef@GOTPCREL(%rip), %rcx
  .weak weak_undef

  .data
  .weak weak_def
weak_def:
  .long 1000
# rtdyld-check: *{8}ptr = shared
ptr:
  .quad shared

#--- b.s
  .text
  .globl from_b
from_b:
  movl $0x100, %eax
  retq
# rtdyld-check: *{8}ptr_b = weak_def
# rtdyld-check: *{4}weak_def = 0
  .data
  .globl shared, weak_def
shared:
  .long 2
weak_def:
  .long 0
ptr_b:
  .quad weak_def
