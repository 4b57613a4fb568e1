#!/usr/bin/env python3
"""Tests of bench/report.py on synthetic Google Benchmark output: the gate
passes when every ratio clears its threshold, fails on a ratio below it, on
a failed benchmark and on a missing one; medians are taken over
repetitions; the tables name the loaders' ratios."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = os.path.join(HERE, "report.py")


def bm(name, real_us, cpu_us=None, relocs=50000, error=None, manual=True, **counters):
    b = {"name": name + ("/manual_time" if manual else ""), "run_name": name + ("/manual_time" if manual else ""),
         "run_type": "iteration", "iterations": 10, "real_time": real_us, "cpu_time": real_us * 3,
         "time_unit": "us", "relocs": relocs, "obj_bytes": 3000000, "sections": 16}
    if cpu_us is not None:
        b["cpu_us"] = cpu_us
    b.update(counters)
    if error:
        b["error_occurred"] = True
        b["error_message"] = error
    return b


def run(benchmarks, thresholds, extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        j = os.path.join(tmp, "out.json")
        t = os.path.join(tmp, "thresholds.json")
        with open(j, "w") as f:
            json.dump({"context": {}, "benchmarks": benchmarks}, f)
        with open(t, "w") as f:
            json.dump({"ratios": thresholds}, f)
        p = subprocess.run([sys.executable, REPORT, j, "--gate", t, *extra], capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr


SPEEDUP = [{"name": "speedup", "slower": "BM_RuntimeDyld_Total/large", "faster": "BM_Engine_Total/large",
            "min": 3.0, "target": 10}]
LINEAR = [{"name": "linear", "slower": "BM_Engine_Total/large", "faster": "BM_Engine_Total/sections",
           "per": "obj_bytes", "min": 0.9}]
failures = 0


def check(what, cond, output):
    global failures
    if not cond:
        failures += 1
        print("FAIL: %s\n%s" % (what, output))
    else:
        print("ok: %s" % what)


# The gate compares CPU time: wall time says 2x here, CPU time 4x.
rc, out = run([bm("BM_RuntimeDyld_Total/large", 2000, cpu_us=2000), bm("BM_Engine_Total/large", 1000, cpu_us=500)],
              SPEEDUP)
check("passes at 4x CPU-time ratio over a threshold of 3", rc == 0 and "4.000" in out and "NOT met" in out, out)

rc, out = run([bm("BM_RuntimeDyld_Total/large", 2000, cpu_us=2000), bm("BM_Engine_Total/large", 1000, cpu_us=1000)],
              SPEEDUP)
check("fails at 2x under a threshold of 3", rc == 1 and "FAIL" in out, out)

rc, out = run([bm("BM_RuntimeDyld_Total/large", 2000, cpu_us=2000),
               bm("BM_Engine_Total/large", 0, error="engine: large: relocation out of range")], SPEEDUP)
check("fails when a benchmark failed, naming the error", rc == 1 and "out of range" in out, out)

rc, out = run([bm("BM_RuntimeDyld_Total/large", 2000, cpu_us=2000)], SPEEDUP)
check("fails when a benchmark is missing", rc == 1 and "missing" in out, out)

# Per byte: sections has twice the bytes at 1.5x the time.
rc, out = run([bm("BM_Engine_Total/large", 1000, cpu_us=1000, obj_bytes=3000000),
               bm("BM_Engine_Total/sections", 1500, cpu_us=1500, obj_bytes=6000000)], LINEAR)
check("per-byte ratio (1.333) passes 0.9", rc == 0 and "1.333" in out, out)
rc, out = run([bm("BM_Engine_Total/large", 1000, cpu_us=1000, obj_bytes=3000000),
               bm("BM_Engine_Total/sections", 2000, cpu_us=2000, obj_bytes=3600000)], LINEAR)
check("per-byte ratio (0.600) fails 0.9", rc == 1 and "0.600" in out, out)

# Medians over repetitions: 100, 900, 1000 -> 900.
reps = [bm("BM_Engine_Total/large", t, cpu_us=t) for t in (100, 900, 1000)]
rc, out = run(reps + [bm("BM_RuntimeDyld_Total/large", 2700, cpu_us=2700)], SPEEDUP)
check("median of repetitions (2700/900 = 3.000)", rc == 0 and "3.000" in out, out)

# Plain benchmarks (memcpy) have no cpu_us counter: Google Benchmark's CPU time.
floor = [{"name": "floor", "slower": "BM_Memcpy_Total/large", "faster": "BM_Engine_Total/large", "min": 0.05}]
rc, out = run([bm("BM_Memcpy_Total/large", 10, manual=False), bm("BM_Engine_Total/large", 1000, cpu_us=300)], floor)
check("memcpy floor uses its CPU time (30/300 = 0.100)", rc == 0 and "0.100" in out, out)

# The tables show the ratio columns.
rc, out = run([bm("BM_RuntimeDyld_Total/large", 2000, cpu_us=2000), bm("BM_Engine_Total/large", 1000, cpu_us=500),
               bm("BM_Memcpy_Total/large", 10, manual=False)], SPEEDUP)
check("table row for large with the wall (CPU) ratio",
      "| large | 1.00 ms | — | 2.00 ms | — | 10.0 µs | 2.00× (4.00×)" in out, out)

# The fresh-memory row beside the pooled one, and the steady-state memory table.
rc, out = run([bm("BM_RuntimeDyld_Total/large", 2000, cpu_us=2000, rss_mib=60.0, teardown_us=300),
               bm("BM_Engine_Total/large", 100, cpu_us=100, rss_mib=61.5, pool_mib=1.25, teardown_us=50),
               bm("BM_EngineFresh_Total/large", 200, cpu_us=200, rss_mib=60.0, teardown_us=40)], SPEEDUP)
check("fresh-memory column and ratio; 20x target met on CPU time",
      "| large | 100.0 µs | 200.0 µs | 2.00 ms |" in out and "20.0× (20.0×) | 10.0× (10.0×)" in out and
      "20x faster than RuntimeDyld on the large object: met" in out and
      "with fresh memory per load (no pool): CPU 10.0×" in out, out)
check("steady-state table: RSS, pool, teardown",
      "| Engine | large | 61.5 MiB | 1.25 MiB | 50.0 µs |" in out and
      "| EngineFresh | large | 60.0 MiB | — | 40.0 µs |" in out, out)

# The section sweep: per-section cost, its last point the sections object;
# a quadratic loader's per-section cost grows with the count.
SECTIONS = [{"name": "linear in sections", "slower": "BM_Engine_SectionSweep/256",
             "faster": "BM_Engine_Total/sections", "per": "sections", "min": 0.5}]
sweep = [bm("BM_Engine_SectionSweep/256", 230, cpu_us=230, sections=2300),
         bm("BM_Engine_Total/sections", 2300, cpu_us=2300, sections=20000),
         bm("BM_RuntimeDyld_SectionSweep/256", 2300, cpu_us=2300, sections=2300),
         bm("BM_RuntimeDyld_Total/sections", 200000, cpu_us=200000, sections=20000)]
rc, out = run(sweep, SECTIONS)
check("section sweep table: engine 100 -> 115 ns per section, RuntimeDyld 1000 -> 10000",
      rc == 0 and "| 256 | 2300 |" in out and "| 2300 | 20000 |" in out and "| 100 ns |" in out and
      "| 115 ns |" in out and "| 10000 ns |" in out and "0.870" in out and "section, 0.87x)" in out and
      "20000 against 2300 sections, >= 0.8): met" in out, out)
rc, out = run(sweep[:1] + [bm("BM_Engine_Total/sections", 23000, cpu_us=23000, sections=20000)], SECTIONS)
check("quadratic growth per section (0.087) fails the linearity floor", rc == 1 and "0.087" in out, out)

# Per byte judged against 0.9, the retired per-relocation ratio printed
# beside the memcpy floor's own: the floor slows per relocation with the
# bytes the object adds.
objs = [bm("BM_Engine_Total/large", 1000, cpu_us=1000, relocs=50000, obj_bytes=3000000),
        bm("BM_Engine_Total/sections", 1600, cpu_us=1600, relocs=50000, obj_bytes=4800000),
        bm("BM_Memcpy_Total/large", 100, cpu_us=100, manual=False, relocs=50000, obj_bytes=3000000),
        bm("BM_Memcpy_Total/sections", 160, cpu_us=160, manual=False, relocs=50000, obj_bytes=4800000)]
rc, out = run(objs, LINEAR)
check("per byte 0.33 vs 0.33 ns (1.00x) met; per relocation 0.62x for the engine and the floor alike",
      rc == 0 and "per byte, the 16-section object against the large one, >= 0.9): met "
      "(CPU 0.33 ns vs 0.33 ns per byte, 1.00x)" in out and
      "engine 0.62x, the memcpy floor 0.62x on the same two objects" in out, out)

# Whole processes: the table names both commands' times and the ratio
# (wall, CPU), the targets are judged on wall time, peak RSS against 10 MiB;
# a jitload that mapped libLLVM again (1.3x here) fails the gate's floor.
PROCESS = [{"name": "process", "slower": "BM_LlvmRtdyld_Process/large", "faster": "BM_JitloadRtdyld_Process/large",
            "min": 2.5, "target": 3}]
procs = [bm("BM_LlvmRtdyld_Process/large", 20000, cpu_us=18000, peak_rss_kib=61000),
         bm("BM_JitloadRtdyld_Process/large", 5000, cpu_us=4500, peak_rss_kib=11000),
         bm("BM_JitloadLoad_Process/small", 2000, cpu_us=1500, peak_rss_kib=4300)]
rc, out = run(procs, PROCESS)
check("process table, targets and RSS", rc == 0 and "| large | 20.00 ms | 5.00 ms | — | 4.00× (4.00×)" in out and
      "small object" not in out and "large object: met (wall 4.00×, CPU 4.00×)" in out and
      "< 10 MiB: met (4.2 MiB)" in out and "Other benchmarks" not in out, out)
procs[1] = bm("BM_JitloadRtdyld_Process/large", 15000, cpu_us=13500, peak_rss_kib=61000)
procs[2] = bm("BM_JitloadLoad_Process/small", 15000, cpu_us=13500, peak_rss_kib=52000)
rc, out = run(procs, PROCESS)
check("a slow jitload process fails the gate and misses the targets", rc == 1 and "FAIL  process" in out and
      "large object: NOT met" in out and "< 10 MiB: NOT met" in out, out)

# Every architecture in remote mode: one row per architecture, ratios in CPU
# time, "—" where a loader does not load it (JITLink on aarch64_be), and the
# gate reads BM_*_Arch like any other benchmark.
ARCH = [{"name": "remote aarch64_be", "slower": "BM_RuntimeDyld_Arch/aarch64_be",
         "faster": "BM_Engine_Arch/aarch64_be", "min": 6.0}]
arch = [bm("BM_Engine_Arch/aarch64", 1200, cpu_us=1250), bm("BM_RuntimeDyld_Arch/aarch64", 15000, cpu_us=15000),
        bm("BM_JITLink_Arch/aarch64", 6000, cpu_us=6250), bm("BM_Engine_Arch/aarch64_be", 1300, cpu_us=1300),
        bm("BM_RuntimeDyld_Arch/aarch64_be", 15600, cpu_us=15600)]
rc, out = run(arch, ARCH)
check("architecture table: aarch64 12.0x / 5.00x, aarch64_be 12.0x and no JITLink; gate passes",
      rc == 0 and "| aarch64 | 50,000 | 1.25 ms | 15.00 ms | 6.25 ms | 12.0× | 5.00× |" in out and
      "| aarch64_be | 50,000 | 1.30 ms | 15.60 ms | — | 12.0× | — |" in out and "remote aarch64_be" in out, out)
rc, out = run(arch[:4], ARCH)
check("a missing aarch64_be RuntimeDyld row fails the gate", rc == 1 and "missing" in out, out)

# RISC-V, LoongArch64, Mach-O x86-64: a loader that LLVM 19 refuses is a row
# that says so ("refused", with the reason below the table), not a dropped
# row and not a failure; the ratios against the loader that does load it
# (JITLink, RuntimeDyld on Mach-O) are in the same row and gated; an
# architecture the report does not list yet (Mach-O i386 here) still gets its row.
NEW_ARCH = [{"name": "remote riscv64 vs JITLink", "slower": "BM_JITLink_Arch/riscv64",
             "faster": "BM_Engine_Arch/riscv64", "min": 2.5},
            {"name": "remote macho-x86_64 vs RuntimeDyld", "slower": "BM_RuntimeDyld_Arch/macho-x86_64",
             "faster": "BM_Engine_Arch/macho-x86_64", "min": 2.0}]
crash = "refused: RuntimeDyld: crashed loading it (signal 11, Segmentation fault)"
new_arch = [bm("BM_Engine_Arch/riscv64", 8000, cpu_us=8000, relocs=161099),
            bm("BM_RuntimeDyld_Arch/riscv64", 0, error=crash),
            bm("BM_JITLink_Arch/riscv64", 40000, cpu_us=40000, relocs=161099),
            bm("BM_Engine_Arch/riscv32", 7500, cpu_us=7500, relocs=161099),
            bm("BM_RuntimeDyld_Arch/riscv32", 0, error=crash),
            bm("BM_JITLink_Arch/riscv32", 30000, cpu_us=30000, relocs=161099),
            bm("BM_Engine_Arch/loongarch64", 3000, cpu_us=3000, relocs=64454),
            bm("BM_RuntimeDyld_Arch/loongarch64", 0, error=crash),
            bm("BM_JITLink_Arch/loongarch64", 2000, cpu_us=2000, relocs=64454),
            bm("BM_Engine_Arch/macho-x86_64", 2000, cpu_us=2000, relocs=32263),
            bm("BM_RuntimeDyld_Arch/macho-x86_64", 7000, cpu_us=7000, relocs=32263),
            bm("BM_JITLink_Arch/macho-x86_64", 14000, cpu_us=14000, relocs=32263),
            bm("BM_Engine_Arch/macho-ppc", 1000, cpu_us=1000, relocs=1000),
            bm("BM_JITLink_Arch/macho-ppc", 3000, cpu_us=3000, relocs=1000)]
rc, out = run(new_arch, NEW_ARCH)
check("riscv64/riscv32/loongarch64 rows: RuntimeDyld refused with its reason, ratios against JITLink",
      rc == 0 and "| riscv64 | 161,099 | 8.00 ms | refused | 40.00 ms | refused | 5.00× |" in out and
      "| riscv32 | 161,099 | 7.50 ms | refused | 30.00 ms | refused | 4.00× |" in out and
      "| loongarch64 | 64,454 | 3.00 ms | refused | 2.00 ms | refused | 0.67× |" in out and
      "  riscv32: RuntimeDyld: crashed loading it (signal 11, Segmentation fault)" in out, out)
check("macho-x86_64 row against both, after the ELF rows; an unknown architecture still gets its row, last",
      "| macho-x86_64 | 32,263 | 2.00 ms | 7.00 ms | 14.00 ms | 3.50× | 7.00× |" in out and
      "| macho-ppc | 1,000 | 1.00 ms | — | 3.00 ms | — | 3.00× |" in out and
      out.index("| loongarch64 |") < out.index("| macho-x86_64 |") < out.index("| macho-ppc |"), out)
check("a refusal is not a failure", "Failed benchmarks" not in out and "ok    remote riscv64 vs JITLink" in out, out)
# A refusal by a loader the gate compares fails the gate (LLVM changed, or
# the registry is wrong): the gate never passes on a row it could not read.
rc, out = run(new_arch, [{"name": "remote riscv64 vs RuntimeDyld", "slower": "BM_RuntimeDyld_Arch/riscv64",
                          "faster": "BM_Engine_Arch/riscv64", "min": 1.0}])
check("gating a refused row fails, naming the refusal", rc == 1 and "FAIL  remote riscv64 vs RuntimeDyld" in out and
      "crashed loading it" in out, out)
# The engine slower than the floor on one architecture fails the gate.
slow = [x for x in new_arch if not x["name"].startswith("BM_Engine_Arch/riscv64/")] + [
    bm("BM_Engine_Arch/riscv64", 30000, cpu_us=30000, relocs=161099)]
rc, out = run(slow, NEW_ARCH)
check("engine at 1.33x JITLink on riscv64 fails a 2.5 floor", rc == 1 and "FAIL  remote riscv64 vs JITLink" in out and
      "1.333" in out, out)
# An unexpected error (not a refusal) is still a failure in the report.
rc, out = run([bm("BM_Engine_Arch/riscv64", 0, error="rv64-large: engine: relocation overflow")] + new_arch[1:],
              NEW_ARCH)
check("an engine error on an architecture is listed as a failure and fails the gate",
      rc == 1 and "| riscv64 | 161,099 | error |" in out and "Failed benchmarks" in out, out)

# The gate's benchmark filter: names with '-' or '.' in them (macho-x86_64)
# escaped as Google Benchmark's POSIX regular expressions want ("\-" is an
# invalid escape there: the gate ran nothing).
with tempfile.TemporaryDirectory() as tmp:
    t = os.path.join(tmp, "thresholds.json")
    with open(t, "w") as f:
        json.dump({"ratios": NEW_ARCH}, f)
    flt = subprocess.run([sys.executable, REPORT, "--gate-filter", t], capture_output=True, text=True).stdout.strip()
check("gate filter escapes no '-' and keeps the names", flt == "^(BM_Engine_Arch/macho-x86_64|BM_Engine_Arch/riscv64|"
      "BM_JITLink_Arch/riscv64|BM_RuntimeDyld_Arch/macho-x86_64)(/manual_time)?$", flt)

# The chart's per-architecture panel: ratios against each competitor, a
# refusing competitor named in the label.
sys.path.insert(0, HERE)
import importlib.util
spec = importlib.util.spec_from_file_location("report", REPORT)
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)
with tempfile.TemporaryDirectory() as tmp:
    j = os.path.join(tmp, "out.json")
    with open(j, "w") as f:
        json.dump({"context": {}, "benchmarks": new_arch}, f)
    results, _ = report.load_results(j)
rows, cols = report.arch_chart_rows(results)
labels = dict((label.split(" ")[0], (label, vals)) for label, vals in rows)
check("chart rows: riscv64 labelled 'RuntimeDyld refuses', JITLink/engine 5.0; macho both ratios",
      [c for c, _ in cols] == ["RuntimeDyld/engine", "JITLink/engine"] and
      labels["riscv64"][0] == "riscv64 (RuntimeDyld refuses)" and labels["riscv64"][1] == [None, 5.0] and
      labels["macho-x86_64"][1] == [3.5, 7.0], str(rows))

sys.exit(1 if failures else 0)
