// Unit tests for the rtdyld-check language: every construct, its failure
// modes, and the places where we deliberately differ from llvm-rtdyld.
// A fake CheckerContext stands in for a loader; instructions are decoded
// with the real LLVM x86-64 disassembler (what the tool uses).
#include "conformance/checker/checker.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

namespace jitload::checker {
namespace {

// Loader memory: one block of bytes whose local addresses start at kLocal.
constexpr u64 kLocal = 0x7000'0000;
constexpr u64 kTarget = 0x4000'0000;  // the same block as the target sees it

class FakeContext final : public CheckerContext {
 public:
  std::vector<u8> memory = std::vector<u8>(256, 0);
  // name -> offset into memory; target = kTarget + off, local = kLocal + off
  std::map<std::string, u64, std::less<>> symbols;
  std::map<std::string, u64, std::less<>> externals;  // name -> target only
  std::map<std::pair<std::string, std::string>, u64> sections;  // (file, section) -> offset
  std::map<std::tuple<std::string, std::string, std::string>, u64> stubs;  // (container, sym, kind)
  std::map<std::pair<std::string, std::string>, u64> got;

  std::optional<u64> symbol_target(std::string_view name) override {
    if (auto it = symbols.find(name); it != symbols.end()) return kTarget + it->second;
    if (auto it = externals.find(name); it != externals.end()) return it->second;
    return std::nullopt;
  }
  std::optional<u64> symbol_local(std::string_view name) override {
    if (auto it = symbols.find(name); it != symbols.end()) return kLocal + it->second;
    return std::nullopt;
  }
  Expected<u64> section_address(std::string_view file, std::string_view section, bool local) override {
    auto it = sections.find({std::string(file), std::string(section)});
    if (it == sections.end()) return Error(ErrorKind::Argument, "no section " + std::string(section));
    return (local ? kLocal : kTarget) + it->second;
  }
  Expected<u64> stub_address(std::string_view container, std::string_view symbol, std::string_view kind,
                             bool local) override {
    auto it = stubs.find({std::string(container), std::string(symbol), std::string(kind)});
    if (it == stubs.end()) return Error(ErrorKind::Argument, "no stub for " + std::string(symbol));
    return (local ? kLocal : kTarget) + it->second;
  }
  Expected<u64> got_address(std::string_view container, std::string_view symbol, bool local) override {
    auto it = got.find({std::string(container), std::string(symbol)});
    if (it == got.end()) return Error(ErrorKind::Argument, "no GOT entry for " + std::string(symbol));
    return (local ? kLocal : kTarget) + it->second;
  }
  Expected<std::span<const u8>> local_bytes(u64 local, u64 min, u64 max) override {
    if (local < kLocal || local - kLocal >= memory.size())
      return Error(ErrorKind::Argument, "address " + hex(local) + " is not loader memory");
    u64 off = local - kLocal;
    u64 avail = memory.size() - off;
    if (avail < min) return Error(ErrorKind::Argument, "read past the end of loader memory");
    return std::span<const u8>(memory.data() + off, std::min(avail, max));
  }

  void put(u64 off, std::initializer_list<u8> bytes) {
    for (u8 b : bytes) memory[off++] = b;
  }
};

class CheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = make_llvm_decoder("x86_64-pc-linux", "");
    ASSERT_TRUE(d.ok()) << d.error().message();
    decoder = std::move(*d);
    ctx.symbols["data"] = 0x10;
    ctx.put(0x10, {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88});
    ctx.symbols["call"] = 0x40;
    ctx.put(0x40, {0xe8, 0x10, 0x00, 0x00, 0x00});  // call .+0x15 (rel32 = 0x10)
    ctx.symbols["lea"] = 0x50;
    // lea 0x20(%rip), %rax ; movabs $0x1122334455667788, %rax
    ctx.put(0x50, {0x48, 0x8d, 0x05, 0x20, 0x00, 0x00, 0x00});
    ctx.put(0x57, {0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11});
    ctx.symbols["bad"] = 0x70;
    ctx.put(0x70, {0x06});  // `push %es`: not an instruction in 64-bit mode
    ctx.symbols["foo.c"] = 0x80;
    ctx.externals["ext"] = 0x1234;
    ctx.sections[{"t.o", ".got"}] = 0xa0;
    ctx.sections[{"t.o", "<common symbols>"}] = 0xc0;
    ctx.stubs[{"t.o/.text", "ext", ""}] = 0xe0;
    ctx.stubs[{"t.o/.text", "ext", "plt"}] = 0xe8;
    ctx.got[{"t.o/.text", "ext"}] = 0xf0;
    ctx.put(0xf0, {0x34, 0x12, 0, 0, 0, 0, 0, 0});
  }

