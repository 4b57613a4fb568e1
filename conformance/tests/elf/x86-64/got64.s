# R_X86_64_GOT64: G + A (psABI Table 4.10): the offset of the symbol's GOT
# slot from the GOT's start, for the large code model.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/got64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/got64.o
# The GOT far away changes no offset.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -dummy-extern=ext=0x7f0012345678 \
# RUN:   -map-section got64.o,.got=0x500000000 %t/got64.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/got64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_GOT64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_GOT64

  .text
  .globl _main
# Execution, large-model style: GOT base + slot offset, load, dereference.
_main:
base:
  leaq base(%rip), %rcx
  movabsq $_GLOBAL_OFFSET_TABLE_ - base, %rax
  addq %rax, %rcx
# rtdyld-check: decode_operand(slot, 1) = got_addr(got64.o/.text, value) - section_addr(got64.o, .got)
slot:
  movabsq $value@GOT, %rax
  movq (%rcx,%rax), %rax
  movl (%rax), %eax
  subl $0x2468, %eax
  retq

# rtdyld-check: decode_operand(slot_ext, 1) = got_addr(got64.o/.text, ext) - section_addr(got64.o, .got)
# rtdyld-check: *{8}got_addr(got64.o/.text, ext) = ext
slot_ext:
  movabsq $ext@GOT, %rax
# rtdyld-check: decode_operand(slot_ext8, 1) = got_addr(got64.o/.text, ext) - section_addr(got64.o, .got) + 8
slot_ext8:
  movabsq $ext@GOT + 8, %rax
  .weak ext

  .data
value:
  .long 0x2468
