# Writes conformance/tests/elf/riscv{64,32}/*.s (and their Inputs/*.s) from one
# template per relocation type: edit here, run `python3 riscv-tests.py`,
# commit both. The Inputs/reloc-outside.yaml files are kept by hand.
# Lines starting "#64:" / "#32:" are kept for that XLEN only (prefix dropped).
import os, sys
OUT = os.path.dirname(os.path.abspath(__file__))
# Both loaders run every file. Error lines are checked for what the
# rules fix (the place, the relocation, the symbol or value it names, the
# fact: "out of range", "not thread-local", "carries no", the addend), not
# for either loader's wording. A type listed in ENGINE_XFAIL is one where
# the engine still differs from reference.h; ctest fails on an unexpected
# pass, so take it out of the list when the engine is fixed.
ENGINE_XFAIL = set()
HEAD = """# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
"""
XFAIL_ENGINE = """# XFAIL: loader-engine
# (The engine still differs from reference.h "RISC-V" here: see
# ../riscv-tests.py's ENGINE_XFAIL.)
"""
T = {}

T["abs32"] = """# R_RISCV_32: S + A into a 32-bit word, checked -2^31 <= X < 2^32 (psABI
# table "Relocation types"; reference.h "RISC-V"). On RV32 every value is
# taken modulo 2^32, so nothing overflows there.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/abs32.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x12345678 %t/abs32.o
# The edge: ext + 4 = 0xffffffff, the largest value the field holds.
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -dummy-extern=ext=0xfffffffb %t/abs32.o
#64: One beyond: 2^32 is an overflow error.
#64: RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -dummy-extern=ext=0xfffffffc %t/abs32.o 2>&1 \\
#64: RUN:   | FileCheck %s --check-prefix=RANGE
#64: RANGE: error: {{.*}}abs32.o:{{ ?}}(.data+0x4): relocation R_RISCV_32 out of range
#32: On RV32 it wraps (modulo 2^32), as every RV32 address does.
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -dummy-extern=ext=0xfffffffc %t/abs32.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_32

  .data
  .p2align 2
# rtdyld-check: *{4}w = ext
w:
  .word ext
# rtdyld-check: *{4}w4 = (ext + 4)[31:0]
w4:
  .word ext + 4
"""

T["abs64"] = """# R_RISCV_64: S + A into a 64-bit word, no range (psABI table "Relocation
# types"). On RV32 too the 64-bit sum is written whole.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/abs64.o %s
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/abs64.o
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0xfffffffc %t/abs64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_64

  .data
  .p2align 3
# rtdyld-check: *{8}w = ext
w:
  .quad ext
# rtdyld-check: *{8}w8 = ext + 8
w8:
  .quad ext + 8
# rtdyld-check: *{8}wm = ext - 16
wm:
  .quad ext - 16
"""

T["branch"] = """# R_RISCV_BRANCH: S + A - P into a B-type immediate (imm[12:1]), checked
# -2^12 <= X < 2^12 and a multiple of 2 (psABI "PC-Relative Jumps and
# Branches"). No stub.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/branch.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section branch.o,.text=0x10000 \\
# RUN:   -map-section branch.o,.text.far=0x10800 %t/branch.o
# The edges: 4094 forward and -4096 backward reach.
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section branch.o,.text=0x10000 \\
# RUN:   -map-section branch.o,.text.far=0x10ffe %t/branch.o
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section branch.o,.text=0x10000 \\
# RUN:   -map-section branch.o,.text.far=0xf000 %t/branch.o
# One halfword beyond (4096): an overflow error.
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -map-section branch.o,.text=0x10000 \\
# RUN:   -map-section branch.o,.text.far=0x11000 %t/branch.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}branch.o:{{ ?}}(.text+0x0): relocation R_RISCV_BRANCH out of range
# An odd target: misaligned.
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -map-section branch.o,.text=0x10000 \\
# RUN:   -map-section branch.o,.text.far=0x10101 %t/branch.o 2>&1 | FileCheck %s --check-prefix=ODD
# ODD: error: {{.*}}branch.o:{{ ?}}(.text+0x0): relocation R_RISCV_BRANCH {{.*(misaligned|odd)}}
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_BRANCH -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_BRANCH

  .text
  .globl _main
  .p2align 2
# The assembler turns a branch to another section into bne + jal, so the
# beq is written raw under an explicit .reloc.
# rtdyld-check: decode_operand(_main, 2)[12:0] = (far - _main)[12:0]
# rtdyld-check: (*{4}_main)[24:12] = 0xb50
# rtdyld-check: (*{4}_main)[6:0] = 0x63
_main:
  .reloc ., R_RISCV_BRANCH, far
  .4byte 0x00b50063
  ret

  .section .text.far,"ax",@progbits
  .p2align 0
far:
  ret
"""

T["jal"] = """# R_RISCV_JAL: S + A - P into a J-type immediate (imm[20:1]), checked
# -2^20 <= X < 2^20 and a multiple of 2 (psABI "PC-Relative Jumps and
# Branches"). No stub.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/jal.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section jal.o,.text=0x200000 \\
# RUN:   -map-section jal.o,.text.far=0x212344 %t/jal.o
# The edges: 2^20 - 2 forward, -2^20 backward.
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section jal.o,.text=0x200000 \\
# RUN:   -map-section jal.o,.text.far=0x2ffffe %t/jal.o
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section jal.o,.text=0x200000 \\
# RUN:   -map-section jal.o,.text.far=0x100000 %t/jal.o
# One beyond (2^20): an overflow error.
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -map-section jal.o,.text=0x200000 \\
# RUN:   -map-section jal.o,.text.far=0x300000 %t/jal.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}jal.o:{{ ?}}(.text+0x0): relocation R_RISCV_JAL out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_JAL -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_JAL

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1)[20:0] = (far - _main)[20:0]
_main:
  jal ra, far
  ret

  .section .text.far,"ax",@progbits
  .p2align 1
far:
  ret
"""

RVC_NOTE = """# The assembler turns a c.beqz/c.j to another section into a 32-bit
# branch, so the instruction is written raw under an explicit .reloc; the
# checks read its bits (the checker's disassembler runs without the C
# extension)."""

