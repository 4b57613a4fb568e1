#!/bin/sh
# AFL++ builds of the fuzz targets, persistent mode (not used in CI).
#   fuzz/afl.sh build            build afl-object-bytes, afl-object-structure in build-afl/
#   fuzz/afl.sh run T [N]        run target T with one main (-M) and N-1 secondaries (-S)
#
# Across machines: every instance of a campaign syncs through one directory
# (afl-fuzz -o): each writes only its own <name>/ in it and reads the
# others' queues. Put that directory on a filesystem all machines mount
# (NFS, ...) and give each machine its role:
#   AFL_SYNC_DIR=/shared/jitload-obj fuzz/afl.sh run object-bytes 4                      # machine 1: main + 3 secondaries
#   AFL_SYNC_DIR=/shared/jitload-obj AFL_ROLE=secondary fuzz/afl.sh run object-bytes 8    # machines 2..n: 8 secondaries
# Exactly one instance in the whole campaign is the main (-M: the
# deterministic stages); instance names start with the host name
# (AFL_NAME_PREFIX to change it), so no two machines write the same
# directory. Without a shared filesystem, each machine fuzzes into a local
# AFL_SYNC_DIR and `fuzz/afl.sh sync DIR HOST:DIR...` (from cron, say) copies
# this machine's instances to every peer and theirs here (rsync over ssh;
# only the instances' queues, never another machine's own directories
# back to it).
#   fuzz/afl.sh sync DIR HOST:DIR...   exchange instance queues with peers
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
            "$here"/engine/loader/macho/*.cc "$here"/reference/*.cc "$here"/reference/elf/*.cc \
            "$here"/reference/macho/*.cc "$here"/conformance/report/*.cc | grep -v -- '-test\.cc$')
  for t in object-bytes object-structure; do
    AFL_USE_ASAN=1 AFL_USE_UBSAN=1 afl-clang-fast++ -std=c++20 -O2 -g -I"$here" -DJITLOAD_FUZZ_NO_MUTATOR=1 \
      $srcs "$here/fuzz/harness.cc" "$here/fuzz/mutate.cc" "$here/fuzz/arch/invariants.cc" "$here/fuzz/arch/x86-64.cc" "$here/fuzz/arch/aarch64.cc" "$here/fuzz/$t.cc" "$out/afl-driver.cc" -ldl -o "$out/afl-$t"
  done
  echo "built $out/afl-object-bytes $out/afl-object-structure"
  ;;
run)
  t=${2:?target}; n=${3:-1}
  sync=${AFL_SYNC_DIR:-$out/findings-$t}
  role=${AFL_ROLE:-main}
  prefix=${AFL_NAME_PREFIX:-$(hostname -s 2>/dev/null || echo host)}
  case "$role" in main|secondary) ;; *) echo "AFL_ROLE is main or secondary, not '$role'" >&2; exit 2 ;; esac
  mkdir -p "$sync"
  seeds=$here/corpora/object-bytes/seeds
  i=0
  if [ "$role" = main ]; then
    afl-fuzz -M "$prefix-main" -i "$seeds" -o "$sync" -x "$here/fuzz/dicts/elf.dict" -x "$here/fuzz/dicts/macho.dict" -- "$out/afl-$t" &
    i=1
  fi
  while [ "$i" -lt "$n" ]; do
    afl-fuzz -S "$prefix-s$i" -i "$seeds" -o "$sync" -x "$here/fuzz/dicts/elf.dict" -x "$here/fuzz/dicts/macho.dict" -- "$out/afl-$t" >/dev/null &
    i=$((i + 1))
  done
  wait
  ;;
sync)
  # Push this machine's instances (named <prefix>-*) to every peer, then
  # pull the peers' instances here. AFL++ reads only each instance's
  # queue/ (and its .synced marks are per reader), so copying queues is
  # enough; crashes stay on the machine that found them.
  dir=${2:?local sync directory}; shift 2
  prefix=${AFL_NAME_PREFIX:-$(hostname -s 2>/dev/null || echo host)}
  [ "$#" -gt 0 ] || { echo "usage: $0 sync DIR HOST:DIR..." >&2; exit 2; }
  for peer in "$@"; do
    for inst in "$dir/$prefix"-*; do
      [ -d "$inst/queue" ] || continue
      rsync -a --mkpath "$inst/queue/" "$peer/$(basename "$inst")/queue/"
    done
    rsync -a -m --exclude="/$prefix-*" --include="/*/" --include="/*/queue/***" --exclude="*" "$peer/" "$dir/"
  done
  ;;
*) echo "usage: $0 build | run TARGET [INSTANCES] | sync DIR HOST:DIR..." >&2; exit 2 ;;
esac
