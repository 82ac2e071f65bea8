#pragma once

// A model of JSON-RPC 2.0 requests, its generators, and a small test-only
// JSON printer for it (random layout: whitespace, member order, \u
// escapes), for jsonrpc_request_props.cpp. Also generators of near-JSON:
// printed requests with bytes flipped, inserted or removed, and strings of
// JSON fragments.
#include <rapidcheck.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "protocol/jsonrpc/request.hpp"

namespace mid::proptest {

using protocol::jsonrpc::ParamsShape;
using protocol::jsonrpc::ValueKind;

enum class IdKind : std::uint8_t { none, string, number, null };

struct ScalarModel {
  ValueKind kind = ValueKind::null;
  std::string text;  // the decoded string, the number as written, or the literal
};

struct ParamModel {
  std::string name;  // empty when positional
  bool is_array = false;
  ScalarModel scalar;
  std::vector<ScalarModel> items;
};

struct CallModel {
  std::string method;
  IdKind id_kind = IdKind::none;
  std::string id;  // decoded string or number text
  ParamsShape shape = ParamsShape::absent;
  std::vector<ParamModel> params;
  std::size_t rotation = 0;  // member order
};

struct DocumentModel {
  bool batch = false;
  std::vector<CallModel> calls;
  std::string space;  // between tokens
  bool escape_all = false;
};

struct PrintedCall {
  std::string id;  // the id's bytes as printed
};

struct PrintedDocument {
  std::string text;
  std::vector<PrintedCall> calls;
};

inline void append_utf8(std::string& out, std::uint32_t cp) {
  const auto byte = [&out](std::uint32_t b) { out.push_back(static_cast<char>(b)); };
  if (cp < 0x80) {
    byte(cp);
  } else if (cp < 0x800) {
    byte(0xC0 | (cp >> 6)), byte(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    byte(0xE0 | (cp >> 12)), byte(0x80 | ((cp >> 6) & 0x3F)), byte(0x80 | (cp & 0x3F));
  } else {
    byte(0xF0 | (cp >> 18)), byte(0x80 | ((cp >> 12) & 0x3F));
    byte(0x80 | ((cp >> 6) & 0x3F)), byte(0x80 | (cp & 0x3F));
  }
}

inline std::vector<std::uint32_t> code_points(const std::string& utf8) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    std::uint32_t cp = n == 1 ? b : b & (0x3FU >> (n - 1));
    for (std::size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3FU);
    out.push_back(cp);
    i += n;
  }
  return out;
}

inline void append_u_escape(std::string& out, std::uint32_t unit) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(unit >> shift) & 0xF]);
}

