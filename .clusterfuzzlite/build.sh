#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build: honours $CC $CXX $CXXFLAGS
# $LIB_FUZZING_ENGINE $OUT (and $SRC). Builds every fuzz target with the
# given sanitizer/coverage flags (the loaders and the reference are
# compiled with them too), without LLVM (the object targets need none),
# then puts <target>_seed_corpus.zip and <target>.dict beside each binary.
# Local test:
#   CC=clang-19 CXX=clang++-19 CXXFLAGS="-fsanitize=address,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out .clusterfuzzlite/build.sh
src=${SRC:-$(cd "$(dirname "$0")/.." && pwd)}
[ -d "$src/jitload" ] && src=$src/jitload
build=${WORK:-/tmp}/jitload-ossfuzz-build
mkdir -p "$OUT"
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="${CFLAGS:-}" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DJITLOAD_WITH_LLVM=OFF -DJITLOAD_FUZZ=ON -DJITLOAD_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
targets="object-bytes object-structure"
for t in $targets; do
  cmake --build "$build" --target "fuzz-$t" -j"$(nproc)"
  cp "$build/bin/fuzz-$t" "$OUT/$t"
  seeds=$src/corpora/$t/seeds
  [ -d "$seeds" ] || seeds=$src/corpora/object-bytes/seeds
  rm -f "$OUT/${t}_seed_corpus.zip"
  zip -q -j "$OUT/${t}_seed_corpus.zip" "$seeds"/* $(ls "$src/corpora/object-bytes/regressions/"*.o 2>/dev/null)
  # A target's own dictionary, else the object formats' (ELF and Mach-O seeds).
  if [ -f "$src/fuzz/dicts/$t.dict" ]; then cp "$src/fuzz/dicts/$t.dict" "$OUT/$t.dict"
  else cat "$src/fuzz/dicts/elf.dict" "$src/fuzz/dicts/macho.dict" > "$OUT/$t.dict"; fi
done
