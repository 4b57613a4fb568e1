#!/usr/bin/env bash
# The three-way diff on 32-bit Mach-O: Csmith programs compiled by clang-19
# for i386-apple-macosx or armv7-apple-ios (ARM with -marm, Thumb with
# -mthumb; freestanding, CSMITH_MINIMAL and the csmith shim headers: there
# is no Apple SDK here) at several flag sets, through the user's door:
# `jitload diff --fail-on-unexplained` with LLVM 19's RuntimeDyldMachO as
# the oracle (conformance/oracle/llvm-oracle-main.cc, run_macho: its report
# describes each relocation as both loaders do; the fields are compared in
# the memory LLVM wrote). It fails when
#   - an object is not loaded by all three in agreement, with LLVM's
#     differences all explained (stub placement only); or when the objects
#     do not exercise the target's relocation forms (i386: VANILLA,
#     SECTDIFF/LOCAL_SECTDIFF with their PAIRs; ARM: BR24, HALF_SECTDIFF;
#     Thumb: THUMB_RELOC_BR22 — which LLVM reaches through its Thumb stubs
#     — and HALF_SECTDIFF);
#   - (ARM, Thumb) a -fno-pic object, whose movw/movt pairs are
#     ARM_RELOC_HALF, is not LLVM's classified refusal ("Unimplemented
#     relocation: MachO::ARM_RELOC_HALF" in LLVM 19) while engine and
#     reference agree on it; (i386) a -fno-pic object does not agree
#     three-way outright;
#   - a field planted wrong in LLVM's report (JITLOAD_ORACLE_PLANT=
#     macho-field) is not reported as an unexplained disagreement;
#   - (ARM) the catalogued defect macho-arm-sectdiff-unapplied (LLVM 19
#     leaves a scattered ARM_RELOC_SECTDIFF as the file has it) is not
#     classified as such, or still is once a byte of LLVM's field is
#     planted wrong (then it is no longer the file's value);
#   - (i386) 1- and 2-byte VANILLA fields out of range (both loaders
#     refuse them) are not the catalogued LLVM defect
#     macho-i386-vanilla-silent-truncation (LLVM writes their low bytes),
#     or still are with a byte of LLVM's field planted wrong;
#   - (Thumb) a Thumb-2 `blx _ext` (THUMB_RELOC_BR22, BLX form), which
#     LLVM 19 refuses ("Unrecognized thumb branch encoding"), is not that
#     classified refusal while engine and reference agree.
# Exit 77 (ctest's skip) when a tool is missing.
# usage: macho32-diff-test.sh TRIPLE JITLOAD CLANG SHIM_DIR FIRST_SEED COUNT [EXTRA_FLAG]
set -u
here=$(cd "$(dirname "$0")" && pwd)
triple=$1 jitload=$2 clang=$3 shim=${JITLOAD_CSMITH_SHIM:-$4} seed=$5 count=$6 extra=${7:-}
skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
command -v csmith >/dev/null || skip "csmith not installed"
[ -f "$shim/custom_stdint_x86.h" ] || skip "the csmith shim headers are not in '$shim' (set JITLOAD_CSMITH_SHIM)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
flags=(--target="$triple" ${extra:+"$extra"} -ffreestanding -DCSMITH_MINIMAL -I"$shim" -I/usr/include/csmith -w -fno-stack-protector)
sets=("-O0" "-O1" "-O2" "-Os" "-O3" "-O2 -fcommon" "-O1 -g" "-O1 -fomit-frame-pointer")
case "$triple $extra" in
  i386-*) want=(GENERIC_RELOC_VANILLA GENERIC_RELOC_SECTDIFF GENERIC_RELOC_LOCAL_SECTDIFF GENERIC_RELOC_PAIR) ;;
  *-mthumb*) want=(ARM_THUMB_RELOC_BR22 ARM_RELOC_HALF_SECTDIFF ARM_RELOC_PAIR ARM_RELOC_VANILLA) ;;
  *) want=(ARM_RELOC_BR24 ARM_RELOC_HALF_SECTDIFF ARM_RELOC_PAIR ARM_RELOC_VANILLA) ;;
