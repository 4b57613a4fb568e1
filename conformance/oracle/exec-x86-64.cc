// exec.h's trampoline for x86-64 (SysV ABI, ELF hosts): one call of
// generated code with every register the callee could read as undefined
// set to a fixed value, on exec.h's fixed stack.
#if defined(__x86_64__) && defined(__ELF__)

#include <cstddef>
#include <cstdint>

#include "conformance/oracle/exec-call.h"

// The trampoline's frame; offsets are fixed for the assembly below.
struct JitloadCallFrame {
  uint64_t gpr[6];     // 0: rdi rsi rdx rcx r8 r9
  uint64_t xmm[8];     // 48: xmm0-7 (low 64 bits)
  uint64_t fn;         // 112
  uint64_t stack_top;  // 120: 16-byte aligned
  uint64_t rax;        // 128: result
  uint64_t xmm0;       // 136: result
  uint32_t mxcsr;      // 144
  uint32_t pad;
};
static_assert(offsetof(JitloadCallFrame, fn) == 112 && offsetof(JitloadCallFrame, rax) == 128 &&
              offsetof(JitloadCallFrame, mxcsr) == 144);

extern "C" void jitload_exec_trampoline(JitloadCallFrame* frame);

// Switches to the fixed stack, sets every register the callee could read
// as undefined to a fixed value, calls, and comes back. The old stack
// pointer and the callee's address sit at the top of the new stack, above
// the callee's frame.
asm(R"(
  .text
  .globl jitload_exec_trampoline
  .type jitload_exec_trampoline,@function
  .p2align 4
jitload_exec_trampoline:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  pushq %rdi
  movq %rdi, %r11
  movq 120(%r11), %rax
  movq %rsp, -8(%rax)
  movq 112(%r11), %rcx
  movq %rcx, -16(%rax)
  leaq -16(%rax), %rsp
  ldmxcsr 144(%r11)
  fninit
  cld
  movq 48(%r11), %xmm0
  movq 56(%r11), %xmm1
  movq 64(%r11), %xmm2
  movq 72(%r11), %xmm3
  movq 80(%r11), %xmm4
  movq 88(%r11), %xmm5
  movq 96(%r11), %xmm6
  movq 104(%r11), %xmm7
  pxor %xmm8, %xmm8
  pxor %xmm9, %xmm9
  pxor %xmm10, %xmm10
  pxor %xmm11, %xmm11
  pxor %xmm12, %xmm12
  pxor %xmm13, %xmm13
  pxor %xmm14, %xmm14
  pxor %xmm15, %xmm15
  movq 0(%r11), %rdi
  movq 8(%r11), %rsi
  movq 16(%r11), %rdx
  movq 24(%r11), %rcx
  movq 32(%r11), %r8
  movq 40(%r11), %r9
  xorl %eax, %eax
  xorl %ebx, %ebx
  xorl %ebp, %ebp
  xorl %r10d, %r10d
  xorl %r11d, %r11d
  xorl %r12d, %r12d
  xorl %r13d, %r13d
  xorl %r14d, %r14d
  xorl %r15d, %r15d
  callq *(%rsp)
  movq 8(%rsp), %rsp
  popq %rdi
  movq %rax, 128(%rdi)
  movq %xmm0, 136(%rdi)
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  retq
  .size jitload_exec_trampoline, .-jitload_exec_trampoline
  .section .note.GNU-stack,"",@progbits
  .text
)");

namespace jitload::conformance::detail {

bool exec_arch_call(const ExecFunction& f, const uint64_t* args, uint64_t fn, uint64_t stack_top, uint64_t& raw) {
  JitloadCallFrame frame = {};
  unsigned ints = 0, floats = 0;
  for (size_t p = 0; p < f.params.size(); p++) {
    if (exec_type_is_float(f.params[p])) {
      if (floats == 8) return false;  // would go on the stack
      frame.xmm[floats++] = args[p];
    } else {
      if (ints == 6) return false;
      frame.gpr[ints++] = args[p];
    }
  }
  frame.fn = fn;
  frame.stack_top = stack_top & ~uint64_t(15);
  frame.mxcsr = 0x1f80;  // the SysV default: all exceptions masked, round to nearest
  jitload_exec_trampoline(&frame);
  raw = exec_type_is_float(f.result) ? frame.xmm0 : frame.rax;
  return true;
}

}  // namespace jitload::conformance::detail

#endif
