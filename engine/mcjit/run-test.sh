#!/usr/bin/env bash
# `jitload run` as a drop-in for `lli -jit-kind=mcjit`: the same invocations
# must print the same output and exit with the same status as lli-19 (when
# lli-19 is installed; otherwise against the expected values written here),
# for every option lli accepts, the argument passing, lli's object-cache
# layout and lli's entry-point errors.
# usage: run-test.sh JITLOAD CLANG CLANGXX LLVM_AR [LLI]
set -u
here=$(cd "$(dirname "$0")" && pwd)
jitload=$1
# Absolute, since the script works in a temporary directory.
case $jitload in */*) jitload=$(cd "$(dirname "$jitload")" && pwd)/$(basename "$jitload") ;; esac
clang=$2
clangxx=$3
llvm_ar=$4
lli=${5:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}
check() {  # check NAME EXPECTED_RC EXPECTED_STDOUT -- COMMAND...
  local name=$1 want_rc=$2 want_out=$3
  shift 4
  local out rc
  out=$("$@" 2>"$work/stderr")
  rc=$?
  if [ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ]; then
    echo "ok: $name"
  else
    fail "$name: exit $rc (want $want_rc), stdout [$out] (want [$want_out])"
    sed 's/^/  stderr: /' "$work/stderr" | head -5
  fi
}
# stderr_has NAME TEXT: the last command's stderr contains TEXT.
stderr_has() {
  if grep -qF -- "$2" "$work/stderr"; then echo "ok: $1"; else
    fail "$1: stderr lacks [$2]"
    sed 's/^/  stderr: /' "$work/stderr" | head -5
  fi
}
# lli's diagnostics start with its argv[0] (or its file name): compare
# them with jitload's, whose start with "jitload run".
normalize_lli() {
  sed -e "s|^$lli: |jitload run: |" -e "s|^$(basename "$lli"): |jitload run: |" \
      -e "s|'$(basename "$lli") --help'|'jitload run --help'|" -e "s|'$lli --help'|'jitload run --help'|"
}
# compare NAME MODE LLI_KIND ARGS...: `jitload run ARGS` against `lli
# LLI_KIND ARGS` (LLI_KIND is -jit-kind=mcjit, or "" to let ARGS choose).
# MODE out: stdout and exit status; MODE err: stderr too (lli's program
# name replaced by jitload's).
compare() {
  local name=$1 mode=$2 kind=$3
  shift 3
  local jout jrc lout lrc
  jout=$("$jitload" run "$@" 2>"$work/stderr" </dev/null)
  jrc=$?
  if [ -z "$lli" ]; then
    echo "ok: $name (exit $jrc; lli-19 not installed, not compared)"
    return
  fi
  if [ -n "$kind" ]; then
    lout=$("$lli" "$kind" "$@" 2>"$work/lli-stderr" </dev/null)
  else
    lout=$("$lli" "$@" 2>"$work/lli-stderr" </dev/null)
  fi
  lrc=$?
  if [ "$jrc" != "$lrc" ] || [ "$jout" != "$lout" ]; then
    fail "$name: jitload exit $jrc [$jout], lli exit $lrc [$lout]"
    sed 's/^/  stderr: /' "$work/stderr" | head -5
    return
  fi
  if [ "$mode" = err ] && ! diff <(normalize_lli <"$work/lli-stderr") "$work/stderr" >"$work/stderr.diff"; then
    fail "$name: same output and exit $jrc, but stderr differs from lli's:"
    sed 's/^/  /' "$work/stderr.diff" | head -8
    return
  fi
  echo "ok: $name (same as lli: exit $jrc${mode/out/}${mode/err/, same stderr})"
}
same() { local n=$1; shift; compare "$n" out -jit-kind=mcjit "$@"; }
same_err() { local n=$1; shift; compare "$n" err -jit-kind=mcjit "$@"; }
same_kind() { local n=$1; shift; compare "$n" out "" "$@"; }

cat > main.c <<'C'
#include <stdio.h>
#include <string.h>
int helper(int);        /* extra module */
int from_object(int);   /* extra object */
int from_archive(int);  /* extra archive */
int main(int argc, char** argv) {
  printf("argc=%d", argc);
  for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\nargv0-is-file=%d\n", strstr(argv[0], "main") != NULL);
  printf("helper=%d object=%d archive=%d\n", helper(2), from_object(3), from_archive(4));
  return argc + 20;
}
int other_entry(void) { printf("other entry\n"); return 7; }
C
cat > args.c <<'C'
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char** argv, char** envp) {
  for (int i = 0; i < argc; i++) printf("[%s]", argv[i]);
  printf(" errno=%d envp=%d\n", errno, envp != NULL && envp[0] != NULL);
  return argc;
}
C
cat > plain.c <<'C'
#include <stdio.h>
int main(int argc, char** argv) {
  for (int i = 0; i < argc; i++) printf("[%s]", argv[i]);
  printf("\n");
  return argc;
}
C
cat > fp.c <<'C'
#include <stdio.h>
volatile double a = 1.1, b = 2.3, c = -0.7;
int main(void) {
  double acc = 0;
  for (int i = 0; i < 1000; i++) acc = acc * 0.999 + a * b + c / (i + 1);
  printf("%.17g\n", acc);
  return 0;
}
C
cat > uselib.c <<'C'
#include <stdio.h>
int from_library(int);
int main(void) { printf("from_library=%d\n", from_library(6)); return 0; }
C
cat > lib.c <<'C'
int from_library(int x) { return x * 7; }
C
cat > thread.c <<'C'
#include <stdio.h>
static volatile int ready;
void side(void) {
  printf("side thread\n");
  fflush(stdout);
  __atomic_store_n(&ready, 1, __ATOMIC_SEQ_CST);
}
int main(void) {
  while (!__atomic_load_n(&ready, __ATOMIC_SEQ_CST)) {
  }
  printf("main after side\n");
  return 4;
}
C
cat > exits.c <<'C'
#include <stdio.h>
#include <stdlib.h>
static void bye(void) { printf("atexit handler ran\n"); }
int main(void) {
  atexit(bye);
  printf("calling exit\n");
  exit(5);
}
C
cat > helper.c <<'C'
int helper(int x) { return x * 11; }
C
cat > object.c <<'C'
int from_object(int x) { return x * 100; }
C
cat > arch1.c <<'C'
int archive_inner(int);
int from_archive(int x) { return archive_inner(x) + 1; }
C
cat > arch2.c <<'C'
int archive_inner(int x) { return x * 1000; }
C
cat > unused.c <<'C'
int never_called(void) { return 0; }
C
# Entry points that are not functions, or missing.
cat > global-main.ll <<'IR'
@main = global i32 5
IR
cat > no-main.ll <<'IR'
@data = global i32 7
define i32 @foo() {
  ret i32 3
}
IR
cat > declared-main.ll <<'IR'
declare i32 @main(i32, ptr)
IR
cat > alias-main.ll <<'IR'
@storage = global i32 1
@main = alias i32, ptr @storage
IR
"$clang" -O1 -S -emit-llvm main.c -o main.ll &&
  "$clang" -O1 -c -emit-llvm main.c -o main.bc &&
  "$clang" -O1 -S -emit-llvm args.c -o args.ll &&
  "$clang" -O1 -c -emit-llvm args.c -o args.bc &&
  "$clang" -O2 -S -emit-llvm fp.c -o fp.ll &&
  "$clang" -O1 -S -emit-llvm plain.c -o plain.ll &&
  sed -E 's/"(target-cpu|target-features|tune-cpu)"="[^"]*"//g' fp.ll >fp-no-cpu.ll &&
  "$clang" -O1 -S -emit-llvm uselib.c -o uselib.ll &&
  "$clang" -O1 -shared -fPIC lib.c -o "$work/libfrom.so" &&
  "$clang" -O1 -S -emit-llvm thread.c -o thread.ll &&
  "$clang" -O1 -S -emit-llvm helper.c -o helper.ll &&
  "$clang" -O1 -c object.c -o object.o &&
  "$clang" -O1 -c arch1.c -o arch1.o &&
  "$clang" -O1 -c arch2.c -o arch2.o &&
  "$clang" -O1 -c unused.c -o unused.o &&
  "$clang" -O1 -S -emit-llvm exits.c -o exits.ll &&
  "$clangxx" -O1 -S -emit-llvm "$here/testdata/program.cc" -o program.ll &&
  "$llvm_ar" rcs libx.a arch1.o arch2.o unused.o || { echo "FAIL: could not build the test inputs"; exit 1; }