esac

objects=() nopic=() done_count=0
while [ $done_count -lt "$count" ]; do
  seed=$((seed + 1))
  csmith --seed $seed --no-packed-struct -o p$seed.c >/dev/null 2>&1 || continue
  for set in "${sets[@]}" "-O2 -fno-pic"; do
    name=p$seed$(echo "$set" | tr -d ' =').o
    # shellcheck disable=SC2086
    "$clang" "${flags[@]}" $set -c p$seed.c -o "$name" || fail "seed $seed $set: clang cannot compile for $triple $extra"
    case $set in *-fno-pic*) nopic+=("$name") ;; *) objects+=("$name") ;; esac
  done
  done_count=$((done_count + 1))
done

# The relocation forms the objects hold (as `jitload load` lists them).
types=$(for o in "${objects[@]}"; do "$jitload" load "$o" --extern-default 0x40000000 2>&1; done | grep -oE '(GENERIC|ARM)_[A-Z0-9_]+' | sort | uniq -c)
for t in "${want[@]}"; do
  echo "$types" | grep -qE " $t\$" || { echo "$types"; fail "no $t in the $triple $extra objects"; }
done

out=$("$jitload" diff --fail-on-unexplained "${objects[@]}" 2>&1); rc=$?
[ $rc -eq 0 ] || { echo "$out" | grep -v '^  classified' | head -60; fail "jitload diff --fail-on-unexplained: status $rc"; }
n=${#objects[@]}
agree=$(echo "$out" | grep -cE '^p[0-9].*: agree \(loaded; [0-9]+ relocations; llvm agrees\)$')
[ "$agree" -eq "$n" ] || { echo "$out" | grep -vE '^  |: agree \(loaded; [0-9]+ relocations; llvm agrees\)$' | head -30
  fail "$agree of $n objects loaded by engine, reference and LLVM in agreement"; }
relocs=$(echo "$out" | sed -n 's/.*agree (loaded; \([0-9]*\) relocations.*/\1/p' | awk '{s += $1} END {print s + 0}')
stubbed=$(echo "$out" | sed -n 's/.*stub placement: \([0-9]*\) call.*/\1/p' | awk '{s += $1} END {print s + 0}')
echo "ok: $triple $extra: $n objects ($count Csmith programs x ${#sets[@]} flag sets, $relocs relocations): engine, reference and LLVM agree ($stubbed calls through LLVM's stubs, same targets)"
echo "$types" | sed 's/^/    /'

# -fno-pic: absolute movw/movt (ARM_RELOC_HALF), which LLVM 19 refuses.
out=$("$jitload" diff --fail-on-unexplained "${nopic[@]}" 2>&1); rc=$?
[ $rc -eq 0 ] || { echo "$out" | head -30; fail "-O2 -fno-pic: status $rc"; }
case $triple in
  i386-*)
    [ "$(echo "$out" | grep -cE ': agree \(loaded; [0-9]+ relocations; llvm agrees\)$')" -eq "${#nopic[@]}" ] ||
      { echo "$out" | head -30; fail "-O2 -fno-pic: not every object agrees three-way outright"; }
    echo "ok: -O2 -fno-pic: ${#nopic[@]} objects agree three-way" ;;
  *)
    [ "$(echo "$out" | grep -cE ': agree \(loaded; [0-9]+ relocations; llvm differs as classified\)$')" -eq "${#nopic[@]}" ] &&
      echo "$out" | grep -q 'Unimplemented relocation: MachO::ARM_RELOC_HALF' ||
      { echo "$out" | head -30; fail "-O2 -fno-pic: engine and reference do not agree, or LLVM's ARM_RELOC_HALF refusal is not the classified difference"; }
    echo "ok: -O2 -fno-pic: ${#nopic[@]} objects (ARM_RELOC_HALF) agree on engine and reference; LLVM 19's refusal of ARM_RELOC_HALF classified" ;;
esac

