// JSON-RPC 2.0 through the real daemon over real sockets (UNIX and UDP):
// the real clients' requests byte for byte, every error, notifications,
// batches, pretty printing, a python-opensips reply socket the workers
// cannot write to, the access rules and the audit trail, and the 1.x text
// protocol on the same socket. Replies are compared byte for byte where
// they are deterministic; times and pids are masked with a regular
// expression, or the reply is read with nlohmann-json.

#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::ordered_json;

constexpr uid_t kStranger = 4242;
constexpr uid_t kNobody = 65534;
constexpr auto kNoReplyWait = 300ms;

// A request as python-opensips and opensips-cli send it: json.dumps with
// its default separators, members jsonrpc, id, method, params.
std::string client_request(const std::string& id, const std::string& method,
                           const std::string& params) {
  return R"({"jsonrpc": "2.0", "id": ")" + id + R"(", "method": ")" + method + R"(", "params": )" +
         params + "}";
}

std::string result_reply(const std::string& result, const std::string& id) {
  return R"({"jsonrpc":"2.0","result":)" + result + R"(,"id":)" + id + "}";
}

std::string error_reply(long code, const std::string& message, const std::string& data,
                        const std::string& id) {
  std::string error = R"({"code":)" + std::to_string(code) + R"(,"message":")" + message + '"';
  if (!data.empty()) error += R"(,"data":")" + data + '"';
  return R"({"jsonrpc":"2.0","error":)" + error + R"(},"id":)" + id + "}";
}

std::size_t count_of(const std::string& text, const std::string& piece) {
  std::size_t count = 0;
  for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) {
    ++count;
  }
  return count;
}

// One exchange from a process of another uid and gid (no supplementary
// groups): a forked child drops to them, asks, and hands the reply back
// through a pipe. nullopt when no reply came.
std::optional<std::string> ask_as(uid_t uid, const std::string& socket_name,
                                  const std::string& request) {
  int fds[2];
  if (pipe(fds) != 0) return std::nullopt;
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    if (setgroups(0, nullptr) != 0 || setresgid(uid, uid, uid) != 0 ||
        setresuid(uid, uid, uid) != 0) {
      _exit(2);
    }
    const auto reply = ask(socket_name, request, 3s);
    if (!reply) _exit(1);
    std::size_t written = 0;
    while (written < reply->size()) {
      const std::string_view rest = std::string_view(*reply).substr(written);
      const ssize_t n = write(fds[1], rest.data(), rest.size());
      if (n <= 0) _exit(3);
      written += static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string reply;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof(buffer))) > 0;) {
    reply.append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return reply;
}

