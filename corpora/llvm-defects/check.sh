#!/bin/sh
# The LLVM defects catalogue as a test (ctest llvm-defects): each defect's
# LLVM 19 command must still show the defect, and jitload's same command
# must do what the psABI says. When LLVM's behaviour changes (a fixed
# LLVM), this fails naming the defect, so the catalogue gets updated.
#   check.sh JITLOAD CLANG [LLVM_RTDYLD]      (exit 77: a tool is missing)
set -u
jitload=$1
clang=$2
rtdyld=${3:-llvm-rtdyld-19}
here=$(cd "$(dirname "$0")" && pwd)
command -v "$rtdyld" >/dev/null 2>&1 || { echo "SKIP: $rtdyld not found"; exit 77; }
command -v "$clang" >/dev/null 2>&1 || { echo "SKIP: $clang not found"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
present=0

asm() {  # asm NAME: assemble corpora/llvm-defects/NAME.s into $tmp/NAME.o (aarch64-*: for AArch64)
  case $1 in
    aarch64-*) target=--target=aarch64-linux-gnu ;;
    macho-arm64-*) target=--target=arm64-apple-macosx ;;
    riscv32-*) target=--target=riscv32-linux-gnu ;;
    riscv-*) target=--target=riscv64-linux-gnu ;;
    macho-i386-*) target=--target=i386-apple-macosx ;;
    macho-arm-*) target=--target=armv7-apple-ios ;;
    macho-x86_64-*) target=--target=x86_64-apple-macosx10.15 ;;
    *) target=--target=x86_64-linux-gnu ;;
  esac
  "$clang" $target -c "$here/$1.s" -o "$tmp/$1.o" || { echo "FAIL: cannot assemble $1.s"; failed=1; return 1; }
}

# run WHO EXPECTED_STATUS EXPECTED_TEXT COMMAND...: runs COMMAND, checks the
# status and that its output (stdout+stderr) contains EXPECTED_TEXT.
run() {
  who=$1 want=$2 text=$3
  shift 3
  out=$("$@" 2>&1)
  got=$?
  if [ "$got" -ne "$want" ] || { [ -n "$text" ] && ! printf '%s\n' "$out" | grep -qF -- "$text"; }; then
    echo "  $who: status $got (expected $want), output:"
    printf '%s\n' "$out" | sed 's/^/    /'
    return 1
  fi
  return 0
}

# both_loaders STATUS TEXT ARGS...: `jitload rtdyld --loader=L ARGS...` for
# the engine and the reference, each checked as run() does; 1 if either fails.
both_loaders() {
  bl_want=$1 bl_text=$2
  shift 2
  bl_failed=0
  for loader in engine reference; do
    run "jitload rtdyld --loader=$loader" "$bl_want" "$bl_text" "$jitload" rtdyld --loader=$loader "$@" || bl_failed=1
  done
  return $bl_failed
}

# defect NAME LLVM-RESULT JITLOAD-RESULT: the verdict line for one defect.
verdict() {
  name=$1 llvm_ok=$2 ours_ok=$3
  if [ "$llvm_ok" -ne 0 ]; then
    echo "FAIL: $name: LLVM 19's behaviour changed (fixed?): update corpora/llvm-defects/README.md"
    failed=1
  elif [ "$ours_ok" -ne 0 ]; then
    echo "FAIL: $name: jitload no longer does what the psABI says"
    failed=1
  else
    echo "ok: $name: LLVM defect present, jitload follows the psABI"
    present=$((present + 1))
  fi
}

