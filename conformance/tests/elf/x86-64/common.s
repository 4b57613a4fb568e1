# Common symbols (SHN_COMMON): the loader allocates them one block, named
# "<common symbols>" as in llvm-rtdyld (so -map-section can place it), each
# at its alignment.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/common.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/common.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -check=%S/Inputs/common-mapped.check \
# RUN:   -map-section "common.o,<common symbols>=0x50000" %t/common.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/common.o

  .text
  .globl _main
# Execution: the common block is zeroed memory we can write.
_main:
  movl $0x1234, c4(%rip)
  movl c4(%rip), %eax
  subl $0x1234, %eax
  addl c16(%rip), %eax
  retq

  .data
# rtdyld-check: *{8}ptrs = c4
# rtdyld-check: *{8}(ptrs + 8) = c16 + 4
# rtdyld-check: *{8}(ptrs + 16) = big
ptrs:
  .quad c4
  .quad c16 + 4
  .quad big

# Each at its alignment, all inside the block, and zero.
# rtdyld-check: c16 & 0xf = 0
# rtdyld-check: big & 0xff = 0
# rtdyld-check: (c4 - section_addr(common.o, <common symbols>))[63:32] = 0
# rtdyld-check: (big + 0x100 - section_addr(common.o, <common symbols>))[63:16] = 0
# rtdyld-check: *{8}big = 0
# rtdyld-check: *{8}(big + 0xf8) = 0
  .comm c4, 4, 4
  .comm c16, 16, 16
  .comm big, 256, 256
