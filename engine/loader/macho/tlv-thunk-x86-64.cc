// The thunk every Mach-O thread-local variable descriptor calls, on an
// x86-64 host (TlsStrategy::Dynamic). A descriptor in __thread_vars is
// three words {thunk, key, offset}; compiled code does
//     movq _x@TLVP(%rip), %rdi     # the descriptor's address
//     callq *(%rdi)                # its thunk: %rax = &x for this thread
// and expects every register but %rax (and the flags) preserved, which is
// more than a C function promises. The loader writes the object's TLS
// module key and the variable's offset in its block into the descriptor's
// second and third words, so {key, offset} is the TLS supplement's
// tls_index, and the thunk is jitload's __tls_get_addr behind a save of
// every caller-saved register.
#include "engine/loader/core/tls-runtime.h"

#if defined(__x86_64__)
// 8 pushes leave %rsp at 8 mod 16 (it was at 8 on entry, after the call);
// 264 bytes more (16 xmm registers and 8 of padding) make it 0 mod 16 for
// the call.
__asm__(R"(
  .text
  .globl jitload_macho_tlv_thunk
  .hidden jitload_macho_tlv_thunk
  .type jitload_macho_tlv_thunk, @function
  .p2align 4
jitload_macho_tlv_thunk:
  .cfi_startproc
  pushq %rdi
  .cfi_adjust_cfa_offset 8
  pushq %rsi
  .cfi_adjust_cfa_offset 8
  pushq %rdx
  .cfi_adjust_cfa_offset 8
  pushq %rcx
  .cfi_adjust_cfa_offset 8
  pushq %r8
  .cfi_adjust_cfa_offset 8
  pushq %r9
  .cfi_adjust_cfa_offset 8
  pushq %r10
  .cfi_adjust_cfa_offset 8
  pushq %r11
  .cfi_adjust_cfa_offset 8
  subq $264, %rsp
  .cfi_adjust_cfa_offset 264
  movdqu %xmm0, 0(%rsp)
  movdqu %xmm1, 16(%rsp)
  movdqu %xmm2, 32(%rsp)
  movdqu %xmm3, 48(%rsp)
  movdqu %xmm4, 64(%rsp)
  movdqu %xmm5, 80(%rsp)
  movdqu %xmm6, 96(%rsp)
  movdqu %xmm7, 112(%rsp)
  movdqu %xmm8, 128(%rsp)
  movdqu %xmm9, 144(%rsp)
  movdqu %xmm10, 160(%rsp)
  movdqu %xmm11, 176(%rsp)
  movdqu %xmm12, 192(%rsp)
  movdqu %xmm13, 208(%rsp)
  movdqu %xmm14, 224(%rsp)
  movdqu %xmm15, 240(%rsp)
  leaq 8(%rdi), %rdi
  call jitload_tls_get_addr@PLT
  movdqu 0(%rsp), %xmm0
  movdqu 16(%rsp), %xmm1
  movdqu 32(%rsp), %xmm2
  movdqu 48(%rsp), %xmm3
  movdqu 64(%rsp), %xmm4
  movdqu 80(%rsp), %xmm5
  movdqu 96(%rsp), %xmm6
  movdqu 112(%rsp), %xmm7
  movdqu 128(%rsp), %xmm8
  movdqu 144(%rsp), %xmm9
  movdqu 160(%rsp), %xmm10
  movdqu 176(%rsp), %xmm11
  movdqu 192(%rsp), %xmm12
  movdqu 208(%rsp), %xmm13
  movdqu 224(%rsp), %xmm14
  movdqu 240(%rsp), %xmm15
  addq $264, %rsp
  .cfi_adjust_cfa_offset -264
  popq %r11
  .cfi_adjust_cfa_offset -8
  popq %r10
  .cfi_adjust_cfa_offset -8
  popq %r9
  .cfi_adjust_cfa_offset -8
  popq %r8
  .cfi_adjust_cfa_offset -8
  popq %rcx
  .cfi_adjust_cfa_offset -8
  popq %rdx
  .cfi_adjust_cfa_offset -8
  popq %rsi
  .cfi_adjust_cfa_offset -8
  popq %rdi
  .cfi_adjust_cfa_offset -8
  ret
  .cfi_endproc
  .size jitload_macho_tlv_thunk, .-jitload_macho_tlv_thunk
)");
extern "C" void jitload_macho_tlv_thunk();
#endif

namespace jitload::macho {

// The thunk's address, or 0 where there is none (a host other than x86-64).
jitload::u64 tlv_thunk_address() {
#if defined(__x86_64__)
  return jitload::u64(reinterpret_cast<uintptr_t>(&jitload_macho_tlv_thunk));
#else
  return 0;
#endif
}

}  // namespace jitload::macho