# moved_apart NAME TRIPLE LLVM-SAYS DIFF-SAYS SECTION=ADDR...: a defect shown
# by mapping the object's sections apart: llvm-rtdyld-19 -verify fails saying
# LLVM-SAYS, both loaders pass the same checks, and `jitload diff` with the
# same placement names the catalogued defect (DIFF-SAYS) and nothing else.
moved_apart() {
  ma_name=$1 ma_triple=$2 ma_llvm=$3 ma_diff=$4
  shift 4
  ma_rmap="" ma_dmap=""
  for m in "$@"; do ma_rmap="$ma_rmap -map-section $ma_name.o,$m"; ma_dmap="$ma_dmap --map-section $m"; done
  # shellcheck disable=SC2086
  run llvm-rtdyld-19 1 "$ma_llvm" "$rtdyld" -triple="$ma_triple" $ma_rmap -verify -check="$here/$ma_name.s" \
    "$tmp/$ma_name.o"; ma_a=$?
  # shellcheck disable=SC2086
  both_loaders 0 "" -triple="$ma_triple" $ma_rmap -verify -check="$here/$ma_name.s" "$tmp/$ma_name.o"; ma_b=$?
  # shellcheck disable=SC2086
  run "jitload diff" 0 "catalogued LLVM 19 defect (corpora/llvm-defects/$ma_name.s): $ma_diff" \
    "$jitload" diff --fail-on-unexplained $ma_dmap "$tmp/$ma_name.o" || ma_b=1
  verdict "$ma_name" $ma_a $ma_b
}

x86=-triple=x86_64-pc-linux-gnu

# 1. IE -> LE rewrite touches three bytes past its sequence, 32-bit load.
if asm ie-rewrite-past-sequence; then
  f=ie-rewrite-past-sequence
  run llvm-rtdyld-19 1 "*{4}(seq + 2) = 0x048b4864' is false" "$rtdyld" $x86 -verify -check="$here/$f.s" "$tmp/$f.o"; a=$?
  if [ $a -eq 0 ]; then  # all three psABI checks fail under LLVM, not only one
    n=$("$rtdyld" $x86 -verify -check="$here/$f.s" "$tmp/$f.o" 2>&1 | grep -c "is false")
    [ "$n" -eq 3 ] || { echo "  llvm-rtdyld-19: $n of 3 checks false"; a=1; }
  fi
  run "jitload rtdyld" 0 "" "$jitload" rtdyld $x86 -verify -check="$here/$f.s" "$tmp/$f.o"; b=$?
  verdict "$f" $a $b
fi

# 2. IFUNC trampoline does not preserve %xmm0-7.
if asm ifunc-trampoline-xmm; then
  f=ifunc-trampoline-xmm
  run llvm-rtdyld-19 0 "" "$rtdyld" -execute -entry=main "$tmp/$f.o"; a=$?
  run "jitload rtdyld" 6 "" "$jitload" rtdyld -execute -entry=main "$tmp/$f.o"; b=$?
  verdict "$f" $a $b
fi

# 3. R_X86_64_32 out of range silently truncated.
if asm abs32-silent-truncation; then
  f=abs32-silent-truncation
  run llvm-rtdyld-19 0 "" "$rtdyld" $x86 -verify -dummy-extern ext=0x123456789 -check="$here/$f.s" "$tmp/$f.o"; a=$?
  run "jitload rtdyld" 1 "relocation R_X86_64_32 out of range" \
    "$jitload" rtdyld $x86 -verify -dummy-extern ext=0x123456789 -check="$here/$f.s" "$tmp/$f.o"; b=$?
  verdict "$f" $a $b
fi

# 4. References bound to the object's own weak definition.
if asm weak-own-definition-a && asm weak-own-definition-b; then
  f=weak-own-definition
  run llvm-rtdyld-19 5 "" "$rtdyld" -execute -entry=main "$tmp/$f-a.o" "$tmp/$f-b.o"; a=$?
  run "jitload rtdyld" 9 "" "$jitload" rtdyld -execute -entry=main "$tmp/$f-a.o" "$tmp/$f-b.o"; b=$?
  verdict "$f" $a $b
fi

# 5. Two strong definitions accepted.
if asm duplicate-strong-a && asm duplicate-strong-b; then
  f=duplicate-strong
  run llvm-rtdyld-19 7 "" "$rtdyld" -execute -entry=main "$tmp/$f-a.o" "$tmp/$f-b.o"; a=$?
  run "jitload rtdyld" 1 "duplicate definition of symbol 'dup'" \
    "$jitload" rtdyld -execute -entry=main "$tmp/$f-a.o" "$tmp/$f-b.o"; b=$?
  verdict "$f" $a $b
