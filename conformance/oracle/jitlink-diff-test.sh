#!/bin/sh
# The three-way diff on RISC-V through the user's door: `jitload diff` with
# LLVM 19's JITLink as the oracle (RuntimeDyld 19 cannot load RISC-V), on a
# bounded fixed set of clang-19 objects for riscv64 and riscv32:
#   - Csmith programs from fixed seeds at -O0, -O2, -O2 -fPIC, -O1 -mno-relax, -Os;
#   - small C and C++ programs: a GOT global, a common and a weak symbol,
#     an external call; a switch table; C++ with exceptions and a vtable;
#     thread-locals (JITLink 19 has no RISC-V TLS: "unsupported");
#   - the conformance files conformance/tests/elf/riscv{64,32}/*.s, which
#     include the ALIGN and RELAX cases that JITLink relaxes.
# Passes when engine and reference agree on every object, LLVM's
# disagreements are all explained (`--fail-on-unexplained`: relaxation,
# stub/GOT placement, a relocation type JITLink 19 lacks), and each class
# was actually seen. Then it shows it can fail: sub6.s, where LLVM 19's
# JITLink gets R_RISCV_SUB6's addend sign wrong (corpora/llvm-defects),
# must make `--fail-on-unexplained` exit 1 naming the field.
# Exit 77 (skip, shown) when csmith or its shim headers are missing.
# usage: jitlink-diff-test.sh JITLOAD CLANG SOURCE_DIR
set -u
jitload=$1 clang=$2 src=$3
skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
command -v csmith >/dev/null || skip "csmith not installed"
mc=${LLVM_MC:-llvm-mc-19}  # the conformance files are assembled as their lit RUN lines do
command -v "$mc" >/dev/null || skip "$mc not found (set LLVM_MC)"
shim=${JITLOAD_CSMITH_SHIM:-$src/../shared/csmith-shim}
[ -f "$shim/custom_stdint_x86.h" ] || skip "the csmith shim headers (../shared/csmith-shim or JITLOAD_CSMITH_SHIM) are missing"
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work" || exit 1
mkdir objs

cat > got.c <<'EOF'
extern int g; extern int ext(int); int common_var; __attribute__((weak)) int wv = 4;
static int sv[4]; int h(int);
int f(int x) { sv[x & 3] = x; common_var += x; return ext(x) + g + wv + h(x) + sv[1]; }
__attribute__((weak)) int h(int x) { return x * 3; }
EOF
cat > sw.c <<'EOF'
int sw(int x) { switch (x) { case 0: return 4; case 1: return 9; case 2: return 16; case 3: return 1; case 4: return 77; case 5: return 3; default: return 0; } }
EOF
cat > tls.c <<'EOF'
__thread int t; static __thread int u = 3;
int f(int x) { t += x; u++; return t + u; }
EOF
cat > cxx.cc <<'EOF'
struct A { int v; A(int x) : v(x) {} virtual ~A() {} virtual int get() { return v; } };
struct B : A { B(int x) : A(x) {} int get() override { return v * 2; } };
int thrower(int x) { if (x > 3) throw x; return x; }
A* make(int x);
int f(int x) { try { B a(x); A* p = make(x); int r = thrower(a.get() + p->get()); delete p; return r; } catch (int e) { return -e; } }
static A global_a(5);
int g() { return global_a.get(); }
EOF
for seed in 1 2; do csmith --seed $seed -o c$seed.c >/dev/null 2>&1 || fail "csmith --seed $seed"; done

