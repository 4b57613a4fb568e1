#!/bin/sh
# The three-way diff on LoongArch64 with LLVM 19's JITLink as the oracle
# (RuntimeDyld 19 has no LoongArch): clang-19 objects (Csmith programs from
# fixed seeds at -O0, -O2, -O2 -fPIC and -O1 -mcmodel=medium; C and C++
# programs with a GOT global, a switch table, exceptions). Passes when
# engine and reference agree on all, every LLVM difference is explained
# (`--fail-on-unexplained`), JITLink agrees outright on most, and calls
# through JITLink's stubs were seen and followed (the report decoder must
# follow JITLink's pcalau12i/ld.d/jirl stub, not only the loaders' own).
# Exit 77 (skip, shown) while jitload's loaders do not load LoongArch (the
# LoongArch loaders are another branch's), or csmith or its shim headers
# are missing.
# usage: jitlink-loongarch-test.sh JITLOAD CLANG SOURCE_DIR
set -u
jitload=$1 clang=$2 src=$3
skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
command -v csmith >/dev/null || skip "csmith not installed"
shim=${JITLOAD_CSMITH_SHIM:-$src/../shared/csmith-shim}
[ -f "$shim/custom_stdint_x86.h" ] || skip "the csmith shim headers (../shared/csmith-shim or JITLOAD_CSMITH_SHIM) are missing"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
t=--target=loongarch64-linux-gnu
printf 'int f(int x) { return x + 1; }\n' > probe.c
"$clang" $t -c probe.c -o probe.o || fail "cannot compile for loongarch64"
probe=$("$jitload" diff --oracle none --json probe.o | head -1)
case "$probe" in
  *'"engine": "loaded'*'"reference": "loaded'*) ;;
  *) skip "jitload's loaders do not load LoongArch on this build: $probe" ;;
esac

cat > got.c <<'EOF'
extern int g; extern int ext(int); int common_var; __attribute__((weak)) int wv = 4;
static int sv[4]; int h(int);
int f(int x) { sv[x & 3] = x; common_var += x; return ext(x) + g + wv + h(x) + sv[1]; }
__attribute__((weak)) int h(int x) { return x * 3; }
int sw(int x) { switch (x) { case 0: return 4; case 1: return 9; case 2: return 16; case 3: return 1; case 4: return 77; default: return 0; } }
EOF
cat > cxx.cc <<'EOF'
struct A { int v; A(int x) : v(x) {} virtual ~A() {} virtual int get() { return v; } };
int thrower(int x) { if (x > 3) throw x; return x; }
A* make(int x);
int f(int x) { try { A a(x); A* p = make(x); int r = thrower(a.get() + p->get()); delete p; return r; } catch (int e) { return -e; } }
static A global_a(5);
int g() { return global_a.get(); }
EOF
n=0
for seed in 1 2; do
  csmith --seed $seed -o c$seed.c >/dev/null 2>&1 || fail "csmith --seed $seed"
  k=0
  for flags in "-O0" "-O2" "-O2 -fPIC" "-O1 -mcmodel=medium"; do
    k=$((k + 1))
    "$clang" $t $flags -w -ffreestanding -DCSMITH_MINIMAL -I"$shim" -I/usr/include/csmith -c c$seed.c -o csmith$seed-$k.o ||
      fail "cannot compile Csmith seed $seed ($flags)"
    n=$((n + 1))
  done
done
for flags in "-O2" "-O0 -fPIC"; do
  k=$(echo "$flags" | tr -d ' -')
  "$clang" $t $flags -c got.c -o got-$k.o && "$clang" $t $flags -ffreestanding -c cxx.cc -o cxx-$k.o ||
    fail "cannot compile got.c/cxx.cc"
  n=$((n + 2))
done

out=$("$jitload" diff --fail-on-unexplained ./*.o 2>&1); rc=$?
n=$((n + 1))  # probe.o
printf '%s\n' "$out" | tail -1
[ $rc -eq 0 ] || { printf '%s\n' "$out" | grep -v "^  classified" | tail -40; fail "jitload diff --fail-on-unexplained: status $rc"; }
case "$(printf '%s\n' "$out" | tail -1)" in
  "$n objects: "*", 0 disagree, "*", 0 oracle-crashed; "*" 0 unexplained") ;;
  *) fail "unexpected summary for $n objects" ;;
esac
agreed=$(printf '%s\n' "$out" | grep -c "llvm (JITLink) agrees)")
echo "JITLink agrees outright on $agreed of $n objects"
[ "$agreed" -ge $((n / 2)) ] || fail "JITLink agreed on only $agreed of $n"
stubs=$(printf '%s\n' "$out" | grep -c "classified (llvm (JITLink)): stub placement: ")
echo "classified 'stub placement': $stubs objects"
[ "$stubs" -gt 0 ] || fail "no call followed through JITLink's stub"
echo ok
