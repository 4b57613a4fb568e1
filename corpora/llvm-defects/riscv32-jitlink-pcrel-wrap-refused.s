# LLVM 19's JITLink refuses, on RV32, an auipc whose PC-relative distance
# is beyond +-2 GiB as a 64-bit number although it wraps to a reachable
# target: from 0x10000 to 0xfffff000 the distance is 0xfffef000, i.e.
# -0x11000 modulo 2^32, and auipc adds modulo 2^32 on RV32. RISC-V ELF
# psABI: RV32 address arithmetic is modulo 2^32 (ld.lld-19 links this;
# jitload's rule, reference/reference.h "RISC-V"). Found by `jitload diff`
# with JITLink as the RISC-V oracle on conformance/tests/elf/riscv32/
# pcrel_hi20.s, call.s and call_plt.s with their RUN lines' placements.
# rtdyld-check: *{4}main = 0xfffef517
# rtdyld-check: *{4}(main + 4) = 0x00050513
  .text
  .globl main
main:
  auipc a0, %pcrel_hi(data)
  addi a0, a0, %pcrel_lo(main)
  ret