fi

# 6. AArch64: ADRP beyond +-4 GiB silently truncated. jitload must not
# produce the truncated instruction: status 1 whether it refuses the
# relocation or (before AArch64 support is merged) the machine.
if asm aarch64-adrp-silent-truncation; then
  f=aarch64-adrp-silent-truncation
  a64=-triple=aarch64-linux-gnu
  run llvm-rtdyld-19 0 "" "$rtdyld" $a64 -verify -dummy-extern ext=0x400000001000 -check="$here/$f.s" "$tmp/$f.o"; a=$?
  run "jitload rtdyld" 1 "" "$jitload" rtdyld $a64 -verify -dummy-extern ext=0x400000001000 -check="$here/$f.s" "$tmp/$f.o"; b=$?
  verdict "$f" $a $b
fi

# 7. AArch64: LD_PREL_LO19 left unapplied. jitload: the check passes, or
# (until AArch64 is merged into this branch) the machine is refused by name.
if asm aarch64-ld-prel-lo19-unapplied; then
  f=aarch64-ld-prel-lo19-unapplied
  a64=-triple=aarch64-linux-gnu
  run llvm-rtdyld-19 1 "(*{4}ldr)[23:5] = ((target - ldr) >> 2)[18:0]' is false: 0x0 !=" \
    "$rtdyld" $a64 -verify -check="$here/$f.s" "$tmp/$f.o"; a=$?
  if run "jitload rtdyld" 0 "" "$jitload" rtdyld $a64 -verify -check="$here/$f.s" "$tmp/$f.o" >/dev/null; then b=0
  else
    run "jitload rtdyld" 1 "ELF machine 183 is not supported" "$jitload" rtdyld $a64 -verify -check="$here/$f.s" "$tmp/$f.o"; b=$?
    [ $b -ne 0 ] || echo "  (jitload on this branch does not load AArch64 yet: refused by name)"
  fi
  verdict "$f" $a $b
fi

# 8. RISC-V, LLVM 19's JITLink (RuntimeDyld 19 has no RISC-V): R_RISCV_SUB6
# with the addend's sign wrong. llvm-jitlink-19's slab puts .data at 0x10000
# and far at 0x11002; jitload maps them there.
jitlink=$(dirname "$rtdyld")/llvm-jitlink-19
[ "$rtdyld" = llvm-rtdyld-19 ] && jitlink=llvm-jitlink-19
if ! command -v "$jitlink" >/dev/null 2>&1; then
  echo "skip: riscv-jitlink-sub6-addend: $jitlink not found"
  failed=1
elif asm riscv-jitlink-sub6-addend; then
  f=riscv-jitlink-sub6-addend
  run llvm-jitlink-19 1 "*{1}w = 0xc0' is false: 0xc6 != 0xc0" \
    "$jitlink" -noexec -slab-allocate=100Kb -slab-address=0x10000 -slab-page-size=4096 -check="$here/$f.s" "$tmp/$f.o"; a=$?
  both_loaders 0 "" -triple=riscv64-linux-gnu -verify \
    -map-section $f.o,.data=0x10000 -map-section $f.o,.text=0x11000 -map-section $f.o,.text.far=0x11002 \
    -check="$here/$f.s" "$tmp/$f.o"; b=$?
  verdict "$f" $a $b
fi

# 9. ORC (llvm-jitlink) refuses a second object with a common symbol of the
# same name; jitload merges the commons (rule L4) and main returns 0, as ld.
if ! command -v "$jitlink" >/dev/null 2>&1; then
  echo "skip: orc-common-twice: $jitlink not found"
  failed=1
