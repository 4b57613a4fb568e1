#!/usr/bin/env bash
# Thread-local storage in AArch64 programs under `jitload exec` (the objects
# run under qemu-aarch64-static in jitload-runner-aarch64, whose loader
# serves AArch64 TLS in the static model: every TLS sequence rewritten to
# local exec against a reserve at positive offsets from tpidr_el0). Each
# program must print what its native aarch64 build (clang-19 + lld + the
# Debian cross libc) prints under qemu: initialised and zero variables,
# several objects, an over-aligned variable, relocated .tdata words, C++
# thread_local with constructors and destructors, read again in threads
# created after the load; every TLS model clang-19 emits for aarch64, and
# the code models. A block larger than the reserve, and two that do not fit
# it together, are refused, saying why.
# Exit 77 (ctest's skip, shown) with the reason when qemu, the cross libc
# or the runner is missing.
# usage: tls-exec.sh JITLOAD CLANG
set -u
here=$(cd "$(dirname "$0")" && pwd)
jitload=$1 clang=$2
case $jitload in */*) jitload=$(cd "$(dirname "$jitload")" && pwd)/$(basename "$jitload") ;; esac
sysroot=/usr/aarch64-linux-gnu
triple=aarch64-linux-gnu
qemu=$(command -v qemu-aarch64-static || true)
skip() { echo "skipped: $*"; exit 77; }
[ -n "$qemu" ] || skip "qemu-aarch64-static not installed (qemu-user-static, ci/setup)"
[ -d "$sysroot/lib" ] || skip "$sysroot missing (g++-$triple, ci/setup)"
[ -x "$(dirname "$jitload")/jitload-runner-aarch64" ] || skip "jitload-runner-aarch64 not built (tools/runner/build.sh said why)"
clangxx=${clang/clang-/clang++-}
tls=$here/../tls
mine=$here/tls
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0 checks=0

native() {  # native OUT COMPILER SOURCES...: linked for aarch64, its output in OUT.want
  local out=$1 cc=$2
  shift 2
  "$cc" --target=$triple -O1 -pthread -fuse-ld=lld -o "$out" "$@" 2>cc-stderr ||
    { echo "FAIL: cannot build $out natively: $(head -3 cc-stderr)"; exit 1; }
  "$qemu" -L $sysroot "./$out" > "$out.want" 2>&1 || { echo "FAIL: native $out exits $?"; exit 1; }
  [ -s "$out.want" ] || { echo "FAIL: native $out prints nothing"; exit 1; }
}
compile() {  # compile COMPILER OUT FLAGS... SOURCE
  local cc=$1 out=$2
  shift 2
  "$cc" --target=$triple -c -o "$out" "$@" 2>cc-stderr && return 0
  echo "FAIL: cannot compile $out ($*): $(head -3 cc-stderr)"
  fails=$((fails + 1))
  return 1
}
same() {  # same NAME NATIVE OBJECTS...: jitload exec OBJECTS prints NATIVE.want, status 0
  local name=$1 want=$2.want
  shift 2
  checks=$((checks + 1))
  timeout 60 "$jitload" exec "$@" > got 2> stderr
  local rc=$?
  if [ $rc = 0 ] && cmp -s got "$want"; then
    echo "ok: $name"
  else
    echo "FAIL: $name: exit $rc"
    diff "$want" got | sed 's/^/  /' | head -8
    sed 's/^/  stderr: /' stderr | head -4
    fails=$((fails + 1))
  fi
}

# 1. threads.c (the x86-64 test's program) in every model and code model
# clang-19 accepts for aarch64: TLS descriptors (the default, -fPIC),
# initial exec through the GOT (ADRP/LDR; the tiny model's LDR literal,
# TLSIE_LD_GOTTPREL_PREL19), local exec (12-, 24-, 32- and 48-bit offsets
# by code model), local dynamic (clang lowers it as a descriptor per
# variable unless asked for the _TLS_MODULE_BASE_ form, last line).
native threads "$clang" "$tls/threads.c"
i=0
while read -r flags; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  compile "$clang" "t$i.o" $flags "$tls/threads.c" && same "threads.c $flags" threads "t$i.o"
done <<'FLAGS'
-O0
-O1
-O2 -fPIC
-O0 -fPIC
-O1 -fPIC -ftls-model=initial-exec
-O1 -ftls-model=local-exec
-O1 -fPIC -ftls-model=local-dynamic
-O1 -mcmodel=tiny -fPIC
-O1 -mcmodel=tiny -fPIC -ftls-model=initial-exec
-O1 -fno-pic -mcmodel=large
-O1 -fno-pic -mcmodel=large -ftls-model=local-exec -mtls-size=48
-O1 -fno-pic -ftls-model=local-exec -mtls-size=12
-O1 -fno-pic -ftls-model=local-exec -mtls-size=32
-O1 -fPIC -ftls-model=local-dynamic -mllvm -aarch64-elf-ldtls-generation=1
-O0 -fPIC -ftls-model=local-dynamic -mllvm -aarch64-elf-ldtls-generation=1
FLAGS

# 2. One variable defined in one object, used from another, each side in
# its own model, both load orders.
native shared "$clang" -DBIG=16 "$tls/shared-use.c" "$tls/shared-def.c"
for def in "" -fPIC -ftls-model=initial-exec; do
  for use in "" -fPIC; do
    compile "$clang" def.o -O1 -DBIG=16 $def "$tls/shared-def.c" || continue
    compile "$clang" use.o -O1 -DBIG=16 $use "$tls/shared-use.c" || continue
    same "shared: use.o(${use:-pie}) def.o(${def:-pie})" shared use.o def.o
    same "shared: def.o(${def:-pie}) use.o(${use:-pie})" shared def.o use.o
  done
done

# 3. Two objects, four threads, an over-aligned variable, a 12 KiB .tbss
# array, relocated .tdata words (a function pointer, a string pointer).
native mix "$clang" "$mine/mix-a.c" "$mine/mix-b.c"
for flags in "-O0" "-O2" "-O2 -fPIC" "-O1 -mcmodel=tiny"; do
  compile "$clang" a.o $flags "$mine/mix-a.c" && compile "$clang" b.o $flags "$mine/mix-b.c" &&
    same "mix-a.c mix-b.c $flags" mix a.o b.o
done

# 4. C++ thread_local: dynamic initialisation and destruction per thread.
native local "$clangxx" "$mine/local.cc"
for flags in "-O0" "-O2" "-O2 -fPIC"; do
  compile "$clangxx" l.o $flags "$mine/local.cc" && same "local.cc $flags" local l.o
done

# 5. A 16 MiB block does not fit the static reserve: refused, saying so.
if compile "$clang" big.o -O1 -fPIC "$tls/big.c"; then
  checks=$((checks + 1))
  "$jitload" exec big.o > /dev/null 2> stderr
  rc=$?
  if [ $rc = 1 ] && grep -qF "exceed the static TLS reserve" stderr &&
     grep -qF "served in the static model only" stderr; then
    echo "ok: a 16 MiB TLS block is refused: $(head -1 stderr)"
  else
    echo "FAIL: a 16 MiB TLS block: exit $rc (want 1), stderr:"; sed 's/^/  /' stderr | head -4
    fails=$((fails + 1))
  fi
fi

# 6. The reserve is shared: two objects of 40 KiB each fit one at a time,
# not together (the second is refused, naming its section).
printf '#include <stdio.h>\n__thread char one[40960] = {1};\nextern __thread char two[40960];\nint main(void){printf("%%d\\n", one[0]);return 0;}\n' > one.c
printf '__thread char two[40960] = {2};\n' > two.c
if compile "$clang" one.o -O1 one.c && compile "$clang" two.o -O1 two.c; then
  checks=$((checks + 1))
  "$jitload" exec one.o two.o > /dev/null 2> stderr
  rc=$?
  if [ $rc = 1 ] && grep -qF "two.o: section '.tdata': static TLS reserve exhausted" stderr; then
    echo "ok: two 40 KiB blocks exhaust the reserve: $(head -1 stderr)"
  else
    echo "FAIL: two 40 KiB blocks: exit $rc (want 1), stderr:"; sed 's/^/  /' stderr | head -4
    fails=$((fails + 1))
  fi
fi

echo "$checks checks, $fails failed"
[ $fails = 0 ]
