// The client's JSON-RPC reply reader: the readable text, the checks of a
// response, the id, the bounds.

#include "protocol/jsonrpc/reply_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace mid::protocol::jsonrpc {
namespace {

class JsonReplyReaderTest : public testing::Test {
 protected:
  // Reads an exact-size heap copy (ASan sees a read past the end).
  ReplyOutcome read(std::string_view reply, std::string_view expected_id = "") {
    copy_ = test::ExactCopy(reply);
    core::BoundedWriter out(text_);
    ReplyOutcome outcome = reader_.read(copy_.view(), expected_id, out);
    shown_ = std::string(out.view());
    return outcome;
  }
  // The readable text of an accepted reply.
  std::string shown(std::string_view reply, std::string_view expected_id = "") {
    const ReplyOutcome outcome = read(reply, expected_id);
    EXPECT_EQ(outcome.fault, ReplyFault::none) << outcome.problem << " at " << outcome.offset;
    return shown_;
  }
  // The problem of a refused reply.
  std::string_view refused(std::string_view reply, ReplyFault fault) {
    const ReplyOutcome outcome = read(reply);
    EXPECT_EQ(outcome.fault, fault) << reply;
    EXPECT_LE(outcome.offset, reply.size());
    return outcome.problem;
  }

  ReplyReader reader_;
  std::vector<char> text_ = std::vector<char>(kReadableCapacity);
  test::ExactCopy copy_{""};
  std::string shown_;
};

TEST_F(JsonReplyReaderTest, ResultIsIndentedTwoSpacesOneMemberPerLine) {
  EXPECT_EQ(
      shown(R"({"jsonrpc":"2.0","result":{"Now":"Thu","Up time":"1662 [sec]"},"id":"29963"})"),
      "{\n  \"Now\": \"Thu\",\n  \"Up time\": \"1662 [sec]\"\n}\n");
  EXPECT_EQ(shown(R"({"jsonrpc":"2.0","result":{"Processes":[{"ID":0,"PID":9467},{"ID":1}]},)"
                  R"("id":1})"),
            "{\n  \"Processes\": [\n    {\n      \"ID\": 0,\n      \"PID\": 9467\n    },\n"
            "    {\n      \"ID\": 1\n    }\n  ]\n}\n");
  EXPECT_EQ(shown(R"({"jsonrpc":"2.0","result":["a", 1.5e400, true, null, [], {}],"id":1})"),
            "[\n  \"a\",\n  1.5e400,\n  true,\n  null,\n  [],\n  {}\n]\n");
  EXPECT_EQ(shown(R"({"jsonrpc":"2.0","result":"OK","id":1})"), "\"OK\"\n");
  EXPECT_EQ(shown(R"({"jsonrpc":"2.0","result":-0,"id":1})"), "-0\n");
}

TEST_F(JsonReplyReaderTest, MembersInAnyOrderAndWhitespace) {
  const ReplyOutcome outcome =
      read(" {\n\"id\" : 17 ,\"result\":{ } , \"jsonrpc\":\"2.0\"}\r\n", "17");
  EXPECT_EQ(outcome.fault, ReplyFault::none) << outcome.problem;
  EXPECT_FALSE(outcome.is_error);
  EXPECT_EQ(outcome.id, "17");
  EXPECT_EQ(shown_, "{}\n");
}

TEST_F(JsonReplyReaderTest, StringsAreWrittenBackAsJsonWithoutARawControlByte) {
  EXPECT_EQ(shown("{\"jsonrpc\":\"2.0\",\"result\":{\"k\\u001b\":\"\\u0007\x7f\xc2\x9b\xc3\xa9\\/"
                  "\\\"\"},\"id\":1}"),
            "{\n  \"k\\u001b\": \"\\u0007\\u007f\\u009b\xc3\xa9/\\\"\"\n}\n");
}

TEST_F(JsonReplyReaderTest, ErrorIsCodeMessageAndData) {
  ReplyOutcome outcome =
      read(R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":7})");
  EXPECT_EQ(outcome.fault, ReplyFault::none);
  EXPECT_TRUE(outcome.is_error);
  EXPECT_EQ(outcome.code, -32601);
  EXPECT_EQ(shown_, "-32601 Method not found\n");
  EXPECT_EQ(shown(R"({"jsonrpc":"2.0","error":{"data":"missing x","code":-32602,)"
                  R"("message":"Invalid params"},"id":7})"),
            "-32602 Invalid params: missing x\n");
  EXPECT_EQ(shown(R"({"jsonrpc":"2.0","error":{"code":404,"message":"Statistics Not Found",)"
                  R"("data":{"a":[1,"b"]}},"id":null})"),
            "404 Statistics Not Found: {\"a\":[1,\"b\"]}\n");
  EXPECT_EQ(shown("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":500,\"message\":\"a\\nb\\u001b\x7f"
                  "\xc2\x9b\xc3\xa9\",\"data\":\"\\t\"},\"id\":1}"),
            "500 a\\nb\\x1b\\x7f\\xc2\\x9b\xc3\xa9: \\t\n");
}

TEST_F(JsonReplyReaderTest, IdMustMatchByteForByte) {
  const std::string reply = R"({"jsonrpc":"2.0","result":1,"id":"abc"})";
  EXPECT_EQ(read(reply, "\"abc\"").fault, ReplyFault::none);
  EXPECT_EQ(read(reply, "\"abd\"").fault, ReplyFault::id_mismatch);
  EXPECT_EQ(read(R"({"jsonrpc":"2.0","result":1,"id":17})", "17").fault, ReplyFault::none);
  EXPECT_EQ(read(R"({"jsonrpc":"2.0","result":1,"id":17.0})", "17").fault, ReplyFault::id_mismatch);
  EXPECT_EQ(read(R"({"jsonrpc":"2.0","result":1,"id":null})", "17").fault, ReplyFault::id_mismatch);
  EXPECT_EQ(read(R"({"jsonrpc":"2.0","result":1,"id":null})", "null").fault, ReplyFault::none);
  // A malformed reply is malformed whatever its id.
  EXPECT_EQ(read(R"({"jsonrpc":"1.0","result":1,"id":18})", "17").fault, ReplyFault::not_response);
}

TEST_F(JsonReplyReaderTest, NotAResponse) {
  const auto not_response = [this](std::string_view reply) {
    return refused(reply, ReplyFault::not_response);
  };
  EXPECT_EQ(not_response(R"("2.0")"), "not a JSON object");
  EXPECT_EQ(not_response(R"([{"jsonrpc":"2.0","result":1,"id":1}])"),
            "not a JSON object (a batch?)");
  EXPECT_EQ(not_response(R"({"result":1,"id":1})"), "no \"jsonrpc\"");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","result":1})"), "no \"id\"");
  EXPECT_EQ(not_response(R"({"jsonrpc":2.0,"result":1,"id":1})"), "\"jsonrpc\" is not \"2.0\"");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","id":1})"), "neither \"result\" nor \"error\"");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","result":1,"error":{"code":1,"message":""},"id":1})"),
            "both \"result\" and \"error\"");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","result":1,"result":2,"id":1})"),
            "a member given twice");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","Result":1,"id":1})"),
            "a member other than jsonrpc, result, error, id");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","result":1,"id":[1]})"),
            "an id that is not a string, number or null");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","error":"x","id":1})"),
            "an error that is not an object");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","error":{"code":1.5,"message":""},"id":1})"),
            "an error code that is not an integer");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","error":{"code":"1","message":""},"id":1})"),
            "an error code that is not an integer");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","error":{"code":99999999999999999999,)"
                         R"("message":""},"id":1})"),
            "an error code that is not an integer");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","error":{"code":1,"message":2},"id":1})"),
            "an error message that is not a string");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","error":{"code":1},"id":1})"),
            "an error without its code or message");
  EXPECT_EQ(not_response(R"({"jsonrpc":"2.0","error":{"code":1,"message":"","x":1},"id":1})"),
            "an error member other than code, message, data");
}

