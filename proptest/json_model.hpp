#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generators.hpp"
#include "tree/tree.hpp"

// Models of JSON-RPC results for the reply printer's properties: trees on
// which the mapping of protocol/jsonrpc/reply_printer.hpp is invertible
// (distinct names in each object, no own value on a node with members,
// valid UTF-8 text without control bytes), a builder from model to tree,
// and the inverse mapping from JSON (nlohmann, the test-only oracle) back
// to a model.
namespace mid::proptest {

struct JsonModel {
  enum class Kind { text, number, array, object };
  std::string name;  // the key in the parent object; empty in an array
  Kind kind = Kind::text;
  std::string text;
  std::int64_t number = 0;
  std::vector<JsonModel> kids;  // elements or members
  bool as_attribute = false;    // a scalar member built as an attribute

  static JsonModel of(Kind kind) {
    JsonModel model;
    model.kind = kind;
    return model;
  }

  // Equal as JSON: as_attribute does not show.
  friend bool operator==(const JsonModel& a, const JsonModel& b) {
    return a.name == b.name && a.kind == b.kind && a.text == b.text && a.number == b.number &&
           a.kids == b.kids;
  }
};

// For counterexamples: "name":kind(text/number)[kids...].
inline std::ostream& operator<<(std::ostream& os, const JsonModel& model) {
  os << '"' << model.name << "\":" << static_cast<int>(model.kind) << '(' << model.text << '/'
     << model.number << ")[";
  for (const JsonModel& kid : model.kids) os << kid;
  return os << ']';
}

// Text of code points from a mix of ASCII, escapes JSON needs ('"', '\\')
// and two-, three- and four-byte UTF-8, none of them a control.
inline rc::Gen<std::string> clean_utf8() {
  const auto piece = rc::gen::weightedOneOf<std::string>({
      {6, rc::gen::map(rc::gen::inRange(' ', '\x7f'), [](char c) { return std::string(1, c); })},
      {2, rc::gen::element<std::string>("\"", "\\", "/", "\xc2\xa0", "\xc3\xa9", "\xe2\x82\xac",
                                        "\xef\xbf\xbd", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf")},
  });
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(piece),
                      [](const std::vector<std::string>& pieces) {
                        std::string out;
                        for (const std::string& p : pieces) out += p;
                        return out;
                      });
}

inline rc::Gen<JsonModel> json_scalar() {
  return rc::gen::oneOf(rc::gen::map(clean_utf8(),
                                     [](std::string text) {
                                       JsonModel model = JsonModel::of(JsonModel::Kind::text);
                                       model.text = std::move(text);
                                       return model;
                                     }),
                        rc::gen::map(rc::gen::arbitrary<std::int64_t>(), [](std::int64_t number) {
                          JsonModel model = JsonModel::of(JsonModel::Kind::number);
                          model.number = number;
                          return model;
                        }));
}

// Members of an object: distinct names (a later duplicate is dropped; one
// nameless member at most); leading named scalars may be attributes.
inline JsonModel make_object(std::vector<std::pair<std::string, JsonModel>> members,
                             std::vector<bool> attribute_flags) {
  JsonModel object = JsonModel::of(JsonModel::Kind::object);
  std::set<std::string> seen;
  bool attributes_allowed = true;
  for (auto& [name, member] : members) {
    if (!seen.insert(name).second) continue;
    member.name = name;
    const bool scalar =
        member.kind == JsonModel::Kind::text || member.kind == JsonModel::Kind::number;
    const bool flag =
        object.kids.size() < attribute_flags.size() && attribute_flags[object.kids.size()];
    member.as_attribute = attributes_allowed && scalar && !name.empty() && flag;
    attributes_allowed = member.as_attribute;
    object.kids.push_back(std::move(member));
  }
  return object;
}

inline rc::Gen<JsonModel> json_value(int depth) {
  if (depth <= 0) return json_scalar();
  const auto member_name =
      rc::gen::weightedOneOf<std::string>({{1, rc::gen::just(std::string())}, {6, node_name()}});
  const auto array = rc::gen::map(
      rc::gen::resize(6, rc::gen::container<std::vector<JsonModel>>(json_value(depth - 1))),
      [](std::vector<JsonModel> elements) {
        JsonModel model = JsonModel::of(JsonModel::Kind::array);
        model.kids = std::move(elements);
        return model;
      });
  const auto object = rc::gen::apply(
      make_object,
      rc::gen::resize(
          6, rc::gen::nonEmpty(rc::gen::container<std::vector<std::pair<std::string, JsonModel>>>(
                 rc::gen::pair(member_name, json_value(depth - 1))))),
      rc::gen::container<std::vector<bool>>(rc::gen::arbitrary<bool>()));
  return rc::gen::weightedOneOf<JsonModel>({{2, json_scalar()}, {1, array}, {2, object}});
}

// A result the mapping gives back: an array, or an object with members.
inline rc::Gen<JsonModel> json_result() {
  return rc::gen::suchThat(json_value(4), [](const JsonModel& model) {
    return model.kind == JsonModel::Kind::array ||
           (model.kind == JsonModel::Kind::object && !model.kids.empty());
  });
}

// Adds `model` under `parent` (the root itself for kRoot with an empty
// name). False when the tree refused it.
inline bool add_model(tree::Tree& tree, tree::NodeId parent, const JsonModel& model);

inline bool add_members(tree::Tree& tree, tree::NodeId node, const JsonModel& model) {
  for (const JsonModel& kid : model.kids) {
    if (!add_model(tree, node, kid)) return false;
  }
  return true;
}

inline bool add_model(tree::Tree& tree, tree::NodeId parent, const JsonModel& model) {
  const auto name =
      model.name.empty() ? tree::NodeName::nameless() : tree::NodeName::make(model.name).value();
  switch (model.kind) {
    case JsonModel::Kind::text:
      if (model.as_attribute) return tree.add_attribute(parent, model.name, model.text).ok();
      return tree.add_kid(parent, name, model.text).ok();
    case JsonModel::Kind::number:
      if (model.as_attribute) {
        return tree.add_number_attribute(parent, model.name, model.number).ok();
      }
      return tree.add_number(parent, name, model.number).ok();
    case JsonModel::Kind::array: {
      const auto node = tree.add_array(parent, name);
      return node.ok() && add_members(tree, node.value(), model);
    }
    case JsonModel::Kind::object: {
      const auto node = tree.add_kid(parent, name, {});
      return node.ok() && add_members(tree, node.value(), model);
    }
  }
  return false;
}

// The root: its members (an object) or its elements (an array).
inline bool build_result(tree::Tree& tree, const JsonModel& result) {
  tree.clear();
  if (result.kind == JsonModel::Kind::array && !tree.make_array(tree::kRoot).ok()) return false;
  return add_members(tree, tree::kRoot, result);
}

// The inverse mapping: a JSON value back to a model (nullopt for what the
// mapping never writes: booleans, null, fractions).
inline std::optional<JsonModel> model_of(const nlohmann::ordered_json& json, std::string name) {
  JsonModel model;
  model.name = std::move(name);
  if (json.is_string()) {
    model.text = json.get<std::string>();
  } else if (json.is_number_integer()) {
    model.kind = JsonModel::Kind::number;
    model.number = json.get<std::int64_t>();
  } else if (json.is_array() || json.is_object()) {
    model.kind = json.is_array() ? JsonModel::Kind::array : JsonModel::Kind::object;
    for (const auto& [key, value] : json.items()) {
      auto kid = model_of(value, json.is_array() ? std::string() : key);
      if (!kid) return std::nullopt;
      model.kids.push_back(std::move(*kid));
    }
  } else {
    return std::nullopt;
  }
  return model;
}

}  // namespace mid::proptest

namespace rc {
template <>
struct Arbitrary<mid::proptest::JsonModel> {
  static Gen<mid::proptest::JsonModel> arbitrary() { return mid::proptest::json_result(); }
};
}  // namespace rc
