# STT_GNU_IFUNC: a symbol whose value is a resolver returning the real
# function's address. Every reference (call through PLT32, address taken
# with PC32 or R_X86_64_64, a GOT slot) must reach the function the resolver
# picks, and all of them must agree on one address for the symbol, from this
# object or another one.
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: split-file %s %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/main.o %t/main.s
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/defs.o %t/defs.s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%t/main.s %t/main.o %t/defs.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/main.o %t/defs.o

#--- main.s
  .text
  .globl _main
# 1: call through PLT32; 2: call through the address taken with lea;
# 3: call through a GOT slot; 4: call through a pointer in data;
# 5: the local IFUNC.
_main:
  subq $8, %rsp
  movl $1, %edx
  callq pick@PLT
  cmpl $0x42, %eax
  jne .Lfail
  movl $2, %edx
  leaq pick(%rip), %rax
  callq *%rax
  cmpl $0x42, %eax
  jne .Lfail
  movl $3, %edx
  callq *pick@GOTPCREL(%rip)
  cmpl $0x42, %eax
  jne .Lfail
  movl $4, %edx
  callq *pick_ptr(%rip)
  cmpl $0x42, %eax
  jne .Lfail
  movl $5, %edx
  callq local_pick@PLT
  cmpl $0x24, %eax
  jne .Lfail
  xorl %edx, %edx
.Lfail:
  movl %edx, %eax
  addq $8, %rsp
  retq

# One address for `pick`, however it is referenced.
# rtdyld-check: decode_operand(lea1, 4) + next_pc(lea1) = decode_operand(lea2, 4) + next_pc(lea2)
# rtdyld-check: decode_operand(lea1, 4) + next_pc(lea1) = *{8}pick_ptr
# rtdyld-check: decode_operand(lea_local, 4) + next_pc(lea_local) = *{8}local_ptr
lea1:
  leaq pick(%rip), %rax
lea2:
  leaq pick(%rip), %rcx
lea_local:
  leaq local_pick(%rip), %rax

local_real:
  movl $0x24, %eax
  retq
local_resolver:
  leaq local_real(%rip), %rax
  retq
  .type local_pick, @gnu_indirect_function
  .set local_pick, local_resolver

  .data
pick_ptr:
  .quad pick
local_ptr:
  .quad local_pick

#--- defs.s
  .text
real:
  movl $0x42, %eax
  retq
resolver:
  leaq real(%rip), %rax
  retq
  .globl pick
  .type pick, @gnu_indirect_function
  .set pick, resolver