TEST_F(JsonReplyReaderTest, NotJson) {
  refused("", ReplyFault::not_json);
  refused("200 OK\n", ReplyFault::not_json);
  refused(R"({"jsonrpc":"2.0","result":1,"id":1} x)", ReplyFault::not_json);
  refused(std::string(R"({"jsonrpc":"2.0","result":1,"id":1})") + '\0', ReplyFault::not_json);
  refused("{\"jsonrpc\":\"2.0\",\"result\":\"\xc0\x80\",\"id\":1}", ReplyFault::not_json);
  EXPECT_EQ(refused(R"({"jsonrpc":"2.0","result":"\udc00","id":1})", ReplyFault::not_json),
            "invalid UTF-8 in a string escape");
  refused(R"({"jsonrpc":"2.0","result":01,"id":1})", ReplyFault::not_json);
}

TEST_F(JsonReplyReaderTest, DepthAndSizeBounds) {
  const auto nested = [](std::size_t depth) {
    return R"({"jsonrpc":"2.0","id":1,"result":)" + std::string(depth - 1, '[') +
           std::string(depth - 1, ']') + "}";
  };
  EXPECT_EQ(read(nested(kMaxReplyDepth)).fault, ReplyFault::none);
  EXPECT_EQ(read(nested(kMaxReplyDepth + 1)).fault, ReplyFault::too_deep);
  std::string big = R"({"jsonrpc":"2.0","id":1,"result":")";
  big += std::string(core::kMaxDatagram - big.size() - 2, 'x') + "\"}";
  EXPECT_EQ(read(big).fault, ReplyFault::none);
  EXPECT_EQ(read(big.insert(big.size() - 2, "x")).fault, ReplyFault::too_large);
}

TEST_F(JsonReplyReaderTest, TheWorstCaseFitsTheReadableCapacity) {
  // An array of one-byte numbers at the deepest level: the most lines and
  // indentation per input byte.
  std::string reply = R"({"jsonrpc":"2.0","id":1,"result":)" + std::string(kMaxReplyDepth - 1, '[');
  const std::size_t tail = kMaxReplyDepth - 1 + 1;
  while (reply.size() + 2 + tail <= core::kMaxDatagram) reply += "0,";
  reply += "0" + std::string(kMaxReplyDepth - 1, ']') + "}";
  ASSERT_LE(reply.size(), core::kMaxDatagram);
  EXPECT_EQ(read(reply).fault, ReplyFault::none);
  EXPECT_LE(shown_.size(), kReadableCapacity);
  // Raw DELs: six bytes each.
  std::string dels = R"({"jsonrpc":"2.0","id":1,"result":")";
  dels += std::string(core::kMaxDatagram - dels.size() - 2, '\x7f') + "\"}";
  EXPECT_EQ(read(dels).fault, ReplyFault::none);
}

TEST_F(JsonReplyReaderTest, AShortWriterIsAFaultNotACut) {
  copy_ = test::ExactCopy(R"({"jsonrpc":"2.0","result":{"a":"bcd"},"id":1})");
  std::array<char, 8> small{};
  core::BoundedWriter out(small);
  EXPECT_EQ(reader_.read(copy_.view(), "", out).fault, ReplyFault::output_too_large);
}

}  // namespace
}  // namespace mid::protocol::jsonrpc
