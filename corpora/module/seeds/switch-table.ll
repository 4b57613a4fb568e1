; A dense switch: a jump table in .rodata with relocations against .text,
; and floating-point constants in a constant pool.
define double @pick(i32 %k, double %x) {
entry:
  switch i32 %k, label %other [
    i32 0, label %a
    i32 1, label %b
    i32 2, label %c
    i32 3, label %d
    i32 4, label %e
    i32 5, label %f
  ]
a:
  %ra = fmul double %x, 1.5
  ret double %ra
b:
  %rb = fadd double %x, 2.25
  ret double %rb
c:
  %rc = fsub double %x, 3.125
  ret double %rc
d:
  %rd = fdiv double %x, 7.0
  ret double %rd
e:
  %re = fmul double %x, -0.5
  ret double %re
f:
  ret double 42.0
other:
  ret double %x
}
