#pragma once

#include <string>
#include <vector>

#include "core/limits.hpp"
#include "request/request_path.hpp"

// The JSON-RPC 2.0 requests the allocation test runs through the request
// path: each built-in (3.x and 4.x names, named and positional), batches,
// notifications, every error kind, the largest datagrams; several again
// with pretty_printing on.
namespace mid::alloc_test {

struct JsonKind {
  const char* name;
  std::string request;
  request::Outcome outcome;
  bool pretty;
};

inline std::string json_call(const std::string& method, const std::string& params,
                             const std::string& id = "\"1\"") {
  std::string call = R"({"jsonrpc": "2.0", )";
  if (!id.empty()) call += R"("id": )" + id + ", ";
  call += R"("method": ")" + method + '"';
  if (!params.empty()) call += R"(, "params": )" + params;
  return call + "}";
}

inline std::string json_batch(const std::string& call, std::size_t times) {
  std::string batch = "[";
  for (std::size_t i = 0; i < times; ++i) batch += (i == 0 ? "" : ",") + call;
  return batch + "]";
}

// One get_statistics call whose single name fills the datagram to exactly
// kMaxDatagram bytes (64 KiB), or one byte more.
inline std::string json_largest(std::size_t extra) {
  const std::string head = R"({"jsonrpc":"2.0","id":1,"method":"get_statistics","params":[[")";
  const std::string tail = R"("]]})";
  return head + std::string(core::kMaxDatagram + extra - head.size() - tail.size(), 'x') + tail;
}

// A call with 4096 statistic names: the most values a datagram may give.
inline std::string json_many_names() {
  std::string names;
  for (int i = 0; i < 4096; ++i) names += (i == 0 ? "\"" : ",\"") + std::to_string(i) + '"';
  return json_call("get_statistics", "{\"statistics\": [" + names + "]}");
}

