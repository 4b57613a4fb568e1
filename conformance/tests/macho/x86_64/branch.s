# X86_64_RELOC_BRANCH: a CALL/JMP's signed 32-bit displacement, S + A -
# (P + 4) (<mach-o/x86_64/reloc.h>). A JIT has no linker to build stubs:
# a call to a symbol that may lie out of reach (undefined here, or a weak
# definition another object may preempt) goes through a stub of the
# loader's own (jmp *0(%rip); .quad target) when the direct displacement
# does not fit; one stub per symbol. LLVM 19's RuntimeDyldMachOX86_64 has
# no stubs for it (its far call would overflow).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj -o %t/branch.o %s
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s -dummy-extern _far=0x7f0000000000 \
# RUN:   -dummy-extern _near=0x100000 -dummy-extern abs=0x200000 %t/branch.o
# Execution: a call into the C library (_abs is the host's abs).
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -execute %t/branch.o
#
# Malformed: the field past its section; BRANCH with r_length 3.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=2 -D LENGTH=2 -D PCREL=true -D ADDRESS=5 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0x5): relocation X86_64_RELOC_BRANCH at file offset {{.*}}outside its section
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=2 -D LENGTH=3 -D PCREL=true -D ADDRESS=0 -o %t/bad2.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad2.o 2>&1 | FileCheck %s --check-prefix=LENGTH
# LENGTH: error: bad2.o:{{ ?}}(__text+0x0): relocation X86_64_RELOC_BRANCH {{.*}}has r_length 3

  .text
  .globl _main
# A name the objects do not define is asked for without its leading
# underscore first: _abs is the host's (or -dummy-extern's) abs.
# rtdyld-check: decode_operand(call_abs, 0) = 0x200000 - next_pc(call_abs)
_main:
  subq $8, %rsp
  movl $-5, %edi
call_abs:
  callq _abs
  addq $8, %rsp
  subl $5, %eax
  retq

# A local function in another section: direct.
# rtdyld-check: decode_operand(call_local, 0) = local - next_pc(call_local)
call_local:
  callq local
# An external out of reach: through its stub, which jumps to it.
# rtdyld-check: decode_operand(call_far, 0) = stub_addr(branch.o/__text, _far) - next_pc(call_far)
# rtdyld-check: *{8}(stub_addr(branch.o/__text, _far) + 6) = _far
# rtdyld-check: *{2}stub_addr(branch.o/__text, _far) = 0x25ff
call_far:
  callq _far
# Both calls share the stub.
# rtdyld-check: decode_operand(call_far2, 0) + next_pc(call_far2) = stub_addr(branch.o/__text, _far)
call_far2:
  jmp _far
# An external within reach: direct.
# rtdyld-check: decode_operand(call_near, 0) = _near - next_pc(call_near)
call_near:
  callq _near
# -execute ignores -dummy-extern: weak references, 0 there.
  .weak_reference _far
  .weak_reference _near

  .section __TEXT,__text2,regular,pure_instructions
local:
  retq
