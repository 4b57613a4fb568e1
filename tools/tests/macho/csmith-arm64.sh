#!/usr/bin/env bash
# Mach-O arm64 objects (clang-19 --target=arm64-apple-macosx -c) of Csmith
# programs through the user's door, at -O0, -O1, -O2 (and -O1 -g for diff; freestanding,
# CSMITH_MINIMAL and the csmith shim headers: there is no macOS SDK here).
#   MODE diff: `jitload diff --oracle none` finds the engine and the
#     reference in agreement, with the scenario's default externals and
#     with every external 2^47 away (calls through veneers); `jitload load`
#     loads each object (externals far away) and `jitload rtdyld -verify`
#     links it (externals as -dummy-extern).
#   MODE exec: first a thread-local-variable program (TLV descriptors, four
#     threads) at -O0 and -O2 and a C++ global's constructor/destructor; then `jitload exec` runs each object under qemu-aarch64-static
#     through jitload-runner-aarch64 and must print the checksum the same
#     program prints linked natively for aarch64 Linux (clang-19 + lld,
#     -fsigned-char: Apple's arm64 char is signed) under qemu. Built with
#     NO_PRINTF: the checksum goes through putchar, since Apple's arm64 ABI
#     passes variadic arguments on the stack and the runner's printf is
#     glibc's (AAPCS64, in registers).
# A program whose native build fails or runs over 5 s is replaced by the
# next seed; anything else that differs fails. Exit 77 (ctest's skip,
# shown) when a tool is missing.
# usage: csmith-arm64.sh MODE JITLOAD CLANG SHIM_DIR FIRST_SEED COUNT
set -u
mode=$1 jitload=$2 clang=$3 shim=${JITLOAD_CSMITH_SHIM:-$4} seed=$5 count=$6
skip() { echo "skipped: $*"; exit 77; }
command -v csmith >/dev/null || skip "csmith not installed"
[ -f "$shim/custom_stdint_x86.h" ] || skip "the csmith shim headers are not in '$shim' (set JITLOAD_CSMITH_SHIM)"
nm=$(command -v llvm-nm-19 || command -v llvm-nm) || skip "llvm-nm-19 not installed"
qemu=""
if [ "$mode" = exec ]; then
  qemu=$(command -v qemu-aarch64-static) || skip "qemu-aarch64-static not installed (qemu-user-static, ci/setup)"
  [ -d /usr/aarch64-linux-gnu/lib ] || skip "no aarch64 cross C library in /usr/aarch64-linux-gnu (ci/setup)"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
target=--target=arm64-apple-macosx
flags=(-ffreestanding -DCSMITH_MINIMAL -I"$shim" -I/usr/include/csmith -w)
[ "$mode" = exec ] && flags+=(-DNO_PRINTF -Wno-implicit-function-declaration)

if [ "$mode" = exec ]; then
  # Thread-local variables (TLV descriptors, macOS 11's arm64 target): four
  # threads and the main one, each with its own copies, against the native
  # aarch64 build; output through putchar (see above).
  cat > tlv.c <<'TLV'
int putchar(int);
typedef unsigned long pthread_t_;  /* Linux's pthread_t: the object runs there */
int pthread_create(pthread_t_*, const void*, void* (*)(void*), void*);
int pthread_join(pthread_t_, void**);
static void put_num(long v) {
  char b[24]; int n = 0;
  if (v < 0) { putchar('-'); v = -v; }
  do { b[n++] = '0' + v % 10; v /= 10; } while (v);
  while (n) putchar(b[--n]);
}
static void put_str(const char* s) { while (*s) putchar(*s++); }
_Thread_local long counter = 100;
_Thread_local double scale;
_Thread_local char buf[64] = "init";
static void* work(void* arg) {
  long n = (long)arg;
  for (long i = 0; i < n; i++) counter += i;
  scale = 1.5 * n;
  buf[0] = 'a' + (char)n;
  return (void*)(counter + (long)(scale * 10) + buf[0] + buf[1]);
}
int main(void) {
  pthread_t_ t[4];
  for (long k = 0; k < 4; k++) pthread_create(&t[k], 0, work, (void*)(k + 3));
  long sum = 0;
  for (int k = 0; k < 4; k++) { void* r; pthread_join(t[k], &r); sum += (long)r; }
  counter += 1;
  scale += 0.5;
  put_str("threads "); put_num(sum); put_str(" main "); put_num(counter); putchar(' ');
  put_str(buf); putchar(' '); put_num((long)(scale * 10)); putchar('\n');
  return 0;
}
TLV
  "$clang" --target=aarch64-linux-gnu -O1 -fuse-ld=lld tlv.c -o tlv.native -lpthread || { echo "FAIL: cannot build the TLV case for aarch64 Linux"; exit 1; }
  want=$("$qemu" -L /usr/aarch64-linux-gnu ./tlv.native 2>&1)
  for opt in -O0 -O2; do
    "$clang" --target=arm64-apple-macosx11 -fno-stack-protector $opt -c tlv.c -o tlv.o || { echo "FAIL: cannot build the TLV case for arm64-apple-macosx11"; exit 1; }
    got=$(timeout 60 "$jitload" exec tlv.o 2>&1)
    [ "$got" = "$want" ] || { echo "FAIL: thread-local variables $opt under jitload exec printed '$got', the native aarch64 build '$want'"; exit 1; }
  done
  echo "thread-local variables (-O0, -O2): as native ($want)"
  # C++: a global's constructor from __mod_init_func, its destructor through
  # ___cxa_atexit and ___dso_handle, the exit status.
  cat > ctor.cc <<'CXX'