T["rvc_branch"] = """# R_RISCV_RVC_BRANCH: S + A - P into a CB-type immediate (c.beqz/c.bnez:
# offset[8|4:3] in bits 12:10, offset[7:6|2:1|5] in bits 6:2), checked
# -2^8 <= X < 2^8 and a multiple of 2 (psABI table "Relocation types").
""" + RVC_NOTE + """
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -mattr=+c -filetype=obj -o %t/cb.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section cb.o,.text=0x10000 \\
# RUN:   -map-section cb.o,.text.far=0x100aa %t/cb.o
# The edges: 254 forward, -256 backward.
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section cb.o,.text=0x10000 \\
# RUN:   -map-section cb.o,.text.far=0x100fe %t/cb.o
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section cb.o,.text=0x10000 \\
# RUN:   -map-section cb.o,.text.far=0xff00 %t/cb.o
# One beyond (256): an overflow error.
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -map-section cb.o,.text=0x10000 \\
# RUN:   -map-section cb.o,.text.far=0x10100 %t/cb.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}cb.o:{{ ?}}(.text+0x0): relocation R_RISCV_RVC_BRANCH out of range
#
# Malformed: the 2-byte field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_RVC_BRANCH -D OFFSET=0x7 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x7): relocation R_RISCV_RVC_BRANCH

  .text
  .globl _main
  .p2align 2
# c.beqz a0, far: the opcode bits kept, the offset's bits placed.
# rtdyld-check: (*{2}_main)[15:13] = 6
# rtdyld-check: (*{2}_main)[9:7] = 2
# rtdyld-check: (*{2}_main)[1:0] = 1
# rtdyld-check: (*{2}_main)[12:12] = (far - _main)[8:8]
# rtdyld-check: (*{2}_main)[11:10] = (far - _main)[4:3]
# rtdyld-check: (*{2}_main)[6:5] = (far - _main)[7:6]
# rtdyld-check: (*{2}_main)[4:3] = (far - _main)[2:1]
# rtdyld-check: (*{2}_main)[2:2] = (far - _main)[5:5]
_main:
  .reloc ., R_RISCV_RVC_BRANCH, far
  .2byte 0xc101
  .2byte 0x8082

  .section .text.far,"ax",@progbits
  .p2align 1
far:
  .2byte 0x8082
"""

T["rvc_jump"] = """# R_RISCV_RVC_JUMP: S + A - P into a CJ-type immediate (c.j:
# offset[11|4|9:8|10|6|7|3:1|5] in bits 12:2), checked -2^11 <= X < 2^11
# and a multiple of 2 (psABI table "Relocation types").
""" + RVC_NOTE + """
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -mattr=+c -filetype=obj -o %t/cj.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section cj.o,.text=0x10000 \\
# RUN:   -map-section cj.o,.text.far=0x10556 %t/cj.o
# The edges: 2046 forward, -2048 backward.
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section cj.o,.text=0x10000 \\
# RUN:   -map-section cj.o,.text.far=0x107fe %t/cj.o
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section cj.o,.text=0x10000 \\
# RUN:   -map-section cj.o,.text.far=0xf800 %t/cj.o
# One beyond (2048): an overflow error.
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -map-section cj.o,.text=0x10000 \\
# RUN:   -map-section cj.o,.text.far=0x10800 %t/cj.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}cj.o:{{ ?}}(.text+0x0): relocation R_RISCV_RVC_JUMP out of range
#
# Malformed: the 2-byte field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_RVC_JUMP -D OFFSET=0x7 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x7): relocation R_RISCV_RVC_JUMP

  .text
  .globl _main
  .p2align 2
# c.j far: the opcode bits kept, the offset's bits placed.
# rtdyld-check: (*{2}_main)[15:13] = 5
# rtdyld-check: (*{2}_main)[1:0] = 1
# rtdyld-check: (*{2}_main)[12:12] = (far - _main)[11:11]
# rtdyld-check: (*{2}_main)[11:11] = (far - _main)[4:4]
# rtdyld-check: (*{2}_main)[10:9] = (far - _main)[9:8]
# rtdyld-check: (*{2}_main)[8:8] = (far - _main)[10:10]
# rtdyld-check: (*{2}_main)[7:7] = (far - _main)[6:6]
# rtdyld-check: (*{2}_main)[6:6] = (far - _main)[7:7]
# rtdyld-check: (*{2}_main)[5:3] = (far - _main)[3:1]
# rtdyld-check: (*{2}_main)[2:2] = (far - _main)[5:5]
_main:
  .reloc ., R_RISCV_RVC_JUMP, far
  .2byte 0xa001
  .2byte 0x8082

  .section .text.far,"ax",@progbits
  .p2align 1
far:
  .2byte 0x8082
"""

CALL_BODY = """  .text
  .globl _main
  .p2align 2
# A call within reach: hi20 into the auipc, lo12 into the jalr at +4.
# rtdyld-check: decode_operand(_main, 1) = (far - _main + 0x800)[31:12]
# rtdyld-check: decode_operand(_main + 4, 2)[11:0] = (far - _main)[11:0]
_main:
  @CALL_far@
#64: `ext` is 2^47 away: through its stub (auipc t3; ld t3, 16(t3); jr t3;
#64: nop; the 8-byte target).
#64: rtdyld-check: decode_operand(call_ext, 1) = (stub_addr(@OBJ@/.text, ext) - call_ext + 0x800)[31:12]
#64: rtdyld-check: decode_operand(call_ext + 4, 2)[11:0] = (stub_addr(@OBJ@/.text, ext) - call_ext)[11:0]
#64: rtdyld-check: *{4}stub_addr(@OBJ@/.text, ext) = 0x00000e17
#64: rtdyld-check: *{4}(stub_addr(@OBJ@/.text, ext) + 4) = 0x010e3e03
#64: rtdyld-check: *{4}(stub_addr(@OBJ@/.text, ext) + 8) = 0x000e0067
#64: rtdyld-check: *{8}(stub_addr(@OBJ@/.text, ext) + 16) = ext
#32: On RV32 every address is within reach (modulo 2^32): no stub.
#32: rtdyld-check: decode_operand(call_ext, 1) = (ext - call_ext + 0x800)[31:12]
#32: rtdyld-check: decode_operand(call_ext + 4, 2)[11:0] = (ext - call_ext)[11:0]
call_ext:
  @CALL_ext@
  ret

  .section .text.far,"ax",@progbits
  .p2align 1
far:
  ret
"""

def call_template(name, type_, how, call_far, call_ext):
    return """# R_RISCV_@TYPE@: S + A - P into an auipc + jalr pair (hi = (X + 0x800) >> 12,
# lo = X & 0xfff), checked on RV64 -2^31 <= X + 0x800 < 2^31 (psABI
# "Procedure Calls"; CALL and CALL_PLT are interchangeable). A call to a
# symbol outside this object that does not reach goes through a 24-byte
# stub (reference.h "RISC-V"); one to this object's own symbol is an
# overflow error. @HOW@
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/@OBJ@ %s
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x7f0000000000 %t/@OBJ@
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0xf0000000 %t/@OBJ@
#64: The edge: far at _main + 0x7ffff7fe, the farthest X with X + 0x800 < 2^31 (even).
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x7f0000000000 \\
#64: RUN:   -map-section @OBJ@,.text=0x10000 -map-section @OBJ@,.text.far=0x8000f7fe %t/@OBJ@
#64: Two bytes beyond: this object's own symbol, so an overflow error (no stub).
#64: RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -dummy-extern=ext=0x7f0000000000 \\
#64: RUN:   -map-section @OBJ@,.text=0x10000 -map-section @OBJ@,.text.far=0x8000f800 %t/@OBJ@ 2>&1 \\
#64: RUN:   | FileCheck %s --check-prefix=RANGE
#64: RANGE: error: {{.*}}@OBJ@:{{ ?}}(.text+0x0): relocation R_RISCV_@TYPE@ out of range
#32: Beyond 2 GiB on RV32: the auipc wraps modulo 2^32, so it reaches.
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0xf0000000 \\
#32: RUN:   -map-section @OBJ@,.text=0x10000 -map-section @OBJ@,.text.far=0xc0000000 %t/@OBJ@
#
# Malformed: the 8-byte field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_@TYPE@ -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_@TYPE@

""".replace("@TYPE@", type_).replace("@HOW@", how).replace("@OBJ@", name + ".o") + \
        CALL_BODY.replace("@CALL_far@", call_far).replace("@CALL_ext@", call_ext).replace("@OBJ@", name + ".o")