// A client as python-opensips' UNIX transport is: a reply socket bound to
// a path (with the umask it runs under), sendto the daemon, a receive with
// a timeout.
class PathClient {
 public:
  PathClient(const std::string& path, mode_t mask) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un self = address_of(path);
    const mode_t old = umask(mask);
    bound_ = bind(fd_, reinterpret_cast<const sockaddr*>(&self), sizeof(self)) == 0;
    umask(old);
  }
  ~PathClient() {
    close(fd_);
    unlink(path_.c_str());
  }
  PathClient(const PathClient&) = delete;
  PathClient& operator=(const PathClient&) = delete;

  [[nodiscard]] bool bound() const { return bound_; }
  bool send(const std::string& server, const std::string& request) {
    const sockaddr_un to = address_of(server);
    return sendto(fd_, request.data(), request.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                  sizeof(to)) == static_cast<ssize_t>(request.size());
  }
  std::optional<std::string> exchange(const std::string& server, const std::string& request,
                                      std::chrono::milliseconds timeout) {
    if (!send(server, request)) return std::nullopt;
    pollfd ready{fd_, POLLIN, 0};
    if (poll(&ready, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
    std::string reply(65536, '\0');
    const ssize_t n = recv(fd_, reply.data(), reply.size(), 0);
    if (n < 0) return std::nullopt;
    reply.resize(static_cast<std::size_t>(n));
    return reply;
  }

 private:
  static sockaddr_un address_of(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    return address;
  }

  std::string path_;
  int fd_ = -1;
  bool bound_ = false;
};

class JsonRpc : public ::testing::Test {
 protected:
  void start(const std::string& socket_name, const std::string& extra = "",
             std::vector<std::string> args = {}) {
    config_ = "socket_name = " + socket_name + "\n" + extra;
    daemon_.emplace(scratch_, config_, std::move(args));
    ASSERT_TRUE(daemon_->running()) << daemon_->log();
  }
  void start_unix(const std::string& extra = "", std::vector<std::string> args = {}) {
    start(scratch_.path("mi.sock"), extra, std::move(args));
  }
  std::string request(const std::string& text) {
    auto reply = ask(daemon_->socket(), text);
    EXPECT_TRUE(reply.has_value()) << text.substr(0, 80);
    return reply.value_or("");
  }
  // Nothing comes back within kNoReplyWait.
  bool silent(const std::string& text) {
    return !ask(daemon_->socket(), text, kNoReplyWait).has_value();
  }
  Json result_of(const std::string& text) {
    const Json reply = Json::parse(request(text), nullptr, false);
    EXPECT_TRUE(reply.is_object() && reply.contains("result")) << reply.dump();
    return reply.is_object() && reply.contains("result") ? reply["result"] : Json();
  }
  long long stat(const std::string& name) {
    const Json result = result_of(
        R"({"jsonrpc":"2.0","id":0,"method":"get_statistics","params":[[")" + name + R"("]]})");
    return result.contains(name) ? result[name].get<long long>() : -1;
  }
  bool logged(const std::string& text) {
    for (int i = 0; i < 100; ++i) {
      if (daemon_->log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  Scratch scratch_;
  std::string config_;
  std::optional<Daemon> daemon_;
};

// The same cases over a UNIX socket and over UDP.
class JsonRpcOver : public JsonRpc, public ::testing::WithParamInterface<std::string> {
 protected:
  void start_here(const std::string& extra = "", std::vector<std::string> args = {}) {
    if (GetParam() == "udp") {
      start("udp:127.0.0.1:" + std::to_string(free_udp_port(false)), extra, std::move(args));
    } else {
      start_unix(extra, std::move(args));
    }
  }
};

INSTANTIATE_TEST_SUITE_P(Sockets, JsonRpcOver, ::testing::Values("unix", "udp"),
                         [](const auto& param) { return param.param; });

const std::string kCommands =
    R"(["which","help","uptime","version","pwd","arg","ps","log_level","debug",)"
    R"("get_statistics","reset_statistics","list_statistics","kill"])";

TEST_P(JsonRpcOver, TheClientsRequestsOfTheCoreCommandsByteForByte) {
  start_here();
  const std::string date = R"([A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} )"
                           R"([0-9]{4} UTC)";
  const std::regex uptime(R"(\{"jsonrpc":"2\.0","result":\{"Now":")" + date + R"(","Up since":")" +
                          date + R"(","Up time":"[0-9]+ \[sec\]"\},"id":"29963"\})");
  const std::string up = request(client_request("29963", "uptime", "{}"));
  EXPECT_TRUE(std::regex_match(up, uptime)) << up;
  EXPECT_EQ(request(client_request("4711", "which", "[]")), result_reply(kCommands, R"("4711")"));
  EXPECT_EQ(request(client_request("4711", "which", R"({"command": "log_level"})")),
            result_reply(R"([[],["level"],["level","pid"]])", R"("4711")"));
  EXPECT_EQ(request(client_request("4711", "which", R"({"command": "get_statistics"})")),
            result_reply(R"([["statistics"]])", R"("4711")"));
  EXPECT_EQ(request(client_request("1", "help", R"({"mi_cmd": "pwd"})")),
            result_reply(R"({"Help":"shows the server's working directory","Exported by":"core"})",
                         R"("1")"));
  EXPECT_TRUE(request(client_request("1", "help", R"({"mi_cmd": "list_statistics"})"))
                  .ends_with(R"(,"Exported by":"statistics"},"id":"1"})"))
      << "statistics commands are exported by 'statistics' (facts, section 4)";
  EXPECT_EQ(request(client_request("1", "version", "{}")),
            result_reply(R"({"Server":"mi-datagram 0.1.0"})", R"("1")"));
  EXPECT_EQ(
      request(client_request("1", "pwd", "{}")),
      result_reply(R"({"WD":")" + std::filesystem::current_path().string() + R"("})", R"("1")"));
  EXPECT_EQ(request(client_request("1", "arg", "{}")),
            result_reply(R"([")" + daemon_path() + R"(","--foreground","--config",")" +
                             scratch_.path("mi-datagramd.conf") + R"("])",
                         R"("1")"));
  const std::regex ps(
      R"(\{"jsonrpc":"2\.0","result":\{"Processes":\[\{"ID":0,"PID":[1-9][0-9]*,"Type":"master"\},)"
      R"(\{"ID":1,"PID":[1-9][0-9]*,"Type":"worker"\}\]\},"id":"1"\})");
  const std::string processes = request(client_request("1", "ps", "{}"));
  EXPECT_TRUE(std::regex_match(processes, ps)) << processes;
  EXPECT_EQ(request(client_request("1", "kill", "{}")),
            error_reply(403, "kill is disabled (enable_kill = no)", "", R"("1")"));
  EXPECT_TRUE(daemon_->running());
}

