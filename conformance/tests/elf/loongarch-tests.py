# Writes conformance/tests/elf/loongarch64/*.s (and Inputs/reloc-outside.yaml)
# from one template per relocation type: edit here, run
# `python3 loongarch-tests.py`, commit both.
#
# Both loaders run every file (LLVM 19's RuntimeDyld has no LoongArch:
# "UNSUPPORTED: loader-llvm"). Checks read the relocated instructions back
# with decode_operand and recompute what the whole sequence reaches — the
# pcalau12i's page, its sign-extended 20-bit page count, the low part's
# sign-extended 12 bits and, in the extreme model, lu32i.d/lu52i.d's upper
# 32 bits — and compare it with the symbol (or its GOT slot), so each
# check holds for exactly one encoding whatever formula a loader used.
# Error lines check what reference.h "LoongArch" fixes (the place, the
# relocation, "out of range", ...), not either loader's wording.
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "loongarch64")
TRIPLE = "loongarch64-linux-gnu"
HEAD = """# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
"""
T = {}


def mc(name, relax=False):
    return "# RUN: llvm-mc -triple=%s%s -filetype=obj -o %%t/%s.o %%s\n" % (
        TRIPLE, " -mattr=+relax" if relax else "", name)


def rtdyld(name, args="", check=True, fail_prefix=None):
    line = "llvm-rtdyld -triple=%s -verify%s%s %%t/%s.o" % (
        TRIPLE, " -check=%s" if check else "", (" " + args) if args else "", name)
    if fail_prefix:
        return "# RUN: not %s 2>&1 \\\n# RUN:   | FileCheck %%s --check-prefix=%s\n" % (line, fail_prefix)
    return "# RUN: %s\n" % line


def bad(rtype, offset=None, symbol=None, prefix="BAD"):
    """The field straddles (or starts at) the end of an 8-byte .text."""
    d = "-D TYPE=%s" % rtype
    if offset:
        d += " -D OFFSET=%s" % offset
    if symbol:
        d += " -D SYMBOL=%s" % symbol
    at = offset or "0x6"
    return ("#\n# Malformed: the field lies outside .text.\n"
            "# RUN: yaml2obj %%S/Inputs/reloc-outside.yaml %s -o %%t/%s.o\n"
            "# RUN: not llvm-rtdyld -triple=%s -verify %%t/%s.o 2>&1 | FileCheck %%s --check-prefix=%s\n"
            "# %s: error: %s.o:{{ ?}}(.text+%s): relocation %s\n"
            % (d, prefix.lower(), TRIPLE, prefix.lower(), prefix, prefix, prefix.lower(), at, rtype))


# What a pcalau12i at H with a sign-extending low part at LO reaches, and
# with the extreme model's lu32i.d at L20 and lu52i.d at H12.
def pc_pair(h, lo):
    return "(%s & 0xfffffffffffff000) + (decode_operand(%s, 1) << 12) + decode_operand(%s, 2)" % (h, h, lo)


def pc_wide(h, lo, l20, h12):
    return ("(%s & 0xfffffffffffff000) + (decode_operand(%s, 1) << 12) + ((decode_operand(%s, 2)[19:0] << 32) | "
            "(decode_operand(%s, 2)[11:0] << 52) | (decode_operand(%s, 2) & 0xffffffff))" % (h, h, l20, h12, lo))


# lu12i.w (sign-extending) then ori (zero-extending); and the extreme tail.
def abs_pair(h, lo):
    return "(decode_operand(%s, 1) << 12) | decode_operand(%s, 2)[11:0]" % (h, lo)


def abs_wide(h, lo, l20, h12):
    return ("((decode_operand(%s, 1) << 12) | decode_operand(%s, 2)[11:0])[31:0] | "
            "(decode_operand(%s, 2)[19:0] << 32) | (decode_operand(%s, 2)[11:0] << 52)" % (h, lo, l20, h12))


def simple(name, text):
    T[name] = text


# ---- data ----
simple("abs32", HEAD + mc("abs32") + rtdyld("abs32", "-dummy-extern=ext=0x12345678") + """\
# The edge: ext + 4 = 0xffffffff, the largest value the field holds;
# 2^32 is an overflow error (reference.h "LoongArch": [-2^31, 2^32)).
""" + rtdyld("abs32", "-dummy-extern=ext=0xfffffffb", check=False)
       + rtdyld("abs32", "-dummy-extern=ext=0xfffffffc", check=False, fail_prefix="RANGE") + """\
# RANGE: error: {{.*}}abs32.o:{{ ?}}(.data+0x4): relocation R_LARCH_32 {{.*}}out of range
""" + bad("R_LARCH_32") + """
# R_LARCH_32: S + A into a 32-bit word.
  .data
  .p2align 2
# rtdyld-check: *{4}w = ext
w:
  .word ext
# rtdyld-check: *{4}w4 = (ext + 4)[31:0]
w4:
  .word ext + 4
""")

simple("abs64", HEAD + mc("abs64") + rtdyld("abs64", "-dummy-extern=ext=0x7f0012345678") + bad("R_LARCH_64") + """
# R_LARCH_64: S + A into a 64-bit word, no range.
  .data
  .p2align 3
# rtdyld-check: *{8}w = ext
w:
  .quad ext
# rtdyld-check: *{8}wm = ext - 16
wm:
  .quad ext - 16
""")

