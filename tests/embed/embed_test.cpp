// examples/hello_server.cpp, built in-tree, answered over a real socket.

#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

using namespace std::chrono_literals;

class Example : public ::testing::Test {
 protected:
  void SetUp() override {
    socket_ = scratch_.path("hello.sock");
    server_ = std::async(std::launch::async, [this] {
      return run_program({MID_EXAMPLE_PATH, socket_, "1"}, 60s);
    });
    for (int i = 0; i < 250 && !ask(socket_, ":version:\n", 100ms); ++i) {
      std::this_thread::sleep_for(20ms);
    }
  }
  void TearDown() override {
    ask(socket_, ":kill:\n", 100ms);  // disabled: the example is stopped by signal
    run_program({"/usr/bin/pkill", "-TERM", "-f", "hello-server " + socket_});
    const RunResult result = server_.get();
    EXPECT_EQ(result.exit_status, 0) << result.output;
  }
  std::string socket_;
  Scratch scratch_;
  std::future<RunResult> server_;
};

TEST_F(Example, OwnCommandAndStatisticAnswerBesideTheBuiltins) {
  EXPECT_EQ(ask(socket_, ":hello:\nworld\n").value_or(""), "200 OK\nGreeting:: Hello, world\n");
  EXPECT_EQ(ask(socket_, ":hello:\n").value_or(""), "200 OK\nGreeting:: Hello, stranger\n");
  EXPECT_EQ(ask(socket_, ":get_statistics:\nhello:\n").value_or(""),
            "200 OK\nhello:greetings:: 2\n");
  EXPECT_EQ(ask(socket_, ":list_statistics:\nhello:greetings\n").value_or(""),
            "200 OK\nhello:greetings:: incremental\n");
  const std::string which = ask(socket_, ":which:\n").value_or("");
  EXPECT_NE(which.find("\nhello\n"), std::string::npos) << which;
  EXPECT_NE(which.find("\nuptime\n"), std::string::npos) << which;
  EXPECT_EQ(ask(socket_, ":hello:\na\nb\n").value_or(""),
            "400 bad arguments: expected () or (name)\n");
}

TEST_F(Example, OwnCommandsAnswerInJsonWithTheirDeclaredForms) {
  EXPECT_EQ(ask(socket_, R"j({"jsonrpc":"2.0","id":1,"method":"hello","params":{"name":"json"}})j")
                .value_or(""),
            R"j({"jsonrpc":"2.0","result":{"Greeting":"Hello, json"},"id":1})j");
  EXPECT_EQ(ask(socket_, R"j({"jsonrpc":"2.0","id":2,"method":"hello","params":{"who":"x"}})j")
                .value_or(""),
            R"j({"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params",)j"
            R"j("data":"expected () or (name)"},"id":2})j");
  // An async command answers later in JSON too, with the id it was asked with.
  EXPECT_EQ(
      ask(socket_, R"j({"jsonrpc":"2.0","id":"later-1","method":"hello_later","params":["50"]})j")
          .value_or(""),
      R"j({"jsonrpc":"2.0","result":{"Greeting":"Hello, later"},"id":"later-1"})j");
  // Inside a batch it cannot wait: it answers at once, in order.
  EXPECT_EQ(ask(socket_, R"j([{"jsonrpc":"2.0","id":1,"method":"hello_later","params":["5000"]},)j"
                         R"j({"jsonrpc":"2.0","id":2,"method":"hello"}])j")
                .value_or(""),
            R"j([{"jsonrpc":"2.0","result":{"Greeting":"Hello, later"},"id":1},)j"
            R"j({"jsonrpc":"2.0","result":{"Greeting":"Hello, stranger"},"id":2}])j");
}

TEST_F(Example, AsyncReplyComesLaterWhileTheSameWorkerAnswersOthers) {
  // One worker: the quick requests can only be answered by the worker
  // that holds the deferred reply.
  const auto start = std::chrono::steady_clock::now();
  auto later =
      std::async(std::launch::async, [this] { return ask(socket_, ":hello_later:\n600\n", 5s); });
  std::this_thread::sleep_for(100ms);
  for (int i = 0; i < 5; ++i) {
    const auto quick = ask(socket_, ":version:\n", 2s);
    ASSERT_TRUE(quick.has_value());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 600ms) << "blocked behind the async reply";
  }
  const auto reply = later.get();
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(*reply, "200 OK\nGreeting:: Hello, later\n");
  EXPECT_GE(waited, 550ms);
  EXPECT_EQ(ask(socket_, ":hello_later:\nsoon\n").value_or(""),
            "400 bad arguments: expected a delay in milliseconds, 0..60000\n");
}

}  // namespace
}  // namespace mid::e2e
