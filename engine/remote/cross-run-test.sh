#!/usr/bin/env bash
# Code generated here for AArch64 and run there, through the user's door:
# `jitload run --target-exec aarch64-linux-gnu prog.ll` (and its long form,
# -mtriple -remote-mcjit -mcjit-remote-process='qemu-aarch64-static -L ...
# jitload-executor-aarch64') must print what the same program linked
# natively for AArch64 (clang-19 + lld + the Debian cross libc) prints under
# qemu, with the same exit status: arguments and status, a C++ exception and
# a global's constructor and destructor, a program that calls exit(),
# thread-local storage (two threads), and Csmith programs from fixed seeds
# (emitted as AArch64 IR, -O0 and -O2; the first under other code models).
# (LLVM's lli-19 cannot be the oracle here: it only generates code for the
# host.) A Csmith program whose native build fails or runs over 5 s is
# replaced by the next seed. Exit 77 (ctest's skip, shown) with the reason
# when qemu, the cross libc, csmith or the cross executor is missing.
# usage: cross-run-test.sh JITLOAD CLANG FIRST_SEED COUNT
set -u
jitload=$1 clang=$2 seed=$3 count=$4
bin=$(cd "$(dirname "$jitload")" && pwd)
jitload=$bin/$(basename "$jitload")
here=$(cd "$(dirname "$0")" && pwd)
triple=aarch64-linux-gnu
sysroot=/usr/aarch64-linux-gnu
qemu=$(command -v qemu-aarch64-static || true)
skip() { echo "skipped: $*"; exit 77; }
[ -n "$qemu" ] || skip "qemu-aarch64-static not installed (qemu-user-static, ci/setup)"
[ -d "$sysroot/lib" ] || skip "$sysroot missing (g++-$triple, ci/setup)"
command -v csmith >/dev/null || skip "csmith not installed"
[ -x "$bin/jitload-executor-aarch64" ] || skip "$bin/jitload-executor-aarch64 not built (tools/runner/build.sh said why)"
clangxx=${clang/clang-/clang++-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0 passes=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; passes=$((passes + 1)); }
native() { timeout 20 "$qemu" -L $sysroot "$@"; }
# same NAME NATIVE-EXE IR [ARGS...]: both forms of the command against the native run.
same() {
  local name=$1 exe=$2 ir=$3
  shift 3
  local want got rc
  want=$(native "./$exe" "$@" 2>&1; echo "status $?")
  got=$(timeout 60 "$jitload" run --target-exec $triple "$ir" "$@" 2>err.txt; echo "status $?")
  if [ "$got" != "$want" ]; then
    fail "$name: --target-exec printed '$got' ($(head -c 300 err.txt)); native: '$want'"; return
  fi
  got=$(timeout 60 "$jitload" run -mtriple=$triple -remote-mcjit -disable-lazy-compilation \
    -mcjit-remote-process="$qemu -L $sysroot $bin/jitload-executor-aarch64" "$ir" "$@" 2>err.txt; echo "status $?")
  if [ "$got" != "$want" ]; then
    fail "$name: -remote-mcjit -mcjit-remote-process='qemu ... jitload-executor-aarch64' printed '$got' ($(head -c 300 err.txt)); native: '$want'"
    return
  fi
  pass "$name"
}

# Arguments, a global, the status main returns.
cat > args.c <<'C'
#include <stdio.h>
#include <string.h>
int counter = 40;
int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++)  /* argv[0] differs: the module's name, the binary's path */ counter += (int)strlen(argv[i]);
  printf("argc=%d last=%s counter=%d\n", argc, argv[argc - 1], counter);
  return counter & 0x7f;
}
C
# exit() from inside the program: the executor's process ends with it.
printf '#include <stdio.h>\n#include <stdlib.h>\nint main(void){puts("leaving");fflush(stdout);exit(3);}\n' > exits.c
for p in args exits; do
  "$clang" --target=$triple -O1 -S -emit-llvm -o $p.ll $p.c && "$clang" --target=$triple -O1 -fuse-ld=lld -o $p.native $p.c ||
    { fail "$p: $clang cannot build for $triple"; continue; }
done
same "arguments and status" args.native args.ll one two three
same "exit() in the program" exits.native exits.ll