  u64 eval(std::string_view expr, Endian endian = Endian::Little) {
    Checker c(ctx, decoder.get(), endian);
    Expected<u64> v = c.evaluate(expr);
    EXPECT_TRUE(v.ok()) << expr << ": " << (v.ok() ? "" : v.error().message());
    return v.ok() ? *v : ~u64(0);
  }
  std::string error(std::string_view expr) {
    Checker c(ctx, decoder.get(), Endian::Little);
    Expected<u64> v = c.evaluate(expr);
    EXPECT_FALSE(v.ok()) << expr << " evaluated to " << (v.ok() ? hex(*v) : "");
    return v.ok() ? "" : v.error().message();
  }

  FakeContext ctx;
  std::unique_ptr<InstructionDecoder> decoder;
};

// --- numbers -------------------------------------------------------------

TEST_F(CheckerTest, DecimalAndHexNumbers) {
  EXPECT_EQ(eval("42"), 42u);
  EXPECT_EQ(eval("0x2a"), 42u);
  EXPECT_EQ(eval("0X2A"), 42u);
  EXPECT_EQ(eval("0xffffffffffffffff"), ~u64(0));
  EXPECT_EQ(eval("18446744073709551615"), ~u64(0));
}

TEST_F(CheckerTest, NumberErrors) {
  EXPECT_NE(error("0x").find("hexadecimal digits"), std::string::npos);
  EXPECT_NE(error("0x10000000000000000").find("does not fit"), std::string::npos);
  EXPECT_NE(error("18446744073709551616").find("does not fit"), std::string::npos);
  EXPECT_NE(error("12abc").find("unexpected 'abc'"), std::string::npos);
}

// llvm-rtdyld 19 fails to parse "4 + 4": a number leaves the following blank
// in place and the operator is never seen. We skip it.
TEST_F(CheckerTest, NumberFollowedBySpaceAndOperator) {
  EXPECT_EQ(eval("4 + 4"), 8u);
  EXPECT_EQ(eval("0x10 - 1"), 15u);
  EXPECT_EQ(eval("  1  <<  4  "), 16u);
}

// --- operators -----------------------------------------------------------

TEST_F(CheckerTest, EveryOperator) {
  EXPECT_EQ(eval("5+3"), 8u);
  EXPECT_EQ(eval("5-3"), 2u);
  EXPECT_EQ(eval("3-5"), ~u64(0) - 1);  // 64-bit wrap-around
  EXPECT_EQ(eval("0xf0&0x3c"), 0x30u);
  EXPECT_EQ(eval("0xf0|0x0f"), 0xffu);
  EXPECT_EQ(eval("1<<12"), 4096u);
  EXPECT_EQ(eval("4096>>4"), 256u);
}

TEST_F(CheckerTest, OperatorsAssociateLeftToRightWithoutPrecedence) {
  EXPECT_EQ(eval("1 + 2 << 3"), 24u);   // (1 + 2) << 3, not 1 + 16
  EXPECT_EQ(eval("10 - 2 - 3"), 5u);    // (10 - 2) - 3
  EXPECT_EQ(eval("1 | 2 & 2"), 2u);     // (1 | 2) & 2
  EXPECT_EQ(eval("1 + (2 << 3)"), 17u); // parentheses group
}

TEST_F(CheckerTest, ShiftsOf64OrMoreGiveZero) {
  EXPECT_EQ(eval("1 << 64"), 0u);
  EXPECT_EQ(eval("0xffffffffffffffff >> 70"), 0u);
  EXPECT_EQ(eval("1 << 63"), u64(1) << 63);
}

TEST_F(CheckerTest, Parentheses) {
  EXPECT_EQ(eval("((((7))))"), 7u);
  EXPECT_EQ(eval("(1 + 2) - (3 - 1)"), 1u);
  EXPECT_NE(error("(1 + 2").find("expected ')'"), std::string::npos);
  EXPECT_NE(error("()").find("expected '(', '*', a symbol or a number"), std::string::npos);
}

TEST_F(CheckerTest, TrailingGarbageIsAnError) {
  EXPECT_NE(error("1 2").find("unexpected '2'"), std::string::npos);
  EXPECT_NE(error("1 )").find("end of expression"), std::string::npos);
  EXPECT_NE(error("1 +").find("unexpected end of expression"), std::string::npos);
  EXPECT_NE(error("1 * 2").find("unexpected '*'"), std::string::npos);
  EXPECT_NE(error("").find("unexpected end"), std::string::npos);
}

