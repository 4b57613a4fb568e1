# R_X86_64_GOTTPOFF: G + GOT + A - P (TLS supplement §4.4): the distance to
# a GOT slot holding a thread-local symbol's thread-pointer offset (the
# initial-exec model). A loader may rewrite the psABI's two initial-exec
# code sequences to local exec (tls-exec.s runs them); a GOTTPOFF anywhere
# else, as here in data, must get its slot.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/gottpoff.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/gottpoff.o
#
# Out of range: the GOT 4 GiB away from the field.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -map-section gottpoff.o,.got=0x100003000 %t/gottpoff.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}gottpoff.o:{{ ?}}(.data+0x{{[0-9a-f]+}}): relocation R_X86_64_GOTTPOFF out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_GOTTPOFF -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_GOTTPOFF

  .data
# rtdyld-check: *{4}field = (got_addr(gottpoff.o/.data, tls) - 4 - field)[31:0]
# rtdyld-check: *{8}got_addr(gottpoff.o/.data, tls) = tls
# rtdyld-check: *{4}(field + 4) = (got_addr(gottpoff.o/.data, tls2) - 4 - (field + 4))[31:0]
# rtdyld-check: *{8}got_addr(gottpoff.o/.data, tls2) = tls2
field:
  .reloc field, R_X86_64_GOTTPOFF, tls - 4
  .long 0
  .reloc field + 4, R_X86_64_GOTTPOFF, tls2 - 4
  .long 0

  .section .tdata,"awT",@progbits
  .globl tls, tls2
tls:
  .long 0x12
tls2:
  .long 0x34