extern "C" int putchar(int);
static void put(const char* s) { while (*s) putchar(*s++); }
struct G { int v; G() : v(42) { put("ctor\n"); } ~G() { put("dtor\n"); } };
G g;
static int init_me() { put("init\n"); return 7; }
int x = init_me();
int main() { put(g.v == 42 && x == 7 ? "main ok\n" : "main bad\n"); return 3; }
CXX
  clangxx=${clang/clang-/clang++-}
  "$clangxx" --target=aarch64-linux-gnu -O1 -fuse-ld=lld ctor.cc -o ctor.native &&
    "$clangxx" --target=arm64-apple-macosx11 -fno-stack-protector -O1 -c ctor.cc -o ctor.o ||
    { echo "FAIL: $clangxx cannot build the C++ case"; exit 1; }
  want=$("$qemu" -L /usr/aarch64-linux-gnu ./ctor.native 2>&1; echo "status $?")
  got=$(timeout 60 "$jitload" exec ctor.o 2>&1; echo "status $?")
  [ "$got" = "$want" ] || { echo "FAIL: C++ under jitload exec:"; echo "$got"; echo "native:"; echo "$want"; exit 1; }
  echo "C++ (constructor, destructor, status): as native"
fi

done_count=0 objects=0
while [ $done_count -lt "$count" ]; do
  seed=$((seed + 1))
  csmith --seed $seed --no-packed-struct -o p.c >/dev/null 2>&1 || continue
  if [ "$mode" = exec ]; then
    "$clang" --target=aarch64-linux-gnu -fsigned-char "${flags[@]}" -O1 -fuse-ld=lld p.c -o native 2>/dev/null || continue
    want=$(timeout 5 "$qemu" -L /usr/aarch64-linux-gnu ./native 2>&1) || continue
  else
    "$clang" "${flags[@]}" -O1 p.c -o native 2>/dev/null || continue
    timeout 5 ./native >/dev/null 2>&1 || continue
  fi
  opts=(-O0 -O1 -O2)
  # diff: also with DWARF (its sections load in a report; their words are
  # section-relative, non-extern UNSIGNED entries)
  [ "$mode" = diff ] && opts+=("-O1 -g")
  for opt in "${opts[@]}"; do
    o=p${opt// /}.o
    "$clang" $target -fno-stack-protector "${flags[@]}" $opt -c p.c -o $o ||
      { echo "FAIL: seed $seed $opt: clang cannot compile for arm64-apple-macosx"; exit 1; }
    if [ "$mode" = exec ]; then
      got=$(timeout 60 "$jitload" exec $o 2>&1)
      [ "$got" = "$want" ] || { echo "FAIL: seed $seed $opt: jitload exec printed '$got', the native aarch64 build '$want'"; exit 1; }
    else
      for far in "" "--extern-default 0x7f0000000000"; do
        d=$("$jitload" diff --oracle none $far $o 2>&1)
        case "$d" in
          *": agree (loaded"*) ;;
          *) echo "FAIL: seed $seed $opt ${far:-default externals}: engine and reference differ:"; echo "$d" | head -30; exit 1 ;;
        esac
      done
      out=$("$jitload" load $o --extern-default 0x7f0000000000 2>&1) ||
        { echo "FAIL: seed $seed $opt: jitload load:"; echo "$out" | tail -5; exit 1; }
      case "$out" in *"(stub)"*) ;; *) echo "FAIL: seed $seed $opt: no call went through a veneer to an external 2^47 away"; exit 1 ;; esac
      externs=()
      for s in $("$nm" -u $o); do externs+=(-dummy-extern "$s=0x1000"); done
      out=$("$jitload" rtdyld -triple=arm64-apple-macosx -verify "${externs[@]}" $o 2>&1) ||
        { echo "FAIL: seed $seed $opt: jitload rtdyld -verify:"; echo "$out" | tail -5; exit 1; }
    fi
    objects=$((objects + 1))
  done
  done_count=$((done_count + 1))
done
if [ "$mode" = exec ]; then
  echo "ok: $count Csmith programs x 3 flag sets ($objects arm64 Mach-O objects): jitload exec under qemu prints the native aarch64 checksum"
else
  echo "ok: $count Csmith programs x 4 flag sets ($objects arm64 Mach-O objects): engine and reference agree (near and far externals); load and rtdyld -verify succeed"
fi