// --- slices --------------------------------------------------------------

TEST_F(CheckerTest, Slices) {
  EXPECT_EQ(eval("0x12345678[15:0]"), 0x5678u);
  EXPECT_EQ(eval("0x12345678[31:16]"), 0x1234u);
  EXPECT_EQ(eval("0x12345678[7:4]"), 0x7u);
  EXPECT_EQ(eval("0x12345678[0:0]"), 0u);
  EXPECT_EQ(eval("(0x1200 + 0x34)[15:8]"), 0x12u);
  EXPECT_EQ(eval("0x8000000000000000[63:63]"), 1u);
  EXPECT_EQ(eval("0x1234 [ 15 : 8 ]"), 0x12u);
}

// llvm-rtdyld computes the mask as (1 << 64) - 1 for [63:0]: undefined
// behaviour that yields 0 on x86. The whole value is the evident answer.
TEST_F(CheckerTest, FullWidthSliceIsTheWholeValue) {
  EXPECT_EQ(eval("0xfedcba9876543210[63:0]"), 0xfedcba9876543210u);
}

TEST_F(CheckerTest, SliceErrors) {
  EXPECT_NE(error("1[3:4]").find("high >= low"), std::string::npos);
  EXPECT_NE(error("1[64:0]").find("[63:0]"), std::string::npos);
  EXPECT_NE(error("1[3]").find("expected ':'"), std::string::npos);
  EXPECT_NE(error("1[3:1").find("expected ']'"), std::string::npos);
  EXPECT_NE(error("1[x:1]").find("expected a number"), std::string::npos);
}

// --- symbols -------------------------------------------------------------

TEST_F(CheckerTest, SymbolsAreTargetAddressesOutsideAReadAndLocalInside) {
  EXPECT_EQ(eval("data"), kTarget + 0x10);
  EXPECT_EQ(eval("ext"), 0x1234u);
  EXPECT_EQ(eval("foo.c"), kTarget + 0x80);  // '.' is a symbol character
  // Inside *{} `data` is local, so the read finds the bytes.
  EXPECT_EQ(eval("*{1}data"), 0x11u);
}

TEST_F(CheckerTest, UnknownSymbol) {
  EXPECT_NE(error("nosuch").find("no known address for symbol 'nosuch'"), std::string::npos);
  EXPECT_NE(error("Lfoo").find("drop the 'L'"), std::string::npos);
}

TEST_F(CheckerTest, ExternalSymbolCannotBeRead) {
  EXPECT_NE(error("*{4}ext").find("has no bytes in the loader"), std::string::npos);
}

// --- memory reads --------------------------------------------------------

TEST_F(CheckerTest, ReadsOfEverySizeLittleEndian) {
  EXPECT_EQ(eval("*{1}data"), 0x11u);
  EXPECT_EQ(eval("*{2}data"), 0x2211u);
  EXPECT_EQ(eval("*{4}data"), 0x44332211u);
  EXPECT_EQ(eval("*{8}data"), 0x8877665544332211u);
}

TEST_F(CheckerTest, ReadsBigEndian) {
  EXPECT_EQ(eval("*{2}data", Endian::Big), 0x1122u);
  EXPECT_EQ(eval("*{4}data", Endian::Big), 0x11223344u);
  EXPECT_EQ(eval("*{8}data", Endian::Big), 0x1122334455667788u);
}

// llvm-rtdyld aborts on *{3}; any size from 1 to 8 is a plain read here.
TEST_F(CheckerTest, OddSizedReads) {
  EXPECT_EQ(eval("*{3}data"), 0x332211u);
  EXPECT_EQ(eval("*{3}data", Endian::Big), 0x112233u);
  EXPECT_EQ(eval("*{5}data"), 0x5544332211u);
  EXPECT_EQ(eval("*{7}data"), 0x77665544332211u);
}

TEST_F(CheckerTest, ReadAddressExtendsOverTheRestOfTheExpression) {
  EXPECT_EQ(eval("*{1}data + 1"), 0x22u);          // reads at data + 1
  EXPECT_EQ(eval("(*{1}data) + 1"), 0x12u);        // parentheses end the read
  EXPECT_EQ(eval("*{2}(data + 2)"), 0x4433u);
  EXPECT_EQ(eval("(*{4}data)[15:8]"), 0x22u);
  EXPECT_EQ(eval("1 + *{1}data + 2"), 1u + 0x33u);  // 1 + *(data + 2)
}