T["call_plt"] = call_template("call_plt", "CALL_PLT", "(`call`, as the compiler writes it.)", "call far", "call ext")
T["call"] = call_template("call", "CALL", "(Deprecated; written with .reloc.)",
                          ".reloc ., R_RISCV_CALL, far\n  auipc ra, 0\n  jalr ra, 0(ra)",
                          ".reloc ., R_RISCV_CALL, ext\n  auipc ra, 0\n  jalr ra, 0(ra)")

T["hi20"] = """# R_RISCV_HI20: (S + A + 0x800) >> 12 into a U-type immediate (lui),
# checked on RV64 -2^31 <= S + A + 0x800 < 2^31 (psABI "Absolute
# Addresses"). The +0x800 makes the low part's sign extension come out right.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/hi20.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x12345fff %t/hi20.o
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x123457ff %t/hi20.o
#64: The edge: ext = 0x7ffff7ff, then one beyond (0x7ffff800) is an overflow error.
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x7ffff7ff %t/hi20.o
#64: RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -dummy-extern=ext=0x7ffff800 %t/hi20.o 2>&1 \\
#64: RUN:   | FileCheck %s --check-prefix=RANGE
#64: RANGE: error: {{.*}}hi20.o:{{ ?}}(.text+0x0): relocation R_RISCV_HI20 out of range
#32: On RV32 every address has a lui/addi pair (modulo 2^32): 0xfffff800 gives hi 0.
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0xfffff800 %t/hi20.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_HI20 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_HI20

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (ext + 0x800)[31:12]
# The pair gives ext back: hi << 12 plus the sign-extended low 12 bits.
# rtdyld-check: ((decode_operand(_main, 1) << 12) + decode_operand(lo, 2))[31:0] = ext[31:0]
_main:
  lui a0, %hi(ext)
lo:
  addi a0, a0, %lo(ext)
  ret
"""

T["lo12_i"] = """# R_RISCV_LO12_I: (S + A) & 0xfff into an I-type immediate (addi, loads),
# no range of its own (its HI20 carries the check) (psABI "Absolute
# Addresses"). Several lows may share a high with different addends.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/lo12i.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x12345ffc %t/lo12i.o
# No edge: any address's low 12 bits fit.
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x7fedcba98abc %t/lo12i.o
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0xfedcbabc %t/lo12i.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_LO12_I -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_LO12_I

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 2)[11:0] = ext[11:0]
_main:
  addi a0, a0, %lo(ext)
# rtdyld-check: decode_operand(ld4, 2)[11:0] = (ext + 4)[11:0]
ld4:
  lw a1, %lo(ext + 4)(a0)
  ret
"""

T["lo12_s"] = """# R_RISCV_LO12_S: (S + A) & 0xfff into an S-type immediate (stores:
# imm[11:5] in bits 31:25, imm[4:0] in bits 11:7), no range of its own
# (psABI "Absolute Addresses").
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/lo12s.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x12345ffc %t/lo12s.o
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x7fedcba98abc %t/lo12s.o
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0xfedcbabc %t/lo12s.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_LO12_S -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_LO12_S

  .text
  .globl _main
  .p2align 2
# sw a1, %lo(ext)(a0): the immediate split, the registers kept.
# rtdyld-check: decode_operand(_main, 2)[11:0] = ext[11:0]
# rtdyld-check: (*{4}_main)[31:25] = ext[11:5]
# rtdyld-check: (*{4}_main)[11:7] = ext[4:0]
# rtdyld-check: (*{4}_main)[24:12] = 0xb52
_main:
  sw a1, %lo(ext)(a0)
# rtdyld-check: decode_operand(st8, 2)[11:0] = (ext + 8)[11:0]
st8:
  sb a1, %lo(ext + 8)(a0)
  ret
"""

PCREL_RUNS = """# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/@OBJ@ %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section @OBJ@,.text=0x10000 \\
# RUN:   -map-section @OBJ@,.data=0x12345ff0 %t/@OBJ@
#64: The edge, as near as 16-byte-aligned data gets: X = 0x7ffff7f0, X + 0x800 = 2^31 - 16.
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section @OBJ@,.text=0x10000 \\
#64: RUN:   -map-section @OBJ@,.data=0x8000f7f0 %t/@OBJ@
#64: Beyond 2 GiB: an overflow error on the high part; the low parts that
#64: take their value from it fail with it.
#64: RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -map-section @OBJ@,.text=0x10000 \\
#64: RUN:   -map-section @OBJ@,.data=0x80010000 %t/@OBJ@ 2>&1 | FileCheck %s --check-prefix=RANGE
#64: RANGE: error: {{.*}}@OBJ@:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_RISCV_{{PCREL_HI20|@TYPE@}} {{.*}}out of range
#32: On RV32 it wraps (modulo 2^32): data at 0xfffff000 is reached from 0x10000.
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section @OBJ@,.text=0x10000 \\
#32: RUN:   -map-section @OBJ@,.data=0xfffff000 %t/@OBJ@
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_@TYPE@ -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_@TYPE@
"""

T["pcrel_hi20"] = """# R_RISCV_PCREL_HI20: (S + A - P + 0x800) >> 12 into an auipc, checked on
# RV64 -2^31 <= X + 0x800 < 2^31; no stub (psABI "PC-Relative Symbol
# Addresses").
@HEAD@""" + PCREL_RUNS.replace("@OBJ@", "pcrel_hi20.o").replace("@TYPE@", "PCREL_HI20") + """
  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (data - _main + 0x800)[31:12]
_main:
.Lhi:
  auipc a0, %pcrel_hi(data)
  addi a0, a0, %pcrel_lo(.Lhi)
# With an addend: the high part takes it.
# rtdyld-check: decode_operand(hi8, 1) = (data + 8 - hi8 + 0x800)[31:12]
hi8:
  auipc a1, %pcrel_hi(data + 8)
  ret

  .data
  .p2align 4
data:
  .quad 0
"""