TEST_P(JsonRpcOver, LogLevelWithAndWithoutALevel) {
  start_here();
  EXPECT_EQ(request(client_request("4711", "log_level", R"(["4"])")),
            result_reply(R"({"New global log level":4})", R"("4711")"));
  const std::regex shown(
      R"(\{"jsonrpc":"2\.0","result":\{"Processes":\[\{"PID":[1-9][0-9]*,"Log level":4,)"
      R"("Type":"master"\},\{"PID":[1-9][0-9]*,"Log level":4,"Type":"worker"\}\]\},"id":"4711"\})");
  const std::string levels = request(client_request("4711", "log_level", "{}"));
  EXPECT_TRUE(std::regex_match(levels, shown)) << levels;
  EXPECT_EQ(request(client_request("5", "log_level", R"({"level": 3})")),
            result_reply(R"({"New global log level":3})", R"("5")"));
}

// python-opensips' own example: a level for one process, by its pid; the
// other processes keep the global level.
TEST_P(JsonRpcOver, LogLevelOfOneProcessByItsPid) {
  start_here();
  const Json processes = result_of(client_request("1", "log_level", "[]"))["Processes"];
  ASSERT_EQ(processes.size(), 2U);
  const std::string worker = std::to_string(processes[1]["PID"].get<long long>());
  EXPECT_EQ(request(client_request("4711", "log_level", R"(["4", ")" + worker + R"("])")),
            result_reply(R"({"Log level":4})", R"("4711")"));
  const Json after = result_of(client_request("2", "log_level", "[]"))["Processes"];
  EXPECT_EQ(after[0]["Log level"], 2) << after.dump();  // the master: the global level
  EXPECT_EQ(after[1]["Log level"], 4) << after.dump();
  EXPECT_EQ(request(client_request("3", "log_level", R"(["4", "1"])")),
            R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params",)"
            R"("data":"expected the pid of one of the server's processes"},"id":"3"})");
}

TEST_P(JsonRpcOver, StatisticsAsTheClientsAskForThem) {
  start_here();
  const Json all = result_of(client_request("1", "get_statistics", R"({"statistics": ["all"]})"));
  ASSERT_TRUE(all.is_object());
  EXPECT_GE(all.size(), 19U);
  for (const auto& [name, value] : all.items()) {
    EXPECT_TRUE(name.starts_with("datagram:") || name.starts_with("core:")) << name;
    EXPECT_TRUE(value.is_number_integer()) << name << " " << value.dump();
  }
  EXPECT_EQ(all["core:processes"], 2);
  // opensips-cli's positional form: the list wrapped at index 0; tm: names nothing here.
  const Json groups = result_of(R"({"jsonrpc":"2.0","method":"get_statistics","id":"1065",)"
                                R"("params":[["datagram:","tm:"]]})");
  EXPECT_EQ(groups.size(), 16U) << groups.dump();
  for (const auto& [name, value] : groups.items()) EXPECT_TRUE(name.starts_with("datagram:"));
  EXPECT_EQ(request(client_request("2", "statistics:get", R"({"statistics": ["core:processes"]})")),
            result_reply(R"({"core:processes":2})", R"("2")"));

  const Json kinds = result_of(client_request("3", "list_statistics", "{}"));
  EXPECT_EQ(kinds["datagram:requests"], "incremental");
  EXPECT_EQ(kinds["core:processes"], "non-incremental");
  EXPECT_EQ(kinds.size(), all.size());
  EXPECT_EQ(request(client_request("3", "list_statistics", R"([["core:"]])")),
            result_reply(R"({"core:processes":"non-incremental","core:worker_restarts":)"
                         R"("incremental","core:started_at":"non-incremental"})",
                         R"("3")"));

  for (int i = 0; i < 3; ++i) request(client_request("4", "version", "{}"));
  EXPECT_GE(stat("datagram:replies"), 3);
  EXPECT_EQ(request(client_request("4", "reset_statistics", R"([["datagram:replies"]])")),
            result_reply(R"("OK")", R"("4")"));
  EXPECT_LE(stat("datagram:replies"), 1);
  EXPECT_EQ(request(client_request("5", "get_statistics", R"([["nosuch"]])")),
            error_reply(404, "Statistics Not Found", "", R"("5")"));
}

TEST_P(JsonRpcOver, OpenSips4ModuleNames) {
  start_here();
  const std::string up = request(client_request("6", "core:uptime", "{}"));
  EXPECT_TRUE(up.starts_with(R"({"jsonrpc":"2.0","result":{"Now":")")) << up;
  EXPECT_TRUE(up.ends_with(R"( [sec]"},"id":"6"})")) << up;
  EXPECT_EQ(request(client_request("6", "core:version", "[]")),
            result_reply(R"({"Server":"mi-datagram 0.1.0"})", R"("6")"));
  const Json stats = result_of(client_request("6", "statistics:get", R"([["core:"]])"));
  EXPECT_EQ(stats.size(), 3U) << stats.dump();
  EXPECT_EQ(
      request(client_request("6", "statistics:list", R"({"statistics": ["core:processes"]})")),
      result_reply(R"({"core:processes":"non-incremental"})", R"("6")"));
}

struct ErrorCase {
  std::string request;
  std::string reply;
};

std::string batch_of(const std::string& call, std::size_t times) {
  std::string batch = "[";
  for (std::size_t i = 0; i < times; ++i) batch += (i == 0 ? "" : ",") + call;
  return batch + "]";
}

// A get_statistics call whose one name makes the datagram `size` bytes.
std::string statistics_call_of_size(std::size_t size) {
  const std::string head = R"({"jsonrpc":"2.0","id":1,"method":"get_statistics","params":[[")";
  const std::string tail = R"("]]})";
  return head + std::string(size - head.size() - tail.size(), 'x') + tail;
}