TEST_F(CheckerTest, ReadErrors) {
  EXPECT_NE(error("*{0}data").find("1 to 8"), std::string::npos);
  EXPECT_NE(error("*{9}data").find("1 to 8"), std::string::npos);
  EXPECT_NE(error("*4data").find("expected '{'"), std::string::npos);
  EXPECT_NE(error("*{4data").find("expected '}'"), std::string::npos);
  EXPECT_NE(error("*{4}0x10").find("not loader memory"), std::string::npos);
  EXPECT_NE(error("*{8}(data + 0xea)").find("past the end"), std::string::npos);
}

// --- next_pc and decode_operand -----------------------------------------

TEST_F(CheckerTest, NextPc) {
  EXPECT_EQ(eval("next_pc(call)"), kTarget + 0x45);
  EXPECT_EQ(eval("next_pc(lea)"), kTarget + 0x57);
  // Inside a read next_pc is local: read the movabs opcode after the lea.
  EXPECT_EQ(eval("*{2}next_pc(lea)"), 0xb848u);
}

TEST_F(CheckerTest, DecodeOperand) {
  EXPECT_EQ(eval("decode_operand(call, 0)"), 0x10u);
  EXPECT_EQ(eval("decode_operand(lea, 4)"), 0x20u);  // displacement of lea
  EXPECT_EQ(eval("decode_operand(lea + 7, 1)"), 0x1122334455667788u);
  EXPECT_EQ(eval("decode_operand(lea+0x7,1)"), 0x1122334455667788u);
  // The canonical relocation check: target - next_pc.
  EXPECT_EQ(eval("decode_operand(call, 0) + next_pc(call)"), kTarget + 0x55);
}

TEST_F(CheckerTest, DecodeOperandErrors) {
  EXPECT_NE(error("decode_operand(lea, 0)").find("not an immediate"), std::string::npos);
  EXPECT_NE(error("decode_operand(call, 9)").find("has 1 operands"), std::string::npos);
  EXPECT_NE(error("decode_operand(bad, 0)").find("cannot decode"), std::string::npos);
  EXPECT_NE(error("next_pc(bad)").find("cannot decode"), std::string::npos);
  EXPECT_NE(error("decode_operand(nosuch, 0)").find("no known address"), std::string::npos);
  EXPECT_NE(error("decode_operand(ext, 0)").find("no bytes in the loader"), std::string::npos);
  EXPECT_NE(error("decode_operand(call 0)").find("expected ','"), std::string::npos);
  EXPECT_NE(error("decode_operand(call, 0").find("expected ')'"), std::string::npos);
  EXPECT_NE(error("decode_operand call, 0)").find("expected '('"), std::string::npos);
  EXPECT_NE(error("next_pc(call").find("expected ')'"), std::string::npos);
}

TEST_F(CheckerTest, NoDecoder) {
  Checker c(ctx, nullptr, Endian::Little);
  Expected<u64> v = c.evaluate("next_pc(call)");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message().find("no disassembler"), std::string::npos);
}

// --- stub_addr, got_addr, section_addr ----------------------------------

TEST_F(CheckerTest, StubAddrTwoAndThreeArguments) {
  EXPECT_EQ(eval("stub_addr(t.o/.text, ext)"), kTarget + 0xe0);
  EXPECT_EQ(eval("stub_addr( t.o/.text , ext , plt )"), kTarget + 0xe8);
  EXPECT_EQ(eval("*{1}stub_addr(t.o/.text, ext)"), 0u);  // local inside a read
  EXPECT_NE(error("stub_addr(t.o/.text, nosuch)").find("no stub for nosuch"), std::string::npos);
  EXPECT_NE(error("stub_addr(t.o/.text ext)").find("expected a stub container"), std::string::npos);
  EXPECT_NE(error("stub_addr(t.o/.text, ext, plt").find("expected a stub kind"), std::string::npos);
}

TEST_F(CheckerTest, GotAddr) {
  EXPECT_EQ(eval("got_addr(t.o/.text, ext)"), kTarget + 0xf0);
  EXPECT_EQ(eval("*{8}got_addr(t.o/.text, ext)"), 0x1234u);
  EXPECT_NE(error("got_addr(t.o/.text, data)").find("no GOT entry"), std::string::npos);
  // got_addr has no kind argument.
  EXPECT_NE(error("got_addr(t.o/.text, ext, plt)").find("expected ')'"), std::string::npos);
}

