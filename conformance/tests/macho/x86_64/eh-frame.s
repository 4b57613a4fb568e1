# __eh_frame: the assembler resolves an FDE's pc_begin itself when the
# function is in the same object — a 64-bit pc-relative distance between
# two sections, with no relocation — so both loaders turn it into a
# relocation of their own that follows the sections wherever they go
# (reference.h, "Mach-O"). LLVM rewrites the same field at registration.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj -o %t/eh-frame.o %s
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s %t/eh-frame.o
# The sections far apart, __eh_frame below __text and above it.
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s -map-section eh-frame.o,__text=0x7f0000100000 \
# RUN:   -map-section eh-frame.o,__eh_frame=0x100000 -map-section eh-frame.o,__text2=0x200000 %t/eh-frame.o
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s -map-section eh-frame.o,__text=0x100000 \
# RUN:   -map-section eh-frame.o,__eh_frame=0x7f0000100000 -map-section eh-frame.o,__text2=0x300000 %t/eh-frame.o
#
# Malformed: an FDE whose pc_begin reaches no section of the object.
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj --defsym=BAD=1 -o %t/bad.o %s
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o: {{.*}}__eh_frame

  .text
  .globl _f
_f:
  .cfi_startproc
  retq
  .cfi_endproc

  .section __TEXT,__text2,regular,pure_instructions
  .globl _g
_g:
  .cfi_startproc
  nop
  retq
  .cfi_endproc

# _f's FDE (after the 0x20-byte CIE... as llvm-mc lays it out) and _g's.
# rtdyld-check: *{8}(section_addr(eh-frame.o, __eh_frame) + 0x20) = _f - (section_addr(eh-frame.o, __eh_frame) + 0x20)
# rtdyld-check: *{8}(section_addr(eh-frame.o, __eh_frame) + 0x40) = _g - (section_addr(eh-frame.o, __eh_frame) + 0x40)

.ifdef BAD
  .section __TEXT,__eh_frame,coalesced,no_toc+strip_static_syms+live_support
  .long 0x14
  .long 0
  .byte 1, 0x7a, 0x52, 0, 1, 0x78, 0x10, 1, 0x10, 0xc, 7, 8, 0x90, 1, 0, 0
  .long 0x1c
  .long 0x1c
  .quad 0x4000000
  .quad 1
  .byte 0, 0, 0, 0
.endif
