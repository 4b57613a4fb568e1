; Functions safe to run (fuzz/module.cc's rule): integer and floating
; arithmetic, division (SIGFPE on zero and INT_MIN/-1 is an outcome), a
; switch (jump table), constants (constant pool), globals without
; addresses in them (read and written: .data/.bss relocations), an alloca,
; inline intrinsics and a call to a local function. Executed by jitload's
; MCJIT and LLVM's MCJIT and compared.
@counter = global i64 7, align 8
@coeffs = constant [4 x double] [double 1.5, double -2.25, double 3.0e10, double 0x7FF8000000000001], align 8
@zeros = internal global [16 x i32] zeroinitializer, align 16

define internal i32 @mix(i32 %a, i32 %b) {
  %x = xor i32 %a, 2654435761
  %y = mul i32 %x, %b
  %r = call i32 @llvm.fshl.i32(i32 %y, i32 %a, i32 13)
  ret i32 %r
}

define i32 @arith(i32 %a, i32 %b, i64 %c) {
  %s = add i32 %a, %b
  %t = trunc i64 %c to i32
  %m = call i32 @mix(i32 %s, i32 %t)
  %q = sdiv i32 %m, %b
  %r = srem i32 %q, 1000003
  ret i32 %r
}

define i64 @udivide(i64 %a, i64 %b) {
  %q = udiv i64 %a, %b
  ret i64 %q
}

define double @poly(double %x, float %y) {
  %p0 = load double, ptr @coeffs, align 8
  %a1 = getelementptr [4 x double], ptr @coeffs, i64 0, i64 1
  %p1 = load double, ptr %a1, align 8
  %a2 = getelementptr [4 x double], ptr @coeffs, i64 0, i64 2
  %p2 = load double, ptr %a2, align 8
  %yd = fpext float %y to double
  %t1 = fmul double %p2, %x
  %t2 = fadd double %t1, %p1
  %t3 = fmul double %t2, %x
  %t4 = fadd double %t3, %p0
  %t5 = fdiv double %t4, %yd
  %t6 = call double @llvm.sqrt.f64(double %t5)
  %t7 = call double @llvm.maxnum.f64(double %t6, double 0.5)
  ret double %t7
}

define i64 @bump(i64 %d) {
  %c = load i64, ptr @counter, align 8
  %n = add i64 %c, %d
  store i64 %n, ptr @counter, align 8
  %slot = getelementptr [16 x i32], ptr @zeros, i64 0, i64 5
  %z = load i32, ptr %slot, align 4
  %z1 = add i32 %z, 1
  store i32 %z1, ptr %slot, align 4
  %ze = zext i32 %z1 to i64
  %r = mul i64 %n, %ze
  ret i64 %r
}

define i16 @pick(i8 %k, i16 %v) {
entry:
  %buf = alloca [4 x i16], align 2
  store i16 %v, ptr %buf, align 2
  %e1 = getelementptr [4 x i16], ptr %buf, i64 0, i64 1
  %v1 = xor i16 %v, 21845
  store i16 %v1, ptr %e1, align 2
  switch i8 %k, label %other [
    i8 0, label %zero
    i8 1, label %one
    i8 2, label %two
    i8 3, label %three
    i8 4, label %four
    i8 -128, label %min
  ]
zero:
  %l0 = load i16, ptr %buf, align 2
  br label %done
one:
  %l1 = load i16, ptr %e1, align 2
  br label %done
two:
  %l2 = call i16 @llvm.bswap.i16(i16 %v)
  br label %done
three:
  %l3 = call i16 @llvm.ctpop.i16(i16 %v)
  br label %done
four:
  %l4 = call i16 @llvm.smax.i16(i16 %v, i16 -3)
  br label %done
min:
  %l5 = sub i16 0, %v
  br label %done
other:
  br label %done
done:
  %r = phi i16 [ %l0, %zero ], [ %l1, %one ], [ %l2, %two ], [ %l3, %three ], [ %l4, %four ], [ %l5, %min ], [ 77, %other ]
  ret i16 %r
}

define i1 @overflows(i32 %a, i32 %b) {
  %p = call { i32, i1 } @llvm.smul.with.overflow.i32(i32 %a, i32 %b)
  %o = extractvalue { i32, i1 } %p, 1
  ret i1 %o
}

define float @to_float(i64 %x) {
  %f = uitofp i64 %x to float
  %g = fneg float %f
  %h = call float @llvm.copysign.f32(float %f, float %g)
  ret float %h
}

declare i32 @llvm.fshl.i32(i32, i32, i32)
declare double @llvm.sqrt.f64(double)
declare double @llvm.maxnum.f64(double, double)
declare i16 @llvm.bswap.i16(i16)
declare i16 @llvm.ctpop.i16(i16)
declare i16 @llvm.smax.i16(i16, i16)
declare { i32, i1 } @llvm.smul.with.overflow.i32(i32, i32)
declare float @llvm.copysign.f32(float, float)
