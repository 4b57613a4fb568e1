# R_AARCH64_LD64_GOTPAGE_LO15: G(GDAT(S + A)) - Page(GOT) into a 64-bit
# LDR's imm12 (scaled by 8), checked 0 <= X < 2^15 and a multiple of 8
# (aaelf64 §5.7.11); GOT is the GOT's address (reference/reference.h).
# RUN: rm -rf %t && mkdir -p %t/be
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/gp.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/gp.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be/gp.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/be/gp.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_LD64_GOTPAGE_LO15 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_LD64_GOTPAGE_LO15

  .text
  .globl _main
  .p2align 2
# ext's slot is the GOT's first (one slot, in order of first use), so its
# offset from the GOT's page is the GOT's own offset in its page.
# rtdyld-check: decode_operand(lo, 2) = got_addr(gp.o/.text, ext)[11:3]
# rtdyld-check: *{8}got_addr(gp.o/.text, ext) = ext
_main:
lo:
  ldr x0, [x28, #:gotpage_lo15:ext]
  ret
