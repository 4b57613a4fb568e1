#!/usr/bin/env bash
# `.long x@GOTPCREL` on Mach-O x86-64: X86_64_RELOC_GOT (pc-relative, 32
# bits) on a data word. Who is right about its value? The rule the three
# loaders apply is G + A - (P + 4), A the word's content (0 for
# `.long x@GOTPCREL`; 4 for `x@GOTPCREL+4`, the personality pointer form,
# so that a reader measuring from the word's start reaches the slot). This
# test takes the native link as the truth and checks:
#   1. ld64.lld-19 (LLVM's ld64-compatible Mach-O linker) links the words
#      so: each word + P + 4 - A is the GOT slot, which holds &_ext — and
#      not by the other reading (G + A - P), so the check can fail;
#   2. jitload diff: engine, reference and LLVM 19 agree three-way (each
#      word reaches a slot holding _ext, each its own slot);
#   3. llvm-rtdyld-19 -verify writes 4 into `word` (the "0x4" seen with
#      conformance/tests/macho/x86_64/got.s): its slot is its own, right
#      after __data (RuntimeDyldMachO appends GOT entries to the section
#      that refers to them), so 4 = G - (P + 4) is right; got.s's check
#      names jitload's slot (in __text's GOT area), which LLVM does not use.
# usage: macho-gotpcrel-test.sh JITLOAD CLANG
set -u
jitload=$1 clang=$2
skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
for t in ld64.lld-19 llvm-objdump-19 llvm-nm-19 llvm-rtdyld-19; do command -v $t >/dev/null || skip "$t not installed"; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > words.s <<'ASM'
  .data
  .globl word
word:
  .long _ext@GOTPCREL
personality:
  .long _ext@GOTPCREL+4
  .text
  .globl _main
_main:
  addq _ext@GOTPCREL(%rip), %rax
  retq
# rtdyld-check: *{4}word = 4
# rtdyld-check: *{8}(word + 8) = _ext
# rtdyld-check: *{4}personality = 4
ASM
printf '  .globl _ext\n  .data\n_ext: .quad 0x1122334455667788\n' > def.s
for f in words def; do "$clang" --target=x86_64-apple-macosx10.15 -c $f.s -o $f.o || fail "cannot assemble $f.s"; done

# 1. The native link.
ld64.lld-19 -arch x86_64 -platform_version macos 10.15 10.15 -e _main -o linked words.o def.o || fail "ld64.lld-19 cannot link"
python3 - linked <<'PY' || exit 1
import subprocess, sys, re
exe = sys.argv[1]
syms = {}
for line in subprocess.run(["llvm-nm-19", exe], capture_output=True, text=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 3: syms[parts[2]] = int(parts[0], 16)
mem = {}
dump = subprocess.run(["llvm-objdump-19", "-s", exe], capture_output=True, text=True).stdout
for line in dump.splitlines():
    m = re.match(r"^ ([0-9a-f]{8,16}) ((?:[0-9a-f]{2,8} ){1,4})", line + " ")
    if not m: continue
    at = int(m.group(1), 16)
    for b in bytes.fromhex("".join(m.group(2).split())):
        mem[at] = b; at += 1
def rd(a, n):
    v = 0
    for i in range(n): v |= mem[a + i] << (8 * i)
    return v
def sext32(v): return v - (1 << 32) if v & 0x80000000 else v
ext = syms["_ext"]
for name, A in (("word", 0), ("personality", 4)):
    P = syms[name]
    V = sext32(rd(P, 4))
    slot = P + 4 + V - A           # G + A - (P + 4) = V
    if rd(slot, 8) != ext:
        sys.exit(f"FAIL: ld64.lld: {name}: P + 4 + V - A = {slot:#x} does not hold _ext ({ext:#x})")
    other = P + V - A              # the other reading, G + A - P
    if other in mem and other + 7 in mem and rd(other, 8) == ext:
        sys.exit(f"FAIL: ld64.lld: {name}: the other reading reaches _ext too: the check cannot tell them apart")
print("ok: ld64.lld-19 links `.long _ext@GOTPCREL` (+0, +4) as G + A - (P + 4)")
PY

# 2. Three-way.
out=$("$jitload" diff --fail-on-unexplained --extern ext=0x7f0000001000 words.o 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'words.o: agree (loaded; 3 relocations; llvm agrees)' ||
  { echo "$out"; fail "jitload diff: engine, reference and LLVM do not agree on the GOTPCREL words (status $rc)"; }
echo "ok: jitload diff: engine, reference and LLVM 19 agree (each word reaches a slot holding _ext)"

# 3. LLVM's own slot, right after __data, with the same rule.
out=$(llvm-rtdyld-19 -triple=x86_64-apple-macosx10.15 -verify -dummy-extern _ext=0x7f0000001000 -check=words.s words.o 2>&1) ||
  { echo "$out"; fail "llvm-rtdyld-19: LLVM's GOTPCREL words are not G + A - (P + 4) with its slot after __data"; }
echo "ok: llvm-rtdyld-19 writes 4 = G + A - (P + 4) with G its own slot after __data"
