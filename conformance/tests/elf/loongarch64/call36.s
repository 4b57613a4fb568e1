# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/call36.o %s
# R_LARCH_CALL36: pcaddu18i + jirl, S + A - P: (X + 0x20000) >> 18 into the
# pcaddu18i, X[17:2] into the jirl (sign-extending), reach X + 0x20000 in
# [-2^37, 2^37); beyond it a symbol bound by name goes through a stub
# (farext, about 2^47 away).
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section call36.o,.text=0x40000000 -dummy-extern=ext=0x1040021ffc -dummy-extern=farext=0x7f4000000000 %t/call36.o
# The edge: X + 0x20000 = 2^37 - 4 fits; one word more and ext is beyond
# (ext is bound by name: through the stub, then).
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section call36.o,.text=0x40000000 -dummy-extern=ext=0x203ffdfffc -dummy-extern=farext=0x7f4000000000 %t/call36.o
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_CALL36 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_CALL36

  .text
  .globl _main
  .p2align 2
# A target whose distance has low 18 bits >= 0x20000: the jirl's offset is negative.
# rtdyld-check: (_main + (decode_operand(_main, 1) << 18) + decode_operand(_main + 4, 2)) = ext
_main:
  pcaddu18i $ra, %call36(ext)
  jirl $ra, $ra, 0
# rtdyld-check: (f + (decode_operand(f, 1) << 18) + decode_operand(f + 4, 2)) = stub_addr(call36.o/.text, farext)
# rtdyld-check: *{8}(stub_addr(call36.o/.text, farext) + 16) = farext
f:
  pcaddu18i $ra, %call36(farext)
  jirl $ra, $ra, 0
  ret
