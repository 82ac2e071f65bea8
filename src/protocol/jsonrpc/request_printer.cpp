#include "protocol/jsonrpc/request_printer.hpp"

#include <algorithm>

#include "core/bounded_writer.hpp"
#include "core/limits.hpp"
#include "core/utf8.hpp"
#include "protocol/jsonrpc/json_text.hpp"

namespace mid::protocol::jsonrpc {
namespace {

core::Error unprintable(std::size_t at) noexcept {
  return core::Error{core::Errc::request_unprintable, at};
}

// Checks everything the request cannot carry before a byte is written.
core::Status check(std::string_view method, std::span<const RequestParam> params) noexcept {
  if (method.empty() || !core::is_utf8(method)) return unprintable(0);
  const bool named = !params.empty() && !params.front().name.empty();
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i >= core::kMaxArguments) return unprintable(i + 1);
    const RequestParam& param = params[i];
    if (param.name.empty() == named) return unprintable(i + 1);
    if (!core::is_utf8(param.name) || !core::is_utf8(param.value)) return unprintable(i + 1);
  }
  return {};
}

void put_positional(core::BoundedWriter& out, std::span<const RequestParam> params) noexcept {
  out.put('[');
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i != 0) out.put(',');
    put_string(out, params[i].value);
  }
  out.put(']');
}

bool named_before(std::span<const RequestParam> params, std::size_t i) noexcept {
  const std::string_view name = params[i].name;
  return std::any_of(params.begin(), params.begin() + static_cast<std::ptrdiff_t>(i),
                     [name](const RequestParam& p) { return p.name == name; });
}

// The value of the member named params[first].name: its one value, or the
// array of every value of that name from `first` on.
void put_member_value(core::BoundedWriter& out, std::span<const RequestParam> params,
                      std::size_t first) noexcept {
  const std::string_view name = params[first].name;
  const auto uses = std::count_if(params.begin(), params.end(),
                                  [name](const RequestParam& p) { return p.name == name; });
  if (uses == 1) {
    put_string(out, params[first].value);
    return;
  }
  out.put('[');
  for (std::size_t i = first, written = 0; i < params.size(); ++i) {
    if (params[i].name != name) continue;
    if (written++ != 0) out.put(',');
    put_string(out, params[i].value);
  }
  out.put(']');
}

void put_named(core::BoundedWriter& out, std::span<const RequestParam> params) noexcept {
  out.put('{');
  for (std::size_t i = 0, members = 0; i < params.size(); ++i) {
    if (named_before(params, i)) continue;
    if (members++ != 0) out.put(',');
    put_string(out, params[i].name);
    out.put(':');
    put_member_value(out, params, i);
  }
  out.put('}');
}

}  // namespace

core::Result<std::size_t> print_request(std::string_view method,
                                        std::span<const RequestParam> params, std::uint64_t id,
                                        std::span<char> out) noexcept {
  if (const core::Status checked = check(method, params); !checked) return checked.error();
  core::BoundedWriter writer(out.first(std::min(out.size(), core::kMaxDatagram)));
  writer.put(R"({"jsonrpc":"2.0","method":)");
  put_string(writer, method);
  if (!params.empty()) {
    writer.put(R"(,"params":)");
    if (params.front().name.empty()) {
      put_positional(writer, params);
    } else {
      put_named(writer, params);
    }
  }
  writer.put(R"(,"id":)");
  writer.put_unsigned(id);
  writer.put('}');
  if (writer.failed()) return core::Error{core::Errc::request_too_large, writer.size()};
  return writer.size();
}

}  // namespace mid::protocol::jsonrpc
