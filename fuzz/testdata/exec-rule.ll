; fuzz/module.cc's runnable rule, one violation per function (the ctest
; fuzz-replay-module-exec-rule expects each reason, in this order), and one
; function that runs.
@g = global i64 1
@c = constant i32 7
@p = global ptr @g
@arr = global [4 x i32] zeroinitializer

declare i32 @external(i32)

define i64 @leak(i64 %x) {
  %r = add i64 %x, ptrtoint (ptr @g to i64)
  ret i64 %r
}

define i32 @loopy(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %i1 = add i32 %i, 1
  %d = icmp eq i32 %i1, %n
  br i1 %d, label %out, label %loop
out:
  ret i32 %i1
}

define i32 @ptrparam(ptr %q) {
  %v = load i32, ptr %q
  ret i32 %v
}

define void @wild(i32 %v) {
  store i32 %v, ptr undef
  ret void
}

define i32 @oob() {
  %a = getelementptr [4 x i32], ptr @arr, i64 0, i64 4
  %v = load i32, ptr %a
  ret i32 %v
}

define i32 @varidx(i64 %i) {
  %a = getelementptr [4 x i32], ptr @arr, i64 0, i64 %i
  %v = load i32, ptr %a
  ret i32 %v
}

define i32 @callsout(i32 %x) {
  %r = call i32 @external(i32 %x)
  ret i32 %r
}

define i32 @recursive(i32 %x) {
  %r = call i32 @recursive(i32 %x)
  ret i32 %r
}

define double @remainder(double %x) {
  %r = frem double %x, 3.0
  ret double %r
}

define i32 @falls(i32 %x) {
  unreachable
}

define i1 @compares() {
  %r = icmp ult ptr @g, @arr
  ret i1 %r
}

define i64 @indirect() {
  %v = load i64, ptr @p
  ret i64 %v
}

define void @writes_constant() {
  store i32 1, ptr @c
  ret void
}

define <2 x i32> @vector(<2 x i32> %v) {
  ret <2 x i32> %v
}

define i32 @runs(i32 %x) {
  %a = getelementptr [4 x i32], ptr @arr, i64 0, i64 3
  %v = load i32, ptr %a
  %s = add i32 %v, %x
  store i32 %s, ptr %a
  %q = sdiv i32 100, %x
  %r = add i32 %s, %q
  ret i32 %r
}
