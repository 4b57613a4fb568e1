#!/usr/bin/env python3
"""Tests for llvm_suite_summary.py on canned lit JSON results: counts per
directory and loader, the final line, the ratchet (a listed test that stops
passing fails the run; a passing unlisted one is reported)."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUMMARY = os.path.join(HERE, "llvm_suite_summary.py")


def results(tests):
    return {"__version__": [19, 1, 7], "elapsed": 1.0,
            "tests": [{"name": "LLVM 19 RuntimeDyld (x) :: " + n, "code": c, "output": o, "elapsed": 0.1}
                      for n, c, o in tests]}


def run(tmp, expected, **loaders):
    args = [sys.executable, SUMMARY, "--expected", expected]
    for loader, tests in loaders.items():
        path = os.path.join(tmp, loader + ".json")
        with open(path, "w") as f:
            json.dump(results(tests), f)
        args.append("%s=%s" % (loader, path))
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout


def main():
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        expected = os.path.join(tmp, "expected.txt")
        with open(expected, "w") as f:
            f.write("# comment\nengine X86/a.s\nengine X86/b.s\n")
        failing = "# RUN: at line 3\n# executed command: x\n# | t.s:4: expression 'a = b' is false: 0x1 != 0x2\n" \
                  "# error: command failed with exit status: 1\n"
        rc, out = run(tmp, expected,
                      engine=[("X86/a.s", "PASS", ""), ("X86/b.s", "PASS", ""), ("X86/c.s", "FAIL", failing),
                              ("AArch64/d.s", "UNSUPPORTED", "")],
                      reference=[("X86/a.s", "PASS", ""), ("X86/b.s", "FAIL", failing), ("X86/c.s", "XFAIL", ""),
                                 ("AArch64/d.s", "UNSUPPORTED", "")])
        check(rc == 0, "no listed engine test regressed, so exit 0 (got %d)" % rc)
        check(out.splitlines()[-1] == "4 passed, 2 failed, 2 skipped", "final line: " + out.splitlines()[-1])
        check("engine: 2 passed, 1 failed, 1 skipped" in out, "engine line")
        check("reference: 2 passed, 1 failed, 1 skipped" in out, "reference line")
        check("[engine] X86/c.s  FAIL: RUN line 3: t.s:4: expression 'a = b' is false" in out, "failure detail:\n" + out)
        check("reference X86/a.s" in out and "newly passing" in out, "unlisted passes are reported")
        lines = [l for l in out.splitlines() if l.startswith("X86 ")]
        check(lines and lines[0].split()[1:4] == ["2", "/", "1"], "X86 row: %r" % lines)

        with open(expected, "a") as f:
            f.write("reference X86/b.s\n")
        rc, out = run(tmp, expected,
                      engine=[("X86/a.s", "PASS", ""), ("X86/b.s", "PASS", "")],
                      reference=[("X86/a.s", "PASS", ""), ("X86/b.s", "FAIL", failing)])
        check(rc == 1, "a listed test that fails is a regression (got %d)" % rc)
        check("REGRESSIONS" in out and "[reference] X86/b.s" in out, "regression listed:\n" + out)

    for f in failures:
        print("FAIL:", f)
    print("%d checks failed" % len(failures) if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