elif asm orc-common-twice-a && asm orc-common-twice-b; then
  f=orc-common-twice
  run llvm-jitlink-19 1 "Unexpected definitions in module $tmp/$f-b.o: [ big ]" "$jitlink" -noexec "$tmp/$f-a.o" "$tmp/$f-b.o"; a=$?
  run "jitload rtdyld" 0 "" "$jitload" rtdyld -execute -entry=main "$tmp/$f-a.o" "$tmp/$f-b.o"; b=$?
  verdict "$f" $a $b
fi

# 10. RISC-V, JITLink: R_RISCV_32 and R_RISCV_32_PCREL silently truncated on
# RV64 (the checks state the truncated words and pass under LLVM).
if ! command -v "$jitlink" >/dev/null 2>&1; then
  echo "skip: riscv-jitlink-32-silent-truncation: $jitlink not found"
  failed=1
elif asm riscv-jitlink-32-silent-truncation; then
  f=riscv-jitlink-32-silent-truncation
  run llvm-jitlink-19 0 "" "$jitlink" -noexec -slab-allocate=100Kb -slab-address=0x10000 -slab-page-size=4096 \
    --abs=ext=0x7f0000000000 -check="$here/$f.s" "$tmp/$f.o"; a=$?
  b=0
  for loader in engine reference; do
    run "jitload rtdyld --loader=$loader" 1 "relocation R_RISCV_32 out of range" "$jitload" rtdyld --loader=$loader \
      -triple=riscv64-linux-gnu -verify -dummy-extern ext=0x7f0000000000 "$tmp/$f.o" || b=1
    run "jitload rtdyld --loader=$loader" 1 "2 relocations" "$jitload" rtdyld --loader=$loader \
      -triple=riscv64-linux-gnu -verify -dummy-extern ext=0x7f0000000000 "$tmp/$f.o" || b=1  # both words refused
  done
  verdict "$f" $a $b
fi

# 11. RV32, JITLink: a PC-relative distance that wraps modulo 2^32 refused.
if ! command -v "$jitlink" >/dev/null 2>&1; then
  echo "skip: riscv32-jitlink-pcrel-wrap-refused: $jitlink not found"
  failed=1
elif asm riscv32-jitlink-pcrel-wrap-refused; then
  f=riscv32-jitlink-pcrel-wrap-refused
  run llvm-jitlink-19 1 'relocation target "data" at address 0xfffff000 is out of range of R_RISCV_PCREL_HI20' \
    "$jitlink" -noexec -slab-allocate=100Kb -slab-address=0x10000 -slab-page-size=4096 --abs=data=0xfffff000 "$tmp/$f.o"; a=$?
  both_loaders 0 "" -triple=riscv32-linux-gnu -verify -map-section $f.o,.text=0x10000 -dummy-extern data=0xfffff000 \
    -check="$here/$f.s" "$tmp/$f.o"; b=$?
  verdict "$f" $a $b
fi

# 12. RV32, JITLink: lui %hi(x) refused for x in the upper half.
if ! command -v "$jitlink" >/dev/null 2>&1; then
  echo "skip: riscv32-jitlink-hi20-upper-half-refused: $jitlink not found"
  failed=1
elif asm riscv32-jitlink-hi20-upper-half-refused; then
  f=riscv32-jitlink-hi20-upper-half-refused
  run llvm-jitlink-19 1 'relocation target "data" at address 0x80001000 is out of range of R_RISCV_HI20' \
    "$jitlink" -noexec --abs=data=0x80001000 "$tmp/$f.o"; a=$?
  both_loaders 0 "" -triple=riscv32-linux-gnu -verify -dummy-extern data=0x80001000 \
    -check="$here/$f.s" "$tmp/$f.o"; b=$?
  verdict "$f" $a $b
fi

