// An application that embeds an MI datagram endpoint with a command and a
// statistic group of its own, next to the built-in commands.
//
//   hello-server SOCKET_NAME [children]
//   mi-datagram -s SOCKET_NAME hello world      -> Greeting:: Hello, world
//   mi-datagram -s SOCKET_NAME hello_later 500  -> the same, half a second later
//   mi-datagram -s SOCKET_NAME get_statistics hello:
//   mi-datagram -s SOCKET_NAME --json hello name=world  -> {"Greeting":"Hello, world"}

#include <midatagram.hpp>

#include <charconv>
#include <cstdio>
#include <string>

using namespace mid;

namespace {

config::Config make_config(const char* socket_name, const char* children) {
  // No file: the settings go through the daemon's own validation, and as
  // root the processes run as nobody/nogroup, like mi-datagramd.
  const config::Override settings[] = {{"socket_name", socket_name}, {"children_count", children}};
  config::ConfigResult result = config::load_config("", settings);
  if (!result) {
    std::fprintf(stderr, "hello-server: %s\n", config::to_string(result.error()).c_str());
    std::exit(2);
  }
  return std::move(result.value());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: hello-server SOCKET_NAME [children]\n");
    return 2;
  }
  server::Server server(make_config(argv[1], argc == 3 ? argv[2] : "1"),
                        server::Options{true, "hello-server", {argv, argv + argc}});

  stats::Statistics& statistics = server.statistics();
  const stats::StatId greetings =
      statistics.define("hello", "greetings", stats::Kind::counter).value();

  // A name known when the program is written: the compiler checks it, and
  // add_kid takes it without checking it again on every request.
  static constexpr tree::NodeName kGreeting{"Greeting"};

  // Declared forms: no parameter, or one named `name`. Both protocols check
  // a call against them before the handler runs (docs/PROTOCOL.md).
  auto hello = [&statistics, greetings](mi::Call& call) -> mi::CommandReply {
    const std::string_view name = call.arguments.empty() ? "stranger" : call.arguments[0].value;
    std::string text = "Hello, " + std::string(name);
    if (!call.tree.add_kid(tree::kRoot, kGreeting, text)) return {500, "reply too large"};
    statistics.add(greetings);
    return {};
  };
  // Replies after the given number of milliseconds, from the same worker,
  // which goes on answering other requests meanwhile.
  auto hello_later = [&statistics, greetings](mi::Call& call) -> mi::CommandReply {
    unsigned delay_ms = 0;
    const std::string_view text = call.arguments.empty() ? "" : call.arguments[0].value;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), delay_ms);
    if (call.arguments.size() != 1 || ec != std::errc() || end != text.data() + text.size() ||
        delay_ms > 60000) {
      return mi::bad_arguments(call, "a delay in milliseconds, 0..60000");
    }
    auto greet_later = [&statistics, greetings](tree::Tree& tree,
                                                mi::ReasonText&) -> mi::CommandReply {
      if (!tree.add_kid(tree::kRoot, kGreeting, "Hello, later")) return {500, "reply too large"};
      statistics.add(greetings);
      return {};
    };
    // No way to answer later (a call inside a JSON-RPC batch, or a
    // notification): answer now.
    if (call.async == nullptr) return greet_later(call.tree, call.reason);
    const bool deferred = call.async->complete_after(delay_ms, greet_later);
    return deferred ? mi::deferred() : mi::CommandReply{503, "too many pending replies"};
  };

  mi::Command hello_command{"hello", "greets the name given, or a stranger", mi::kNoFlags, hello};
  hello_command.forms = {{}, {{"name"}}};
  mi::Command later_command{"hello_later", "greets after the given delay in milliseconds",
                            mi::kAsync, hello_later};
  later_command.forms = {{{"delay"}}};
  if (!server.commands().add(std::move(hello_command)) ||
      !server.commands().add(std::move(later_command))) {
    std::fprintf(stderr, "hello-server: cannot register the commands\n");
    return 1;
  }
  return server.run();
}