T["pcrel_lo12_i"] = """# R_RISCV_PCREL_LO12_I: the low 12 bits of the value of the high part its
# symbol (a label) names, into an I-type immediate (psABI "PC-Relative
# Symbol Addresses"; reference.h "RISC-V": paired by the auipc's place, not
# by table order). Here a low comes *before* its high part in the table,
# two lows share one high, and a low names a GOT_HI20.
@HEAD@""" + PCREL_RUNS.replace("@OBJ@", "pcrel_lo12_i.o").replace("@TYPE@", "PCREL_LO12_I") + """# Malformed: a label that carries no high part, and a non-zero addend.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_PCREL_LO12_I -D OFFSET=0x0 -o %t/nohi.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/nohi.o 2>&1 | FileCheck %s --check-prefix=NOHI
# NOHI: error: nohi.o:{{ ?}}(.text+0x0): relocation R_RISCV_PCREL_LO12_I{{.*}}0x0{{.*}} carries no
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/addend.o %S/Inputs/lo12-addend.s
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/addend.o 2>&1 | FileCheck %s --check-prefix=ADDEND
# ADDEND: error: addend.o:{{ ?}}(.text+0x4): relocation R_RISCV_PCREL_LO12_I{{.*}} addend 4{{.*}} not 0

  .text
  .globl _main
  .p2align 2
_main:
  j .Lthen
# The low, before its high part (in the code and in the table).
# rtdyld-check: decode_operand(early, 2)[11:0] = (data - hi)[11:0]
early:
  addi a0, a0, %pcrel_lo(hi)
  ret
.Lthen:
# rtdyld-check: decode_operand(hi, 1) = (data - hi + 0x800)[31:12]
hi:
  auipc a0, %pcrel_hi(data)
# A second low of the same high (a load).
# rtdyld-check: decode_operand(second, 2)[11:0] = (data - hi)[11:0]
second:
  lw a1, %pcrel_lo(hi)(a0)
  j early
"""

T["pcrel_lo12_s"] = """# R_RISCV_PCREL_LO12_S: the low 12 bits of the value of the high part its
# label names, into an S-type immediate (imm[11:5] in bits 31:25, imm[4:0]
# in bits 11:7) (psABI "PC-Relative Symbol Addresses").
@HEAD@""" + PCREL_RUNS.replace("@OBJ@", "pcrel_lo12_s.o").replace("@TYPE@", "PCREL_LO12_S") + """# Malformed: a label that carries no high part.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_PCREL_LO12_S -D OFFSET=0x0 -o %t/nohi.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/nohi.o 2>&1 | FileCheck %s --check-prefix=NOHI
# NOHI: error: nohi.o:{{ ?}}(.text+0x0): relocation R_RISCV_PCREL_LO12_S{{.*}}0x0{{.*}} carries no

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (data - _main + 0x800)[31:12]
_main:
.Lhi:
  auipc a0, %pcrel_hi(data)
# rtdyld-check: decode_operand(st, 2)[11:0] = (data - _main)[11:0]
# rtdyld-check: (*{4}st)[31:25] = (data - _main)[11:5]
# rtdyld-check: (*{4}st)[11:7] = (data - _main)[4:0]
st:
  sw a1, %pcrel_lo(.Lhi)(a0)
  ret

  .data
  .p2align 4
data:
  .quad 0
"""
# pcrel_lo12_i needs data too
T["pcrel_lo12_i"] += """
  .data
  .p2align 4
data:
  .quad 0
"""

T["got_hi20"] = """# R_RISCV_GOT_HI20: G + GOT - P (the symbol's slot) as an auipc's high
# part, its PCREL_LO12_I on the load; the addend must be 0 (psABI table;
# reference.h "RISC-V": one slot of the class's word per symbol, holding S).
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/got.o %s
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/got.o
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0xf2345678 %t/got.o
# Malformed: a non-zero addend (the GOT has one slot per symbol).
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_GOT_HI20 -D OFFSET=0x0 -D ADDEND=8 -o %t/addend.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/addend.o 2>&1 | FileCheck %s --check-prefix=ADDEND
# ADDEND: error: addend.o:{{ ?}}(.text+0x0): relocation R_RISCV_GOT_HI20{{.*}} addend 8{{.*}} not 0
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_GOT_HI20 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_GOT_HI20

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (got_addr(got.o/.text, ext) - _main + 0x800)[31:12]
# rtdyld-check: decode_operand(ld1, 2)[11:0] = (got_addr(got.o/.text, ext) - _main)[11:0]
#64: rtdyld-check: *{8}got_addr(got.o/.text, ext) = ext
#32: rtdyld-check: *{4}got_addr(got.o/.text, ext) = ext
_main:
  auipc a0, %got_pcrel_hi(ext)
ld1:
  @LOAD@ a0, %pcrel_lo(_main)(a0)
# A second use shares the slot; a local definition gets its own.
# rtdyld-check: decode_operand(again, 1) = (got_addr(got.o/.text, ext) - again + 0x800)[31:12]
again:
  auipc a1, %got_pcrel_hi(ext)
  @LOAD@ a1, %pcrel_lo(again)(a1)
#64: rtdyld-check: *{8}got_addr(got.o/.text, value) = value
#32: rtdyld-check: *{4}got_addr(got.o/.text, value) = value
# rtdyld-check: decode_operand(ldv, 2)[11:0] = (got_addr(got.o/.text, value) - local)[11:0]
local:
  auipc a2, %got_pcrel_hi(value)
ldv:
  @LOAD@ a2, %pcrel_lo(local)(a2)
  ret

  .data
  .globl value
  .p2align 3
value:
  .quad 1
"""

T["got32_pcrel"] = """# R_RISCV_GOT32_PCREL: G + GOT + A - P (the symbol's slot) into a 32-bit
# word, checked -2^31 <= X < 2^31 (psABI table "Relocation types").
# Written with .reloc (the assembler has no operator for it).
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/got32.o %s
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/got32.o
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0xf2345678 %t/got32.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_GOT32_PCREL -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_GOT32_PCREL

  .data
  .p2align 2
# rtdyld-check: *{4}w = (got_addr(got32.o/.data, ext) - w)[31:0]
#64: rtdyld-check: *{8}got_addr(got32.o/.data, ext) = ext
#32: rtdyld-check: *{4}got_addr(got32.o/.data, ext) = ext
  .reloc w, R_RISCV_GOT32_PCREL, ext
w:
  .word 0
"""

TLS_DATA = """
  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
"""

