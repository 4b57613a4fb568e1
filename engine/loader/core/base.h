// Fixed-width integer aliases, Error and Expected<T>: the vocabulary every
// part of the loader speaks. No exceptions cross any API of the loader; a
// failure is an Error value that names what is wrong and where.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace jitload {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i8 = int8_t;
using i16 = int16_t;
using i32 = int32_t;
using i64 = int64_t;

// What kind of failure: callers (the differential harness above all) compare
// kinds, never message text.
enum class ErrorKind : u8 {
  Malformed,    // the object's bytes contradict its own format
  Unsupported,  // well-formed, but a feature we do not implement (type, machine)
  Overflow,     // a relocated value does not fit its field
  Unresolved,   // an external symbol nobody defines
  Memory,       // the memory manager could not give us memory
  Argument,     // the caller asked for something impossible
  Io,           // reading a file failed
};

const char* error_kind_name(ErrorKind kind);

constexpr u64 kNoOffset = ~u64(0);

// A failure: kind, the file offset of the offending structure when there is
// one, and a message in the one diagnostic shape of the project:
//   foo.o:(.text+0x1): relocation R_X86_64_32 out of range: ...
// A default-constructed Error is success; the payload lives on the heap so
// the success path is one null pointer.
class [[nodiscard]] Error {
 public:
  struct Info {
    ErrorKind kind;
    u64 file_offset;
    std::string message;
  };

  Error() = default;
  Error(ErrorKind kind, std::string message, u64 file_offset = kNoOffset)
      : info_(new Info{kind, file_offset, std::move(message)}) {}
  Error(Error&& other) noexcept : info_(other.info_) { other.info_ = nullptr; }
  Error& operator=(Error&& other) noexcept {
    if (this != &other) {
      release();
      info_ = other.info_;
      other.info_ = nullptr;
    }
    return *this;
  }
  Error(const Error&) = delete;
  Error& operator=(const Error&) = delete;
  // The success path is a null test, inlined; only a failure pays a call.
  // (always_inline: compilers otherwise outline it from big loader loops.)
  [[gnu::always_inline]] ~Error() {
    if (info_) [[unlikely]]
      release();
  }

  static Error success() { return Error(); }

  explicit operator bool() const { return info_ != nullptr; }  // true: failure
  bool ok() const { return info_ == nullptr; }
  ErrorKind kind() const { return info_->kind; }
  u64 file_offset() const { return info_->file_offset; }
  const std::string& message() const { return info_->message; }

 private:
  void release();  // base.cc
  Info* info_ = nullptr;
};

// A value or the Error that prevented it.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}
  Expected(Error err) : v_(std::move(err)) {}

  explicit operator bool() const { return v_.index() == 0; }  // true: has value
  bool ok() const { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  Error take_error() { return std::move(std::get<1>(v_)); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// TRY(expr): return the Error from the enclosing function if expr failed.
// TRY_VALUE(expr): the value of an Expected, or return its Error.
#define TRY(expr)                              \
  do {                                         \
    if (::jitload::Error e__ = (expr)) return e__; \
  } while (0)

#define TRY_VALUE(expr)                                    \
  ({                                                       \
    auto x__ = (expr);                                     \
    if (!x__) return x__.take_error();                     \
    std::move(*x__);                                       \
  })

// printf-style formatting into a std::string, for error messages.
std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// "0x1f" for diagnostics.
std::string hex(u64 value);

}  // namespace jitload