# 13. Mach-O x86-64: a BRANCH out of +-2 GiB written truncated (no stub, no
# error). Both of jitload's loaders call through their stub for _ext: the
# check (the truncated word) is false, and jitload diff reaches _ext.
macho=-triple=x86_64-apple-macosx10.15
if asm macho-x86_64-branch-silent-truncation; then
  f=macho-x86_64-branch-silent-truncation
  run llvm-rtdyld-19 0 "" "$rtdyld" $macho -verify -dummy-extern _ext=0x7f0000001000 -check="$here/$f.s" "$tmp/$f.o"; a=$?
  both_loaders 1 "(call + 1) = (_ext - (call + 5))[31:0]' is false" \
    $macho -verify -dummy-extern _ext=0x7f0000001000 \
    -check="$here/$f.s" "$tmp/$f.o"; b=$?
  run "jitload diff" 0 "X86_64_RELOC_BRANCH call(s) out of" "$jitload" diff --fail-on-unexplained \
    --extern ext=0x7f0000001000 "$tmp/$f.o" || b=1
  verdict "$f" $a $b
fi

# 14. Mach-O x86-64: a SIGNED (RIP-relative operand) out of +-2 GiB written
# truncated; both of jitload's loaders refuse it as out of range.
if asm macho-x86_64-signed-silent-truncation; then
  f=macho-x86_64-signed-silent-truncation
  run llvm-rtdyld-19 0 "" "$rtdyld" $macho -verify -dummy-extern _ext=0x7f0000001000 -check="$here/$f.s" "$tmp/$f.o"; a=$?
  both_loaders 1 "relocation X86_64_RELOC_SIGNED out of range" $macho -verify -dummy-extern _ext=0x7f0000001000 \
    -check="$here/$f.s" "$tmp/$f.o"; b=$?
  run "jitload diff" 0 "X86_64_RELOC_SIGNED field(s) out of" "$jitload" diff --fail-on-unexplained \
    --extern ext=0x7f0000001000 "$tmp/$f.o" || b=1
  verdict "$f" $a $b
fi

# 15. Mach-O x86-64: registerEHFrames moves every FDE's pc_begin by __text's
# displacement; the FDE of _g (in __text2) no longer reaches _g.
if asm macho-x86_64-eh-frame-outside-text; then
  f=macho-x86_64-eh-frame-outside-text
  map="-map-section $f.o,__text=0x100000 -map-section $f.o,__eh_frame=0x200000 -map-section $f.o,__text2=0x300000"
  # shellcheck disable=SC2086
  run llvm-rtdyld-19 1 "is false: 0xffffffffffefffc1 != 0xfffc0" "$rtdyld" $macho -verify $map -check="$here/$f.s" "$tmp/$f.o"; a=$?
  # shellcheck disable=SC2086
  both_loaders 0 "" $macho -verify $map -check="$here/$f.s" "$tmp/$f.o"; b=$?
  run "jitload diff" 0 "FDE pc_begin field(s) of functions outside __text" "$jitload" diff --fail-on-unexplained \
    --map-section __text=0x100000 --map-section __eh_frame=0x200000 --map-section __text2=0x300000 "$tmp/$f.o" || b=1
  verdict "$f" $a $b
fi

# 16. Mach-O arm64: a BRANCH26 beyond +-128 MiB written truncated (no stub,
# the range check an assert). jitload's loaders branch to their veneer, so
# the check (the truncated word) is false; before branch ma64 is merged
# they refuse arm64 Mach-O by name. Either way status 1, never that word.
if asm macho-arm64-branch26-silent-truncation; then
  f=macho-arm64-branch26-silent-truncation
  a64m=-triple=arm64-apple-macosx11
  run llvm-rtdyld-19 0 "" "$rtdyld" $a64m -verify -dummy-extern _ext=0x7f0000001000 -check="$here/$f.s" "$tmp/$f.o"; a=$?
  b=0
  for loader in engine reference; do
    out=$("$jitload" rtdyld --loader=$loader $a64m -verify -dummy-extern _ext=0x7f0000001000 -check="$here/$f.s" "$tmp/$f.o" 2>&1)
    st=$?
    if [ $st -ne 1 ] || ! printf '%s\n' "$out" | grep -qE "\(\*\{4\}call\)\[25:0\] = .* is false|CPU type 0x100000c is not supported"; then
      echo "  jitload rtdyld --loader=$loader: status $st, output:"; printf '%s\n' "$out" | sed 's/^/    /'; b=1
    fi
  done
  verdict "$f" $a $b
