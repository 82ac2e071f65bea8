// Control bytes a request carries (ESC ] 0 ; ... BEL retitles a terminal;
// other sequences move the cursor or hide text) must never come back raw
// in a reply, on any path; and the client shows any control byte a reply
// holds as its escape when it writes to a terminal.

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "common/raw_control.hpp"
#include "peer_support.hpp"

namespace mid::adversarial {
namespace {

using namespace std::chrono_literals;

const std::string kTitle = "\x1b]0;pwned\x07";
const std::string kTitleShown = "\\x1b]0;pwned\\x07";

class ControlBytes : public ::testing::Test {
 protected:
  void start(const std::string& extra = "") {
    daemon_.emplace(scratch_, "socket_name = " + scratch_.path("mi.sock") + "\n" + extra);
    ASSERT_TRUE(daemon_->running()) << daemon_->log();
  }
  std::string ask(const std::string& request) {
    const auto reply = e2e::ask(daemon_->socket(), request);
    EXPECT_TRUE(reply.has_value()) << daemon_->log();
    return reply.value_or("");
  }
  e2e::Scratch scratch_;
  std::optional<e2e::Daemon> daemon_;
};

// Each request puts control bytes where a reply quotes or echoes them.
TEST_F(ControlBytes, NoReplyCarriesARequestsControlByteRaw) {
  start();
  const std::vector<std::string> requests = {
      ":help:\n" + kTitle + " X\n",            // 404 quoting the name
      ":help:\n\"" + kTitle + "\r\n\x7f\"\n",  // quoted: CR, LF, DEL too
      ":get_statistics:\n" + kTitle + "\n",    // no such statistic
      ":get_statistics:\n\"core:\x1b[2J\"\n",  // a selector with CSI
      ":log_level:\n" + kTitle + "\n",         // a bad level
      ":which:\n" + kTitle + "\n",             // arguments where none go
      ":reset_statistics:\n\x1b[8m\n",         // hidden text
      ":" + kTitle + ":\n",                    // bad command name
      ":version:\n\"\x1b\"\n\x1b\n",           // arguments to a command without
      ":help:\nmi_cmd::\x1b]0;x\x07\n",        // a named argument
  };
  for (const std::string& request : requests) {
    const std::string reply = ask(request);
    EXPECT_TRUE(fuzz::has_no_raw_control_byte(reply, "\t")) << testing::PrintToString(reply);
  }
  const std::string help = ask(requests[0]);
  EXPECT_EQ(help, "404 unknown command: " + kTitleShown + " X\n");
  EXPECT_TRUE(daemon_->running()) << daemon_->log();
}

// `pwd` echoes the directory the daemon was started in: whoever made it
// chose its name.
TEST_F(ControlBytes, WorkingDirectoryWithAnEscapeSequenceIsEscaped) {
  const std::string dir = scratch_.path(kTitle);
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  start();
  std::filesystem::current_path(previous);
  const std::string reply = ask(":pwd:\n");
  EXPECT_TRUE(fuzz::has_no_raw_control_byte(reply, "\t")) << testing::PrintToString(reply);
  EXPECT_NE(reply.find("WD:: " + scratch_.dir() + "/" + kTitleShown + "\n"), std::string::npos)
      << testing::PrintToString(reply);
}

// Through the real client on a terminal: the reply as the server wrote
// it, escapes visible, nothing for the terminal to act on.
TEST_F(ControlBytes, ClientOnATerminalShowsTheEscapedReply) {
  start();
  const e2e::RunResult run =
      run_on_terminal({e2e::client_path(), "-s", daemon_->socket(), "help", kTitle + " X"});
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_EQ(run.output, "404 unknown command: " + kTitleShown + " X\r\n");  // onlcr: LF as CR LF
}

// A server that answers every request with raw control bytes (not ours:
// ours never sends one), to see what the client itself does with them.
class RawServer {
 public:
  explicit RawServer(const e2e::Scratch& scratch) : path_(scratch.path("raw.sock")) {
    sockaddr_un self{};
    self.sun_family = AF_UNIX;
    std::memcpy(self.sun_path, path_.data(), path_.size());
    EXPECT_EQ(bind(fd_, reinterpret_cast<const sockaddr*>(&self), sizeof self), 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~RawServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  [[nodiscard]] const std::string& path() const { return path_; }
  // ESC, BEL, tab, CR, DEL; CSI as a UTF-8 C1 control and as a lone
  // 8-bit byte; then printable UTF-8 ("é→").
  static std::string reply() {
    return "200 OK\n" + kTitle +
           "\tcolumn\r\x7f\nc1:: \xc2\x9b"
           "2J \x9b"
           "2J \xc3\xa9\xe2\x86\x92\n";
  }

 private:
  void serve() {
    for (;;) {
      char buffer[512];
      sockaddr_un from{};
      socklen_t length = sizeof from;
      if (recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &length) <=
          0) {
        return;
      }
      const std::string text = reply();
      sendto(fd_, text.data(), text.size(), 0, reinterpret_cast<const sockaddr*>(&from), length);
    }
  }
  std::string path_;
  int fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  std::thread thread_;
};

TEST(ClientOutput, ControlBytesAreShownEscapedOnATerminal) {
  e2e::Scratch scratch;
  RawServer server(scratch);
  const e2e::RunResult run = run_on_terminal({e2e::client_path(), "-s", server.path(), "x"});
  EXPECT_EQ(run.exit_status, 0);
  // Tab stays (indentation); CR, ESC, BEL, DEL and both forms of CSI are
  // shown; UTF-8 text stays.
  EXPECT_EQ(run.output,
            "200 OK\r\n" + kTitleShown +
                "\tcolumn\\r\\x7f\r\nc1:: \\xc2\\x9b2J \\x9b2J \xc3\xa9\xe2\x86\x92\r\n");
}

TEST(ClientOutput, RawOptionWritesTheBytesAsReceived) {
  e2e::Scratch scratch;
  RawServer server(scratch);
  const e2e::RunResult run =
      run_on_terminal({e2e::client_path(), "--raw", "-s", server.path(), "x"});
  EXPECT_EQ(run.output, "200 OK\r\n" + kTitle +
                            "\tcolumn\r\x7f\r\nc1:: \xc2\x9b"
                            "2J \x9b"
                            "2J \xc3\xa9\xe2\x86\x92\r\n");
}

// A pipe or a file gets the bytes as they came: scripts compare them.
TEST(ClientOutput, NotATerminalGetsTheBytesAsReceived) {
  e2e::Scratch scratch;
  RawServer server(scratch);
  const e2e::RunResult run = e2e::run_program({e2e::client_path(), "-s", server.path(), "x"});
  EXPECT_EQ(run.output, RawServer::reply());
}

}  // namespace
}  // namespace mid::adversarial