simple("pcrel32", HEAD + mc("pcrel32")
       + rtdyld("pcrel32", "-map-section pcrel32.o,.data=0x10000000 -dummy-extern=ext=0x20000000") + """\
# The edge: X = 2^31 - 1 in both words (ext - 4 - 0x10000000, ext -
# 0x10000004), then one beyond, an overflow error.
""" + rtdyld("pcrel32", "-map-section pcrel32.o,.data=0x10000000 -dummy-extern=ext=0x90000003", check=False)
       + rtdyld("pcrel32", "-map-section pcrel32.o,.data=0x10000000 -dummy-extern=ext=0x90000004", check=False,
                fail_prefix="RANGE") + """\
# RANGE: error: {{.*}}pcrel32.o:{{ ?}}(.data+0x0): relocation R_LARCH_32_PCREL {{.*}}out of range
""" + bad("R_LARCH_32_PCREL") + """
# R_LARCH_32_PCREL: S + A - P, signed 32 bits.
  .data
  .p2align 2
# (llvm-mc writes `.word ext - .` as an ADD32/SUB32 pair: .reloc names the type.)
# rtdyld-check: *{4}w = (ext - 4 - w)[31:0]
w:
  .reloc ., R_LARCH_32_PCREL, ext-4
  .word 0
# rtdyld-check: *{4}w2 = (ext - w2)[31:0]
w2:
  .reloc ., R_LARCH_32_PCREL, ext
  .word 0
""")

simple("pcrel64", HEAD + mc("pcrel64")
       + rtdyld("pcrel64", "-map-section pcrel64.o,.data=0x10000000 -dummy-extern=ext=0x7f0012345678")
       + bad("R_LARCH_64_PCREL") + """
# R_LARCH_64_PCREL: S + A - P, 64 bits, no range.
  .data
  .p2align 3
# (llvm-mc writes `.quad ext - .` as an ADD64/SUB64 pair: .reloc names the type.)
# rtdyld-check: *{8}w = ext - w
w:
  .reloc ., R_LARCH_64_PCREL, ext
  .quad 0
# rtdyld-check: *{8}w8 = ext + 8 - w8
w8:
  .reloc ., R_LARCH_64_PCREL, ext+8
  .quad 0
""")

# ---- branches ----
def branch(name, rtype, insn, bits):
    half = 1 << (bits - 1)
    base = 0x40000000
    return (HEAD + mc(name) + """\
# %s: S + A - P, a count of 4-byte words in %d signed bits (reach
# [-2^%d, 2^%d)), a multiple of 4 (psABI table; reference.h "LoongArch").
""" % (rtype, bits - 2, bits - 1, bits - 1)
            + rtdyld(name, "-map-section %s.o,.text=0x%x -map-section %s.o,.text.far=0x%x" % (name, base, name, base + 0x1234))
            + "# The edges: the last word forward, the first backward.\n"
            + rtdyld(name, "-map-section %s.o,.text=0x%x -map-section %s.o,.text.far=0x%x" % (name, base, name, base + half - 4))
            + rtdyld(name, "-map-section %s.o,.text=0x%x -map-section %s.o,.text.far=0x%x" % (name, base, name, base - half))
            + "# One word beyond: an overflow error.\n"
            + rtdyld(name, "-map-section %s.o,.text=0x%x -map-section %s.o,.text.far=0x%x" % (name, base, name, base + half),
                     check=False, fail_prefix="RANGE")
            + "# RANGE: error: {{.*}}%s.o:{{ ?}}(.text+0x0): relocation %s {{.*}}out of range\n" % (name, rtype)
            + "# Misaligned (far + 2): an error.\n"
            + rtdyld(name, "-map-section %s.o,.text=0x%x -map-section %s.o,.text.far=0x%x" % (name, base, name, base + 0x1236),
                     check=False, fail_prefix="ALIGN")
            + "# ALIGN: error: {{.*}}%s.o:{{ ?}}(.text+0x0): relocation %s\n" % (name, rtype)
            + bad(rtype) + """
  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, %d) = (far - _main)
_main:
  %s
  ret

  .section .text.far,"ax",@progbits
far:
  ret
""" % (insn.count(",") , insn))


T["b16"] = branch("b16", "R_LARCH_B16", "beq $a0, $a1, far", 18)
T["b21"] = branch("b21", "R_LARCH_B21", "beqz $a0, far", 23)

T["b26"] = HEAD + mc("b26") + """\
# R_LARCH_B26: S + A - P in 26 signed word bits (±128 MiB), a multiple of 4;
# a call to a symbol bound by name beyond that goes through a stub
# (reference.h "LoongArch": pcaddu12i $t8, 0; ld.d $t8, $t8, 16; jirl
# $zero, $t8, 0; nop; the 8-byte target). farext is always about 2^47 away;
# .text is placed below the loaders' default area, where the stubs go,
# so that they are within reach.
""" + rtdyld("b26", "-map-section b26.o,.text=0x1000000 -map-section b26.o,.text.far=0x8fffffc "
             "-dummy-extern=ext=0x1001000 -dummy-extern=farext=0x7f0000001000") + """\
# A local symbol one word beyond 128 MiB: no stub, an overflow error.
""" + rtdyld("b26", "-map-section b26.o,.text=0x1000000 -map-section b26.o,.text.far=0x9000000 "
             "-dummy-extern=ext=0x1001000 -dummy-extern=farext=0x7f0000001000",
             check=False, fail_prefix="RANGE") + """\
# RANGE: error: {{.*}}b26.o:{{ ?}}(.text+0x0): relocation R_LARCH_B26 {{.*}}out of range
""" + bad("R_LARCH_B26") + """
  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 0) = far - _main
_main:
  bl far
# rtdyld-check: decode_operand(call, 0) = ext - call
call:
  bl ext
# rtdyld-check: decode_operand(fcall, 0) = stub_addr(b26.o/.text, farext) - fcall
# rtdyld-check: *{8}(stub_addr(b26.o/.text, farext) + 16) = farext
# rtdyld-check: *{4}stub_addr(b26.o/.text, farext) = 0x1c000014
# rtdyld-check: *{4}(stub_addr(b26.o/.text, farext) + 4) = 0x28c04294
# rtdyld-check: *{4}(stub_addr(b26.o/.text, farext) + 8) = 0x4c000280
fcall:
  bl farext
  ret

  .section .text.far,"ax",@progbits
far:
  ret
"""

