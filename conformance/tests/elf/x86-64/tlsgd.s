# R_X86_64_TLSGD: G + GOT + A - P to a general-dynamic GOT pair (TLS
# supplement §4.4), always part of a `lea x@tlsgd(%rip), %rdi; call
# __tls_get_addr` sequence. A JIT has one static TLS module and no dynamic
# TLS, so loaders rewrite the sequence to local exec as the supplement's §5.5
# prescribes for the small code model:
#   mov %fs:0, %rax; lea x@tpoff(%rax), %rax
# and the large model likewise, padded with a nop (tls-exec.s runs them).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/tlsgd.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/tlsgd.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_TLSGD -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_TLSGD

  .text
# Small code model: 64 48 8b 04 25 00 00 00 00 (mov %fs:0, %rax) then the lea.
# rtdyld-check: *{4}gd = 0x048b4864
# rtdyld-check: *{4}(gd + 4) = 0x25
# rtdyld-check: *{1}(gd + 8) = 0
# rtdyld-check: decode_operand(gd + 9, 4) = tls
gd:
  .byte 0x66
  leaq tls@tlsgd(%rip), %rdi
  .byte 0x66, 0x66, 0x48
  callq __tls_get_addr@PLT
# The code after the sequence is untouched.
# rtdyld-check: *{1}after_gd = 0x90
after_gd:
  nop

# Large code model: the same two instructions, then a 6-byte nop.
# rtdyld-check: *{4}gd_large = 0x048b4864
# rtdyld-check: decode_operand(gd_large + 9, 4) = tls2
gd_large:
  leaq tls2@tlsgd(%rip), %rdi
  movabsq $__tls_get_addr@PLTOFF, %rax
  addq %rbx, %rax
  callq *%rax
# rtdyld-check: *{1}after_large = 0x90
after_large:
  nop

  .section .tdata,"awT",@progbits
  .globl tls, tls2
tls:
  .long 0x12
tls2:
  .long 0x34
