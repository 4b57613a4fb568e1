#!/usr/bin/env bash
# Mach-O x86-64 objects through the user's door, on this Linux host:
#   1. a probe (printf, arguments, the exit status) under `jitload exec`;
#   2. Csmith programs compiled by clang-19 for x86_64-apple-macosx
#      (freestanding, CSMITH_MINIMAL and the csmith shim headers: there is
#      no macOS SDK here) at -O0, -O1, -O2: `jitload diff --oracle none`
#      must find the engine and the reference in agreement, and `jitload
#      exec` must print the checksum the same program prints built for
#      Linux (freestanding the same way) and run natively.
# A program whose native build fails or runs over 5 s is replaced by the
# next seed (Csmith's own undefined behaviour); anything else that differs
# fails the test. Exit 77 (ctest's skip, shown) when a tool is missing.
# usage: csmith.sh JITLOAD CLANG SHIM_DIR FIRST_SEED COUNT
set -u
jitload=$1 clang=$2 shim=${JITLOAD_CSMITH_SHIM:-$3} seed=$4 count=$5
skip() { echo "skipped: $*"; exit 77; }
command -v csmith >/dev/null || skip "csmith not installed"
[ -f "$shim/custom_stdint_x86.h" ] || skip "the csmith shim headers are not in '$shim' (set JITLOAD_CSMITH_SHIM)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
target=--target=x86_64-apple-macosx
flags=(-ffreestanding -DCSMITH_MINIMAL -I"$shim" -I/usr/include/csmith -w)

# 1. The probe: _printf is the host's printf, _main the entry point.
printf 'int printf(const char *, ...);\nint main(int c, char **v){printf("probe %%d %%s\\n", 6*7, c > 1 ? v[1] : "-");return 40 + c;}\n' > probe.c
"$clang" $target -O2 -c probe.c -o probe.o || { echo "FAIL: $clang cannot compile for x86_64-apple-macosx"; exit 1; }
out=$("$jitload" exec probe.o -- hello 2>&1); rc=$?
[ "$out" = "probe 42 hello" ] || { echo "FAIL: jitload exec on a Mach-O object printed '$out', expected 'probe 42 hello'"; exit 1; }
[ $rc -eq 42 ] || { echo "FAIL: jitload exec's status $rc, the program returned 42"; exit 1; }

# C++ through the same door (no macOS SDK here, so no C++ headers): a
# global's constructor from __mod_init_func, its destructor through
# ___cxa_atexit and ___dso_handle (the C++ runtime hooks, by their names
# without the underscore), against the same program built for Linux.
cat > ctor.cc <<'CXX'
extern "C" int printf(const char*, ...);
struct G { int v; G() : v(42) { printf("ctor %d\n", v); } ~G() { printf("dtor %d\n", v); } };
G g;
static int init_me() { printf("init\n"); return 7; }
int x = init_me();
int main() { printf("main %d %d\n", g.v, x); return 3; }
CXX
clangxx=${clang/clang-/clang++-}
"$clangxx" $target -O1 -c ctor.cc -o ctor.o && "$clangxx" -O1 ctor.cc -o ctor.native ||
  { echo "FAIL: $clangxx cannot build the C++ case"; exit 1; }
want=$(./ctor.native 2>&1; echo "status $?")
got=$("$jitload" exec ctor.o 2>&1; echo "status $?")
[ "$got" = "$want" ] || { echo "FAIL: C++ under jitload exec:"; echo "$got"; echo "native:"; echo "$want"; exit 1; }

# Thread-local variables (TLV descriptors served by jitload's thunk; clang
# wants macOS 10.7 or later for them), in
# four threads, against the Linux build (-fno-stack-protector: macOS's
# ___stack_chk_guard has no counterpart in glibc on x86-64).
cat > tlv.c <<'TLV'
int printf(const char*, ...);
typedef unsigned long pthread_t_;  /* Linux's pthread_t: the object runs here */
int pthread_create(pthread_t_*, const void*, void* (*)(void*), void*);
int pthread_join(pthread_t_, void**);
_Thread_local long counter = 100;
_Thread_local double scale;
_Thread_local char buf[64] = "init";
static void* work(void* arg) {
  long n = (long)arg;
  for (long i = 0; i < n; i++) counter += i;
  scale = 1.5 * n;
  buf[0] = 'a' + (char)n;
  return (void*)(counter + (long)scale + buf[0] + buf[1]);
}
int main(void) {
  pthread_t_ t[4];
  for (long k = 0; k < 4; k++) pthread_create(&t[k], 0, work, (void*)(k + 3));
  long sum = 0;
  for (int k = 0; k < 4; k++) { void* r; pthread_join(t[k], &r); sum += (long)r; }
  counter += 1;
  printf("threads %ld main %ld %s %g\n", sum, counter, buf, scale);
  return 0;
}
TLV
"$clang" -O1 tlv.c -o tlv.native -lpthread || { echo "FAIL: cannot build the TLV case for Linux"; exit 1; }
want=$(./tlv.native 2>&1)
for opt in -O0 -O2; do
  "$clang" --target=x86_64-apple-macosx10.15 -fno-stack-protector $opt -c tlv.c -o tlv.o || { echo "FAIL: cannot build the TLV case for x86_64-apple-macosx"; exit 1; }
  got=$("$jitload" exec tlv.o 2>&1)
  [ "$got" = "$want" ] || { echo "FAIL: thread-local variables $opt under jitload exec printed '$got', the Linux build '$want'"; exit 1; }
  # The same threads through `jitload rtdyld -execute` on both loaders: the
  # reference serves TLV with its own thunk (reference.h, "Mach-O TLV").
  for loader in engine reference; do
    got=$("$jitload" rtdyld --loader=$loader -triple=x86_64-apple-macosx10.15 -execute -entry=_main tlv.o 2>&1 | grep -v "^loaded '_main'")
    [ "$got" = "$want" ] || { echo "FAIL: thread-local variables $opt under jitload rtdyld --loader=$loader -execute printed '$got', the Linux build '$want'"; exit 1; }
  done
done

# 2. Csmith programs.
done_count=0 runs=0
while [ $done_count -lt "$count" ]; do
  seed=$((seed + 1))
  csmith --seed $seed --no-packed-struct -o p.c >/dev/null 2>&1 || continue
  "$clang" "${flags[@]}" -O1 p.c -o native 2>/dev/null || continue
  want=$(timeout 5 ./native 2>&1) || continue
  for opt in -O0 -O1 -O2; do
    "$clang" $target "${flags[@]}" $opt -c p.c -o p$opt.o || { echo "FAIL: seed $seed $opt: clang cannot compile for x86_64-apple-macosx"; exit 1; }
    d=$("$jitload" diff --oracle none p$opt.o 2>&1)
    case "$d" in
      *": agree ("*) ;;
      *) echo "FAIL: seed $seed $opt: engine and reference differ:"; echo "$d" | head -30; exit 1 ;;
    esac
    got=$(timeout 20 "$jitload" exec p$opt.o 2>&1)
    [ "$got" = "$want" ] || { echo "FAIL: seed $seed $opt: jitload exec printed '$got', the native Linux build '$want'"; exit 1; }
    runs=$((runs + 1))
  done
  done_count=$((done_count + 1))
done
echo "ok: $count Csmith programs x 3 flag sets ($runs objects): engine and reference agree, and jitload exec prints the native checksum"
