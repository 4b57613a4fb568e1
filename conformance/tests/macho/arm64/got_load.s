# ARM64_RELOC_GOT_LOAD_PAGE21 and ARM64_RELOC_GOT_LOAD_PAGEOFF12: an ADRP
# to the page of the symbol's GOT slot, Page(G) - Page(P), and the LDR of
# the slot, G & 0xfff scaled by 8 (<mach-o/arm64/reloc.h>; extern only;
# PAGE21 r_pcrel 1, PAGEOFF12 r_pcrel 0, r_length 2). One 8-byte slot per
# symbol, holding S, for undefined and defined symbols alike.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=arm64-apple-macosx -filetype=obj -o %t/got_load.o %s
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -check=%s -dummy-extern _ext=0x7f0000001234 \
# RUN:   -map-section got_load.o,__text=0x10bc0 %t/got_load.o
#
# The GOT 8 GiB from the code: the ADRP cannot reach it.
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _ext=0x7f0000001234 \
# RUN:   -map-section got_load.o,__text=0x10bc0 -map-section got_load.o,.got=0x200010000 %t/got_load.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}got_load.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation ARM64_RELOC_GOT_LOAD_PAGE21 {{.*}}out of range
#
# Malformed: non-extern (a slot is a symbol's); the PAGEOFF12 half on an ADD.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=5 -D LENGTH=2 -D PCREL=true -D ADDRESS=0 -D EXTERN=false \
# RUN:   -D CONTENT=0000009000000090 -o %t/ne.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/ne.o 2>&1 | FileCheck %s --check-prefix=NONEXTERN
# NONEXTERN: error: ne.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_GOT_LOAD_PAGE21 {{.*}}not extern
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=6 -D LENGTH=2 -D PCREL=false -D ADDRESS=0 -D CONTENT=0000009100000091 -o %t/add.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _g=0x1000 %t/add.o 2>&1 | FileCheck %s --check-prefix=ADD
# ADD: error: add.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_GOT_LOAD_PAGEOFF12 {{.*}}load

  .text
  .globl _main
_main:
# rtdyld-check: *{8}(stub_addr(got_load.o/__text, _ext)) = _ext
# rtdyld-check: decode_operand(adrp1, 1) = (stub_addr(got_load.o/__text, _ext)[32:12] - adrp1[32:12])
# rtdyld-check: decode_operand(ldr1, 2) = stub_addr(got_load.o/__text, _ext)[11:3]
adrp1:
  adrp x0, _ext@GOTPAGE
ldr1:
  ldr x0, [x0, _ext@GOTPAGEOFF]
# A defined symbol: a slot too, holding its address.
# rtdyld-check: *{8}(stub_addr(got_load.o/__text, _var)) = _var
# rtdyld-check: decode_operand(ldr2, 2) = stub_addr(got_load.o/__text, _var)[11:3]
adrp2:
  adrp x1, _var@GOTPAGE
ldr2:
  ldr x1, [x1, _var@GOTPAGEOFF]
# The second use of _ext shares its slot.
# rtdyld-check: decode_operand(ldr3, 2) = stub_addr(got_load.o/__text, _ext)[11:3]
adrp3:
  adrp x2, _ext@GOTPAGE
ldr3:
  ldr x2, [x2, _ext@GOTPAGEOFF]
  ret

  .data
  .globl _var
  .p2align 3
_var:
  .quad 7
