; Common, weak and hidden symbols, a bss array, and a loop.
@com = common global [64 x i32] zeroinitializer, align 16
@weakv = weak global i32 3, align 4
@hid = hidden global i16 9, align 2
@bss = internal global [256 x i8] zeroinitializer, align 16

define weak i32 @sum(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %loop ]
  %idx = and i32 %i, 63
  %p = getelementptr [64 x i32], ptr @com, i32 0, i32 %idx
  %v = load i32, ptr %p, align 4
  %acc1 = add i32 %acc, %v
  %b = getelementptr [256 x i8], ptr @bss, i32 0, i32 %i
  store i8 1, ptr %b, align 1
  %i1 = add i32 %i, 1
  %done = icmp sge i32 %i1, %n
  br i1 %done, label %exit, label %loop
exit:
  %w = load i32, ptr @weakv, align 4
  %h = load i16, ptr @hid, align 2
  %hw = zext i16 %h to i32
  %r1 = add i32 %acc1, %w
  %r = add i32 %r1, %hw
  ret i32 %r
}
