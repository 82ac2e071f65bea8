// Harness: the client's JSON-RPC 2.0 reply reader (mi-datagram --json), on
// the bytes a reply datagram can carry. Invariants: an input over
// kMaxDatagram is refused whole as too_large; a refusal's offset lies
// within the input; a writer of kReadableCapacity always holds the
// readable text (never output_too_large); an accepted reply's text ends in
// LF, is valid UTF-8 and holds no raw control byte, DEL or C1 control but
// LF; the reply is accepted again with its own id as the expected one and
// refused as id_mismatch with another; and a result's text is a fixed
// point: wrapped in a response again, it reads back to the same text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/harness.hpp"
#include "common/json_tokens.hpp"
#include "core/limits.hpp"
#include "core/utf8.hpp"
#include "protocol/jsonrpc/reply_reader.hpp"

namespace {

using mid::fuzz::check;
namespace core = mid::core;
namespace rpc = mid::protocol::jsonrpc;

struct State {
  rpc::ReplyReader reader;
  std::vector<char> text = std::vector<char>(rpc::kReadableCapacity);
  std::vector<char> again = std::vector<char>(rpc::kReadableCapacity);
};

// The readable text of one datagram may be 40 times its size (2.6 MB for
// 32k elements at depth 40), and the checks read it several times: the
// slowest hand-made input takes ~21 ms here (the reader alone 1.3-4.4 ms),
// so the bound is four times the base one (fuzz/README.md, "Time bound").
constexpr long kTimeScale = 4;

State& state() {
  static State s;
  return s;
}

void check_accepted(State& s, std::string_view input, const rpc::ReplyOutcome& outcome,
                    std::string_view shown) {
  check(!shown.empty() && shown.back() == '\n', "readable text without its LF");
  check(mid::core::is_utf8(shown), "readable text not UTF-8");
  check(mid::fuzz::has_no_raw_control(shown, "\n"), "raw control byte in the readable text");
  check(!outcome.is_error || shown.find('\n') == shown.size() - 1, "error text over one line");
  const std::string id(outcome.id);
  check(!id.empty(), "accepted without an id");
  core::BoundedWriter same(s.again);
  const rpc::ReplyOutcome own = s.reader.read(input, id, same);
  check(own.fault == rpc::ReplyFault::none && same.view() == shown, "own id not accepted");
  core::BoundedWriter other(s.again);
  check(s.reader.read(input, id + "0", other).fault == rpc::ReplyFault::id_mismatch,
        "another id accepted");
  if (outcome.is_error) return;
  std::string wrapped = R"({"jsonrpc":"2.0","id":1,"result":)";
  wrapped.append(shown.substr(0, shown.size() - 1)).append("}");
  if (wrapped.size() > core::kMaxDatagram) return;
  core::BoundedWriter reread(s.again);
  const rpc::ReplyOutcome second = s.reader.read(wrapped, "1", reread);
  check(second.fault == rpc::ReplyFault::none, "readable result does not read back");
  check(reread.view() == shown, "readable result not a fixed point");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  State& s = state();
  mid::fuzz::run_bounded([&] {
    core::BoundedWriter out(s.text);
    const rpc::ReplyOutcome outcome = s.reader.read(input.view(), "", out);
    if (size > core::kMaxDatagram) {
      check(outcome.fault == rpc::ReplyFault::too_large, "oversize reply not refused");
      return;
    }
    check(outcome.offset <= size, "offset past the input");
    check(outcome.fault != rpc::ReplyFault::output_too_large, "readable capacity too small");
    check(outcome.fault != rpc::ReplyFault::id_mismatch, "id mismatch with any id allowed");
    check(outcome.fault == rpc::ReplyFault::none || !outcome.problem.empty(), "no problem text");
    if (outcome.fault == rpc::ReplyFault::none)
      check_accepted(s, input.view(), outcome, out.view());
  });
  return 0;
}
