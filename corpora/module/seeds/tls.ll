; Thread-local variables, local and external (TLS relocations: TPOFF,
; GOTTPOFF, TLSGD/TLSLD depending on the relocation model).
@tls_local = internal thread_local global i32 7, align 4
@tls_zero = thread_local global i64 0, align 8
@tls_ext = external thread_local global i32

define i64 @bump(i32 %n) {
  %a = load i32, ptr @tls_local, align 4
  %b = add i32 %a, %n
  store i32 %b, ptr @tls_local, align 4
  %c = load i32, ptr @tls_ext, align 4
  %d = add i32 %b, %c
  %w = sext i32 %d to i64
  %z = load i64, ptr @tls_zero, align 8
  %s = add i64 %z, %w
  store i64 %s, ptr @tls_zero, align 8
  ret i64 %s
}