T["call36"] = HEAD + mc("call36") + """\
# R_LARCH_CALL36: pcaddu18i + jirl, S + A - P: (X + 0x20000) >> 18 into the
# pcaddu18i, X[17:2] into the jirl (sign-extending), reach X + 0x20000 in
# [-2^37, 2^37); beyond it a symbol bound by name goes through a stub
# (farext, about 2^47 away).
""" + rtdyld("call36", "-map-section call36.o,.text=0x40000000 -dummy-extern=ext=0x1040021ffc "
             "-dummy-extern=farext=0x7f4000000000") + """\
# The edge: X + 0x20000 = 2^37 - 4 fits; one word more and ext is beyond
# (ext is bound by name: through the stub, then).
""" + rtdyld("call36", "-map-section call36.o,.text=0x40000000 -dummy-extern=ext=0x203ffdfffc "
             "-dummy-extern=farext=0x7f4000000000") + bad("R_LARCH_CALL36") + """
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
"""

T["pcrel20_s2"] = HEAD + mc("pcrel20_s2") + """\
# R_LARCH_PCREL20_S2: pcaddi, (S + A - P) / 4 in 20 signed bits (±2 MiB).
""" + rtdyld("pcrel20_s2", "-map-section pcrel20_s2.o,.text=0x40000000 -map-section pcrel20_s2.o,.text.far=0x401ffffc") + """\
# One word beyond: an overflow error.
""" + rtdyld("pcrel20_s2", "-map-section pcrel20_s2.o,.text=0x40000000 -map-section pcrel20_s2.o,.text.far=0x40200000",
             check=False, fail_prefix="RANGE") + """\
# RANGE: error: {{.*}}pcrel20_s2.o:{{ ?}}(.text+0x0): relocation R_LARCH_PCREL20_S2 {{.*}}out of range
""" + bad("R_LARCH_PCREL20_S2") + """
  .text
  .globl _main
  .p2align 2
# rtdyld-check: _main + (decode_operand(_main, 1) << 2) = far
_main:
  .reloc ., R_LARCH_PCREL20_S2, far
  pcaddi $a0, 0
  ret

  .section .text.far,"ax",@progbits
far:
  ret
"""

# ---- PC-relative pages: PCALA ----
PCALA_BODY = """
  .text
  .globl _main
  .p2align 2
# The normal model: pcalau12i + a sign-extending addi.d.
# rtdyld-check: %s = var
# rtdyld-check: %s = var2
_main:
  pcalau12i $a0, %%pc_hi20(var)
lo:
  addi.d $a0, $a0, %%pc_lo12(var)
n2:
  pcalau12i $a1, %%pc_hi20(var2)
lo2:
  ld.d $a1, $a1, %%pc_lo12(var2)
# The extreme model: the 64-bit tail, its pcalau12i 8 and 12 bytes back.
# rtdyld-check: %s = far
x:
  pcalau12i $a0, %%pc_hi20(far)
xlo:
  addi.d $t8, $zero, %%pc_lo12(far)
xl20:
  lu32i.d $t8, %%pc64_lo20(far)
xh12:
  lu52i.d $t8, $t8, %%pc64_hi12(far)
  add.d $a0, $a0, $t8
  ret

  .data
  .p2align 3
# var's low 12 bits are 0x810 (>= 0x800: the low part is negative, the
# high part takes one page more); var2's 0x7f8.
  .zero 0x810
var:
  .quad 1
  .zero 0x7f8 - 0x818 + 0x1000
var2:
  .quad 2
""" % (pc_pair("_main", "lo"), pc_pair("n2", "lo2"), pc_wide("x", "xlo", "xl20", "xh12"))
# Placements: .text at T, .data at D (var = D + 0x810), far = the extern.
PCALA_CASES = [
    # (text, data, far, what)
    (0x200ff0, 0x3ff000, 0x7f0012345fff, "near pages, a far symbol with low bits 0xfff"),
    (0x7ffff000, 0x1000, 0x1000, "data far below, the page distance negative"),
    (0x1000, 0x7fffe000, 0xffffffff80000800, "a page distance with bit 31 set; far: a negative address"),
    (0x7f0000000ff8, 0x7f0000800000, 0x12345800, "text high, far at low 12 bits 0x800"),
]


def pcala(name, rtype, extra):
    runs = ""
    for t, d, far, what in PCALA_CASES:
        runs += "# %s\n" % what
        runs += rtdyld(name, "-map-section %s.o,.text=0x%x -map-section %s.o,.data=0x%x -dummy-extern=far=0x%x"
                       % (name, t, name, d, far))
    return (HEAD + mc(name) + """\
# %s: the page rule (reference.h "LoongArch"): pcalau12i adds to P's
# page the page count of (S + A + 0x800) less P's, so that the
# sign-extended low 12 bits land on S + A; the extreme model's
# PCALA64_LO20/HI12 (at +8/+12) supply the upper 32 bits, correcting for
# both sign extensions. Each placement below is checked by what the whole
# sequence reaches.
""" % rtype + runs + extra + bad(rtype) + PCALA_BODY)


T["pcala_hi20"] = pcala("pcala_hi20", "R_LARCH_PCALA_HI20", """\
# Outside the extreme model the pair reaches ±2 GiB: var's page 2^31 beyond
# _main's (with +0x800) is an overflow error naming the HI20; the same
# distance in the extreme sequence is fine (the first runs above).
""" + rtdyld("pcala_hi20", "-map-section pcala_hi20.o,.text=0x1000 -map-section pcala_hi20.o,.data=0x80000000 "
             "-dummy-extern=far=0x1000", check=False, fail_prefix="RANGE") + """\
# RANGE: error: {{.*}}pcala_hi20.o:{{ ?}}(.text+0x0): relocation R_LARCH_PCALA_HI20 {{.*}}out of range
# The last page that fits: var2 at 0x7ffff7f8 (+0x800: page 0x7ffff000)
# from .text at 0 (every check above holds); var2 at 0x7ffff800 (+0x800:
# page 2^31) is one page beyond.
""" + rtdyld("pcala_hi20", "-map-section pcala_hi20.o,.text=0x0 -map-section pcala_hi20.o,.data=0x7fffe000 "
             "-dummy-extern=far=0x1000")
        + rtdyld("pcala_hi20", "-map-section pcala_hi20.o,.text=0x0 -map-section pcala_hi20.o,.data=0x7fffe008 "
             "-dummy-extern=far=0x1000", check=False, fail_prefix="RANGE2") + """\
# RANGE2: error: {{.*}}pcala_hi20.o:{{ ?}}(.text+0x8): relocation R_LARCH_PCALA_HI20 {{.*}}out of range
""")
T["pcala_lo12"] = pcala("pcala_lo12", "R_LARCH_PCALA_LO12", "")
T["pcala64_lo20"] = pcala("pcala64_lo20", "R_LARCH_PCALA64_LO20", "")
T["pcala64_hi12"] = pcala("pcala64_hi12", "R_LARCH_PCALA64_HI12", "")

