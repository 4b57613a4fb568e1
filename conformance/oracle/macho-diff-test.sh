#!/usr/bin/env bash
# The three-way diff on Mach-O: Csmith programs compiled by clang-19 for
# an Apple triple (freestanding, CSMITH_MINIMAL and the csmith shim
# headers: there is no macOS SDK here) at several flag sets, through the
# user's door: `jitload diff --fail-on-unexplained` with LLVM 19's
# RuntimeDyldMachO as the oracle (conformance/oracle/llvm-oracle-main.cc,
# run_macho). It fails when
#   - engine and reference disagree, or LLVM disagrees in a way no class
#     explains, or the oracle crashed;
#   - an object is not loaded by all three (an abstention, a rejection);
#   - (x86-64) externals beyond +-2 GiB do not show the catalogued LLVM
#     defect macho-x86_64-branch-silent-truncation (its calls reach their
#     targets through jitload's stubs, LLVM truncates them);
#   - a field planted wrong in LLVM's report (JITLOAD_ORACLE_PLANT=
#     macho-field) is not reported as an unexplained disagreement;
#   - a TLV object is not refused by all three (simulated targets: both
#     loaders refuse TLV, LLVM 19 has no X86_64_RELOC_TLV).
# Exit 77 (ctest's skip) when a tool is missing, or when jitload's loaders
# do not load the target's Mach-O objects yet (arm64 before branch ma64).
# usage: macho-diff-test.sh TRIPLE JITLOAD CLANG SHIM_DIR FIRST_SEED COUNT
set -u
triple=$1 jitload=$2 clang=$3 shim=${JITLOAD_CSMITH_SHIM:-$4} seed=$5 count=$6
skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
command -v csmith >/dev/null || skip "csmith not installed"
[ -f "$shim/custom_stdint_x86.h" ] || skip "the csmith shim headers are not in '$shim' (set JITLOAD_CSMITH_SHIM)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
flags=(--target="$triple" -ffreestanding -DCSMITH_MINIMAL -I"$shim" -I/usr/include/csmith -w)
case $triple in
  x86_64-*) sets=("-O0" "-O1" "-O2" "-Os" "-O3" "-O2 -fcommon" "-O1 -g" "-O2 -mcmodel=large" "-O1 -fno-asynchronous-unwind-tables" "-O2 -ffunction-sections") ;;
  *) sets=("-O0" "-O1" "-O2" "-Os" "-O3" "-O2 -fcommon" "-O1 -g" "-O1 -fno-asynchronous-unwind-tables" "-O2 -ffunction-sections") ;;
esac

# Do jitload's loaders load this target's Mach-O objects yet?
printf 'int g = 1;\nint f(int x) { return x + g; }\n' > probe.c
"$clang" "${flags[@]}" -O1 -c probe.c -o probe.o || fail "$clang cannot compile for $triple"
out=$("$jitload" diff --oracle none probe.o 2>&1)
case "$out" in
  *"probe.o: agree (loaded"*) ;;
  *"unsupported"*) skip "jitload's loaders do not load $triple objects yet: $(echo "$out" | head -1)" ;;
  *) echo "$out"; fail "the probe object for $triple: engine and reference do not agree" ;;
esac

objects=() done_count=0
while [ $done_count -lt "$count" ]; do
  seed=$((seed + 1))
  csmith --seed $seed --no-packed-struct -o p$seed.c >/dev/null 2>&1 || continue
  for set in "${sets[@]}"; do
    name=p$seed$(echo "$set" | tr -d ' =').o
    # shellcheck disable=SC2086
    "$clang" "${flags[@]}" $set -c p$seed.c -o "$name" || fail "seed $seed $set: clang cannot compile for $triple"
    objects+=("$name")
  done
  done_count=$((done_count + 1))
done