// Datagrams refused whole: not JSON, not a request, over a bound.
std::vector<ErrorCase> document_error_cases() {
  const std::string pwd = R"({"jsonrpc":"2.0","id":1,"method":"pwd"})";
  const std::string parse = "Parse error";
  const std::string invalid = "Invalid Request";
  const std::string params = "Invalid params";
  return {
      {R"({"jsonrpc": "2.0", "id": 1,)",
       error_reply(-32700, parse, "invalid JSON: missing a member name", "null")},
      {pwd + " x", error_reply(-32700, parse, "bytes after the JSON document", "null")},
      {pwd + std::string(1, '\0'),
       error_reply(-32700, parse, "bytes after the JSON document", "null")},
      {"{\"jsonrpc\":\"2.0\",\"id\":\"\xc3\x28\",\"method\":\"pwd\"}",
       error_reply(-32700, parse, "invalid UTF-8", "null")},
      {R"({"jsonrpc":"2.0","id":"\q","method":"pwd"})",
       error_reply(-32700, parse,
                   "invalid JSON: an invalid escape or a raw control character in a string",
                   "null")},
      {R"([5])",
       R"([)" + error_reply(-32600, invalid, "a batch element is not an object", "null") + "]"},
      {"[]", error_reply(-32600, invalid, "empty batch", "null")},
      {statistics_call_of_size(65458),
       error_reply(-32600, invalid, "datagram larger than 65457 bytes", "null")},
      {batch_of(pwd, 65), error_reply(-32600, invalid, "batch of more than 64 calls", "null")},
      {R"({"jsonrpc":"2.0","id":1,"method":"pwd","params":)" + std::string(17, '[') +
           std::string(17, ']') + "}",
       error_reply(-32600, invalid, "nesting deeper than 16 levels", "null")},
      {R"({"id":1,"method":"pwd"})",
       error_reply(-32600, invalid, R"(missing member \"jsonrpc\")", "1")},
      {R"({"jsonrpc":"2.0","id":1})",
       error_reply(-32600, invalid, R"(missing member \"method\")", "1")},
      {R"({"jsonrpc":"1.0","id":1,"method":"pwd"})",
       error_reply(-32600, invalid, R"(\"jsonrpc\" is not \"2.0\")", "1")},
      {R"({"jsonrpc":"2.0","id":{},"method":"pwd"})",
       error_reply(-32600, invalid, R"(\"id\" is not a string, a number or null)", "null")},
      {R"({"jsonrpc":"2.0","id":true,"method":"pwd"})",
       error_reply(-32600, invalid, R"(\"id\" is not a string, a number or null)", "null")},
  };
}