extras=(-extra-module=helper.ll -extra-object=object.o -extra-archive=libx.a)
want=$'argc=3 [a] [b c]\nargv0-is-file=1\nhelper=22 object=300 archive=4001'

echo "--- the extra modules, objects and archives"
check "lli spellings, .ll" 23 "$want" -- "$jitload" run "${extras[@]}" -jit-kind=mcjit -O2 main.ll a "b c"
check "two-dash spellings with separate values, .bc" 23 "$want" -- "$jitload" run --extra-module helper.ll \
  --extra-object object.o --extra-archive libx.a -O3 main.bc a "b c"
same "extras: arguments and exit status" "${extras[@]}" main.ll a "b c"
same "extras: -O0 bitcode" "${extras[@]}" -O0 main.bc x
same "-entry-function=NAME" "${extras[@]}" -entry-function=other_entry main.ll
same "-entry-function NAME (separate value)" "${extras[@]}" -entry-function other_entry main.ll

echo "--- arguments: everything after the input goes to the program"
check "options after the file go to the program" 4 "[args.ll][-x][--foo][-O0] errno=0 envp=1" -- \
  "$jitload" run args.ll -x --foo -O0
same "options after the file" args.ll -x --foo -O0 -entry-function=nope
same "-- after the file is the program's" args.ll -- a
same "-- before the file ends the options" -- args.ll a -- b
same "no arguments" args.ll
same "an argument with spaces" args.ll "a b" ""
same "argv[0] of a .bc loses .bc" args.bc a
same "-fake-argv0=NAME" -fake-argv0=zz args.bc a
same "-fake-argv0 NAME" -fake-argv0 "z z" args.ll
same "-fake-argv0= (empty: the file)" -fake-argv0= args.bc
same "errno is 0 and envp set on entry to main" args.ll
same "input from stdin (-)" - <args.ll