T["tprel_hi20"] = """# R_RISCV_TPREL_HI20: (TPREL + 0x800) >> 12 into a lui, TPREL = S + A the
# thread-pointer offset, checked on RV64 -2^31 <= TPREL + 0x800 < 2^31
# (psABI "Local Exec"). TLS variant I with a TCB of 0 bytes here: the block
# starts at tp, so v (0x1800 into .tbss) is at TP offset 0x1800
# (reference.h "RISC-V").
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/le.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s %t/le.o
#64: Beyond 2 GiB (an undefined TLS symbol's scenario address is its TP offset): overflow.
#64: RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/ext.o %S/Inputs/tprel-ext.s
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -dummy-extern=e=0x7ffff7ff %t/ext.o
#64: RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -dummy-extern=e=0x7ffff800 %t/ext.o 2>&1 \\
#64: RUN:   | FileCheck %s --check-prefix=RANGE
#64: RANGE: error: {{.*}}ext.o:{{ ?}}(.text+0x0): relocation R_RISCV_TPREL_HI20 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TPREL_HI20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TPREL_HI20
# Not thread-local: an error.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TPREL_HI20 -D OFFSET=0x0 -o %t/notls.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/notls.o 2>&1 | FileCheck %s --check-prefix=NOTLS
# NOTLS: error: notls.o:{{ ?}}(.text+0x0): relocation R_RISCV_TPREL_HI20 {{.*}}'target'{{.*}} not thread-local

  .text
  .globl _main
  .p2align 2
# rtdyld-check: v = 0x1800
# rtdyld-check: decode_operand(_main, 1) = 2
# rtdyld-check: decode_operand(_main, 1) = (v + 0x800)[31:12]
_main:
  lui a5, %tprel_hi(v)
  add a5, a5, tp, %tprel_add(v)
  lw a0, %tprel_lo(v)(a5)
  ret
""" + TLS_DATA

T["tprel_lo12_i"] = """# R_RISCV_TPREL_LO12_I: TPREL & 0xfff into an I-type immediate, no range of
# its own (psABI "Local Exec"). v at TP offset 0x1800: lo = 0x800 (-2048).
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/le.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s %t/le.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TPREL_LO12_I -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TPREL_LO12_I

  .text
  .globl _main
  .p2align 2
_main:
  lui a5, %tprel_hi(v)
  add a5, a5, tp, %tprel_add(v)
# rtdyld-check: decode_operand(ld, 2)[11:0] = 0x800
# rtdyld-check: decode_operand(ld, 2)[11:0] = v[11:0]
ld:
  lw a0, %tprel_lo(v)(a5)
# rtdyld-check: decode_operand(ad, 2)[11:0] = (v + 4)[11:0]
ad:
  addi a1, a5, %tprel_lo(v + 4)
  ret
""" + TLS_DATA

T["tprel_lo12_s"] = """# R_RISCV_TPREL_LO12_S: TPREL & 0xfff into an S-type immediate, no range of
# its own (psABI "Local Exec").
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/le.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s %t/le.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TPREL_LO12_S -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TPREL_LO12_S

  .text
  .globl _main
  .p2align 2
_main:
  lui a5, %tprel_hi(v)
  add a5, a5, tp, %tprel_add(v)
# rtdyld-check: decode_operand(st, 2)[11:0] = v[11:0]
# rtdyld-check: (*{4}st)[31:25] = v[11:5]
# rtdyld-check: (*{4}st)[11:7] = v[4:0]
st:
  sw a0, %tprel_lo(v)(a5)
  ret
""" + TLS_DATA

T["tprel_add"] = """# R_RISCV_TPREL_ADD: marks the `add rd, rs, tp` of a local-exec sequence
# for relaxation; nothing is written (psABI "Local Exec"; nothing is
# relaxed, reference.h "RISC-V"): the add stays as assembled.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/le.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s %t/le.o
# On a symbol that is not thread-local it is still an error (L9).
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TPREL_ADD -D OFFSET=0x0 -D SYMBOL=tls -o %t/ok.o
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify %t/ok.o

  .text
  .globl _main
  .p2align 2
_main:
  lui a5, %tprel_hi(v)
# add a5, a5, tp, unchanged.
# rtdyld-check: *{4}add = 0x004787b3
add:
  add a5, a5, tp, %tprel_add(v)
  lw a0, %tprel_lo(v)(a5)
  ret
""" + TLS_DATA

T["tls_got_hi20"] = """# R_RISCV_TLS_GOT_HI20 (initial exec, `la.tls.ie`): the high part of the
# PC-relative address of the symbol's TP-offset GOT slot; its PCREL_LO12_I
# on the load. Served through the slot, not rewritten (psABI "Initial
# Exec"; reference.h "RISC-V"). v is at TP offset 0x1800.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/ie.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s %t/ie.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLS_GOT_HI20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TLS_GOT_HI20
# Not thread-local: refused.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLS_GOT_HI20 -D OFFSET=0x0 -o %t/notls.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/notls.o 2>&1 | FileCheck %s --check-prefix=NOTLS
# NOTLS: error: notls.o:{{ ?}}(.text+0x0): relocation R_RISCV_TLS_GOT_HI20{{.*}} 'target'{{.*}} not thread-local

  .text
  .globl _main
  .p2align 2
# rtdyld-check: v = 0x1800
# rtdyld-check: decode_operand(_main, 1) = (got_addr(ie.o/.text, v) - _main + 0x800)[31:12]
# rtdyld-check: decode_operand(ld, 2)[11:0] = (got_addr(ie.o/.text, v) - _main)[11:0]
#64: rtdyld-check: *{8}got_addr(ie.o/.text, v) = 0x1800
#32: rtdyld-check: *{4}got_addr(ie.o/.text, v) = 0x1800
_main:
  auipc a5, %tls_ie_pcrel_hi(v)
ld:
  @LOAD@ a5, %pcrel_lo(_main)(a5)
  add a5, a5, tp
  ret
""" + TLS_DATA

T["tls_gd_hi20"] = """# R_RISCV_TLS_GD_HI20 (general and local dynamic, `la.tls.gd` then a call
# to __tls_get_addr): there is no dynamic linker, so the sequence is relaxed
# to local exec (reference.h "RISC-V"): the auipc becomes `lui rd,
# %hi(TPREL)`, its PCREL_LO12_I writes %lo(TPREL) into the addi, and the
# call to __tls_get_addr becomes `add a0, a0, tp; nop` (a tail call, `tail
# __tls_get_addr`: `add a0, a0, tp; ret`). v is at TP offset 0x1800.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/gd.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s %t/gd.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLS_GD_HI20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TLS_GD_HI20
# Not on an auipc (the nop at .text+0): no rewrite is defined.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLS_GD_HI20 -D OFFSET=0x0 -D SYMBOL=tls -o %t/insn.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/insn.o 2>&1 | FileCheck %s --check-prefix=INSN
# INSN: error: insn.o:{{ ?}}(.text+0x0): relocation R_RISCV_TLS_GD_HI20 {{.*}}instruction

  .text
  .globl _main
  .p2align 2
# lui a0, 2 (0x1800 + 0x800 = 0x2000).
# rtdyld-check: *{4}_main = 0x00002537
# rtdyld-check: decode_operand(lo, 2)[11:0] = 0x800
# add a0, a0, tp; nop
# rtdyld-check: *{4}call = 0x00450533
# rtdyld-check: *{4}(call + 4) = 0x00000013
_main:
  auipc a0, %tls_gd_pcrel_hi(v)
lo:
  addi a0, a0, %pcrel_lo(_main)
call:
  call __tls_get_addr@plt
  lw a0, 0(a0)
  ret
# The tail call: add a0, a0, tp; ret
# rtdyld-check: *{4}(tcall + 8) = 0x00450533
# rtdyld-check: *{4}(tcall + 12) = 0x00008067
tcall:
  auipc a0, %tls_gd_pcrel_hi(v)
  addi a0, a0, %pcrel_lo(tcall)
  tail __tls_get_addr@plt
""" + TLS_DATA

