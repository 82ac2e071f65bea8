// Properties of the request path over JSON-RPC 2.0 (request::handle_datagram
// over the built-in commands, testsupport/builtin_world.hpp):
//  - a call of a built-in in JSON and the same call in 1.x text agree:
//    both succeed or both fail, a command's own failure has the same code
//    and reason, a bad call is -32602 where text says 400, an unknown
//    method -32601 where text says 404; and for which, version, pwd,
//    uptime and the statistics commands the JSON result is what the text
//    reply's tree prints to by the mapping of reply_printer.hpp, once the
//    JSON side is seen as text sees it (numbers as their digits, an array
//    as its elements standing in its place, unnamed);
//  - any bytes after '{' or '[' give a reply within kMaxDatagram, or
//    no_reply, never a crash;
//  - ids are echoed byte for byte, in single calls and in batches.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "builtin_world.hpp"
#include "core/bounded_writer.hpp"
#include "core/limits.hpp"
#include "protocol/jsonrpc/reply_printer.hpp"
#include "protocol/text/reply_parser.hpp"
#include "stats/statistics.hpp"
#include "transport/server_statistics.hpp"

namespace mid::proptest {
namespace {

using Json = nlohmann::ordered_json;

// The built-ins and a name that is none. (The 4.x names, module:command,
// exist in JSON only: the text grammar ends a command name at ':'.)
const std::vector<std::string> kMethods = {"which",
                                           "version",
                                           "pwd",
                                           "uptime",
                                           "get_statistics",
                                           "list_statistics",
                                           "reset_statistics",
                                           "help",
                                           "log_level",
                                           "kill",
                                           "arg",
                                           "ps",
                                           "nosuch"};
// Whose JSON result is compared with the text reply's tree.
const std::vector<std::string> kCompared = {
    "which", "version", "pwd", "uptime", "get_statistics", "list_statistics", "reset_statistics"};
const std::vector<std::string> kValues = {
    "all",   "datagram:", "core:",     "core:processes", "processes", "nosuch", "nosuch:", "tm:",
    "which", "pwd",       "log_level", "statistics",     "4",         "1",      "info",    "x"};
const std::vector<std::string> kNames = {"statistics", "command", "mi_cmd", "level", "bogus"};

bool takes_statistics(const std::string& method) {
  return method.find("statistic") != std::string::npos;
}

// One call as both protocols can say it: a parameter named "statistics"
// is a list (a JSON array, the name repeated in text), any other one
// value; by position, a statistics command takes one list, any other
// command its values one by one.
struct Param {
  std::string name;  // empty: by position
  std::vector<std::string> values;
  bool list = false;
};

struct Call {
  std::string method;
  bool named = false;
  std::vector<Param> params;
};

void showValue(const Call& call, std::ostream& os) {
  os << call.method << (call.named ? " named" : " positional");
  for (const Param& param : call.params) {
    os << " [" << param.name << (param.list ? "[]" : "") << ":";
    for (const std::string& value : param.values) os << ' ' << value;
    os << ']';
  }
}

rc::Gen<std::vector<std::string>> some_values() {
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 4), [](std::size_t n) {
    return rc::gen::container<std::vector<std::string>>(n, rc::gen::elementOf(kValues));
  });
}

rc::Gen<Param> named_param() {
  return rc::gen::mapcat(rc::gen::elementOf(kNames), [](const std::string& name) {
    if (name == "statistics") {
      return rc::gen::map(some_values(), [](std::vector<std::string> values) {
        return Param{"statistics", std::move(values), true};
      });
    }
    return rc::gen::map(rc::gen::elementOf(kValues), [name](const std::string& value) {
      return Param{name, {value}, false};
    });
  });
}

rc::Gen<std::vector<Param>> positional_params(const std::string& method) {
  if (takes_statistics(method)) {
    return rc::gen::oneOf(rc::gen::just(std::vector<Param>{}),
                          rc::gen::map(some_values(), [](std::vector<std::string> values) {
                            return std::vector<Param>{Param{{}, std::move(values), true}};
                          }));
  }
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 3), [](std::size_t n) {
    return rc::gen::container<std::vector<Param>>(
        n, rc::gen::map(rc::gen::elementOf(kValues), [](const std::string& value) {
          return Param{{}, {value}, false};
        }));
  });
}