echo "--- every option of lli -jit-kind=mcjit"
if [ -n "$lli" ]; then
  option_names() { "$@" --help-list-hidden 2>/dev/null | grep -o '^  --*[^ =<]*' | sed 's/^  -*//' | sort -u; }
  option_names "$lli" >lli-options
  option_names "$jitload" run >jitload-options
  missing=$(comm -23 lli-options jitload-options)
  if [ -z "$missing" ] && [ "$(wc -l <lli-options)" -gt 1000 ]; then
    echo "ok: all $(wc -l <lli-options) options of lli-19 --help-list-hidden are options of jitload run"
  else
    fail "options of lli-19 that jitload run lacks: $(echo "$missing" | head -20 | tr '\n' ' ')"
  fi
fi
for level in -O0 -O1 -O2 -O3 "-O 1" -O=3; do
  # shellcheck disable=SC2086
  same "$level" $level fp.ll
done
same_err "-O4 refused as lli refuses it" -O4 fp.ll
same "-mtriple" -mtriple=x86_64-unknown-linux-gnu fp.ll
same "-mtriple, unnormalized" -mtriple=x86_64-linux-gnu fp.ll
same "-march=x86-64" -march=x86-64 fp.ll
# fp-no-cpu.ll: functions without target-cpu/target-features attributes,
# so the engine's CPU decides whether llvm.fmuladd fuses (on a host with FMA
# the printed sum differs in its last digits).
same "-mcpu=generic" -mcpu=generic fp-no-cpu.ll
same "-mcpu=native" -mcpu=native fp-no-cpu.ll
same "-mcpu=x86-64-v3 (FMA)" -mcpu=x86-64-v3 fp-no-cpu.ll
same "-mattr=+fma,+avx2" -mattr=+fma,+avx2 fp-no-cpu.ll
same "-mattr=+fma,+avx2 with clang's function attributes" -mattr=+fma,+avx2 fp.ll
same "no -mcpu: lli's generic CPU, not the host's" fp-no-cpu.ll
# (fp.ll, whose functions name their CPU: on fp-no-cpu.ll lli-19 aborts,
# "64-bit code requested on a subtarget that doesn't support it".)
same_err "-mcpu=bogus: LLVM's warning, then the generic CPU" -mcpu=bogus fp.ll
same "-mcpu=help: the list, then the generic CPU" -mcpu=help fp.ll
check "-mcpu=bogus without CPU attributes: runs on the generic CPU" 0 "$("$jitload" run fp-no-cpu.ll)" -- \
  "$jitload" run -mcpu=bogus fp-no-cpu.ll
