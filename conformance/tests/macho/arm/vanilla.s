# ARM_RELOC_VANILLA (<mach-o/arm/reloc.h>): S + A in a 4-byte word (r_pcrel
# 0, r_length 2); extern, non-extern (the word is an address of the object
# file) and scattered (`_d + 0x20`: r_value's section). A Thumb function's
# address keeps its low bit. Also clang's non-lazy pointers: a slot of
# __nl_symbol_ptr holds the symbol the indirect symbol table names.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=armv7-apple-ios -filetype=obj -o %t/v.o %s
# RUN: llvm-rtdyld -triple=armv7-apple-ios -verify -check=%s -dummy-extern _ext=0x12345678 \
# RUN:   -map-section v.o,__text=0x100000 -map-section v.o,__data=0x200000 %t/v.o
#
# Overflow: a 4-byte word takes [-2^31, 2^32): _ext at 2^32 does not fit.
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify -dummy-extern _ext=0x100000000 %t/v.o 2>&1 | \
# RUN:   FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}v.o:{{ ?}}(__{{[a-z_]+}}+0x{{[0-9a-f]+}}): {{.*}}out of range
# Malformed: a 2-byte VANILLA (Inputs/pair.yaml).
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=0 -D LENGTH=1 -D ADDRESS=0xc -D TYPE2=0 -D LENGTH2=2 -D ADDRESS2=0 \
# RUN:   -D EXTERN2=true -D SYMBOL2=1 -o %t/len.o
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify %t/len.o 2>&1 | FileCheck %s --check-prefix=LEN
# LEN: error: len.o:{{ ?}}(__text+0xc): relocation ARM_RELOC_VANILLA at file offset 0x158 has r_length 1

  .syntax unified
  .text
  .globl _main
  .align 2
  .code 32
_main:
  bx lr
  .thumb_func _tf
  .globl _tf
  .code 16
_tf:
  bx lr

  .data
  .align 2
  .globl _d
_d:
# rtdyld-check: *{4}_d = _ext
  .long _ext
# rtdyld-check: *{4}(_d + 4) = _ext + 4
  .long _ext + 4
# rtdyld-check: *{4}(_d + 8) = _main
  .long _main
# rtdyld-check: *{4}(_d + 12) = _tf
# rtdyld-check: *{4}(_d + 12) = 0x100005
  .long _tf
# rtdyld-check: *{4}(_d + 16) = _d + 0x20
  .long _d + 0x20
# A non-lazy pointer to _ext, as clang emits for external data.
# rtdyld-check: *{4}nlp = _ext
  .section __DATA,__nl_symbol_ptr,non_lazy_symbol_pointers
  .align 2
nlp:
  .indirect_symbol _ext
  .long 0