// Calls that are refused one by one (Invalid Request with the id when it
// is known, -32601, -32602), a command's own failure, and ids.
std::vector<ErrorCase> call_error_cases() {
  const std::string invalid = "Invalid Request";
  const std::string params = "Invalid params";
  return {
      {R"({"jsonrpc":"2.0","id":1,"method":"pwd","extra":1})",
       error_reply(-32600, invalid,
                   "unknown member (only jsonrpc, method, params and id are allowed)", "1")},
      {R"({"JSONRPC":"2.0","id":1,"method":"pwd"})",
       error_reply(-32600, invalid,
                   "unknown member (only jsonrpc, method, params and id are allowed)", "1")},
      {R"({"jsonrpc":"2.0","id":1,"id":2,"method":"pwd"})",
       error_reply(-32600, invalid, "duplicate member", "1")},
      {R"({"jsonrpc":"2.0","id":7,"method":"nosuch"})",
       error_reply(-32601, "Method not found", "unknown command: nosuch", "7")},
      {R"({"jsonrpc":"2.0","id":7,"method":"Uptime"})",
       error_reply(-32601, "Method not found", "unknown command: Uptime", "7")},
      {R"({"jsonrpc":"2.0","id":7,"method":"uptime","params":["x"]})",
       error_reply(-32602, params, "expected none", "7")},
      {R"({"jsonrpc":"2.0","id":7,"method":"help","params":{"cmd":"x"}})",
       error_reply(-32602, params, "expected () or (mi_cmd)", "7")},
      {R"({"jsonrpc":"2.0","id":7,"method":"get_statistics"})",
       error_reply(-32602, params, "expected (statistics[])", "7")},
      {R"({"jsonrpc":"2.0","id":7,"method":"help","params":{"mi_cmd":["pwd"]}})",
       error_reply(-32602, params, "parameter mi_cmd takes one value, not an array", "7")},
      {R"({"jsonrpc":"2.0","id":7,"method":"get_statistics","params":{"statistics":[]}})",
       error_reply(-32602, params, "empty array in parameter statistics", "7")},
      {R"({"jsonrpc":"2.0","id":7,"method":"get_statistics","params":[[]]})",
       error_reply(-32602, params, "empty array in parameter statistics", "7")},
      {R"({"jsonrpc":"2.0","id":1,"method":"pwd","params":{"a":{}}})",
       error_reply(-32602, params, "a parameter is an object", "1")},
      {R"({"jsonrpc":"2.0","id":1,"method":"pwd","params":5})",
       error_reply(-32600, invalid, R"(\"params\" is neither an array nor an object)", "1")},
      {R"({"jsonrpc":"2.0","id":"x","method":"get_statistics","params":[["nosuch:"]]})",
       error_reply(404, "Statistics Not Found", "", R"("x")")},
      {R"({"jsonrpc":"2.0","id":"x","method":"help","params":["nosuch"]})",
       error_reply(404, "unknown command: nosuch", "", R"("x")")},
      {R"({"jsonrpc":"2.0","id":"x","method":"which","params":{"command":"nosuch"}})",
       error_reply(404, "unknown command: nosuch", "", R"("x")")},
      {statistics_call_of_size(65457), error_reply(404, "Statistics Not Found", "", "1")},
      // Ids echoed byte for byte.
      {R"({"jsonrpc":"2.0","id":1.5e3,"method":"version"})",
       result_reply(R"({"Server":"mi-datagram 0.1.0"})", "1.5e3")},
      {R"({"jsonrpc":"2.0","id":null,"method":"version"})",
       result_reply(R"({"Server":"mi-datagram 0.1.0"})", "null")},
      {R"({"jsonrpc":"2.0","id":"a\u00e9\"\/","method":"version"})",
       result_reply(R"({"Server":"mi-datagram 0.1.0"})", R"("a\u00e9\"\/")")},
      {R"({"jsonrpc":"2.0","id":-0,"method":"version"})",
       result_reply(R"({"Server":"mi-datagram 0.1.0"})", "-0")},
  };
}

TEST_P(JsonRpcOver, EveryErrorIsAJsonRpcErrorObject) {
  start_here();
  for (const auto& cases : {document_error_cases(), call_error_cases()}) {
    for (const ErrorCase& error : cases) {
      EXPECT_EQ(request(error.request), error.reply) << error.request.substr(0, 120);
    }
  }
  EXPECT_EQ(stat("datagram:requests_too_large"), 1);
  EXPECT_TRUE(daemon_->running());
}

TEST_P(JsonRpcOver, RepliesTooLargeForADatagramBecomeOneJsonError) {
  // `arg` lists the command line: 3500 words of 18 bytes print to ~73 KB.
  start_here("", std::vector<std::string>(3500, "--log-level=notice"));
  EXPECT_EQ(request(client_request("1", "arg", "{}")),
            error_reply(500, "reply too large", "", R"("1")"));
  EXPECT_EQ(stat("datagram:replies_too_large"), 1);
  const std::string pwd = R"({"jsonrpc":"2.0","id":1,"method":"pwd"})";
  const std::string arg = R"({"jsonrpc":"2.0","id":2,"method":"arg"})";
  EXPECT_EQ(
      request("[" + pwd + "," + arg + "]"),
      error_reply(500, "reply too large: the batch's replies do not fit one datagram", "", "null"));
  EXPECT_EQ(request("[" + pwd + "]").substr(0, 29), R"([{"jsonrpc":"2.0","result":{")");
}

TEST_P(JsonRpcOver, NotificationsRunAndGetNothingBack) {
  start_here();
  for (int i = 0; i < 5; ++i) request(client_request("1", "version", "{}"));
  EXPECT_GE(stat("datagram:replies"), 5);
  EXPECT_TRUE(
      silent(R"({"jsonrpc":"2.0","method":"reset_statistics","params":[["datagram:replies"]]})"));
  EXPECT_LE(stat("datagram:replies"), 1) << "the notification ran";
  EXPECT_TRUE(silent(R"({"jsonrpc":"2.0","method":"nosuch"})"));
  EXPECT_TRUE(silent(R"({"jsonrpc":"2.0","method":"uptime","params":["x"]})"));
  EXPECT_TRUE(silent(R"({"jsonrpc":"2.0","method":"get_statistics","params":[["nosuch"]]})"));
  // A notification that is no valid request still gets its error (id null).
  EXPECT_EQ(request(R"({"jsonrpc":"2.0"})"),
            error_reply(-32600, "Invalid Request", R"(missing member \"method\")", "null"));
  EXPECT_EQ(
      request(R"({"jsonrpc":"2.0","method":"pwd","x":1})"),
      error_reply(-32600, "Invalid Request",
                  "unknown member (only jsonrpc, method, params and id are allowed)", "null"));
  EXPECT_TRUE(daemon_->running());
}

