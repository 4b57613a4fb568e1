#!/usr/bin/env python3
"""Summarise lit's JSON results of LLVM's RuntimeDyld tests on jitload.

usage: llvm_suite_summary.py [--expected FILE] [--markdown] LOADER=RESULTS.json...

Prints, per test directory (X86, AArch64, ...) and per loader, how many
tests passed, failed and were skipped (UNSUPPORTED: a format or architecture
jitload does not load yet), the failures with their first error line, and a
final line `N passed, N failed, N skipped` over every loader.

--expected names the ratchet: lines `<loader> <test>` that passed once and
must keep passing. Exit status 1 if one of them no longer passes; tests that
pass but are not listed are printed so they can be added.
"""
import argparse
import collections
import json
import re
import sys

PASS = {"PASS", "XFAIL"}
SKIP = {"UNSUPPORTED", "EXCLUDED", "SKIPPED"}


def short_name(name):
    # "LLVM 19 RuntimeDyld (engine) :: X86/TLS.s" -> "X86/TLS.s"
    return name.split(" :: ", 1)[-1]


def first_error(output):
    """The failing RUN line and the most telling line its command printed."""
    run, printed = "?", []
    for line in output.splitlines():
        m = re.match(r"# RUN: at line (\d+)", line)
        if m:
            run, printed = m.group(1), []
        elif line.startswith("# | "):
            printed.append(line[4:])
        elif line.startswith("# error: "):
            telling = [l for l in printed if re.search(r"error|is false|cannot evaluate|Assertion|Stack dump", l)]
            detail = telling[0] if telling else (printed[-1] + "; " if printed else "") + line[9:]
            return ("RUN line %s: %s" % (run, detail))[:240]
    lines = [l for l in output.splitlines() if l.strip()]
    return lines[-1][:240] if lines else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--expected")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("results", nargs="+", help="LOADER=path/to/results.json")
    args = ap.parse_args()

    loaders = []
    outcome = {}  # (loader, test) -> "pass" | "fail" | "skip"
    errors = {}
    for spec in args.results:
        loader, _, path = spec.partition("=")
        loaders.append(loader)
        with open(path) as f:
            data = json.load(f)
        for t in data["tests"]:
            name = short_name(t["name"])
            code = t["code"]
            kind = "pass" if code in PASS else "skip" if code in SKIP else "fail"
            outcome[(loader, name)] = kind
            if kind == "fail":
                errors[(loader, name)] = "%s: %s" % (code, first_error(t.get("output", "")))

    dirs = sorted({name.split("/", 1)[0] if "/" in name else "." for _, name in outcome})
    counts = collections.Counter()
    for (loader, name), kind in outcome.items():
        d = name.split("/", 1)[0] if "/" in name else "."
        counts[(loader, d, kind)] += 1
        counts[(loader, "total", kind)] += 1

    def cell(loader, d):
        return "%d / %d / %d" % (counts[(loader, d, "pass")], counts[(loader, d, "fail")], counts[(loader, d, "skip")])

    if args.markdown:
        print("| directory | " + " | ".join("%s (pass / fail / skip)" % l for l in loaders) + " |")
        print("|---|" + "---|" * len(loaders))
        for d in dirs + ["total"]:
            print("| %s | %s |" % (d, " | ".join(cell(l, d) for l in loaders)))
    else:
        width = max(len(d) for d in dirs + ["directory"])
        print("%-*s  %s" % (width, "directory", "  ".join("%-22s" % ("%s pass/fail/skip" % l) for l in loaders)))
        for d in dirs + ["total"]:
            print("%-*s  %s" % (width, d, "  ".join("%-22s" % cell(l, d) for l in loaders)))

    failures = sorted(errors)
    if failures:
        print("\nfailures:")
        for loader, name in failures:
            print("  [%s] %s  %s" % (loader, name, errors[(loader, name)]))

    status = 0
    if args.expected:
        expected = set()
        with open(args.expected) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    loader, _, name = line.partition(" ")
                    expected.add((loader, name.strip()))
        regressions = sorted(k for k in expected if k[0] in loaders and outcome.get(k) != "pass")
        new = sorted(k for k, v in outcome.items() if v == "pass" and k not in expected)
        if regressions:
            status = 1
            print("\nREGRESSIONS (passed before, listed in %s):" % args.expected)
            for loader, name in regressions:
                print("  [%s] %s: %s" % (loader, name, outcome.get((loader, name), "missing")))
        if new:
            print("\nnewly passing (add to %s):" % args.expected)
            for loader, name in new:
                print("  %s %s" % (loader, name))

    for loader in loaders:
        print("%s: %d passed, %d failed, %d skipped" % (
            loader, counts[(loader, "total", "pass")], counts[(loader, "total", "fail")],
            counts[(loader, "total", "skip")]))
    total = {k: sum(counts[(l, "total", k)] for l in loaders) for k in ("pass", "fail", "skip")}
    print("%d passed, %d failed, %d skipped" % (total["pass"], total["fail"], total["skip"]))
    return status


if __name__ == "__main__":
    sys.exit(main())