T["tlsdesc"] = """# The TLS descriptor forms (R_RISCV_TLSDESC_HI20, _LOAD_LO12, _ADD_LO12,
# _CALL; the lows name the auipc's label): relaxed to local exec by the
# psABI's "TLS Descriptors -> Local Exec Relaxation", without deleting
# bytes, in the form ld.lld-19 picks (reference.h "RISC-V"): auipc -> nop,
# load -> nop; then, long form, addi -> `lui a0, %hi(TPREL)` and jalr ->
# `addi a0, a0, %lo(TPREL)` (v, at TP offset 0x1810 after .tdata: lui a0,
# 2; addi a0, a0, -2032), or, when TPREL fits 12 bits, short form, addi -> nop and jalr
# -> `addi a0, zero, TPREL` (z, at TP offset 0x8: li a0, 8).
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/desc.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s %t/desc.o
#
# Malformed: the field straddles the end of .text; a low that names no
# TLSDESC_HI20.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLSDESC_HI20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TLSDESC_HI20
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLSDESC_CALL -D OFFSET=0x0 -o %t/nohi.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/nohi.o 2>&1 | FileCheck %s --check-prefix=NOHI
# NOHI: error: nohi.o:{{ ?}}(.text+0x0): relocation R_RISCV_TLSDESC_CALL{{.*}}0x0{{.*}} carries no {{.*}}TLSDESC_HI20
#64: A TP offset beyond lui + addi's reach: all four fail, the HI20 first
#64: (each rewrite is applied with the TP offset, so none is half done).
#64: RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/ext.o %S/Inputs/desc-ext.s
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -dummy-extern=e=0x7ffff7ff %t/ext.o
#64: RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -dummy-extern=e=0x7ffff800 %t/ext.o 2>&1 \\
#64: RUN:   | FileCheck %s --check-prefix=RANGE
#64: RANGE: {{(4 relocations could not be applied: .*\(.text\+0x0\): relocation R_RISCV_TLSDESC_HI20 out of range|\(.text\+0x0\): relocation R_RISCV_TLSDESC_HI20 out of range.*the first of 4 relocations)}}

  .text
  .globl _main
  .p2align 2
# rtdyld-check: *{4}_main = 0x00000013
# rtdyld-check: *{4}load = 0x00000013
# rtdyld-check: *{4}add = 0x00002537
# rtdyld-check: *{4}call = 0x81050513
# rtdyld-check: v = 0x1810
_main:
  auipc a0, %tlsdesc_hi(v)
load:
  @LOAD@ a1, %tlsdesc_load_lo(_main)(a0)
add:
  addi a0, a0, %tlsdesc_add_lo(_main)
call:
  jalr t0, 0(a1), %tlsdesc_call(_main)
  add a0, a0, tp
# The short form.
# rtdyld-check: *{4}short = 0x00000013
# rtdyld-check: *{4}sload = 0x00000013
# rtdyld-check: *{4}sadd = 0x00000013
# rtdyld-check: *{4}scall = 0x00800513
# rtdyld-check: z = 8
short:
  auipc a0, %tlsdesc_hi(z)
sload:
  @LOAD@ a1, %tlsdesc_load_lo(short)(a0)
sadd:
  addi a0, a0, %tlsdesc_add_lo(short)
scall:
  jalr t0, 0(a1), %tlsdesc_call(short)
  add a0, a0, tp
  ret

  .section .tdata,"awT",@progbits
  .p2align 3
  .zero 8
  .globl z
z:
  .word 3
""" + TLS_DATA

def label_arith(type_, width, op, init, sym_expr_desc, check):
    return None

# ADD/SUB/SET label arithmetic
def addsub(name, type_, width, formula, init_hex, check):
    d = {1: ".byte", 2: ".2byte", 4: ".4byte", 8: ".8byte"}[width]
    off = {1: "0x8", 2: "0x7", 4: "0x6", 8: "0x6"}[width]
    return """# R_RISCV_@TYPE@: @FORMULA@ in a @BITS@-bit field, V the field's value as the
# relocations before it left it; no range, the field wraps (psABI table
# "Relocation types": label arithmetic; reference.h "RISC-V"). Written with
# .reloc so that S lies in another section (far, mapped) and V is not 0.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/@NAME@.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section @NAME@.o,.data=0x10000 \\
# RUN:   -map-section @NAME@.o,.text.far=0x123456 %t/@NAME@.o
# The field wraps rather than overflows.
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section @NAME@.o,.data=0x10000 \\
# RUN:   -map-section @NAME@.o,.text.far=0xfedcba98 %t/@NAME@.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_@TYPE@ -D OFFSET=@OFF@ -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+@OFF@): relocation R_RISCV_@TYPE@

  .data
  .p2align 3
# rtdyld-check: @CHECK@
  .reloc w, R_RISCV_@TYPE@, far + 3
w:
  @D@ @INIT@
  .section .text.far,"ax",@progbits
  .globl far
far:
  ret
""".replace("@TYPE@", type_).replace("@FORMULA@", formula).replace("@BITS@", str(width * 8) if type_ not in ("SUB6", "SET6") else "6").replace(
        "@NAME@", name).replace("@OFF@", off).replace("@CHECK@", check).replace("@D@", d if type_ not in ("SUB6", "SET6") else ".byte").replace("@INIT@", init_hex)

for w, bits in ((1, 8), (2, 16), (4, 32), (8, 64)):
    mask = "[%d:0]" % (bits - 1)
    T["add%d" % bits] = addsub("add%d" % bits, "ADD%d" % bits, w, "V + S + A", "0x7a",
                              "*{%d}w = (0x7a + far + 3)%s" % (w, mask))
    T["sub%d" % bits] = addsub("sub%d" % bits, "SUB%d" % bits, w, "V - S - A", "0x7a",
                              "*{%d}w = (0x7a - far - 3)%s" % (w, mask))
for w, bits in ((1, 8), (2, 16), (4, 32)):
    mask = "[%d:0]" % (bits - 1)
    T["set%d" % bits] = addsub("set%d" % bits, "SET%d" % bits, w, "S + A (V replaced)", "0x7a",
                              "*{%d}w = (far + 3)%s" % (w, mask))
T["sub6"] = addsub("sub6", "SUB6", 1, "(V & 0xc0) | ((V - S - A) & 0x3f)", "0xc5",
                   "*{1}w = 0xc0 + (0x05 - far - 3)[5:0]")