# ---- GOT, PC-relative and absolute ----
GOT_BODY = """
  .text
  .globl _main
  .p2align 2
# rtdyld-check: *{8}got_addr(%(n)s.o/.text, ext) = ext
# rtdyld-check: *{8}got_addr(%(n)s.o/.text, value) = value
# rtdyld-check: %(pair)s = got_addr(%(n)s.o/.text, ext)
_main:
  pcalau12i $a0, %%got_pc_hi20(ext)
lo:
  ld.d $a0, $a0, %%got_pc_lo12(ext)
# A second use shares the slot.
# rtdyld-check: %(pair2)s = got_addr(%(n)s.o/.text, ext)
again:
  pcalau12i $a1, %%got_pc_hi20(ext)
lo2:
  ld.d $a1, $a1, %%got_pc_lo12(ext)
# The extreme model.
# rtdyld-check: %(wide)s = got_addr(%(n)s.o/.text, value)
x:
  pcalau12i $a0, %%got_pc_hi20(value)
xlo:
  addi.d $t8, $zero, %%got_pc_lo12(value)
xl20:
  lu32i.d $t8, %%got64_pc_lo20(value)
xh12:
  lu52i.d $t8, $t8, %%got64_pc_hi12(value)
  ldx.d $a0, $t8, $a0
# The absolute forms (GOT_HI20/LO12, GOT64_LO20/HI12): the slot's address.
# rtdyld-check: %(abs)s = got_addr(%(n)s.o/.text, ext)
a:
  lu12i.w $a0, %%got_hi20(ext)
alo:
  ori $a0, $a0, %%got_lo12(ext)
al20:
  lu32i.d $a0, %%got64_lo20(ext)
ah12:
  lu52i.d $a0, $a0, %%got64_hi12(ext)
  ld.d $a0, $a0, 0
  ret

  .data
  .globl value
  .p2align 3
value:
  .quad 1
"""


def got(name, rtype, extra=""):
    body = GOT_BODY % {"n": name, "pair": pc_pair("_main", "lo"), "pair2": pc_pair("again", "lo2"),
                       "wide": pc_wide("x", "xlo", "xl20", "xh12"), "abs": abs_wide("a", "alo", "al20", "ah12")}
    return (HEAD + mc(name) + """\
# %s: through the symbol's GOT slot (one per symbol, holding S; reference.h
# "LoongArch"), the slot's page as for PCALA, or its absolute address.
""" % rtype + rtdyld(name, "-dummy-extern=ext=0x7f0012345678")
            + rtdyld(name, "-map-section %s.o,.text=0x200ff0 -dummy-extern=ext=0x800" % name) + """\
# Malformed: a non-zero addend (the GOT has one slot per symbol).
# RUN: yaml2obj %%S/Inputs/reloc-outside.yaml -D TYPE=%s -D OFFSET=0x0 -D ADDEND=8 -o %%t/addend.o
# RUN: not llvm-rtdyld -triple=%s -verify %%t/addend.o 2>&1 | FileCheck %%s --check-prefix=ADDEND
# ADDEND: error: addend.o:{{ ?}}(.text+0x0): relocation %s{{.*}} addend 8{{.*}}not 0
""" % (rtype, TRIPLE, rtype) + extra + bad(rtype) + body)


for n, rt in [("got_pc_hi20", "R_LARCH_GOT_PC_HI20"), ("got_pc_lo12", "R_LARCH_GOT_PC_LO12"),
              ("got64_pc_lo20", "R_LARCH_GOT64_PC_LO20"), ("got64_pc_hi12", "R_LARCH_GOT64_PC_HI12"),
              ("got_hi20", "R_LARCH_GOT_HI20"), ("got_lo12", "R_LARCH_GOT_LO12"),
              ("got64_lo20", "R_LARCH_GOT64_LO20"), ("got64_hi12", "R_LARCH_GOT64_HI12")]:
    T[n] = got(n, rt)

# ---- absolute ----
ABS_BODY = """
  .text
  .globl _main
  .p2align 2
# The normal model: lu12i.w (sign-extending) + ori.
# rtdyld-check: %s = near
_main:
  lu12i.w $a0, %%abs_hi20(near)
lo:
  ori $a0, $a0, %%abs_lo12(near)
# The extreme model: any 64-bit address.
# rtdyld-check: %s = far
x:
  lu12i.w $a0, %%abs_hi20(far)
xlo:
  ori $a0, $a0, %%abs_lo12(far)
xl20:
  lu32i.d $a0, %%abs64_lo20(far)
xh12:
  lu52i.d $a0, $a0, %%abs64_hi12(far)
  ret
""" % (abs_pair("_main", "lo"), abs_wide("x", "xlo", "xl20", "xh12"))


