# lit configuration for jitload's own conformance suite:
# conformance/tests/<format>/<arch>/*.s, llvm-mc assembly with
# `# rtdyld-check:` rules, run through jitload-rtdyld on one loader
# (--param loader=engine|reference). ctest runs each file on both loaders
# (conformance/tests/CMakeLists.txt); by hand:
#   python3 /usr/lib/llvm-19/build/utils/lit/lit.py -v \
#     --param jitload_bin=build/bin --param loader=engine \
#     --param exec_root=build/conformance-out conformance/tests/elf/x86-64
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jitload_lit  # noqa: E402

jitload_lit.configure(config, lit_config, "jitload conformance")
config.suffixes = [".s", ".yaml"]
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
if not lit_config.params.get("exec_root"):
    lit_config.fatal("--param exec_root=<dir for test outputs> is required (never write into the source tree)")
