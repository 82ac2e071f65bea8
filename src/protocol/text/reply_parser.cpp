#include "protocol/text/reply_parser.hpp"

#include <span>

#include "protocol/text/grammar.hpp"

namespace mid::protocol::text {
namespace {

using core::Errc;
using core::Error;

constexpr std::size_t kNotFound = std::string_view::npos;

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The byte of "\xHH"'s two hex digits, or -1.
int hex_byte(char high, char low) noexcept {
  const int h = hex_digit(high);
  const int l = hex_digit(low);
  return h < 0 || l < 0 ? -1 : h * 16 + l;
}

core::Result<std::string_view> unescape(std::string_view in, std::span<char> out,
                                        std::size_t base) noexcept {
  std::size_t used = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '\\') {
      if (i + 1 == in.size()) return Error{Errc::bad_reply_escape, base + i};
      switch (in[++i]) {
        case '\\':
          c = '\\';
          break;
        case 'n':
          c = '\n';
          break;
        case 'r':
          c = '\r';
          break;
        case 't':
          c = '\t';
          break;
        case 's':
          c = ' ';
          break;
        case ':':
          c = ':';
          break;
        case 'x': {
          const int byte = i + 2 < in.size() ? hex_byte(in[i + 1], in[i + 2]) : -1;
          if (byte < 0) return Error{Errc::bad_reply_escape, base + i - 1};
          c = static_cast<char>(byte);
          i += 2;
          break;
        }
        default:
          return Error{Errc::bad_reply_escape, base + i - 1};
      }
    }
    out[used++] = c;  // used <= i < in.size() <= out.size()
  }
  return std::string_view(out.data(), used);
}

// Attributes begin at the first space whose following word holds '=':
// the printer escapes every space of a value that holds '=' or is
// followed by attributes, so no value can contain such a space.
std::size_t attributes_start(std::string_view part) noexcept {
  for (std::size_t space = part.find(' '); space != kNotFound;) {
    const std::size_t next = part.find(' ', space + 1);
    const std::string_view word =
        part.substr(space + 1, next == kNotFound ? kNotFound : next - space - 1);
    if (word.find('=') != kNotFound) return space;
    space = next;
  }
  return part.size();
}

class ReplyReader {
 public:
  ReplyReader(std::string_view in, std::string_view indent, tree::Tree& tree,
              ReplyScratch& scratch) noexcept
      : in_(in), indent_(indent), tree_(tree), scratch_(scratch) {}

  core::Result<ReplyStatus> read() noexcept;

 private:
  core::Result<ReplyStatus> read_status() noexcept;
  core::Status read_line(std::size_t begin, std::size_t end) noexcept;
  core::Status read_attributes(tree::NodeId node, std::string_view part, std::size_t base) noexcept;

  std::string_view in_;
  std::string_view indent_;
  tree::Tree& tree_;
  ReplyScratch& scratch_;
  tree::NodeId last_ = tree::kRoot;
};

core::Result<ReplyStatus> ReplyReader::read() noexcept {
  tree_.clear();
  if (in_.size() > core::kMaxDatagram) return Error{Errc::reply_too_large, core::kMaxDatagram};
  if (!is_valid_indent(indent_)) return Error{Errc::bad_status_line, 0};
  auto status = read_status();
  if (!status) return status;
  std::size_t begin = in_.find('\n') + 1;
  while (begin < in_.size()) {
    const std::size_t end = in_.find('\n', begin);
    if (end == kNotFound) return Error{Errc::bad_reply_line, in_.size()};
    if (auto line = read_line(begin, end); !line) return line.error();
    begin = end + 1;
  }
  return status;
}

core::Result<ReplyStatus> ReplyReader::read_status() noexcept {
  const std::size_t end = in_.find('\n');
  if (end == kNotFound || end < 4 || in_[3] != ' ') return Error{Errc::bad_status_line, 0};
  unsigned code = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    if (in_[i] < '0' || in_[i] > '9') return Error{Errc::bad_status_line, i};
    code = code * 10 + static_cast<unsigned>(in_[i] - '0');
  }
  if (code < 100) return Error{Errc::bad_status_line, 0};
  const std::string_view reason = in_.substr(4, end - 4);
  const std::size_t bad = reason.find_first_of(std::string_view("\r\0", 2));
  if (bad != kNotFound) return Error{Errc::bad_status_line, 4 + bad};
  return ReplyStatus{code, reason};
}

core::Status ReplyReader::read_line(std::size_t begin, std::size_t end) noexcept {
  std::string_view rest = in_.substr(begin, end - begin);
  std::size_t level = 0;
  while (!indent_.empty() && rest.starts_with(indent_)) {
    rest.remove_prefix(indent_.size());
    ++level;
  }
  if (level > tree_.depth(last_)) return Error{Errc::bad_indentation, begin};
  tree::NodeId parent = last_;
  while (tree_.depth(parent) > level) parent = tree_.parent(parent);

  std::string_view name;
  std::string_view part = rest;
  // Node names cannot hold ":: " and nameless values never show a raw
  // ':', so the first ":: " after a valid name is the separator.
  const std::size_t separator = rest.find(":: ");
  if (separator != kNotFound && tree::Tree::is_valid_name(rest.substr(0, separator))) {
    name = rest.substr(0, separator);
    part = rest.substr(separator + 3);
  }
  const std::size_t part_base = end - part.size();
  const std::size_t split = attributes_start(part);
  // The printer never writes attributes without a name or a value before them.
  if (name.empty() && split == 0 && !part.empty()) return Error{Errc::bad_reply_line, begin};
  auto value = unescape(part.substr(0, split), scratch_.unescaped, part_base);
  if (!value) return value.error();
  auto node = tree_.add_kid(parent, name, value.value());
  if (!node) return Error{node.error().code, begin};
  last_ = node.value();
  return read_attributes(last_, part.substr(split), part_base + split);
}

core::Status ReplyReader::read_attributes(tree::NodeId node, std::string_view part,
                                          std::size_t base) noexcept {
  std::size_t pos = 0;
  while (pos < part.size()) {
    // part[pos] is the space before an attribute.
    const std::size_t next = part.find(' ', pos + 1);
    const std::size_t stop = next == kNotFound ? part.size() : next;
    const std::string_view word = part.substr(pos + 1, stop - pos - 1);
    const std::size_t equals = word.find('=');
    if (equals == kNotFound || !tree::Tree::is_valid_attribute_name(word.substr(0, equals))) {
      return Error{Errc::bad_reply_line, base + pos + 1};
    }
    auto value = unescape(word.substr(equals + 1), scratch_.unescaped, base + pos + 2 + equals);
    if (!value) return value.error();
    if (auto added = tree_.add_attribute(node, word.substr(0, equals), value.value()); !added) {
      return Error{added.error().code, base + pos};
    }
    pos = stop;
  }
  return {};
}

}  // namespace

core::Result<ReplyStatus> parse_reply(std::string_view datagram, std::string_view indent,
                                      tree::Tree& tree, ReplyScratch& scratch) noexcept {
  ReplyReader reader(datagram, indent, tree, scratch);
  return reader.read();
}

}  // namespace mid::protocol::text