# The comparison can fail: one field planted wrong in LLVM's report.
out=$(JITLOAD_ORACLE_PLANT=macho-field "$jitload" diff --fail-on-unexplained "${objects[1]}" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "llvm disagrees" ||
  { echo "$out" | head -20; fail "a field planted wrong in LLVM's report of ${objects[1]} was not an unexplained disagreement (status $rc)"; }
echo "ok: a field planted wrong in LLVM's report is an unexplained disagreement"

case "$triple $extra" in
  armv7-*-marm*)
    f=macho-arm-sectdiff-unapplied
    "$clang" --target="$triple" -c "$here/../../corpora/llvm-defects/$f.s" -o $f.o || fail "cannot assemble $f.s"
    out=$("$jitload" diff --fail-on-unexplained $f.o 2>&1); rc=$?
    [ $rc -eq 0 ] && echo "$out" | grep -q "$f.o: agree (loaded; 4 relocations; llvm differs as classified)" &&
      echo "$out" | grep -q "catalogued LLVM 19 defect (corpora/llvm-defects/$f.s): 2 scattered ARM_RELOC_SECTDIFF" ||
      { echo "$out"; fail "$f.o: the catalogued SECTDIFF defect not classified (status $rc)"; }
    out=$(JITLOAD_ORACLE_PLANT=macho-field "$jitload" diff --fail-on-unexplained $f.o 2>&1); rc=$?
    [ $rc -eq 1 ] && echo "$out" | grep -q "llvm disagrees" ||
      { echo "$out"; fail "$f.o: a planted SECTDIFF field was explained as the catalogued defect (status $rc)"; }
    echo "ok: LLVM 19's unapplied ARM_RELOC_SECTDIFF classified as the catalogued defect; a planted field in it is not"
    ;;
esac

case "$triple $extra" in
  *-mthumb*)
    printf '\t.syntax unified\n\t.section __TEXT,__text,regular,pure_instructions\n\t.globl _t\n\t.p2align 1\n\t.code 16\n\t.thumb_func _t\n_t:\n\tblx _ext\n\tbx lr\n' > blx.s
    "$clang" --target="$triple" -c blx.s -o blx.o || fail "cannot assemble blx.s"
    out=$("$jitload" diff --fail-on-unexplained blx.o 2>&1); rc=$?
    [ $rc -eq 0 ] && echo "$out" | grep -q 'blx.o: agree (loaded; 1 relocations; llvm differs as classified)' &&
      echo "$out" | grep -q 'unsupported: LLVM 19 lacks the Thumb-2 forms of ARM_THUMB_RELOC_BR22' ||
      { echo "$out"; fail "a Thumb BLX: engine and reference do not agree, or LLVM's refusal is not classified (status $rc)"; }
    echo "ok: a Thumb-2 BLX (BR22): engine and reference agree; LLVM 19's refusal classified as unsupported"
    ;;
esac

case $triple in
  i386-*)
    printf '\t.data\n\t.globl _p\n_p:\n\t.byte _ext\n\t.byte 0\n\t.short _ext\n' > narrow.s
    "$clang" --target="$triple" -c narrow.s -o narrow.o || fail "cannot assemble narrow.s"
    out=$("$jitload" diff --fail-on-unexplained narrow.o 2>&1); rc=$?
    [ $rc -eq 0 ] && echo "$out" | grep -q 'narrow.o: agree (rejected as overflow by engine and reference; llvm loaded it)' &&
      echo "$out" | grep -q 'macho-i386-vanilla-silent-truncation.s): 2 GENERIC_RELOC_VANILLA field(s) out of range' ||
      { echo "$out"; fail "narrow VANILLA fields out of range: not the catalogued truncation (status $rc)"; }
    out=$(JITLOAD_ORACLE_PLANT=macho-field "$jitload" diff --fail-on-unexplained narrow.o 2>&1); rc=$?
    [ $rc -eq 1 ] || { echo "$out"; fail "narrow.o with a planted byte: explained as the catalogued truncation (status $rc)"; }
    echo "ok: 1- and 2-byte VANILLA out of range: refused by both loaders, LLVM's truncation classified as the catalogued defect; a planted byte is not"
    ;;
esac
