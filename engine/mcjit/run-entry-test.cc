// run_function_as_main never jumps into data: the crash `jitload run` had
// with a module whose main is a global, or -entry-function naming one, is
// refused by the engine itself too (a library client gets an Error).
#include <gtest/gtest.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "engine/mcjit/mcjit.h"
#include "engine/mcjit/testing/support.h"

using namespace jitload;
using namespace jitload::mcjit_testing;

namespace {

std::unique_ptr<MCJIT> engine_for(llvm::LLVMContext& ctx, const char* ir) {
  std::string diag;
  std::unique_ptr<llvm::Module> m = parse_ir(ctx, ir, "entry", &diag);
  EXPECT_TRUE(m) << diag;
  if (!m) return nullptr;
  Expected<std::unique_ptr<MCJIT>> jit = EngineBuilder(std::move(m)).set_gdb_registration(false).create();
  EXPECT_TRUE(jit) << (jit ? "" : jit.error().message());
  return jit ? std::move(*jit) : nullptr;
}

TEST(McjitEntry, GlobalNamedMainIsRefused) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = engine_for(ctx, "@main = global i32 5\n");
  ASSERT_TRUE(jit);
  std::vector<std::string> argv = {"prog"};
  Expected<int> rc = jit->run_function_as_main("main", argv);
  ASSERT_FALSE(rc);
  EXPECT_NE(rc.error().message().find("not a function"), std::string::npos) << rc.error().message();
}

TEST(McjitEntry, ThreadLocalAndCommonAreRefused) {
  llvm::LLVMContext ctx;
  std::unique_ptr<MCJIT> jit = engine_for(ctx,
                                          "@tls = thread_local global i32 1\n"
                                          "@com = common global i32 0\n"
                                          "define i32 @main() {\n  ret i32 4\n}\n");
  ASSERT_TRUE(jit);
  std::vector<std::string> argv = {"prog"};
  EXPECT_FALSE(jit->run_function_as_main("tls", argv));
  EXPECT_FALSE(jit->run_function_as_main("com", argv));
  // The function itself still runs.
  Expected<int> rc = jit->run_function_as_main("main", argv);
  ASSERT_TRUE(rc) << rc.error().message();
  EXPECT_EQ(*rc, 4);
}

}  // namespace
