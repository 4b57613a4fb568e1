# X86_64_RELOC_GOT_LOAD: a MOVQ load of a GOT entry, G + A - (P + 4)
# (<mach-o/x86_64/reloc.h>); always extern. One GOT slot per symbol, in a
# section of the loader's own, holding S. (llvm-rtdyld's Mach-O loader
# keeps GOT entries among its stubs: stub_addr names them.)
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj -o %t/got_load.o %s
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s -dummy-extern _ext=0x7f0000001000 %t/got_load.o
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -execute %t/got_load.o
#
# Malformed: a non-extern GOT_LOAD; the field past its section.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=3 -D LENGTH=2 -D PCREL=true -D ADDRESS=0 -D EXTERN=false -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0x0): relocation X86_64_RELOC_GOT_LOAD {{.*}}not extern
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=3 -D LENGTH=2 -D PCREL=true -D ADDRESS=6 -o %t/bad2.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad2.o 2>&1 | FileCheck %s --check-prefix=BAD2
# BAD2: error: bad2.o:{{ ?}}(__text+0x6): relocation X86_64_RELOC_GOT_LOAD {{.*}}outside its section

  .text
  .globl _main
# Execution: load `value` through its GOT slot.
_main:
  movq value@GOTPCREL(%rip), %rax
  movl (%rax), %eax
  subl $0x5678, %eax
  retq

# rtdyld-check: *{8}(stub_addr(got_load.o/__text, _ext)) = _ext
# rtdyld-check: stub_addr(got_load.o/__text, _ext)[2:0] = 0
# rtdyld-check: decode_operand(load1, 4) = stub_addr(got_load.o/__text, _ext) - next_pc(load1)
load1:
  movq _ext@GOTPCREL(%rip), %rax
# A second reference shares the slot.
# rtdyld-check: decode_operand(load2, 4) = stub_addr(got_load.o/__text, _ext) - next_pc(load2)
load2:
  movq _ext@GOTPCREL(%rip), %rcx
# A defined symbol's slot holds its address.
# rtdyld-check: *{8}(stub_addr(got_load.o/__text, value)) = value
# rtdyld-check: decode_operand(load3, 4) = stub_addr(got_load.o/__text, value) - next_pc(load3)
load3:
  movq value@GOTPCREL(%rip), %rdx

  .weak_reference _ext

  .data
  .globl value
value:
  .long 0x5678