# C++: a global's constructor and destructor, an exception thrown and caught
# in JIT code (its EH frame registered in the executor's process, under qemu).
cat > x.cc <<'CXX'
#include <cstdio>
#include <stdexcept>
#include <string>
struct G { G() { std::puts("ctor"); } ~G() { std::puts("dtor"); } } g;
int main(int argc, char** argv) {
  try { throw std::runtime_error("boom " + std::to_string(argc)); }
  catch (const std::exception& e) { std::printf("caught %s\n", e.what()); }
  return 9;
}
CXX
if "$clangxx" --target=$triple -O1 -S -emit-llvm -o x.ll x.cc && "$clangxx" --target=$triple -O1 -fuse-ld=lld -o x.native x.cc; then
  same "C++ constructor, exception, destructor" x.native x.ll a b
else
  fail "C++: $clangxx cannot build for $triple"
fi

# Thread-local storage in the executor's static TLS (jitload-executor's
# tls_reserve/tls_publish): the main thread's copy and a thread the program
# creates (it starts from the published image). MCJIT's default large code
# model takes only local-exec TLS on AArch64 (LLVM refuses the rest), so the
# module is compiled -ftls-model=local-exec there; the small model takes
# TLSDESC, which the loader rewrites to local-exec.
cat > tls.c <<'C'
#include <pthread.h>
#include <stdio.h>
_Thread_local int counter = 7;
_Thread_local char name[16] = "init";
static _Thread_local long zeroed;
static void *work(void *arg) {
  counter += (int)(long)arg;
  name[0] = 'T';
  zeroed += 3;
  printf("thread: counter=%d name=%s zeroed=%ld\n", counter, name, zeroed);
  return 0;
}
int main(void) {
  counter = 100;
  pthread_t t;
  pthread_create(&t, 0, work, (void *)5);
  pthread_join(t, 0);
  printf("main: counter=%d name=%s zeroed=%ld\n", counter, name, zeroed);
  return counter & 0x7f;
}
C
if "$clang" --target=$triple -O1 -fuse-ld=lld -o tls.native tls.c -lpthread &&
   "$clang" --target=$triple -O1 -S -emit-llvm -o tls.ll tls.c &&
   "$clang" --target=$triple -O1 -ftls-model=local-exec -S -emit-llvm -o tls-le.ll tls.c; then
  same "TLS, local-exec, large code model, a second thread" tls.native tls-le.ll
  want=$(native ./tls.native 2>&1; echo "status $?")
  got=$(timeout 60 "$jitload" run --target-exec $triple -code-model=small tls.ll 2>err.txt; echo "status $?")
  [ "$got" = "$want" ] && pass "TLS, TLSDESC rewritten, small code model, a second thread" ||
    fail "TLS, small code model: '$got' ($(head -c 300 err.txt)); native: '$want'"
else
  fail "TLS: $clang cannot build for $triple"
fi

# Csmith, fixed seeds: the checksum of the native AArch64 build.
programs=0 s=$seed tries=0
while [ $programs -lt "$count" ] && [ $tries -lt $((count * 4)) ]; do
  tries=$((tries + 1)); s=$((s + 1))
  timeout 10 csmith --seed $s --max-funcs 4 -o p$s.c >/dev/null 2>&1 || continue
  "$clang" --target=$triple -w -O1 -I/usr/include/csmith -fuse-ld=lld p$s.c -o p$s.native 2>/dev/null || continue
  want=$(timeout 5 "$qemu" -L $sysroot ./p$s.native 2>/dev/null | grep '^checksum = ') || continue
  [ -n "$want" ] || continue
  programs=$((programs + 1))
  # The first program also under the other code models (GOT, ADRP pages,
  # the tiny model's ±1 MiB literals) and position-independent code.
  models=("")
  [ $programs = 1 ] && models=("" "-code-model=small" "-code-model=small -relocation-model=pic" "-code-model=tiny")
  for o in -O0 -O2; do
    "$clang" --target=$triple -w $o -I/usr/include/csmith -S -emit-llvm -o p$s$o.ll p$s.c ||
      { fail "seed $s $o: does not compile to IR"; continue; }
    for m in "${models[@]}"; do
      got=$(timeout 60 "$jitload" run --target-exec $triple $m p$s$o.ll 2>err.txt | grep '^checksum = ')
      if [ "$got" = "$want" ]; then pass "csmith seed $s $o $m: $got"; else
        fail "csmith seed $s $o $m: jitload run --target-exec printed '${got:-nothing}' ($(head -c 300 err.txt)), native '$want'"
      fi
    done
  done
done
[ $programs -gt 0 ] || fail "no Csmith program built and ran natively (seeds $((seed + 1))..$s)"
echo "cross-run: $passes passed, $fails failed ($programs Csmith programs, seeds $((seed + 1))..$s)"
[ $fails = 0 ]
