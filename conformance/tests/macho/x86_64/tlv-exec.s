# X86_64_RELOC_TLV where the code runs here (rtdyld -execute, like jitload
# exec: TlsStrategy::Dynamic): `movq _x@TLVP(%rip), %rdi; callq *(%rdi)`
# reaches the descriptor _x through a slot, the descriptor's thunk is the
# loader's own (the engine's tlv-thunk-x86-64.cc; the reference writes its
# own, reference.h "Mach-O TLV"), and {key, offset} name the object's TLS
# module and _x's place in it. Both loaders; both refuse TLV under -verify
# (tlv.s), where no code runs.
# REQUIRES: x86_64-linux
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj -o %t/tlv-exec.o %s
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -execute %t/tlv-exec.o

  .text
  .globl _main
# 0 when _x reads 7 (its initial value) and _y (zero-filled) reads 0, and
# the thunk kept %rbx and %xmm1.
_main:
  pushq %rbp
  movq %rsp, %rbp
  pushq %rbx
  subq $8, %rsp
  movl $0x1234, %ebx
  movl $0x5678, %eax
  movd %eax, %xmm1
  movq _x@TLVP(%rip), %rdi
  callq *(%rdi)
  movl (%rax), %ecx
  subl $7, %ecx
  movq _y@TLVP(%rip), %rdi
  callq *(%rdi)
  orl (%rax), %ecx
  subl $0x1234, %ebx
  orl %ebx, %ecx
  movd %xmm1, %eax
  subl $0x5678, %eax
  orl %ecx, %eax
  addq $8, %rsp
  popq %rbx
  popq %rbp
  retq

  .section __DATA,__thread_data,thread_local_regular
  .p2align 2
_x$tlv$init:
  .long 7
  .section __DATA,__thread_bss,thread_local_zerofill
  .p2align 2
_y$tlv$init:
  .space 4
  .section __DATA,__thread_vars,thread_local_variables
  .globl _x, _y
_x:
  .quad __tlv_bootstrap
  .quad 0
  .quad _x$tlv$init
_y:
  .quad __tlv_bootstrap
  .quad 0
  .quad _y$tlv$init
