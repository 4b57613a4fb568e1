#!/usr/bin/env bash
# Mach-O __compact_unwind through the user's door: clang-19 -c objects (C
# and C++ with a try/catch: personality and LSDA) for x86_64-apple-macosx11.0,
# arm64-apple-macosx, i386-apple-macosx10.15 and armv7k-apple-watchos (the
# 32-bit ARM target with compact unwind) at -O0 and -O2. For each: `jitload load --report
# json` records one entry per entry `llvm-objdump-19 --unwind-info` lists,
# with the same function offset, length, encoding, personality name and LSDA
# (at its section's loaded address); `jitload diff --oracle none` finds the
# engine and the reference in agreement (entries included). Then copies
# with a bad size, a length past the section, a function outside it, a
# function field without its relocation are refused by both loaders.
# (x86_64-apple-macosx without a version gets no compact unwind from
# clang-19: its default deployment target predates it; hence 11.0.)
# Exit 77 (ctest's skip) when a tool is missing.
# usage: compact-unwind.sh JITLOAD CLANG
set -u
jitload=$1 clang=$2
skip() { echo "skipped: $*"; exit 77; }
objdump=$(command -v llvm-objdump-19) || skip "llvm-objdump-19 not installed"
command -v python3 >/dev/null || skip "python3 not installed"
clangxx=${clang/clang-19/clang++-19}
command -v "$clangxx" >/dev/null || clangxx=$clang
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > a.c <<'C'
int g(int);
int f(int x) { return g(x) + 1; }
static int h(int x) { volatile int a[8]; a[x & 7] = x; return a[(x + 1) & 7] * 3; }
int k(int x) { return h(x) + f(x); }
int leaf(int x) { return x + 5; }
C
cat > b.cc <<'C'
void may_throw(int);
int catcher(int x) { try { may_throw(x); } catch (...) { return -1; } return x; }
struct S { ~S(); };
int cleanup(int x) { S s; may_throw(x); return x; }
int plain(int x) { return x + 2; }
C
fail=0 checked=0
for target in x86_64-apple-macosx11.0 arm64-apple-macosx i386-apple-macosx10.15 armv7k-apple-watchos; do
  for opt in -O0 -O2; do
    for src in a.c b.cc; do
      obj=${target%%-*}${opt}-${src%%.*}.o
      cc=$clang; [ "$src" = b.cc ] && cc=$clangxx
      "$cc" --target=$target $opt -c $src -o $obj || { echo "FAIL: $cc $target $opt $src"; fail=1; continue; }
      "$objdump" --unwind-info $obj > $obj.unwind
      "$objdump" --macho -h $obj > $obj.sections
      if ! "$jitload" load $obj --extern-default 0x7000000 --report json > $obj.json 2> $obj.err; then
        echo "FAIL: jitload load $obj:"; cat $obj.err; fail=1; continue
      fi
      if ! python3 - $obj <<'PY'
import json, re, sys
obj = sys.argv[1]
want = []
for line in open(obj + ".unwind"):
    m = re.match(r"\s+Entry at offset", line)
    if m: want.append({}); continue
    m = re.match(r"\s+(start|length|compact encoding|personality function|LSDA):\s+(0x[0-9a-f]+)\s*(\S*)", line)
    if m and want: want[-1][m.group(1)] = (int(m.group(2), 16), m.group(3))
if not want: sys.exit(f"{obj}: llvm-objdump lists no __compact_unwind entry")
vma = {}
for line in open(obj + ".sections"):
    f = line.split()
    if len(f) >= 4 and f[0].isdigit(): vma[f[1]] = (int(f[3], 16), int(f[2], 16))
report = json.load(open(obj + ".json"))
target = {s["name"]: s["target"] for s in report["sections"]}
got = report["compact_unwind"]
if len(got) != len(want): sys.exit(f"{obj}: jitload recorded {len(got)} entries, llvm-objdump lists {len(want)}")
def section_of(a):
    for n, (v, size) in vma.items():
        if v <= a < v + size: return n
for i, (w, g) in enumerate(zip(want, got)):
    start = w["start"][0]
    sec = section_of(start)
    exp = {"section": sec, "offset": start - vma[sec][0], "start": target[sec] + start - vma[sec][0],
           "length": w["length"][0], "encoding": w["compact encoding"][0],
           "personality_symbol": w.get("personality function", (0, ""))[1]}
    for key, v in exp.items():
        if g[key] != v: sys.exit(f"{obj}: entry {i}: {key} is {g[key]!r}, llvm-objdump says {v!r}")
    if "LSDA" in w:
        a = w["LSDA"][0]; ls = section_of(a)
        if g["lsda"] != target[ls] + a - vma[ls][0]: sys.exit(f"{obj}: entry {i}: lsda 0x{g['lsda']:x}, want {ls}+0x{a - vma[ls][0]:x}")
    elif g["lsda"] != 0: sys.exit(f"{obj}: entry {i}: lsda 0x{g['lsda']:x}, llvm-objdump lists none")