same_err "-mattr=+bogus: LLVM's warning" -mattr=+bogus fp-no-cpu.ll
same "-relocation-model=pic" -relocation-model=pic "${extras[@]}" main.ll
same "-relocation-model=static" -relocation-model=static "${extras[@]}" main.ll
same "-code-model=large" -code-model=large "${extras[@]}" main.ll
same "-code-model=medium" -code-model=medium fp.ll
same "-disable-lazy-compilation" -disable-lazy-compilation "${extras[@]}" main.ll q
same "-disable-core-files" -disable-core-files args.ll
same "-soft-float" -soft-float fp.ll
same "-float-abi=hard" -float-abi=hard fp.ll
same "-function-sections -data-sections" -function-sections -data-sections "${extras[@]}" main.ll
same "-frame-pointer=all" -frame-pointer=all fp.ll
same "-x86-asm-syntax=intel (a libLLVM option)" -x86-asm-syntax=intel fp.ll
same "-stats, -time-passes (libLLVM; stderr only)" -stats -time-passes fp.ll
same "-load=LIB.so: JIT code resolves against it" -load="$work/libfrom.so" uselib.ll
same "-dlopen=LIB.so: JIT code resolves against it" -dlopen="$work/libfrom.so" uselib.ll
same_err "-dlopen of a missing library" -dlopen="$work/missing.so" uselib.ll
same "-load of a missing library is ignored (as lli)" -load="$work/missing.so" args.ll
# (Not compared: without the library, lli-19 segfaults calling the missing function.)
check "without -load, an unresolved symbol is an error naming it" 1 "" -- "$jitload" run uselib.ll
stderr_has "unresolved symbol named" "from_library"
same_err "-compile-threads refused under mcjit" -compile-threads=2 args.ll
same_err "-thread-entry refused under mcjit" -thread-entry=side thread.ll
same_err "-per-module-lazy refused under mcjit" -per-module-lazy args.ll
same "ORC-only options are ignored under mcjit" -jd=lib -jit-linker=rtdyld -orc-runtime=/nonexistent \
  -lljit-platform=GenericIR -orc-lazy-debug=funcs-to-stdout -no-process-syms args.ll
check "... and jitload says so on stderr" 1 "[args.ll] errno=0 envp=1" -- "$jitload" run -jd=lib -no-process-syms args.ll
stderr_has "-jd note" "note: -jd: ignored"
same "-mcjit-remote-process alone is ignored" -mcjit-remote-process=/bin/true args.ll
same "-remote-mcjit without a process: refused as lli refuses it" -remote-mcjit args.ll
# (Remote execution itself: engine/remote/interop-test.sh.)
check "-remote-mcjit with a process that is no executor: an error" 1 "" -- "$jitload" run -remote-mcjit \
  -mcjit-remote-process=/bin/true args.ll
