# LLVM 19's JITLink computes R_RISCV_SUB6 as V - S + A: the addend's sign
# is wrong (RISC-V ELF psABI, "Relocation types": SUB6 is V - S - A in the
# low six bits, the top two kept). Found by `jitload diff` with JITLink as
# the RISC-V oracle (conformance/tests/elf/riscv64/sub6.s).
# With llvm-jitlink-19's slab at 0x10000, .data (w) is at 0x10000 and far at
# 0x11002: V = 0x05, S + A = 0x11005, so the field is
# 0xc0 | (0x05 - 0x11005)[5:0] = 0xc0; LLVM 19 writes 0xc6 = 0xc0 | (0x05 - 0x11002 + 3)[5:0].
# jitload maps the two sections at the same addresses (check.sh).
# jitlink-check: *{1}w = 0xc0
# rtdyld-check: *{1}w = 0xc0
  .text
  .globl main
main:
  ret
  .data
  .p2align 3
  .globl w
  .reloc w, R_RISCV_SUB6, far + 3
w:
  .byte 0xc5
  .section .text.far,"ax",@progbits
  .globl far
far:
  ret