TEST_P(JsonRpcOver, BatchesAreAnsweredAsJsonRpcSays) {
  start_here();
  const std::string mixed =
      R"([{"jsonrpc":"2.0","id":1,"method":"version"},)"
      R"({"jsonrpc":"2.0","method":"version"},)"
      R"(5,)"
      R"({"jsonrpc":"2.0","id":"x","method":"nosuch"},)"
      R"({"jsonrpc":"2.0","method":"nosuch"},)"
      R"({"id":3},)"
      R"({"jsonrpc":"2.0","id":4,"method":"get_statistics","params":[["nosuch"]]},)"
      R"({"jsonrpc":"2.0","id":5,"method":"uptime","params":{"x":1}}])";
  EXPECT_EQ(request(mixed),
            "[" + result_reply(R"({"Server":"mi-datagram 0.1.0"})", "1") + "," +
                error_reply(-32600, "Invalid Request", "a batch element is not an object", "null") +
                "," + error_reply(-32601, "Method not found", "unknown command: nosuch", R"("x")") +
                "," + error_reply(-32600, "Invalid Request", R"(missing member \"jsonrpc\")", "3") +
                "," + error_reply(404, "Statistics Not Found", "", "4") + "," +
                error_reply(-32602, "Invalid params", "expected none", "5") + "]");
  EXPECT_TRUE(silent(R"([{"jsonrpc":"2.0","method":"version"},{"jsonrpc":"2.0","method":"nosuch"},)"
                     R"({"jsonrpc":"2.0","method":"reset_statistics","params":[["datagram:"]]}])"));
  // 64 calls, 64 responses in order.
  std::string batch = "[";
  for (int i = 0; i < 64; ++i) {
    batch += (i == 0 ? "" : ",") + std::string(R"({"jsonrpc":"2.0","method":"pwd","id":)") +
             std::to_string(i) + "}";
  }
  const Json responses = Json::parse(request(batch + "]"), nullptr, false);
  ASSERT_TRUE(responses.is_array());
  ASSERT_EQ(responses.size(), 64U);
  for (std::size_t i = 0; i < 64; ++i) EXPECT_EQ(responses[i]["id"], i);
  // One batch's write calls all run (the counter was reset by the silent batch).
  EXPECT_LE(stat("datagram:replies"), 2);
}

TEST_P(JsonRpcOver, TextRequestsKeepWorkingBesideJson) {
  start_here();
  EXPECT_EQ(request(":version:\n"), "200 OK\nServer:: mi-datagram 0.1.0\n");
  EXPECT_EQ(request(client_request("1", "version", "{}")),
            result_reply(R"({"Server":"mi-datagram 0.1.0"})", R"("1")"));
  // Text prints no line for an array: the forms (), (level) and (level, pid)
  // show as their names one after the other.
  EXPECT_EQ(request(":which:\nlog_level\n"), "200 OK\nlevel\nlevel\npid\n");
  EXPECT_EQ(request(":get_statistics:\nnosuch\n"), "404 Statistics Not Found\n");
  EXPECT_EQ(request(" \n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"version\"}\n"),
            result_reply(R"({"Server":"mi-datagram 0.1.0"})", "1"));
  EXPECT_EQ(request("\"uptime\""), "400 bad command at byte 0: request must start with ':'\n");
  EXPECT_EQ(request(":log_level:\n3\n"), "200 OK\nNew global log level:: 3\n");
  EXPECT_EQ(stat("datagram:requests"), 8) << "seven requests and this one";
}