T["set6"] = addsub("set6", "SET6", 1, "(V & 0xc0) | ((S + A) & 0x3f)", "0xc5",
                   "*{1}w = 0xc0 + (far + 3)[5:0]")

T["add_sub_pair"] = """# ADD32 and SUB32 on one field, as the assembler writes a label difference
# across relaxable code (`.word .Lb - .La` with -mrelax): V + S1 - S2, each
# applied in table order; two composing relocations on one field are not
# an overlap (reference.h "RISC-V"). Also the ADD64/SUB64, ADD16/SUB16 and
# ADD8/SUB8 pairs.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -mattr=+relax -filetype=obj -o %t/pair.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x12345678 %t/pair.o
# An ADD32 and a 32-bit word on the same bytes do overlap: refused.
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/overlap.o %S/Inputs/add-overlap.s
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/overlap.o 2>&1 | FileCheck %s --check-prefix=OVERLAP
# OVERLAP: error: overlap.o:{{ ?}}(.data+0x0): relocation R_RISCV_{{.*}}: its field overlaps that of R_RISCV_

  .text
  .globl _main
  .p2align 2
_main:
.La:
  call ext
.Lb:
  ret

  .data
  .p2align 3
# rtdyld-check: *{4}d32 = 8
d32:
  .word .Lb - .La
# rtdyld-check: *{8}d64 = 8
d64:
  .quad .Lb - .La
# rtdyld-check: *{2}d16 = 8
d16:
  .2byte .Lb - .La
# rtdyld-check: *{1}d8 = 8
d8:
  .byte .Lb - .La
# Three on one field compose too, in table order: 0x100 + 8 + .La.
# rtdyld-check: *{4}d3 = (0x100 + 8 + _main)[31:0]
  .reloc d3, R_RISCV_ADD32, .Lb
  .reloc d3, R_RISCV_SUB32, .La
  .reloc d3, R_RISCV_ADD32, .La
d3:
  .word 0x100
"""

def uleb(name, type_):
    return """# R_RISCV_SET_ULEB128 then R_RISCV_SUB_ULEB128 on one ULEB128: (S1 + A1) -
# (S2 + A2), written in the length already in place (the psABI: the linker
# must not alter it; continuation bits kept), an overflow error when it
# does not fit 7 bits per byte. The two must come as a pair (SET
# immediately before SUB, same offset): either alone is malformed
# (reference.h "RISC-V"). This file is R_RISCV_@TYPE@'s.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/@NAME@.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section @NAME@.o,.text=0x10000 \\
# RUN:   -map-section @NAME@.o,.text.far=0x11234 %t/@NAME@.o
# The edge: 2^21 - 1 in three bytes; then 2^21 overflows.
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section @NAME@.o,.text=0x10000 \\
# RUN:   -map-section @NAME@.o,.text.far=0x20ffff %t/@NAME@.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -map-section @NAME@.o,.text=0x10000 \\
# RUN:   -map-section @NAME@.o,.text.far=0x210000 %t/@NAME@.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}@NAME@.o:{{ ?}}(.data+0x0): relocation R_RISCV_SUB_ULEB128 out of range
# A negative difference (far below _main) does not fit an unsigned LEB either.
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -map-section @NAME@.o,.text=0x10000 \\
# RUN:   -map-section @NAME@.o,.text.far=0x8000 %t/@NAME@.o 2>&1 | FileCheck %s --check-prefix=RANGE
#
# Malformed: outside the section, and unpaired.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_@TYPE@ -D OFFSET=0x8 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x8): relocation R_RISCV_@TYPE@
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_@TYPE@ -D OFFSET=0x0 -o %t/alone.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/alone.o 2>&1 | FileCheck %s --check-prefix=ALONE
# ALONE: error: alone.o:{{ ?}}(.text+0x0): relocation R_RISCV_@TYPE@{{:? .*(followed by|follow) .*}}_ULEB128

  .text
  .globl _main
_main:
  ret
  .section .text.far,"ax",@progbits
far:
  ret

  .data
# A three-byte ULEB128 (0x80 0x80 0x00, as an assembler pads it).
# rtdyld-check: *{1}w = 0x80 + (far - _main)[6:0]
# rtdyld-check: *{1}(w + 1) = 0x80 + (far - _main)[13:7]
# rtdyld-check: *{1}(w + 2) = (far - _main)[20:14]
  .reloc w, R_RISCV_SET_ULEB128, far
  .reloc w, R_RISCV_SUB_ULEB128, _main
w:
  .byte 0x80, 0x80, 0x00
# rtdyld-check: *{1}after = 0x55
after:
  .byte 0x55
""".replace("@TYPE@", type_).replace("@NAME@", name)

T["set_uleb128"] = uleb("set_uleb128", "SET_ULEB128")
T["sub_uleb128"] = uleb("sub_uleb128", "SUB_ULEB128")

def pcrel32(name, type_, what):
    return """# R_RISCV_@TYPE@: S + A - P into a 32-bit word, checked -2^31 <= X < 2^31
# (psABI table "Relocation types"@WHAT@). Written with .reloc.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/@NAME@.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section @NAME@.o,.data=0x10000 \\
# RUN:   -dummy-extern=ext=0x12345678 %t/@NAME@.o
#64: The edge: ext at w + 2^31 - 1 loads; at w + 2^31 it overflows.
#64: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section @NAME@.o,.data=0x10000 \\
#64: RUN:   -dummy-extern=ext=0x8000ffff %t/@NAME@.o
#64: RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify -map-section @NAME@.o,.data=0x10000 \\
#64: RUN:   -dummy-extern=ext=0x80010000 %t/@NAME@.o 2>&1 | FileCheck %s --check-prefix=RANGE
#64: RANGE: error: {{.*}}@NAME@.o:{{ ?}}(.data+0x0): relocation R_RISCV_@TYPE@ out of range
#32: On RV32 it wraps (modulo 2^32).
#32: RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -map-section @NAME@.o,.data=0x10000 \\
#32: RUN:   -dummy-extern=ext=0xf0010000 %t/@NAME@.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_@TYPE@ -o %t/bad.o
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_@TYPE@

  .data
  .p2align 2
# rtdyld-check: *{4}w = (ext - w)[31:0]
  .reloc w, R_RISCV_@TYPE@, ext
w:
  .word 0
# rtdyld-check: *{4}w2 = (ext - 16 - w2)[31:0]
  .reloc w2, R_RISCV_@TYPE@, ext - 16
w2:
  .word 0
""".replace("@TYPE@", type_).replace("@NAME@", name).replace("@WHAT@", what)

T["pcrel32"] = pcrel32("pcrel32", "32_PCREL", "")
T["plt32"] = pcrel32("plt32", "PLT32", "; the reference never uses a stub for it")