rc::Gen<Call> call_of(const std::vector<std::string>& methods) {
  return rc::gen::mapcat(rc::gen::pair(rc::gen::elementOf(methods), rc::gen::arbitrary<bool>()),
                         [](const std::pair<std::string, bool>& head) {
                           const std::string method = head.first;
                           const bool named = head.second;
                           const auto params =
                               named ? rc::gen::resize(
                                           2, rc::gen::container<std::vector<Param>>(named_param()))
                                     : positional_params(method);
                           return rc::gen::map(params, [method, named](std::vector<Param> given) {
                             return Call{method, named, std::move(given)};
                           });
                         });
}

std::string json_string(const std::string& text) {
  return Json(text).dump();
}

std::string as_json(const Call& call, const std::string& id) {
  std::string params;
  for (const Param& param : call.params) {
    params += params.empty() ? "" : ",";
    if (call.named) params += json_string(param.name) + ":";
    if (param.list) {
      params += "[";
      for (std::size_t i = 0; i < param.values.size(); ++i) {
        params += (i == 0 ? "" : ",") + json_string(param.values[i]);
      }
      params += "]";
    } else {
      params += json_string(param.values.front());
    }
  }
  const std::string open = call.named ? "{" : "[";
  const std::string close = call.named ? "}" : "]";
  return R"({"jsonrpc":"2.0","id":)" + id + R"(,"method":)" + json_string(call.method) +
         R"(,"params":)" + open + params + close + "}";
}

std::string as_text(const Call& call) {
  std::string text = ":" + call.method + ":\n";
  for (const Param& param : call.params) {
    for (const std::string& value : param.values) {
      text += (call.named ? param.name + "::" : "") + value + "\n";
    }
  }
  return text;
}

// The daemon's built-ins over its statistics, and the client's reader.
struct World {
  support::BuiltinWorld world;
  tree::Tree tree;
  protocol::text::ReplyScratch scratch;
  protocol::jsonrpc::ReplyPrinter printer;

  World() {
    RC_ASSERT(transport::define_server_statistics(world.statistics).ok());
    RC_ASSERT(world.statistics.define("tm", "UAS_transactions", stats::Kind::counter).ok());
    RC_ASSERT(world.start("mi-datagram properties"));
  }
  std::string handle(const std::string& datagram) {
    world.reset_shared();
    return std::string(world.handle(datagram, "\t").reply);
  }
  // The text reply's tree printed as a JSON-RPC result, by the mapping.
  Json text_as_json(const std::string& reply, unsigned& code, std::string& reason) {
    const auto status = protocol::text::parse_reply(reply, "\t", tree, scratch);
    RC_ASSERT(status.ok());
    code = status.value().code;
    reason = std::string(status.value().reason);
    std::string out(core::kMaxDatagram, '\0');
    core::BoundedWriter writer(out);
    printer.put_result(writer, tree, status.value().reason, "1", {});
    RC_ASSERT(!writer.failed());
    return Json::parse(writer.view())["result"];
  }
};

// A JSON value as the text protocol shows it: numbers as their digits; an
// array's elements stand in its place as unnamed lines (so a result that
// is an array is an object of "" whose value is the one element, or the
// array of them, or no line at all: the status reason "OK").
void flatten(const Json& value, Json& into) {
  if (value.is_array()) {
    for (const Json& element : value) flatten(element, into);
  } else {
    into.push_back(value.is_string() ? value : Json(value.dump()));
  }
}

Json as_text_sees_it(const Json& result) {
  if (result.is_array()) {
    Json elements = Json::array();
    flatten(result, elements);
    if (elements.empty()) return "OK";
    Json object = Json::object();
    object[""] = elements.size() == 1 ? elements.front() : elements;
    return object;
  }
  if (!result.is_object()) return result.is_string() ? result : Json(result.dump());
  Json object = Json::object();
  for (const auto& [name, value] : result.items()) object[name] = as_text_sees_it(value);
  return object;
}

// Text 1.x names are decorative: a named call whose names no form has is
// matched by position instead, so there (only) text may answer what it
// answers by position while JSON refuses the names with -32602.
// Otherwise both agree.
RC_GTEST_PROP(JsonRequestPathProperties, JsonAndTextAgreeOnEveryBuiltinCall, ()) {
  static World& world = *new World;
  const Call call = *call_of(kMethods);
  const Json reply = Json::parse(world.handle(as_json(call, "1")));
  const std::string text_reply = world.handle(as_text(call));
  RC_LOG() << as_json(call, "1") << "\n" << reply.dump() << "\n" << text_reply;
  unsigned code = 0;
  std::string reason;
  const Json text_result = world.text_as_json(text_reply, code, reason);
  const bool text_ok = code >= 200 && code <= 299;
  if (call.named && reply.contains("error") && reply["error"]["code"] == -32602 && code != 400) {
    RC_SUCCEED("text matched the names by position");
  }
  RC_ASSERT(reply.contains("result") == text_ok);
  if (text_ok) {
    if (std::find(kCompared.begin(), kCompared.end(), call.method) != kCompared.end()) {
      RC_ASSERT(as_text_sees_it(reply["result"]) == text_result);
    }
    return;
  }
  const Json& error = reply["error"];
  const bool known = world.world.registry.find(call.method) != nullptr;
  if (code == 400) {
    RC_ASSERT(error["code"].get<long>() == -32602);
  } else if (!known) {
    RC_ASSERT(code == 404U);
    RC_ASSERT(error["code"].get<long>() == -32601);
    RC_ASSERT(error["data"].get<std::string>() == reason);
  } else {
    RC_ASSERT(error["code"].get<long>() == static_cast<long>(code));
    RC_ASSERT(error["message"].get<std::string>() == reason);
  }
}