TEST_F(JsonRpc, PrettyPrintingLaysRepliesOutAsOpenSips) {
  start_unix("pretty_printing = yes\n");
  EXPECT_EQ(request(R"({"jsonrpc":"2.0","id":"42","method":"version"})"),
            "{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t{\n\t\t\"Server\":\t\"mi-datagram "
            "0.1.0\"\n\t},\n\t\"id\":\t\"42\"\n}");
  EXPECT_EQ(request(R"({"jsonrpc":"2.0","id":"42","method":"pwd"})"),
            "{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t{\n\t\t\"WD\":\t\"" +
                std::filesystem::current_path().string() + "\"\n\t},\n\t\"id\":\t\"42\"\n}");
  EXPECT_EQ(request(R"({"jsonrpc":"2.0","id":"42","method":"which","params":["log_level"]})"),
            "{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t[[], [\"level\"], [\"level\", "
            "\"pid\"]],\n\t\"id\":\t\"42\"\n}");
  EXPECT_EQ(request(R"([{"jsonrpc":"2.0","id":1,"method":"version"},)"
                    R"({"jsonrpc":"2.0","id":2,"method":"nosuch"}])"),
            "[{\n\t\t\"jsonrpc\":\t\"2.0\",\n\t\t\"result\":\t{\n\t\t\t\"Server\":\t\"mi-datagram "
            "0.1.0\"\n\t\t},\n\t\t\"id\":\t1\n\t}, {\n\t\t\"jsonrpc\":\t\"2.0\",\n\t\t\"error\":\t{"
            "\n\t\t\t\"code\":\t-32601,\n\t\t\t\"message\":\t\"Method not found\",\n\t\t\t\"data\":"
            "\t\"unknown command: nosuch\"\n\t\t},\n\t\t\"id\":\t2\n\t}]");
  const std::regex ps(
      "\\{\n\t\"jsonrpc\":\t\"2\\.0\",\n\t\"result\":\t\\{\n\t\t\"Processes\":\t\\[\\{\n"
      "\t\t\t\t\"ID\":\t0,\n\t\t\t\t\"PID\":\t[1-9][0-9]*,\n\t\t\t\t\"Type\":\t\"master\"\n"
      "\t\t\t\\}, \\{\n\t\t\t\t\"ID\":\t1,\n\t\t\t\t\"PID\":\t[1-9][0-9]*,\n\t\t\t\t\"Type\":\t"
      "\"worker\"\n\t\t\t\\}\\]\n\t\\},\n\t\"id\":\t\"42\"\n\\}");
  const std::string processes = request(R"({"jsonrpc":"2.0","id":"42","method":"ps"})");
  EXPECT_TRUE(std::regex_match(processes, ps)) << processes;
  EXPECT_EQ(request(":version:\n"), "200 OK\nServer:: mi-datagram 0.1.0\n") << "text unchanged";
}

TEST_F(JsonRpc, KillWhenEnabledAnswersOkAndStopsTheDaemon) {
  start_unix("enable_kill = yes\n");
  EXPECT_EQ(request(client_request("9", "kill", "{}")), result_reply(R"("OK")", R"("9")"));
  EXPECT_EQ(daemon_->wait_exit(10s), std::optional<int>(0)) << daemon_->log();
  EXPECT_NE(daemon_->log().find("stopping: the kill command was run"), std::string::npos);
}

TEST_F(JsonRpc, KillOverUdpWithTheCoreName) {
  start("udp:127.0.0.1:" + std::to_string(free_udp_port(false)), "enable_kill = yes\n");
  EXPECT_EQ(request(client_request("9", "core:kill", "[]")), result_reply(R"("OK")", R"("9")"));
  EXPECT_EQ(daemon_->wait_exit(10s), std::optional<int>(0)) << daemon_->log();
}

