# R_X86_64_GOTPCRELX: G + GOT + A - P (psABI Table 4.10), on an indirect
# call or jump without REX prefix (call *foo@GOTPCREL(%rip)). A linker may
# relax it to a direct call; the slot's meaning is what matters.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/gotpcrelx.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=abs=0x7f0000abc000 -check=%s -dummy-extern=ext=0x7f0012345678 %t/gotpcrelx.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/gotpcrelx.o
#
# Out of range: the GOT 4 GiB away from the code.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=abs=0x7f0000abc000 -dummy-extern=ext=0x7f0012345678 \
# RUN:   -map-section gotpcrelx.o,.got=0x100002000 %t/gotpcrelx.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}gotpcrelx.o:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_X86_64_GOTPCRELX out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_GOTPCRELX -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_GOTPCRELX

  .text
  .globl _main
# Execution: abs(-5) through the C library's GOT slot.
_main:
  subq $8, %rsp
  movl $-5, %edi
  callq *abs@GOTPCREL(%rip)
  addq $8, %rsp
  subl $5, %eax
  retq

# Operand 3 of `call *disp(%rip)` is the displacement.
# rtdyld-check: decode_operand(call_ext, 3) = got_addr(gotpcrelx.o/.text, ext) - next_pc(call_ext)
# rtdyld-check: *{8}got_addr(gotpcrelx.o/.text, ext) = ext
call_ext:
  callq *ext@GOTPCREL(%rip)
# rtdyld-check: decode_operand(jump_local, 3) = got_addr(gotpcrelx.o/.text, local) - next_pc(jump_local)
# rtdyld-check: *{8}got_addr(gotpcrelx.o/.text, local) = local
jump_local:
  jmpq *local@GOTPCREL(%rip)
  .weak ext

  .section .text.other,"ax",@progbits
local:
  retq
