# R_X86_64_PLT32: L + A - P (psABI Table 4.10), L the procedure linkage
# entry. A JIT has no PLT: a call that reaches its target directly goes
# there, a call to an external symbol out of reach goes through a stub
# (jmp *0(%rip); .quad target) next to the code.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/plt32.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=abs=0x7f0000abc000 -check=%s \
# RUN:   -dummy-extern=far=0x7f0000000000 -dummy-extern=near=0x100000 %t/plt32.o
# Execution: a call into the C library, wherever it is.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/plt32.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_PLT32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_PLT32

  .text
  .globl _main
_main:
  subq $8, %rsp
  movl $-5, %edi
  callq abs@PLT
  addq $8, %rsp
  subl $5, %eax
  retq

# A local function in another section: direct.
# rtdyld-check: decode_operand(call_local, 0) = local - next_pc(call_local)
call_local:
  callq local@PLT
# An external out of reach: through its stub, which jumps to it.
# rtdyld-check: decode_operand(call_far, 0) = stub_addr(plt32.o/.text, far) - next_pc(call_far)
# rtdyld-check: *{8}(stub_addr(plt32.o/.text, far) + 6) = far
# rtdyld-check: *{2}stub_addr(plt32.o/.text, far) = 0x25ff
call_far:
  callq far@PLT
# Both calls to `far` share its stub.
# rtdyld-check: decode_operand(call_far2, 0) + next_pc(call_far2) = stub_addr(plt32.o/.text, far)
call_far2:
  callq far@PLT
# An external within reach: direct.
# rtdyld-check: decode_operand(call_near, 0) = near - next_pc(call_near)
call_near:
  callq near@PLT
# -execute ignores -dummy-extern: far and near are weak there, so 0.
  .weak far, near

  .section .text.other,"ax",@progbits
local:
  retq