print(f"{obj}: {len(got)} entries match llvm-objdump" + (" (with personality/LSDA)" if any("LSDA" in w for w in want) else ""))
PY
      then fail=1; continue; fi
      out=$("$jitload" diff --oracle none $obj --extern-default 0x7000000 2>&1)
      if ! echo "$out" | grep -q "1 agree"; then echo "FAIL: jitload diff --oracle none $obj:"; echo "$out"; fail=1; continue; fi
      checked=$((checked + 1))
    done
  done
done
# Malformed copies, refused by both loaders (`jitload diff --oracle none`:
# rejected by all, as malformed) with the engine's message naming the
# problem (`jitload load`).
cat > mutate.py <<'PY'
import struct, sys
src, dst, op = sys.argv[1:4]
b = bytearray(open(src, "rb").read())
is32 = struct.unpack_from("<I", b, 0)[0] == 0xfeedface
word, seg, chead, shead = (4, 0x1, 56, 68) if is32 else (8, 0x19, 72, 80)
ncmds = struct.unpack_from("<I", b, 16)[0]
at = 28 if is32 else 32
for _ in range(ncmds):
    cmd, size = struct.unpack_from("<II", b, at)
    if cmd == seg:
        for k in range(struct.unpack_from("<I", b, at + chead - 8)[0]):
            h = at + chead + shead * k
            if b[h:h + 16].rstrip(b"\0") != b"__compact_unwind": continue
            tail = h + 32 + 2 * word  # offset, align, reloff, nreloc
            size_at, w = (h + 32 + word, "<I" if is32 else "<Q")
            off, reloff, nreloc = struct.unpack_from("<I", b, tail)[0], struct.unpack_from("<I", b, tail + 8)[0], struct.unpack_from("<I", b, tail + 12)[0]
            if op == "size": struct.pack_into(w, b, size_at, struct.unpack_from(w, b, size_at)[0] - word)
            if op == "length": struct.pack_into("<I", b, off + word, 0x10000)
            if op == "outside": struct.pack_into(w, b, off, 0x90000)
            if op == "norel":  # drop the relocation of entry 0's function field
                for j in range(nreloc):
                    if struct.unpack_from("<I", b, reloff + 8 * j)[0] == 0:
                        b[reloff + 8 * j:reloff + 8 * nreloc - 8] = b[reloff + 8 * j + 8:reloff + 8 * nreloc]
                        struct.pack_into("<I", b, tail + 12, nreloc - 1)
                        break
    at += size
open(dst, "wb").write(b)
PY
bad() {  # bad SOURCE OP MESSAGE
  python3 mutate.py "$1" bad.o "$2" || { echo "FAIL: mutate $1 $2"; fail=1; return; }
  if "$jitload" load bad.o --extern-default 0x7000000 > /dev/null 2> bad.err || ! grep -q "$3" bad.err; then
    echo "FAIL: jitload load of $1 ($2) should say '$3':"; cat bad.err; fail=1
  fi
  local out
  out=$("$jitload" diff --oracle none bad.o --extern-default 0x7000000 2>&1)
  if ! echo "$out" | grep -q "rejected-by-all (engine: malformed, reference: malformed)"; then
    echo "FAIL: jitload diff --oracle none of $1 ($2):"; echo "$out"; fail=1
  fi
  bads=$((bads + 1))
}
bads=0
bad x86_64-O2-a.o size "__compact_unwind.*not a whole number of 32-byte entries"
bad x86_64-O2-a.o length "entry 0 at file offset 0x[0-9a-f]*: the function \[0x0, 0x10000) runs past the end of section __text"
bad x86_64-O2-a.o outside "entry 0 at file offset 0x[0-9a-f]*: its function address 0x90000 lies outside section __text"
bad x86_64-O2-a.o norel "entry 0 at file offset 0x[0-9a-f]*: its function field (0x0) has no relocation"
bad arm64-O0-b.o norel "entry 0 at file offset 0x[0-9a-f]*: its function field (0x0) has no relocation"
bad i386-O2-a.o size "__compact_unwind.*not a whole number of 20-byte entries"
bad i386-O2-a.o length "entry 0 at file offset 0x[0-9a-f]*: the function \[0x0, 0x10000) runs past the end of section __text"
bad armv7k-O2-a.o outside "its function address 0x90000 lies outside section __text"
echo "$checked objects checked, $bads malformed copies refused"
[ $fail = 0 ] && [ $checked = 16 ] && [ $bads = 8 ]
