; Calls to an external and a local function, loads and stores of globals
; (PC32/PLT32 in small code, MOVABS 64-bit in large).
@counter = global i32 0, align 4
@table = constant [4 x i64] [i64 1, i64 2, i64 3, i64 5], align 8
@ext_data = external global i64

declare i32 @ext_fn(i32)

define internal i32 @helper(i32 %x) {
  %y = mul i32 %x, 3
  ret i32 %y
}

define i32 @entry(i32 %a, i64 %i) {
  %c = load i32, ptr @counter, align 4
  %s = add i32 %c, %a
  store i32 %s, ptr @counter, align 4
  %p = getelementptr [4 x i64], ptr @table, i64 0, i64 %i
  %v = load i64, ptr %p, align 8
  %e = load i64, ptr @ext_data, align 8
  %t = add i64 %v, %e
  %t32 = trunc i64 %t to i32
  %h = call i32 @helper(i32 %t32)
  %r = call i32 @ext_fn(i32 %h)
  ret i32 %r
}