TEST_F(CheckerTest, SectionAddr) {
  EXPECT_EQ(eval("section_addr(t.o, .got)"), kTarget + 0xa0);
  EXPECT_EQ(eval("section_addr(t.o, <common symbols>)"), kTarget + 0xc0);
  EXPECT_EQ(eval("data - section_addr(t.o, .got)"), u64(0x10 - 0xa0));
  EXPECT_NE(error("section_addr(t.o, .nosuch)").find("no section .nosuch"), std::string::npos);
  EXPECT_NE(error("section_addr(t.o)").find("expected a file name"), std::string::npos);
  EXPECT_NE(error("section_addr(t.o, )").find("expected a section name"), std::string::npos);
}

// --- rules ---------------------------------------------------------------

TEST_F(CheckerTest, RulePasses) {
  Checker c(ctx, decoder.get(), Endian::Little);
  EXPECT_TRUE(c.check("*{4}data = 0x44332211").passed);
  EXPECT_TRUE(c.check("  decode_operand(call, 0) = (data + 0x45) - next_pc(call)  ").passed);
}

TEST_F(CheckerTest, FailingRuleNamesTheExpressionAndBothValues) {
  Checker c(ctx, decoder.get(), Endian::Little);
  RuleResult r = c.check("*{1}data = 0x12");
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.message, "expression '*{1}data = 0x12' is false: 0x11 != 0x12");
}

TEST_F(CheckerTest, RuleErrors) {
  Checker c(ctx, decoder.get(), Endian::Little);
  RuleResult r = c.check("data");
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.message.find("has no '='"), std::string::npos);
  r = c.check("nosuch = 1");
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.message.find("cannot evaluate 'nosuch = 1'"), std::string::npos);
  r = c.check("1 = 1 2");
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.message.find("unexpected '2'"), std::string::npos);
}

// --- buffers -------------------------------------------------------------

TEST_F(CheckerTest, BufferWithRulesAndContinuations) {
  Checker c(ctx, decoder.get(), Endian::Little);
  BufferResult r = c.check_buffer(
      "# a comment\n"
      "  # rtdyld-check: *{1}data = 0x11\n"
      "movq %rax, %rbx\n"
      "# rtdyld-check: *{2}data = \\\n"
      "# rtdyld-check:    0x2211\n"
      "# rtdyld-check: 1 = 2\n",
      "t.s");
  EXPECT_EQ(r.rules, 3u);
  EXPECT_EQ(r.failed, 1u);
  EXPECT_FALSE(r.passed());
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0], "t.s:6: expression '1 = 2' is false: 0x1 != 0x2");
}

TEST_F(CheckerTest, BufferAllPassCrLf) {
  Checker c(ctx, decoder.get(), Endian::Little);
  BufferResult r = c.check_buffer("# rtdyld-check: 1 = 1\r\n# rtdyld-check: 2 = 2\r\n", "t.s");
  EXPECT_EQ(r.rules, 2u);
  EXPECT_TRUE(r.passed());
}

TEST_F(CheckerTest, BufferWithoutRulesDoesNotPass) {
  Checker c(ctx, decoder.get(), Endian::Little);
  BufferResult r = c.check_buffer("nothing here\n", "t.s");
  EXPECT_EQ(r.rules, 0u);
  EXPECT_FALSE(r.passed());
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_NE(r.messages[0].find("no rules"), std::string::npos);
}

TEST_F(CheckerTest, BufferOtherPrefix) {
  Checker c(ctx, decoder.get(), Endian::Little);
  BufferResult r = c.check_buffer("// check: 3 = 3\n# rtdyld-check: 1 = 2\n", "t.s", "// check:");
  EXPECT_EQ(r.rules, 1u);
  EXPECT_TRUE(r.passed());
}

TEST_F(CheckerTest, DanglingContinuations) {
  Checker c(ctx, decoder.get(), Endian::Little);
  BufferResult r = c.check_buffer("# rtdyld-check: 1 = \\\nnot a rule\n", "t.s");
  EXPECT_FALSE(r.passed());
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_NE(r.messages[0].find("t.s:1: rule ends in '\\' but the next line"), std::string::npos);
  r = c.check_buffer("# rtdyld-check: 1 = 1\n# rtdyld-check: 1 = \\", "t.s");
  EXPECT_EQ(r.rules, 2u);
  EXPECT_EQ(r.failed, 1u);
  EXPECT_NE(r.messages[0].find("t.s:2: rule ends in '\\' at the end of the file"), std::string::npos);
}

}  // namespace
}  // namespace jitload::checker
