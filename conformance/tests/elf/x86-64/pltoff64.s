# R_X86_64_PLTOFF64: L - GOT + A (psABI Table 4.10): the large code model's
# call, GOT base + offset of the procedure linkage entry, here the symbol's
# stub.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/pltoff64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=abs=0x7f0000abc000 -check=%s -dummy-extern=far=0x7f0000001000 %t/pltoff64.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=abs=0x7f0000abc000 -check=%s -dummy-extern=far=0x7f0000001000 \
# RUN:   -map-section pltoff64.o,.got=0x900000000 %t/pltoff64.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/pltoff64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_PLTOFF64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_PLTOFF64

  .text
  .globl _main
# Execution: abs(-9) the large-model way.
_main:
  pushq %rbx
base:
  leaq base(%rip), %rbx
  movabsq $_GLOBAL_OFFSET_TABLE_ - base, %rax
  addq %rax, %rbx
  movl $-9, %edi
  movabsq $abs@PLTOFF, %rax
  addq %rbx, %rax
  callq *%rax
  subl $9, %eax
  popq %rbx
  retq

# rtdyld-check: decode_operand(far_off, 1) = stub_addr(pltoff64.o/.text, far) - section_addr(pltoff64.o, .got)
# rtdyld-check: *{8}(stub_addr(pltoff64.o/.text, far) + 6) = far
far_off:
  movabsq $far@PLTOFF, %rax
# rtdyld-check: decode_operand(far_off8, 1) = stub_addr(pltoff64.o/.text, far) - section_addr(pltoff64.o, .got) + 8
far_off8:
  movabsq $far@PLTOFF + 8, %rax
  .weak far
