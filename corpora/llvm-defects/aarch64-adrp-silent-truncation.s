# LLVM defect (AArch64; an assert in LLVM's debug builds, LLVM #71963): an
# R_AARCH64_ADR_PREL_PG_HI21 whose page delta is beyond +-4 GiB is silently
# truncated in release builds such as Debian's llvm-19: the ADRP gets the
# low 21 bits of the page delta (here 0: it addresses its own page).
# psABI rule (AArch64 ELF psABI, "Static AArch64 relocations",
# R_AARCH64_ADR_PREL_PG_HI21): Page(S+A) - Page(P) must satisfy
# -2^32 <= X < 2^32; otherwise the link fails (or the reference goes
# through the GOT), never a wrong instruction.
# ext is at 0x400000001000 (-dummy-extern), 64 TiB away. The check states
# what LLVM 19 writes (adrp x0 with immediate 0): llvm-rtdyld-19 -verify
# passes it; jitload must not (refuses the relocation, or the object).
        .text
        .globl  main
main:
insn:   adrp    x0, ext
        ret
# rtdyld-check: *{4}insn = 0x90000000
