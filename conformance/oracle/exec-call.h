// The per-architecture part of exec.h: one call through the trampoline.
// Each architecture has a file of its own (exec-x86-64.cc); a host without
// one runs nothing (exec.cc's fallback).
#pragma once

#include <cstdint>

#include "conformance/oracle/exec.h"

namespace jitload::conformance::detail {

// Calls `fn` with `args` (f.params.size() of them, raw bits) on the stack
// whose top is `stack_top`, from the fixed machine state exec.h describes;
// `raw` gets the result register for f.result (the integer one, or the
// floating-point one for float and double). False if this host cannot make
// the call (no trampoline, or parameters that would go on the stack).
bool exec_arch_call(const ExecFunction& f, const uint64_t* args, uint64_t fn, uint64_t stack_top, uint64_t& raw);

}  // namespace jitload::conformance::detail