stderr_has "remote error says why" "closed the connection before its Setup message (the executor exited with status 0)"
# (Not args.ll: lli's interpreter enters main with errno 29, ESPIPE, left by
# its own stdio; not fp.ll: it cannot interpret llvm.fmuladd.)
same "-force-interpreter (jitload compiles instead)" -force-interpreter plain.ll a b
stderr_has "-force-interpreter note" "note: -force-interpreter: jitload has no interpreter"
same_err "-force-interpreter with -remote-mcjit refused" -force-interpreter -remote-mcjit args.ll
same_err "unknown option" --frobnicate args.ll
same_err "an enumerated option with a bad value" -jit-kind=fast args.ll
same_err "missing input" nonexistent.ll
# (jitload's help and version each add jitload's own lines to lli's.)
check "-help exits 0 (lli's options and jitload's)" 0 "$("$jitload" run -help 2>/dev/null)" -- "$jitload" run -help
"$jitload" run -help 2>/dev/null | grep -q -- "--extra-object=<input object>" && "$jitload" run -help | grep -q -- "--jitload-stats" &&
  "$jitload" run -help | grep -q -- "--x86-relax-relocations" && echo "ok: -help lists lli's, libLLVM's and jitload's options" ||
  fail "-help does not list lli's, libLLVM's and jitload's options"
check "--version exits 0" 0 "$("$jitload" run --version 2>/dev/null)" -- "$jitload" run --version

echo "--- -jit-kind=orc and orc-lazy: MCJIT instead, with ORC's argv[0]"
same_kind "-jit-kind=orc (argv[0] keeps .bc)" -jit-kind=orc args.bc a
same_kind "-jit-kind=orc-lazy ignores -fake-argv0 (as lli's ORC)" -jit-kind=orc-lazy -fake-argv0=zz args.ll a
# (Not compared: lli-19 -jit-kind=orc-lazy dies with SIGSEGV after the side thread prints.)
check "-jit-kind=orc-lazy -thread-entry runs the entry on its own thread" 4 $'side thread\nmain after side' -- \
  "$jitload" run -jit-kind=orc-lazy -thread-entry=side thread.ll
check "-thread-entry naming nothing" 1 "" -- "$jitload" run -jit-kind=orc-lazy -thread-entry=nope thread.ll
stderr_has "-thread-entry naming nothing: why" "Symbols not found: [ nope ]"
same_kind "-jit-kind=orc-lazy -compile-threads -per-module-lazy" -jit-kind=orc-lazy -compile-threads=2 \
  -per-module-lazy "${extras[@]}" main.ll
same_kind "-jit-kind=orc: no main, lli's ORC status" -jit-kind=orc no-main.ll
stderr_has "-jit-kind=orc: no main, lli's ORC message" "jitload run: Symbols not found: [ main ]"
same_kind "-jit-kind=orc: the entry may come from an extra module (ORC looks everywhere)" -jit-kind=orc \
  "${extras[@]}" -entry-function=helper args.ll
# (lli-19's ORC jumps into the data here and dies with SIGSEGV.)
check "-jit-kind=orc: an entry defined as data is refused" 1 "" -- "$jitload" run -jit-kind=orc -entry-function=data \
  no-main.ll
stderr_has "-jit-kind=orc data entry: why" "'data' is not a function"
check "-jit-kind=orc says what it does instead" 2 "[args.bc][a] errno=0 envp=1" -- "$jitload" run -jit-kind=orc args.bc a
stderr_has "orc note" "note: -jit-kind=orc: jitload has no ORC JIT"
same_kind "-jit-kind=orc -no-process-syms refused, status 1 as lli" -jit-kind=orc -no-process-syms args.ll
check "-jit-kind=orc-lazy -orc-lazy-debug refused (lli prints what jitload cannot)" 1 "" -- \
  "$jitload" run -jit-kind=orc-lazy -orc-lazy-debug=funcs-to-stdout args.ll

echo "--- entry points: lli's messages and statuses"
same_err "main is a global" global-main.ll
same_err "main is an alias of a global" alias-main.ll
same_err "no main" no-main.ll
same_err "-entry-function names a global" -entry-function=data no-main.ll
same_err "-entry-function names nothing" -entry-function=nope no-main.ll
same "-entry-function names a function" -entry-function=foo no-main.ll
same_err "-entry-function defined only in an extra module: not found (lli looks in the main module)" \
  "${extras[@]}" -entry-function=helper args.ll
