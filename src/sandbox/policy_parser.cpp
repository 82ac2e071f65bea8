#include "sandbox/policy_parser.hpp"

namespace mid::sandbox {
namespace {

constexpr bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r';
}
constexpr bool is_lower_or_digit(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}
constexpr bool is_upper_or_digit(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

template <class Pred>
bool all_of(std::string_view s, Pred pred) noexcept {
  for (const char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool is_atom(std::string_view atom) noexcept {
  if (atom.empty()) return false;
  if (atom.size() > 2 && atom[0] == '0' && (atom[1] == 'x' || atom[1] == 'X')) {
    return atom.size() <= 18 && all_of(atom.substr(2), is_hex);
  }
  if (is_digit(atom[0])) return atom.size() <= 19 && all_of(atom, is_digit);
  return !is_digit(atom[0]) && atom[0] != '_' && all_of(atom, is_upper_or_digit);
}

// Splits the part of a line before '#' into blank-separated tokens.
class Tokens {
 public:
  explicit Tokens(std::string_view text) noexcept : text_(text) {}
  // Next token, or an empty view at the end; `offset` is where it starts.
  std::string_view next() noexcept {
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    offset = pos_;
    while (pos_ < text_.size() && !is_blank(text_[pos_])) ++pos_;
    return text_.substr(offset, pos_ - offset);
  }
  std::size_t offset = 0;

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

ParsedLine fail(std::string_view message, std::size_t offset) noexcept {
  ParsedLine out;
  out.kind = LineKind::error;
  out.error = message;
  out.offset = offset;
  return out;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Parses "argN" OP ... starting at `first`; fills `out`. Returns an error
// message or an empty view.
std::string_view parse_condition(std::string_view first, Tokens& tokens,
                                 TextCondition& out) noexcept {
  if (first.size() != 4 || first.substr(0, 3) != "arg" || first[3] < '0' || first[3] > '5') {
    return "expected a condition argN (N in 0..5)";
  }
  out.arg = static_cast<unsigned>(first[3] - '0');
  std::string_view op = tokens.next();
  if (op == "&") {
    out.op = ArgOp::masked_equal;
    out.mask = tokens.next();
    if (!is_valid_value(out.mask)) return "expected a mask value after '&'";
    op = tokens.next();
    if (op != "==") return "expected '==' after the mask";
  } else if (op == "==") {
    out.op = ArgOp::equal;
  } else if (op == "!=") {
    out.op = ArgOp::not_equal;
  } else {
    return "expected '==', '!=' or '&' after argN";
  }
  out.value = tokens.next();
  if (!is_valid_value(out.value)) return "expected a value (number or MACRO, joined by '|')";
  return {};
}

}  // namespace

bool is_valid_value(std::string_view value) noexcept {
  if (value.empty()) return false;
  while (true) {
    const std::size_t bar = value.find('|');
    if (!is_atom(value.substr(0, bar))) return false;
    if (bar == std::string_view::npos) return true;
    value.remove_prefix(bar + 1);
  }
}

ParsedLine parse_policy_line(std::string_view line) noexcept {
  const std::size_t hash = line.find('#');
  const std::string_view body = line.substr(0, hash);
  if (trim(body).empty()) return {};  // blank or comment-only line
  if (hash == std::string_view::npos) return fail("missing '# reason'", line.size());
  ParsedLine out;
  out.kind = LineKind::rule;
  out.rule.reason = trim(line.substr(hash + 1));
  if (out.rule.reason.empty()) return fail("empty reason after '#'", hash);

  Tokens tokens(body);
  out.rule.name = tokens.next();
  if (!all_of(out.rule.name, is_lower_or_digit) || out.rule.name.size() > 32) {
    return fail("bad system call name (expected [a-z0-9_]+)", tokens.offset);
  }
  std::string_view token = tokens.next();
  if (token == "errno") {
    out.rule.errno_name = tokens.next();
    const std::string_view e = out.rule.errno_name;
    if (e.size() < 2 || e[0] != 'E' || !all_of(e, is_upper_or_digit)) {
      return fail("expected an errno name (e.g. EACCES) after 'errno'", tokens.offset);
    }
    token = tokens.next();
  }
  while (!token.empty()) {
    if (out.rule.condition_count == kMaxConditions) {
      return fail("too many conditions on one line", tokens.offset);
    }
    TextCondition& condition = out.rule.conditions[out.rule.condition_count++];
    const std::size_t at = tokens.offset;
    if (const std::string_view error = parse_condition(token, tokens, condition); !error.empty()) {
      return fail(error, at);
    }
    token = tokens.next();
  }
  return out;
}

RuleSetError check_rule_set(std::span<const TextRule> rules) noexcept {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (rules[j].name != rules[i].name) continue;
      if (rules[j].errno_name != rules[i].errno_name) {
        return {i, "the same system call with two different actions"};
      }
      if (rules[j].condition_count == 0 || rules[i].condition_count == 0) {
        return {i, "an unconditional rule must be the only rule for its system call"};
      }
    }
  }
  return {};
}

}  // namespace mid::sandbox