out=$("$jitload" diff --fail-on-unexplained "${objects[@]}" 2>&1); rc=$?
[ $rc -eq 0 ] || { echo "$out" | head -60; fail "jitload diff --fail-on-unexplained: status $rc"; }
n=${#objects[@]}
agree=$(echo "$out" | grep -cE '^p[0-9].*: agree \(loaded; [0-9]+ relocations; llvm (agrees|differs as classified)\)$')
[ "$agree" -eq "$n" ] || { echo "$out" | grep -vE '^  |: agree \(loaded; [0-9]+ relocations; llvm (agrees|differs as classified)\)$' | head -30
  fail "$agree of $n objects loaded by engine, reference and LLVM in agreement"; }
classified=$(echo "$out" | grep -c 'llvm differs as classified')
echo "ok: $n objects ($count Csmith programs x ${#sets[@]} flag sets): engine, reference and LLVM agree ($classified with classified LLVM differences)"

# The comparison can fail: one field planted wrong in LLVM's report.
out=$(JITLOAD_ORACLE_PLANT=macho-field "$jitload" diff --fail-on-unexplained "${objects[1]}" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "llvm disagrees" ||
  { echo "$out" | head -20; fail "a field planted wrong in LLVM's report of ${objects[1]} was not an unexplained disagreement (status $rc)"; }
echo "ok: a field planted wrong in LLVM's report is an unexplained disagreement"

# LLVM refusing or crashing is an abstention with its reason, never a crash
# of jitload diff: an object for a machine RuntimeDyldMachO has no target
# for (llvm_unreachable in LLVM 19: refused before loading), and 60 seeded
# byte-mutants of an object (some crash LLVM inside loadObject: caught in
# the oracle's child and said as "abstained: crashed: ...").
python3 - "${objects[1]}" <<'PY'
import random, sys
src = open(sys.argv[1], 'rb').read()
b = bytearray(src)
b[4:8] = (0x01000012).to_bytes(4, 'little')  # CPU_TYPE_POWERPC64
open('ppc.o', 'wb').write(b)
random.seed(16)
for i in range(60):
    b = bytearray(src)
    for _ in range(random.randint(1, 4)):
        at = random.randrange(0, min(2048, len(b))) if random.random() < 0.6 else random.randrange(len(b))
        b[at] = random.randrange(256)
    open('mutant%02d.o' % i, 'wb').write(b)
PY
out=$("$jitload" diff ppc.o 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'llvm abstained' && echo "$out" | grep -q 'RuntimeDyldMachO 19 has no target for cputype 16777234' ||
  { echo "$out"; fail "a PowerPC Mach-O object: no abstention with its reason (status $rc)"; }
out=$("$jitload" diff mutant*.o 2>&1); rc=$?
[ $rc -eq 0 ] || { echo "$out" | tail -30; fail "jitload diff on 60 byte-mutants: status $rc"; }
lines=$(echo "$out" | grep -cE '^mutant[0-9]+\.o: (agree|rejected-by-all|abstained) ')
[ "$lines" -eq 60 ] || { echo "$out" | grep -vE '^  ' | head -40; fail "jitload diff on 60 byte-mutants: $lines of 60 objects with a verdict, or an oracle crash"; }
echo "ok: LLVM refusing or crashing is an abstention with its reason ($(echo "$out" | grep -c 'abstained: crashed') of 60 mutants crash LLVM's loadObject), never a crash of jitload diff"

case $triple in
  arm64-*)
    # At the default placement the externals are more than 128 MiB from the
    # code: every call to them is the catalogued BRANCH26 truncation (above).
    # With the externals within reach, LLVM agrees outright on every object.
    out=$("$jitload" diff --fail-on-unexplained --extern-base 0x10800000 "${objects[@]}" 2>&1); rc=$?
    n_near=$(echo "$out" | grep -cE '^p[0-9].*: agree \(loaded; [0-9]+ relocations; llvm agrees\)$')
    [ $rc -eq 0 ] && [ "$n_near" -eq "$n" ] || { echo "$out" | grep -v '^  ' | head -40; fail "externals within 128 MiB: $n_near of $n objects agree three-way outright (status $rc)"; }
    echo "$out" | grep -q 'macho-arm64-branch26-silent-truncation' && { echo "$out" | head; fail "externals within 128 MiB: a BRANCH26 still classified as truncated"; }
    echo "ok: externals within 128 MiB: all $n objects agree three-way with nothing classified"
    ;;
  x86_64-*)
    # Externals beyond +-2 GiB: the catalogued BRANCH truncation, explained.
    far=("${objects[1]}" "${objects[2]}")
    out=$("$jitload" diff --fail-on-unexplained --extern-base 0x7f0000000000 "${far[@]}" 2>&1); rc=$?
    [ $rc -eq 0 ] || { echo "$out" | head -30; fail "externals beyond 2 GiB: status $rc"; }
    echo "$out" | grep -q 'catalogued LLVM 19 defect (corpora/llvm-defects/macho-x86_64-branch-silent-truncation.s)' ||
      { echo "$out" | head -30; fail "externals beyond 2 GiB: the catalogued BRANCH truncation was not seen"; }
    echo "ok: externals beyond 2 GiB: LLVM's truncated calls are the catalogued defect, nothing unexplained"
    # C++ (a global's constructor, a template, an inline function's static,
    # an exception): the constructor's code is in __TEXT,__StaticInit, so
    # LLVM's registerEHFrames moves its FDE wrongly: the catalogued defect.
    cat > cxx.cc <<'CXX'
extern "C" int printf(const char*, ...);
struct G { int v; G() : v(42) { printf("ctor %d\n", v); } ~G() { printf("dtor %d\n", v); } };
G g;
template <class T> T twice(T x) { return x + x; }
inline int shared_counter() { static int n = 0; return ++n; }
int thrower(int x) { if (x > 2) throw x * 3; return x; }
int main(int argc, char**) {
  int r = 0;
  try { r = thrower(argc + 2); } catch (int e) { r = e; }
  printf("main %d %d %d\n", g.v, twice(r), shared_counter());
  return 0;
}
CXX
    clangxx=${clang/clang-/clang++-}
    for opt in -O0 -O2; do "$clangxx" --target="$triple" $opt -c cxx.cc -o cxx$opt.o || fail "cannot compile the C++ case"; done
    out=$("$jitload" diff --fail-on-unexplained cxx-O0.o cxx-O2.o 2>&1); rc=$?
    [ $rc -eq 0 ] && [ "$(echo "$out" | grep -c 'agree (loaded; [0-9]* relocations; llvm differs as classified)')" -eq 2 ] &&
      echo "$out" | grep -q 'macho-x86_64-eh-frame-outside-text.s): [0-9]* FDE pc_begin' ||
      { echo "$out"; fail "C++: not agreeing three-way with the catalogued FDE defect (status $rc)"; }
    echo "ok: C++ (constructor, exception): engine, reference and LLVM agree but for the catalogued FDE defect"
    # Sets (--link): one llvm::RuntimeDyld for every member. A weak and a
    # strong definition of one name: engine and reference bind every
    # reference to the strong one in either order; LLVM binds wa.o's own
    # references to its weak one when wa.o comes first (the catalogued
    # weak-own-definition defect, as on ELF: listed, LLVM-only).
    printf '__attribute__((weak)) int w = 5;\nint get_w_a(void) { return w; }\n' > wa.c
    printf 'int w = 9;\nextern int get_w_a(void);\nint main(void) { return get_w_a() + w; }\n' > wb.c
    for f in wa wb; do "$clang" --target="$triple" -O1 -c $f.c -o $f.o || fail "cannot compile $f.c"; done
    out=$("$jitload" diff --link --fail-on-unexplained wb.o wa.o 2>&1); rc=$?
    [ $rc -eq 0 ] && echo "$out" | grep -q 'wb.o + wa.o: agree (loaded; [0-9]* relocations; llvm agrees)' ||
      { echo "$out"; fail "the set wb.o + wa.o: not agreeing three-way (status $rc)"; }
    out=$("$jitload" diff --link wa.o wb.o 2>&1); rc=$?
    [ $rc -eq 0 ] && echo "$out" | grep -q "binding: reference '_w' -> wb.o:__data+0x0; llvm '_w' -> wa.o:__data+0x0 | wb.o:__data+0x0" ||
      { echo "$out"; fail "the set wa.o + wb.o: engine and reference disagree, or LLVM's own-weak binding not shown (status $rc)"; }
    echo "ok: Mach-O sets: engine, reference and LLVM agree; LLVM's own-weak binding (catalogued for ELF) shown apart"
    # Rule L4 across objects (commons of one name within one object merge
    # with the strictest alignment, so only a set can break it): ca.o's
    # 64-byte common gives the storage; cb.o's asks for 32-byte alignment,
    # so the storage mapped 4 bytes past a boundary refuses cb.o's binding
    # in both loaders (unsupported), and mapped on a boundary it binds.
    printf '.comm _c, 64, 2\n.data\n.p2align 3\n_pa: .quad _c\n' > ca.s
    printf '.comm _c, 8, 5\n.data\n.p2align 3\n_pb: .quad _c\n' > cb.s
    for f in ca cb; do llvm-mc-19 -triple x86_64-apple-macos -filetype=obj $f.s -o $f.o || fail "cannot assemble $f.s"; done
    out=$("$jitload" diff --oracle none --link --map-section '@0:<common symbols>=0x20000004' ca.o cb.o 2>&1)
    echo "$out" | grep -q 'ca.o + cb.o: rejected-by-all (engine: unsupported, reference: unsupported)' ||
      { echo "$out"; fail "L4 across Mach-O objects: not refused by both loaders"; }
    out=$("$jitload" diff --oracle none --link --map-section '@0:<common symbols>=0x20000020' ca.o cb.o 2>&1)
    echo "$out" | grep -q 'ca.o + cb.o: agree (loaded; 2 relocations)' ||
      { echo "$out"; fail "L4 across Mach-O objects, storage aligned: not loaded by both loaders"; }
    echo "ok: Mach-O commons across objects (L4): a less aligned storage refused by both loaders, an aligned one bound"
    # Thread-local variables: refused by all three on a simulated target.
    printf '_Thread_local int t = 3;\nint get(void) { return t; }\n' > tlv.c
    "$clang" --target=x86_64-apple-macosx10.15 -O1 -c tlv.c -o tlv.o || fail "cannot compile the TLV case"
    out=$("$jitload" diff --fail-on-unexplained tlv.o 2>&1); rc=$?
    [ $rc -eq 0 ] && echo "$out" | grep -q 'tlv.o: rejected-by-all (engine: unsupported, reference: unsupported, llvm: llvm)' ||
      { echo "$out"; fail "TLV on a simulated target: not refused by all three (status $rc)"; }
    echo "ok: TLV on a simulated target: refused by engine, reference and LLVM"
    ;;
esac
