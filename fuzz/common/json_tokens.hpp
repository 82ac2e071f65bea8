#pragma once

#include <rapidjson/encodings.h>
#include <rapidjson/reader.h>
#include <rapidjson/stream.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// Test-side JSON checks for the JSON-RPC reply harness: RapidJSON's SAX
// reader (header-only, Debian rapidjson-dev) validates the whole text,
// UTF-8 included, and records it as a whitespace-free token stream, so a
// compact and a pretty print of one reply compare equal exactly when they
// hold the same structure, keys, strings and number texts.
namespace mid::fuzz {

class JsonTokens : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, JsonTokens> {
 public:
  bool Null() { return add("null"); }
  bool Bool(bool value) { return add(value ? "true" : "false"); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool /*copy*/) {
    return add("#" + std::string(text, length));
  }
  bool String(const char* text, rapidjson::SizeType length, bool /*copy*/) {
    return add("\"" + std::string(text, length));
  }
  bool Key(const char* text, rapidjson::SizeType length, bool /*copy*/) {
    std::string key(text, length);
    if (keys_.empty() || !keys_.back().insert(key).second) duplicate_key_ = true;
    return add(":" + key);
  }
  bool StartObject() {
    keys_.emplace_back();
    return add("{");
  }
  bool EndObject(rapidjson::SizeType /*members*/) {
    keys_.pop_back();
    return add("}");
  }
  bool StartArray() { return add("["); }
  bool EndArray(rapidjson::SizeType /*elements*/) { return add("]"); }
  // Anything RapidJSON reports but the handlers above (Int, Double...):
  // unreachable with kParseNumbersAsStringsFlag.
  bool Default() { return add("?"); }

  [[nodiscard]] const std::string& tokens() const { return tokens_; }
  [[nodiscard]] bool duplicate_key() const { return duplicate_key_; }

 private:
  bool add(const std::string& token) {
    // Lengths first, so that no two token streams run together the same way.
    tokens_ += std::to_string(token.size()) + ":" + token;
    return true;
  }

  std::string tokens_;
  std::vector<std::set<std::string>> keys_;
  bool duplicate_key_ = false;
};

// The token stream of `text` if it is one valid JSON value in valid UTF-8
// with no duplicate key in any object; nullopt otherwise.
inline std::optional<std::string> json_tokens(std::string_view text) {
  // RapidJSON's StringStream stops at NUL: hand it a terminated copy, and
  // refuse a NUL in the text itself (never valid raw in JSON).
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  const std::string copy(text);
  rapidjson::StringStream stream(copy.c_str());
  rapidjson::Reader reader;
  JsonTokens tokens;
  constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseIterativeFlag;
  if (reader.Parse<kFlags>(stream, tokens).IsError() || tokens.duplicate_key()) {
    return std::nullopt;
  }
  return tokens.tokens();
}

// True when `text` holds no control byte raw: none below 0x20 but those
// in `allowed`, no DEL, no C1 control (U+0080..U+009F, bytes C2 80..C2 9F).
inline bool has_no_raw_control(std::string_view text, std::string_view allowed) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte < 0x20 && allowed.find(text[i]) == std::string_view::npos) || byte == 0x7f) {
      return false;
    }
    if (byte == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next < 0xa0) return false;
    }
  }
  return true;
}

}  // namespace mid::fuzz
