# ARM64_RELOC_TLVP_LOAD_PAGE21 / TLVP_LOAD_PAGEOFF12 (thread-local
# variables: the page and offset of a slot holding the __thread_vars
# descriptor's address) are served only where the code runs (`jitload exec`
# under qemu through the aarch64 runner: ctest macho-arm64-exec-csmith runs
# a threaded TLV program against its native build). On simulated targets,
# as here (-verify), a clear Unsupported error naming the relocation, from
# both loaders. TODO: the simulated static model (descriptor offsets from
# the thread pointer), then this file's checks become the good case.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=arm64-apple-macosx -filetype=obj -o %t/tlvp.o %s
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/tlvp.o 2>&1 | FileCheck %s
# CHECK: error: {{.*}}tlvp.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation ARM64_RELOC_TLVP_LOAD_PAGE{{(21|OFF12)}} {{.*}}not supported yet

  .text
  .globl _get
_get:
  adrp x0, _x@TLVPPAGE
  ldr x0, [x0, _x@TLVPPAGEOFF]
  ldr x8, [x0]
  blr x8
  ret

  .section __DATA,__thread_data,thread_local_regular
_x$tlv$init:
  .long 7
  .section __DATA,__thread_vars,thread_local_variables
  .globl _x
_x:
  .quad __tlv_bootstrap
  .quad 0
  .quad _x$tlv$init
