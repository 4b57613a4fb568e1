#include "engine/loader/core/encode.h"

namespace jitload {

Error out_of_range(i64 value, i64 lo, i64 hi) {
  return Error(ErrorKind::Overflow, format("out of range: %lld is not in [%lld, %lld]", (long long)value,
                                           (long long)lo, (long long)hi));
}

Error out_of_range_unsigned(u64 value, u64 hi) {
  return Error(ErrorKind::Overflow, format("out of range: %llu is not in [0, %llu]",
                                           (unsigned long long)value, (unsigned long long)hi));
}

}  // namespace jitload