T["relax"] = """# R_RISCV_RELAX: marks an instruction a linker may relax; the reference
# relaxes nothing (reference.h "RISC-V"), so every instruction stays as
# assembled and its own relocation is applied: an auipc + jalr call stays
# a call (not a jal), lui + addi stay two instructions, and nothing moves.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -mattr=+relax -filetype=obj -o %t/relax.o %s
# RUN: llvm-readelf -r %t/relax.o | FileCheck %s --check-prefix=RELOCS
# RELOCS: R_RISCV_CALL_PLT
# RELOCS-NEXT: R_RISCV_RELAX
# RELOCS: R_RISCV_HI20
# RELOCS-NEXT: R_RISCV_RELAX
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s -dummy-extern=ext=0x12345678 %t/relax.o

  .text
  .globl _main
  .p2align 2
# rtdyld-check: (*{4}_main)[11:0] = 0x097
# rtdyld-check: decode_operand(_main, 1) = (near - _main + 0x800)[31:12]
# rtdyld-check: (*{4}(_main + 4))[19:0] = 0x080e7
# rtdyld-check: decode_operand(_main + 4, 2)[11:0] = (near - _main)[11:0]
_main:
  call near
# rtdyld-check: decode_operand(hi, 1) = (ext + 0x800)[31:12]
# rtdyld-check: decode_operand(hi + 4, 2)[11:0] = ext[11:0]
hi:
  lui a0, %hi(ext)
  addi a0, a0, %lo(ext)
# rtdyld-check: near - _main = 16
near:
  ret
"""

T["align"] = """# R_RISCV_ALIGN: the assembler's nop padding for a linker that deletes
# bytes. The reference deletes nothing (reference.h "RISC-V"): the padding
# stays (valid nops, so the code runs as assembled) and every label keeps
# its offset. With the C extension the padding is c.nop then nop.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -mattr=+relax,+c -filetype=obj -o %t/align.o %s
# RUN: llvm-readelf -r %t/align.o | FileCheck %s --check-prefix=RELOCS
# RELOCS: R_RISCV_ALIGN {{ *}}6
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s %t/align.o

  .text
  .globl _main
  .p2align 3
_main:
  c.addi a0, 1
# 6 bytes of padding (the most an 8-byte alignment can need after a 2-byte
# instruction on a 2-byte grid): c.nop, nop.
# rtdyld-check: *{2}(_main + 2) = 0x0001
# rtdyld-check: *{4}(_main + 4) = 0x00000013
  .p2align 3
# rtdyld-check: target - _main = 8
# rtdyld-check: *{2}target = 0x8082
target:
  ret
"""

T["tls_debug"] = """# R_RISCV_64 (RV64) / R_RISCV_32 (RV32) of a thread-local symbol in a
# section that is not SHF_ALLOC: how clang-19 writes a RISC-V TLS
# variable's DWARF location (.debug_info, with -g). There it is the
# variable's offset in its TLS block: its TP offset here (reference.h
# "RISC-V"). In an allocated section the same relocation is an error: a
# thread-local variable has no address.
@HEAD@# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/dbg.o %s
# RUN: llvm-rtdyld -triple=@TRIPLE@ -verify -check=%s %t/dbg.o
# RUN: llvm-mc -triple=@TRIPLE@ -filetype=obj -o %t/alloc.o %S/Inputs/tls-data-alloc.s
# RUN: not llvm-rtdyld -triple=@TRIPLE@ -verify %t/alloc.o 2>&1 | FileCheck %s --check-prefix=ALLOC
# ALLOC: error: alloc.o:{{ ?}}(.data+0x0): relocation R_RISCV_32 {{.*}}thread-local

  .text
  .globl _main
_main:
  ret

  .section .debug_info,"",@progbits
# rtdyld-check: *{@WB@}w = 0x1804
w:
  @PTR@ v + 4
""" + TLS_DATA

# Inputs needed by some tests
INPUTS = {
 "lo12-addend.s": """# A PCREL_LO12_I with a non-zero addend (the psABI requires 0): written
# with .reloc against the auipc's label.
  .text
  .p2align 2
hi:
  auipc a0, %pcrel_hi(d)
  .reloc ., R_RISCV_PCREL_LO12_I, hi + 4
  addi a0, a0, 0
  ret
  .data
d:
  .word 0
""",
 "tprel-ext.s": """# A local-exec access to an undefined thread-local symbol (its TP offset
# comes from the scenario: -dummy-extern).
  .text
  .p2align 2
  .globl _main
_main:
  lui a5, %tprel_hi(e)
  add a5, a5, tp, %tprel_add(e)
  lw a0, %tprel_lo(e)(a5)
  ret
  .section .tbss,"awT",@nobits
  .zero 8
""",
 "desc-ext.s": """# A TLS descriptor sequence for an undefined thread-local symbol (its TP
# offset comes from the scenario: -dummy-extern).
  .text
  .p2align 2
  .globl _main
_main:
  auipc a0, %tlsdesc_hi(e)
  ld a1, %tlsdesc_load_lo(_main)(a0)
  addi a0, a0, %tlsdesc_add_lo(_main)
  jalr t0, 0(a1), %tlsdesc_call(_main)
  ret
""",
 "tls-data-alloc.s": """# A data word holding a thread-local variable's address: it has none.
  .data
  .p2align 3
  .word v
  .section .tbss,"awT",@nobits
  .globl v
v:
  .zero 4
""",
 "add-overlap.s": """# An ADD32 and an R_RISCV_32 on the same word: the second is not label
# arithmetic, so the two writes overlap.
  .data
  .p2align 2
  .reloc w, R_RISCV_ADD32, w
w:
  .word x
x:
  .word 0
""",
}

def render(name, text, xlen):
    triple = "riscv%d-linux-gnu" % xlen
    out = []
    head = (XFAIL_ENGINE if name in ENGINE_XFAIL else "") + HEAD
    for line in text.replace("@HEAD@", head).split("\n"):
        if line.startswith("#64:"):
            if xlen != 64: continue
            line = "#" + line[4:] if line[4:5] == " " else line[4:]
        elif line.startswith("#32:"):
            if xlen != 32: continue
            line = "#" + line[4:] if line[4:5] == " " else line[4:]
        out.append(line)
    s = "\n".join(out)
    s = s.replace("@TRIPLE@", triple).replace("@LOAD@", "ld" if xlen == 64 else "lw")
    s = s.replace("@PTR@", ".quad" if xlen == 64 else ".word").replace("@WB@", "8" if xlen == 64 else "4")
    s = s.replace("@W@", "64" if xlen == 64 else "32")
    return s

only = sys.argv[1:]
for xlen in (64, 32):
    d = os.path.join(OUT, "riscv%d" % xlen)
    os.makedirs(os.path.join(d, "Inputs"), exist_ok=True)
    for name, text in T.items():
        if only and name not in only: continue
        with open(os.path.join(d, name + ".s"), "w") as f:
            f.write(render(name, text, xlen))
    for name, text in INPUTS.items():
        with open(os.path.join(d, "Inputs", name), "w") as f:
            f.write(text)
print("ok", len(T))
