#!/bin/sh
# Every relocation type clang-19 emits for an architecture is exercised by
# the conformance files: C and C++ sources (calls in and out, data and
# function pointers, switch tables, thread-locals in every TLS model,
# exceptions, debug information) and, when the shim headers are there,
# Csmith programs, compiled at each flag set the issue names; the types
# llvm-readelf-19 finds in them must each have a conformance count above 0
# in `jitload coverage --tsv`.
# usage: clang-types.sh JITLOAD CLANG TRIPLE [SHIM]
set -u
jitload=$1
clang=$2
triple=$3
shim=${4:-}
readelf=llvm-readelf-19
command -v $readelf >/dev/null || { echo "clang-types: $readelf missing"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
# Mach-O: thread-local variables need macOS 10.7 or later (the bare
# triple's default is older); llvm-readelf prints Mach-O types by name too.
ctarget=$triple
case $triple in *-apple-macosx) ctarget=${triple}10.15 ;; esac

# Freestanding sources (no headers): RV32 and LoongArch64 have no C
# library here.
cat > a.c <<'C'
int printf(const char *, ...);
long strtol(const char *, char **, int);
extern int ext_var;
extern int ext_fn(int);
static int local_tab[16] = {1, 2, 3};
int global_tab[8];
int *ptrs[] = {&ext_var, global_tab, local_tab};
int (*fptr)(int) = ext_fn;
__thread int tls_default = 5;
static __thread int tls_local = 6;
__attribute__((tls_model("initial-exec"))) __thread int tls_ie = 7;
__attribute__((tls_model("local-exec"))) __thread int tls_le = 8;
extern __thread int tls_ext;
int pick(int x) {
  switch (x) {
    case 0: return 11; case 1: return 22; case 2: return 33; case 3: return 44;
    case 4: return 55; case 5: return 66; case 6: return 77; default: return 0;
  }
}
int use(int x) {
  tls_local += x;
  return ext_fn(x) + ext_var + local_tab[x & 15] + global_tab[x & 7] + tls_default + tls_local + tls_ie + tls_le +
         tls_ext + pick(x) + (int)(long)&ptrs[x & 1];
}
int main(int argc, char **argv) { printf("%d\n", use(argc)); return (int)strtol(argv[0], 0, 10); }
C
cat > b.cc <<'C'
extern int ext_fn(int);
struct Name { int n; Name() : n(ext_fn(0)) {} ~Name() { ext_fn(n); } };
thread_local Name tl_name;
extern thread_local Name tl_other;
struct G { G() { ext_fn(1); } ~G() { ext_fn(2); } } g;
int thrower(int x) { if (x) throw x; return 1; }
int catcher(int x) {
  try { return thrower(x) + tl_name.n + tl_other.n; } catch (int e) { return ext_fn(e); }
}
C

flags_for() {
  case $triple in
    riscv64*|riscv32*)
      echo "-O0|-O1|-O2 -fPIC|-O3|-O2 -mno-relax|-Os -mcmodel=medany|-O1 -mcmodel=medany -fPIC -mno-relax|-O2 -mcmodel=medlow -fno-pic|-O1 -g|-O2 -fPIC -mtls-dialect=desc" ;;
    loongarch64*)
      echo "-O0|-O1|-O2 -fPIC|-O3|-O2 -mcmodel=medium|-O2 -mcmodel=extreme|-O2 -mcmodel=extreme -fPIC|-O1 -g|-O2 -fno-pic|-O2 -Xclang -target-feature -Xclang +relax|-O2 -fPIC -mtls-dialect=desc" ;;
    *-apple-macosx*) echo "-O0|-O1|-O2|-O3|-Os|-O2 -fno-asynchronous-unwind-tables|-O1 -g" ;;
    *) echo "-O0|-O2|-O2 -fPIC" ;;
  esac
}
n=0
IFS='|'
for f in $(flags_for); do
  IFS=' '
  n=$((n + 1))
  # shellcheck disable=SC2086
  $clang --target=$ctarget -ffreestanding $f -c a.c -o a$n.o || echo "clang-types: a.c does not compile at $f"
  ${clang%-19}++-19 --target=$ctarget -ffreestanding $f -c b.cc -o b$n.o || echo "clang-types: b.cc does not compile at $f"
  if [ -n "$shim" ] && [ -f "$shim/custom_stdint_x86.h" ] && command -v csmith >/dev/null; then
    for seed in 1 2; do
      [ -f cs$seed.c ] || csmith --seed $seed --no-packed-struct -o cs$seed.c >/dev/null 2>&1
      $clang --target=$ctarget -ffreestanding -DCSMITH_MINIMAL -I"$shim" -I/usr/include/csmith -w $f -c cs$seed.c -o cs$seed-$n.o ||
        echo "clang-types: csmith seed $seed does not compile at $f"
    done
  fi
  IFS='|'
done
IFS=' '
ls ./*.o >/dev/null 2>&1 || { echo "clang-types: clang-19 built nothing for $triple"; exit 1; }
objects=$(ls ./*.o | wc -l)
$readelf -r ./*.o 2>/dev/null |
  awk '{for (i = 1; i <= NF; i++) if ($i ~ /^R_[A-Z0-9]+_[A-Z0-9_]+$/ || $i ~ /^[A-Z0-9_]+_RELOC_[A-Z0-9_]+$/) print $i}' |
  sort -u > emitted
"$jitload" coverage --tsv > cov.tsv 2>/dev/null || { echo "clang-types: jitload coverage failed"; exit 1; }
missing=0
while read -r type; do
  count=$(awk -F'\t' -v t="$type" '$4 == t { c += $5 } END { print c + 0 }' cov.tsv)
  if [ "$count" -gt 0 ]; then
    echo "ok: $type ($count conformance objects)"
  else
    echo "MISSING: $type (emitted by clang-19 for $triple, in no conformance file)"
    missing=$((missing + 1))
  fi
done < emitted
echo "clang-types: $triple: $(wc -l < emitted) types emitted in $objects objects, $missing without a conformance file"
[ "$missing" -eq 0 ]
