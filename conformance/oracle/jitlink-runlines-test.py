#!/usr/bin/env python3
"""The RISC-V conformance files through the three-way diff at the
placements their RUN lines use (the exact edges, the wraps, the far
externals): every llvm-rtdyld RUN line of conformance/tests/elf/riscv{64,32}
becomes `jitload diff --fail-on-unexplained OBJ --map-section S=A --extern X=A`
with JITLink as the oracle. Engine and reference must agree on every run;
LLVM may differ only as classified, except at the runs listed in KNOWN,
each a catalogued LLVM 19 defect (corpora/llvm-defects/), which must still
be unexplained disagreements (a fixed LLVM is noticed).

usage: jitlink-runlines-test.py JITLOAD LLVM_MC SOURCE_DIR
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

# (file, the run's placement) -> the catalogue entry that explains it.
KNOWN = {
    ("riscv64/sub6", ".data=0x10000 .text.far=0x123456"): "riscv-jitlink-sub6-addend",
    ("riscv64/sub6", ".data=0x10000 .text.far=0xfedcba98"): "riscv-jitlink-sub6-addend",
    ("riscv32/sub6", ".data=0x10000 .text.far=0x123456"): "riscv-jitlink-sub6-addend",
    ("riscv32/sub6", ".data=0x10000 .text.far=0xfedcba98"): "riscv-jitlink-sub6-addend",
    ("riscv32/call", ".text=0x10000 .text.far=0xc0000000"): "riscv32-jitlink-pcrel-wrap-refused",
    ("riscv32/call_plt", ".text=0x10000 .text.far=0xc0000000"): "riscv32-jitlink-pcrel-wrap-refused",
    ("riscv32/pcrel_hi20", ".text=0x10000 .data=0xfffff000"): "riscv32-jitlink-pcrel-wrap-refused",
    ("riscv32/pcrel_lo12_i", ".text=0x10000 .data=0xfffff000"): "riscv32-jitlink-pcrel-wrap-refused",
    ("riscv32/pcrel_lo12_s", ".text=0x10000 .data=0xfffff000"): "riscv32-jitlink-pcrel-wrap-refused",
}


def run_lines(text):
    """The RUN lines of a lit file, continuation lines joined."""
    runs, cur = [], ""
    for line in text.splitlines():
        m = re.match(r"# RUN:\s?(.*)", line)
        if not m:
            continue
        part = m.group(1).rstrip()
        if part.endswith("\\"):
            cur += part[:-1] + " "
            continue
        runs.append(cur + part)
        cur = ""
    return runs


def main():
    jitload, mc, src = sys.argv[1:4]
    work = tempfile.mkdtemp()
    runs = unexplained = disagreements = 0
    seen_known = set()
    failures = []
    for xlen in ("riscv64", "riscv32"):
        for path in sorted(glob.glob(f"{src}/conformance/tests/elf/{xlen}/*.s")):
            name = os.path.basename(path)[:-2]
            lines = run_lines(open(path).read())
            mcline = [r for r in lines if r.startswith("llvm-mc")]
            if not mcline:
                continue
            obj = f"{work}/{xlen}-{name}.o"
            mattr = re.findall(r"-mattr=\S+", mcline[0])
            subprocess.run([mc, f"-triple={xlen}-linux-gnu", *mattr, "-filetype=obj", "-o", obj, path], check=True)
            for r in lines:
                if "llvm-rtdyld" not in r or f"%t/{name}.o" not in r:
                    continue
                maps = re.findall(r"-map-section \S+?,(\S+)=(\S+)", r)
                externs = re.findall(r"-dummy-extern (\S+?)=(\S+)", r)
                args = []
                for sec, addr in maps:
                    args += ["--map-section", f"{sec}={addr}"]
                for sym, addr in externs:
                    args += ["--extern", f"{sym}={addr}"]
                res = subprocess.run([jitload, "diff", "--fail-on-unexplained", obj, *args], capture_output=True, text=True)
                runs += 1
                out = res.stdout
                key = (f"{xlen}/{name}", " ".join(f"{s}={a}" for s, a in maps + externs))
                if ": disagree " in out.splitlines()[0]:
                    disagreements += 1
                    failures.append(f"engine and reference disagree: {key}\n{out}")
                elif res.returncode != 0:
                    unexplained += 1
                    if key in KNOWN:
                        seen_known.add(key)
                    else:
                        failures.append(f"unexplained LLVM disagreement: {key}\n{out}")
                elif key in KNOWN:
                    failures.append(f"{key}: no longer an LLVM disagreement (LLVM fixed? {KNOWN[key]})\n{out}")
    for key in KNOWN:
        if key not in seen_known and not any(key[0] in f for f in failures):
            failures.append(f"{key}: this run was not found (RUN lines changed?)")
    print(f"{runs} runs: {disagreements} engine/reference disagreements, {unexplained} unexplained LLVM "
          f"disagreements ({len(seen_known)} of them the {len(KNOWN)} catalogued)")
    shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL: " + f)
    if runs < 100:
        print(f"FAIL: only {runs} runs")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