// Any bytes after an opening brace or bracket.
RC_GTEST_PROP(JsonRequestPathProperties, AnyBytesAfterABraceGetABoundedReplyOrNone, ()) {
  static World& world = *new World;
  const std::string datagram = *rc::gen::element<std::string>("{", "[", " [{", "[{\"jsonrpc\":") +
                               *rc::gen::arbitrary<std::string>();
  const request::Handled handled = world.world.handle(datagram, "\t");
  RC_ASSERT(handled.outcome != request::Outcome::deferred);
  RC_ASSERT(handled.reply.size() <= core::kMaxDatagram);
  RC_ASSERT(handled.reply.empty() == (handled.outcome == request::Outcome::no_reply));
  if (!handled.reply.empty()) {
    RC_ASSERT(handled.reply.front() == '{' || handled.reply.front() == '[');
  }
}

// An id as JSON text: a string of escapes and UTF-8, a number in any
// form JSON allows (beyond a double too), or null.
rc::Gen<std::string> json_id() {
  const auto digits = [](std::size_t min) {
    return rc::gen::mapcat(rc::gen::inRange<std::size_t>(min, 6), [](std::size_t n) {
      return rc::gen::container<std::string>(n, rc::gen::inRange('0', static_cast<char>('9' + 1)));
    });
  };
  const auto number = rc::gen::map(
      rc::gen::tuple(
          rc::gen::element<std::string>("", "-"),
          rc::gen::oneOf(rc::gen::just(std::string("0")),
                         rc::gen::map(digits(0), [](const std::string& d) { return "7" + d; })),
          rc::gen::element<std::string>("", ".5", ".0001"),
          rc::gen::element<std::string>("", "e3", "E+400", "e-999", "E0")),
      [](const std::tuple<std::string, std::string, std::string, std::string>& parts) {
        return std::get<0>(parts) + std::get<1>(parts) + std::get<2>(parts) + std::get<3>(parts);
      });
  const auto piece = rc::gen::element<std::string>("a", "7", " ", "\\\"", "\\\\", "\\/", "\\n",
                                                   "\\u00e9", "\\ud83d\\ude00", "\xc3\xa9", "'",
                                                   "\\u0000", "}", ",\\\"id\\\":1");
  const auto text =
      rc::gen::map(rc::gen::resize(8, rc::gen::container<std::vector<std::string>>(piece)),
                   [](const std::vector<std::string>& pieces) {
                     std::string out = "\"";
                     for (const std::string& p : pieces) out += p;
                     return out + "\"";
                   });
  return rc::gen::weightedOneOf<std::string>(
      {{4, text}, {3, number}, {1, rc::gen::just(std::string("null"))}});
}

RC_GTEST_PROP(JsonRequestPathProperties, IdsAreEchoedByteForByte, ()) {
  static World& world = *new World;
  const std::vector<std::string> ids = *rc::gen::resize(
      5, rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(json_id())));
  const Call call = *call_of(kMethods);
  if (ids.size() == 1) {
    const std::string reply = world.handle(as_json(call, ids.front()));
    RC_ASSERT(reply.ends_with(",\"id\":" + ids.front() + "}"));
    return;
  }
  std::string batch = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) batch += (i == 0 ? "" : ",") + as_json(call, ids[i]);
  const std::string reply = world.handle(batch + "]");
  RC_ASSERT(reply.front() == '[');
  std::size_t at = 0;
  for (const std::string& id : ids) {
    const std::string end = ",\"id\":" + id + "}";
    at = reply.find(end, at);
    RC_ASSERT(at != std::string::npos);
    at += end.size();
    RC_ASSERT(reply[at] == ',' || reply[at] == ']');
  }
  RC_ASSERT(at + 1 == reply.size());
}

}  // namespace
}  // namespace mid::proptest
