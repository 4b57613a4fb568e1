# R_AARCH64_ADR_GOT_PAGE: Page(G(GDAT(S + A))) - Page(P) into ADRP, checked
# -2^32 <= X < 2^32; R_AARCH64_LD64_GOT_LO12_NC: G(GDAT(S + A)) & 0xff8 into
# a 64-bit LDR's imm12 (aaelf64 §5.7.11). One 8-byte slot per symbol,
# holding S (reference/reference.h).
# (LLVM 19's llvm-rtdyld cannot answer got_addr for AArch64 ELF: "Stub
# container not found" -- checked against the psABI only.)
# RUN: rm -rf %t && mkdir -p %t/be
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/got.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/got.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be/got.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/be/got.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_ADR_GOT_PAGE -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_ADR_GOT_PAGE

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (got_addr(got.o/.text, ext)[63:12] - _main[63:12])[20:0]
_main:
  adrp x0, :got:ext
# rtdyld-check: decode_operand(lo, 2) = got_addr(got.o/.text, ext)[11:3]
# rtdyld-check: *{8}got_addr(got.o/.text, ext) = ext
lo:
  ldr x0, [x0, :got_lo12:ext]
# A second use of ext shares its slot.
# rtdyld-check: decode_operand(again, 1) = (got_addr(got.o/.text, ext)[63:12] - again[63:12])[20:0]
again:
  adrp x1, :got:ext
# rtdyld-check: decode_operand(lo_local, 2) = got_addr(got.o/.text, value)[11:3]
# rtdyld-check: *{8}got_addr(got.o/.text, value) = value
  adrp x2, :got:value
lo_local:
  ldr x2, [x2, :got_lo12:value]
  ret

  .data
  .globl value
  .p2align 3
value:
  .xword 1
