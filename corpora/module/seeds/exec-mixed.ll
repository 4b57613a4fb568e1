; Mixed widths and floating point (fuzz/module.cc's runnable rule): i8/i16
; arithmetic with saturation and bit counts, float/double conversions,
; comparisons and selects, a chain of local calls, and a small alloca
; buffer; branches without loops. Executed by jitload's MCJIT and LLVM's
; MCJIT and compared.
@acc = global double 0.5, align 8
@bytes = global [8 x i8] c"\01\02\03\04\05\06\07\08", align 1
@limits = constant [2 x float] [float -1.0e10, float 1.0e10], align 4

define internal float @clamp(float %x) {
  %lo = load float, ptr @limits, align 4
  %hi.p = getelementptr [2 x float], ptr @limits, i64 0, i64 1
  %hi = load float, ptr %hi.p, align 4
  %a = call float @llvm.maximum.f32(float %x, float %lo)
  %b = call float @llvm.minimum.f32(float %a, float %hi)
  ret float %b
}

define internal i8 @sat(i8 %a, i8 %b) {
  %s = call i8 @llvm.sadd.sat.i8(i8 %a, i8 %b)
  %u = call i8 @llvm.usub.sat.i8(i8 %s, i8 3)
  %c = call i8 @llvm.ctlz.i8(i8 %u, i1 false)
  %r = add i8 %u, %c
  ret i8 %r
}

define i8 @bytes_mix(i8 %a, i8 %b) {
  %p3 = getelementptr [8 x i8], ptr @bytes, i64 0, i64 3
  %x = load i8, ptr %p3, align 1
  %y = call i8 @sat(i8 %a, i8 %x)
  %z = call i8 @sat(i8 %y, i8 %b)
  store i8 %z, ptr %p3, align 1
  %q = udiv i8 %z, %b
  ret i8 %q
}

define float @fconv(i32 %a, double %d, float %f) {
  %ad = sitofp i32 %a to double
  %s = fadd double %ad, %d
  %acc = load double, ptr @acc, align 8
  %n = fadd double %acc, %s
  store double %n, ptr @acc, align 8
  %sf = fptrunc double %n to float
  %m = fmul float %sf, %f
  %c = call float @clamp(float %m)
  %lt = fcmp olt float %c, 0.0
  %neg = fneg float %c
  %r = select i1 %lt, float %neg, float %c
  ret float %r
}

define i32 @ftoi(double %d, i16 %h) {
entry:
  %buf = alloca [3 x i32], align 4
  %i = fptosi double %d to i32
  %u = fptoui double %d to i32
  store i32 %i, ptr %buf, align 4
  %e1 = getelementptr [3 x i32], ptr %buf, i64 0, i64 1
  store i32 %u, ptr %e1, align 4
  %hz = sext i16 %h to i32
  %cmp = icmp slt i32 %hz, 100
  br i1 %cmp, label %small, label %big
small:
  %a = load i32, ptr %buf, align 4
  %s1 = shl i32 %a, 3
  br label %out
big:
  %b = load i32, ptr %e1, align 4
  %s2 = lshr i32 %b, 2
  %rev = call i32 @llvm.bitreverse.i32(i32 %s2)
  br label %out
out:
  %v = phi i32 [ %s1, %small ], [ %rev, %big ]
  %w = xor i32 %v, %hz
  %ab = call i32 @llvm.abs.i32(i32 %w, i1 false)
  ret i32 %ab
}

define i64 @wide(i64 %a, i64 %b, i64 %c) {
  %m = call { i64, i1 } @llvm.umul.with.overflow.i64(i64 %a, i64 %b)
  %v = extractvalue { i64, i1 } %m, 0
  %o = extractvalue { i64, i1 } %m, 1
  %oz = zext i1 %o to i64
  %r = srem i64 %v, %c
  %s = call i64 @llvm.fshr.i64(i64 %r, i64 %oz, i64 7)
  %t = call i64 @llvm.umin.i64(i64 %s, i64 %c)
  ret i64 %t
}

define void @touch(i8 %k) {
  %p = getelementptr [8 x i8], ptr @bytes, i64 0, i64 7
  store i8 %k, ptr %p, align 1
  ret void
}

declare float @llvm.maximum.f32(float, float)
declare float @llvm.minimum.f32(float, float)
declare i8 @llvm.sadd.sat.i8(i8, i8)
declare i8 @llvm.usub.sat.i8(i8, i8)
declare i8 @llvm.ctlz.i8(i8, i1)
declare i32 @llvm.bitreverse.i32(i32)
declare i32 @llvm.abs.i32(i32, i1)
declare { i64, i1 } @llvm.umul.with.overflow.i64(i64, i64)
declare i64 @llvm.fshr.i64(i64, i64, i64)
declare i64 @llvm.umin.i64(i64, i64)
; (salt 5: request_for hashes this file to the small code model, PIC, -O2)