# lli calls its own main here (the process's symbol) and recurses until it dies.
check "main declared, defined nowhere: clear error, lli's status" 255 "" -- "$jitload" run declared-main.ll
stderr_has "declared main named" "'main' function not found in module: it is declared but"
cat > decl-main-user.ll <<'IR'
declare i32 @main(i32, ptr)
IR
cat > main-def.ll <<'IR'
define i32 @main(i32 %argc, ptr %argv) {
  ret i32 9
}
IR
same "main declared, defined by an extra module" -extra-module=main-def.ll decl-main-user.ll
cat > main-data.ll <<'IR'
@main = global i32 9
IR
check "main declared, defined as data by an extra module: refused" 255 "" -- "$jitload" run \
  -extra-module=main-data.ll decl-main-user.ll
stderr_has "data main named" "defined as data"

echo "--- exit, atexit, C++"
check "exit() from JIT code runs its atexit handlers" 5 $'calling exit\natexit handler ran' -- "$jitload" run exits.ll
same "exit() and atexit" exits.ll
cat > order.c <<'C'
#include <stdio.h>
#include <stdlib.h>
static void bye(void) { printf("atexit handler\n"); }
__attribute__((constructor)) static void ctor(void) { printf("constructor\n"); }
__attribute__((destructor)) static void dtor(void) { printf("destructor\n"); }
int main(void) {
  atexit(bye);
  printf("main\n");
  return 3;
}
C
"$clang" -O1 -S -emit-llvm order.c -o order.ll && "$clang" -O1 order.c -o order.native || fail "could not build order.c"
native_out=$(./order.native)
# lli-19 runs the destructor before the atexit handler registered in main;
# a native program (and jitload) runs them in reverse order of registration.
check "atexit handler and destructor in the native program's order" 3 "$native_out" -- "$jitload" run order.ll
check "C++: iostream, exceptions, static constructor and destructor" 3 \
  $'construct global\ncaught empty\ncaught stoi\nsum 45 distinct 2\ndestroy global' -- "$jitload" run program.ll
# (Not compared with lli: LLVM 19's `lli -jit-kind=mcjit` dies with SIGSEGV
# in this program's static constructor, calling through a null pointer.)

echo "--- the object cache, in lli's layout"
mkdir -p sub && cp helper.ll sub/helper.ll
cache_run() {  # cache_run DIR [more options]: main.ll with sub/helper.ll, through the cache in DIR
  local dir=$1
  shift
  "$jitload" run -extra-module=sub/helper.ll -extra-object=object.o -extra-archive=libx.a -enable-cache-manager \
    -object-cache-dir="$dir" -jitload-stats "$@" main.ll
}
want1=$'argc=1\nargv0-is-file=1\nhelper=22 object=300 archive=4001'
check "first run writes the cache" 21 "$want1" -- cache_run jc
stderr_has "first run: two modules compiled" "2 object(s) generated, 0 from cache"
if [ -f jc/main.o ] && [ -f jc/sub/helper.o ] && [ "$(find jc -name '*.o' | wc -l)" = 2 ]; then
  echo "ok: one <module>.o per module, named as lli names it (jc/main.o, jc/sub/helper.o)"
else
  fail "cache layout: $(find jc -type f | tr '\n' ' ')"