def absf(name, rtype):
    return (HEAD + mc(name) + """\
# %s: absolute pieces of S + A: [31:12] into lu12i.w, [11:0] into ori,
# [51:32] into lu32i.d, [63:52] into lu52i.d. Without the extreme tail
# (no ABS64_LO20 8 bytes on) S + A must be the sign extension of its low
# 32 bits (reference.h "LoongArch").
""" % rtype + rtdyld(name, "-dummy-extern=near=0x7ffff800 -dummy-extern=far=0x8765432112345fff")
            + rtdyld(name, "-dummy-extern=near=0xffffffff80000000 -dummy-extern=far=0x80000000")
            + "# near at 2^31: an overflow error of the first ABS_HI20.\n"
            + rtdyld(name, "-dummy-extern=near=0x80000000 -dummy-extern=far=0x1", check=False, fail_prefix="RANGE")
            + "# RANGE: error: {{.*}}%s.o:{{ ?}}(.text+0x0): relocation R_LARCH_ABS_HI20 {{.*}}out of range\n" % name
            + bad(rtype) + ABS_BODY)


for n, rt in [("abs_hi20", "R_LARCH_ABS_HI20"), ("abs_lo12", "R_LARCH_ABS_LO12"),
              ("abs64_lo20", "R_LARCH_ABS64_LO20"), ("abs64_hi12", "R_LARCH_ABS64_HI12")]:
    T[n] = absf(n, rt)

# ---- TLS ----
TLS_TAIL = """
  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
"""
LE_BODY = """
  .text
  .globl _main
  .p2align 2
# v is at TP offset 0x1800 (variant I, TCB 0: the block starts at tp).
# rtdyld-check: %s = 0x1800
_main:
  lu12i.w $a0, %%le_hi20(v)
lo:
  ori $a0, $a0, %%le_lo12(v)
  add.d $a0, $a0, $tp
# rtdyld-check: %s = 0x1800
x:
  lu12i.w $a0, %%le_hi20(v)
xlo:
  ori $a0, $a0, %%le_lo12(v)
xl20:
  lu32i.d $a0, %%le64_lo20(v)
xh12:
  lu52i.d $a0, $a0, %%le64_hi12(v)
  add.d $a0, $a0, $tp
# The _R forms (lu12i.w; add.d with tp, TLS_LE_ADD_R a marker; a
# sign-extending addi.d): (TPREL + 0x800) >> 12 and TPREL[11:0].
# rtdyld-check: (decode_operand(r, 1) << 12) + decode_operand(rlo, 2) = 0x1800
r:
  .reloc ., R_LARCH_TLS_LE_HI20_R, v
  lu12i.w $a0, 0
  .reloc ., R_LARCH_TLS_LE_ADD_R, v
  add.d $a0, $a0, $tp
rlo:
  .reloc ., R_LARCH_TLS_LE_LO12_R, v
  addi.d $a0, $a0, 0
  ret
""" % (abs_pair("_main", "lo"), abs_wide("x", "xlo", "xl20", "xh12")) + TLS_TAIL


def tls_le(name, rtype):
    return (HEAD + mc(name) + """\
# %s: local exec, TPREL = S + A (S the TP offset; reference.h "LoongArch":
# variant I, TCB 0) in the absolute pieces' fields. A thread-local type on
# an ordinary symbol is an error naming it.
""" % rtype + rtdyld(name) + """\
# RUN: yaml2obj %%S/Inputs/reloc-outside.yaml -D TYPE=%s -D OFFSET=0x0 -o %%t/nottls.o
# RUN: not llvm-rtdyld -triple=%s -verify %%t/nottls.o 2>&1 | FileCheck %%s --check-prefix=NOTTLS
# NOTTLS: error: nottls.o:{{ ?}}(.text+0x0): relocation %s{{.*}}not thread-local
""" % (rtype, TRIPLE, rtype) + bad(rtype, symbol="tls") + LE_BODY)


for n, rt in [("tls_le_hi20", "R_LARCH_TLS_LE_HI20"), ("tls_le_lo12", "R_LARCH_TLS_LE_LO12"),
              ("tls_le64_lo20", "R_LARCH_TLS_LE64_LO20"), ("tls_le64_hi12", "R_LARCH_TLS_LE64_HI12"),
              ("tls_le_hi20_r", "R_LARCH_TLS_LE_HI20_R"), ("tls_le_lo12_r", "R_LARCH_TLS_LE_LO12_R")]:
    T[n] = tls_le(n, rt)

IE_BODY = """
  .text
  .globl _main
  .p2align 2
# rtdyld-check: *{8}got_addr(%(n)s.o/.text, v) = 0x1800
# rtdyld-check: %(pair)s = got_addr(%(n)s.o/.text, v)
_main:
  pcalau12i $a0, %%ie_pc_hi20(v)
lo:
  ld.d $a0, $a0, %%ie_pc_lo12(v)
  add.d $a0, $a0, $tp
# rtdyld-check: %(wide)s = got_addr(%(n)s.o/.text, v)
x:
  pcalau12i $a0, %%ie_pc_hi20(v)
xlo:
  addi.d $t8, $zero, %%ie_pc_lo12(v)
xl20:
  lu32i.d $t8, %%ie64_pc_lo20(v)
xh12:
  lu52i.d $t8, $t8, %%ie64_pc_hi12(v)
  ldx.d $a0, $t8, $a0
# rtdyld-check: %(abs)s = got_addr(%(n)s.o/.text, v)
a:
  lu12i.w $a0, %%ie_hi20(v)
alo:
  ori $a0, $a0, %%ie_lo12(v)
al20:
  lu32i.d $a0, %%ie64_lo20(v)
ah12:
  lu52i.d $a0, $a0, %%ie64_hi12(v)
  ld.d $a0, $a0, 0
  ret
""" + TLS_TAIL