n=0
for xlen in riscv64 riscv32; do
  t=--target=$xlen-linux-gnu
  for seed in 1 2; do
    k=0
    for flags in "-O0" "-O2" "-O2 -fPIC" "-O1 -mno-relax" "-Os"; do
      k=$((k + 1))
      "$clang" $t $flags -w -ffreestanding -DCSMITH_MINIMAL -I"$shim" -I/usr/include/csmith -c c$seed.c \
        -o objs/csmith$seed-$xlen-$k.o || fail "cannot compile Csmith seed $seed for $xlen ($flags)"
      n=$((n + 1))
    done
  done
  k=0
  for flags in "-O2" "-O2 -fPIC" "-O0 -mno-relax"; do
    k=$((k + 1))
    for p in got.c sw.c tls.c; do
      "$clang" $t $flags -c $p -o objs/${p%.c}-$xlen-$k.o || fail "cannot compile $p for $xlen"
      n=$((n + 1))
    done
    "$clang" $t $flags -ffreestanding -c cxx.cc -o objs/cxx-$xlen-$k.o || fail "cannot compile cxx.cc for $xlen"
    n=$((n + 1))
  done
  for f in "$src"/conformance/tests/elf/$xlen/*.s; do
    b=$(basename "$f" .s)
    [ "$b" = sub6 ] && continue  # the known LLVM defect: checked below
    mattr=$(grep -m1 -o -- '-mattr=[^ ]*' "$f")
    "$mc" -triple=$xlen-linux-gnu $mattr -filetype=obj -o objs/conf-$xlen-$b.o "$f" || fail "cannot assemble $f"
    n=$((n + 1))
  done
done

out=$("$jitload" diff --fail-on-unexplained objs/*.o 2>&1); rc=$?
printf '%s\n' "$out" | tail -1
[ $rc -eq 0 ] || { printf '%s\n' "$out" | grep -v "^  classified" | tail -40; fail "jitload diff --fail-on-unexplained: status $rc"; }
summary=$(printf '%s\n' "$out" | tail -1)
case "$summary" in
  "$n objects: "*", 0 disagree, "*", 0 oracle-crashed; "*" 0 unexplained") ;;
  *) fail "unexpected summary for $n objects: $summary" ;;
esac
# JITLink answered (never "llvm unavailable"), and agreed outright on most.
printf '%s\n' "$out" | grep -q "llvm unavailable" && fail "the oracle was unavailable for some object"
agreed=$(printf '%s\n' "$out" | grep -c "llvm (JITLink) agrees)")
echo "JITLink agrees outright on $agreed of $n objects"
[ "$agreed" -ge $((n / 2)) ] || fail "JITLink agreed on only $agreed of $n"
# Every class was seen at least once (a class never seen proves nothing).
for class in "relaxation: " "stub placement: " "GOT placement: " "unsupported: "; do
  c=$(printf '%s\n' "$out" | grep -c "classified (llvm (JITLink)): $class")
  echo "classified '$class': $c objects"
  [ "$c" -gt 0 ] || fail "no object classified as '$class'"
done
# JITLink's relaxed links, read back against their own edges, are consistent.
printf '%s\n' "$out" | grep -q "relaxed-link-error" && fail "a relaxed link is inconsistent"
fields=$(printf '%s\n' "$out" | grep -o "the relaxed link read back: [0-9]* of [0-9]*" | awk '{s += $6} END {print s + 0}')
echo "relaxed links read back: $fields fields reach their targets"
[ "$fields" -gt 1000 ] || fail "too few relaxed fields checked ($fields)"
# ... and the read-back can fail: a relaxed field corrupted on purpose
# (JITLOAD_ORACLE_PLANT) must be an unexplained disagreement.
planted=objs/got-riscv64-1.o  # -O2: one call relaxed to jal
out2=$(JITLOAD_ORACLE_PLANT=relaxed-field "$jitload" diff --fail-on-unexplained "$planted" 2>&1); rc=$?
if [ $rc -ne 1 ] || ! printf '%s\n' "$out2" | grep -q "relaxed-link-error: .* 1 of [0-9]* fields .*R_RISCV_JAL reaches"; then
  printf '%s\n' "$out2"
  fail "a corrupted relaxed field was not reported (status $rc)"
fi
echo "a corrupted relaxed field is reported as unexplained (status 1), as it must be"
# The ALIGN conformance file: JITLink's relaxation trims both paddings.
printf '%s\n' "$out" | grep -A3 "conf-riscv64-align.o: agree" | grep -q "relaxation: .*2 R_RISCV_ALIGN padding(s)" ||
  fail "align.s: JITLink's ALIGN relaxation not reported"

# It can fail: LLVM 19's SUB6 (corpora/llvm-defects/riscv-jitlink-sub6-addend.s).
for xlen in riscv64 riscv32; do
  "$mc" -triple=$xlen-linux-gnu -filetype=obj -o sub6-$xlen.o "$src/conformance/tests/elf/$xlen/sub6.s" || fail "cannot assemble sub6.s"
  out=$("$jitload" diff --fail-on-unexplained sub6-$xlen.o 2>&1); rc=$?
  [ $rc -eq 1 ] || { printf '%s\n' "$out"; fail "sub6.s ($xlen): --fail-on-unexplained gave status $rc, not 1"; }
  printf '%s\n' "$out" | grep -q "R_RISCV_SUB6 'far'0x3: reference 0xc1 -> bits 0x1; llvm 0xc7 -> bits 0x7" ||
    { printf '%s\n' "$out"; fail "sub6.s ($xlen): the SUB6 difference is not the one catalogued"; }
  printf '%s\n' "$out" | grep -q "1 unexplained" || fail "sub6.s ($xlen): not counted as unexplained"
done
echo "sub6.s: LLVM 19 JITLink's SUB6 reported as an unexplained disagreement (status 1), as it must be"

# Sets (`jitload diff --link`): JITLink under ORC, one symbol table. A weak
# definition beaten by a strong one in another member (three orders), a
# common, calls and a GOT reference across members, C++ with a static
# constructor; the bindings are compared first.
cat > wa.c <<'EOF'
__attribute__((weak)) int wv = 1; int cm; extern int bfun(int); extern int ext(int);
int afun(int x) { return wv + cm + bfun(x) + ext(x); }
EOF
cat > wb.c <<'EOF'
int wv = 2; extern int cm; static int loc(int x) { return x + 1; }
int bfun(int x) { cm += x; return loc(x) + wv; }
EOF
cat > wc.c <<'EOF'
extern int afun(int); __attribute__((weak)) int wv = 3;
int g = 7; int ext(int x) { return x * 2; }
int main(void) { extern int f(int); return afun(3) + f(1); }
EOF
sets=0
for xlen in riscv64 riscv32; do
  t=--target=$xlen-linux-gnu
  { "$clang" $t -O2 -fcommon -c wa.c -o wa-$xlen.o && "$clang" $t -O2 -c wb.c -o wb-$xlen.o &&
    "$clang" $t -O2 -c wc.c -o wc-$xlen.o; } || fail "cannot compile the set members for $xlen"
  for set in "wa wb wc" "wc wb wa" "wb wa wc"; do
    members=""
    for m in $set; do members="$members $m-$xlen.o"; done
    out=$("$jitload" diff --link --fail-on-unexplained $members objs/got-$xlen-2.o objs/cxx-$xlen-1.o 2>&1); rc=$?
    printf '%s\n' "$out" | head -1
    [ $rc -eq 0 ] || { printf '%s\n' "$out"; fail "set $set ($xlen): status $rc"; }
    printf '%s\n' "$out" | head -1 | grep -q ": agree (loaded; .*llvm (JITLink) agrees)" ||
      { printf '%s\n' "$out"; fail "set $set ($xlen): JITLink does not agree outright"; }
    sets=$((sets + 1))
  done
done
echo "$sets sets: engine, reference and JITLink (under ORC) agree"
# A common symbol in two members: ORC 19 refuses it ("Unexpected
# definitions"; corpora/llvm-defects/orc-common-twice-*.s), the loaders
# merge the commons: an unexplained disagreement, status 1.
printf 'int big[10]; extern int get(void);\nint main(void) { return big[3] + get(); }\n' > cm1.c
printf 'int big[2];\nint get(void) { return big[1]; }\n' > cm2.c
{ "$clang" --target=riscv64-linux-gnu -O1 -fcommon -c cm1.c -o cm1.o &&
  "$clang" --target=riscv64-linux-gnu -O1 -fcommon -c cm2.c -o cm2.o; } || fail "cannot compile cm1.c/cm2.c"
out=$("$jitload" diff --link --fail-on-unexplained cm1.o cm2.o 2>&1); rc=$?
if [ $rc -ne 1 ] || ! printf '%s\n' "$out" | grep -q "Unexpected definitions in module .*: \[ big \]"; then
  printf '%s\n' "$out"
  fail "two commons of one name: expected ORC's refusal as an unexplained disagreement (status $rc)"
fi
echo "two commons: ORC's refusal reported as an unexplained disagreement (status 1), as it must be"
echo ok