inline std::string json_string(const std::string& utf8, bool escape_all) {
  std::string out = "\"";
  for (const std::uint32_t cp : code_points(utf8)) {
    const std::string_view shorts = "\"\\\b\f\n\r\t";
    const std::string_view letters = "\"\\bfnrt";
    const std::size_t short_at = cp < 0x80 ? shorts.find(static_cast<char>(cp)) : shorts.npos;
    if (short_at != shorts.npos) {
      out.push_back('\\'), out.push_back(letters[short_at]);
    } else if (cp < 0x20 || (escape_all && cp >= 0x7F && cp < 0x10000)) {
      append_u_escape(out, cp);
    } else if (escape_all && cp >= 0x10000) {
      append_u_escape(out, 0xD800 + ((cp - 0x10000) >> 10));
      append_u_escape(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else if (escape_all && cp == '/') {
      out += "\\/";
    } else {
      append_utf8(out, cp);
    }
  }
  return out + "\"";
}

inline rc::Gen<std::string> utf8_text() {
  const auto cp = rc::gen::oneOf(
      rc::gen::inRange<std::uint32_t>(0x20, 0x80), rc::gen::inRange<std::uint32_t>(0, 0x80),
      rc::gen::inRange<std::uint32_t>(0x80, 0x800), rc::gen::inRange<std::uint32_t>(0x800, 0xD800),
      rc::gen::inRange<std::uint32_t>(0xE000, 0x10000),
      rc::gen::inRange<std::uint32_t>(0x10000, 0x110000));
  return rc::gen::map(rc::gen::container<std::vector<std::uint32_t>>(cp), [](const auto& cps) {
    std::string out;
    for (const std::uint32_t c : cps) append_utf8(out, c);
    return out;
  });
}

inline rc::Gen<std::string> number_text() {
  return rc::gen::exec([] {
    std::string out = *rc::gen::element<std::string>("", "-");
    const auto digits = [](std::size_t min) {
      const auto n = *rc::gen::inRange<std::size_t>(min, 40);
      return *rc::gen::container<std::string>(n, rc::gen::inRange('0', static_cast<char>('9' + 1)));
    };
    out += *rc::gen::element<bool>(true, false)
               ? "0"
               : std::string(1, *rc::gen::inRange('1', ':')) + digits(0);
    if (*rc::gen::arbitrary<bool>()) out += "." + digits(1);
    if (*rc::gen::arbitrary<bool>()) {
      out += *rc::gen::element<std::string>("e", "E", "e+", "e-", "E+", "E-");
      out += std::to_string(*rc::gen::inRange(0, 10000));
    }
    return out;
  });
}

inline rc::Gen<ScalarModel> scalar_model() {
  return rc::gen::oneOf(rc::gen::map(utf8_text(),
                                     [](std::string s) {
                                       return ScalarModel{ValueKind::string, std::move(s)};
                                     }),
                        rc::gen::map(number_text(),
                                     [](std::string s) {
                                       return ScalarModel{ValueKind::number, std::move(s)};
                                     }),
                        rc::gen::element(ScalarModel{ValueKind::boolean, "true"},
                                         ScalarModel{ValueKind::boolean, "false"},
                                         ScalarModel{ValueKind::null, "null"}));
}

inline rc::Gen<ParamModel> param_model(bool named) {
  return rc::gen::exec([named] {
    ParamModel param;
    if (named) param.name = *utf8_text();
    param.is_array = *rc::gen::arbitrary<bool>();
    if (param.is_array) {
      param.items =
          *rc::gen::resize(20, rc::gen::container<std::vector<ScalarModel>>(scalar_model()));
    } else {
      param.scalar = *scalar_model();
    }
    return param;
  });
}

inline rc::Gen<CallModel> call_model() {
  return rc::gen::exec([] {
    CallModel call;
    call.method = *utf8_text();
    call.id_kind = *rc::gen::element(IdKind::none, IdKind::string, IdKind::number, IdKind::null);
    if (call.id_kind == IdKind::string) call.id = *utf8_text();
    if (call.id_kind == IdKind::number) call.id = *number_text();
    call.shape =
        *rc::gen::element(ParamsShape::absent, ParamsShape::positional, ParamsShape::named);
    const bool named = call.shape == ParamsShape::named;
    if (call.shape != ParamsShape::absent) {
      call.params =
          *rc::gen::resize(20, rc::gen::container<std::vector<ParamModel>>(param_model(named)));
    }
    std::set<std::string> names;  // named parameters are unique
    std::erase_if(call.params,
                  [&](const ParamModel& p) { return named && !names.insert(p.name).second; });
    call.rotation = *rc::gen::inRange<std::size_t>(0, 4);
    return call;
  });
}

inline rc::Gen<DocumentModel> document_model() {
  return rc::gen::exec([] {
    DocumentModel doc;
    doc.batch = *rc::gen::arbitrary<bool>();
    const std::size_t calls = doc.batch ? *rc::gen::inRange<std::size_t>(1, 9) : 1;
    doc.calls =
        *rc::gen::container<std::vector<CallModel>>(calls, rc::gen::resize(30, call_model()));
    doc.space = *rc::gen::element<std::string>("", " ", "\n\t ", "\r\n");
    doc.escape_all = *rc::gen::arbitrary<bool>();
    return doc;
  });
}

inline std::string print_scalar(const ScalarModel& value, bool escape_all) {
  return value.kind == ValueKind::string ? json_string(value.text, escape_all) : value.text;
}

inline std::string print_params(const CallModel& call, const DocumentModel& doc) {
  const bool named = call.shape == ParamsShape::named;
  std::string out = named ? "{" : "[";
  for (std::size_t i = 0; i < call.params.size(); ++i) {
    const ParamModel& p = call.params[i];
    out += (i == 0 ? "" : ",") + doc.space;
    if (named) out += json_string(p.name, doc.escape_all) + doc.space + ":" + doc.space;
    if (!p.is_array) {
      out += print_scalar(p.scalar, doc.escape_all);
      continue;
    }
    out += "[";
    for (std::size_t k = 0; k < p.items.size(); ++k) {
      out += (k == 0 ? "" : "," + doc.space) + print_scalar(p.items[k], doc.escape_all);
    }
    out += "]";
  }
  return out + doc.space + (named ? "}" : "]");
}

inline std::string print_call(const CallModel& call, const DocumentModel& doc,
                              PrintedCall& printed) {
  std::vector<std::pair<std::string, std::string>> members{
      {"jsonrpc", "\"2.0\""}, {"method", json_string(call.method, doc.escape_all)}};
  if (call.id_kind == IdKind::string) printed.id = json_string(call.id, doc.escape_all);
  if (call.id_kind == IdKind::number) printed.id = call.id;
  if (call.id_kind == IdKind::null) printed.id = "null";
  if (call.id_kind != IdKind::none) members.emplace_back("id", printed.id);
  if (call.shape != ParamsShape::absent) members.emplace_back("params", print_params(call, doc));
  std::rotate(members.begin(),
              members.begin() + static_cast<std::ptrdiff_t>(call.rotation % members.size()),
              members.end());
  std::string out = "{";
  for (std::size_t i = 0; i < members.size(); ++i) {
    out += (i == 0 ? "" : ",") + doc.space + "\"" + members[i].first + "\"" + doc.space + ":" +
           doc.space + members[i].second;
  }
  return out + doc.space + "}";
}

inline PrintedDocument print_document(const DocumentModel& doc) {
  PrintedDocument printed;
  printed.calls.resize(doc.calls.size());
  std::string body;
  for (std::size_t i = 0; i < doc.calls.size(); ++i) {
    body += (i == 0 ? "" : ",") + doc.space + print_call(doc.calls[i], doc, printed.calls[i]);
  }
  printed.text = doc.space + (doc.batch ? "[" + body + doc.space + "]" : body) + doc.space;
  return printed;
}

// Pieces that make or break JSON, for mutations and near-JSON strings.
inline rc::Gen<std::string> json_fragment() {
  return rc::gen::element<std::string>(
      "{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\t", "\"a\"", "\"jsonrpc\"", "\"2.0\"", "1",
      "-", "-0", "01", "0.5", ".", "e", "E+", "1e400", "1e5e3", "true", "tru", "null",
      "\"\\u00e9\"", "\\u", "\\udc00", "\\ud800", "\\ud83d\\ude00", "\\u0000", "\\x",
      std::string("\0", 1), "\x7f", "\xC3\xA9", "\xFF", "\xC0\x80", "\xED\xA0\x80",
      "\xF4\x90\x80\x80", "\xE2\x82", "\xEF\xBB\xBF", "\x01", "/", "/**/");
}

inline rc::Gen<std::string> near_json() {
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(json_fragment()),
                      [](const std::vector<std::string>& parts) {
                        std::string out;
                        for (const std::string& part : parts) out += part;
                        return out;
                      });
}

inline void mutate(std::string& text) {
  const std::size_t at = *rc::gen::inRange<std::size_t>(0, text.size() + 1);
  switch (*rc::gen::inRange(0, 4)) {
    case 0:
      if (at < text.size()) text[at] = *rc::gen::arbitrary<char>();
      break;
    case 1:
      text.insert(at, *json_fragment());
      break;
    case 2:
      text.erase(at, *rc::gen::inRange<std::size_t>(1, 5));
      break;
    default:
      text.resize(at);
      break;
  }
}

inline rc::Gen<std::string> mutated_request() {
  return rc::gen::exec([] {
    std::string text = print_document(*rc::gen::resize(10, document_model())).text;
    const int mutations = *rc::gen::inRange(1, 5);
    for (int i = 0; i < mutations; ++i) mutate(text);
    return text;
  });
}

}  // namespace mid::proptest