// python-opensips binds its reply socket in /tmp with the client's umask:
// as root, a socket of mode 0755 owned by root, which workers running as
// nobody may not write to.
TEST_F(JsonRpc, AReplySocketTheWorkersCannotWriteToIsCountedLoggedAndSurvived) {
  start_unix();
  const std::string dir = scratch_.path("tmp");
  ASSERT_EQ(mkdir(dir.c_str(), 01777), 0);
  ASSERT_EQ(chmod(dir.c_str(), 01777), 0);
  const std::string uptime = client_request("29963", "uptime", "{}");
  constexpr int kDenied = 30;
  {
    PathClient client(dir + "/opensips_mi_reply_nlww3nft", 022);
    ASSERT_TRUE(client.bound());
    struct stat shown {};
    ASSERT_EQ(::stat((dir + "/opensips_mi_reply_nlww3nft").c_str(), &shown), 0);
    EXPECT_EQ(shown.st_mode & 07777, 0755U);
    EXPECT_FALSE(client.exchange(daemon_->socket(), uptime, kNoReplyWait).has_value());
    for (int i = 1; i < kDenied; ++i) ASSERT_TRUE(client.send(daemon_->socket(), uptime));
    // A second, reachable client sees the count; the daemon still serves.
    for (int i = 0; i < 100 && stat("datagram:send_denied") < kDenied; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(stat("datagram:send_denied"), kDenied);
    EXPECT_TRUE(logged("reply dropped: the client's socket does not let us write to it"))
        << daemon_->log();
    const std::size_t lines =
        count_of(daemon_->log(), "the client's socket does not let us write to it");
    EXPECT_LE(lines, 10U) << "rate-limited: at most 5 lines of a kind a second";
    EXPECT_GE(lines, 1U);

    // The same client, its socket opened to every uid: the reply arrives.
    ASSERT_EQ(chmod((dir + "/opensips_mi_reply_nlww3nft").c_str(), 0777), 0);
    const auto reply = client.exchange(daemon_->socket(), uptime, 5s);
    ASSERT_TRUE(reply.has_value());
    EXPECT_TRUE(reply->ends_with(R"(,"id":"29963"})")) << *reply;
  }
  {
    // Or the socket owned by the workers' user, mode 0755.
    PathClient client(dir + "/opensips_mi_reply_owned", 022);
    ASSERT_TRUE(client.bound());
    ASSERT_EQ(chown((dir + "/opensips_mi_reply_owned").c_str(), kNobody, 0), 0);
    const auto reply = client.exchange(daemon_->socket(), uptime, 5s);
    ASSERT_TRUE(reply.has_value());
    EXPECT_TRUE(reply->starts_with(R"({"jsonrpc":"2.0","result":{"Now":")")) << *reply;
  }
  EXPECT_EQ(stat("datagram:send_denied"), kDenied);
  EXPECT_TRUE(daemon_->running());
}

TEST_F(JsonRpc, AccessRulesRefuseAWriteCallWith403AndAuditEveryCallOfABatch) {
  start_unix("unix_socket_mode = 0666\naccess = uid:4242 read\naccess = uid:0 all\n");
  const std::string reset = client_request("1", "reset_statistics", R"([["datagram:"]])");
  EXPECT_EQ(ask_as(kStranger, daemon_->socket(), reset),
            error_reply(403, "forbidden by the access rules: reset_statistics", "", R"("1")"));
  EXPECT_TRUE(logged("audit: command=reset_statistics status=403 uid=4242 gid=4242 pid="))
      << daemon_->log();
  EXPECT_EQ(ask_as(kStranger, daemon_->socket(), client_request("2", "version", "{}")),
            result_reply(R"({"Server":"mi-datagram 0.1.0"})", R"("2")"));
  EXPECT_TRUE(ask_as(kStranger, daemon_->socket(), client_request("3", "log_level", "[]"))
                  .value_or("")
                  .starts_with(R"({"jsonrpc":"2.0","result":{"Processes":[{"PID":)"))
      << "log_level without a level only reads";
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(count_of(daemon_->log(), "audit: "), 1U) << daemon_->log();

  // Each call of a batch is audited: two refused write calls, two lines.
  std::this_thread::sleep_for(1100ms);  // a fresh second of the audit lines' rate limit
  const std::string two_writes =
      R"([{"jsonrpc":"2.0","id":1,"method":"reset_statistics","params":[["datagram:"]]},)"
      R"({"jsonrpc":"2.0","id":2,"method":"log_level","params":["4"]},)"
      R"({"jsonrpc":"2.0","id":3,"method":"version"}])";
  EXPECT_EQ(ask_as(kStranger, daemon_->socket(), two_writes),
            "[" + error_reply(403, "forbidden by the access rules: reset_statistics", "", "1") +
                "," + error_reply(403, "forbidden by the access rules: log_level", "", "2") + "," +
                result_reply(R"({"Server":"mi-datagram 0.1.0"})", "3") + "]");
  EXPECT_TRUE(logged("audit: command=log_level status=403 uid=4242")) << daemon_->log();
  EXPECT_EQ(count_of(daemon_->log(), "status=403 uid=4242"), 3U) << daemon_->log();

  // Root's two allowed write calls in one batch: two lines with status 200.
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(request(two_writes).substr(0, 46), R"([{"jsonrpc":"2.0","result":"OK","id":1},{"json)");
  EXPECT_TRUE(logged("audit: command=log_level status=200 uid=0 gid=0 pid=")) << daemon_->log();
  EXPECT_EQ(count_of(daemon_->log(), "audit: command=reset_statistics status=200 uid=0"), 1U);
  EXPECT_EQ(count_of(daemon_->log(), "audit: "), 5U) << daemon_->log();
}

TEST_F(JsonRpc, AccessRulesOverUdpAuditByAddress) {
  start("udp:127.0.0.1:" + std::to_string(free_udp_port(false)),
        "access = udp:127.0.0.1/32 read\naccess = * none\n");
  EXPECT_EQ(request(client_request("1", "statistics:reset", R"({"statistics": ["datagram:"]})")),
            error_reply(403, "forbidden by the access rules: reset_statistics", "", R"("1")"));
  EXPECT_TRUE(logged("audit: command=reset_statistics status=403 from=127.0.0.1:"))
      << daemon_->log();
  EXPECT_EQ(request(client_request("2", "which", "[]")), result_reply(kCommands, R"("2")"));
}

TEST_F(JsonRpc, TheCoarseRefusalAnswersInTheProtocolAsked) {
  start_unix("unix_socket_mode = 0666\nallowed_uids = 0\n");
  EXPECT_EQ(ask_as(kStranger, daemon_->socket(), client_request("29963", "uptime", "{}")),
            error_reply(403, "Forbidden", "", "null"));
  EXPECT_EQ(ask_as(kStranger, daemon_->socket(), ":uptime:\n"), "403 Forbidden\n");
  EXPECT_EQ(ask_as(kStranger, daemon_->socket(), "[1,2]"),
            error_reply(403, "Forbidden", "", "null"));
  EXPECT_TRUE(logged("audit: command=- status=403 uid=4242 gid=4242 pid=")) << daemon_->log();
  EXPECT_EQ(request(client_request("1", "version", "{}")),
            result_reply(R"({"Server":"mi-datagram 0.1.0"})", R"("1")"));
  EXPECT_EQ(stat("datagram:denied"), 3);
}

}  // namespace
}  // namespace mid::e2e
