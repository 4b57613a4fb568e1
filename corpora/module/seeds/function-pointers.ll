; Data holding addresses (R_X86_64_64 in .data), an init_array entry, a
; string, and an indirect call.
@msg = private unnamed_addr constant [6 x i8] c"hello\00", align 1
@fns = global [2 x ptr] [ptr @one, ptr @two], align 8
@msg_ptr = global ptr @msg, align 8
@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @init, ptr null }]

declare i32 @puts(ptr)

define internal i32 @one(i32 %x) {
  ret i32 %x
}
define internal i32 @two(i32 %x) {
  %y = shl i32 %x, 1
  ret i32 %y
}
define internal void @init() {
  %p = load ptr, ptr @msg_ptr, align 8
  %r = call i32 @puts(ptr %p)
  ret void
}
define i32 @dispatch(i64 %i, i32 %x) {
  %slot = getelementptr [2 x ptr], ptr @fns, i64 0, i64 %i
  %f = load ptr, ptr %slot, align 8
  %r = call i32 %f(i32 %x)
  ret i32 %r
}