def tls_ie(name, rtype):
    body = IE_BODY % {"n": name, "pair": pc_pair("_main", "lo"), "wide": pc_wide("x", "xlo", "xl20", "xh12"),
                      "abs": abs_wide("a", "alo", "al20", "ah12")}
    return (HEAD + mc(name) + """\
# %s: initial exec through a GOT slot holding v's TP offset (reference.h
# "LoongArch"), the slot reached as the GOT forms reach theirs.
""" % rtype + rtdyld(name) + rtdyld(name, "-map-section %s.o,.text=0x200ff0" % name) + """\
# RUN: yaml2obj %%S/Inputs/reloc-outside.yaml -D TYPE=%s -D OFFSET=0x0 -o %%t/nottls.o
# RUN: not llvm-rtdyld -triple=%s -verify %%t/nottls.o 2>&1 | FileCheck %%s --check-prefix=NOTTLS
# NOTTLS: error: nottls.o:{{ ?}}(.text+0x0): relocation %s{{.*}}not thread-local
""" % (rtype, TRIPLE, rtype) + bad(rtype, symbol="tls") + body)


for n, rt in [("tls_ie_pc_hi20", "R_LARCH_TLS_IE_PC_HI20"), ("tls_ie_pc_lo12", "R_LARCH_TLS_IE_PC_LO12"),
              ("tls_ie64_pc_lo20", "R_LARCH_TLS_IE64_PC_LO20"), ("tls_ie64_pc_hi12", "R_LARCH_TLS_IE64_PC_HI12"),
              ("tls_ie_hi20", "R_LARCH_TLS_IE_HI20"), ("tls_ie_lo12", "R_LARCH_TLS_IE_LO12"),
              ("tls_ie64_lo20", "R_LARCH_TLS_IE64_LO20"), ("tls_ie64_hi12", "R_LARCH_TLS_IE64_HI12")]:
    T[n] = tls_ie(n, rt)

GD_BODY = """
  .text
  .globl _main
  .p2align 2
# pcalau12i $a0 -> lu12i.w $a0, %%le_hi20 (0x14000024: 0x1800 >> 12 = 1);
# addi.d $a0, $a0 -> ori $a0, $a0, 0x800 (0x03a00084); bl -> add.d $a0,
# $a0, $tp (0x00108884).
# rtdyld-check: *{4}_main = 0x14000024
# rtdyld-check: *{4}(_main + 4) = 0x03a00084
# rtdyld-check: *{4}(_main + 8) = 0x00108884
_main:
  pcalau12i $a0, %%%(op)s_pc_hi20(v)
  addi.d $a0, $a0, %%got_pc_lo12(v)
  bl %%plt(__tls_get_addr)
# The medium model's call36: add.d; nop, and a tail call: add.d; ret.
# rtdyld-check: *{4}(m + 8) = 0x00108884
# rtdyld-check: *{4}(m + 12) = 0x03400000
m:
  pcalau12i $a0, %%%(op)s_pc_hi20(v)
  addi.d $a0, $a0, %%got_pc_lo12(v)
  pcaddu18i $ra, %%call36(__tls_get_addr)
  jirl $ra, $ra, 0
# rtdyld-check: *{4}(t + 12) = 0x4c000020
t:
  pcalau12i $a0, %%%(op)s_pc_hi20(v)
  addi.d $a0, $a0, %%got_pc_lo12(v)
  pcaddu18i $t8, %%call36(__tls_get_addr)
  jirl $zero, $t8, 0
""" + TLS_TAIL


def tls_gd(name, rtype, op):
    return (HEAD + mc(name) + """\
# %s (general and local dynamic: LoongArch's local dynamic names the
# variable itself): no dynamic linker, so the sequence is rewritten to
# local exec (reference.h "LoongArch"), instruction by instruction.
""" % rtype + rtdyld(name) + """\
# Not on a pcalau12i (the nop at .text+0): no rewrite is defined.
# RUN: yaml2obj %%S/Inputs/reloc-outside.yaml -D TYPE=%s -D OFFSET=0x0 -D SYMBOL=tls -o %%t/insn.o
# RUN: not llvm-rtdyld -triple=%s -verify %%t/insn.o 2>&1 | FileCheck %%s --check-prefix=INSN
# INSN: error: insn.o:{{ ?}}(.text+0x0): relocation %s
# The extreme model's GD (GOT64_PC_LO20/HI12 of a thread-local symbol) has
# no rewrite: the object is refused, naming a relocation of the sequence.
# RUN: llvm-mc -triple=%s -filetype=obj -o %%t/x.o %%S/Inputs/gd-extreme.s
# RUN: not llvm-rtdyld -triple=%s -verify %%t/x.o 2>&1 | FileCheck %%s --check-prefix=EXTREME
# EXTREME: error: {{.*}}x.o:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_LARCH_GOT64_PC_
""" % (rtype, TRIPLE, rtype, TRIPLE, TRIPLE) + bad(rtype, symbol="tls") + GD_BODY % {"op": op})


T["tls_gd_pc_hi20"] = tls_gd("tls_gd_pc_hi20", "R_LARCH_TLS_GD_PC_HI20", "gd")
T["tls_ld_pc_hi20"] = tls_gd("tls_ld_pc_hi20", "R_LARCH_TLS_LD_PC_HI20", "ld")

DESC_BODY = """
  .text
  .globl _main
  .p2align 2
# pcalau12i -> nop; addi.d -> nop; ld.d -> lu12i.w $a0, 1 (0x14000024);
# jirl -> ori $a0, $a0, 0x800 (0x03a00084); the add.d with tp stays.
# rtdyld-check: *{4}_main = 0x03400000
# rtdyld-check: *{4}(_main + 4) = 0x03400000
# rtdyld-check: *{4}(_main + 8) = 0x14000024
# rtdyld-check: *{4}(_main + 12) = 0x03a00084
# rtdyld-check: *{4}(_main + 16) = 0x00108884
_main:
  pcalau12i $a0, %desc_pc_hi20(v)
  addi.d $a0, $a0, %desc_pc_lo12(v)
  ld.d $ra, $a0, %desc_ld(v)
  jirl $ra, $ra, %desc_call(v)
  add.d $a0, $a0, $tp
  ret
""" + TLS_TAIL


