# X86_64_RELOC_TLV (thread-local variables, __thread_vars descriptors) is
# not implemented yet: a clear Unsupported error naming the relocation,
# from both loaders. TODO: descriptors served by jitload's TLS runtime;
# this file's checks become the good case then.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj -o %t/tlv.o %s
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/tlv.o 2>&1 | FileCheck %s
# CHECK: error: {{.*}}tlv.o:{{ ?}}(__text+0x3): relocation X86_64_RELOC_TLV {{.*}}not supported yet

  .text
  .globl _get
_get:
  movq _x@TLVP(%rip), %rdi
  callq *(%rdi)
  retq

  .section __DATA,__thread_data,thread_local_regular
_x$tlv$init:
  .long 7
  .section __DATA,__thread_vars,thread_local_variables
  .globl _x
_x:
  .quad __tlv_bootstrap
  .quad 0
  .quad _x$tlv$init
