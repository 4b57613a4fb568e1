# lit configuration for LLVM 19's remote MCJIT tests
# (llvm/test/ExecutionEngine/MCJIT/remote of the Debian source package
# llvm-toolchain-19), run with a chosen controller in lli's place
# (`jitload run` or lli-19 itself) and a chosen child in lli-child-target's
# place (lli-child-target-19 or jitload-executor). ci/llvm-remote-conformance
# extracts the tests and writes a lit.site.cfg.py that loads this file;
# nothing of LLVM's is kept in this repository.
import os
import shlex

import lit.formats

params = lit_config.params
config.name = "LLVM 19 MCJIT remote: %s -> %s" % (params["controller_name"], params["child_name"])
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".ll"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(os.path.abspath(params["suite_cfg"]))
config.test_exec_root = params["exec_root"]
# What the suite's lit.local.cfg files ask of the root configuration.
config.target_triple = "x86_64-unknown-linux-gnu"
config.host_arch = "x86_64"
config.targets = frozenset(["X86", "AArch64"])
config.available_features.update(["native", "thread_support", "cxx-shared-library", "x86_64"])
config.environment["PATH"] = os.environ.get("PATH", "")
# The child first: "lli-child-target%exeext" must not meet the %lli rule.
config.substitutions.append(("lli-child-target%exeext", shlex.quote(params["child"])))
config.substitutions.append(("%lli", params["controller"]))