def tls_desc(name, rtype):
    return (HEAD + mc(name) + """\
# %s: TLS descriptors rewritten to local exec (reference.h "LoongArch"):
# a0 ends holding v's TP offset, as the descriptor call returns it.
""" % rtype + rtdyld(name) + """\
# On a nop, not the sequence's instruction: an error of that relocation.
# RUN: yaml2obj %%S/Inputs/reloc-outside.yaml -D TYPE=%s -D OFFSET=0x0 -D SYMBOL=tls -o %%t/insn.o
# RUN: not llvm-rtdyld -triple=%s -verify %%t/insn.o 2>&1 | FileCheck %%s --check-prefix=INSN
# INSN: error: insn.o:{{ ?}}(.text+0x0): relocation %s
""" % (rtype, TRIPLE, rtype) + bad(rtype, symbol="tls") + DESC_BODY)


for n, rt in [("tls_desc_pc_hi20", "R_LARCH_TLS_DESC_PC_HI20"), ("tls_desc_pc_lo12", "R_LARCH_TLS_DESC_PC_LO12"),
              ("tls_desc_ld", "R_LARCH_TLS_DESC_LD"), ("tls_desc_call", "R_LARCH_TLS_DESC_CALL")]:
    T[n] = tls_desc(n, rt)

T["tls_data"] = HEAD + mc("tls_data") + rtdyld("tls_data") + """\
# R_LARCH_TLS_DTPREL32/64 (v's offset in its module: with one static block
# at tp, its TP offset), TLS_TPREL32/64 (the TP offset), TLS_DTPMOD32/64
# (1: the one module) (reference.h "LoongArch").
""" + bad("R_LARCH_TLS_DTPREL64", symbol="tls") + """
  .data
  .p2align 3
# rtdyld-check: *{8}d64 = 0x1808
d64:
  .reloc ., R_LARCH_TLS_DTPREL64, v+8
  .quad 0
# rtdyld-check: *{4}d32 = 0x1800
d32:
  .reloc ., R_LARCH_TLS_DTPREL32, v
  .word 0
# rtdyld-check: *{4}t32 = 0x1800
t32:
  .reloc ., R_LARCH_TLS_TPREL32, v
  .word 0
  .p2align 3
# rtdyld-check: *{8}t64 = 0x1800
t64:
  .reloc ., R_LARCH_TLS_TPREL64, v
  .quad 0
# rtdyld-check: *{8}m64 = 1
m64:
  .reloc ., R_LARCH_TLS_DTPMOD64, v
  .quad 0
# rtdyld-check: *{4}m32 = 1
m32:
  .reloc ., R_LARCH_TLS_DTPMOD32, v
  .word 0
""" + TLS_TAIL

# ---- label arithmetic ----
def addsub(name, add, sub, width, directive):
    return (HEAD + mc(name, relax=True) + rtdyld(name, "-dummy-extern=f=0x10001000") + """\
# %s then %s at one field (label differences under -mattr=+relax): V + S1
# + A1 - S2 - A2, modulo the field (reference.h "LoongArch"). Nothing is
# relaxed, so the difference is the assembled one.
""" % (add, sub) + bad(add, offset="0x8") + bad(sub, offset="0x8", prefix="BAD2") + """
  .text
  .p2align 2
a:
  call36 f
  .space 8
b:
  nop
  .data
# rtdyld-check: *{%d}w = (b - a)
w:
  %s b - a
# rtdyld-check: *{%d}w2 = (b + 3 - a)
w2:
  %s b + 3 - a
""" % (width, directive, width, directive))


for w, d in [(1, ".byte"), (2, ".half"), (4, ".word"), (8, ".dword")]:
    T["add%d" % (w * 8)] = addsub("add%d" % (w * 8), "R_LARCH_ADD%d" % (w * 8), "R_LARCH_SUB%d" % (w * 8), w, d)
    T["sub%d" % (w * 8)] = addsub("sub%d" % (w * 8), "R_LARCH_ADD%d" % (w * 8), "R_LARCH_SUB%d" % (w * 8), w, d)


def reloc_pair(name, add, sub, width, mask):
    return (HEAD + mc(name) + rtdyld(name, "-map-section %s.o,.text=0x40000000" % name) + """\
# %s and %s through .reloc on one field, its assembled bits kept
# outside the field (ADD6/SUB6: the top 2 bits of the byte).
""" % (add, sub) + bad(add, offset="0x8") + bad(sub, offset="0x8", prefix="BAD2") + """
  .text
  .p2align 2
a:
  nop
  nop
b:
  nop
  .data
# rtdyld-check: *{%d}w = %s
w:
  .reloc ., %s, b
  .reloc ., %s, a
  .byte 0xc1, 0, 0, 0
""" % (width, mask, add, sub))


T["add6"] = reloc_pair("add6", "R_LARCH_ADD6", "R_LARCH_SUB6", 1, "0xc9")
T["sub6"] = reloc_pair("sub6", "R_LARCH_ADD6", "R_LARCH_SUB6", 1, "0xc9")
T["add24"] = reloc_pair("add24", "R_LARCH_ADD24", "R_LARCH_SUB24", 4, "0x0000c9")
T["sub24"] = reloc_pair("sub24", "R_LARCH_ADD24", "R_LARCH_SUB24", 4, "0x0000c9")

