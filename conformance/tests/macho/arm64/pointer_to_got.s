# ARM64_RELOC_POINTER_TO_GOT: a data word naming the symbol's GOT slot
# (<mach-o/arm64/reloc.h>; extern only): 64 bits absolute, G (r_pcrel 0,
# r_length 3), or 32 bits pc-relative, G - P (r_pcrel 1, r_length 2), as
# `.long _x@got - .` (the field's contents are no addend: llvm-mc leaves
# minus the field's offset in its section there, ld64.lld ignores them).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=arm64-apple-macosx -filetype=obj -o %t/pointer_to_got.o %s
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -check=%s -dummy-extern _ext=0x100000 %t/pointer_to_got.o
#
# The GOT 4 GiB past the word: the 32-bit pc-relative form cannot hold it.
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _ext=0x100000 \
# RUN:   -map-section pointer_to_got.o,__data=0x10000 -map-section pointer_to_got.o,.got=0x100010000 \
# RUN:   %t/pointer_to_got.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}pointer_to_got.o:{{ ?}}(__data+0x{{[0-9a-f]+}}): relocation ARM64_RELOC_POINTER_TO_GOT {{.*}}out of range
#
# Malformed: pc-relative with r_length 3; non-extern.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=7 -D LENGTH=3 -D PCREL=true -D ADDRESS=0 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _g=0x1000 %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_POINTER_TO_GOT {{.*}}r_length 3
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=7 -D LENGTH=3 -D PCREL=false -D ADDRESS=0 -D EXTERN=false -o %t/ne.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/ne.o 2>&1 | FileCheck %s --check-prefix=NONEXTERN
# NONEXTERN: error: ne.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_POINTER_TO_GOT {{.*}}not extern

  .text
  .globl _main
_main:
  ret

  .data
  .p2align 3
# rtdyld-check: *{8}abs64 = stub_addr(pointer_to_got.o/__data, _ext)
# rtdyld-check: *{8}(stub_addr(pointer_to_got.o/__data, _ext)) = _ext
abs64:
  .quad _ext@got
# rtdyld-check: *{4}rel32 = (stub_addr(pointer_to_got.o/__data, _ext) - rel32)[31:0]
rel32:
  .long _ext@got - .