fi

# Mach-O arm64: a misaligned PAGEOFF12 on a 16-byte load silently
# truncated by LLVM; refused by both of jitload's loaders.
if asm macho-arm64-pageoff12-misaligned; then
  f=macho-arm64-pageoff12-misaligned
  m64="-triple=arm64-apple-macosx -verify -map-section $f.o,__text=0x10000 -map-section $f.o,__data=0x7654328"
  run llvm-rtdyld-19 1 "is false: 0x330 != 0x338" "$rtdyld" $m64 -check="$here/$f.s" "$tmp/$f.o"; a=$?
  both_loaders 1 "ARM64_RELOC_PAGEOFF12" $m64 -check="$here/$f.s" "$tmp/$f.o"; b=$?
  verdict "$f" $a $b
fi

# Mach-O i386: a 1- or 2-byte LOCAL_SECTDIFF out of range silently truncated.
if asm macho-i386-sectdiff-silent-truncation; then
  f=macho-i386-sectdiff-silent-truncation
  map="-map-section $f.o,__text=0x1000 -map-section $f.o,__data=0x100000"
  run llvm-rtdyld-19 0 "" "$rtdyld" -triple=i386-apple-macosx -verify $map -check="$here/$f.s" "$tmp/$f.o"; a=$?
  both_loaders 1 "relocation GENERIC_RELOC_LOCAL_SECTDIFF out of range" -triple=i386-apple-macosx -verify $map \
    -check="$here/$f.s" "$tmp/$f.o"; b=$?
  run "jitload diff" 0 "catalogued LLVM 19 defect (corpora/llvm-defects/$f.s): 2 GENERIC_RELOC_SECTDIFF" \
    "$jitload" diff --fail-on-unexplained --map-section __text=0x1000 --map-section __data=0x100000 "$tmp/$f.o" || b=1
  verdict "$f" $a $b
fi

# Mach-O i386: a 4-byte VANILLA out of range silently truncated.
if asm macho-i386-vanilla-silent-truncation; then
  f=macho-i386-vanilla-silent-truncation
  run llvm-rtdyld-19 0 "" "$rtdyld" -triple=i386-apple-macosx -verify -dummy-extern _ext=0x123456789 \
    -check="$here/$f.s" "$tmp/$f.o"; a=$?
  both_loaders 1 "relocation GENERIC_RELOC_VANILLA out of range" \
    -triple=i386-apple-macosx -verify -dummy-extern _ext=0x123456789 \
    -check="$here/$f.s" "$tmp/$f.o"; b=$?
  verdict "$f" $a $b
fi

# Mach-O i386: a scattered pc-relative VANILLA P + 4 bytes short of its target.
if asm macho-i386-scattered-pcrel-vanilla; then
  moved_apart macho-i386-scattered-pcrel-vanilla i386-apple-macosx "is false: 0x1ffffa != 0x200003" \
    "1 scattered pc-relative" __text=0x100000 __const=0x300000
fi

# Mach-O ARM: a scattered BR24 silently left unapplied.
if asm macho-arm-scattered-br24-unapplied; then
  moved_apart macho-arm-scattered-br24-unapplied armv7-apple-ios "is false: 0xc != 0x1f0004" \
    "1 scattered ARM_RELOC_BR24" __text=0x10000 __text2=0x200000
fi

# Mach-O ARM: a scattered SECTDIFF (with its PAIR) silently left unapplied.
if asm macho-arm-sectdiff-unapplied; then
  moved_apart macho-arm-sectdiff-unapplied armv7-apple-ios \
    "Expression '*{4}_d = (_f - _d) & 0xffffffff' is false: 0xfffffff8 != 0xffe10000" "2 scattered" \
    __text=0x10000 __data=0x200000
fi

echo "llvm-defects: $present defects present in LLVM 19"
exit $failed