def uleb(n):
    return HEAD + mc(n, relax=True) + rtdyld(n, "-dummy-extern=f=0x10001000") + """\
# R_LARCH_ADD_ULEB128 then R_LARCH_SUB_ULEB128 at one ULEB128 (label
# differences under -mattr=+relax): V + S1 + A1 - S2 - A2 written in the
# length the assembler gave it, an overflow error when it does not fit
# (reference.h "LoongArch"); each must have its partner.
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/lone.o %S/Inputs/uleb-lone.s
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/lone.o 2>&1 | FileCheck %s --check-prefix=LONE
# LONE: error: lone.o:{{ ?}}(.data+0x0): relocation R_LARCH_ADD_ULEB128
""" + bad("R_LARCH_ADD_ULEB128", offset="0x8") + """
  .text
  .p2align 2
a:
  call36 f
  .space 120
b:
  nop
  .data
# 128 bytes: two ULEB128 bytes (0x80 0x01).
# rtdyld-check: *{2}w = 0x0180
w:
  .uleb128 b - a
# rtdyld-check: *{1}w1 = 0x7f
w1:
  .uleb128 b - a - 1
# The pair written out (so that it is there without -mattr=+relax too),
# on a two-byte ULEB128 holding 0.
# rtdyld-check: *{2}w2 = 0x0180
w2:
  .reloc ., R_LARCH_ADD_ULEB128, b
  .reloc ., R_LARCH_SUB_ULEB128, a
  .byte 0x80, 0x00
"""
T["add_uleb128"] = uleb("add_uleb128")
T["sub_uleb128"] = uleb("sub_uleb128")

# ---- markers ----
T["align"] = HEAD + mc("align", relax=True) + rtdyld("align", "-dummy-extern=f=0x10001000") + """\
# R_LARCH_ALIGN: kept, not relaxed (reference.h "LoongArch"): the NOPs the
# assembler put there stay and run as NOPs; every place keeps its offset.
""" + """
  .text
  .globl _main
  .p2align 2
_main:
  call36 f
  .p2align 4
# rtdyld-check: *{4}(b - 4) = 0x03400000
# rtdyld-check: decode_operand(b, 0) = _main - b
b:
  b _main
# The marker written out (there without -mattr=+relax too): 4 bytes of
# padding, a nop that stays.
# rtdyld-check: *{4}pad = 0x03400000
pad:
  .reloc ., R_LARCH_ALIGN, 4
  nop
"""

T["relax"] = HEAD + mc("relax", relax=True) + rtdyld("relax", "-map-section relax.o,.text=0x200ff0") + """\
# R_LARCH_RELAX beside la.pcrel's PCALA_HI20/LO12: kept, nothing relaxed
# (reference.h "LoongArch"); the pair still reaches var.
""" + """
  .text
  .globl _main
  .p2align 2
# rtdyld-check: %s = var
_main:
  .reloc ., R_LARCH_RELAX, 0
  la.pcrel $a0, var
  ret
  .data
  .zero 0x900
var:
  .quad 1
""" % pc_pair("_main", "_main + 4")

T["mark_la"] = HEAD + mc("mark_la") + rtdyld("mark_la", "-dummy-extern=x=0x12345678") + """\
# R_LARCH_MARK_LA and R_LARCH_MARK_PCREL: markers of the old stack-based
# scheme; nothing is written (reference.h "LoongArch"), though the symbol
# must still resolve.
""" + """
  .text
  .globl _main
  .p2align 2
# rtdyld-check: *{4}_main = 0x03400000
# rtdyld-check: *{4}(_main + 4) = 0x03400000
_main:
  .reloc ., R_LARCH_MARK_LA, x
  nop
  .reloc ., R_LARCH_MARK_PCREL, x
  nop
"""
T["mark_pcrel"] = T["mark_la"].replace("mark_la", "mark_pcrel")

YAML = """# One relocation of type [[TYPE]] whose field starts 6 bytes into an 8-byte
# .text (two nops), so every 4- or 8-byte field pokes out of its section
# (-D OFFSET=0x8 for the 1-byte and ULEB128 ones): a loader must reject it
# (naming the section, offset and type), never write past the section.
# -D SYMBOL=tls names the thread-local one; -D OFFSET=0x0 puts a rewrite
# on a nop.
--- !ELF
FileHeader:
  Class:   ELFCLASS64
  Data:    ELFDATA2LSB
  Type:    ET_REL
  Machine: EM_LOONGARCH
Sections:
  - Name:         .text
    Type:         SHT_PROGBITS
    Flags:        [ SHF_ALLOC, SHF_EXECINSTR ]
    AddressAlign: 4
    Content:      "0000400300004003"
  - Name:         .tdata
    Type:         SHT_PROGBITS
    Flags:        [ SHF_ALLOC, SHF_WRITE, SHF_TLS ]
    AddressAlign: 8
    Content:      "0000000000000000"
  - Name: .rela.text
    Type: SHT_RELA
    Info: .text
    Relocations:
      - Offset: [[OFFSET=0x6]]
        Symbol: [[SYMBOL=target]]
        Type:   [[TYPE]]
        Addend: [[ADDEND=0]]
Symbols:
  - Name:    target
    Type:    STT_FUNC
    Section: .text
    Binding: STB_GLOBAL
    Size:    8
  - Name:    tls
    Type:    STT_TLS
    Section: .tdata
    Binding: STB_GLOBAL
    Size:    8
"""
INPUTS = {
    "reloc-outside.yaml": YAML,
    "gd-extreme.s": """# General dynamic in the extreme code model (as clang-19 -mcmodel=extreme -fPIC writes it).
  .text
  pcalau12i $a0, %gd_pc_hi20(v)
  addi.d $t8, $zero, %got_pc_lo12(v)
  lu32i.d $t8, %got64_pc_lo20(v)
  lu52i.d $t8, $t8, %got64_pc_hi12(v)
  add.d $a0, $t8, $a0
  .section .tbss,"awT",@nobits
v:
  .zero 8
""",
    "uleb-lone.s": """# An ADD_ULEB128 without its SUB_ULEB128.
  .data
  .reloc ., R_LARCH_ADD_ULEB128, x
  .byte 0
""",
}

if __name__ == "__main__":
    os.makedirs(os.path.join(OUT, "Inputs"), exist_ok=True)
    for name, text in sorted(T.items()):
        with open(os.path.join(OUT, name + ".s"), "w") as f:
            f.write(text)
    for name, text in INPUTS.items():
        with open(os.path.join(OUT, "Inputs", name), "w") as f:
            f.write(text)
    print("wrote %d tests and %d inputs into %s" % (len(T), len(INPUTS), OUT))