fi
check "second run is served from the cache" 21 "$want1" -- cache_run jc
stderr_has "second run: nothing compiled" "0 object(s) generated, 2 from cache"
if [ -n "$lli" ]; then
  "$lli" -jit-kind=mcjit -extra-module=sub/helper.ll -extra-object=object.o -extra-archive=libx.a \
    -enable-cache-manager -object-cache-dir=lc main.ll >/dev/null 2>&1
  if [ "$(cd lc && find . -name '*.o' | sort)" = "$(cd jc && find . -name '*.o' | sort)" ]; then
    echo "ok: the same cache file names as lli-19's"
  else
    fail "cache names: lli [$(cd lc && find . -name '*.o' | sort | tr '\n' ' ')] jitload [$(cd jc && find . -name '*.o' | sort | tr '\n' ' ')]"
  fi
  if cmp -s lc/main.o jc/main.o && cmp -s lc/sub/helper.o jc/sub/helper.o; then
    echo "ok: the cached objects are byte-identical to lli-19's"
  else
    fail "cached objects differ from lli-19's"
  fi
  same "lli-19 runs from jitload's cache" -extra-module=sub/helper.ll -extra-object=object.o -extra-archive=libx.a \
    -enable-cache-manager -object-cache-dir=jc main.ll
  check "an lli-written entry is regenerated once (no key: cannot be shown current)" 21 "$want1" -- cache_run lc
  stderr_has "lli entry rejected" "cannot tell whether it is current"
  check "... then served" 21 "$want1" -- cache_run lc
  stderr_has "lli entries served after one regeneration" "0 object(s) generated, 2 from cache"
fi
# A cache entry passed back with -extra-object (the main module no longer
# needs the helper module: its object is the cached one).
same "a cache entry passed back with -extra-object" -extra-object=jc/sub/helper.o -extra-object=object.o \
  -extra-archive=libx.a main.ll
check "... (jitload's output)" 21 "$want1" -- "$jitload" run -extra-object=jc/sub/helper.o -extra-object=object.o \
  -extra-archive=libx.a main.ll
# A corrupted entry: detected, regenerated, rewritten.
printf 'garbage' | dd of=jc/main.o bs=1 seek=100 conv=notrunc status=none
check "corrupted entry: same output" 21 "$want1" -- cache_run jc
stderr_has "corrupted entry rejected" "jc/main.o: rejected: the object's digest differs"
stderr_has "corrupted entry regenerated" "1 object(s) generated, 1 from cache"
check "corrupted entry: rewritten, so the next run is served" 21 "$want1" -- cache_run jc
stderr_has "rewritten entry served" "0 object(s) generated, 2 from cache"
# A truncated entry.
head -c 50 jc/sub/helper.o >jc/sub/helper.o.cut && mv jc/sub/helper.o.cut jc/sub/helper.o
check "truncated entry: same output" 21 "$want1" -- cache_run jc
stderr_has "truncated entry rejected" "jc/sub/helper.o: rejected: the object is 50 bytes"
# A stale entry: the module changed since it was cached (lli would run the
# stale object and print helper=22).
sed 's/mul nsw i32 %0, 11/mul nsw i32 %0, 12/' helper.ll >sub/helper.ll
if cmp -s helper.ll sub/helper.ll; then fail "could not change helper.ll for the staleness test"; fi
check "stale entry: the new code runs" 21 $'argc=1\nargv0-is-file=1\nhelper=24 object=300 archive=4001' -- cache_run jc
stderr_has "stale entry rejected" "jc/sub/helper.o: rejected: stale"
cp helper.ll sub/helper.ll
# Another option changes the key too.
check "another -O level: stale" 21 "$want1" -- cache_run jc -O0
stderr_has "an option change makes entries stale" "2 object(s) generated, 0 from cache"
# No -object-cache-dir: next to the inputs, as lli.
cp main.ll side.ll
check "no -object-cache-dir: objects next to the inputs" 21 "${want1/argv0-is-file=1/argv0-is-file=0}" -- "$jitload" run \
  -extra-module=sub/helper.ll -extra-object=object.o -extra-archive=libx.a -enable-cache-manager side.ll
if [ -f side.o ] && [ -f sub/helper.o ]; then echo "ok: side.o and sub/helper.o written"; else
  fail "no cache dir: $(ls)"
fi
check "--object-cache DIR (jitload's spelling) is the same cache" 21 "$want1" -- "$jitload" run \
  -extra-module=sub/helper.ll -extra-object=object.o -extra-archive=libx.a --object-cache jc -jitload-stats main.ll
stderr_has "--object-cache served from lli's layout" "from cache"

