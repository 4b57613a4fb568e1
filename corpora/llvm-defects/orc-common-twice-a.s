# LLVM 19's ORC (llvm-jitlink, JITLink under ORC's ObjectLinkingLayer)
# refuses a second object with a common symbol the first one already has:
# "Unexpected definitions in module ...-b.o: [ big ]". gABI, "Symbol
# Table" (SHN_COMMON): the link editor allocates one storage for all
# commons of a name, the largest (linkage rule L4); ld links these two and
# the program returns 0. Found by `jitload diff --link` with the JITLink
# oracle (RISC-V sets); the same on x86-64, shown here.
  .text
  .globl main
  .type main,@function
main:
  pushq %rax
  callq get
  addl big+12(%rip), %eax
  popq %rcx
  retq
  .comm big,40,16