inline std::vector<JsonKind> json_kinds() {
  using request::Outcome;
  const std::string call_pwd = R"({"jsonrpc":"2.0","id":7,"method":"pwd"})";
  const std::string mixed = "[" + json_call("uptime", "{}") + "," + json_call("version", "", "") +
                            ",1," + json_call("nosuch", "[]", "\"x\"") + "," +
                            json_call("get_statistics", "[[\"nosuch\"]]", "2") + "]";
  return {
      {"uptime", json_call("uptime", "{}", "\"29963\""), Outcome::ok, false},
      {"which", json_call("which", "[]", "\"4711\""), Outcome::ok, false},
      {"which_command", json_call("which", R"({"command": "log_level"})"), Outcome::ok, false},
      {"help_mi_cmd", json_call("help", R"({"mi_cmd": "get_statistics"})"), Outcome::ok, false},
      {"help_usage", json_call("help", ""), Outcome::ok, false},
      {"version", json_call("version", "{}"), Outcome::ok, false},
      {"pwd", json_call("pwd", "[]"), Outcome::ok, false},
      {"arg", json_call("arg", ""), Outcome::ok, false},
      {"ps", json_call("ps", ""), Outcome::ok, false},
      {"log_level_show", json_call("log_level", "{}"), Outcome::ok, false},
      {"log_level_set", json_call("log_level", R"(["4"])"), Outcome::ok, false},
      {"log_level_named", json_call("log_level", R"({"level": 3})"), Outcome::ok, false},
      {"get_statistics_all", json_call("get_statistics", R"({"statistics": ["all"]})"), Outcome::ok,
       false},
      {"get_statistics_groups", json_call("get_statistics", R"([["datagram:", "core:"]])"),
       Outcome::ok, false},
      {"reset_statistics", json_call("reset_statistics", R"([["datagram:requests"]])"), Outcome::ok,
       false},
      {"list_statistics", json_call("list_statistics", ""), Outcome::ok, false},
      {"list_statistics_some", json_call("list_statistics", R"({"statistics": ["core:"]})"),
       Outcome::ok, false},
      {"core_uptime", json_call("core:uptime", ""), Outcome::ok, false},
      {"statistics_get", json_call("statistics:get", R"([["all"]])"), Outcome::ok, false},
      {"kill_disabled", json_call("kill", ""), Outcome::command_failed, false},
      {"statistics_not_found", json_call("get_statistics", R"([["nosuch"]])"),
       Outcome::command_failed, false},
      {"help_unknown", json_call("help", R"({"mi_cmd": "nosuch"})"), Outcome::command_failed,
       false},
      {"unknown_method", json_call("nosuch", ""), Outcome::unknown_command, false},
      {"params_match_no_form", json_call("uptime", R"(["x"])"), Outcome::command_failed, false},
      {"named_params_mismatch", json_call("help", R"({"cmd": "x"})"), Outcome::command_failed,
       false},
      {"array_for_scalar", json_call("help", R"({"mi_cmd": ["pwd"]})"), Outcome::command_failed,
       false},
      {"empty_array", json_call("get_statistics", R"({"statistics": []})"), Outcome::command_failed,
       false},
      {"invalid_json", R"({"jsonrpc": "2.0", "id": 1,)", Outcome::bad_request, false},
      {"trailing_bytes", call_pwd + " x", Outcome::bad_request, false},
      {"invalid_utf8", "{\"jsonrpc\":\"2.0\",\"id\":\"\xc3\x28\",\"method\":\"pwd\"}",
       Outcome::bad_request, false},
      {"bad_escape", R"({"jsonrpc":"2.0","id":"\q","method":"pwd"})", Outcome::bad_request, false},
      {"not_an_object", R"(["uptime"])", Outcome::ok, false},
      {"scalar_document", R"({} "x")", Outcome::bad_request, false},
      {"empty_batch", "[]", Outcome::bad_request, false},
      {"batch_of_65", json_batch(call_pwd, 65), Outcome::bad_request, false},
      {"too_deep", std::string(17, '[') + std::string(17, ']'), Outcome::bad_request, false},
      {"missing_jsonrpc", R"({"id":1,"method":"pwd"})", Outcome::bad_request, false},
      {"missing_method", R"({"jsonrpc":"2.0","id":1})", Outcome::bad_request, false},
      {"bad_id", R"({"jsonrpc":"2.0","id":{},"method":"pwd"})", Outcome::bad_request, false},
      {"unknown_member", R"({"jsonrpc":"2.0","id":1,"method":"pwd","x":1})", Outcome::bad_request,
       false},
      {"duplicate_member", R"({"jsonrpc":"2.0","id":1,"id":2,"method":"pwd"})",
       Outcome::bad_request, false},
      {"reply_too_large", json_call("too_large", ""), Outcome::reply_too_large, false},
      {"tree_text_refuses", json_call("invalid_tree", ""), Outcome::ok, false},
      {"batch_of_64_statistics", json_batch(json_call("get_statistics", R"([["all"]])"), 64),
       Outcome::ok, false},
      {"batch_too_large_for_a_datagram", json_batch(json_call("too_large", ""), 2),
       Outcome::reply_too_large, false},
      {"request_64k", json_largest(0), Outcome::command_failed, false},
      {"request_too_large", json_largest(1), Outcome::request_too_large, false},
      {"many_names", json_many_names(), Outcome::command_failed, false},
      {"batch_mixed", mixed, Outcome::ok, false},
      {"batch_of_64", json_batch(call_pwd, 64), Outcome::ok, false},
      {"notification", json_call("reset_statistics", R"([["datagram:"]])", ""), Outcome::no_reply,
       false},
      {"notification_unknown", json_call("nosuch", "", ""), Outcome::no_reply, false},
      {"batch_of_notifications", json_batch(json_call("version", "", ""), 3), Outcome::no_reply,
       false},
      {"pretty_ps", json_call("ps", ""), Outcome::ok, true},
      {"pretty_statistics", json_call("get_statistics", R"([["all"]])"), Outcome::ok, true},
      {"pretty_which_command", json_call("which", R"({"command": "log_level"})"), Outcome::ok,
       true},
      {"pretty_batch", mixed, Outcome::ok, true},
      {"pretty_error", json_call("nosuch", "[]"), Outcome::unknown_command, true},
      {"pretty_parse_error", "[{", Outcome::bad_request, true},
      {"pretty_reply_too_large", json_call("too_large", ""), Outcome::reply_too_large, true},
  };
}

}  // namespace mid::alloc_test