echo "--- inline assembly, and LLVM's own fatal errors"
cat > asm.c <<'C'
#include <stdio.h>
int main(void) {
  int x = 20;
  __asm__("addl $22, %0" : "+r"(x));
  printf("asm %d\n", x);
  return 0;
}
C
"$clang" -O1 -S -emit-llvm asm.c -o asm.ll || fail "could not compile asm.c"
same "inline assembly (the target's asm parser is initialized)" asm.ll
cat > bad-asm.ll <<'IR'
define i32 @main() {
  call void asm "bogus_instr %eax", ""()
  ret i32 0
}
IR
same "bad inline assembly: an error, status 1" bad-asm.ll
stderr_has "bad inline assembly: the assembler's message" "invalid instruction mnemonic 'bogus_instr'"
cat > fatal.ll <<'IR'
define i32 @main() "target-features"="+avx512f" {
  ret i32 0
}
define void @f() #0 {
  ret void
}
attributes #0 = { "target-cpu"="nonexistent-cpu" }
IR
# (lli-19 aborts here with a stack dump, status 134.)
check "an LLVM fatal error in code generation: one error line, status 1" 1 "" -- "$jitload" run fatal.ll
stderr_has "LLVM's reason is given" "error: LLVM: 64-bit code requested on a subtarget"

echo "--- errors: clear message, lli's status, no crash"
check "/dev/zero under a memory limit" 1 "" -- bash -c 'ulimit -v 600000 && exec "$0" run /dev/zero' "$jitload"
check "unresolved symbol" 1 "" -- "$jitload" run main.ll
stderr_has "the unresolved symbol is named" "helper"
check "/dev/zero refused at once" 1 "" -- "$jitload" run /dev/zero
stderr_has "/dev/zero: why" "neither LLVM bitcode nor LLVM IR text"
check "a directory" 1 "" -- "$jitload" run .
truncate -s 1100M huge.ll
check "an input over 1 GiB: refused from its size, unread" 1 "" -- "$jitload" run huge.ll
stderr_has "over 1 GiB: why" "larger than the 1 GiB"
rm -f huge.ll
for what in -extra-module -extra-object -extra-archive; do
  check "$what=/dev/zero under a memory limit: refused at once" 1 "" -- \
    bash -c "ulimit -v 600000 && exec \"\$0\" run $what=/dev/zero args.ll" "$jitload"
done
stderr_has "/dev/zero as an archive: why" "not an archive"
check "-extra-object=a module: not an object" 1 "" -- "$jitload" run -extra-object=args.ll args.ll
stderr_has "not an object: why" "not an ELF object file"
check "-extra-archive=/dev/null: too short" 1 "" -- "$jitload" run -extra-archive=/dev/null args.ll
check "-extra-object of a directory" 1 "" -- "$jitload" run -extra-object=. args.ll
# lli's own messages here are empty ("error: " and a caret); jitload names the file and the cause.
for what in -extra-object=missing.o -extra-module=missing.ll -extra-archive=missing.a -extra-object=args.ll \
  -extra-archive=args.ll; do
  same "$what: status 1, as lli" "$what" args.ll
done
head -c 300 main.bc >cut.bc
check "truncated bitcode" 1 "" -- "$jitload" run cut.bc
# Nesting that overflows LLVM's recursive parser (lli-19 dies with SIGSEGV):
# refused before parsing; nesting below the limit still runs.
nested() {  # nested DEPTH: a global whose type is DEPTH nested arrays
  awk -v d="$1" 'BEGIN { t = "i8"; for (i = 0; i < d; i++) t = "[1 x " t "]";
    print "@g = global " t " zeroinitializer"; print "define i32 @main() {\n  ret i32 6\n}" }'
}
nested 100000 >deep.ll
nested 500 >shallow.ll
check "100,000 nested types: refused, no stack overflow" 1 "" -- "$jitload" run deep.ll
stderr_has "deep nesting: why" "nested more than 1000 levels deep"
same "500 nested types run" shallow.ll
same "an option missing its value (as lli: it is the program's)" args.ll -entry-function
same_err "an option before the file missing its value" -extra-module

echo "run-test: $fails failure(s)"
[ $fails -eq 0 ]
