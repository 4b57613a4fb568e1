# LLVM 19's JITLink refuses, on RV32, `lui %hi(x)` for any x at or above
# 0x7ffff800: it range-checks S + A + 0x800 as a signed 64-bit number,
# where on RV32 every 32-bit address has its lui/addi pair (lui's
# immediate is the upper 20 bits modulo 2^32). RISC-V ELF psABI: RV32
# arithmetic is modulo 2^32; ld.lld-19 links it (`lui a0, 0x80001`).
# Found with `jitload diff` (JITLink as the RISC-V oracle) and an RV32
# external in the upper half.
# rtdyld-check: *{4}main = 0x80001537
# rtdyld-check: *{4}(main + 4) = 0x00050513
  .text
  .globl main
main:
  lui a0, %hi(data)
  addi a0, a0, %lo(data)
  ret
