# R_X86_64_TLSLD: G + GOT + A - P to the module's GOT pair (TLS supplement
# §4.4), in `lea x@tlsld(%rip), %rdi; call __tls_get_addr`, after which
# x@dtpoff(%rax) addresses each variable. Rewritten to local exec (§5.5):
# the call becomes `mov %fs:0, %rax` (padded with data16 prefixes), and the
# DTPOFF32 uses then hold thread-pointer offsets (tls-exec.s runs them).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/tlsld.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/tlsld.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_TLSLD -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_TLSLD

  .text
# 66 66 66 64 48 8b 04 25 00 00 00 00: data16 x3; mov %fs:0, %rax
# rtdyld-check: *{4}ld = 0x64666666
# rtdyld-check: *{4}(ld + 4) = 0x25048b48
# rtdyld-check: *{4}(ld + 8) = 0
ld:
  leaq tls@tlsld(%rip), %rdi
  callq __tls_get_addr@PLT
# rtdyld-check: decode_operand(use1, 4) = tls
use1:
  movl tls@dtpoff(%rax), %ecx
# rtdyld-check: decode_operand(use2, 4) = tls2
use2:
  movl tls2@dtpoff(%rax), %edx

  .section .tbss,"awT",@nobits
  .globl tls, tls2
tls:
  .zero 4
tls2:
  .zero 4
