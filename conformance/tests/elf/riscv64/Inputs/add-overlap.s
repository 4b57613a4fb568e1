# An ADD32 and an R_RISCV_32 on the same word: the second is not label
# arithmetic, so the two writes overlap.
  .data
  .p2align 2
  .reloc w, R_RISCV_ADD32, w
w:
  .word x
x:
  .word 0
