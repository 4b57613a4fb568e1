#!/bin/sh
# AFL++ builds of the fuzz targets, persistent mode (not used in CI).
#   fuzz/afl.sh build            build afl-object-bytes, afl-object-structure in build-afl/
#   fuzz/afl.sh run T [N]        run target T with one main (-M) and N-1 secondaries (-S)
# afl-clang-fast++ here is built on LLVM 14, so it compiles the loader itself
# (C++20) rather than reusing the clang-19 build. The driver below is AFL++'s
# persistent loop around LLVMFuzzerTestOneInput (shared memory test cases).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out=${AFL_BUILD:-$here/build-afl}
cmd=${1:-build}
case "$cmd" in
build)
  mkdir -p "$out"
  cat > "$out/afl-driver.cc" <<'C'
#include <cstdint>
#include <cstddef>
#include <unistd.h>
extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t);
__AFL_FUZZ_INIT();
int main() {
  __AFL_INIT();
  unsigned char* buf = __AFL_FUZZ_TESTCASE_BUF;
  while (__AFL_LOOP(100000)) LLVMFuzzerTestOneInput(buf, __AFL_FUZZ_TESTCASE_LEN);
  return 0;
}
C
  # The differential harness needs both loaders and the report code.
  srcs=$(ls "$here"/engine/loader/*.cc "$here"/engine/loader/core/*.cc "$here"/engine/loader/elf/*.cc \
            "$here"/reference/*.cc "$here"/reference/elf/*.cc "$here"/conformance/report/*.cc | grep -v -- '-test\.cc$')
  for t in object-bytes object-structure; do
    AFL_USE_ASAN=1 AFL_USE_UBSAN=1 afl-clang-fast++ -std=c++20 -O2 -g -I"$here" -DJITLOAD_FUZZ_NO_MUTATOR=1 \
      $srcs "$here/fuzz/harness.cc" "$here/fuzz/$t.cc" "$out/afl-driver.cc" -ldl -o "$out/afl-$t"
  done
  echo "built $out/afl-object-bytes $out/afl-object-structure"
  ;;
run)
  t=${2:?target}; n=${3:-1}
  mkdir -p "$out/findings-$t"
  seeds=$here/corpora/object-bytes/seeds
  afl-fuzz -M main -i "$seeds" -o "$out/findings-$t" -x "$here/fuzz/dicts/elf.dict" -- "$out/afl-$t" &
  i=1
  while [ "$i" -lt "$n" ]; do
    afl-fuzz -S "s$i" -i "$seeds" -o "$out/findings-$t" -x "$here/fuzz/dicts/elf.dict" -- "$out/afl-$t" >/dev/null &
    i=$((i + 1))
  done
  wait
  ;;
*) echo "usage: $0 build | run TARGET [INSTANCES]" >&2; exit 2 ;;
esac
